import Foundation
import Testing
import TestSupport

/// End-to-end tests of `lodestone qc`; reference numbers are qcc's (Tests/Fixtures/qc/qcc-reference.csv),
/// compared at 1e-6 relative (the CLI prints 7 significant digits).
@Suite struct QCCLI {
  let rings = fixtureURL("qc/pistonrings.csv").path
  let lots = fixtureURL("qc/magnet-lots.csv").path
  let limits = fixtureURL("qc/grade-limits.csv").path

  func csvRows(_ text: String) -> [[String: String]] {
    let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    guard let head = lines.first else { return [] }
    return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(head, $0)) }
  }

  @Test func xbarRChartMatchesQCC() throws {
    let r = try runLodestone(["qc", "chart", rings, "--property", "diameter", "--calibration", "25", "--rules", "we", "--format", "csv"])
    #expect(r.status == 0)
    let rows = csvRows(r.stdout)
    #expect(rows.count == 40)
    // qcc: LCL 73.988047992991937, UCL 74.014304007008036, R chart UCL = R̄ + 3 d3 σ.
    #expect(approx(Double(rows[0]["mean_ucl"] ?? "") ?? 0, 74.014304007008036, rel: 1e-6))
    #expect(approx(Double(rows[0]["mean_lcl"] ?? "") ?? 0, 73.988047992991937, rel: 1e-6))
    // qcc flags subgroups 37–39 beyond the limits and 35, 37–40 by 2 of 3 beyond 2σ.
    let we1 = rows.filter { ($0["mean_flags"] ?? "").contains("WE1") }.map { $0["subgroup"] ?? "" }
    #expect(we1 == ["37", "38", "39"])
    let we2 = rows.filter { ($0["mean_flags"] ?? "").contains("WE2") }.map { $0["subgroup"] ?? "" }
    #expect(we2 == ["35", "37", "38", "39", "40"])
  }

  @Test func exactConstantsAndTimeOrder() throws {
    // σ = R̄/d2(5) with R̄ = 0.0097850386930352987 × 2.326 (qcc σ × table d2) and the exact
    // d2(5) = 2.3259289472810 (R integrate); UCL = 74.001176 + 3σ/√5.
    let r = try runLodestone(["qc", "chart", rings, "--property", "diameter", "--calibration", "25", "--constants", "exact", "--format", "csv"])
    #expect(r.status == 0)
    let sigma = 0.0097850386930352987 * 2.326 / 2.3259289472810
    #expect(approx(Double(csvRows(r.stdout)[0]["mean_ucl"] ?? "") ?? 0, 74.001176 + 3 * sigma / 5.0.squareRoot(), rel: 1e-6))
    // The magnet lots are already in time order, so --by-time changes nothing.
    let a = try runLodestone(["qc", "chart", lots, "--property", "Br", "--format", "csv"])
    let b = try runLodestone(["qc", "chart", lots, "--property", "Br", "--by-time", "--format", "csv"])
    #expect(a.status == 0 && a.stdout == b.stdout)
    #expect(try runLodestone(["qc", "chart", rings, "--property", "diameter", "--by-time"]).status == 65)  // no time column
  }

  @Test func capabilityJSONMatchesQCC() throws {
    let r = try runLodestone(["qc", "capability", rings, "--property", "diameter", "--calibration", "25", "--lsl", "73.95", "--usl", "74.05", "--format", "json"])
    #expect(r.status == 0)
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    func value(_ q: String) -> Double? {
      let v = rows.first { ($0["quantity"] as? String) == q }?["value"]
      return (v as? Double) ?? (v as? NSNumber)?.doubleValue
    }
    #expect(approx(value("Cp") ?? 0, 1.7032806092559001, rel: 1e-6))
    #expect(approx(value("Cpk") ?? 0, 1.6632194493266506, rel: 1e-6))
    #expect(approx(value("Ppk") ?? 0, 1.616158707015074, rel: 1e-6))
    // qcc's 95 % interval for Cpk (Bissell): 1.4481289609951091 … 1.878309937658192.
    let cpk = rows.first { ($0["quantity"] as? String) == "Cpk" }
    #expect(approx((cpk?["ci_lower"] as? NSNumber)?.doubleValue ?? 0, 1.4481289609951091, rel: 1e-6))
    #expect(approx((cpk?["ci_upper"] as? NSNumber)?.doubleValue ?? 0, 1.878309937658192, rel: 1e-6))
  }

  @Test func oneSidedCapabilityWithUnit() throws {
    // Br minimum 1.28 T given as "1280 mT": qcc's Cp_l on the individuals = 2.8009...; Cp is undefined.
    let r = try runLodestone(["qc", "capability", lots, "--property", "Br", "--individuals", "--lsl", "1280 mT", "--format", "csv"])
    #expect(r.status == 0)
    let rows = csvRows(r.stdout)
    let cp = rows.first { $0["quantity"] == "Cp" }?["value"]
    #expect(cp == "")
    let ref = try fixtureText("qc/qcc-reference.csv").split(separator: "\n").first { $0.hasPrefix("mg_br_cap_lsl,Cp_k,") }
    let qcc = Double(ref?.split(separator: ",").last ?? "") ?? .nan
    #expect(approx(Double(rows.first { $0["quantity"] == "Cpk" }?["value"] ?? "") ?? 0, qcc, rel: 1e-6))
    #expect(r.stdout.contains("in_control,no"))  // the built-in Br shift from lot 21 is flagged
  }

  @Test func capabilityWritesHistogram() throws {
    let dir = try temporaryDirectory("qc-cap")
    let r = try runLodestone(["qc", "capability", lots, "--property", "HcJ", "--lsl", "17 kOe", "--out", dir.path])
    #expect(r.status == 0)
    let svg = try String(contentsOf: dir.appendingPathComponent("capability.svg"), encoding: .utf8)
    // 17 kOe = 17e6/(4π) A/m = 1352.817 kA/m, labelled on the LSL line; Sturges gives ⌈log2 150⌉ + 1 = 9 bins.
    #expect(svg.contains("LSL 1352.82"))
    #expect(svg.components(separatedBy: "values in [").count - 1 == 9)
    let csv = try String(contentsOf: dir.appendingPathComponent("capability.csv"), encoding: .utf8)
    #expect(csv.contains("lsl,1352.817,,,kA/m"))
  }

  @Test func conformanceReport() throws {
    let r = try runLodestone(["qc", "conformance", lots, "--limits", limits])
    #expect(r.status == 0)
    #expect(r.stdout.contains("29 of 30 lots conforming"))
    let l17 = r.stdout.split(separator: "\n").first { $0.hasPrefix("L17") }.map(String.init) ?? ""
    #expect(l17.contains("nonconforming") && l17.contains("HcJ: 2 of 5 specimens below the minimum 1353.0 kA/m"))
  }

  @Test func writesSVGAndIsDeterministic() throws {
    let dir = try temporaryDirectory("qc-cli")
    let args = ["qc", "chart", rings, "--property", "diameter", "--calibration", "25", "--out", dir.path]
    let a = try runLodestone(args)
    let b = try runLodestone(args)
    #expect(a.status == 0 && a.stdout == b.stdout)
    let svg = try String(contentsOf: dir.appendingPathComponent("xbar-r-mean.svg"), encoding: .utf8)
    #expect(svg.hasPrefix("<svg") || svg.contains("<svg"))
    // qcc's default rules (WE1, WE4) flag subgroups 37, 38 and 39: one marker each, with a tooltip.
    #expect(svg.components(separatedBy: "WE1").count - 1 == 3)
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("xbar-r.json").path))
  }

  @Test func badRowIsLocated() throws {
    let dir = try temporaryDirectory("qc-bad")
    let f = dir.appendingPathComponent("bad.csv")
    try "lot,Br [T]\nA,1.30\nA,1.3x\n".write(to: f, atomically: true, encoding: .utf8)
    let r = try runLodestone(["qc", "chart", f.path, "--property", "Br"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("bad.csv, line 3, column 'Br [T]': Br must be a finite number in T"))
  }

  @Test(arguments: [
    ["qc", "chart", "PATH", "--property", "nope"],
    ["qc", "chart", "PATH", "--property", "Br", "--rules", "bogus"],
    ["qc", "chart", "PATH", "--property", "Br", "--rule-k", "N2=7"],
    ["qc", "capability", "PATH", "--property", "Br"],
  ])
  func usageErrors(_ args: [String]) throws {
    let r = try runLodestone(args.map { $0 == "PATH" ? lots : $0 })
    #expect(r.status == 64)
    #expect(r.stderr.contains("must") || r.stderr.contains("give"))
  }

  @Test func dataErrors() throws {
    #expect(try runLodestone(["qc", "chart", "/nonexistent.csv", "--property", "Br"]).status == 65)
    // Too few values per subgroup for X̄-R is a data problem, reported with the column.
    let dir = try temporaryDirectory("qc-small")
    let f = dir.appendingPathComponent("one.csv")
    try "lot,Br [T]\nA,1.30\nB,1.31\nC,1.29\n".write(to: f, atomically: true, encoding: .utf8)
    let r = try runLodestone(["qc", "chart", f.path, "--property", "Br"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("column 'Br [T]'") && r.stderr.contains("I-MR"))
  }
}
