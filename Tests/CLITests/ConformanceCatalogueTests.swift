import Testing
import TestSupport

/// Lot conformance against the magnet grade catalogue (the default) must agree with conformance
/// against the hand-written limits in Tests/Fixtures/qc/grade-limits.csv, which were copied from
/// magnets.md §2 independently of the catalogue code (N42H: Br 1.28–1.32 T, HcJ ≥ 1353 kA/m,
/// HcB ≥ 955 kA/m, (BH)max ≥ 318 kJ/m³).
@Suite struct ConformanceAgainstCatalogue {
  let lots = fixtureURL("qc/magnet-lots.csv").path

  @Test func catalogueMatchesHandWrittenLimits() throws {
    let byCatalogue = try runLodestone(["qc", "conformance", lots, "--format", "csv"])
    let byFile = try runLodestone(["qc", "conformance", lots, "--limits", fixtureURL("qc/grade-limits.csv").path, "--format", "csv"])
    #expect(byCatalogue.status == 0 && byFile.status == 0, "\(byCatalogue.stderr)\(byFile.stderr)")
    #expect(byCatalogue.stdout == byFile.stdout)
    // Lot L17 has two of five specimens below HcJ 1353 kA/m (the dataset's planted defect).
    #expect(byCatalogue.stdout.contains("L17,N42H,5,nonconforming,0.6,HcJ: 2 of 5 specimens below the minimum 1353.0 kA/m"))
  }

  @Test func badUserGradeFileIsDataError() throws {
    let dir = try temporaryDirectory("grades")
    let f = dir.appendingPathComponent("mine.csv")
    try "grade,br_min_T\nX1,abc\n".write(to: f, atomically: true, encoding: .utf8)
    let r = try runLodestone(["qc", "conformance", lots, "--grades", f.path])
    #expect(r.status == 65, "\(r.stderr)")
    #expect(r.stderr.contains("mine.csv"), "\(r.stderr)")
  }
}
