import Optimization
import Quantities
import Simulation
import SupplyChain

// MARK: Infeasibility in planning terms

/// Why a plan with hard demand is infeasible, in the scenario's words.
public struct PlanInfeasibility: Sendable {
  /// The demand-months that the conflict says cannot all be met, in model order.
  public var demands: [(demand: DemandID, month: YearMonth)]
  /// The limits that make them impossible (policies, capacities, quotas, agreement rates), in
  /// the order they appear in the conflict, each once.
  public var causes: [String]
  /// The solver's conflict (rows and bounds) behind the explanation.
  public var conflict: Conflict
  /// One sentence: "demand of in-ev-cars in 2027-03 cannot be met: China export ban and capacity of RED Aluva SX".
  public var summary: String
}

extension NetworkPlan {
  /// Turns a conflict found in this plan's model into the demand-months it concerns and the
  /// limits that cause it. Balance rows and non-negativity are the structure of every plan and
  /// are not named; when nothing else is in the conflict, the cause is the time it takes supply
  /// to arrive (lead times and opening stocks).
  public func explain(_ conflict: Conflict) -> PlanInfeasibility {
    var demands: [(DemandID, YearMonth)] = []
    var causes: [String] = []
    var sites: [SiteID] = []
    func cause(_ text: String?) { if let text, !causes.contains(text) { causes.append(text) } }
    for m in conflict.members {
      switch m.kind {
      case .upperBound(let v), .lowerBound(let v):
        if let (d, t) = unmetOwner[v.index] {
          demands.append((scenario.demands[d].id, scenario.start.adding(months: t)))
          if !sites.contains(scenario.demands[d].site) { sites.append(scenario.demands[d].site) }
        } else {
          cause(causeOfVariable[v.index])
        }
      case .constraint(let c):
        cause(causeOfConstraint[c.index])
      }
    }
    if causes.isEmpty && !demands.isEmpty {
      causes.append("supply cannot reach \(sites.map(\.rawValue).joined(separator: ", ")) in time (lead times and opening stocks)")
    }
    let because = causes.count <= 1 ? causes.joined() : causes.dropLast().joined(separator: ", ") + " and " + (causes.last ?? "")
    var summary: String
    if let first = demands.first {
      summary = "demand of \(first.0) in \(first.1)"
      if demands.count > 1 {
        let others = Set(demands.dropFirst().map { "\($0.0)|\($0.1)" }).count
        summary += " (and \(others) more demand-month\(others == 1 ? "" : "s"))"
      }
      summary += " cannot be met: " + because
    } else if conflict.isIntegralityConflict {
      summary = "no whole number of modules satisfies every constraint: " + conflict.summary
    } else {
      summary = "the plan is infeasible: " + (causes.isEmpty ? conflict.summary : because)
    }
    return PlanInfeasibility(demands: demands, causes: causes, conflict: conflict, summary: summary)
  }
}

// MARK: Pareto frontier between cost and dependence

/// One point of a cost–dependence frontier.
public struct ParetoPoint: Sendable {
  /// The share cap imposed (0…1); `nil` for a first point without one.
  public var cap: Double?
  /// The share achieved (0…1).
  public var share: Double
  /// The plan at this point.
  public var result: PlanResult
}

/// An ε-constraint sweep: least cost with the share of `form` from `country` capped at evenly spaced
/// levels from the first point's share (the options as given, with any cap on that country and
/// form) down to zero.
public struct ParetoSweep: Sendable {
  public var scenario: Scenario
  public var options: PlanOptions
  public var country: String
  public var form: MaterialForm
  /// Number of points (≥ 2), the unconstrained optimum included.
  public var points: Int

  public init(scenario: Scenario, options: PlanOptions, country: String, form: MaterialForm = .magnet, points: Int) {
    self.scenario = scenario
    self.options = options
    self.country = country
    self.form = form
    self.points = points
  }

  /// Solves every point; `progress` is called after each with its index.
  public func run(with solver: some Solver, progress: (Int, ParetoPoint) -> Void = { _, _ in }) throws -> [ParetoPoint] {
    let first = try NetworkPlan(scenario: scenario, options: options).solve(with: solver)
    let top = first.share(of: form, from: country, in: scenario)
    let given = options.shareCaps.first { $0.country == country && $0.form == form }?.fraction
    var out = [ParetoPoint(cap: given, share: top, result: first)]
    progress(0, out[0])
    let n = max(2, points)
    for k in 1..<n {
      let eps = top * (1 - Double(k) / Double(n - 1))
      var o = options
      o.shareCaps.removeAll { $0.country == country && $0.form == form }
      o.shareCaps.append(ShareCap(country: country, form: form, fraction: eps))
      let r = try NetworkPlan(scenario: scenario, options: o).solve(with: solver)
      out.append(ParetoPoint(cap: eps, share: r.share(of: form, from: country, in: scenario), result: r))
      progress(k, out[k])
    }
    return out
  }
}

// MARK: Stress test: the plan run through the simulation

/// Promised (plan) and simulated service and cost of one plan.
public struct StressReport: Sendable {
  /// Per demand: t required, t the plan leaves unmet, t the simulation leaves unmet.
  public var demands: [(demand: DemandID, required: Double, promisedUnmet: Double, simulatedUnmet: Double)]
  /// Freight over the horizon, USD: the plan's and the simulation's (shipments × link cost).
  public var promisedFreight: Double
  public var simulatedFreight: Double
  /// Largest relative element-balance residual of the simulation.
  public var simulatedBalanceResidual: Double
  /// The scenario that was simulated (built modules as processes, links as the plan uses them).
  public var scenario: Scenario

  /// Share of required demand met (0…1), promised and simulated.
  public var promisedService: Double {
    let req = demands.reduce(0) { $0 + $1.required }
    return req > 0 ? 1 - demands.reduce(0) { $0 + $1.promisedUnmet } / req : 1
  }
  public var simulatedService: Double {
    let req = demands.reduce(0) { $0 + $1.required }
    return req > 0 ? 1 - demands.reduce(0) { $0 + $1.simulatedUnmet } / req : 1
  }
}

extension NetworkPlan {
  /// The plan as a scenario the engine can run: each build becomes a process (a copy of the
  /// expanded process with the modules' capacity, commissioned when they operate, no ramp), and
  /// each link carries only the materials the plan ships on it, capped at the plan's busiest month;
  /// links the plan does not use are dropped unless an agreement ships on them.
  public func planScenario(_ r: PlanResult) -> Scenario {
    var s = scenario
    s.candidates = []
    for b in r.builds {
      guard var p = scenario.processes.first(where: { $0.id == b.process }) else { continue }
      p.id = ProcessID("\(b.process)-\(b.candidate)-\(b.start)")
      p.name += " (built: \(b.modules) module\(b.modules == 1 ? "" : "s") of \(b.candidate))"
      p.capacity = b.capacity
      p.availability = Availability(commissioning: b.operating)
      s.processes.append(p)
    }
    let tPerMonth = secondsPerMonth / 1000
    var links: [Link] = []
    for l in scenario.links {
      let ks = r.flows.indices.filter { r.flows[$0].link == l.id }
      let used = ks.filter { r.flows[$0].values.contains { $0 > 1e-9 } }
      let tolling = scenario.agreements.contains { ($0.principal == l.from && $0.processor == l.to) || ($0.processor == l.from && $0.returnTo == l.to) }
      if used.isEmpty && !tolling { continue }
      var x = l
      if !tolling {
        x.materials = Array(Set(used.map { r.flows[$0].material })).sorted()
        let peak = (0..<T).map { t in used.reduce(0.0) { $0 + r.flows[$1].values[t] } }.max() ?? 0
        x.capacity = min(l.capacity ?? .infinity, peak * (1 + 1e-9) / tPerMonth)
      }
      links.append(x)
    }
    s.links = links
    return s
  }

  /// Runs the engine on ``planScenario(_:)`` and compares its service and freight with the plan's.
  public func stressTest(_ r: PlanResult) throws -> StressReport {
    let s = planScenario(r)
    let sim = try SimulationEngine(scenario: s).run()
    let cost = Dictionary(s.links.map { ($0.id, $0.cost) }, uniquingKeysWith: { a, _ in a })
    let simFreight = sim.shipments.reduce(0.0) { $0 + $1.shipped.reduce(0, +) * (cost[$1.link] ?? 0) }
    var rows: [(DemandID, Double, Double, Double)] = []
    for d in r.demand {
      let simUnmet = (sim.demands.first { $0.demand == d.demand }?.unmet.reduce(0, +) ?? 0) / 1000
      rows.append((d.demand, d.required.reduce(0, +), d.unmet.reduce(0, +), simUnmet))
    }
    return StressReport(
      demands: rows, promisedFreight: r.freightCost, simulatedFreight: simFreight,
      simulatedBalanceResidual: sim.balance.maxRelative, scenario: s)
  }
}
