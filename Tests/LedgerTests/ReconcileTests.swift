import Foundation
import Ledger
import TestSupport
import Testing

/// The tolling history of `tollingScenario()` (oxide 80 % Nd, 0.5 kg oxide per kg magnet, 70 % back):
/// January: 1000 kg oxide shipped and all consumed → 1365 kg magnets for irel (shipped back) + 585 kg for jp.
/// February: 500 kg shipped, 400 kg consumed → 560 kg for irel (not yet shipped back) + 240 kg for jp.
func tollingHistory() async throws -> Ledger {
  let (ledger, _) = try await makeLedger()
  try await ledger.record(
    [
      commission("c1", lot: "ox-1", kg: 1000, time: "2027-01-05T08:00:00Z"),
      ship("s1", lots: ["ox-1"], to: "jp", time: "2027-01-06T08:00:00Z"),
      commission("c2", lot: "ox-2", kg: 500, time: "2027-02-05T08:00:00Z"),
      ship("s2", lots: ["ox-2"], to: "jp", time: "2027-02-06T08:00:00Z"),
    ], as: irelOp)
  try await ledger.record(
    [
      receive("r1", lots: ["ox-1"], at: "jp-plant", time: "2027-01-20T08:00:00Z"),
      transform(
        "t1", inputs: [("ox-1", 1000)],
        outputs: [magnet("m-1", kg: 1365, owner: "irel"), magnet("m-2", kg: 585, owner: "jp")],
        time: "2027-01-25T00:00:00Z"),
      receive("r2", lots: ["ox-2"], at: "jp-plant", time: "2027-02-20T08:00:00Z"),
      transform(
        "t2", inputs: [("ox-2", 400)],
        outputs: [magnet("m-3", kg: 560, owner: "irel"), magnet("m-4", kg: 240, owner: "jp")],
        time: "2027-02-25T00:00:00Z"),
      ship("s3", lots: ["m-1"], to: "irel", time: "2027-03-01T00:00:00Z"),
    ], as: jpOp)
  try await ledger.record([receive("r3", lots: ["m-1"], at: "irel-aluva", time: "2027-03-20T00:00:00Z")], as: irelOp)
  return ledger
}

@Suite("Tolling reconciliation against hand-computed numbers")
struct ReconcileTests {
  @Test("expected output by element balance through the recipe")
  func expectedOutput() throws {
    // 1000 kg × 0.8 Nd = 800 kg Nd; per kg magnet the recipe takes 0.5 kg oxide × 0.8 = 0.4 kg Nd → 2000 kg.
    let s = tollingScenario()
    let x = try Reconciliation.expectedOutput(consumed: [(1000, [.Nd: 0.8])], agreement: s.agreements[0], scenario: s)
    #expect(approx(x, 2000, rel: 1e-12))
    // A leaner lot (0.7 Nd) yields proportionally less: 700 / 0.4 = 1750 kg.
    let y = try Reconciliation.expectedOutput(consumed: [(1000, [.Nd: 0.7])], agreement: s.agreements[0], scenario: s)
    #expect(approx(y, 1750, rel: 1e-12))
  }

  @Test("January: 2.5 % yield short and 35 kg return short, flagged at 2 %")
  func january() async throws {
    let ledger = try await tollingHistory()
    let s = tollingScenario()
    let rows = try await ledger.reconcile(scenario: s, agreements: s.agreements, period: try Period.parse("2027-01"), as: irelOp)
    #expect(rows.count == 1)
    let r = rows[0]
    #expect(r.principal == "irel" && r.processor == "jp")
    #expect(approx(r.shipped, 1000) && approx(r.consumed, 1000) && approx(r.inProcess, 0, abs: 1e-9))
    #expect(approx(r.expectedOutput, 2000, rel: 1e-12))
    #expect(approx(r.made, 1950, rel: 1e-12))
    #expect(approx(r.expectedReturn, 1400, rel: 1e-12))  // 0.7 × 2000
    #expect(approx(r.returned, 1365, rel: 1e-12))
    #expect(approx(r.awaitingReturn, 0, abs: 1e-9))
    #expect(approx(r.expectedRetained, 600, rel: 1e-12))  // 0.3 × 2000
    #expect(approx(r.retained, 585, rel: 1e-12))
    #expect(approx(r.shortfall, 35, rel: 1e-9))  // 1400 − 1365
    #expect(r.status == "yield-short return-short")  // 1950 < 1960 = 0.98 × 2000; 1365 < 1372 = 0.98 × 1400
    #expect(r.lots == ["ox-1", "m-1", "m-2"])
  }

  @Test("February: 100 kg still in process, 560 kg awaiting return, no flag")
  func february() async throws {
    let ledger = try await tollingHistory()
    let s = tollingScenario()
    let r = try await ledger.reconcile(scenario: s, agreements: s.agreements, period: try Period.parse("2027-02"), as: jpOp)[0]
    #expect(approx(r.shipped, 500) && approx(r.consumed, 400) && approx(r.inProcess, 100))
    #expect(approx(r.expectedOutput, 800, rel: 1e-12))  // 400 × 0.8 / 0.4
    #expect(approx(r.made, 800, rel: 1e-12))
    #expect(approx(r.returned, 0, abs: 1e-9) && approx(r.awaitingReturn, 560, rel: 1e-12))
    #expect(approx(r.retained, 240, rel: 1e-12))
    #expect(approx(r.shortfall, 0, abs: 1e-9))
    #expect(r.status == "ok")
  }

  @Test("the year: within 2 %, flagged at 1 %")
  func year() async throws {
    let ledger = try await tollingHistory()
    let s = tollingScenario()
    let r = try await ledger.reconcile(scenario: s, agreements: s.agreements, period: try Period.parse("2027"), as: irelOp)[0]
    // Expected 2800 kg, made 2750 (−1.8 %); due back 1960, returned 1365 + awaiting 560 = 1925 (−1.8 %).
    #expect(approx(r.expectedOutput, 2800, rel: 1e-12) && approx(r.made, 2750, rel: 1e-12))
    #expect(approx(r.shortfall, 35, rel: 1e-9))
    #expect(r.status == "ok")
    let strict = try await ledger.reconcile(
      scenario: s, agreements: s.agreements, period: try Period.parse("2027"), tolerance: 0.01, as: irelOp)[0]
    #expect(strict.status == "yield-short return-short")
  }

  @Test("an organisation party to neither side is denied")
  func outsider() async throws {
    let ledger = try await tollingHistory()
    let s = tollingScenario()
    await #expect(throws: LedgerError.self) {
      _ = try await ledger.reconcile(
        scenario: s, agreements: s.agreements, period: try Period.parse("2027"), as: Actor(organisation: "kr", role: .auditor))
    }
  }

  @Test("periods parse as year, quarter or month", arguments: [
    ("2027", "2027-01", "2027-12"), ("2027-Q2", "2027-04", "2027-06"), ("2027-11", "2027-11", "2027-11"),
  ])
  func periods(text: String, from: String, to: String) throws {
    let p = try Period.parse(text)
    #expect(p.from.description == from && p.to.description == to)
  }
}
