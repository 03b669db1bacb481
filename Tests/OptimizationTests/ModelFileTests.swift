import CCoinOR
import Foundation
import Optimization
import Testing
import TestSupport

/// A model exercising every feature the writers must carry: both senses, integer and binary
/// columns, ranged/equality/≥/≤ rows, free and negative bounds, a fixed variable, an
/// objective constant and names with characters no file format accepts.
///
/// min  2a + 3b − c + 4d + 10 − e        (a continuous in [−5, 8], b integer ≥ 1, c binary,
/// s.t. a + b ≥ 2            "min[≥]"      d free, e fixed at 1.5)
///      2 ≤ a + 2c + d ≤ 9   "Link-flow[cn→in, 2027-03]"  (ranged)
///      b − d = 1            "3rd plant"
///      a + b + c ≤ 20       "st"
///
/// By hand: the objective wants a low, b low, c = 1, d low. With b − d = 1 → d = b − 1.
/// Cost = 2a + 3b − 1 + 4(b − 1) + 10 − 1.5 = 2a + 7b + 3.5. Row 1: a ≥ 2 − b.
/// Row 2: a + 2 + b − 1 ≥ 2 → a ≥ 1 − b (weaker than row 1). Minimise 2a + 7b with a ≥ 2 − b,
/// a ≥ −5, b ≥ 1 integer: a = 2 − b costs 4 + 5b, least at b = 1: a = 1, cost 9 → objective 12.5.
/// Upper side of row 2: a + 2 + d = 1 + 2 + 0 = 3 ≤ 9. LP relaxation is the same (b ≥ 1 binds).
func featureModel(sense: ObjectiveSense = .minimize) throws -> Model {
  var m = Model(name: "feature test")
  let a = try m.addVariable("Plant-level[a]", lower: -5, upper: 8)
  let b = try m.addVariable("Plant-build[b]", lower: 1, kind: .integer)
  let c = try m.addVariable("Plant-open[c]", kind: .binary)
  let d = try m.addVariable("d", lower: -.infinity)
  let e = try m.addVariable("e", lower: 1.5, upper: 1.5)
  try m.addConstraint("min[≥]", a + b, .greaterEqual, 2)
  try m.addConstraint("Link-flow[cn→in, 2027-03]", a + 2 * c + d, in: 2...9)
  try m.addConstraint("3rd plant", b - d, .equal, 1)
  try m.addConstraint("st", a + b + c, .lessEqual, 20)
  let objective = 2 * a + 3 * b - c + 4 * d + 10.0 - e
  try m.setObjective(sense == .minimize ? objective : -objective, sense: sense)
  return m
}

/// Writes `text` to a temporary file, reads it with CBC's own reader and solves it.
func solveWithCBCReader(_ text: String, format: ModelFileFormat) throws -> (status: Int32, objective: Double, columns: Int32, rows: Int32) {
  let dir = try temporaryDirectory("opt-readback")
  defer { try? FileManager.default.removeItem(at: dir) }
  let url = dir.appendingPathComponent(format == .lp ? "model.lp" : "model.mps")
  try text.write(to: url, atomically: true, encoding: .utf8)
  // COIN-OR's C interfaces share global tables: hold the lock other solves take.
  return try withCOINLock { () throws -> (status: Int32, objective: Double, columns: Int32, rows: Int32) in
    guard let cbc = Cbc_newModel() else { throw OptimizationError.solverFailure("Cbc_newModel") }
    defer { Cbc_deleteModel(cbc) }
    Cbc_setLogLevel(cbc, 0)
    let read = format == .lp ? Cbc_readLp(cbc, url.path) : Cbc_readMps(cbc, url.path)
    guard read == 0 else { return (read, .nan, 0, 0) }
    // CoinMpsIO 1.17 prints "MAX found after OBJSENSE - Coin ignores" and reads every MPS file
    // as minimisation (HiGHS, Gurobi and CPLEX honour the section), so apply the sense the file declares.
    if format != .lp && text.contains("\nOBJSENSE\n    MAX\n") { Cbc_setObjSense(cbc, -1) }
    _ = Cbc_solve(cbc)
    return (Cbc_isProvenOptimal(cbc) != 0 ? 0 : -1, Cbc_getObjValue(cbc), Cbc_getNumCols(cbc), Cbc_getNumRows(cbc))
  }
}

extension OptimizationTests {
  @Suite struct ModelFiles {
    struct Case: Sendable, CustomTestStringConvertible {
      let label: String
      let model: @Sendable () throws -> Model
      let expected: Double
      var testDescription: String { label }
    }
    static let cases: [Case] = [
      Case(label: "wyndor max LP", model: { try wyndor().0 }, expected: 36),  // Hillier & Lieberman
      Case(label: "diet min LP", model: { try diet().0 }, expected: 9),  // hand solution in SolveTests
      Case(label: "feature MIP min", model: { try featureModel() }, expected: 12.5),  // hand solution above
      Case(label: "feature MIP max", model: { try featureModel(sense: .maximize) }, expected: -12.5),
    ]

    @Test(arguments: cases, ModelFileFormat.allCases)
    func readBackByCBCGivesSameObjective(_ c: Case, _ format: ModelFileFormat) throws {
      let m = try c.model()
      let ours = try CBCSolver().solve(m)
      #expect(ours.termination.reason == .optimal)
      #expect(approx(ours.termination.objectiveValue ?? .nan, c.expected, abs: 1e-6))
      let text = try m.exportText(format)
      let back = try solveWithCBCReader(text, format: format)
      #expect(back.status == 0, "CBC could not read or solve:\n\(text)")
      #expect(approx(back.objective, c.expected, abs: 1e-6), "\(format): \(back.objective)\n\(text)")
      // The LP writer adds ONE_VAR_CONSTANT (fixed at 1) to carry the objective constant.
      let extra = format == .lp && m.objectiveOffset != 0 ? 1 : 0
      #expect(Int(back.columns) == m.variableCount + extra)
    }

    @Test func oddNamesAreSanitisedAndUnique() throws {
      var m = Model()
      let raw = ["Link-flow[cn→in, 2027-03]", "3rd plant", "e1", "st", "a b", "a_b", "", "ok.name"]
      for n in raw where !n.isEmpty { try m.addVariable(n) }
      let names = m.exportNames(.lp).variables
      // By the documented rule: '-', '→', ',' and ' ' become '_', '[' ']' become '(' ')';
      // a leading digit, "e<digit>" and keywords get a leading '_'; the later clash gets "~2".
      #expect(names == ["Link_flow(cn_in__2027_03)", "_3rd_plant", "_e1", "_st", "a_b", "a_b~2", "ok.name"])
      let fixed = m.exportNames(.fixedMPS).variables
      #expect(fixed == (1...7).map { "C000000\($0)" })
      let text = try m.exportText(.fixedMPS)
      #expect(text.contains("* C0000001 = Link-flow[cn→in, 2027-03]"))
    }

    @Test func rangedRowHalvesDoNotClashInLP() throws {
      // "r" is ranged, so it is written as r_lo and r_hi; a row really named "r_lo" exists too.
      // Hand solution: min x with 2 ≤ x ≤ 5 and x ≥ 1 → 2.
      var m = Model()
      let x = try m.addVariable("x", objective: 1)
      try m.addConstraint("r", LinearExpression(x), in: 2...5)
      try m.addConstraint("r_lo", 1 * x, .greaterEqual, 1)
      let text = try m.exportText(.lp)
      #expect(text.contains(" r_lo: x >= 2\n"))
      #expect(text.contains(" r_hi: x <= 5\n"))
      #expect(text.contains(" r_lo~2: x >= 1\n"))
      let back = try solveWithCBCReader(text, format: .lp)
      #expect(back.status == 0)
      #expect(back.rows == 3)
      #expect(approx(back.objective, 2, abs: 1e-9))
    }

    @Test func fixedMPSColumnsAreInTheirFields() throws {
      let text = try wyndor().0.exportText(.fixedMPS)
      // Field 2 starts in column 5, field 3 in column 15, field 4 in column 25 (1-based).
      let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("    C0000003  R0000003") })
      let chars = Array(line)
      #expect(String(chars[4..<12]) == "C0000003")
      #expect(String(chars[14..<22]) == "R0000003")
      #expect(String(chars[24...]).trimmingCharacters(in: .whitespaces) == "3")
    }
  }
}
