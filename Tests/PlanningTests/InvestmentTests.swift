import CCoinOR
import Chemistry
import Foundation
import Optimization
import Planning
import Quantities
import Simulation
import SupplyChain
import Testing
import TestSupport

/// Investments, tolling, reserves, share caps, Pareto sweeps, hard demand and the stress test on
/// networks small enough to solve by hand (each optimum is worked out in the comments).
@Suite struct PlanningInvestments {
  static let start = PlanningHandSolved.start
  static let perMonth = PlanningHandSolved.perMonth

  /// The hand-solved chain (mine 10 t/month → B needs 12 t/month, lead 1, freight 5 USD/kg, 6 months)
  /// with a candidate expansion of the mine: 2 t/month modules, lead time 2 months.
  static func chainWithCandidate(capex: Double, opexPerYear: Double = 0, earliest: Int = 0, maxModules: Int = 3) -> Scenario {
    var s = PlanningHandSolved.chain()
    s.candidates = [
      Candidate(
        id: "mine-expansion", name: "Mine expansion", process: "mine", moduleCapacity: 2_000 * perMonth, maxModules: maxModules,
        capexPerModule: capex, fixedOpexPerModule: opexPerYear / secondsPerYear, leadTime: 2, earliestStart: start.adding(months: earliest))
    ]
    return s
  }

  @Test func buildsWhenCapexIsBelowThePenaltyItSaves() throws {
    // Without candidates (PlanningHandSolved.leastCostPlan): 32 t unmet, objective 32,200,400.
    // One module started in month 0 operates from month 2; its output of months 2–3 ships in months
    // 3–4 and arrives in 4–5 (later output would arrive after the horizon): 4 t less unmet, worth
    // 4e6 USD. Unmet 28 t; freight 44 t × 5,000 = 220,000; A holds 10, 10, 12, 12 t at the end of
    // months 0–3 (440 USD); capex 3e6. Objective 28e6 + 220,440 + 3e6 = 31,220,440 < 32,200,400.
    // A second module would add nothing (the gap is 2 t/month); a start in month 1 saves only 2 t.
    let plan = try NetworkPlan(scenario: Self.chainWithCandidate(capex: 3e6))
    #expect(plan.model.hasIntegerVariables)
    let r = try plan.solve(with: CBCSolver())
    #expect(r.termination.reason == .optimal)
    #expect(r.builds == [PlanBuild(candidate: "mine-expansion", process: "mine", start: Self.start, operating: Self.start.adding(months: 2), modules: 1, capacity: 2_000 * Self.perMonth, capex: 3e6)])
    #expect(approx(r.termination.objectiveValue ?? 0, 31_220_440, rel: 1e-9))
    #expect(approx(r.totalUnmet, 28, rel: 1e-9))
    #expect(approx(r.investmentCost, 3e6, rel: 1e-12))
    #expect(approx(r.totalCost, 31_220_440, rel: 1e-9))
    #expect(r.maxBalanceResidual < 1e-9)
  }

  @Test func doesNotBuildWhenCapexExceedsTheSaving() throws {
    // Capex 5e6 > the 4e6 − 20,040 a module saves: the plan is the one without candidates, 32,200,400.
    let r = try NetworkPlan(scenario: Self.chainWithCandidate(capex: 5e6)).solve(with: CBCSolver())
    #expect(r.builds.isEmpty)
    #expect(approx(r.termination.objectiveValue ?? 0, 32_200_400, rel: 1e-9))
    #expect(r.maxBalanceResidual < 1e-9)
  }

  @Test func startsJustInTimeWhenOpexRuns() throws {
    // Demand 10 t/month in months 0–4, 12 t/month from month 5 (8 months). Months 0–1 cannot be
    // served; the mine's 10 t of months 0–5 serves months 2–7 up to 10 t; months 5–7 lack 2 t each,
    // which must be made in months 3–5, so a module must operate from month 3: started in month 1.
    // Starting in month 0 would add a month of fixed opex (1,000 USD/month); month 2 would leave
    // month 5 short (2e6). Objective: unmet 20 t × 1e6 + freight 66 t × 5,000 + holding (A ends
    // months 0–2 with 10 t and 3–5 with 12 t: 66 t-months × 10) + capex 1e6 + opex 5 × 1,000 = 21,335,660.
    var s = Self.chainWithCandidate(capex: 1e6, opexPerYear: 12_000)
    s.months = 8
    s.demands[0].series = [(Self.start, 10_000 * Self.perMonth), (Self.start.adding(months: 4), 10_000 * Self.perMonth), (Self.start.adding(months: 5), 12_000 * Self.perMonth)]
    let r = try NetworkPlan(scenario: s).solve(with: CBCSolver())
    #expect(r.builds.map(\.start) == [Self.start.adding(months: 1)])
    #expect(r.builds.first?.modules == 1)
    #expect(approx(r.termination.objectiveValue ?? 0, 21_335_660, rel: 1e-9))
    #expect(r.maxBalanceResidual < 1e-9)
  }

  @Test func discountingLowersTheInvestmentCost() throws {
    // At 12.68250301 %/yr the monthly factor is 1.01; the module of the first test is started in
    // month 0 (capex undiscounted), so only the objective's opex part would change, and there is none:
    // the investment cost is the same 3e6.
    let r = try NetworkPlan(scenario: Self.chainWithCandidate(capex: 3e6), options: PlanOptions(discountRate: 0.1268250301)).solve(with: CBCSolver())
    #expect(approx(r.investmentCost, 3e6, rel: 1e-9))
    // With the earliest start in month 1 the module operates from month 3 and saves 2 t (2e6 USD less
    // freight and holding), more than its 1.5e6 capex, which is paid a month later: 1.5e6 / 1.01.
    let late = try NetworkPlan(scenario: Self.chainWithCandidate(capex: 1.5e6, earliest: 1), options: PlanOptions(discountRate: 0.1268250301)).solve(with: CBCSolver())
    #expect(late.builds.map(\.start) == [Self.start.adding(months: 1)])
    #expect(approx(late.investmentCost, 1.5e6 / 1.01, rel: 1e-7))
  }

  @Test func mipWrittenToMPSAndReadByCBCGivesTheSameObjective() throws {
    let plan = try NetworkPlan(scenario: Self.chainWithCandidate(capex: 3e6))
    let ours = try plan.solve(with: CBCSolver())
    #expect(ours.builds.count == 1)
    let dir = try temporaryDirectory("plan-mps")
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("plan.mps")
    try plan.model.exportText(.freeMPS).write(to: url, atomically: true, encoding: .utf8)
    // CBC's reader and solver share global tables with every other solve: hold the COIN-OR lock.
    let back = try withCOINLock { () throws -> (read: Int32, integers: Int32, optimal: Bool, objective: Double) in
      guard let cbc = Cbc_newModel() else { throw OptimizationError.solverFailure("Cbc_newModel") }
      defer { Cbc_deleteModel(cbc) }
      Cbc_setLogLevel(cbc, 0)
      let read = Cbc_readMps(cbc, url.path)
      _ = Cbc_solve(cbc)
      return (read, Cbc_getNumIntegers(cbc), Cbc_isProvenOptimal(cbc) != 0, Cbc_getObjValue(cbc))
    }
    #expect(back.read == 0)
    #expect(Int(back.integers) == plan.model.variables.filter { plan.model.kind(of: $0) == .integer }.count)
    #expect(back.optimal)
    #expect(approx(back.objective, ours.termination.objectiveValue ?? .nan, rel: 1e-9))
  }

  // MARK: Tolling and reserves

  static let ox = Material(id: "ox", name: "Nd oxide", form: .oxide, composition: Composition(formula: Formula(atoms: [.Nd: 2, .O: 3])))
  static let mag = Material(id: "mag", name: "Magnet", form: .magnet, composition: Composition([.Nd: 0.3]))

  @Test func tollingReturnsTheShareAfterLeadTimeAndChargesTheFee() throws {
    // P (IN) mines 2 t/month of oxide; J (JP) turns 0.5 t oxide into 1 t magnet; the agreement
    // returns 70 % to the market M (IN) at 1 USD/kg; links P→J and J→M take 1 month, no freight.
    // Oxide made in month t ships in t+1, arrives and is converted in t+2 (4 t magnet); 2.8 t is owed
    // and returned, and the 1.2 t fee is J's to sell, both shipped in t+3 and arriving at M in t+4.
    // Oxide of months 0–1 serves months 4–5 with 4 t: unmet 60 − 8 = 52 t. Returns 2 × 2.8 = 5.6 t,
    // fee 5,600 USD. Holding at 10 USD/t-month: P's oxide 2 t × 2 months (40), J's magnet 4 t × 2
    // months (80), and what is owed: output is owed when the input arrives, so in month 3 J owes
    // 2.8 + 2.8 and returns all 4 t it holds; owed 2.8 t after month 2 and 1.6 t after month 3 (44).
    // Objective 52e6 + 5,600 + 164.
    let s = Scenario(
      name: "toll", start: Self.start, months: 6, materials: [Self.ox, Self.mag],
      sites: [Site(id: "p", name: "P", country: "IN", owner: "irel"), Site(id: "j", name: "J", country: "JP", owner: "partner"), Site(id: "m", name: "M", country: "IN", owner: "market")],
      processes: [
        Process(id: "mine", name: "Mine", site: "p", stage: .separation, reference: "ox", inputs: [], outputs: [RecipeTerm(material: "ox", amount: 1)], losses: .none, capacity: 2_000 * Self.perMonth),
        Process(id: "line", name: "Line", site: "j", stage: .magnet, reference: "mag", inputs: [RecipeTerm(material: "ox", amount: 0.5)], outputs: [RecipeTerm(material: "mag", amount: 1)], losses: .rest, capacity: 100_000 * Self.perMonth),
      ],
      links: [Link(id: "pj", from: "p", to: "j", leadTime: 1), Link(id: "jm", from: "j", to: "m", leadTime: 1)],
      agreements: [TollingAgreement(id: "toll", principal: "p", processor: "j", returnTo: "m", input: "ox", output: "mag", shareReturned: 0.7, cashFee: 1)],
      demands: [Demand(id: "use", sector: .evTraction, site: "m", material: "mag", endUnit: "unit", rate: 10_000 * Self.perMonth, intensity: 1)])
    let plan = try NetworkPlan(scenario: s)
    #expect(plan.purposes.contains(.tollingInput(0)) && plan.purposes.contains(.tollingReturn(0)))
    #expect(!zip(plan.channels, plan.purposes).contains { $0.0.link == "pj" && $0.0.material == "ox" && $0.1 == .trade })
    let r = try plan.solve(with: CBCSolver())
    #expect(r.termination.reason == .optimal)
    #expect(approx(r.totalUnmet, 52, rel: 1e-9))
    let ret = try #require(r.flows.indices.first { r.purposes[$0] == .tollingReturn(0) })
    #expect(approx(r.flows[ret].values.reduce(0, +), 5.6, rel: 1e-9))
    #expect(approx(r.tollingFees, 5_600, rel: 1e-9))
    #expect(approx(r.termination.objectiveValue ?? 0, 52e6 + 5_764, rel: 1e-9))
    #expect(approx(r.holdingCost, 164, rel: 1e-9) && approx(r.totalCost, 52e6 + 5_764, rel: 1e-9))
    #expect(r.maxBalanceResidual < 1e-9)
  }

  @Test func reserveReleasesAboveItsFloorOnlyToTheSectorsItCovers() throws {
    // M holds a 20 t reserve with a 5 t floor, no supply; EV demand 10 t/month (covered, priority 2)
    // and defence 3 t/month (not covered, priority 1) for 3 months. Only the 15 t above the floor
    // can be released, and only to EV: EV unmet 30 − 15 = 15 t, defence unmet 9 t, final level 5 t.
    let s = Scenario(
      name: "reserve", start: Self.start, months: 3, materials: [Self.mag],
      sites: [Site(id: "m", name: "M", country: "IN", owner: "market")],
      demands: [
        Demand(id: "ev", sector: .evTraction, site: "m", material: "mag", endUnit: "unit", rate: 10_000 * Self.perMonth, intensity: 1, priority: 2),
        Demand(id: "def", sector: .defence, site: "m", material: "mag", endUnit: "unit", rate: 3_000 * Self.perMonth, intensity: 1, priority: 1),
      ],
      reserves: [Reserve(id: "res", site: "m", material: "mag", target: 20_000, initial: 20_000, floor: 5_000, releaseTo: [.evTraction])])
    let r = try NetworkPlan(scenario: s).solve(with: CBCSolver())
    #expect(approx(r.demand[0].unmet.reduce(0, +), 15, rel: 1e-9))
    #expect(approx(r.demand[1].unmet.reduce(0, +), 9, rel: 1e-9))
    #expect(approx(r.reserves[0].level[2], 5, rel: 1e-9))
    #expect(approx(r.reserves[0].released.reduce(0, +), 15, rel: 1e-9))
    #expect(r.maxBalanceResidual < 1e-9)
  }

  // MARK: Share caps and Pareto

  /// Two origins as in `dependenceObjectivePrefersOtherOrigins`: CN free, JP at 10 USD/kg.
  static func twoOrigins() -> Scenario {
    var s = PlanningHandSolved.chain(country: "CN")
    s.sites.append(Site(id: "j", name: "J", country: "JP", owner: "z"))
    s.processes.append(Process(id: "jp", name: "JP", site: "j", stage: .metal, reference: "nd", inputs: [], outputs: [RecipeTerm(material: "nd", amount: 1)], losses: .none, capacity: 20_000 * perMonth))
    s.links = [Link(id: "ab", from: "a", to: "b", leadTime: 1, cost: 0), Link(id: "jb", from: "j", to: "b", leadTime: 1, cost: 10)]
    return s
  }

  @Test func paretoFrontierIsMonotoneAndMatchesTheHandSolution() throws {
    // Served demand is 48 t (months 2–5) at every point, since JP can supply it all. Cost optimum:
    // CN 40 t, JP 8 t → CN share 5/6, freight 80,000. Caps 5/12 and 0: CN 20 t (JP 28 t, 280,000)
    // and CN 0 (JP 48 t, 480,000); months 0–1's 24 t stay unmet throughout.
    let sweep = ParetoSweep(scenario: Self.twoOrigins(), options: PlanOptions(), country: "CN", form: .metal, points: 3)
    let pts = try sweep.run(with: CBCSolver())
    #expect(pts.count == 3)
    #expect(approx(pts[0].share, 5.0 / 6, rel: 1e-9))
    #expect(approx(pts[1].share, 5.0 / 12, rel: 1e-9))
    #expect(pts[2].share < 1e-9)
    let freight = pts.map(\.result.freightCost)
    for (f, want) in zip(freight, [80_000.0, 280_000, 480_000]) { #expect(approx(f, want, rel: 1e-9)) }
    for k in 1..<pts.count {
      #expect(pts[k].result.totalCost >= pts[k - 1].result.totalCost * (1 - 1e-9))
      #expect(pts[k].share <= pts[k - 1].share + 1e-9)
    }
    for p in pts { #expect(p.result.maxBalanceResidual < 1e-9) }
  }

  @Test func shareCapParses() throws {
    #expect(try ShareCap.parse("CN:50%").get() == ShareCap(country: "CN", form: .magnet, fraction: 0.5))
    #expect(try ShareCap.parse("cn:separation:0.25").get() == ShareCap(country: "CN", form: .oxide, fraction: 0.25))
    guard case .failure(let e) = ShareCap.parse("CN:150%") else { Issue.record("150 % accepted"); return }
    #expect(e.message == "--max-share share must be in 0...100 % (e.g. 50%); got '150%'.")
    guard case .failure(let f) = ShareCap.parse("CN:magnets:50%") else { Issue.record("'magnets' accepted"); return }
    #expect(f.message.hasPrefix("--max-share form must be one of "))
  }

  // MARK: Hard demand

  @Test func hardDemandNamesTheDemandMonthAndTheLimit() throws {
    // B opens with 24 t, enough for months 0–1; month 2 needs 12 t but the mine's 10 t of month 0
    // is all that can arrive: infeasible, limited by the mine's capacity.
    var s = PlanningHandSolved.chain()
    s.sites[1].initialStocks = [("nd", 24_000)]
    let plan = try NetworkPlan(scenario: s, options: PlanOptions(hardDemand: true))
    let solver = CBCSolver()
    #expect(try plan.solve(with: solver).termination.reason == .infeasible)
    let why = plan.explain(try solver.findConflict(in: plan.model))
    // The conflict may pool months (the opening stock could serve month 2 instead of month 0 or 1).
    #expect(why.demands.allSatisfy { $0.demand == "use" } && why.demands.contains { $0.month == Self.start.adding(months: 2) })
    #expect(why.causes == ["capacity of Mine"])
    #expect(why.summary.hasPrefix("demand of use in 2026-0"))
    #expect(why.summary.hasSuffix("cannot be met: capacity of Mine"))
  }

  @Test func hardDemandUnderABanNamesTheBan() throws {
    // Departures from CN are banned in months 0–2; B opens with 24 t (months 0–1). Month 2's demand
    // can only come from a month-1 departure, which the ban forbids.
    let ban = TradePolicy(id: "ban", name: "China export ban", kind: .ban, origin: "CN", elements: [.Nd], from: Self.start, until: Self.start.adding(months: 2))
    var s = PlanningHandSolved.chain(policies: [ban], country: "CN")
    s.sites[1].initialStocks = [("nd", 24_000)]
    let plan = try NetworkPlan(scenario: s, options: PlanOptions(hardDemand: true))
    let why = plan.explain(try CBCSolver().findConflict(in: plan.model))
    #expect(why.causes.contains("China export ban (ban)"))
    #expect(why.summary.contains("cannot be met: ") && why.summary.contains("China export ban (ban)"))
  }

  // MARK: Stress test

  @Test func simulatingThePlanDeliversWhatItPromised() throws {
    // The chain with the 3e6 module: the plan promises 28 t unmet of 72 t (61.1 % service). The
    // engine runs the mine and the built module at capacity and ships what B pulls from the previous
    // month's stock: months 2–3 get 10 t, months 4–5 get 12 t, so it also leaves 28 t unmet.
    // Freight differs only by month 5's shipment, which the engine makes although it arrives after
    // the horizon: the plan ships 44 t (220,000 USD), the engine 44 + 12 = 56 t (280,000 USD).
    let plan = try NetworkPlan(scenario: Self.chainWithCandidate(capex: 3e6))
    let r = try plan.solve(with: CBCSolver())
    let stress = try plan.stressTest(r)
    #expect(stress.scenario.processes.count == 2)
    #expect(approx(stress.promisedService, 1 - 28.0 / 72, rel: 1e-9))
    #expect(approx(stress.simulatedService, stress.promisedService, rel: 1e-9))
    #expect(approx(stress.promisedFreight, 220_000, rel: 1e-9))
    #expect(approx(stress.simulatedFreight, 280_000, rel: 1e-9))
    #expect(stress.simulatedBalanceResidual < 1e-9)
  }
}

@Suite struct PlanningBalances {
  @Test func generatedNetworksWithTollingAndReservesBalance() throws {
    // Every element balances at every site and month of the plan, recomputed from its values,
    // on generated networks that have a tolling agreement and a reserve.
    var checked = 0
    for seed in 0..<40 where checked < 4 {
      let s = ScenarioGenerator(sites: 12, materials: 4, months: 24, policies: true, reserves: true, tolling: true).make(seed: UInt64(seed))
      guard !s.agreements.isEmpty, !s.reserves.isEmpty else { continue }
      let plan = try NetworkPlan(scenario: s)
      guard plan.purposes.contains(.tollingInput(0)) else { continue }
      let r = try plan.solve(with: CBCSolver())
      #expect(r.termination.reason == .optimal, "seed \(seed)")
      #expect(r.maxBalanceResidual < 1e-9, "seed \(seed): \(r.maxBalanceResidual)")
      checked += 1
    }
    #expect(checked == 4, "only \(checked) generated networks had tolling and a reserve")
  }
}
