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
      let tables = PlanReport.tables(scenario, plan, result)
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
}
