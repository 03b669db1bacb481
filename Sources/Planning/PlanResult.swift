import Chemistry
import Optimization
import Quantities
import SupplyChain

/// A solved plan: what to run, ship and hold each month, what is left unmet, what it costs,
/// what each scarce material is worth (shadow prices), and the element balance of the plan.
public struct PlanResult: Sendable {
  public var termination: Termination
  public var months: [YearMonth]
  /// t of reference material per month, per process (scenario order).
  public var activity: [(process: ProcessID, values: [Double])]
  /// t shipped per month, per (link, material).
  public var flows: [(link: LinkID, material: MaterialID, values: [Double])]
  /// t at the end of each month, per (site, material).
  public var stocks: [(site: SiteID, material: MaterialID, values: [Double])]
  /// t required and unmet per month, per demand.
  public var demand: [(demand: DemandID, required: [Double], unmet: [Double])]
  /// USD per t of one more tonne of a material at a site in a month (dual of its balance row);
  /// `nil` when the solver gives no duals (MIPs).
  public var shadowPrices: [(site: SiteID, material: MaterialID, values: [Double])]?
  /// Cost parts over the horizon, USD.
  public var freightCost: Double
  public var holdingCost: Double
  public var unmetPenalty: Double
  /// Largest |element residual| of any site-month relative to its throughput (at least 1 kg).
  public var maxBalanceResidual: Double
}

extension NetworkPlan {
  /// Solves the model (`solve` step) and reads the plan back (`assign` and `report` steps).
  public func solve(with solver: some Solver) throws -> PlanResult {
    let r = try solver.solve(model)
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
    var shadow: [(SiteID, MaterialID, [Double])]?
    if let duals = r.solution?.duals {
      shadow = nodes.indices.map { ni in (nodes[ni].site, nodes[ni].material, (0..<T).map { duals[balanceRows[ni * T + $0].index] }) }
    }
    // Cost parts from the solution and the cost coefficients.
    var freight = 0.0, holding = 0.0, penalty = 0.0
    let linkCost = Dictionary(s.links.map { ($0.id, $0.cost * 1000) }, uniquingKeysWith: { a, _ in a })
    for (ci, c) in channels.enumerated() { freight += flowSeries[ci].2.reduce(0, +) * (linkCost[c.link] ?? 0) }
    for st in stockSeries { holding += st.2.reduce(0, +) * options.holdingCost }
    for (k, d) in s.demands.enumerated() {
      let perT = d.valuePerUnit.map { $0 / d.intensity * 1000 } ?? options.unmetPenalty[min(max(0, d.priority - 1), options.unmetPenalty.count - 1)]
      penalty += demandSeries[k].2.reduce(0, +) * perT
    }
    return PlanResult(
      termination: r.termination, months: months, activity: activitySeries, flows: flowSeries, stocks: stockSeries,
      demand: demandSeries, shadowPrices: shadow, freightCost: freight, holdingCost: holding, unmetPenalty: penalty,
      maxBalanceResidual: elementResidual(activitySeries.map(\.1), flowSeries.map(\.2), stockSeries.map(\.2), demandSeries))
  }

  /// The element balance of the plan at every site and month, recomputed from the plan's
  /// values (not from the LP rows): Δstock = arrivals − shipments + production − consumption − served.
  func elementResidual(_ act: [[Double]], _ flows: [[Double]], _ stocks: [[Double]], _ demand: [(DemandID, [Double], [Double])]) -> Double {
    let s = scenario
    var worst = 0.0
    let comp = Dictionary(s.materials.map { ($0.id, $0.composition) }, uniquingKeysWith: { a, _ in a })
    let leads = Dictionary(s.links.map { ($0.id, $0.leadTime) }, uniquingKeysWith: { a, _ in a })
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
          for (pi, p) in s.processes.enumerated() where p.site == site.id {
            for i in p.inputs { let x = act[pi][t] * i.amount * (comp[i.material]?.fraction(of: e) ?? 0); net -= x; through += x }
            for o in p.outputs { let x = act[pi][t] * o.amount * (comp[o.material]?.fraction(of: e) ?? 0); net += x; through += x }
          }
          for (ci, c) in channels.enumerated() {
            let w = comp[c.material]?.fraction(of: e) ?? 0
            guard w != 0 else { continue }
            if c.from == site.id { net -= w * flows[ci][t]; through += w * flows[ci][t] }
            if c.to == site.id {
              // Arrivals this month: flows that left lead (+ licence delay) months ago; recover them from the
              // balance rows' structure by scanning departures whose arrival month is t.
              for t0 in 0...t where arrivalMonth(ci, t0, lead: leads[c.link] ?? 0) == t { net += w * flows[ci][t0]; through += w * flows[ci][t0] }
            }
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

  func arrivalMonth(_ ci: Int, _ t: Int, lead: Int) -> Int {
    let s = scenario
    let c = channels[ci]
    var delay = 0
    if let mat = s.material(c.material) {
      let month = s.start.adding(months: t)
      for p in s.policies where p.isActive(at: month) && p.appliesTo(origin: s.site(c.from)?.country ?? "", destination: s.site(c.to)?.country ?? "") && p.covers(mat) {
        if case .licence(_, let d) = p.kind { delay = max(delay, d) }
      }
    }
    return t + lead + delay
  }
}
