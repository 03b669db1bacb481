import Chemistry
import Quantities
import Simulation
import SupplyChain
import Testing
import TestSupport

/// Small networks whose monthly answers are worked out by hand in the comments.
@Suite struct EngineHandCalculations {
  static let start = YearMonth(ordinal: 2026 * 12)
  static let perMonth = 1.0 / secondsPerMonth  // kg/month → kg/s

  static let ndMetal = Material(id: "nd", name: "Nd metal", form: .metal, composition: Composition([.Nd: 1]))

  /// Source A makes 10 t/month of Nd metal; link A→B has a 2-month lead; B has demand of
  /// 4 t/month (priority 1) and 8 t/month (priority 2).
  static func chain(policies: [TradePolicy] = [], countryA: String = "IN") -> Scenario {
    Scenario(
      name: "chain", start: start, months: 12, materials: [ndMetal],
      sites: [
        Site(id: "a", name: "A", country: countryA, owner: "x"), Site(id: "b", name: "B", country: "IN", owner: "y"),
      ],
      processes: [
        Process(id: "mine", name: "Mine", site: "a", stage: .mining, reference: "nd", inputs: [], outputs: [RecipeTerm(material: "nd", amount: 1)], losses: .none, capacity: 10_000 * perMonth)
      ],
      links: [Link(id: "ab", from: "a", to: "b", leadTime: 2)],
      policies: policies,
      demands: [
        Demand(id: "p1", sector: .defence, site: "b", material: "nd", endUnit: "unit", rate: 4_000 * perMonth, intensity: 1, priority: 1),
        Demand(id: "p2", sector: .evTraction, site: "b", material: "nd", endUnit: "unit", rate: 8_000 * perMonth, intensity: 1, priority: 2),
      ])
  }

  @Test func priorityChain() throws {
    let r = try SimulationEngine(scenario: Self.chain()).run()
    // Month 0: the mine produces after the shipping round, so nothing ships; from month 1 on,
    // A ships its 10 t (B's base-stock need 12 t × 3 months far exceeds it). Arrivals start in
    // month 3; each month p1 gets its 4 t and p2 the remaining 6 t of its 8 t.
    let ship = r.shipments[0].shipped
    #expect(ship[0] == 0)
    for t in 1..<12 { #expect(approx(ship[t], 10_000, rel: 1e-12), "month \(t): \(ship[t])") }
    let p1 = r.demands[0], p2 = r.demands[1]
    for t in 0..<3 { #expect(p1.met[t] == 0 && p2.met[t] == 0) }
    for t in 3..<12 {
      #expect(approx(p1.met[t], 4_000, rel: 1e-12))
      #expect(approx(p2.met[t], 6_000, rel: 1e-12))
      #expect(approx(p2.unmet[t], 2_000, rel: 1e-12))
    }
    #expect(r.balance.maxRelative < 1e-12)
    #expect(r.balance.checked == 2 * 12 * 1)
  }

  @Test func banBlocksAndStockBuildsUp() throws {
    let ban = TradePolicy(id: "ban", name: "Ban", kind: .ban, origin: "CN", elements: [.Nd], from: Self.start.adding(months: 2), until: Self.start.adding(months: 4))
    let r = try SimulationEngine(scenario: Self.chain(policies: [ban], countryA: "CN")).run()
    let s = r.shipments[0]
    // Months 2–4 banned: nothing ships and A's stock grows to 40 t by the end of month 4
    // (10 t left at the end of month 1, plus 10 t produced in each of months 2, 3, 4).
    for t in 2...4 {
      #expect(s.shipped[t] == 0)
      #expect(s.blocked[t] > 0)
    }
    let stockA = try #require(r.stocks.first { $0.site == "a" })
    #expect(approx(stockA.level[4], 40_000, rel: 1e-12))
    // Month 5: the ban has ended; A ships all 40 t it holds (B's need: 36 t − 10 t in transit
    // from month 1 − stock … is well above 40 t? B need = 12 t × 3 − stock − in transit).
    #expect(s.shipped[5] > 10_000)
    // Deliveries in months 4, 5, 6 (departures 2, 3, 4) are zero.
    for t in 4...6 { #expect(s.delivered[t] == 0) }
    #expect(r.balance.maxRelative < 1e-12)
  }

  @Test func licenceApprovesAFractionAfterADelay() throws {
    let lic = TradePolicy(id: "lic", name: "Licence", kind: .licence(approval: 0.25, delay: 1), origin: "CN", elements: [.Nd])
    let r = try SimulationEngine(scenario: Self.chain(policies: [lic], countryA: "CN")).run()
    let s = r.shipments[0]
    // Month 1: 10 t available, a quarter approved: 2.5 t ships and arrives after 2 + 1 months.
    #expect(approx(s.shipped[1], 2_500, rel: 1e-12))
    #expect(approx(s.blocked[1], 7_500, rel: 1e-12))
    #expect(s.delivered[3] == 0)
    #expect(approx(s.delivered[4], 2_500, rel: 1e-12))
    #expect(r.balance.maxRelative < 1e-12)
  }

  @Test func quotaCapsFlow() throws {
    let q = TradePolicy(id: "q", name: "Quota", kind: .quota(3_000 * Self.perMonth), origin: "CN", elements: [.Nd])
    let r = try SimulationEngine(scenario: Self.chain(policies: [q], countryA: "CN")).run()
    for t in 1..<12 { #expect(approx(r.shipments[0].shipped[t], 3_000, rel: 1e-12)) }
  }

  /// IREL-like tolling: the principal P mines 10 t/month of Nd2O3 and ships it all to a
  /// processor Q (lead 1) that turns 1 kg oxide into 0.8 kg magnet (Nd fraction 0.30 in the
  /// magnet; losses: rest); 60 % of the output made from P's oxide returns to market R (lead 1).
  @Test func tollingReturnsTheAgreedShare() throws {
    let oxide = Material(id: "ox", name: "Nd2O3", form: .oxide, composition: Composition(formula: try Formula("Nd2O3")))
    let magnet = Material(id: "mag", name: "Magnet", form: .magnet, composition: Composition([.Nd: 0.30, .Fe: 0.69, .B: 0.01]))
    let s = Scenario(
      name: "toll", start: Self.start, months: 8, materials: [oxide, magnet],
      sites: [
        Site(id: "p", name: "P", country: "IN", owner: "IREL"), Site(id: "q", name: "Q", country: "JP", owner: "Partner"),
        Site(id: "r", name: "R", country: "IN", owner: "Market"),
      ],
      processes: [
        Process(id: "mine", name: "Mine", site: "p", stage: .separation, reference: "ox", inputs: [], outputs: [RecipeTerm(material: "ox", amount: 1)], losses: .none, capacity: 10_000 * Self.perMonth),
        Process(id: "make", name: "Magnets", site: "q", stage: .magnet, reference: "ox", inputs: [RecipeTerm(material: "ox", amount: 1)], outputs: [RecipeTerm(material: "mag", amount: 0.8)], losses: .rest, capacity: 100_000 * Self.perMonth),
      ],
      links: [Link(id: "pq", from: "p", to: "q", leadTime: 1), Link(id: "qr", from: "q", to: "r", leadTime: 1)],
      agreements: [TollingAgreement(id: "t", principal: "p", processor: "q", returnTo: "r", input: "ox", output: "mag", shareReturned: 0.6)])
    #expect(!s.validate().hasErrors, "\(s.validate())")
    let r = try SimulationEngine(scenario: s).run()
    let t = r.tolling[0]
    // Month k ≥ 1 ships the 10 t made in month k−1; it arrives in month k+1, is converted then
    // into 8 t of magnet, 4.8 t owed; the 4.8 t ships back in month k+2 and arrives in k+3.
    #expect(t.inputShipped[0] == 0)
    for k in 1..<8 { #expect(approx(t.inputShipped[k], 10_000, rel: 1e-12)) }
    #expect(t.inputConverted[1] == 0)
    for k in 2..<8 {
      #expect(approx(t.inputConverted[k], 10_000, rel: 1e-12))
      #expect(approx(t.outputMade[k], 8_000, rel: 1e-12))
      #expect(approx(t.outputOwed[k], 4_800, rel: 1e-12))
      #expect(approx(t.feeInKind[k], 3_200, rel: 1e-12))
    }
    for k in 3..<8 { #expect(approx(t.returned[k], 4_800, rel: 1e-12)) }
    let arrivals = try #require(r.shipments.first { $0.purpose == .tollingReturn("t") })
    #expect(approx(arrivals.delivered[4], 4_800, rel: 1e-12))
    // The processor keeps its fee in kind in stock: 3.2 t per month converted.
    let q = try #require(r.stocks.first { $0.site == "q" && $0.material == "mag" })
    #expect(approx(q.level[7], 3_200 * 6 + 4_800, rel: 1e-12))  // fee months 2–7 plus month 7's owed, not yet shipped
    // Nd lost per kg oxide: 0.857… − 0.8 × 0.30.
    let ndIndex = try #require(r.elements.firstIndex(of: .Nd))
    let wOx = try Formula("Nd2O3").massFraction(of: .Nd)
    #expect(approx(r.processes[1].losses[ndIndex][5], 10_000 * (wOx - 0.24), rel: 1e-12))
    #expect(r.balance.maxRelative < 1e-12)
  }

  @Test func reserveReleasesToCoverShortfall() throws {
    // B holds a 30 t reserve for defence only; the ban from month 2 to 11 cuts supply.
    var s = Self.chain(policies: [TradePolicy(id: "ban", name: "Ban", kind: .ban, origin: "CN", elements: [.Nd], from: Self.start.adding(months: 2))], countryA: "CN")
    s.reserves = [Reserve(id: "res", site: "b", material: "nd", target: 30_000, initial: 30_000, releaseTo: [.defence])]
    let r = try SimulationEngine(scenario: s).run()
    let p1 = r.demands[0]
    // Months 0–2 nothing arrives; the reserve covers defence's 4 t/month in months 0, 1, 2.
    for t in 0..<3 {
      #expect(approx(p1.met[t], 4_000, rel: 1e-12))
      #expect(approx(p1.fromReserve[t], 4_000, rel: 1e-12))
    }
    // EV demand (not covered by the reserve) is unmet until the month-1 shipment arrives.
    #expect(r.demands[1].met[0] == 0)
    #expect(r.balance.maxRelative < 1e-12)
  }

  /// A market B buys from a domestic source D (priority 1, 5 t/month) before an importer C
  /// (priority 2, 100 t/month); both links have a 1-month lead; B needs 12 t/month.
  @Test func preferredLinksAreDrawnFirst() throws {
    let s = Scenario(
      name: "tiers", start: Self.start, months: 6, materials: [Self.ndMetal],
      sites: [
        Site(id: "d", name: "Domestic", country: "IN", owner: "x"), Site(id: "c", name: "Import", country: "CN", owner: "y"),
        Site(id: "b", name: "Market", country: "IN", owner: "z"),
      ],
      processes: [
        Process(id: "dom", name: "Dom", site: "d", stage: .metal, reference: "nd", inputs: [], outputs: [RecipeTerm(material: "nd", amount: 1)], losses: .none, capacity: 5_000 * Self.perMonth),
        Process(id: "imp", name: "Imp", site: "c", stage: .metal, reference: "nd", inputs: [], outputs: [RecipeTerm(material: "nd", amount: 1)], losses: .none, capacity: 100_000 * Self.perMonth),
      ],
      links: [Link(id: "cb", from: "c", to: "b", leadTime: 1, priority: 2), Link(id: "db", from: "d", to: "b", leadTime: 1, priority: 1)],
      demands: [Demand(id: "use", sector: .evTraction, site: "b", material: "nd", endUnit: "unit", rate: 12_000 * Self.perMonth, intensity: 1)])
    let r = try SimulationEngine(scenario: s).run()
    let imp = try #require(r.shipments.first { $0.link == "cb" }), dom = try #require(r.shipments.first { $0.link == "db" })
    // Month 1: B's need is 12 t × (1 + 1) = 24 t; D ships all its 5 t, C the other 19 t.
    #expect(approx(dom.shipped[1], 5_000, rel: 1e-12))
    #expect(approx(imp.shipped[1], 19_000, rel: 1e-12))
    // Month 2: the 24 t arrive before shipping, so B's position is 24 t and nothing ships; B uses 12 t.
    #expect(dom.shipped[2] == 0 && imp.shipped[2] == 0)
    // Month 3: need 24 − 12 = 12 t; D has made 10 t since it last shipped and ships all of it, C the other 2 t.
    #expect(approx(dom.shipped[3], 10_000, rel: 1e-12))
    #expect(approx(imp.shipped[3], 2_000, rel: 1e-9))
    // Months 4–5: 12 t arrive and are used each month; need 12 t: D 5 t, C 7 t.
    for t in 4..<6 {
      #expect(approx(dom.shipped[t], 5_000, rel: 1e-12))
      #expect(approx(imp.shipped[t], 7_000, rel: 1e-9), "month \(t): \(imp.shipped[t])")
    }
    // Every tonne the preferred source makes (months 0–4) is taken.
    #expect(approx(dom.shipped.reduce(0, +), 25_000, rel: 1e-12))
    #expect(r.balance.maxRelative < 1e-12)
  }

  @Test func refusesInvalidScenario() {
    var s = Self.chain()
    s.links[0] = Link(id: "ab", from: "a", to: "nowhere", leadTime: 2)
    #expect(throws: SimulationError.self) { try SimulationEngine(scenario: s) }
  }
}

/// Invariants over generated networks (seeds are labelled so a failure names its case).
@Suite struct EngineInvariants {
  @Test(arguments: 0..<200) func balancesAndBounds(seed: Int) throws {
    let g = ScenarioGenerator(sites: 2 + seed % 13, materials: 2 + seed % 6, months: 36)
    let s = g.make(seed: UInt64(seed))
    let diagnostics = s.validate()
    #expect(!diagnostics.hasErrors, "seed \(seed): \(diagnostics)")
    guard !diagnostics.hasErrors else { return }
    let r = try SimulationEngine(scenario: s).run()
    #expect(r.balance.maxRelative < 1e-9, "seed \(seed): residual \(r.balance.maxRelative) at \(String(describing: r.balance.worst))")
    for d in r.demands {
      for t in d.required.indices { #expect(d.met[t] <= d.required[t] * (1 + 1e-12) + 1e-9, "seed \(seed) \(d.demand) month \(t)") }
    }
    for st in r.stocks { #expect(st.level.allSatisfy { $0 >= -1e-6 }, "seed \(seed) negative stock at \(st.site) \(st.material)") }
    for p in r.processes {
      for t in p.activity.indices { #expect(p.activity[t] <= p.available[t] * (1 + 1e-12) + 1e-9) }
    }
    // Determinism: a second run is identical.
    let r2 = try SimulationEngine(scenario: s).run()
    #expect(r2.demands.map(\.met) == r.demands.map(\.met))
    #expect(r2.shipments.map(\.shipped) == r.shipments.map(\.shipped))
  }
}
