import ArgumentParser
import Reports
import ScenarioFormat

/// `lodestone schema [--format json|table|csv]`
struct Schema: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the JSON Schema of the scenario format (for editor completion), or its keys as a table.",
    discussion: """
      Save it and point the VS Code YAML extension at it, e.g. with a first line \
      '# yaml-language-server: $schema=./lodestone-scenario.schema.json' in the scenario file.
      """)

  @Option(help: "json: the JSON Schema (draft 2020-12); table or csv: one row per section key.")
  var format: OutputFormat = .json

  func run() throws {
    try reportingErrors {
      switch format {
      case .json: print(ScenarioSchema.json, terminator: "")
      case .table: print(keyTable().renderText(), terminator: "")
      case .csv: print(keyTable().renderCSV(), terminator: "")
      }
    }
  }

  func keyTable() -> Table {
    var t = Table(columns: ["section", "key", "required", "description"])
    for s in FormatSpec.sections {
      for a in s.attributes { t.append([s.name, a.name, a.required ? "yes" : "no", a.description]) }
    }
    return t
  }
}
