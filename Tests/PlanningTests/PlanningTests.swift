import Chemistry
import Optimization
import Planning
import Quantities
import Simulation
import SupplyChain
import Testing
import TestSupport

/// Small plans whose optima are worked out by hand in the comments.
@Suite struct PlanningHandSolved {
  static let start = YearMonth(ordinal: 2026 * 12)
  static let perMonth = 1.0 / secondsPerMonth
  static let nd = Material(id: "nd", name: "Nd metal", form: .metal, composition: Composition([.Nd: 1]))

  /// Source A makes up to 10 t/month; link A→B, lead 1 month, freight 5 USD/kg; B needs 12 t/month
  /// (priority 1, penalty 1e6 USD/t); holding 10 USD/t/month; 6 months.
  static func chain(policies: [TradePolicy] = [], country: String = "IN") -> Scenario {
    Scenario(
      name: "chain", start: start, months: 6, materials: [nd],
      sites: [Site(id: "a", name: "A", country: country, owner: "x"), Site(id: "b", name: "B", country: "IN", owner: "y")],
      processes: [Process(id: "mine", name: "Mine", site: "a", stage: .mining, reference: "nd", inputs: [], outputs: [RecipeTerm(material: "nd", amount: 1)], losses: .none, capacity: 10_000 * perMonth)],
      links: [Link(id: "ab", from: "a", to: "b", leadTime: 1, cost: 5)],
      policies: policies,
      demands: [Demand(id: "use", sector: .evTraction, site: "b", material: "nd", endUnit: "unit", rate: 12_000 * perMonth, intensity: 1)])
  }

  @Test func leastCostPlan() throws {
    let plan = try NetworkPlan(scenario: Self.chain())
    let r = try plan.solve(with: CBCSolver())
    #expect(r.termination.reason == .optimal)
    // As in the engine, a month's output ships the next month: A's 10 t of month t leaves in t+1 and
    // arrives in t+2. Months 0–1 get nothing (24 t unmet); months 2–5 get 10 t (2 t unmet each) → 32 t.
    // Output of months 4–5 would arrive after the horizon, so A ships 40 t in months 1–4: freight
    // 40 × 5,000 = 200,000 USD; A holds 10 t at the end of months 0–3: 40 t-months × 10 = 400 USD.
    // Objective 32 × 1e6 + 200,000 + 400.
    let unmet = r.demand[0].unmet
    #expect(approx(unmet[0], 12, rel: 1e-9) && approx(unmet[1], 12, rel: 1e-9))
    for t in 2..<6 { #expect(approx(unmet[t], 2, rel: 1e-9)) }
    #expect(approx(r.flows[0].values.reduce(0, +), 40, rel: 1e-9))
    #expect(r.flows[0].values[0] < 1e-9 && r.flows[0].values[5] < 1e-9)
    #expect(approx(r.freightCost, 200_000, rel: 1e-9))
    #expect(approx(r.holdingCost, 400, rel: 1e-9))
    #expect(approx(r.termination.objectiveValue ?? 0, 32e6 + 200_400, rel: 1e-9))
    #expect(r.maxBalanceResidual < 1e-9)
    // Shadow prices (USD/t, dual of each balance row): one more tonne at B in month 2 saves the
    // 1e6 penalty; one more tonne at A in month 0 ships in month 1 and saves 1e6 less the 5,000
    // freight and a month's holding (10).
    let prices = try #require(r.shadowPrices)
    let b = try #require(prices.first { $0.site == "b" }), a = try #require(prices.first { $0.site == "a" })
    #expect(approx(abs(b.values[2]), 1e6, rel: 1e-9))
    #expect(approx(abs(a.values[0]), 994_990, rel: 1e-9))
  }

  @Test func banHoldsStockUntilItEnds() throws {
    let ban = TradePolicy(id: "ban", name: "Ban", kind: .ban, origin: "CN", elements: [.Nd], from: Self.start, until: Self.start.adding(months: 2))
    let r = try NetworkPlan(scenario: Self.chain(policies: [ban], country: "CN")).solve(with: CBCSolver())
    // Departures in months 0–2 are banned: months 0–3 go unmet (48 t). A holds its 30 t of months 0–2,
    // ships it in month 3 (arriving in month 4) and month 3's 10 t in month 4 (arriving in month 5):
    // 40 t covers months 4 and 5 (24 t).
    let unmet = r.demand[0].unmet
    #expect(approx(unmet.reduce(0, +), 48, rel: 1e-9))
    #expect(unmet[4] < 1e-9 && unmet[5] < 1e-9)
    for t in 0..<3 { #expect(r.flows[0].values[t] < 1e-9) }
    #expect(r.maxBalanceResidual < 1e-9)
  }

  @Test func quotaCaps() throws {
    let q = TradePolicy(id: "q", name: "Quota", kind: .quota(3_000 * Self.perMonth), origin: "CN", elements: [.Nd])
    let r = try NetworkPlan(scenario: Self.chain(policies: [q], country: "CN")).solve(with: CBCSolver())
    // 12 t unmet in months 0–1, then 12 − 3 = 9 t in each of months 2–5: 60 t.
    #expect(approx(r.demand[0].unmet.reduce(0, +), 60, rel: 1e-9))
  }

  @Test func dependenceObjectivePrefersOtherOrigins() throws {
    // Two origins: CN (free freight) and JP (10 USD/kg); the cost objective buys from CN, the
    // dependence objective buys from JP.
    var s = Self.chain(country: "CN")
    s.sites.append(Site(id: "j", name: "J", country: "JP", owner: "z"))
    s.processes.append(Process(id: "jp", name: "JP", site: "j", stage: .mining, reference: "nd", inputs: [], outputs: [RecipeTerm(material: "nd", amount: 1)], losses: .none, capacity: 20_000 * Self.perMonth))
    s.links = [Link(id: "ab", from: "a", to: "b", leadTime: 1, cost: 0), Link(id: "jb", from: "j", to: "b", leadTime: 1, cost: 10)]
    let cost = try NetworkPlan(scenario: s).solve(with: CBCSolver())
    let dep = try NetworkPlan(scenario: s, options: PlanOptions(objective: .dependence(country: "CN"))).solve(with: CBCSolver())
    func total(_ r: PlanResult, _ link: LinkID) -> Double { r.flows.filter { $0.link == link }.reduce(0) { $0 + $1.values.reduce(0, +) } }
    // Cost: months 2–5 are served (months 0–1 cannot be); CN ships its 10 t/month in months 1–4 and
    // JP the other 2 t → 40 t and 8 t.
    #expect(approx(total(cost, "ab"), 40, rel: 1e-9))
    #expect(approx(total(cost, "jb"), 8, rel: 1e-9))
    // Dependence on CN: JP supplies all 12 t/month in months 1–4 and nothing comes from CN.
    #expect(total(dep, "ab") < 1e-9)
    #expect(approx(total(dep, "jb"), 48, rel: 1e-9))
    #expect(approx(dep.demand[0].unmet.reduce(0, +), 24, rel: 1e-9))
  }

  @Test func planIsNoWorseThanTheSimulation() throws {
    // The engine's flows are one feasible plan; the optimum serves at least as much demand.
    for seed in 0..<6 {
      var s = ScenarioGenerator(sites: 8, materials: 3, months: 24, policies: true, reserves: false, tolling: false).make(seed: UInt64(seed))
      s.policies = s.policies.filter { if case .licence = $0.kind { return false } else { return true } }
      let sim = try SimulationEngine(scenario: s).run()
      let plan = try NetworkPlan(scenario: s, options: PlanOptions(objective: .unmet)).solve(with: CBCSolver())
      #expect(plan.termination.reason == .optimal)
      let simUnmet = sim.demands.reduce(0.0) { $0 + $1.unmet.reduce(0, +) } / 1000
      let planUnmet = plan.demand.reduce(0.0) { $0 + $1.unmet.reduce(0, +) }
      #expect(planUnmet <= simUnmet * (1 + 1e-6) + 1e-6, "seed \(seed): plan \(planUnmet) t vs simulation \(simUnmet) t")
      #expect(plan.maxBalanceResidual < 1e-9, "seed \(seed)")
    }
  }
}
