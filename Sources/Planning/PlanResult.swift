import Chemistry
import Optimization
import Quantities
import SupplyChain

/// Modules of one candidate started in one month.
public struct PlanBuild: Sendable, Equatable {
  public var candidate: CandidateID
  public var process: ProcessID
  /// Month construction starts (capex is paid then).
  public var start: YearMonth
  /// First month the modules operate (start + lead time).
  public var operating: YearMonth
  /// Number of modules started.
  public var modules: Int
  /// Capacity added, kg/s of the process's capacity basis.
  public var capacity: Double
  /// Capex of these modules, USD (undiscounted).
  public var capex: Double

  public init(candidate: CandidateID, process: ProcessID, start: YearMonth, operating: YearMonth, modules: Int, capacity: Double, capex: Double) {
    self.candidate = candidate
    self.process = process
    self.start = start
    self.operating = operating
    self.modules = modules
    self.capacity = capacity
    self.capex = capex
  }
}

/// A solved plan: what to build, run, ship and hold each month, what is left unmet, what it costs,
/// what each scarce material is worth (shadow prices), and the element balance of the plan.
public struct PlanResult: Sendable {
  public var termination: Termination
  public var months: [YearMonth]
  /// t of reference material per month, per process (scenario order).
  public var activity: [(process: ProcessID, values: [Double])]
  /// t shipped per month, per (link, material); tolling channels are included (see ``purposes``).
  public var flows: [(link: LinkID, material: MaterialID, values: [Double])]
  /// What each entry of ``flows`` carries.
  public var purposes: [ChannelPurpose]
  /// t at the end of each month, per (site, material).
  public var stocks: [(site: SiteID, material: MaterialID, values: [Double])]
  /// t required and unmet per month, per demand.
  public var demand: [(demand: DemandID, required: [Double], unmet: [Double])]
  /// t held in each reserve at the end of each month, and t released from it each month.
  public var reserves: [(reserve: ReserveID, level: [Double], released: [Double])]
  /// Investments started, by start month then candidate.
  public var builds: [PlanBuild]
  /// USD per t of one more tonne of a material at a site in a month (dual of its balance row);
  /// `nil` when the solver gives no duals (MIPs).
  public var shadowPrices: [(site: SiteID, material: MaterialID, values: [Double])]?
  /// Freight over the horizon, USD.
  public var freightCost: Double
  /// Holding cost of stocks, reserves and tolling output owed but not yet returned over the horizon, USD.
  public var holdingCost: Double
  /// Cash tolling fees over the horizon, USD.
  public var tollingFees: Double
  /// Capex plus fixed opex of the modules built (as in the objective, discounted if asked), USD.
  public var investmentCost: Double
  /// Value of unmet demand over the horizon, USD.
  public var unmetPenalty: Double
  /// Largest |element residual| of any site-month relative to its throughput (at least 1 kg).
  public var maxBalanceResidual: Double

  /// Freight + holding + tolling fees + investment + unmet penalty, USD.
  public var totalCost: Double { freightCost + holdingCost + tollingFees + investmentCost + unmetPenalty }
  /// t of demand over the horizon, required and unmet.
  public var totalRequired: Double { demand.reduce(0) { $0 + $1.required.reduce(0, +) } }
  public var totalUnmet: Double { demand.reduce(0) { $0 + $1.unmet.reduce(0, +) } }
}

extension NetworkPlan {
  /// Solves the model (`solve` step) and reads the plan back (`assign` and `report` steps).
  public func solve(with solver: some Solver) throws -> PlanResult {
    let r = try solver.solve(model)
    return read(r)
  }

  /// Reads a solver result of this plan's model back as a plan.
  public func read(_ r: SolveResult) -> PlanResult {
    let s = scenario
    let v = r.solution?.values ?? Array(repeating: 0, count: model.variableCount)
    func series(_ vars: [Variable], _ k: Int) -> [Double] { (0..<T).map { max(0, v[vars[k * T + $0].index]) } }
    let activitySeries = s.processes.indices.map { (s.processes[$0].id, series(activity, $0)) }
    let flowSeries = channels.indices.map { (channels[$0].link, channels[$0].material, series(flow, $0)) }
    let stockSeries = nodes.indices.map { (nodes[$0].site, nodes[$0].material, series(stock, $0)) }
    let months = s.calendar
    let tPerMonth = secondsPerMonth / 1000
    var demandSeries: [(DemandID, [Double], [Double])] = []
    for (k, d) in s.demands.enumerated() {
      let req = months.enumerated().map { d.units(at: $1, monthIndex: $0) * d.intensity * tPerMonth }
      demandSeries.append((d.id, req, series(unmet, k)))
    }
    let reserveSeries = s.reserves.indices.map { ri in
      (s.reserves[ri].id, (0..<T).map { t in series(reserveLow, ri)[t] + series(reserveHigh, ri)[t] }, series(reserveRelease, ri))
    }
    var shadow: [(SiteID, MaterialID, [Double])]?
    if let duals = r.solution?.duals {
      shadow = nodes.indices.map { ni in (nodes[ni].site, nodes[ni].material, (0..<T).map { duals[balanceRows[ni * T + $0].index] }) }
    }
    var buildList: [PlanBuild] = []
    var investment = 0.0
    for (ci, c) in s.candidates.enumerated() {
      for (t, variable) in builds[ci] {
        let n = Int(v[variable.index].rounded())
        guard n > 0 else { continue }
        investment += Double(n) * model.objectiveCoefficient(of: variable)
        buildList.append(
          PlanBuild(
            candidate: c.id, process: c.process, start: months[t], operating: s.start.adding(months: t + c.leadTime), modules: n,
            capacity: Double(n) * c.moduleCapacity, capex: Double(n) * c.capexPerModule))
      }
    }
    buildList.sort { ($0.start, $0.candidate) < ($1.start, $1.candidate) }
    // Cost parts from the solution and the cost coefficients.
    var freight = 0.0, holding = 0.0, penalty = 0.0, fees = 0.0
    let linkCost = Dictionary(s.links.map { ($0.id, $0.cost * 1000) }, uniquingKeysWith: { a, _ in a })
    for (ci, c) in channels.enumerated() {
      let total = flowSeries[ci].2.reduce(0, +)
      freight += total * (linkCost[c.link] ?? 0)
      if case .tollingReturn(let a) = purposes[ci] { fees += total * s.agreements[a].cashFee * 1000 }
    }
    for st in stockSeries { holding += st.2.reduce(0, +) * options.holdingCost }
    for o in tollOwed { holding += max(0, v[o.index]) * options.holdingCost }
    for (ri, res) in s.reserves.enumerated() { holding += reserveSeries[ri].1.reduce(0, +) * res.holdingCost * 1000 / 12 }
    for (k, d) in s.demands.enumerated() {
      let perT = d.valuePerUnit.map { $0 / d.intensity * 1000 } ?? options.unmetPenalty[min(max(0, d.priority - 1), options.unmetPenalty.count - 1)]
      penalty += demandSeries[k].2.reduce(0, +) * perT
    }
    return PlanResult(
      termination: r.termination, months: months, activity: activitySeries, flows: flowSeries, purposes: purposes, stocks: stockSeries,
      demand: demandSeries, reserves: reserveSeries, builds: buildList, shadowPrices: shadow, freightCost: freight, holdingCost: holding,
      tollingFees: fees, investmentCost: investment, unmetPenalty: penalty,
      maxBalanceResidual: elementResidual(activitySeries.map(\.1), flowSeries.map(\.2), stockSeries.map(\.2), demandSeries, reserveSeries.map(\.1)))
  }

  /// The element balance of the plan at every site and month, recomputed from the plan's
  /// values (not from the LP rows): Δstock + Δreserve = arrivals − shipments + production − consumption − served.
  func elementResidual(
    _ act: [[Double]], _ flows: [[Double]], _ stocks: [[Double]], _ demand: [(DemandID, [Double], [Double])], _ reserveLevels: [[Double]]
  ) -> Double {
    let s = scenario
    var worst = 0.0
    let comp = Dictionary(s.materials.map { ($0.id, $0.composition) }, uniquingKeysWith: { a, _ in a })
    // Arrivals per channel and month, from the departures.
    var arrived = Array(repeating: Array(repeating: 0.0, count: T), count: channels.count)
    for ci in channels.indices {
      for t0 in 0..<T where arrival[ci * T + t0] < T { arrived[ci][arrival[ci * T + t0]] += flows[ci][t0] }
    }
    for site in s.sites {
      for e in s.elements {
        for t in 0..<T {
          var net = 0.0, through = 0.0, delta = 0.0
          for (ni, n) in nodes.enumerated() where n.site == site.id {
            let w = comp[n.material]?.fraction(of: e) ?? 0
            guard w != 0 else { continue }
            let opening = t > 0 ? stocks[ni][t - 1] : (site.initialStocks.filter { $0.material == n.material }.reduce(0) { $0 + $1.mass } / 1000)
            delta += w * (stocks[ni][t] - opening)
            through += w * (opening + stocks[ni][t])
          }
          for (ri, r) in s.reserves.enumerated() where r.site == site.id {
            let w = comp[r.material]?.fraction(of: e) ?? 0
            guard w != 0 else { continue }
            let opening = t > 0 ? reserveLevels[ri][t - 1] : r.initial / 1000
            delta += w * (reserveLevels[ri][t] - opening)
            through += w * (opening + reserveLevels[ri][t])
          }
          for (pi, p) in s.processes.enumerated() where p.site == site.id {
            for i in p.inputs { let x = act[pi][t] * i.amount * (comp[i.material]?.fraction(of: e) ?? 0); net -= x; through += x }
            for o in p.outputs { let x = act[pi][t] * o.amount * (comp[o.material]?.fraction(of: e) ?? 0); net += x; through += x }
          }
          for (ci, c) in channels.enumerated() {
            let w = comp[c.material]?.fraction(of: e) ?? 0
            guard w != 0 else { continue }
            if c.from == site.id { net -= w * flows[ci][t]; through += w * flows[ci][t] }
            if c.to == site.id { net += w * arrived[ci][t]; through += w * arrived[ci][t] }
          }
          for (di, d) in s.demands.enumerated() where d.site == site.id {
            let w = comp[d.material]?.fraction(of: e) ?? 0
            let served = demand[di].1[t] - demand[di].2[t]
            net -= w * served
            through += w * served
          }
          // Process losses need no term: production − consumption at element level already nets them out.
          // Relative to the site-month's throughput, with a 1 kg floor so that round-off on an
          // empty site-month does not read as a 100 % residual.
          worst = max(worst, abs(delta - net) / max(through, 1e-3))
        }
      }
    }
    return worst
  }
}

extension PlanResult {
  /// The share (0…1) of `form` supplied from `country` over the horizon, as ``ShareCap`` defines it:
  /// t of the form shipped from `country` to other countries ÷ t of it used elsewhere (consumed by
  /// processes and served to demand); 0 when nothing is used.
  public func share(of form: MaterialForm, from country: String, in s: Scenario) -> Double {
    let siteCountry = Dictionary(s.sites.map { ($0.id, $0.country) }, uniquingKeysWith: { a, _ in a })
    let formOf = Dictionary(s.materials.map { ($0.id, $0.form) }, uniquingKeysWith: { a, _ in a })
    var from = 0.0, use = 0.0
    for f in flows where formOf[f.material] == form {
      // A channel's ends are its link's, for trade and tolling alike.
      guard let l = s.links.first(where: { $0.id == f.link }) else { continue }
      if siteCountry[l.from] == country && siteCountry[l.to] != country { from += f.values.reduce(0, +) }
    }
    for (k, d) in s.demands.enumerated() where formOf[d.material] == form && siteCountry[d.site] != country {
      use += demand[k].required.reduce(0, +) - demand[k].unmet.reduce(0, +)
    }
    for (pi, p) in s.processes.enumerated() where siteCountry[p.site] != country {
      let perUnit = p.inputs.filter { formOf[$0.material] == form }.reduce(0) { $0 + $1.amount }
      use += perUnit * activity[pi].values.reduce(0, +)
    }
    return use > 0 ? from / use : 0
  }
}
