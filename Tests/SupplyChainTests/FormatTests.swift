import Chemistry
import Foundation
import Quantities
import ScenarioFormat
import SupplyChain
import Testing
import TestSupport

/// Decodes a fixture under Tests/Fixtures, naming it by its path there.
func decodeFixture(_ sub: String, variant: String? = nil) throws -> (Scenario?, Diagnostics) {
  ScenarioDecoder().decode(text: try fixtureText(sub), file: sub, variant: variant)
}

// Hand-calculated reference values (IUPAC 2021 standard atomic weights: Nd 144.242, O 15.999,
// Ce 140.116); one Julian year = 365.25 d = 31 557 600 s; a month is a twelfth of it.
let year = 31_557_600.0
let month = year / 12

@Suite struct ValidFixtures {
  @Test(arguments: ["valid/minimal.yaml", "valid/small-chain.yaml"])
  func decodesWithoutDiagnostics(_ file: String) throws {
    let (s, d) = try decodeFixture(file)
    #expect(s != nil)
    #expect(d.items.isEmpty, "\(d)")
  }

  @Test func valuesAreInSIAsTheFileStates() throws {
    let (s0, _) = try decodeFixture("valid/small-chain.yaml")
    let s = try #require(s0)
    #expect(s.start.description == "2026-01" && s.months == 24)
    // 10000 t/yr = 1e7 kg / 31 557 600 s.
    let crack = try #require(s.processes.first { $0.id == "crack-and-separate" })
    #expect(approx(crack.capacity, 1e7 / year, rel: 1e-12))
    #expect(crack.reference == "monazite")  // default basis: the first input
    #expect(crack.availability.ramp.map(\.fraction) == [0.4, 0.8])
    #expect(crack.availability.outages.count == 1 && crack.availability.outages[0].fraction == 0)
    if case .rest = crack.losses {} else { Issue.record("losses should be rest") }
    let magnet = try #require(s.processes.first { $0.id == "jp-magnet-line" })
    #expect(magnet.reference == "ndfeb-magnet")
    // Monazite Ce fraction: 27 % CeO2 × 140.116 / 172.114 = 0.219805 (by hand).
    let monazite = try #require(s.material("monazite"))
    #expect(approx(monazite.composition.fraction(of: .Ce), 0.27 * 140.116 / 172.114, rel: 1e-4))
    #expect(try #require(s.sites.first).initialStocks.map(\.mass) == [2_000_000])
    let link = try #require(s.links.first)
    #expect(link.leadTime == 2)
    #expect(approx(try #require(link.capacity), 1e6 / year, rel: 1e-12))
    #expect(link.cost == 2)
    let toll = try #require(s.agreements.first)
    #expect(toll.returnTo == "in-market" && approx(toll.shareReturned, 0.6, rel: 1e-12) && toll.cashFee == 5)
    #expect(approx(try #require(toll.inputRate), 3e5 / year, rel: 1e-12))
    let licence = try #require(s.policies.first { $0.id == "cn-licence" })
    guard case .licence(let approval, let delay) = licence.kind else {
      Issue.record("cn-licence should be a licence")
      return
    }
    #expect(approx(approval, 0.4, rel: 1e-12) && delay == 2)
    #expect(licence.elements == [.Sm, .Gd, .Tb, .Dy, .Lu, .Sc, .Y])
    #expect(approx(licence.deMinimis, 0.001, rel: 1e-12))
    let quota = try #require(s.policies.first { $0.id == "in-halt" })
    guard case .quota(let q) = quota.kind else {
      Issue.record("in-halt should be a quota")
      return
    }
    #expect(approx(q, 1e5 / year, rel: 1e-12))
    // Demands: 150000 vehicle/yr → vehicles per second; 2000 MW/yr → MW per second; 0.6 t/MW = 600 kg/MW.
    let ev = try #require(s.demands.first { $0.id == "india-ev" })
    #expect(ev.endUnit == "vehicle" && approx(ev.rate, 150_000 / year, rel: 1e-12) && ev.intensity == 1.5)
    #expect(approx(ev.growth, 0.25, rel: 1e-12) && ev.valuePerUnit == 20_000)
    let wind = try #require(s.demands.first { $0.id == "india-wind" })
    #expect(wind.endUnit == "MW" && approx(wind.rate, 2000 / year, rel: 1e-12))
    #expect(approx(wind.intensity, 600, rel: 1e-12) && wind.priority == 2)
    #expect(wind.series.count == 2 && approx(wind.series[1].rate, 4000 / year, rel: 1e-12))
    let reserve = try #require(s.reserves.first)
    let fillRate = try #require(reserve.fillRate)
    #expect(reserve.target == 500_000 && approx(fillRate, 20_000 / month, rel: 1e-12))
    #expect(reserve.releaseTo == [.defence, .evTraction] && reserve.holdingCost == 1.5)
    let price = try #require(s.prices.first)
    #expect(price.currency == "USD" && price.points.map(\.perKg) == [60, 88])
  }

  @Test func unitsBlockGivesBareNumbersTheirUnit() throws {
    let text = try fixtureText("valid/minimal.yaml")
      .replacingOccurrences(of: "months: 12\n", with: "months: 12\nunits: {mass-rate: t/month}\n")
      .replacingOccurrences(of: "capacity: 500 t/yr", with: "capacity: 40")
    let (s, d) = ScenarioDecoder().decode(text: text, file: "u.yaml")
    #expect(d.items.isEmpty, "\(d)")
    // 40 t/month = 40 000 kg / 2 629 800 s.
    #expect(approx(try #require(s?.processes.first).capacity, 40_000 / month, rel: 1e-12))
  }

  @Test func unitsBlockUnitMustHaveItsDimension() throws {
    let text = try fixtureText("valid/minimal.yaml")
      .replacingOccurrences(of: "months: 12\n", with: "months: 12\nunits: {mass-rate: t}\n")
    let (_, d) = ScenarioDecoder().decode(text: text, file: "u.yaml")
    #expect(d.items.map(\.code) == ["bad-quantity"])
    #expect(d.items.first?.message == "Units mass-rate must be a unit of a mass rate (e.g. 450 t/yr); got 't'.")
    #expect(d.items.first?.location?.line == 5 && d.items.first?.location?.column == 20)
  }
}

/// One invalid fixture per diagnostic code: message, line and column, all written by reading
/// the fixture (the lines and columns are counted by hand, 1-based).
struct InvalidCase: Sendable, CustomTestStringConvertible {
  let code: String
  var variant: String? = nil
  let line: Int
  let column: Int
  let message: String
  var alternatives: [String]? = nil
  var severity: Diagnostic.Severity = .error
  var testDescription: String { code }
}

@Suite struct InvalidFixtures {
  static let cases: [InvalidCase] = [
    // `    formula: Nd2O3: x` — the second ':' is column 19.
    InvalidCase(
      code: "yaml-syntax", line: 8, column: 19,
      message: "The file must be valid YAML; mapping values are not allowed in this context."),
    // `schema-version: 2` — the value starts in column 17.
    InvalidCase(
      code: "schema-version", line: 1, column: 17,
      message: "schema-version must be 1 (the only version this Lodestone reads); got '2'.", alternatives: ["1"]),
    // `    owners: IREL` — key in column 5; 'owner' is one edit away so it is listed first.
    InvalidCase(
      code: "unknown-key", line: 15, column: 5,
      message: "Unknown key 'owners' in site 'plant'. Valid keys: owner, id, name, country, stocks, source, note.",
      alternatives: ["owner", "id", "name", "country", "stocks", "source", "note"]),
    // `  - id: plant` without country — the item's mapping starts in column 5.
    InvalidCase(
      code: "missing-key", line: 13, column: 5,
      message: "Site 'plant' must have 'country' (ISO 3166-1 alpha-2 country code (IN, CN, JP, …)); it is missing."),
    // `    inputs: [nd-oxide]` — the list starts in column 13.
    InvalidCase(code: "wrong-type", line: 22, column: 13, message: "Process 'reduction' inputs must be a mapping of material id → plain number (kg per kg of the capacity basis); got a list."),
    // `    capacity: 500` with no units block.
    InvalidCase(
      code: "bad-quantity", line: 21, column: 15,
      message: "Process 'reduction' capacity: Expected a mass rate (e.g. 450 t/yr); got '500'."),
    // `start: 2026-1`
    InvalidCase(
      code: "bad-month", line: 3, column: 8,
      message: "The scenario start: A calendar month must be written YYYY-MM (e.g. '2026-04'); got '2026-1'."),
    // `    formula: Nd2Q3` — the value starts at column 14; 'Q' is the formula's 4th character → column 17.
    InvalidCase(
      code: "bad-formula", line: 8, column: 17,
      message: "Material 'nd-oxide' formula: Formula 'Nd2Q3' column 4: unknown element symbol 'Q3'"),
    // `    form: oxyde`
    InvalidCase(
      code: "bad-enum", line: 7, column: 11,
      message: "Material 'nd-oxide' form must be one of ore, concentrate, intermediate, oxide, metal, alloy, magnet, component, reagent, waste; got 'oxyde'.",
      alternatives: ["oxide", "ore", "concentrate", "intermediate", "metal", "alloy", "magnet", "component", "reagent", "waste"]),
    // The second `  - id: plant` (line 15).
    InvalidCase(code: "duplicate-id", line: 15, column: 5, message: "Site id 'plant' is used more than once; ids must be unique."),
    // `    site: plnt`
    InvalidCase(
      code: "unknown-reference", line: 19, column: 11, message: "Unknown site 'plnt'. Known sites: 'plant'.", alternatives: ["plant"]),
    // `    outputs: {nd-metal: 1}` with losses: none and 1 kg Nd2O3 per kg Nd.
    InvalidCase(
      code: "recipe-unbalanced", line: 23, column: 5,
      message: "Recipe of process 'reduction' does not conserve elements (Nd is created). State the losses (losses: rest, or losses per element) or correct the amounts. Per kg of 'nd-oxide':"),
    // `    ramp: {2026-01: 120 %}` — the value 120 % starts at column 21.
    InvalidCase(
      code: "out-of-range", line: 25, column: 21, message: "Process 'reduction' ramp fraction must be in 0...100 %; got 120 %."),
    // `    assay: {Nd2O3: 80 %, Nd: 30 %}` — 80 % + 30 % = 110 %, whatever the compound's split.
    InvalidCase(
      code: "composition-over-one", line: 11, column: 5,
      message: "Material 'nd-metal' element mass fractions must sum to at most 100 %; they sum to 110 %."),
    // `variants:` at line 25; the scenario defines only 'long'.
    InvalidCase(
      code: "unknown-variant", variant: "lnog", line: 25, column: 1,
      message: "Variant 'lnog' is not defined. Known variants: 'long'.", alternatives: ["long"]),
    // `      processes/reductoin/capacity: 600 t/yr` — the key starts at column 7.
    InvalidCase(
      code: "variant-path", variant: "bigger", line: 28, column: 7,
      message: "Variant path 'processes/reductoin/capacity' (set) must name an existing entry; 'reductoin' does not exist under 'processes'. Existing: 'reduction'.",
      alternatives: ["reduction"]),
    // `    principal: market` — no link from market to plant (and none back).
    InvalidCase(
      code: "no-route", line: 27, column: 16, message: "Agreement 'toll': no link carries 'nd-oxide' from 'market' to 'plant'.",
      severity: .warning),
    // `    earliest-start: 2026-09` — the value starts at column 21; 2026-09 + 6 months is after 2026-12.
    InvalidCase(
      code: "candidate-unbuildable", line: 38, column: 21,
      message: "Candidate 'reduction-expansion' can never operate within the scenario: construction from 2026-09 plus 6 months lead time ends after the last month 2026-12.",
      severity: .warning),
  ]

  @Test(arguments: cases) func reportsMessageLineAndColumn(_ c: InvalidCase) throws {
    let file = "invalid/\(c.code).yaml"
    let (scenario, d) = try decodeFixture(file, variant: c.variant)
    // Only diagnostics of the fixture's kind: nothing spurious follows from the one mistake.
    #expect(Set(d.items.map(\.code)) == [c.code], "\(d)")
    let hit = d.items.first { $0.location?.line == c.line && $0.location?.column == c.column }
    let x = try #require(hit, "no \(c.code) at \(c.line):\(c.column) in\n\(d)")
    #expect(x.location?.file == file)
    #expect(x.severity == c.severity)
    if c.code == "recipe-unbalanced" {
      #expect(x.message.hasPrefix(c.message), "\(x.message)")
    } else {
      #expect(x.message == c.message)
    }
    if let alts = c.alternatives { #expect(x.alternatives == alts) }
    #expect((scenario == nil) == (c.severity == .error))
  }

  @Test func everyCodeAFileCanRaiseHasAFixture() {
    // 'unused' is declared for later use; nothing in the format or validation emits it yet.
    // 'cascade-design' comes from ScenarioLink (it designs the cascade); ScenarioLinkTests holds
    // its located cases.
    let fromFiles = DiagnosticCode.all.map(\.code).filter { $0 != "unused" && $0 != "cascade-design" }
    #expect(Set(InvalidFixtures.cases.map(\.code)) == Set(fromFiles))
    for code in fromFiles {
      #expect(FileManager.default.fileExists(atPath: fixtureURL("invalid/\(code).yaml").path), "\(code)")
    }
  }

  @Test func recipeUnbalancedPrintsTheElementTable() throws {
    let (_, d) = try decodeFixture("invalid/recipe-unbalanced.yaml")
    let x = try #require(d.items.first)
    let rows = x.message.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    #expect(rows.dropFirst().first == ["element", "in", "(kg/kg)", "out", "(kg/kg)", "lost", "(kg/kg)", "stated", "loss"])
    let nd = try #require(rows.first { $0.first == "Nd" })
    // Per kg Nd2O3: Nd in = 2·144.242 / (2·144.242 + 3·15.999) = 288.484 / 336.481 = 0.857356;
    // out = 1 kg Nd; lost = in − out = −0.142644; stated loss 0 (losses: none).
    #expect(approx(try #require(Double(nd[1])), 288.484 / 336.481, rel: 1e-5))
    #expect(try #require(Double(nd[2])) == 1)
    #expect(approx(try #require(Double(nd[3])), 288.484 / 336.481 - 1, rel: 1e-5))
    #expect(nd[4] == "0")
  }

  @Test func statedLossFractionsBalance() throws {
    // Nd in per kg of Nd2O3 is 0.857356 kg (above); an output of 0.8 kg Nd loses 0.057356 kg,
    // i.e. 6.6899 % of the input. Stating 6.6899 % balances within 1e-6 only if stated to ≥ 5 digits.
    func decode(_ loss: String) -> Diagnostics {
      let text = (try? fixtureText("valid/minimal.yaml")) ?? ""
      let t = text.replacingOccurrences(of: "inputs: {nd-oxide: 1.1664}", with: "inputs: {nd-oxide: 1}")
        .replacingOccurrences(of: "outputs: {nd-metal: 1}", with: "outputs: {nd-metal: 0.8}")
        .replacingOccurrences(of: "losses: rest", with: "losses: {Nd: \(loss)}")
      return ScenarioDecoder().decode(text: t, file: "l.yaml").1
    }
    let exact = (288.484 / 336.481 - 0.8) / (288.484 / 336.481) * 100
    #expect(decode(formatNumber(exact, significantDigits: 9) + " %").items.isEmpty)
    #expect(decode("5 %").items.map(\.code) == ["recipe-unbalanced"])
  }
}

@Suite struct AllAtOnce {
  /// Five independent mistakes, one per line, all reported, in file order.
  @Test func collectsEveryDiagnosticInLineOrder() throws {
    let text = try fixtureText("valid/minimal.yaml")
      .replacingOccurrences(of: "start: 2026-01", with: "start: 2026-13")
      .replacingOccurrences(of: "form: oxide", with: "form: oxid")
      .replacingOccurrences(of: "  - id: market\n    country: IN", with: "  - id: market\n    country: India")
      .replacingOccurrences(of: "site: plant", with: "site: plnt")
      .replacingOccurrences(of: "capacity: 500 t/yr", with: "capacity: 500 tons/yr")
    let (s, d) = ScenarioDecoder().decode(text: text, file: "many.yaml")
    #expect(s == nil)
    #expect(d.items.map(\.code) == ["bad-month", "bad-enum", "bad-enum", "unknown-reference", "bad-quantity"])
    #expect(d.items.compactMap(\.location?.line) == [3, 7, 16, 19, 21])
    #expect(d.items[4].message.hasPrefix("Process 'reduction' capacity: Unknown unit 'tons'. Known units: %, ppm, mg, g, kg, t,"))
  }

  @Test func negativeCapacityIsReportedInTheFileUnit() throws {
    let text = try fixtureText("valid/minimal.yaml").replacingOccurrences(of: "capacity: 500 t/yr", with: "capacity: -5 t/yr")
    let (_, d) = ScenarioDecoder().decode(text: text, file: "c.yaml")
    #expect(d.items.map(\.code) == ["out-of-range"])
    #expect(d.items.first?.message == "Process 'reduction' capacity must be ≥ 0; got -5 t/yr.")
    #expect(d.items.first?.location?.line == 21 && d.items.first?.location?.column == 15)
  }

  @Test func duplicateKeyPointsAtTheRepeat() throws {
    let text = try fixtureText("valid/minimal.yaml").replacingOccurrences(of: "    stage: metal\n", with: "    stage: metal\n    stage: alloy\n")
    let (_, d) = ScenarioDecoder().decode(text: text, file: "k.yaml")
    #expect(d.items.map(\.code) == ["yaml-syntax"])
    #expect(d.items.first?.message == "Keys in a mapping must be unique; 'stage' appears more than once (first at line 20).")
    #expect(d.items.first?.location?.line == 21 && d.items.first?.location?.column == 5)
  }

  @Test(arguments: [("1.5 months", "1.5"), ("0.1 yr", "1.2")])
  func leadTimeMustBeWholeMonths(_ text: String, _ months: String) throws {
    // 0.1 yr = 1.2 months (a month is a twelfth of a year).
    let file = try fixtureText("valid/small-chain.yaml").replacingOccurrences(of: "lead-time: 2 months", with: "lead-time: \(text)")
    let (_, d) = ScenarioDecoder().decode(text: file, file: "m.yaml")
    #expect(d.items.map(\.code) == ["out-of-range"])
    #expect(d.items.first?.message == "Link 'in-to-jp' lead-time must be a whole number of months; got \(months) months.")
  }

  @Test func periodsMustNotEndBeforeTheyStart() throws {
    // The licence runs from 2025-04; an 'until' of 2024-11 is before it.
    let text = try fixtureText("valid/small-chain.yaml").replacingOccurrences(of: "until: 2026-11", with: "until: 2024-11")
    let (_, d) = ScenarioDecoder().decode(text: text, file: "p.yaml")
    #expect(d.items.map(\.code) == ["out-of-range"])
    #expect(d.items.first?.message == "Policy 'cn-licence' until must not be before from (2025-04); got 2024-11.")
    let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("until: 2024-11") })
    #expect(d.items.first?.location?.line == line + 1 && d.items.first?.location?.column == 12)
  }

  @Test func consequencesOfADecodingErrorAreNotReported() throws {
    // A misspelt 'input' leaves the agreement without an input: the unknown key and the missing
    // key are reported, not "no link carries ''" or an unknown material ''.
    let text = try fixtureText("valid/small-chain.yaml").replacingOccurrences(of: "    input: nd-oxide\n", with: "    inptu: nd-oxide\n")
    let (_, d) = ScenarioDecoder().decode(text: text, file: "a.yaml")
    #expect(d.items.map(\.code).sorted() == ["missing-key", "unknown-key"], "\(d)")
  }

  @Test func duplicateIdIsReportedEvenWhenTheRepeatIsIncomplete() throws {
    // The second 'jp-to-in' link has no 'from': both the missing key and the duplicate are
    // reported, at the second link (the line after 'cn-to-in' ends), nothing about site ''.
    let text = try fixtureText("valid/small-chain.yaml").replacingOccurrences(
      of: "    lead-time: 3 months\n", with: "    lead-time: 3 months\n  - id: jp-to-in\n    to: in-market\n    lead-time: 1 month\n")
    let (_, d) = ScenarioDecoder().decode(text: text, file: "dup.yaml")
    #expect(d.items.map(\.code).sorted() == ["duplicate-id", "missing-key"], "\(d)")
    let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).lastIndex { $0 == "  - id: jp-to-in" })
    #expect(d.items.allSatisfy { $0.location?.line == line + 1 && $0.location?.column == 5 })
  }

  @Test func aMissingSectionIsOneErrorNotOnePerReference() throws {
    // Without 'sites:' the site list reads as part of 'materials'; the references to sites that
    // no longer exist are not repeated once per reference.
    let text = try fixtureText("valid/minimal.yaml").replacingOccurrences(of: "sites:\n", with: "")
    let (_, d) = ScenarioDecoder().decode(text: text, file: "s.yaml")
    #expect(!d.items.contains { $0.code == "unknown-reference" }, "\(d)")
    #expect(d.items.contains { $0.code == "missing-key" && $0.message == "The scenario must have 'sites' (Sites); it is missing." })
  }

  @Test func quotedFormulaColumnCountsTheQuote() throws {
    let text = try fixtureText("invalid/bad-formula.yaml").replacingOccurrences(of: "formula: Nd2Q3", with: "formula: \"Nd2Q3\"")
    let (_, d) = ScenarioDecoder().decode(text: text, file: "q.yaml")
    // `    formula: "Nd2Q3"`: the quote is column 14, so 'Q' is column 18.
    #expect(d.items.first?.location?.column == 18)
  }

  @Test func demandIntensityMustMatchItsEndUnit() throws {
    let text = try fixtureText("valid/small-chain.yaml").replacingOccurrences(of: "intensity: 0.6 t/MW", with: "intensity: 0.6 kg/vehicle")
    let (_, d) = ScenarioDecoder().decode(text: text, file: "d.yaml")
    #expect(d.items.map(\.code) == ["bad-quantity"])
    #expect(d.items.first?.message == "Demand 'india-wind' intensity must be per 'MW' like its units; got '0.6 kg/vehicle'.")
    #expect(d.items.first?.alternatives == ["t/MW"])
  }
}

@Suite struct Rendering {
  @Test func caretSitsUnderTheColumn() throws {
    let file = "invalid/bad-quantity.yaml"
    let text = try fixtureText(file)
    let (_, d) = ScenarioDecoder().decode(text: text, file: file)
    let out = DiagnosticRenderer(sources: [file: text]).render(d)
    let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[0] == "invalid/bad-quantity.yaml:21:15: error[bad-quantity]: Process 'reduction' capacity: Expected a mass rate (e.g. 450 t/yr); got '500'.")
    #expect(lines[1] == "   21 |     capacity: 500")
    // The caret is under the '5' of 500.
    let five = try #require(lines[1].firstIndex(of: "5").map { lines[1].distance(from: lines[1].startIndex, to: $0) })
    let caret = try #require(lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) })
    #expect(lines[1].hasPrefix("   21 | ") && five == caret)
  }

  @Test func alternativesAreListed() throws {
    let file = "invalid/unknown-reference.yaml"
    let text = try fixtureText(file)
    let out = DiagnosticRenderer(sources: [file: text]).render(try decodeFixture(file).1)
    #expect(out.hasSuffix("  valid choices: 'plant'\n"))
  }

  @Test func renderingIsDeterministic() throws {
    let file = "invalid/no-route.yaml"
    let text = try fixtureText(file)
    let a = DiagnosticRenderer(sources: [file: text]).render(try decodeFixture(file).1)
    let b = DiagnosticRenderer(sources: [file: text]).render(try decodeFixture(file).1)
    #expect(a == b && a.hasPrefix("invalid/no-route.yaml:26:5: warning[no-route]"))
  }
}

@Suite struct Variants {
  @Test func namesInFileOrder() throws {
    #expect(ScenarioDecoder.variantNames(text: try fixtureText("valid/small-chain.yaml")) == ["long-ban", "extra-policy"])
  }

  @Test func setAndRemoveEditTheTree() throws {
    let (base, _) = try decodeFixture("valid/small-chain.yaml")
    let (s0, d) = try decodeFixture("valid/small-chain.yaml", variant: "long-ban")
    #expect(d.items.isEmpty, "\(d)")
    let s = try #require(s0)
    #expect(base?.policies.count == 2 && s.policies.count == 1)
    let p = try #require(s.policies.first)
    #expect(p.id == "cn-licence" && p.until?.description == "2027-12")
    if case .ban = p.kind {} else { Issue.record("kind should be ban; got \(p.kind)") }
  }

  @Test func addAppendsEntities() throws {
    let (s, d) = try decodeFixture("valid/small-chain.yaml", variant: "extra-policy")
    #expect(d.items.isEmpty, "\(d)")
    #expect(s?.policies.map(\.id.rawValue) == ["cn-licence", "in-halt", "extra"])
    #expect(s?.policies.last?.elements == [.Nd])
  }

  @Test func errorsInAddedEntitiesPointIntoTheVariant() throws {
    let text = try fixtureText("valid/small-chain.yaml").replacingOccurrences(of: "elements: [Nd], from: 2027-01", with: "elements: [Nd], from: 2027-1")
    let (_, d) = ScenarioDecoder().decode(text: text, file: "v.yaml", variant: "extra-policy")
    #expect(d.items.map(\.code) == ["bad-month"])
    // The added policy is the line holding 'from: 2027-1}'; the bad month is located in it.
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let k = try #require(lines.firstIndex { $0.contains("from: 2027-1}") })
    let line = lines[k]
    #expect(d.items.first?.location?.line == k + 1)
    let col = try #require(line.range(of: "2027-1}").map { line.unicodeScalars.distance(from: line.startIndex, to: $0.lowerBound) + 1 })
    #expect(d.items.first?.location?.column == col)
  }

  @Test func baseIsCheckedWithEveryVariant() throws {
    // A variant that removes an agreement still named by a policy's exempt-agreements.
    let text = try fixtureText("valid/small-chain.yaml").replacingOccurrences(of: "policies/in-halt]", with: "agreements/tolling-jp]")
    let d = ScenarioDecoder().diagnoseWithVariants(text: text, file: "v.yaml")
    #expect(d.items.map(\.code) == ["unknown-reference"])
    #expect(d.items.first?.message == "In variant 'long-ban': Unknown agreement 'tolling-jp'. The scenario defines no agreements.")
  }
}

@Suite struct Schema {
  func schema() throws -> [String: Any] {
    let obj = try JSONSerialization.jsonObject(with: Data(ScenarioSchema.json.utf8))
    return try #require(obj as? [String: Any])
  }

  @Test func isDraft2020JSONWithEverySectionKey() throws {
    let s = try schema()
    #expect(s["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    let props = try #require(s["properties"] as? [String: Any])
    // The top-level keys of the format as docs/scenario-format.md lists them.
    let documented = [
      "schema-version", "name", "description", "start", "months", "units", "elements", "materials", "sites", "processes",
      "links", "agreements", "policies", "demands", "reserves", "prices", "variants",
    ]
    for k in documented { #expect(props[k] != nil, "\(k)") }
    let defs = try #require(s["$defs"] as? [String: Any])
    // Keys of each section as the spec's example writes them (docs/scenario-format.md).
    let sectionKeys: [String: [String]] = [
      "material": ["id", "name", "form", "assay", "formula", "source"],
      "site": ["id", "name", "country", "owner", "stocks"],
      "process": [
        "id", "name", "site", "stage", "capacity", "capacity-basis", "inputs", "outputs", "losses", "commissioning",
        "decommissioning", "ramp", "outages",
      ],
      "link": ["id", "from", "to", "materials", "lead-time", "capacity", "cost"],
      "agreement": [
        "id", "principal", "processor", "return-to", "input", "output", "input-rate", "share-returned", "cash-fee", "start", "end",
      ],
      "policy": [
        "id", "name", "origin", "destinations", "kind", "approval", "delay", "quota", "elements", "materials", "forms",
        "de-minimis", "exempt-agreements", "from", "until",
      ],
      "demand": ["id", "sector", "site", "material", "units", "growth", "series", "intensity", "priority", "value"],
      "reserve": [
        "id", "site", "material", "target", "initial", "fill-rate", "floor", "release-to", "fill-from", "holding-cost",
      ],
      "price": ["material", "points"],
      "variant": ["name", "description", "set", "remove", "add"],
      "units": ["mass", "mass-rate"],
    ]
    for (section, keys) in sectionKeys.sorted(by: { $0.key < $1.key }) {
      let def = try #require(defs[section] as? [String: Any], "\(section)")
      let p = try #require(def["properties"] as? [String: Any])
      for k in keys {
        let entry = p[k] as? [String: Any]
        #expect(entry != nil, "\(section).\(k)")
        #expect((entry?["description"] as? String)?.isEmpty == false, "\(section).\(k) needs a description")
      }
      #expect(def["additionalProperties"] as? Bool == false)
    }
    let form = try #require(((defs["material"] as? [String: Any])?["properties"] as? [String: Any])?["form"] as? [String: Any])
    #expect(form["enum"] as? [String] == ["ore", "concentrate", "intermediate", "oxide", "metal", "alloy", "magnet", "component", "reagent", "waste"])
  }

  @Test func specExampleUsesOnlyKeysAndValuesTheDecoderKnows() throws {
    // The example in docs/scenario-format.md names sites and an agreement it does not define (it
    // is an excerpt), so reference, route and variant-path findings are expected; nothing about
    // keys, types, units or enums.
    let doc = try String(contentsOf: packageRoot.appendingPathComponent("docs/scenario-format.md"), encoding: .utf8)
    let start = try #require(doc.range(of: "```yaml\n"))
    let end = try #require(doc.range(of: "\n```", range: start.upperBound..<doc.endIndex))
    let yaml = String(doc[start.upperBound..<end.lowerBound])
    let d = ScenarioDecoder().diagnoseWithVariants(text: yaml, file: "spec.yaml")
    let allowed: Set<String> = ["unknown-reference", "no-route", "variant-path"]
    #expect(d.items.filter { !allowed.contains($0.code) }.isEmpty, "\(d)")
  }
}

@Suite struct RoundTrip {
  @Test(arguments: ["valid/minimal.yaml", "valid/small-chain.yaml"])
  func decodeOfEncodeReproducesTheScenario(_ file: String) throws {
    let a = try #require(try decodeFixture(file).0)
    let text = ScenarioEncoder().encode(a)
    let (b0, d) = ScenarioDecoder().decode(text: text, file: "encoded.yaml")
    #expect(d.items.isEmpty, "\(d)\n\(text)")
    let b = try #require(b0)
    // Numbers are written to 15 significant digits: compare with rtol 1e-12.
    func eq(_ x: Double, _ y: Double) -> Bool { approx(x, y, rel: 1e-12, abs: 1e-15) }
    func eq(_ x: Double?, _ y: Double?) -> Bool { x == nil ? y == nil : (y.map { eq(x ?? 0, $0) } ?? false) }
    #expect(a.name == b.name && a.description == b.description && a.start == b.start && a.months == b.months)
    #expect(a.elements == b.elements)
    #expect(a.materials.count == b.materials.count)
    for (m, n) in zip(a.materials, b.materials) {
      #expect(m.id == n.id && m.name == n.name && m.form == n.form && m.formula?.text == n.formula?.text && m.source == n.source)
      #expect(m.composition.elements == n.composition.elements)
      for e in m.composition.elements { #expect(eq(m.composition.fraction(of: e), n.composition.fraction(of: e)), "\(m.id) \(e)") }
    }
    for (x, y) in zip(a.sites, b.sites) {
      #expect(x.id == y.id && x.name == y.name && x.country == y.country && x.owner == y.owner)
      #expect(x.initialStocks.map(\.material) == y.initialStocks.map(\.material))
      #expect(zip(x.initialStocks, y.initialStocks).allSatisfy { eq($0.mass, $1.mass) })
    }
    for (p, q) in zip(a.processes, b.processes) {
      #expect(p.id == q.id && p.site == q.site && p.stage == q.stage && p.reference == q.reference && eq(p.capacity, q.capacity))
      #expect(p.inputs.map(\.material) == q.inputs.map(\.material) && zip(p.inputs, q.inputs).allSatisfy { eq($0.amount, $1.amount) })
      #expect(p.outputs.map(\.material) == q.outputs.map(\.material) && zip(p.outputs, q.outputs).allSatisfy { eq($0.amount, $1.amount) })
      #expect(p.availability.commissioning == q.availability.commissioning)
      #expect(p.availability.ramp.map(\.month) == q.availability.ramp.map(\.month))
      #expect(zip(p.availability.ramp, q.availability.ramp).allSatisfy { eq($0.fraction, $1.fraction) })
      #expect(p.availability.outages.map(\.from) == q.availability.outages.map(\.from))
      #expect("\(p.losses)" == "\(q.losses)")
    }
    for (l, m) in zip(a.links, b.links) {
      #expect(l.id == m.id && l.from == m.from && l.to == m.to && l.materials == m.materials && l.leadTime == m.leadTime)
      #expect(eq(l.capacity, m.capacity) && eq(l.cost, m.cost))
    }
    for (x, y) in zip(a.agreements, b.agreements) {
      #expect(x.id == y.id && x.returnTo == y.returnTo && eq(x.inputRate, y.inputRate) && eq(x.shareReturned, y.shareReturned))
      #expect(eq(x.cashFee, y.cashFee) && x.start == y.start && x.end == y.end)
    }
    #expect(a.policies.map(\.id) == b.policies.map(\.id))
    for (x, y) in zip(a.policies, b.policies) {
      #expect(x.origin == y.origin && x.destinations == y.destinations && x.elements == y.elements && x.materials == y.materials)
      #expect(eq(x.deMinimis, y.deMinimis) && x.from == y.from && x.until == y.until && x.exemptAgreements == y.exemptAgreements)
      switch (x.kind, y.kind) {
      case (.ban, .ban): break
      case (.quota(let q), .quota(let r)): #expect(eq(q, r))
      case (.licence(let a1, let d1), .licence(let a2, let d2)): #expect(eq(a1, a2) && d1 == d2)
      default: Issue.record("policy \(x.id) kind changed")
      }
    }
    for (x, y) in zip(a.demands, b.demands) {
      #expect(x.id == y.id && x.sector == y.sector && x.endUnit == y.endUnit && eq(x.rate, y.rate) && eq(x.growth, y.growth))
      #expect(eq(x.intensity, y.intensity) && x.priority == y.priority && eq(x.valuePerUnit, y.valuePerUnit))
      #expect(x.series.map(\.month) == y.series.map(\.month) && zip(x.series, y.series).allSatisfy { eq($0.rate, $1.rate) })
    }
    for (x, y) in zip(a.reserves, b.reserves) {
      #expect(x.id == y.id && eq(x.target, y.target) && eq(x.fillRate, y.fillRate) && x.releaseTo == y.releaseTo && x.fillFrom == y.fillFrom)
      #expect(eq(x.holdingCost, y.holdingCost))
    }
    for (x, y) in zip(a.prices, b.prices) {
      #expect(x.material == y.material && x.currency == y.currency && x.points.map(\.month) == y.points.map(\.month))
      #expect(zip(x.points, y.points).allSatisfy { eq($0.perKg, $1.perKg) })
    }
    #expect(a.candidates.map(\.id) == b.candidates.map(\.id))
    for (x, y) in zip(a.candidates, b.candidates) {
      #expect(x.name == y.name && x.process == y.process && x.maxModules == y.maxModules && x.leadTime == y.leadTime && x.earliestStart == y.earliestStart)
      #expect(eq(x.moduleCapacity, y.moduleCapacity) && eq(x.capexPerModule, y.capexPerModule) && eq(x.fixedOpexPerModule, y.fixedOpexPerModule))
    }
    // The encoding is a fixed point: encoding the decoded text again gives the same bytes.
    #expect(ScenarioEncoder().encode(b) == text)
  }
}

@Suite struct CandidateFormat {
  @Test func candidatesDecodeInSIUnits() throws {
    let s = try #require(try decodeFixture("valid/small-chain.yaml").0)
    let c = try #require(s.candidates.first)
    // 500 t/yr = 500,000 kg / 31,557,600 s; 1.5 MUSD/yr = 1.5e6 USD / 31,557,600 s (Julian year).
    #expect(approx(c.moduleCapacity, 500_000 / 31_557_600, rel: 1e-12))
    #expect(approx(c.capexPerModule, 40e6, rel: 1e-12))
    #expect(approx(c.fixedOpexPerModule, 1.5e6 / 31_557_600, rel: 1e-12))
    #expect(c.leadTime == 12 && c.maxModules == 2 && c.earliestStart == YearMonth(ordinal: 2026 * 12 + 2))
  }

  @Test func capexInAnotherCurrencyIsRefused() throws {
    let text = try fixtureText("valid/small-chain.yaml").replacingOccurrences(of: "capex: 40 MUSD", with: "capex: 3300 MINR")
    let (s, d) = ScenarioDecoder().decode(text: text, file: "x.yaml")
    #expect(s == nil)
    #expect(d.items.map(\.code) == ["bad-quantity"])
    #expect(d.items.first?.message == "Candidate 'jp-line-expansion' capex must be in USD (plans are costed in USD); got INR.")
  }
}
