import Foundation
import Testing
import TestSupport

/// End-to-end tests of the built `lodestone` binary: chemistry, run, compare, trace, exit codes.
@Suite struct CoreCLI {
  @Test func chemConvertMatchesHandCalculation() throws {
    // 450 t Nd2O3 × (2 × 144.242) / 336.481 = 385.81 t Nd (issue 2's reference: 385.8 t).
    let r = try runLodestone(["chem", "convert", "450 t Nd2O3", "--to", "Nd"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("= 385.81 t Nd"), "\(r.stdout)")
    let csv = try runLodestone(["chem", "convert", "450 t Nd2O3", "--to", "Nd", "--unit", "kg", "--format", "csv"])
    #expect(csv.stdout.contains("385810"), "\(csv.stdout)")
  }

  @Test func chemMassTable() throws {
    let r = try runLodestone(["chem", "mass", "Nd2Fe14B"])
    #expect(r.status == 0)
    // 2 × 144.242 + 14 × 55.845 + 10.81 = 1081.124 g/mol
    #expect(r.stdout.contains("1081.1240 g/mol"), "\(r.stdout)")
  }

  @Test func badFormulaIsDataError() throws {
    let r = try runLodestone(["chem", "mass", "Nd2Qq3"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("column 4"), "\(r.stderr)")
    #expect(r.stderr.contains("unknown element symbol 'Qq'"))
  }

  @Test func unknownUnitListsChoices() throws {
    let r = try runLodestone(["chem", "convert", "450 tonnes Nd2O3", "--to", "Nd"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("Unknown unit 'tonnes'"), "\(r.stderr)")
    #expect(r.stderr.contains("Known units:"))
  }

  @Test func usageErrorIs64() throws {
    let r = try runLodestone(["chem", "convert", "450 t Nd2O3"])  // missing --to
    #expect(r.status == 64, "\(r.stderr)")
    let bogus = try runLodestone(["run", "--format", "png"])
    #expect(bogus.status == 64)
    #expect(bogus.stderr.contains("table"), "\(bogus.stderr)")
  }

  @Test func runIndiaWritesEveryOutput() throws {
    let dir = try temporaryDirectory("run")
    let r = try runLodestone(["run", "--out", dir.path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("balance"), "\(r.stdout)")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    for f in ["results.csv", "results.json", "sankey.svg", "demand.svg", "stocks.svg"] {
      #expect(files.contains(f), "missing \(f) in \(files)")
    }
    let csv = try String(contentsOf: dir.appendingPathComponent("results.csv"), encoding: .utf8)
    #expect(csv.hasPrefix("month,entity_type,entity,measure,unit,value"))
    let json = try Data(contentsOf: dir.appendingPathComponent("results.json"))
    #expect((try? JSONSerialization.jsonObject(with: json)) != nil)
    let svg = try String(contentsOf: dir.appendingPathComponent("sankey.svg"), encoding: .utf8)
    #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
  }

  @Test func runIsDeterministic() throws {
    let a = try runLodestone(["run", "--format", "csv"])
    let b = try runLodestone(["run", "--format", "csv"])
    #expect(a.status == 0)
    #expect(a.stdout == b.stdout)
  }

  @Test func variantsChangeTheOutcome() throws {
    let r = try runLodestone(["compare", "@base", "@long-ban"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stdout.isEmpty)
    let unknown = try runLodestone(["run", "--variant", "no-such-variant"])
    #expect(unknown.status == 65)
    #expect(unknown.stderr.contains("long-ban"), "the error lists the variants: \(unknown.stderr)")
  }

  @Test func traceClosesForNeodymium() throws {
    let r = try runLodestone(["trace", "--element", "Nd"])
    #expect(r.status == 0, "\(r.stderr)")
    let bad = try runLodestone(["trace", "--element", "Xx"])
    #expect(bad.status == 64)
  }

  @Test func missingFileIsDataError() throws {
    let r = try runLodestone(["run", "/nonexistent/scenario.yaml"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("does not exist"))
  }

  /// The India scenario's tidy CSV against the blessed copy in Tests/Golden. Re-record with
  /// `RECORD_GOLDEN=1 scripts/test --filter Golden` (recording fails the test so it is never silent).
  @Test func goldenIndiaCSV() throws {
    let r = try runLodestone(["run", "--format", "csv"])
    #expect(r.status == 0)
    let url = packageRoot.appendingPathComponent("Tests/Golden/india-2026.csv")
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try r.stdout.write(to: url, atomically: true, encoding: .utf8)
      Issue.record("recorded \(url.path); unset RECORD_GOLDEN and run again")
      return
    }
    let golden = try String(contentsOf: url, encoding: .utf8)
    if golden != r.stdout {
      let g = golden.split(separator: "\n"), o = r.stdout.split(separator: "\n")
      let first = zip(g, o).enumerated().first { $0.element.0 != $0.element.1 }
      Issue.record("India CSV differs from Tests/Golden/india-2026.csv (\(g.count) vs \(o.count) lines); first difference at line \((first?.offset ?? min(g.count, o.count)) + 1): \(first.map { "'\($0.element.0)' vs '\($0.element.1)'" } ?? "length")")
    }
  }
}
