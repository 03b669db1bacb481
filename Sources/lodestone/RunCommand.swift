import ArgumentParser
import Chemistry
import Foundation
import Quantities
import Reports
import ScenarioFormat
import ScenarioLink
import Simulation
import SupplyChain

/// Loads a scenario file (or the built-in India scenario when `path` is nil) and applies `variant`.
/// Prints every diagnostic; throws exit 65 when there are errors.
func loadScenario(path: String?, variant: String?) throws -> Scenario {
  let text: String
  let file: String
  if let path {
    text = try readText(path)
    file = path
  } else {
    text = BuiltinScenarios.india2026
    file = "india-2026.yaml (built in)"
  }
  let (scenario, cascades, diagnostics) = ScenarioLoader.load(text: text, file: file, variant: variant)
  if !diagnostics.items.isEmpty {
    printError(DiagnosticRenderer(sources: [file: text]).render(diagnostics))
  }
  guard let scenario, !diagnostics.hasErrors else {
    throw DataError("\(file): \(diagnostics.errors.count) error(s); nothing was run.")
  }
  for c in cascades { printError(c.summary) }
  return scenario
}

/// Runs the monthly engine, turning a refusal into a data error.
func simulate(_ scenario: Scenario, variant: String?) throws -> SimulationResult {
  do {
    return try SimulationEngine(scenario: scenario).run(variant: variant)
  } catch {
    throw DataError(error.description)
  }
}

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate a scenario month by month (default: the built-in India scenario).",
    discussion: """
      Prints a summary (production, tolling, imports, demand met and unmet, stocks, dependence by
      country and stage, element balance residual). With --out, writes tidy CSV, JSON and SVG charts.
      """)

  @Argument(help: "A scenario YAML file; omit for the built-in India scenario.") var file: String?
  @Option(help: "A variant defined in the scenario (see `lodestone validate FILE`).") var variant: String?
  @Option(help: "Output format for standard output: table, json or csv.") var format: OutputFormat = .table
  @Option(help: "Directory for results.csv, results.json and SVG charts.") var out: String?

  func run() throws {
    try reportingErrors {
      let scenario = try loadScenario(path: file, variant: variant)
      let result = try simulate(scenario, variant: variant)
      let report = RunReport(scenario: scenario, result: result)
      switch format {
      case .table: print(report.summaryText(), terminator: "")
      case .csv: print(report.tidyCSV(), terminator: "")
      case .json: print(report.json(), terminator: "")
      }
      if let out {
        try writeOutput(report.tidyCSV(), to: out, name: "results.csv")
        try writeOutput(report.json(), to: out, name: "results.json")
        for (name, svg) in report.svgs() { try writeOutput(svg, to: out, name: name) }
        printError("wrote results.csv, results.json and \(report.svgs().count) SVG charts to \(out)/")
      }
    }
  }
}

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run two scenarios (or two variants) and compare their outcomes side by side.",
    discussion: "A and B are files, or `@VARIANT` for a variant of the built-in India scenario (e.g. `lodestone compare @base @long-ban`), or FILE@VARIANT.")

  @Argument(help: "First scenario: FILE, FILE@VARIANT or @VARIANT.") var a: String
  @Argument(help: "Second scenario: FILE, FILE@VARIANT or @VARIANT.") var b: String
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
  @Option(help: "Directory for comparison tables and SVG.") var out: String?

  static func split(_ spec: String) -> (String?, String?) {
    guard let at = spec.lastIndex(of: "@") else { return (spec, nil) }
    let path = String(spec[..<at])
    let variant = String(spec[spec.index(after: at)...])
    return (path.isEmpty ? nil : path, variant.isEmpty || variant == "base" ? nil : variant)
  }

  func run() throws {
    try reportingErrors {
      let (pa, va) = Compare.split(a), (pb, vb) = Compare.split(b)
      let sa = try loadScenario(path: pa, variant: va), sb = try loadScenario(path: pb, variant: vb)
      let ra = try simulate(sa, variant: va), rb = try simulate(sb, variant: vb)
      let report = CompareReport(a: (sa, ra), b: (sb, rb))
      try printTables(report.tables(), text: report.text(), format: format)
      if let out {
        for (name, svg) in report.svgs() { try writeOutput(svg, to: out, name: name) }
        for t in report.tables() { try writeOutput(t.table.renderCSV(), to: out, name: "compare-\(t.name).csv") }
      }
    }
  }
}

struct Trace: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Where every tonne of one element goes: sources, conversions, trade, losses, uses, stocks.")

  @Argument(help: "A scenario YAML file; omit for the built-in India scenario.") var file: String?
  @Option(help: "The element to trace (e.g. Nd, Dy).") var element: String
  @Option(help: "A variant defined in the scenario.") var variant: String?
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

  func run() throws {
    try reportingErrors {
      guard let e = Element(symbol: element) else {
        throw ValidationError("--element must be an element symbol (e.g. Nd); got '\(element)'.")
      }
      let scenario = try loadScenario(path: file, variant: variant)
      guard scenario.elements.contains(e) else {
        throw DataError("Element '\(element)' is not tracked by scenario '\(scenario.name)'. Tracked: " + scenario.elements.map(\.symbol).joined(separator: ", ") + ".")
      }
      let result = try simulate(scenario, variant: variant)
      let report = try TraceReport(scenario: scenario, result: result, element: e)
      try printTables(report.tables(), text: report.text(), format: format)
    }
  }
}

/// Prints named tables: the text rendering for `table`; for CSV, each table's CSV preceded by a
/// `# name` line; for JSON, one object keyed by table name.
func printTables(_ tables: [(name: String, table: Table)], text: String, format: OutputFormat) throws {
  switch format {
  case .table: print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
  case .csv: print(tables.map { "# \($0.name)\n" + $0.table.renderCSV() }.joined(separator: "\n"), terminator: "")
  case .json:
    print("{" + tables.map { jsonString($0.name) + ": " + $0.table.renderJSON() }.joined(separator: ", ") + "}")
  }
}
