import ArgumentParser
import Foundation
import Optimization
import Planning
import Quantities
import Reports
import SupplyChain

struct Plan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Optimise what to run, ship and hold each month (least cost, least unmet demand, or least dependence on a country).",
    discussion: """
      Builds a multi-period LP with the simulation's semantics (capacities, element-balanced recipes, lead times,
      bans and quotas, link capacities, unmet demand at a penalty) and solves it with COIN-OR CBC/CLP.
      Not yet modelled: tolling agreements, reserves and investment decisions (see the README).
      """)

  @Argument(help: "A scenario YAML file; omit for the built-in India scenario.") var file: String?
  @Option(help: "A variant defined in the scenario.") var variant: String?
  @Option(help: "cost, unmet or dependence:CC (e.g. dependence:CN).") var objective: String = "cost"
  @Option(help: "Solver time limit in seconds.") var timeLimit: Double?
  @Option(help: "Relative MIP gap at which to stop (e.g. 0.01).") var gap: Double?
  @Option(help: "Write the model as free MPS to this file (for HiGHS, Gurobi, …).") var exportMps: String?
  @Option(help: "Write the model in CPLEX LP format to this file.") var exportLp: String?
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
  @Option(help: "Directory for plan CSV files.") var out: String?

  func validate() throws {
    guard PlanObjective.parse(objective) != nil else {
      throw ValidationError("--objective must be cost, unmet or dependence:CC (a two-letter country code); got '\(objective)'.")
    }
    if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be > 0 seconds; got \(t).") }
  }

  func run() throws {
    try reportingErrors {
      let scenario = try loadScenario(path: file, variant: variant)
      let obj = PlanObjective.parse(objective) ?? .cost
      let clock = ContinuousClock()
      let t0 = clock.now
      let plan = try NetworkPlan(scenario: scenario, options: PlanOptions(objective: obj))
      let build = clock.now - t0
      if let p = exportMps { try Data(try plan.model.exportText(.freeMPS).utf8).write(to: URL(fileURLWithPath: p)) }
      if let p = exportLp { try Data(try plan.model.exportText(.lp).utf8).write(to: URL(fileURLWithPath: p)) }
      let result = try plan.solve(with: CBCSolver(options: SolverOptions(timeLimit: timeLimit, relativeGap: gap)))
      let tables = planTables(scenario, plan, result)
      let buildMs = Double(build.components.attoseconds) * 1e-15 + Double(build.components.seconds) * 1e3
      let header = """
        Plan for \(scenario.name)\(variant.map { "/\($0)" } ?? ""): objective \(obj), \(plan.model.variableCount) variables, \
        \(plan.model.constraintCount) constraints; build \(formatNumber(buildMs, significantDigits: 3)) ms
        \(result.termination)
        cost over the horizon: freight \(fixedFormat(result.freightCost, decimals: 0)) USD, holding \(fixedFormat(result.holdingCost, decimals: 0)) USD, unmet-demand penalty \(fixedFormat(result.unmetPenalty, decimals: 0)) USD
        max element balance residual of the plan: \(formatNumber(result.maxBalanceResidual, significantDigits: 2)) (relative)

        """
      try printTables(tables, text: header + tables.map { $0.table.renderText() }.joined(separator: "\n"), format: format)
      if let out { for t in tables { try writeOutput(t.table.renderCSV(), to: out, name: "plan-\(t.name).csv") } }
    }
  }

  func planTables(_ s: Scenario, _ plan: NetworkPlan, _ r: PlanResult) -> [(name: String, table: Table)] {
    let years = Array(Set(r.months.map(\.year))).sorted()
    func perYear(_ v: [Double]) -> [String] {
      years.map { y in formatNumber(zip(r.months, v).filter { $0.0.year == y }.reduce(0) { $0 + $1.1 }, significantDigits: 5) }
    }
    var demand = Table(title: "Unmet demand (t per year)", columns: ["demand", "sector"] + years.map(String.init) + ["total", "met %"])
    for d in r.demand {
      let sector = s.demands.first { $0.id == d.demand }?.sector.rawValue ?? ""
      let req = d.required.reduce(0, +), un = d.unmet.reduce(0, +)
      demand.append([d.demand.rawValue, sector] + perYear(d.unmet) + [formatNumber(un, significantDigits: 5), formatNumber(req > 0 ? 100 * (1 - un / req) : 100, significantDigits: 4)])
    }
    var flows = Table(title: "Shipments (t per year)", columns: ["link", "material"] + years.map(String.init) + ["total"])
    for f in r.flows where f.values.reduce(0, +) > 1e-9 {
      flows.append([f.link.rawValue, f.material.rawValue] + perYear(f.values) + [formatNumber(f.values.reduce(0, +), significantDigits: 5)])
    }
    var production = Table(title: "Production (t of capacity basis per year)", columns: ["process"] + years.map(String.init) + ["total"])
    for a in r.activity where a.values.reduce(0, +) > 1e-9 {
      production.append([a.process.rawValue] + perYear(a.values) + [formatNumber(a.values.reduce(0, +), significantDigits: 5)])
    }
    var tables = [("demand", demand), ("shipments", flows), ("production", production)]
    if let prices = r.shadowPrices {
      var sp = Table(title: "Shadow prices: value of one more tonne (USD/t, mean over each year)", columns: ["site", "material"] + years.map(String.init))
      for p in prices where p.values.contains(where: { abs($0) > 1e-6 }) {
        sp.append([p.site.rawValue, p.material.rawValue] + years.map { y in
          let v = zip(r.months, p.values).filter { $0.0.year == y }.map(\.1)
          return formatNumber(v.reduce(0, +) / Double(max(1, v.count)), significantDigits: 5)
        })
      }
      tables.append(("shadow-prices", sp))
    }
    return tables
  }
}
