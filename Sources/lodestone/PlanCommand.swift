import ArgumentParser
import Foundation
import Optimization
import Planning
import Quantities
import Reports
import SupplyChain

struct Plan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Optimise what to build, run, ship and hold each month (least cost, least unmet demand, or least dependence on a country).",
    discussion: """
      Builds a multi-period MIP with the simulation's semantics (capacities, element-balanced recipes, lead times,
      bans, licence delays and quotas, link capacities, tolling returns and fees, reserves, unmet demand at a penalty)
      plus the scenario's investment candidates (integer modules with capex, fixed opex and build lead time), and
      solves it with COIN-OR CBC/CLP. --max-share caps the share of magnets (or another form) from a country;
      --pareto N sweeps cost against that share; --stress runs the plan through the simulation.
      """)

  @Argument(help: "A scenario YAML file; omit for the built-in India scenario.") var file: String?
  @Option(help: "A variant defined in the scenario.") var variant: String?
  @Option(help: "cost, unmet or dependence:CC (e.g. dependence:CN).") var objective: String = "cost"
  @Option(
    name: .customLong("max-share"),
    help: "Cap the share of supply from a country over the horizon: CC:SHARE (magnets, e.g. CN:50%) or CC:FORM:SHARE (e.g. CN:oxide:40%). Repeatable.")
  var maxShare: [String] = []
  @Option(help: "Sweep N points of least cost against the share of the first --max-share country (or the dependence:CC country), down to 0 %.")
  var pareto: Int?
  @Option(help: "Keep only the demands of these sectors (comma-separated, e.g. ev-traction,wind).") var sectors: String?
  @Flag(help: "Demand must be met in full (no unmet slack); if impossible, say which demand, when and why.") var hardDemand = false
  @Option(help: "With --hard-demand: the first month (YYYY-MM) whose demand must be met in full.") var hardDemandFrom: String?
  @Flag(help: "Run the plan through the simulation and compare promised and simulated service and freight.") var stress = false
  @Option(help: "Annual discount rate for capex and fixed opex (e.g. 0.08).") var discountRate: Double = 0
  @Option(help: "Solver time limit in seconds.") var timeLimit: Double?
  @Option(help: "Relative MIP gap at which to stop (e.g. 0.01).") var gap: Double?
  @Option(help: "Write the model as free MPS to this file (for HiGHS, Gurobi, …).") var exportMps: String?
  @Option(help: "Write the model in CPLEX LP format to this file.") var exportLp: String?
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
  @Option(help: "Directory for plan CSV files (and the Pareto SVG).") var out: String?

  func validate() throws {
    guard PlanObjective.parse(objective) != nil else {
      throw ValidationError("--objective must be cost, unmet or dependence:CC (a two-letter country code); got '\(objective)'.")
    }
    if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be > 0 seconds; got \(t).") }
    for s in maxShare { if case .failure(let e) = ShareCap.parse(s) { throw ValidationError(e.message) } }
    if let n = pareto {
      guard n >= 2 && n <= 50 else { throw ValidationError("--pareto must be in 2...50 points; got \(n).") }
      if maxShare.isEmpty, case .dependence = PlanObjective.parse(objective) {
      } else if maxShare.isEmpty {
        throw ValidationError("--pareto needs a country: give --max-share CC:SHARE (e.g. CN:100%) or --objective dependence:CC.")
      }
    }
    if let m = hardDemandFrom, (try? YearMonth.parse(m)) == nil {
      throw ValidationError("--hard-demand-from must be a month written YYYY-MM (e.g. 2027-01); got '\(m)'.")
    }
    if !(discountRate >= 0 && discountRate < 1) { throw ValidationError("--discount-rate must be in 0..<1 per year; got \(discountRate).") }
    if let s = sectors {
      for w in s.split(separator: ",") where Sector(rawValue: String(w)) == nil {
        throw ValidationError("--sectors must list sectors among \(Sector.allCases.map(\.rawValue).joined(separator: ", ")); got '\(w)'.")
      }
    }
  }

  func run() throws {
    try reportingErrors {
      var scenario = try loadScenario(path: file, variant: variant)
      if let list = sectors {
        let keep = Set(list.split(separator: ",").compactMap { Sector(rawValue: String($0)) })
        scenario.demands = scenario.demands.filter { keep.contains($0.sector) }
        scenario.reserves = scenario.reserves.filter { r in scenario.demands.contains { $0.site == r.site && $0.material == r.material } }
      }
      let obj = PlanObjective.parse(objective) ?? .cost
      let caps = maxShare.compactMap { try? ShareCap.parse($0).get() }
      let from = hardDemandFrom.flatMap { try? YearMonth.parse($0) }
      let options = PlanOptions(objective: obj, discountRate: discountRate, hardDemand: hardDemand || from != nil, hardDemandFrom: from, shareCaps: caps)
      let solver = CBCSolver(options: SolverOptions(timeLimit: timeLimit, relativeGap: gap))
      if let n = pareto {
        try runPareto(scenario, options, points: n, solver: solver)
        return
      }
      let clock = ContinuousClock()
      let t0 = clock.now
      let plan = try NetworkPlan(scenario: scenario, options: options)
      let build = clock.now - t0
      if let p = exportMps { try Data(try plan.model.exportText(.freeMPS).utf8).write(to: URL(fileURLWithPath: p)) }
      if let p = exportLp { try Data(try plan.model.exportText(.lp).utf8).write(to: URL(fileURLWithPath: p)) }
      let result = try plan.solve(with: solver)
      if result.termination.reason == .infeasible {
        let why = plan.explain(try solver.findConflict(in: plan.model))
        printError(
          "The plan is infeasible: \(why.summary).\nConstraints in conflict (\(why.conflict.members.count)):\n"
            + why.conflict.members.map { "  " + $0.text }.joined(separator: "\n"))
        throw Exit.data
      }
      guard result.termination.hasSolution else {
        throw DataError("The solver found no plan: \(result.termination).")
      }
      var tables = PlanReport.tables(scenario, result)
      var header = """
        Plan for \(scenario.name)\(variant.map { "/\($0)" } ?? ""): objective \(obj)\(caps.isEmpty ? "" : ", " + caps.map(capText).joined(separator: ", ")), \
        \(plan.model.variableCount) variables (\(plan.model.variables.filter { plan.model.kind(of: $0) != .continuous }.count) integer), \
        \(plan.model.constraintCount) constraints; build \(formatNumber(milliseconds(build), significantDigits: 3)) ms
        \(result.termination)
        \(costLine(result))
        demand met: \(percentText(1 - result.totalUnmet / max(result.totalRequired, 1e-12))) (\(formatNumber(result.totalRequired - result.totalUnmet, significantDigits: 6)) of \(formatNumber(result.totalRequired, significantDigits: 6)) t)
        \(shareLines(scenario, result, caps))max element balance residual of the plan: \(formatNumber(result.maxBalanceResidual, significantDigits: 2)) (relative)

        """
      if stress {
        let report = try plan.stressTest(result)
        tables.append(("stress", stressTable(report)))
        header += """
          Stress test (the plan simulated): service promised \(percentText(report.promisedService)), simulated \(percentText(report.simulatedService)); \
          freight promised \(fixedFormat(report.promisedFreight, decimals: 0)) USD, simulated \(fixedFormat(report.simulatedFreight, decimals: 0)) USD; \
          simulation balance residual \(formatNumber(report.simulatedBalanceResidual, significantDigits: 2))

          """
      }
      try printTables(tables, text: header + tables.map { $0.table.renderText() }.joined(separator: "\n"), format: format)
      if let out { for t in tables { try writeOutput(t.table.renderCSV(), to: out, name: "plan-\(t.name).csv") } }
    }
  }

  // MARK: Pareto

  func runPareto(_ scenario: Scenario, _ options: PlanOptions, points: Int, solver: CBCSolver) throws {
    var base = options
    let country: String, form: MaterialForm
    if let first = base.shareCaps.first {
      (country, form) = (first.country, first.form)
    } else if case .dependence(let c) = options.objective {
      (country, form) = (c, .magnet)
      base.objective = .cost
    } else {
      throw ValidationError("--pareto needs a country: give --max-share CC:SHARE or --objective dependence:CC.")
    }
    let sweep = ParetoSweep(scenario: scenario, options: base, country: country, form: form, points: points)
    let pts = try sweep.run(with: solver) { k, p in
      if format == .table { printError("point \(k + 1) of \(points): share ≤ \(p.cap.map(percentText) ?? "free") → cost \(fixedFormat(p.result.totalCost, decimals: 0)) USD") }
    }
    var t = Table(
      title: "Cost against the share of \(form.rawValue) supply from \(country) (ε-constraint sweep)",
      columns: ["point", "share cap", "share", "total cost (USD)", "investment (USD)", "unmet (t)", "demand met", "builds"])
    for (k, p) in pts.enumerated() {
      let r = p.result
      guard r.termination.hasSolution else {
        t.append(["\(k + 1)", p.cap.map(percentText) ?? "-", "-", "-", "-", "-", "-", r.termination.reason.rawValue])
        continue
      }
      t.append([
        "\(k + 1)", p.cap.map(percentText) ?? "none", percentText(p.share), fixedFormat(r.totalCost, decimals: 0), fixedFormat(r.investmentCost, decimals: 0),
        formatNumber(r.totalUnmet, significantDigits: 6), percentText(1 - r.totalUnmet / max(r.totalRequired, 1e-12)),
        r.builds.isEmpty ? "none" : r.builds.map { "\($0.modules)×\($0.candidate) \($0.start)" }.joined(separator: "; "),
      ])
    }
    try printTables([("pareto", t)], text: t.renderText(), format: format)
    if let out {
      try writeOutput(t.renderCSV(), to: out, name: "pareto.csv")
      var chart = LineChart(title: "Least cost against the share of \(form.rawValue)s from \(country)", xLabel: "share from \(country) (%)", yLabel: "total cost (MUSD)")
      chart.series = [
        LineChart.Series(name: "frontier", points: pts.filter(\.result.termination.hasSolution).map { ($0.share * 100, $0.result.totalCost / 1e6) }.sorted { $0.0 < $1.0 }, markers: true)
      ]
      try writeOutput(chart.render(), to: out, name: "pareto.svg")
    }
  }

  // MARK: Tables and lines

  func capText(_ c: ShareCap) -> String { "≤ \(percentText(c.fraction)) of \(c.form.rawValue) from \(c.country)" }
  func percentText(_ f: Double) -> String { formatNumber(f * 100, significantDigits: 4) + " %" }
  func milliseconds(_ d: Duration) -> Double { Double(d.components.attoseconds) * 1e-15 + Double(d.components.seconds) * 1e3 }

  func costLine(_ r: PlanResult) -> String {
    "cost over the horizon: total \(fixedFormat(r.totalCost, decimals: 0)) USD = freight \(fixedFormat(r.freightCost, decimals: 0)) + holding \(fixedFormat(r.holdingCost, decimals: 0)) + tolling fees \(fixedFormat(r.tollingFees, decimals: 0)) + investment \(fixedFormat(r.investmentCost, decimals: 0)) + unmet-demand penalty \(fixedFormat(r.unmetPenalty, decimals: 0))"
  }

  /// The share of magnets (and of each capped form) from each capped country, or from China by default.
  func shareLines(_ s: Scenario, _ r: PlanResult, _ caps: [ShareCap]) -> String {
    var asked = caps.map { ($0.country, $0.form) }
    if case .dependence(let c) = PlanObjective.parse(objective) ?? .cost { asked.append((c, .magnet)) }
    if asked.isEmpty && s.sites.contains(where: { $0.country == "CN" }) { asked.append(("CN", .magnet)) }
    var seen = Set<String>()
    return asked.filter { seen.insert($0.0 + $0.1.rawValue).inserted }.map { "share of \($0.1.rawValue) supply from \($0.0): \(percentText(r.share(of: $0.1, from: $0.0, in: s)))\n" }.joined()
  }

  func stressTable(_ r: StressReport) -> Table {
    var t = Table(title: "Stress test: the plan run through the simulation (t over the horizon)", columns: ["demand", "required", "unmet promised", "unmet simulated", "difference"])
    for d in r.demands {
      t.append([d.demand.rawValue, formatNumber(d.required, significantDigits: 6), formatNumber(d.promisedUnmet, significantDigits: 6), formatNumber(d.simulatedUnmet, significantDigits: 6), formatNumber(d.simulatedUnmet - d.promisedUnmet, significantDigits: 4)])
    }
    return t
  }
}
