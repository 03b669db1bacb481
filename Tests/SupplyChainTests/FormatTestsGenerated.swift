import Chemistry

import Quantities
import ScenarioFormat
import SupplyChain
import Testing
import TestSupport

/// SplitMix64: a small seeded generator so every case is repeatable from its seed.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Round trip over generated scenarios: magnitudes over many decades (1e-3 … 1e7 t/yr,
/// fractions down to 1e-7), every policy kind, vehicle and MW demands.
@Suite struct GeneratedRoundTrip {
  static func scenario(seed: UInt64) -> Scenario {
    var g = SplitMix(state: seed)
    func mag(_ lo: Double, _ hi: Double) -> Double { exp10( Double.random(in: lo...hi, using: &g)) }
    let n = Int.random(in: 2...8, using: &g)
    let nd2o3 = (try? Formula("Nd2O3")) ?? Formula(atoms: [.Nd: 2, .O: 3])
    var materials: [Material] = []
    for k in 0..<n {
      let f = mag(-7, 0) * 0.5
      materials.append(
        k % 2 == 0
          ? Material(id: MaterialID("m\(k)"), name: "Material \(k) · test", form: .oxide, composition: Composition(formula: nd2o3), formula: nd2o3)
          : Material(id: MaterialID("m\(k)"), name: "M\(k)", form: .alloy, composition: Composition([.Nd: f, .Dy: f / 3, .Fe: 0.4])))
    }
    let sites = (0..<n).map { Site(id: SiteID("s\($0)"), name: "S\($0)", country: ["IN", "CN", "JP"][$0 % 3], owner: "o\($0)", initialStocks: [(MaterialID("m\($0)"), mag(0, 8))]) }
    let start = YearMonth(ordinal: 2026 * 12 + Int.random(in: 0...11, using: &g))
    var processes: [SupplyChain.Process] = []
    var links: [Link] = []
    var policies: [TradePolicy] = []
    var demands: [Demand] = []
    for k in 0..<n {
      // A process keeps its material (losing a share of it), so every recipe balances with losses: rest.
      let a = MaterialID("m\(k)"), b = a
      processes.append(
        SupplyChain.Process(
          id: ProcessID("p\(k)"), name: "P\(k)", site: SiteID("s\(k)"), stage: Stage.allCases[k % Stage.allCases.count], reference: a,
          inputs: [RecipeTerm(material: a, amount: 1)], outputs: [RecipeTerm(material: b, amount: mag(-3, 0))], losses: .rest,
          capacity: mag(0, 10) / secondsPerYear,
          availability: Availability(commissioning: start.adding(months: -3), ramp: [(start, mag(-2, 0)), (start.adding(months: 15), 1)])))
      links.append(Link(id: LinkID("l\(k)"), from: SiteID("s\(k)"), to: SiteID("s\((k + 1) % n)"), leadTime: k % 4, capacity: k % 2 == 0 ? mag(0, 9) / secondsPerYear : nil, cost: mag(-1, 2)))
      let kind: TradePolicy.Kind = [TradePolicy.Kind.ban, .quota(mag(0, 8) / secondsPerYear), .licence(approval: mag(-3, 0), delay: k % 5)][k % 3]
      policies.append(TradePolicy(id: PolicyID("pol\(k)"), name: "Pol \(k)", kind: kind, origin: "CN", elements: [.Dy, .Tb], deMinimis: mag(-5, -2), from: start, until: k % 2 == 0 ? start.adding(months: 30) : nil))
      let mw = k % 2 == 1
      demands.append(
        Demand(
          id: DemandID("d\(k)"), sector: Sector.allCases[k % Sector.allCases.count], site: SiteID("s\(k)"), material: a, endUnit: mw ? "MW" : "vehicle",
          rate: mag(1, 6) / secondsPerYear, growth: mag(-3, -0.5), intensity: mag(-1, 3), priority: 1 + k % 3, valuePerUnit: mw ? nil : mag(2, 5)))
    }
    return Scenario(
      name: "gen-\(seed)", description: "Generated: \"quotes\", colons: and unicode – ok", start: start, months: Int.random(in: 1...120, using: &g),
      materials: materials, sites: sites, processes: processes, links: links, policies: policies, demands: demands)
  }

  @Test(arguments: 0..<25) func roundTrips(_ seed: Int) throws {
    let a = GeneratedRoundTrip.scenario(seed: UInt64(seed))
    let text = ScenarioEncoder().encode(a)
    let (b0, d) = ScenarioDecoder().decode(text: text, file: "gen.yaml")
    #expect(!d.hasErrors, "seed \(seed): \(d)")
    let b = try #require(b0)
    // Written to 15 significant digits, then multiplied by unit factors: rtol 1e-12.
    func eq(_ x: Double, _ y: Double) -> Bool { approx(x, y, rel: 1e-12) }
    #expect(a.description == b.description && a.start == b.start && a.months == b.months && a.materials.map(\.name) == b.materials.map(\.name))
    for (m, n) in zip(a.materials, b.materials) {
      for e in m.composition.elements { #expect(eq(m.composition.fraction(of: e), n.composition.fraction(of: e)), "seed \(seed) \(m.id) \(e)") }
    }
    #expect(zip(a.sites, b.sites).allSatisfy { eq($0.initialStocks[0].mass, $1.initialStocks[0].mass) })
    #expect(zip(a.processes, b.processes).allSatisfy { eq($0.capacity, $1.capacity) && eq($0.outputs[0].amount, $1.outputs[0].amount) && eq($0.availability.ramp[0].fraction, $1.availability.ramp[0].fraction) && $0.stage == $1.stage })
    #expect(zip(a.links, b.links).allSatisfy { $0.leadTime == $1.leadTime && eq($0.capacity ?? -1, $1.capacity ?? -1) && eq($0.cost, $1.cost) })
    for (x, y) in zip(a.policies, b.policies) {
      #expect(eq(x.deMinimis, y.deMinimis) && x.until == y.until)
      switch (x.kind, y.kind) {
      case (.ban, .ban): break
      case (.quota(let q), .quota(let r)): #expect(eq(q, r))
      case (.licence(let p, let s), .licence(let q, let t)): #expect(eq(p, q) && s == t)
      default: Issue.record("seed \(seed): policy \(x.id) kind changed")
      }
    }
    #expect(zip(a.demands, b.demands).allSatisfy { $0.endUnit == $1.endUnit && eq($0.rate, $1.rate) && eq($0.growth, $1.growth) && eq($0.intensity, $1.intensity) && $0.sector == $1.sector && eq($0.valuePerUnit ?? -1, $1.valuePerUnit ?? -1) })
    #expect(ScenarioEncoder().encode(b) == text)
  }
}

/// 10^x without Foundation (whose `Process` would clash with the model's).
func exp10(_ x: Double) -> Double {
  var r = 1.0
  let whole = Int(x.rounded(.down))
  for _ in 0..<abs(whole) { r = whole > 0 ? r * 10 : r / 10 }
  // 10^f = e^(f·ln 10) for the fractional part, by its series (f < 1, so 30 terms suffice).
  let t = (x - Double(whole)) * 2.302585092994046
  var term = 1.0, sum = 1.0
  for k in 1..<30 {
    term *= t / Double(k)
    sum += term
  }
  return r * sum
}
