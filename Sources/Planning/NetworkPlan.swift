import Chemistry
import Optimization
import Quantities
import SupplyChain

/// What the planner minimises.
public enum PlanObjective: Sendable, Equatable, CustomStringConvertible {
  /// Freight, holding and the value of unmet demand (USD).
  case cost
  /// Unmet demand, weighted by sector priority (t), then cost as a tie-breaker.
  case unmet
  /// Imports from one country (t), with unmet demand still penalised, then cost.
  case dependence(country: String)

  public var description: String {
    switch self {
    case .cost: return "cost"
    case .unmet: return "unmet"
    case .dependence(let c): return "dependence:\(c)"
    }
  }

  /// Parses `cost`, `unmet` or `dependence:CN`.
  public static func parse(_ text: String) -> PlanObjective? {
    switch text {
    case "cost": return .cost
    case "unmet": return .unmet
    default:
      let parts = text.split(separator: ":")
      guard parts.count == 2, parts[0] == "dependence", parts[1].count == 2 else { return nil }
      return .dependence(country: String(parts[1]).uppercased())
    }
  }
}

/// Options of the planning model.
public struct PlanOptions: Sendable {
  public var objective: PlanObjective
  /// Penalty for each tonne of unmet demand, by priority (index 0 = priority 1), USD/t; priorities
  /// beyond the list use the last value. A demand with `value` uses value ÷ intensity instead.
  public var unmetPenalty: [Double]
  /// Holding cost of stock, USD per t per month.
  public var holdingCost: Double

  public init(objective: PlanObjective = .cost, unmetPenalty: [Double] = [1e6, 5e5, 2e5, 1e5], holdingCost: Double = 10) {
    self.objective = objective
    self.unmetPenalty = unmetPenalty
    self.holdingCost = holdingCost
  }
}

/// The scenario as a multi-period linear programme with the engine's semantics, in tonnes:
/// process activity within capacity × availability, element-balanced recipes (material balance
/// per site, material and month, with stated losses leaving the system), link flows arriving after
/// their lead time (plus any licence delay in force), bans as zero flows, quotas as caps on the
/// covered flows, link capacities, and demand met or left unmet at a penalty by priority.
///
/// Not yet modelled (documented in the README): tolling agreements, strategic reserves and
/// investment decisions; licences restrict only by their delay.
public struct NetworkPlan: Sendable {
  public let scenario: Scenario
  public let options: PlanOptions
  public private(set) var model: Model
  // Variable handles, flat: index × T + t.
  let T: Int
  let activity: [Variable]
  let flow: [Variable]
  let stock: [Variable]
  let unmet: [Variable]
  /// The (link, material) pairs that carry flow, in order.
  public let channels: [(link: LinkID, from: SiteID, to: SiteID, material: MaterialID)]
  /// (site, material) pairs with a balance row, in order.
  public let nodes: [(site: SiteID, material: MaterialID)]
  let balanceRows: [Constraint]

  /// Builds the model (`build` step; solving is separate and timed apart).
  public init(scenario s: Scenario, options: PlanOptions = PlanOptions()) throws {
    scenario = s
    self.options = options
    let T = s.months
    self.T = T
    let months = s.calendar
    let tPerMonth = secondsPerMonth / 1000  // kg/s → t/month
    var m = Model(name: "lodestone-plan-\(s.name)")
    var siteIndex: [SiteID: Int] = [:]
    for (i, x) in s.sites.enumerated() { siteIndex[x.id] = i }
    // Which (site, material) nodes exist: anything produced, consumed, stocked, demanded or carried.
    var nodeSet = Set<String>()
    var nodes: [(SiteID, MaterialID)] = []
    func node(_ site: SiteID, _ mat: MaterialID) {
      if nodeSet.insert(site.rawValue + "\u{1}" + mat.rawValue).inserted { nodes.append((site, mat)) }
    }
    for p in s.processes { for t in p.inputs + p.outputs { node(p.site, t.material) } }
    for d in s.demands { node(d.site, d.material) }
    for site in s.sites { for st in site.initialStocks { node(site.id, st.material) } }
    var channels: [(LinkID, SiteID, SiteID, MaterialID)] = []
    for l in s.links {
      let carried = l.materials.isEmpty ? s.materials.map(\.id) : l.materials
      for mat in carried where nodeSet.contains(l.from.rawValue + "\u{1}" + mat.rawValue) || nodeSet.contains(l.to.rawValue + "\u{1}" + mat.rawValue) {
        channels.append((l.id, l.from, l.to, mat))
      }
    }
    for c in channels {
      node(c.1, c.3)
      node(c.2, c.3)
    }
    self.nodes = nodes
    self.channels = channels
    m.reserveCapacity(variables: T * (s.processes.count + channels.count + nodes.count + s.demands.count))

    // Variables.
    var activity: [Variable] = []
    for p in s.processes {
      for (t, month) in months.enumerated() {
        let cap = p.capacity * tPerMonth * p.availability.factor(at: month)
        activity.append(try m.addVariable("Process-activity[\(p.id),\(t)]", lower: 0, upper: cap, description: "activity of \(p.id) in \(month) (t of \(p.reference))"))
      }
    }
    let linkByID = Dictionary(s.links.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var flow: [Variable] = []
    for c in channels {
      let l = linkByID[c.0]
      let fromCountry = s.site(c.1)?.country ?? ""
      let toCountry = s.site(c.2)?.country ?? ""
      let material = s.material(c.3)
      for (t, month) in months.enumerated() {
        var upper = Double.infinity
        let cost = (l?.cost ?? 0) * 1000
        if let mat = material {
          for p in s.policies where p.isActive(at: month) && p.appliesTo(origin: fromCountry, destination: toCountry) && p.covers(mat) {
            if case .ban = p.kind { upper = 0 }
          }
        }
        flow.append(try m.addVariable("Link-flow[\(c.0),\(c.3),\(t)]", lower: 0, upper: upper, objective: cost, description: "\(c.3) shipped on \(c.0) in \(month) (t)"))
      }
    }
    var stock: [Variable] = []
    for n in nodes {
      for (t, month) in months.enumerated() {
        stock.append(try m.addVariable("Site-stock[\(n.0),\(n.1),\(t)]", lower: 0, objective: options.holdingCost, description: "stock of \(n.1) at \(n.0) at the end of \(month) (t)"))
      }
    }
    var unmet: [Variable] = []
    for d in s.demands {
      let perT: Double
      if let v = d.valuePerUnit { perT = v / d.intensity * 1000 } else { perT = options.unmetPenalty[min(max(0, d.priority - 1), options.unmetPenalty.count - 1)] }
      for (t, month) in months.enumerated() {
        let req = d.units(at: month, monthIndex: t) * d.intensity * tPerMonth
        unmet.append(try m.addVariable("Demand-unmet[\(d.id),\(t)]", lower: 0, upper: req, objective: perT, description: "unmet demand of \(d.id) in \(month) (t)"))
      }
    }
    self.activity = activity
    self.flow = flow
    self.stock = stock
    self.unmet = unmet

    // Objective variants re-weight the cost objective.
    switch options.objective {
    case .cost: break
    case .unmet:
      // Lexicographic by weights: unmet tonnes × 1e6 per priority weight dominate cost.
      for (k, d) in s.demands.enumerated() {
        let w = 1e9 / Double(max(1, d.priority))
        for t in 0..<T { try m.setObjectiveCoefficient(of: unmet[k * T + t], w) }
      }
    case .dependence(let country):
      for (ci, c) in channels.enumerated() where s.site(c.1)?.country == country && s.site(c.2)?.country != country {
        for t in 0..<T { try m.setObjectiveCoefficient(of: flow[ci * T + t], 1e7) }
      }
    }

    // Material balance per node and month (t):
    // stock[t−1] + arrivals + production − consumption − shipments − (required − unmet) − stock[t] = 0.
    var rows: [Constraint] = []
    let nodeIndex = Dictionary(nodes.enumerated().map { ($1.0.rawValue + "\u{1}" + $1.1.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
    var terms = Array(repeating: [(Variable, Double)](), count: nodes.count * T)
    var rhs = Array(repeating: 0.0, count: nodes.count * T)
    func key(_ site: SiteID, _ mat: MaterialID) -> Int? { nodeIndex[site.rawValue + "\u{1}" + mat.rawValue] }
    for (ni, n) in nodes.enumerated() {
      let initial = (s.site(n.0)?.initialStocks.filter { $0.material == n.1 }.reduce(0) { $0 + $1.mass } ?? 0) / 1000
      for t in 0..<T {
        terms[ni * T + t].append((stock[ni * T + t], -1))
        if t > 0 { terms[ni * T + t].append((stock[ni * T + t - 1], 1)) } else { rhs[ni * T] -= initial }
      }
    }
    for (pi, p) in s.processes.enumerated() {
      for t in 0..<T {
        for i in p.inputs { if let k = key(p.site, i.material) { terms[k * T + t].append((activity[pi * T + t], -i.amount)) } }
        for o in p.outputs { if let k = key(p.site, o.material) { terms[k * T + t].append((activity[pi * T + t], o.amount)) } }
      }
    }
    for (ci, c) in channels.enumerated() {
      guard let from = key(c.1, c.3), let to = key(c.2, c.3) else { continue }
      let lead = linkByID[c.0]?.leadTime ?? 0
      let fromCountry = s.site(c.1)?.country ?? "", toCountry = s.site(c.2)?.country ?? ""
      for (t, month) in months.enumerated() {
        terms[from * T + t].append((flow[ci * T + t], -1))
        var delay = 0
        if let mat = s.material(c.3) {
          for p in s.policies where p.isActive(at: month) && p.appliesTo(origin: fromCountry, destination: toCountry) && p.covers(mat) {
            if case .licence(_, let d) = p.kind { delay = max(delay, d) }
          }
        }
        let arrive = t + lead + delay
        if arrive < T { terms[to * T + arrive].append((flow[ci * T + t], 1)) }
      }
    }
    for (di, d) in s.demands.enumerated() {
      guard let k = key(d.site, d.material) else { continue }
      for (t, month) in months.enumerated() {
        let req = d.units(at: month, monthIndex: t) * d.intensity * tPerMonth
        terms[k * T + t].append((unmet[di * T + t], 1))
        rhs[k * T + t] += req
      }
    }
    for (ni, n) in nodes.enumerated() {
      for (t, month) in months.enumerated() {
        let ts = terms[ni * T + t]
        rows.append(
          try m.addConstraint(
            "Site-balance[\(n.0),\(n.1),\(t)]", variables: ts.map(\.0), coefficients: ts.map(\.1), lower: rhs[ni * T + t], upper: rhs[ni * T + t],
            description: "balance of \(n.1) at \(n.0) in \(month)"))
      }
    }
    self.balanceRows = rows
    // Link capacity (t/month) over all materials on the link.
    for l in s.links {
      guard let cap = l.capacity else { continue }
      let cs = channels.indices.filter { channels[$0].0 == l.id }
      guard !cs.isEmpty else { continue }
      for (t, month) in months.enumerated() {
        try m.addConstraint(
          "Link-capacity[\(l.id),\(t)]", variables: cs.map { flow[$0 * T + t] }, coefficients: cs.map { _ in 1 }, lower: -.infinity,
          upper: cap * tPerMonth, description: "capacity of link \(l.id) in \(month)")
      }
    }
    // Quotas (t/month) over the flows each covers.
    for p in s.policies {
      guard case .quota(let q) = p.kind else { continue }
      let cs = channels.indices.filter { ci in
        let c = channels[ci]
        guard let mat = s.material(c.3) else { return false }
        return p.appliesTo(origin: s.site(c.1)?.country ?? "", destination: s.site(c.2)?.country ?? "") && p.covers(mat)
      }
      guard !cs.isEmpty else { continue }
      for (t, month) in months.enumerated() where p.isActive(at: month) {
        try m.addConstraint(
          "Policy-quota[\(p.id),\(t)]", variables: cs.map { flow[$0 * T + t] }, coefficients: cs.map { _ in 1 }, lower: -.infinity,
          upper: q * tPerMonth, description: "quota \(p.id) (\(p.name)) in \(month)")
      }
    }
    self.model = m
  }
}
