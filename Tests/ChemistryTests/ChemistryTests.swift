import Chemistry
import Testing
import TestSupport

@Suite struct Elements {
  @Test func tableIsComplete() {
    #expect(Element.allCases.count == 118)
    for (i, e) in Element.allCases.enumerated() { #expect(e.atomicNumber == i + 1) }
    #expect(Element.Nd.atomicWeight == 144.242)
    #expect(Element.O.atomicWeight == 15.999)
    #expect(Element.Nd.name == "Neodymium")
    #expect(!Element.Pm.hasStandardWeight)
    #expect(Element.rareEarths.count == 17)
  }
}

@Suite struct Formulas {
  // Molar masses by hand from the IUPAC 2021 abridged weights used in Element.swift.
  struct Case: Sendable, CustomTestStringConvertible {
    let formula: String
    let molarMass: Double
    var testDescription: String { formula }
  }

  static let cases: [Case] = [
    Case(formula: "Nd2O3", molarMass: 2 * 144.242 + 3 * 15.999),  // 336.481
    Case(formula: "Pr6O11", molarMass: 6 * 140.90766 + 11 * 15.999),  // 1021.43496
    Case(formula: "Tb4O7", molarMass: 4 * 158.925354 + 7 * 15.999),
    Case(formula: "CeO2", molarMass: 140.116 + 2 * 15.999),
    Case(formula: "Nd2Fe14B", molarMass: 2 * 144.242 + 14 * 55.845 + 10.81),  // 1081.124
    Case(formula: "(Nd0.8Pr0.2)2O3", molarMass: 1.6 * 144.242 + 0.4 * 140.90766 + 3 * 15.999),
    Case(formula: "NdCl3·6H2O", molarMass: 144.242 + 3 * 35.45 + 6 * (2 * 1.008 + 15.999)),
    Case(formula: "NdCl3*6H2O", molarMass: 144.242 + 3 * 35.45 + 6 * (2 * 1.008 + 15.999)),
    Case(formula: "Ca3(PO4)2", molarMass: 3 * 40.078 + 2 * (30.973761998 + 4 * 15.999)),
    Case(formula: "K4[Fe(CN)6]", molarMass: 4 * 39.0983 + 55.845 + 6 * (12.011 + 14.007)),
    Case(formula: "Sm2Co17", molarMass: 2 * 150.36 + 17 * 58.933194),
    Case(formula: "U3O8", molarMass: 3 * 238.02891 + 8 * 15.999),
  ]

  @Test(arguments: cases) func molarMass(_ c: Case) throws {
    let f = try Formula(c.formula)
    #expect(approx(f.molarMass, c.molarMass, rel: 1e-12), "\(c.formula): \(f.molarMass)")
    let total = f.massFractions.reduce(0) { $0 + $1.fraction }
    #expect(approx(total, 1, rel: 1e-12))
  }

  @Test func elementFractions() throws {
    let f = try Formula("Nd2O3")
    #expect(approx(f.massFraction(of: .Nd), 288.484 / 336.481, rel: 1e-12))
    // supply-chain.md §3.3: Nd2Fe14B = 26.7 % Nd, 72.3 % Fe, 1.00 % B
    let m = try Formula("Nd2Fe14B")
    #expect(abs(m.massFraction(of: .Nd) - 0.267) < 5e-4)
    #expect(abs(m.massFraction(of: .Fe) - 0.723) < 5e-4)
    #expect(abs(m.massFraction(of: .B) - 0.0100) < 5e-5)
  }

  struct Bad: Sendable, CustomTestStringConvertible {
    let formula: String
    let column: Int
    let fragment: String
    var testDescription: String { formula }
  }

  static let bad: [Bad] = [
    Bad(formula: "Nd2Xx3", column: 4, fragment: "unknown element symbol 'Xx'"),
    Bad(formula: "(Nd2O3", column: 1, fragment: "never closed"),
    Bad(formula: "Nd2O3)", column: 6, fragment: "closes nothing"),
    Bad(formula: "nd2O3", column: 1, fragment: "unexpected character 'n'"),
    Bad(formula: "", column: 1, fragment: "must not be empty"),
    Bad(formula: "Nd0O3", column: 3, fragment: "greater than 0"),
    Bad(formula: "2Nd", column: 1, fragment: "a number must follow"),
    Bad(formula: "()", column: 1, fragment: "empty group"),
  ]

  @Test(arguments: bad) func rejects(_ b: Bad) {
    do {
      _ = try Formula(b.formula)
      Issue.record("\(b.formula) parsed")
    } catch {
      #expect(error.column == b.column, "\(error)")
      #expect(error.message.contains(b.fragment), "\(error)")
    }
  }
}

@Suite struct Conversions {
  @Test func oxideToMetal() throws {
    // The issue's reference: 450 t Nd2O3 holds 385.8 t Nd.
    let kg = try BasisConversion.convert(mass: 450_000, from: Formula("Nd2O3"), to: Formula("Nd"), basis: .Nd)
    #expect(abs(kg / 1000 - 385.8) < 0.05)
    #expect(approx(kg, 450_000 * 288.484 / 336.481, rel: 1e-12))
  }

  // supply-chain.md §3.3 stoichiometric factors (3 decimals).
  @Test(arguments: [
    ("Nd2O3", Element.Nd, 0.857), ("Pr6O11", .Pr, 0.828), ("Dy2O3", .Dy, 0.871), ("Tb4O7", .Tb, 0.850),
    ("La2O3", .La, 0.853), ("CeO2", .Ce, 0.814), ("Sm2O3", .Sm, 0.862), ("Y2O3", .Y, 0.787),
  ])
  func metalFractionOfOxide(_ formula: String, _ e: Element, _ expected: Double) throws {
    #expect(abs(try Formula(formula).massFraction(of: e) - expected) < 5e-4)
  }

  @Test func defaultBasis() throws {
    #expect(try BasisConversion.defaultBasis(from: Formula("Nd2O3"), to: Formula("NdF3")) == .Nd)
    #expect(throws: ConversionError.self) {
      try BasisConversion.defaultBasis(from: Formula("Nd2Fe14B"), to: Formula("NdFeO3"))
    }
  }

  @Test func referenceOxides() {
    #expect(ReferenceOxide.formula(for: .Ce).text == "CeO2")
    #expect(ReferenceOxide.formula(for: .Pr).text == "Pr6O11")
    #expect(ReferenceOxide.formula(for: .Tb).text == "Tb4O7")
    #expect(ReferenceOxide.formula(for: .Nd).text == "Nd2O3")
  }

  @Test func monaziteAssayAndTREO() throws {
    // An assay given as oxide fractions round-trips to TREO: Σ oxide fractions of the REs.
    let assay: [(Formula, Double)] = try [
      (Formula("CeO2"), 0.27), (Formula("La2O3"), 0.13), (Formula("Nd2O3"), 0.11), (Formula("Pr6O11"), 0.03),
      (Formula("Sm2O3"), 0.017), (Formula("ThO2"), 0.09), (Formula("U3O8"), 0.003), (Formula("P2O5"), 0.27),
    ]
    let c = Composition(assay: assay.map { (species: $0.0, fraction: $0.1) })
    #expect(approx(c.treoFraction(), 0.27 + 0.13 + 0.11 + 0.03 + 0.017, rel: 1e-12))
    #expect(approx(c.fraction(of: .Th), 0.09 * 232.0377 / (232.0377 + 2 * 15.999), rel: 1e-12))
    #expect(approx(c.total, 0.27 + 0.13 + 0.11 + 0.03 + 0.017 + 0.09 + 0.003 + 0.27, rel: 1e-12))
  }
}
