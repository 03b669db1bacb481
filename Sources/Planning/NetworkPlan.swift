import Chemistry
import Foundation
import Optimization
import Quantities
import SupplyChain

/// What the planner minimises.
public enum PlanObjective: Sendable, Equatable, CustomStringConvertible {
  /// Freight, holding, tolling fees, investments and the value of unmet demand (USD).
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

/// A cap on the share of one material form's supply that comes from one country, over the horizon:
/// t of that form shipped from sites in `country` to sites elsewhere ≤ `fraction` × t of the form
/// used outside `country` (consumed by processes plus demand served). For magnets the denominator
/// is the magnet demand served, so the cap reads "at most 50 % of magnets from China".
public struct ShareCap: Sendable, Equatable, CustomStringConvertible {
  /// ISO alpha-2 code of the supplying country.
  public var country: String
  /// The material form whose supply is capped (magnet by default).
  public var form: MaterialForm
  /// The largest allowed share, 0…1.
  public var fraction: Double

  public init(country: String, form: MaterialForm = .magnet, fraction: Double) {
    self.country = country
    self.form = form
    self.fraction = fraction
  }

  public var description: String { "\(country):\(form.rawValue):\(fraction * 100)%" }

  /// The stage words accepted for a form (a stage's output form).
  static let stageForms: [String: MaterialForm] = [
    "separation": .oxide, "metal": .metal, "alloy": .alloy, "magnet": .magnet, "mining": .ore, "beneficiation": .concentrate,
    "cracking": .intermediate, "component": .component,
  ]

  /// Parses `CN:50%`, `CN:0.5` or `CN:oxide:50%` (a material form or a stage name in the middle).
  public static func parse(_ text: String) -> Result<ShareCap, ShareCapError> {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 2 || parts.count == 3, parts[0].count == 2, parts[0].allSatisfy(\.isLetter) else {
      return .failure(ShareCapError(message: "--max-share must be COUNTRY:SHARE or COUNTRY:FORM:SHARE (e.g. CN:50% or CN:oxide:50%); got '\(text)'."))
    }
    var form = MaterialForm.magnet
    if parts.count == 3 {
      let w = parts[1].lowercased()
      guard let f = MaterialForm(rawValue: w) ?? stageForms[w] else {
        let choices = (MaterialForm.allCases.map(\.rawValue) + stageForms.keys.sorted()).sorted()
        return .failure(ShareCapError(message: "--max-share form must be one of \(choices.joined(separator: ", ")); got '\(parts[1])'."))
      }
      form = f
    }
    var v = parts[parts.count - 1].trimmingCharacters(in: .whitespaces)
    var scale = 1.0
    if v.hasSuffix("%") {
      v.removeLast()
      scale = 0.01
    }
    guard let x = Double(v.trimmingCharacters(in: .whitespaces)), x * scale >= 0, x * scale <= 1 else {
      return .failure(ShareCapError(message: "--max-share share must be in 0...100 % (e.g. 50%); got '\(parts[parts.count - 1])'."))
    }
    return .success(ShareCap(country: parts[0].uppercased(), form: form, fraction: x * scale))
  }
}

/// Why a `--max-share` text does not parse.
public struct ShareCapError: Error, Sendable, Equatable {
  public var message: String
}

/// Options of the planning model.
public struct PlanOptions: Sendable {
  public var objective: PlanObjective
  /// Penalty for each tonne of unmet demand, by priority (index 0 = priority 1), USD/t; priorities
  /// beyond the list use the last value. A demand with `value` uses value ÷ intensity instead.
  public var unmetPenalty: [Double]
  /// Holding cost of stock, USD per t per month.
  public var holdingCost: Double
  /// Annual discount rate applied to capex and fixed opex (0.08 = 8 %/yr; 0 = undiscounted).
  /// Freight, holding and unmet penalties are not discounted.
  public var discountRate: Double
  /// When true, demand has no unmet slack: every tonne must be supplied, and an impossible
  /// demand makes the model infeasible (see ``NetworkPlan/explain(_:)``).
  public var hardDemand: Bool
  /// With `hardDemand`, the first month whose demand must be met in full (`nil` = every month).
  public var hardDemandFrom: YearMonth?
  /// Caps on the share of a form's supply from one country.
  public var shareCaps: [ShareCap]

  public init(
    objective: PlanObjective = .cost, unmetPenalty: [Double] = [1e6, 5e5, 2e5, 1e5], holdingCost: Double = 10,
    discountRate: Double = 0, hardDemand: Bool = false, hardDemandFrom: YearMonth? = nil, shareCaps: [ShareCap] = []
  ) {
    self.hardDemandFrom = hardDemandFrom
    self.objective = objective
    self.unmetPenalty = unmetPenalty
    self.holdingCost = holdingCost
    self.discountRate = discountRate
    self.hardDemand = hardDemand
    self.shareCaps = shareCaps
  }
}

/// What a shipment channel carries.
public enum ChannelPurpose: Sendable, Equatable {
  /// Trade: the destination buys.
  case trade
  /// The principal's input shipped to the processor under agreement `index` (scenario order).
  case tollingInput(Int)
  /// Output returned to the principal under agreement `index`.
  case tollingReturn(Int)
}

/// The scenario as a multi-period mixed-integer programme with the engine's semantics, in tonnes:
/// shipments leave from the previous month's stock and this month's arrivals (the engine ships
/// before it produces), process activity within capacity × availability (plus built candidate modules), element-balanced
/// recipes (material balance per site, material and month, with stated losses leaving the system),
/// link flows arriving after their lead time (plus any licence delay in force), bans as zero flows,
/// quotas as caps on the covered flows, link capacities, tolling (input shipped, a share of the
/// output owed and returned after lead time, cash fee), reserves (fill up to a rate towards a
/// target, release above a floor to the sectors they cover), investments (integer modules started
/// per month, available after the build lead time, capex and fixed opex), share caps, and demand
/// met or left unmet at a penalty by priority (or met in full with `hardDemand`).
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
  /// Reserve variables per reserve × month: level below the floor, level above it, fill, release.
  let reserveLow: [Variable], reserveHigh: [Variable], reserveFill: [Variable], reserveRelease: [Variable]
  /// Output owed under tolling agreements at the end of each month (all agreements, all months).
  let tollOwed: [Variable]
  /// Candidate builds: per candidate, the (start month, variable) pairs it may use.
  let builds: [[(month: Int, variable: Variable)]]
  /// The (link, material) pairs that carry flow, in order.
  public let channels: [(link: LinkID, from: SiteID, to: SiteID, material: MaterialID)]
  /// What each channel carries (same order as ``channels``).
  public let purposes: [ChannelPurpose]
  /// Month of arrival of a departure on each channel, flat: channel × T + t (may be ≥ T).
  let arrival: [Int]
  /// (site, material) pairs with a balance row, in order.
  public let nodes: [(site: SiteID, material: MaterialID)]
  let balanceRows: [Constraint]
  /// Each variable's and row's user-facing cause label (without a month), for infeasibility reports.
  let causeOfVariable: [Int: String]
  let causeOfConstraint: [Int: String]
  /// Demand whose unmet variable carries each index (demand index, month).
  let unmetOwner: [Int: (Int, Int)]

  /// Builds the model (`build` step; solving is separate and timed apart).
  public init(scenario s: Scenario, options: PlanOptions = PlanOptions()) throws {
    scenario = s
    self.options = options
    let T = s.months
    self.T = T
    let months = s.calendar
    let tPerMonth = secondsPerMonth / 1000  // kg/s → t/month
    var m = Model(name: "lodestone-plan-\(s.name)")
    var causeV: [Int: String] = [:], causeC: [Int: String] = [:]
    var unmetOwner: [Int: (Int, Int)] = [:]
    let siteByID = Dictionary(s.sites.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let materialByID = Dictionary(s.materials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    func country(_ id: SiteID) -> String { siteByID[id]?.country ?? "" }
    // Which (site, material) nodes exist: anything produced, consumed, stocked, demanded, reserved or carried.
    var nodeSet = Set<String>()
    var nodes: [(SiteID, MaterialID)] = []
    func node(_ site: SiteID, _ mat: MaterialID) {
      if nodeSet.insert(site.rawValue + "\u{1}" + mat.rawValue).inserted { nodes.append((site, mat)) }
    }
    for p in s.processes { for t in p.inputs + p.outputs { node(p.site, t.material) } }
    for d in s.demands { node(d.site, d.material) }
    for r in s.reserves { node(r.site, r.material) }
    for site in s.sites { for st in site.initialStocks { node(site.id, st.material) } }
    // Channels: trade on every link for the materials its ends know, except a principal's tolling
    // input to its processor (that flow is the agreement's, as in the engine); then tolling channels.
    var channels: [(LinkID, SiteID, SiteID, MaterialID)] = []
    var purposes: [ChannelPurpose] = []
    let tolled = Set(s.agreements.map { $0.principal.rawValue + "\u{1}" + $0.processor.rawValue + "\u{1}" + $0.input.rawValue })
    for l in s.links {
      let carried = l.materials.isEmpty ? s.materials.map(\.id) : l.materials
      for mat in carried where nodeSet.contains(l.from.rawValue + "\u{1}" + mat.rawValue) || nodeSet.contains(l.to.rawValue + "\u{1}" + mat.rawValue) {
        if tolled.contains(l.from.rawValue + "\u{1}" + l.to.rawValue + "\u{1}" + mat.rawValue) { continue }
        channels.append((l.id, l.from, l.to, mat))
        purposes.append(.trade)
      }
    }
    func linkFor(_ from: SiteID, _ to: SiteID, _ mat: MaterialID) -> Link? {
      s.links.first { $0.from == from && $0.to == to && ($0.materials.isEmpty || $0.materials.contains(mat)) }
    }
    // Output owed per t of input shipped, per agreement (recipe of the processor's converting process).
    var tollYield: [Double] = []
    for (a, ag) in s.agreements.enumerated() {
      if let l = linkFor(ag.principal, ag.processor, ag.input) {
        channels.append((l.id, ag.principal, ag.processor, ag.input))
        purposes.append(.tollingInput(a))
      }
      if ag.returnTo != ag.processor, let l = linkFor(ag.processor, ag.returnTo, ag.output) {
        channels.append((l.id, ag.processor, ag.returnTo, ag.output))
        purposes.append(.tollingReturn(a))
      }
      let conv = s.processes.first { p in p.site == ag.processor && p.inputs.contains { $0.material == ag.input } && p.outputs.contains { $0.material == ag.output } }
      if let p = conv, let i = p.inputs.first(where: { $0.material == ag.input }), let o = p.outputs.first(where: { $0.material == ag.output }), i.amount > 0 {
        tollYield.append(o.amount / i.amount)
      } else {
        tollYield.append(0)
      }
    }
    for c in channels {
      node(c.1, c.3)
      node(c.2, c.3)
    }
    self.nodes = nodes
    self.channels = channels
    self.purposes = purposes
    m.reserveCapacity(variables: T * (s.processes.count + channels.count + nodes.count + s.demands.count + 4 * s.reserves.count))

    // Policies per channel (a tolling channel skips the policies that exempt its agreement).
    func agreementOf(_ k: Int) -> Int? {
      switch purposes[k] {
      case .trade: return nil
      case .tollingInput(let a), .tollingReturn(let a): return a
      }
    }
    let channelPolicies: [[Int]] = channels.indices.map { k in
      let c = channels[k]
      guard let mat = materialByID[c.3] else { return [] }
      let ag = agreementOf(k).map { s.agreements[$0].id }
      return s.policies.indices.filter { pi in
        let p = s.policies[pi]
        if let ag, p.exemptAgreements.contains(ag) { return false }
        return p.appliesTo(origin: country(c.1), destination: country(c.2)) && p.covers(mat)
      }
    }

    // Process activity (t of reference material per month).
    var activity: [Variable] = []
    let expanded = Set(s.candidates.map(\.process))
    for p in s.processes {
      for (t, month) in months.enumerated() {
        let cap = p.capacity * tPerMonth * p.availability.factor(at: month)
        let v = try m.addVariable(
          "Process-activity[\(p.id),\(t)]", lower: 0, upper: expanded.contains(p.id) ? .infinity : cap,
          description: "capacity of \(p.name) (\(p.id)) in \(month): \(formatNumber(cap, significantDigits: 4)) t")
        causeV[v.index] = "capacity of \(p.name)"
        activity.append(v)
      }
    }
    let linkByID = Dictionary(s.links.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var flow: [Variable] = []
    for (k, c) in channels.enumerated() {
      let l = linkByID[c.0]
      for (t, month) in months.enumerated() {
        var upper = Double.infinity
        var cost = (l?.cost ?? 0) * 1000
        var why: String?
        for pi in channelPolicies[k] where s.policies[pi].isActive(at: month) {
          if case .ban = s.policies[pi].kind {
            upper = 0
            why = "\(s.policies[pi].name) (ban)"
          }
        }
        var name = "Link-flow[\(c.0),\(c.3),\(t)]"
        var text = "\(c.3) shipped on \(c.0) in \(month) (t)"
        switch purposes[k] {
        case .trade: break
        case .tollingInput(let a):
          let ag = s.agreements[a]
          name = "Tolling-input[\(ag.id),\(t)]"
          text = "\(c.3) shipped under agreement \(ag.id) in \(month) (t)"
          if !ag.isActive(at: month) {
            upper = 0
            why = why ?? "agreement \(ag.id) not in force"
          } else if let r = ag.inputRate {
            upper = min(upper, r * tPerMonth)
            if why == nil { why = "input rate of agreement \(ag.id)" }
          }
        case .tollingReturn(let a):
          let ag = s.agreements[a]
          name = "Tolling-return[\(ag.id),\(t)]"
          text = "\(c.3) returned under agreement \(ag.id) in \(month) (t)"
          cost += ag.cashFee * 1000
        }
        if let why { text = why + ": " + text }
        let v = try m.addVariable(name, lower: 0, upper: upper, objective: cost, description: text)
        if let why { causeV[v.index] = why }
        flow.append(v)
      }
    }
    var stock: [Variable] = []
    for n in nodes {
      for (t, month) in months.enumerated() {
        stock.append(try m.addVariable("Site-stock[\(n.0),\(n.1),\(t)]", lower: 0, objective: options.holdingCost, description: "stock of \(n.1) at \(n.0) at the end of \(month) (t)"))
      }
    }
    var unmet: [Variable] = []
    for (di, d) in s.demands.enumerated() {
      let perT: Double
      if let v = d.valuePerUnit { perT = v / d.intensity * 1000 } else { perT = options.unmetPenalty[min(max(0, d.priority - 1), options.unmetPenalty.count - 1)] }
      for (t, month) in months.enumerated() {
        let req = d.units(at: month, monthIndex: t) * d.intensity * tPerMonth
        let hard = options.hardDemand && month >= (options.hardDemandFrom ?? month)
        let v = try m.addVariable(
          "Demand-unmet[\(d.id),\(t)]", lower: 0, upper: hard ? 0 : req, objective: perT,
          description: hard
            ? "demand of \(d.id) in \(month) must be met in full (\(formatNumber(req, significantDigits: 4)) t)"
            : "unmet demand of \(d.id) in \(month) (t)")
        unmetOwner[v.index] = (di, t)
        unmet.append(v)
      }
    }
    // Reserves: level below the floor (never released) and above it; fill and release.
    var rLow: [Variable] = [], rHigh: [Variable] = [], rFill: [Variable] = [], rRel: [Variable] = []
    for r in s.reserves {
      let perTMonth = r.holdingCost * 1000 / 12
      let fillFrom = r.fillFrom.map { max(0, $0.months(since: s.start)) } ?? 0
      for (t, month) in months.enumerated() {
        rLow.append(try m.addVariable("Reserve-low[\(r.id),\(t)]", lower: 0, upper: r.floor / 1000, objective: perTMonth, description: "level of reserve \(r.id) up to its floor at the end of \(month) (t)"))
        rHigh.append(try m.addVariable("Reserve-high[\(r.id),\(t)]", lower: 0, objective: perTMonth, description: "level of reserve \(r.id) above its floor at the end of \(month) (t)"))
        let fillCap = t < fillFrom ? 0 : (r.fillRate.map { $0 * tPerMonth } ?? .infinity)
        let f = try m.addVariable("Reserve-fill[\(r.id),\(t)]", lower: 0, upper: fillCap, description: "fill rate of reserve \(r.id) in \(month) (t)")
        causeV[f.index] = "fill rate of reserve \(r.id)"
        rFill.append(f)
        rRel.append(try m.addVariable("Reserve-release[\(r.id),\(t)]", lower: 0, description: "release from reserve \(r.id) in \(month) (t)"))
      }
    }
    // Investments: integer modules started per month, while they can still operate in the horizon.
    var builds: [[(Int, Variable)]] = []
    let monthlyDiscount = options.discountRate > 0 ? Foundation.pow(1 + options.discountRate, 1.0 / 12) : 1
    func discount(_ t: Int) -> Double { monthlyDiscount == 1 ? 1 : 1 / Foundation.pow(monthlyDiscount, Double(t)) }
    for c in s.candidates {
      let first = max(0, (c.earliestStart ?? s.start).months(since: s.start))
      var list: [(Int, Variable)] = []
      if first + c.leadTime < T {
        for t in first..<(T - c.leadTime) {
          var cost = c.capexPerModule * discount(t)
          let opexPerMonth = c.fixedOpexPerModule * secondsPerMonth
          for tau in (t + c.leadTime)..<T { cost += opexPerMonth * discount(tau) }
          let v = try m.addVariable(
            "Candidate-build[\(c.id),\(t)]", lower: 0, upper: Double(c.maxModules), kind: .integer, objective: cost,
            description: "modules of \(c.id) started in \(months[t]) (operating from \(s.start.adding(months: t + c.leadTime)))")
          list.append((t, v))
        }
      }
      builds.append(list)
    }
    self.activity = activity
    self.flow = flow
    self.stock = stock
    self.unmet = unmet
    self.reserveLow = rLow
    self.reserveHigh = rHigh
    self.reserveFill = rFill
    self.reserveRelease = rRel
    self.builds = builds

    // Objective variants re-weight the cost objective.
    switch options.objective {
    case .cost: break
    case .unmet:
      // Lexicographic by weights: unmet tonnes × 1e9 per priority weight dominate cost.
      for (k, d) in s.demands.enumerated() {
        let w = 1e9 / Double(max(1, d.priority))
        for t in 0..<T { try m.setObjectiveCoefficient(of: unmet[k * T + t], w) }
      }
    case .dependence(let ctry):
      for (ci, c) in channels.enumerated() where country(c.1) == ctry && country(c.2) != ctry {
        for t in 0..<T { try m.setObjectiveCoefficient(of: flow[ci * T + t], 1e7) }
      }
    }

    // Arrival month of each departure: lead time plus the longest licence delay in force.
    var arrival = Array(repeating: 0, count: channels.count * T)
    for (ci, c) in channels.enumerated() {
      let lead = linkByID[c.0]?.leadTime ?? 0
      for (t, month) in months.enumerated() {
        var delay = 0
        for pi in channelPolicies[ci] where s.policies[pi].isActive(at: month) {
          if case .licence(_, let d) = s.policies[pi].kind { delay = max(delay, d) }
        }
        arrival[ci * T + t] = t + lead + delay
      }
    }
    self.arrival = arrival

    // Material balance per node and month (t):
    // stock[t−1] + arrivals + production − consumption − shipments − (required − unmet) − reserve fill
    // + reserve release − stock[t] = 0.
    var rows: [Constraint] = []
    let nodeIndex = Dictionary(nodes.enumerated().map { ($1.0.rawValue + "\u{1}" + $1.1.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
    var terms = Array(repeating: [(Variable, Double)](), count: nodes.count * T)
    var rhs = Array(repeating: 0.0, count: nodes.count * T)
    func key(_ site: SiteID, _ mat: MaterialID) -> Int? { nodeIndex[site.rawValue + "\u{1}" + mat.rawValue] }
    for (ni, n) in nodes.enumerated() {
      let initial = (siteByID[n.0]?.initialStocks.filter { $0.material == n.1 }.reduce(0) { $0 + $1.mass } ?? 0) / 1000
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
    // Dispatch (as in the engine, which ships before it produces): what leaves a node in a month
    // comes from the previous month's closing stock and this month's arrivals, not from this month's output.
    var dispatch = Array(repeating: [(Variable, Double)](), count: nodes.count * T)
    for (ci, c) in channels.enumerated() {
      guard let from = key(c.1, c.3), let to = key(c.2, c.3) else { continue }
      for t in 0..<T {
        terms[from * T + t].append((flow[ci * T + t], -1))
        dispatch[from * T + t].append((flow[ci * T + t], 1))
        let arrive = arrival[ci * T + t]
        if arrive < T {
          terms[to * T + arrive].append((flow[ci * T + t], 1))
          // Same-month deliveries (lead time 0) arrive after the month's shipping, as in the engine.
          if arrive > t { dispatch[to * T + arrive].append((flow[ci * T + t], -1)) }
        }
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
    for (ri, r) in s.reserves.enumerated() {
      guard let k = key(r.site, r.material) else { continue }
      for t in 0..<T {
        terms[k * T + t].append((rFill[ri * T + t], -1))
        terms[k * T + t].append((rRel[ri * T + t], 1))
      }
    }
    for (ni, n) in nodes.enumerated() {
      for (t, month) in months.enumerated() {
        let ts = terms[ni * T + t]
        let c = try m.addConstraint(
          "Site-balance[\(n.0),\(n.1),\(t)]", variables: ts.map(\.0), coefficients: ts.map(\.1), lower: rhs[ni * T + t], upper: rhs[ni * T + t],
          description: "balance of \(n.1) at \(n.0) in \(month)")
        rows.append(c)
      }
    }
    self.balanceRows = rows
    for (ni, n) in nodes.enumerated() {
      let initial = (siteByID[n.0]?.initialStocks.filter { $0.material == n.1 }.reduce(0) { $0 + $1.mass } ?? 0) / 1000
      for (t, month) in months.enumerated() where dispatch[ni * T + t].contains(where: { $0.1 > 0 }) {
        var ts = dispatch[ni * T + t]
        if t > 0 { ts.append((stock[ni * T + t - 1], -1)) }
        try m.addConstraint(
          "Site-dispatch[\(n.0),\(n.1),\(t)]", variables: ts.map(\.0), coefficients: ts.map(\.1), lower: -.infinity, upper: t == 0 ? initial : 0,
          description: "shipments of \(n.1) from \(n.0) in \(month) come from stock and arrivals")
      }
    }
    // Link capacity (t/month) over all materials on the link.
    for l in s.links {
      guard let cap = l.capacity else { continue }
      let cs = channels.indices.filter { channels[$0].0 == l.id }
      guard !cs.isEmpty else { continue }
      for (t, month) in months.enumerated() {
        let c = try m.addConstraint(
          "Link-capacity[\(l.id),\(t)]", variables: cs.map { flow[$0 * T + t] }, coefficients: cs.map { _ in 1 }, lower: -.infinity,
          upper: cap * tPerMonth, description: "capacity of link \(l.id) in \(month)")
        causeC[c.index] = "capacity of link \(l.id)"
      }
    }
    // Quotas (t/month) over the flows each covers.
    for (pi, p) in s.policies.enumerated() {
      guard case .quota(let q) = p.kind else { continue }
      let cs = channels.indices.filter { channelPolicies[$0].contains(pi) }
      guard !cs.isEmpty else { continue }
      for (t, month) in months.enumerated() where p.isActive(at: month) {
        let c = try m.addConstraint(
          "Policy-quota[\(p.id),\(t)]", variables: cs.map { flow[$0 * T + t] }, coefficients: cs.map { _ in 1 }, lower: -.infinity,
          upper: q * tPerMonth, description: "quota \(p.id) (\(p.name)) in \(month)")
        causeC[c.index] = "\(p.name) (quota)"
      }
    }
    // Tolling accounts: owed[t] = owed[t−1] + share × yield × input arrived in t − returned in t ≥ 0.
    var allOwed: [Variable] = []
    for (a, ag) in s.agreements.enumerated() {
      let inK = purposes.firstIndex(of: .tollingInput(a)), retK = purposes.firstIndex(of: .tollingReturn(a))
      guard let retK else { continue }
      var owed: [Variable] = []
      var inflow = Array(repeating: [(Variable, Double)](), count: T)
      if let inK {
        for t in 0..<T where arrival[inK * T + t] < T { inflow[arrival[inK * T + t]].append((flow[inK * T + t], ag.shareReturned * tollYield[a])) }
      }
      for (t, month) in months.enumerated() {
        // Held owed output costs holding, so returns leave as soon as they can (as in the engine);
        // everything owed leaves by the last month.
        let o = try m.addVariable(
          "Tolling-owed[\(ag.id),\(t)]", lower: 0, upper: t == T - 1 ? 0 : .infinity, objective: options.holdingCost,
          description: "\(ag.output) owed under \(ag.id) at the end of \(month) (t)")
        owed.append(o)
        allOwed.append(o)
        var vs: [Variable] = [o, flow[retK * T + t]], cs: [Double] = [1, 1]
        if t > 0 {
          vs.append(owed[t - 1])
          cs.append(-1)
        }
        for (v, w) in inflow[t] {
          vs.append(v)
          cs.append(-w)
        }
        let c = try m.addConstraint(
          "Tolling-account[\(ag.id),\(t)]", variables: vs, coefficients: cs, lower: 0, upper: 0,
          description: "output owed under agreement \(ag.id) in \(month)")
        causeC[c.index] = "returns owed under agreement \(ag.id)"
      }
    }
    // Reserves: level accounts, target, release only to covered demand.
    for (ri, r) in s.reserves.enumerated() {
      let covers = s.demands.indices.filter { k in
        let d = s.demands[k]
        return d.site == r.site && d.material == r.material && (r.releaseTo.isEmpty || r.releaseTo.contains(d.sector))
      }
      let initLow = min(r.initial, r.floor) / 1000, initHigh = max(0, r.initial - r.floor) / 1000
      for (t, month) in months.enumerated() {
        let i = ri * T + t
        // low + high − previous − fill + release = 0
        var vs = [rLow[i], rHigh[i], rFill[i], rRel[i]], cs = [1.0, 1, -1, 1]
        var b = 0.0
        if t > 0 {
          vs += [rLow[i - 1], rHigh[i - 1]]
          cs += [-1, -1]
        } else {
          b = initLow + initHigh
        }
        try m.addConstraint("Reserve-level[\(r.id),\(t)]", variables: vs, coefficients: cs, lower: b, upper: b, description: "level of reserve \(r.id) in \(month)")
        // Release only from above the floor: high − previous high + release ≥ 0 is implied by
        // low ≤ floor together with low never falling: low[t] ≥ low[t−1].
        if t > 0 {
          try m.addConstraint("Reserve-floor[\(r.id),\(t)]", variables: [rLow[i], rLow[i - 1]], coefficients: [1, -1], lower: 0, upper: .infinity, description: "reserve \(r.id) keeps its floor in \(month)")
        } else {
          try m.setBounds(of: rLow[i], lower: initLow, upper: r.floor / 1000)
        }
        let tc = try m.addConstraint(
          "Reserve-target[\(r.id),\(t)]", variables: [rLow[i], rHigh[i]], coefficients: [1, 1], lower: -.infinity, upper: max(r.target, r.initial) / 1000,
          description: "target of reserve \(r.id) in \(month)")
        causeC[tc.index] = "target of reserve \(r.id)"
        // release ≤ Σ covered (required − unmet)
        var req = 0.0
        var uv: [Variable] = [rRel[i]], uc: [Double] = [1]
        for k in covers {
          req += s.demands[k].units(at: month, monthIndex: t) * s.demands[k].intensity * tPerMonth
          uv.append(unmet[k * T + t])
          uc.append(1)
        }
        try m.addConstraint("Reserve-release[\(r.id),\(t)]", variables: uv, coefficients: uc, lower: -.infinity, upper: req, description: "release of reserve \(r.id) to the sectors it covers in \(month)")
      }
    }
    // Investments: modules per candidate; capacity of each expanded process.
    for (ci, c) in s.candidates.enumerated() where !builds[ci].isEmpty {
      let row = try m.addConstraint(
        "Candidate-modules[\(c.id)]", variables: builds[ci].map(\.1), coefficients: builds[ci].map { _ in 1 }, lower: -.infinity,
        upper: Double(c.maxModules), description: "at most \(c.maxModules) modules of \(c.name)")
      causeC[row.index] = "at most \(c.maxModules) modules of \(c.name)"
    }
    for (pi, p) in s.processes.enumerated() where expanded.contains(p.id) {
      for (t, month) in months.enumerated() {
        let base = p.capacity * tPerMonth * p.availability.factor(at: month)
        var vs = [activity[pi * T + t]], cs = [1.0]
        for (ci, c) in s.candidates.enumerated() where c.process == p.id {
          for (t0, v) in builds[ci] where t0 + c.leadTime <= t {
            vs.append(v)
            cs.append(-c.moduleCapacity * tPerMonth)
          }
        }
        let row = try m.addConstraint(
          "Process-capacity[\(p.id),\(t)]", variables: vs, coefficients: cs, lower: -.infinity, upper: base,
          description: "capacity of \(p.name) (\(p.id)) in \(month), with the modules built")
        causeC[row.index] = "capacity of \(p.name)"
      }
    }
    // Share caps over the horizon: from-country shipments of a form ≤ f × the form's use elsewhere.
    for cap in options.shareCaps {
      var vs: [Variable] = [], cs: [Double] = []
      for (ci, c) in channels.enumerated() where materialByID[c.3]?.form == cap.form && country(c.1) == cap.country && country(c.2) != cap.country {
        for t in 0..<T {
          vs.append(flow[ci * T + t])
          cs.append(1)
        }
      }
      var b = 0.0
      for (di, d) in s.demands.enumerated() where materialByID[d.material]?.form == cap.form && country(d.site) != cap.country {
        for (t, month) in months.enumerated() {
          // −f × served = −f × (required − unmet)
          b += cap.fraction * d.units(at: month, monthIndex: t) * d.intensity * tPerMonth
          vs.append(unmet[di * T + t])
          cs.append(cap.fraction)
        }
      }
      for (pi, p) in s.processes.enumerated() where country(p.site) != cap.country {
        let use = p.inputs.filter { materialByID[$0.material]?.form == cap.form }.reduce(0) { $0 + $1.amount }
        guard use > 0 else { continue }
        for t in 0..<T {
          vs.append(activity[pi * T + t])
          cs.append(-cap.fraction * use)
        }
      }
      let row = try m.addConstraint(
        "Share-cap[\(cap.country),\(cap.form.rawValue)]", variables: vs, coefficients: cs, lower: -.infinity, upper: b,
        description: "at most \(formatNumber(cap.fraction * 100, significantDigits: 4)) % of \(cap.form.rawValue) supply from \(cap.country)")
      causeC[row.index] = "at most \(formatNumber(cap.fraction * 100, significantDigits: 4)) % of \(cap.form.rawValue) supply from \(cap.country)"
    }
    self.tollOwed = allOwed
    self.causeOfVariable = causeV
    self.causeOfConstraint = causeC
    self.unmetOwner = unmetOwner
    self.model = m
  }
}
