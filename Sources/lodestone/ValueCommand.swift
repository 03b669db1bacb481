import ArgumentParser
import Economics
import Quantities
import Reports
import SupplyChain

struct Value: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Value added per stage and country, the value ladder of a material, the import bill and the CRMA concentration test.")

  @Argument(help: "A scenario YAML file; omit for the built-in India scenario.") var file: String?
  @Option(help: "A variant defined in the scenario.") var variant: String?
  @Option(help: "The home country for import bill and dependence (ISO alpha-2).") var country: String = "IN"
  @Option(help: "Start material of the value ladder (default: the first oxide in the scenario).") var ladder: String?
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

  func run() throws {
    try reportingErrors {
      let scenario = try loadScenario(path: file, variant: variant)
      let result = try simulate(scenario, variant: variant)
      let v = ValueAnalysis(scenario: scenario, result: result)
      let cur = v.currency
      var tables: [Table] = []
      var va = Table(title: "Value added by year, stage and country (\(cur))", columns: ["year", "stage", "country", "output_value", "input_value", "value_added", "unpriced"])
      for r in v.valueAdded() {
        va.append(["\(r.year)", r.stage.rawValue, r.country, fixedFormat(r.outputValue, decimals: 0), fixedFormat(r.inputValue, decimals: 0), fixedFormat(r.valueAdded, decimals: 0), r.unpriced.map(\.rawValue).joined(separator: " ")])
      }
      tables.append(va)
      let startMaterial = ladder.map { MaterialID($0) } ?? scenario.materials.first { $0.form == .oxide }?.id
      if let m = startMaterial {
        guard scenario.material(m) != nil else {
          throw DataError("--ladder must name a material of the scenario; got '\(m)'. Materials: " + scenario.materials.map(\.id.rawValue).joined(separator: ", ") + ".")
        }
        var lt = Table(title: "What 1 kg of \(m) becomes (prices at \(scenario.start))", columns: ["material", "via_process", "stage", "kg_per_kg_start", "price_per_kg", "value_per_kg_start"])
        for r in v.ladder(from: m, month: scenario.start) {
          lt.append([r.material.rawValue, r.process?.rawValue ?? "", r.stage?.rawValue ?? "", formatNumber(r.massPerKgStart, significantDigits: 6), r.pricePerKg.map { formatNumber($0, significantDigits: 6) } ?? "", r.valuePerKgStart.map { formatNumber($0, significantDigits: 6) } ?? ""])
        }
        tables.append(lt)
      }
      var bill = Table(title: "Import bill of \(country) by year, origin and form (\(cur))", columns: ["year", "origin", "form", "mass_t", "value", "complete"])
      for r in v.importBill(country: country) {
        bill.append(["\(r.year)", r.origin, r.form.rawValue, formatNumber(r.mass / 1000, significantDigits: 6), fixedFormat(r.value, decimals: 0), r.unpriced ? "no" : "yes"])
      }
      tables.append(bill)
      var dep = Table(title: "Dependence of \(country) by stage (CRMA benchmark: no single third country above 65 %)", columns: ["stage", "top_foreign", "top_foreign_share_pct", "hhi", "crma"])
      for d in v.dependence(of: country) {
        dep.append([d.stage.rawValue, d.topForeign?.country ?? "-", formatNumber((d.topForeign?.share ?? 0) * 100, significantDigits: 4), fixedFormat(d.hhi, decimals: 0), d.passesCRMA ? "pass" : "FAIL"])
      }
      tables.append(dep)
      switch format {
      case .table: print(tables.map { $0.renderText() }.joined(separator: "\n"), terminator: "")
      case .csv: print(tables.map { $0.renderCSV() }.joined(separator: "\n"), terminator: "")
      case .json: print("[" + tables.map { $0.renderJSON() }.joined(separator: ",") + "]")
      }
    }
  }
}
