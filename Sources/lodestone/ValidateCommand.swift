import ArgumentParser
import Reports
import ScenarioFormat
import ScenarioLink
import SupplyChain

/// `lodestone validate FILE… [--variant NAME] [--strict] [--format table|json|csv]`
struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check scenario files and report every problem at once, with file:line:column and the valid choices.",
    discussion: """
      Without --variant, the base scenario and each of its variants are checked. Exit status: 0 when \
      there are no errors (warnings are allowed unless --strict), 65 when there are errors.
      """)

  @Argument(help: "Scenario files (YAML).") var files: [String]
  @Option(help: "Check only this variant (see the file's variants: section).") var variant: String?
  @Flag(help: "Treat warnings as errors.") var strict = false
  @Option(help: "Output format: table (messages with source excerpts), json or csv (one row per diagnostic).")
  var format: OutputFormat = .table

  func validate() throws {
    if files.isEmpty { throw ValidationError("Give at least one scenario file, e.g. 'lodestone validate Scenarios/india-2026.yaml'.") }
  }

  func run() throws {
    var failed = false
    try reportingErrors {
      var sources: [String: String] = [:]
      var all: [Diagnostic] = []  // file by file, in argument order
      var summary = Table(columns: ["file", "errors", "warnings", "status"])
      for file in files {
        let text = try readText(file)
        sources[file] = text
        var d: Diagnostics
        if let variant {
          d = ScenarioLoader.load(text: text, file: file, variant: variant).diagnostics
        } else {
          d = ScenarioLoader.diagnoseWithVariants(text: text, file: file)
        }
        if strict {
          d = Diagnostics(d.items.map { x in
            var x = x
            if x.severity == .warning {
              x.severity = .error
              x.message += " (a warning, promoted by --strict)"
            }
            return x
          })
        }
        if d.hasErrors { failed = true }
        summary.append([file, "\(d.errors.count)", "\(d.warnings.count)", d.hasErrors ? "invalid" : "ok"])
        all += d.sorted
      }
      switch format {
      case .table:
        let renderer = DiagnosticRenderer(sources: sources)
        let text = all.map { renderer.render($0) }.joined()
        if !text.isEmpty { print(text) }
        print(summary.renderText(), terminator: "")
      case .json: print(diagnosticTable(all).renderJSON(), terminator: "")
      case .csv: print(diagnosticTable(all).renderCSV(), terminator: "")
      }
    }
    if failed { throw Exit.data }
  }

  /// One row per diagnostic, in the renderer's order.
  func diagnosticTable(_ d: [Diagnostic]) -> Table {
    var t = Table(columns: ["file", "line", "column", "severity", "code", "message", "alternatives"])
    for x in d {
      t.append([
        x.location?.file ?? "", x.location.map { "\($0.line)" } ?? "", x.location.map { "\($0.column)" } ?? "",
        x.severity.rawValue, x.code, x.message, x.alternatives.joined(separator: " "),
      ])
    }
    return t
  }
}
