/// Element mass fractions of a material (kg element per kg material), ordered by atomic number.
///
/// The fractions may sum to less than 1: the rest is unassayed mass (gangue, water, …) that
/// Lodestone carries as "other" when it balances mass. They never sum to more than 1 + 1e-9.
public struct Composition: Sendable, Hashable, CustomStringConvertible {
  public private(set) var fractions: [(element: Element, fraction: Double)]

  public static func == (a: Composition, b: Composition) -> Bool {
    a.fractions.count == b.fractions.count
      && zip(a.fractions, b.fractions).allSatisfy { $0.element == $1.element && $0.fraction == $1.fraction }
  }

  public func hash(into h: inout Hasher) {
    for f in fractions {
      h.combine(f.element)
      h.combine(f.fraction)
    }
  }

  public init(_ fractions: [Element: Double]) {
    self.fractions = fractions.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// The composition of a pure compound.
  public init(formula: Formula) {
    self.fractions = formula.massFractions
  }

  /// Composition from an assay given as mass fractions of compounds (oxides, phosphates …)
  /// and/or elements. A compound's share is split over its elements, oxygen included.
  public init(assay: [(species: Formula, fraction: Double)]) {
    var w: [Element: Double] = [:]
    for (species, fraction) in assay {
      for (e, f) in species.massFractions { w[e, default: 0] += fraction * f }
    }
    self.init(w)
  }

  /// kg of `element` per kg of material.
  public func fraction(of element: Element) -> Double {
    fractions.first { $0.element == element }?.fraction ?? 0
  }

  /// Sum of all assayed fractions.
  public var total: Double { fractions.reduce(0) { $0 + $1.fraction } }

  /// The elements present, by atomic number.
  public var elements: [Element] { fractions.map(\.element) }

  /// Mass of total rare-earth oxide per kg of material, each rare earth counted as its
  /// reference oxide (``ReferenceOxide``); `includeScandium` follows the convention in use.
  public func treoFraction(includeScandium: Bool = false) -> Double {
    var s = 0.0
    for (e, f) in fractions where e.isRareEarth && (includeScandium || e != .Sc) {
      s += f / ReferenceOxide.formula(for: e).massFraction(of: e)
    }
    return s
  }

  public var description: String {
    fractions.map { "\($0.element.symbol) \(formatFraction($0.fraction))" }.joined(separator: ", ")
  }
}

private func formatFraction(_ f: Double) -> String {
  let p = (f * 1e6).rounded() / 1e4
  return "\(p) %"
}

extension Element {
  /// The 17 rare-earth elements: Sc, Y and the lanthanides La–Lu.
  public static let rareEarths: [Element] = [
    .Sc, .Y, .La, .Ce, .Pr, .Nd, .Pm, .Sm, .Eu, .Gd, .Tb, .Dy, .Ho, .Er, .Tm, .Yb, .Lu,
  ]
  /// Light rare earths (La–Sm by the common industrial cut; Eu onward are medium/heavy).
  public static let lightRareEarths: [Element] = [.La, .Ce, .Pr, .Nd, .Pm, .Sm]
  /// The lanthanides La–Lu in order of atomic number.
  public static let lanthanides: [Element] = [
    .La, .Ce, .Pr, .Nd, .Pm, .Sm, .Eu, .Gd, .Tb, .Dy, .Ho, .Er, .Tm, .Yb, .Lu,
  ]

  public var isRareEarth: Bool { Element.rareEarths.contains(self) }
}

/// The oxide each rare earth is reported as in REO/TREO figures: RE₂O₃ except CeO₂,
/// Pr₆O₁₁ and Tb₄O₇ (industry convention; e.g. USGS and the Chinese GB/T grade standards).
/// Non-rare-earth assay conventions are included for monazite: ThO₂, U₃O₈, P₂O₅, SiO₂, Fe₂O₃, CaO, TiO₂, ZrO₂, Al₂O₃.
public enum ReferenceOxide {
  static let table: [Element: String] = [
    .Sc: "Sc2O3", .Y: "Y2O3", .La: "La2O3", .Ce: "CeO2", .Pr: "Pr6O11", .Nd: "Nd2O3", .Pm: "Pm2O3",
    .Sm: "Sm2O3", .Eu: "Eu2O3", .Gd: "Gd2O3", .Tb: "Tb4O7", .Dy: "Dy2O3", .Ho: "Ho2O3", .Er: "Er2O3",
    .Tm: "Tm2O3", .Yb: "Yb2O3", .Lu: "Lu2O3", .Th: "ThO2", .U: "U3O8", .P: "P2O5", .Si: "SiO2",
    .Fe: "Fe2O3", .Ca: "CaO", .Ti: "TiO2", .Zr: "ZrO2", .Al: "Al2O3",
  ]

  /// The reference oxide of `element`, or `nil` if Lodestone has no convention for it.
  public static func formulaIfKnown(for element: Element) -> Formula? {
    guard let text = table[element] else { return nil }
    return try? Formula(text)
  }

  /// The reference oxide of a rare earth (RE₂O₃ for any element without a listed convention).
  public static func formula(for element: Element) -> Formula {
    formulaIfKnown(for: element) ?? Formula(atoms: [element: 2, .O: 3])
  }

  /// Elements that have a reference oxide, by atomic number.
  public static var elements: [Element] { table.keys.sorted() }
}

/// Converts between compounds on the basis of one element.
public enum BasisConversion {
  /// Mass of `target` (kg) that holds the same mass of `basis` as `mass` kg of `source`.
  /// E.g. 450 t Nd₂O₃ → Nd: 385.8 t; 1 t Nd₂O₃ → NdF₃ on Nd: 1.172 t.
  public static func convert(mass: Double, from source: Formula, to target: Formula, basis: Element) throws(ConversionError) -> Double {
    let ws = source.massFraction(of: basis)
    let wt = target.massFraction(of: basis)
    guard ws > 0 else { throw .basisMissing(basis, in: source.text) }
    guard wt > 0 else { throw .basisMissing(basis, in: target.text) }
    return mass * ws / wt
  }

  /// The basis element shared by two formulas when it is unambiguous: the one common
  /// element other than O, H, C, N, F, Cl, S (anions), or the single common element.
  public static func defaultBasis(from source: Formula, to target: Formula) throws(ConversionError) -> Element {
    let common = source.elements.filter { target.elements.contains($0) }
    let anions: Set<Element> = [.O, .H, .C, .N, .F, .Cl, .S, .P]
    let cations = common.filter { !anions.contains($0) }
    if cations.count == 1 { return cations[0] }
    if cations.isEmpty, common.count == 1 { return common[0] }
    throw .ambiguousBasis(source: source.text, target: target.text, candidates: cations.isEmpty ? common : cations)
  }
}

public enum ConversionError: Error, Sendable, Equatable, CustomStringConvertible {
  case basisMissing(Element, in: String)
  case ambiguousBasis(source: String, target: String, candidates: [Element])

  public var description: String {
    switch self {
    case .basisMissing(let e, let f): return "Basis element '\(e.symbol)' must occur in '\(f)'; it does not."
    case .ambiguousBasis(let s, let t, let c):
      if c.isEmpty { return "'\(s)' and '\(t)' share no element; a conversion needs a common basis element." }
      return "The basis for converting '\(s)' to '\(t)' is ambiguous; choose one of: "
        + c.map { "'\($0.symbol)'" }.joined(separator: ", ") + "."
    }
  }
}
