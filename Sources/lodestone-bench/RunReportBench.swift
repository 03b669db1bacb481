import Quantities
import Reports
import Simulation

/// Report generation on generated networks: the tidy CSV, the JSON document, the summary and
/// every SVG, timed apart from the simulation that produced the result.
let runReportBenchmark = Benchmark(name: "reports", summary: "run report outputs (CSV, JSON, summary, SVGs, trace) on generated networks") {
  for (sites, materials, months) in [(20, 4, 60), (80, 6, 120), (200, 8, 240)] {
    let scenario = ScenarioGenerator(sites: sites, materials: materials, months: months).make(seed: 1)
    guard let engine = try? SimulationEngine(scenario: scenario) else {
      print("\(sites) sites × \(months) months: generated scenario did not validate")
      continue
    }
    let result = engine.run()
    let report = RunReport(scenario: scenario, result: result)
    var csv = ""
    let tCSV = bestSeconds(repeats: 3) { csv = report.tidyCSV() }
    let bytes = csv.utf8.count
    let rows = csv.utf8.reduce(0) { $1 == 10 ? $0 + 1 : $0 } - 1  // counted outside the timing
    var jsonBytes = 0
    let tJSON = bestSeconds(repeats: 3) { jsonBytes = report.json().utf8.count }
    var textBytes = 0
    let tText = bestSeconds(repeats: 3) { textBytes = report.summaryText().utf8.count }
    var svgBytes = 0
    let tSVG = bestSeconds(repeats: 3) { svgBytes = report.svgs().reduce(0) { $0 + $1.svg.utf8.count } }
    var residual = 0.0
    let tTrace = bestSeconds(repeats: 3) {
      residual = result.elements.reduce(0.0) { acc, e in
        max(acc, (try? TraceReport(scenario: scenario, result: result, element: e))?.relativeClosureResidual ?? .nan)
      }
    }
    func ms(_ s: Double) -> String { formatNumber(s * 1000, significantDigits: 3) + " ms" }
    print(
      "\(sites) sites × \(materials) materials × \(months) months: CSV \(rows) rows (\(bytes / 1024) KiB) in \(ms(tCSV)) = "
        + "\(formatNumber(Double(rows) / tCSV, significantDigits: 3)) rows/s; JSON \(jsonBytes / 1024) KiB in \(ms(tJSON)); "
        + "summary \(textBytes / 1024) KiB in \(ms(tText)); SVGs \(svgBytes / 1024) KiB in \(ms(tSVG)); "
        + "trace of \(result.elements.count) elements in \(ms(tTrace)) (max closure \(formatNumber(residual, significantDigits: 2)))")
  }
}
