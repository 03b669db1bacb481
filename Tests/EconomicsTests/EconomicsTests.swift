import Chemistry
import Economics
import Quantities
import Simulation
import SupplyChain
import Testing
import TestSupport

@Suite struct InvestmentMeasures {
  // numpy-financial's documented example: npf.irr([-100, 39, 59, 55, 20]) = 0.28095 (28.09 %).
  @Test func irrMatchesNumpyFinancial() throws {
    let r = try #require(Investment.irr(flows: [-100, 39, 59, 55, 20]))
    #expect(abs(r - 0.2809484211599611) < 1e-9)
    #expect(abs(Investment.npv(rate: r, flows: [-100, 39, 59, 55, 20])) < 1e-8)
  }

  // By hand: −1000 + 300/1.1 + 400/1.21 + 500/1.331 = −21.04 (to 0.01).
  @Test func npvByHand() {
    let v = Investment.npv(rate: 0.10, flows: [-1000, 300, 400, 500])
    #expect(abs(v - (-1000 + 300 / 1.1 + 400 / 1.21 + 500 / 1.331)) < 1e-9)
    #expect(abs(v - (-21.036814425244) ) < 1e-9)
  }

  // Monthly periods: 12 % per year is 0.9489 % per month; NPV of [-100, 101] is −100 + 101/1.009489.
  @Test func monthlyPeriods() {
    let v = Investment.npv(rate: 0.12, flows: [-100, 101], periodsPerYear: 12)
    let r = 1.12.squareRootOfPower12()
    #expect(abs(v - (-100 + 101 / (1 + r))) < 1e-12)
  }

  // Payback by hand: cumulative −1000, −700, −300, +200 → 2 + 300/500 = 2.6 periods.
  @Test func paybackInterpolates() throws {
    #expect(try #require(Investment.payback(flows: [-1000, 300, 400, 500])) == 2.6)
    #expect(Investment.payback(flows: [-1000, 100, 100]) == nil)
    // Discounted at 10 %: −1000, +272.73, +330.58, +375.66 never recovers within 3 periods.
    #expect(Investment.payback(flows: [-1000, 300, 400, 500], rate: 0.10) == nil)
  }

  @Test func noSignChangeNoIRR() {
    #expect(Investment.irr(flows: [100, 20, 30]) == nil)
    // Two sign changes: −100, +230, −132 has IRRs 10 % and 20 % (roots of −100 + 230x − 132x²).
    let roots = Investment.irrRoots(flows: [-100, 230, -132])
    #expect(roots.count == 2)
    #expect(abs(roots[0] - 0.10) < 1e-9 && abs(roots[1] - 0.20) < 1e-9)
  }

  @Test func cashFlowFileErrorsAreLocated() {
    do {
      _ = try CashFlowTable.parse(csv: "period,cash_flow\n0,-100\n1,abc\n", file: "f.csv")
      Issue.record("expected an error")
    } catch {
      #expect(error.line == 3 && error.column == 2)
      #expect(error.description == "f.csv:3:2: cash_flow must be a number; got 'abc'.")
    }
    #expect(throws: CashFlowError.self) { try CashFlowTable.parse(csv: "year,value\n", file: "g.csv") }
  }
}

extension Double {
  fileprivate func squareRootOfPower12() -> Double {
    var lo = 0.0, hi = 1.0
    for _ in 0..<200 {
      let m = (lo + hi) / 2
      var p = 1.0
      for _ in 0..<12 { p *= 1 + m }
      if p < self { lo = m } else { hi = m }
    }
    return lo
  }
}

@Suite struct ValueAndDependence {
  static let start = YearMonth(ordinal: 2026 * 12)
  static let perMonth = 1.0 / secondsPerMonth

  /// India makes 10 t/month of oxide; Japan converts oxide 1:0.8 to magnets and ships them to
  /// India; China ships 30 t/month of magnets to India too. Prices: oxide 80 USD/kg, magnet 150.
  static func scenario() throws -> Scenario {
    let oxide = Material(id: "ox", name: "Nd2O3", form: .oxide, composition: Composition(formula: try Formula("Nd2O3")))
    let magnet = Material(id: "mag", name: "Magnet", form: .magnet, composition: Composition([.Nd: 0.3]))
    return Scenario(
      name: "value", start: start, months: 12, materials: [oxide, magnet],
      sites: [
        Site(id: "in", name: "IN", country: "IN", owner: "IREL"), Site(id: "jp", name: "JP", country: "JP", owner: "P"),
        Site(id: "cn", name: "CN", country: "CN", owner: "C"), Site(id: "mkt", name: "Market", country: "IN", owner: "M"),
      ],
      processes: [
        Process(id: "sx", name: "SX", site: "in", stage: .separation, reference: "ox", inputs: [], outputs: [RecipeTerm(material: "ox", amount: 1)], losses: .none, capacity: 10_000 * perMonth),
        Process(id: "jpmag", name: "JP magnets", site: "jp", stage: .magnet, reference: "ox", inputs: [RecipeTerm(material: "ox", amount: 1)], outputs: [RecipeTerm(material: "mag", amount: 0.8)], losses: .rest, capacity: 1e6 * perMonth),
        Process(id: "cnmag", name: "CN magnets", site: "cn", stage: .magnet, reference: "mag", inputs: [], outputs: [RecipeTerm(material: "mag", amount: 1)], losses: .none, capacity: 30_000 * perMonth),
      ],
      links: [Link(id: "in-jp", from: "in", to: "jp", leadTime: 0), Link(id: "jp-mkt", from: "jp", to: "mkt", leadTime: 0), Link(id: "cn-mkt", from: "cn", to: "mkt", leadTime: 0)],
      demands: [Demand(id: "ev", sector: .evTraction, site: "mkt", material: "mag", endUnit: "vehicle", rate: 1e9 * perMonth, intensity: 1.5)],
      prices: [
        PriceSeries(material: "ox", currency: "USD", points: [(start, 80)]), PriceSeries(material: "mag", currency: "USD", points: [(start, 150)]),
      ])
  }

  @Test func valueAddedByHand() throws {
    let s = try Self.scenario()
    let r = try SimulationEngine(scenario: s).run()
    let rows = ValueAnalysis(scenario: s, result: r).valueAdded()
    // Japan's magnet stage: each kg of oxide (80 USD) becomes 0.8 kg magnet (120 USD): +40 USD per kg oxide.
    let jp = try #require(rows.first { $0.stage == .magnet && $0.country == "JP" })
    let converted = r.processes[1].activity.reduce(0, +)
    #expect(converted > 0)
    #expect(approx(jp.valueAdded, converted * 40, rel: 1e-12))
    // India's separation stage: a source, so its value added is its output value: 10 t × 12 × 80 USD/kg.
    let india = try #require(rows.first { $0.stage == .separation && $0.country == "IN" })
    #expect(approx(india.valueAdded, 10_000 * 12 * 80, rel: 1e-9))
  }

  @Test func ladderFollowsTheChain() throws {
    let s = try Self.scenario()
    let r = try SimulationEngine(scenario: s).run()
    let ladder = ValueAnalysis(scenario: s, result: r).ladder(from: "ox", month: Self.start)
    #expect(ladder.map(\.material) == ["ox", "mag"])
    #expect(approx(ladder[1].massPerKgStart, 0.8, rel: 1e-15))
    #expect(approx(ladder[1].valuePerKgStart ?? 0, 120, rel: 1e-15))
  }

  @Test func dependenceAndCRMA() throws {
    let s = try Self.scenario()
    let r = try SimulationEngine(scenario: s).run()
    let dep = ValueAnalysis(scenario: s, result: r).dependence(of: "IN")
    let magnets = try #require(dep.first { $0.stage == .magnet })
    // Per month India receives 8 t of magnets from Japan (10 t oxide × 0.8) and 30 t from China:
    // China's share is 30/38 = 78.9 % > 65 %, so the magnet stage fails the CRMA benchmark.
    let cn = try #require(magnets.suppliers.first { $0.country == "CN" })
    let jp = try #require(magnets.suppliers.first { $0.country == "JP" })
    #expect(approx(cn.mass / (cn.mass + jp.mass), cn.share, rel: 1e-12))
    #expect(abs(cn.share - 30.0 / 38.0) < 0.02)  // the first month's oxide is still in Japan's pipeline
    #expect(!magnets.passesCRMA)
    #expect(approx(magnets.hhi, (cn.share * cn.share + jp.share * jp.share) * 10_000, rel: 1e-12))
    let oxide = try #require(dep.first { $0.stage == .separation })
    #expect(oxide.passesCRMA && oxide.suppliers.count == 1)
    let bill = ValueAnalysis(scenario: s, result: r).importBill(country: "IN")
    let cnBill = bill.filter { $0.origin == "CN" }.reduce(0.0) { $0 + $1.value }
    #expect(approx(cnBill, cn.mass * 150, rel: 1e-12))
  }
}
