import Foundation
import TestSupport
import Testing

/// End-to-end tests of `lodestone magnet …` (runs the built binary).
@Suite struct MagnetCLITests {
  /// Parses CSV output (no quoted commas in these columns) into header-keyed rows.
  func rows(_ csv: String) -> [[String: String]] {
    let lines = csv.split(separator: "\n").map(String.init)
    guard let head = lines.first?.split(separator: ",").map(String.init) else { return [] }
    return lines.dropFirst().map { l in
      Dictionary(uniqueKeysWithValues: zip(head, l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
    }
  }

  func value(_ row: [String: String]?, _ key: String) -> Double { Double(row?[key] ?? "") ?? .nan }

  @Test func gradesAllFormatsAgree() throws {
    let csv = try runLodestone(["magnet", "grades", "--format", "csv"])
    #expect(csv.status == 0)
    let r = rows(csv.stdout)
    #expect(r.count == 43)  // 41 NdFeB + SmCo5 + Sm2Co17 in magnet-grades.csv
    let n42sh = r.first { $0["grade"] == "N42SH" }
    // IEC short name: 318 kJ/m³ / (1592 kA/m ÷ 10 = 159.2 → 159)
    #expect(n42sh?["iec_name"] == "REFeB 318/159")
    #expect(value(n42sh, "hcj_min_kA_m") == 1592)
    let json = try runLodestone(["magnet", "grades", "--format", "json"])
    let arr = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
    #expect(arr?.count == 43)
    #expect((arr?.first { $0["grade"] as? String == "N42" }?["br_min_T"] as? Double) == 1.28)
    let table = try runLodestone(["magnet", "grades", "--class", "AH"])
    #expect(table.status == 0)
    #expect(table.stdout.contains("N33AH") && !table.stdout.contains("N42SH"))
  }

  /// Element bill, hand: N42SH bulk Dy 4 %, Nd (31 − 4)·0.75 = 20.25 %, Fe 65.7 %; with GBD
  /// Dy 2 %; SmCo5 Sm = 150.36/(150.36 + 5·58.933194) = 0.33787.
  @Test func elementBill() throws {
    let bulk = rows(try runLodestone(["magnet", "grades", "--elements", "--format", "csv"]).stdout)
    let n42sh = bulk.first { $0["grade"] == "N42SH" }
    #expect(approx(value(n42sh, "Dy_kg_per_kg"), 0.04, rel: 1e-9))
    #expect(approx(value(n42sh, "Nd_kg_per_kg"), 0.2025, rel: 1e-9))
    #expect(approx(value(n42sh, "Fe_kg_per_kg"), 0.657, rel: 1e-9))
    #expect(approx(value(bulk.first { $0["grade"] == "SmCo5" }, "Sm_kg_per_kg"), 0.33787, rel: 1e-5))
    let gbd = rows(try runLodestone(["magnet", "grades", "--elements", "--process", "gbd", "--tb-share", "0.5", "--format", "csv"]).stdout)
    let g = gbd.first { $0["grade"] == "N42SH" }
    #expect(approx(value(g, "Dy_kg_per_kg"), 0.01, rel: 1e-9) && approx(value(g, "Tb_kg_per_kg"), 0.01, rel: 1e-9))
    #expect(approx(value(g, "dy_tb_wt_pct"), 2, rel: 1e-9))
  }

  /// N42SH at 150 °C (hand): Br = 1.28·(1 − 0.0011·130) = 1.09696 T, HcJ = 1592·0.285 = 453.72 kA/m.
  @Test func derate() throws {
    let r = try runLodestone(["magnet", "derate", "N42SH", "--temperatures", "20,150", "--format", "csv"])
    #expect(r.status == 0)
    let t = rows(r.stdout)
    #expect(t.count == 2)
    #expect(approx(value(t.last, "br_T"), 1.09696, rel: 1e-6))
    #expect(approx(value(t.last, "hcj_kA_m"), 453.72, rel: 1e-6))
    // 20 °C: linear model (BH)max = 1.28²/(4µ0·1.05) = 310.428 kJ/m³
    #expect(approx(value(t.first, "bhmax_kJ_m3"), 310.428, rel: 1e-5))
  }

  @Test func derateWritesChart() throws {
    let dir = try temporaryDirectory("mag-derate")
    let r = try runLodestone(["magnet", "derate", "N40UH", "--temperatures", "20:180:40", "--out", dir.path])
    #expect(r.status == 0)
    let svg = try String(contentsOf: dir.appendingPathComponent("derate.svg"), encoding: .utf8)
    #expect(svg.hasPrefix("<svg") && svg.contains("N40UH"))
    let csv = try String(contentsOf: dir.appendingPathComponent("derate.csv"), encoding: .utf8)
    #expect(rows(csv).count == 5)  // 20, 60, 100, 140, 180
  }

  /// 150 °C, 10×10×5 mm block at its centre (Pc 0.694), B ≥ 0.42 T → N40UH (see
  /// WorkingPointTests.cheapestSurvivor for the hand calculation).
  @Test func checkFindsCheapestSurvivor() throws {
    let args = ["magnet", "check", "--temperature", "150", "--block", "10x10x5mm", "--point", "centre", "--min-b", "0.42 T"]
    let table = try runLodestone(args)
    #expect(table.status == 0)
    #expect(table.stdout.contains("cheapest survivor: N40UH"))
    let csv = try runLodestone(args + ["--format", "csv"])
    let first = rows(csv.stdout).first
    #expect(first?["grade"] == "N40UH" && first?["verdict"] == "survives")
  }

  /// magnets.md §5: N42 in the 10×10×5 block at 80 °C crosses the knee by about 44 kA/m, ~8 % loss.
  @Test func checkOneGradeWithChart() throws {
    let dir = try temporaryDirectory("mag-check")
    let r = try runLodestone([
      "magnet", "check", "--grade", "N42", "--temperature", "80", "--block", "10x10x5mm", "--point", "centre",
      "--format", "csv", "--out", dir.path,
    ])
    #expect(r.status == 0)
    let row = rows(r.stdout).first
    #expect(row?["reversible"] == "no")
    #expect(approx(value(row, "margin_kA_m"), -44, rel: 2e-2))
    #expect(approx(value(row, "loss_pct"), 8.0, abs: 0.2))
    let svg = try String(contentsOf: dir.appendingPathComponent("working-point.svg"), encoding: .utf8)
    #expect(svg.contains("working point"))
  }

  /// Block 10×10×5 mm, J = 1.3 T along z (magnets.md §3, magpylib 6.1 and the hand check):
  /// (0,0,3.5 mm) Bz = 0.360122 T; (6 mm,0,0) Bz = −0.298367 T; centre Bz = 0.532565 T,
  /// and inside H = (B − J)/µ0.
  @Test func fieldAtPoints() throws {
    let dir = try temporaryDirectory("mag-field")
    let pts = dir.appendingPathComponent("points.csv")
    try "# observer points\nx,y,z\n0,0,0.0035\n0.006,0,0\n0,0,0\n".write(to: pts, atomically: true, encoding: .utf8)
    let r = try runLodestone([
      "magnet", "field", "--cuboid", "10x10x5mm", "--polarization", "0,0,1.3", "--points", pts.path, "--format", "csv",
      "--out", dir.path,
    ])
    #expect(r.status == 0)
    let t = rows(r.stdout)
    #expect(t.count == 3)
    #expect(approx(value(t[0], "bz_T"), 0.360122, rel: 2e-6))
    #expect(approx(value(t[1], "bz_T"), -0.298367, rel: 2e-6))
    #expect(approx(value(t[2], "bz_T"), 0.532565, rel: 2e-6))
    #expect(approx(value(t[2], "hz_A_m"), (0.532565 - 1.3) / 1.25663706127e-6, rel: 1e-5))
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("field.svg").path))
    // deterministic: same input, byte-identical output
    let again = try runLodestone([
      "magnet", "field", "--cuboid", "10x10x5mm", "--polarization", "0,0,1.3", "--points", pts.path, "--format", "csv",
    ])
    #expect(again.stdout == r.stdout)
  }

  /// Diametral cylinder D 10 mm × H 5 mm, J = 1.2 T along x: centre Bx = 0.931672 T (magnets.md §3).
  @Test func diametralCylinderFromGrade() throws {
    let dir = try temporaryDirectory("mag-field-cyl")
    let pts = dir.appendingPathComponent("p.csv")
    try "x_m,y_m,z_m\n0,0,0\n".write(to: pts, atomically: true, encoding: .utf8)
    let r = try runLodestone(["magnet", "field", "--cylinder", "10x5mm", "--polarization", "1.2,0,0", "--points", pts.path, "--format", "json"])
    let arr = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
    #expect(approx((arr?.first?["bx_T"] as? Double) ?? .nan, 0.931672, rel: 1e-6))
    // --grade N42 at 20 °C along x: J = Br min = 1.28 T → Bx scales by 1.28/1.2
    let g = try runLodestone(["magnet", "field", "--cylinder", "10x5mm", "--grade", "N42", "--axis", "x", "--points", pts.path, "--format", "csv"])
    #expect(approx(value(rows(g.stdout).first, "bx_T"), 0.931672 * 1.28 / 1.2, rel: 1e-6))
  }

  /// Superposition: a 10×10×5 mm block (J 1.3 T) and a D10 × 5 mm cylinder (J 1.2 T), both at the
  /// origin, at (0, 0, 3.5 mm): 0.360122 + 0.343263 = 0.703385 T (magnets.md §3 hand checks).
  @Test func magnetsFileAddsFields() throws {
    let dir = try temporaryDirectory("mag-many")
    try """
      # shape, dimensions (m), J (T, magnet frame), position (m), rotation vector (rad)
      shape,d1_m,d2_m,d3_m,jx_T,jy_T,jz_T,px_m,py_m,pz_m,rx_rad,ry_rad,rz_rad
      cuboid,0.01,0.01,0.005,0,0,1.3,0,0,0,0,0,0
      cylinder,0.01,0.005,0,0,0,1.2,0,0,0,0,0,0
      """.write(to: dir.appendingPathComponent("m.csv"), atomically: true, encoding: .utf8)
    try "x,y,z\n0,0,0.0035\n".write(to: dir.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
    let r = try runLodestone(["magnet", "field", "--magnets", "m.csv", "--points", "p.csv", "--format", "csv"], in: dir)
    #expect(r.status == 0)
    #expect(approx(value(rows(r.stdout).first, "bz_T"), 0.703385, rel: 2e-6))
  }

  struct ErrorCase: Sendable, CustomTestStringConvertible {
    let id: String
    let args: [String]
    let files: [String: String]
    let status: Int32
    let fragment: String
    var testDescription: String { id }
  }

  static let gradeHeader = "grade,hcj_class,br_min_T,hcj_min_kA_m,tw_max_C,alpha_Br_pct_per_K,beta_HcJ_pct_per_K_typ,source_br_bhmax\n"
  static let errorCases: [ErrorCase] = [
    ErrorCase(
      id: "bad point cell", args: ["magnet", "field", "--cuboid", "10x10x5mm", "--polarization", "0,0,1", "--points", "p.csv"],
      files: ["p.csv": "x,y,z\n0,0,0\n0,abc,0\n"], status: 65, fragment: "p.csv line 3, column 'y': a coordinate must be a number in metres; got 'abc'."),
    ErrorCase(
      id: "points header", args: ["magnet", "field", "--cuboid", "10x10x5mm", "--polarization", "0,0,1", "--points", "p.csv"],
      files: ["p.csv": "a,b,c\n0,0,0\n"], status: 65, fragment: "p.csv line 1: the header must name columns x, y, z"),
    ErrorCase(
      id: "missing points file", args: ["magnet", "field", "--cuboid", "10x10x5mm", "--polarization", "0,0,1", "--points", "nope.csv"],
      files: [:], status: 65, fragment: "'nope.csv' does not exist"),
    ErrorCase(
      id: "bad grade file", args: ["magnet", "grades", "--grades", "g.csv"],
      files: ["g.csv": gradeHeader + "X1,N,1.2,1000,80,-0.12,-0.6,s\nX2,N,1.2,12 parsecs,80,-0.12,-0.6,s\n"], status: 65,
      fragment: "g.csv line 3, column 'hcj_min_kA_m'"),
    ErrorCase(
      id: "bad dimensions", args: ["magnet", "field", "--cuboid", "10x10mm", "--polarization", "0,0,1", "--points", "p.csv"],
      files: ["p.csv": "x,y,z\n0,0,0\n"], status: 64, fragment: "--cuboid must be 3 positive lengths"),
    ErrorCase(id: "unknown grade", args: ["magnet", "derate", "N99"], files: [:], status: 64, fragment: "got 'N99'. Known grades: N35"),
    ErrorCase(
      id: "two geometries", args: ["magnet", "check", "--temperature", "100", "--pc", "1", "--block", "1x1x1"], files: [:], status: 64,
      fragment: "exactly one of --pc, --block or --cylinder"),
    ErrorCase(
      id: "bad unit", args: ["magnet", "check", "--temperature", "100", "--pc", "1", "--opposing-field", "3 furlongs"], files: [:],
      status: 64, fragment: "'kA/m', 'A/m', 'MA/m', 'kOe', 'Oe'; got '3 furlongs'"),
    ErrorCase(id: "bad format", args: ["magnet", "grades", "--format", "xml"], files: [:], status: 64, fragment: "xml"),
    ErrorCase(
      id: "bad magnet shape", args: ["magnet", "field", "--magnets", "m.csv", "--points", "p.csv"],
      files: [
        "m.csv": "shape,d1_m,d2_m,d3_m,jx_T,jy_T,jz_T,px_m,py_m,pz_m,rx_rad,ry_rad,rz_rad\nsphere,0.01,0.01,0,0,0,1,0,0,0,0,0,0\n",
        "p.csv": "x,y,z\n0,0,0\n",
      ], status: 65, fragment: "m.csv line 2, column 'shape': the shape must be 'cuboid' or 'cylinder'; got 'sphere'."),
    ErrorCase(
      id: "negative magnet size", args: ["magnet", "field", "--magnets", "m.csv", "--points", "p.csv"],
      files: [
        "m.csv": "shape,d1_m,d2_m,d3_m,jx_T,jy_T,jz_T,px_m,py_m,pz_m,rx_rad,ry_rad,rz_rad\ncylinder,-0.01,0.01,0,0,0,1,0,0,0,0,0,0\n",
        "p.csv": "x,y,z\n0,0,0\n",
      ], status: 65, fragment: "m.csv line 2: Cylinder diameter must be a positive length in m; got -0.01."),
  ]

  @Test(arguments: errorCases)
  func errors(_ c: ErrorCase) throws {
    let dir = try temporaryDirectory("mag-err")
    for (name, text) in c.files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    let r = try runLodestone(c.args, in: dir)
    #expect(r.status == c.status)
    #expect(r.stderr.contains(c.fragment), "stderr: \(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  @Test func userGradeIsUsable() throws {
    let dir = try temporaryDirectory("mag-user")
    try (Self.gradeHeader + "X44SH,SH,13.2 kG,20 kOe,150,-0.11,-0.53,\"Acme, A-44\"\n").write(
      to: dir.appendingPathComponent("mine.csv"), atomically: true, encoding: .utf8)
    let r = try runLodestone(["magnet", "derate", "X44SH", "--grades", "mine.csv", "--temperatures", "20", "--format", "csv"], in: dir)
    #expect(r.status == 0)
    // 13.2 kG = 1.32 T; 20 kOe = 1591.55 kA/m
    #expect(approx(value(rows(r.stdout).first, "br_T"), 1.32, rel: 1e-9))
    #expect(approx(value(rows(r.stdout).first, "hcj_kA_m"), 1591.55, rel: 1e-5))
  }
}
