import Foundation
import GRDB
import Ledger
import LedgerSQLite
import Testing

/// Edits the SQLite file behind the ledger's back with raw SQL, then verifies.
@Suite("Tamper detection on the SQLite file")
struct TamperTests {
  /// Five irel events (sequences 1…5) in a file; returns its path.
  func history() async throws -> String {
    let (ledger, path) = try await makeLedger()
    try await ledger.record(
      (1...5).map { commission("c\($0)", lot: "ox-\($0)", kg: 1000, time: "2027-01-0\($0)T08:00:00Z") }, as: irelOp)
    try await ledger.store.close()
    return path
  }

  func tamper(_ path: String, _ sql: String) async throws {
    let raw = try DatabaseQueue(path: path)
    try await raw.write { db in try db.execute(sql: sql) }
    try raw.close()
  }

  func verify(_ path: String) async throws -> VerificationReport {
    let store = try SQLiteStore(path: path)
    let ledger = Ledger(store: store, now: { "2027-07-01T00:00:00Z" })
    let report = try await ledger.verify(as: Actor(organisation: "dgtr", role: .auditor))
    try await store.close()
    return report
  }

  @Test("an untouched history verifies")
  func untouched() async throws {
    let report = try await verify(try await history())
    #expect(report.ok)
    #expect(report.chains.map(\.records) == [5])
  }

  @Test("an edited body is named as altered")
  func edited() async throws {
    let path = try await history()
    try await tamper(path, #"UPDATE event SET body = replace(body, '"quantity":1000', '"quantity":1') WHERE sequence = 3"#)
    let report = try await verify(path)
    #expect(report.problems.map(\.description) == ["altered: chain irel #3 (event c3): content does not match its hash (edited after it was written)"])
    #expect(report.chains.map(\.intact) == [false])
  }

  @Test("a deleted row is named as removed")
  func deleted() async throws {
    let path = try await history()
    try await tamper(path, "DELETE FROM event WHERE sequence = 2")
    let report = try await verify(path)
    #expect(report.problems.map(\.kind) == [.removed])
    #expect(report.problems[0].description == "removed: chain irel #2: record #2 missing before #3")
  }

  @Test("swapped rows are named as reordered, with where each was written")
  func reordered() async throws {
    let path = try await history()
    try await tamper(
      path,
      """
      UPDATE event SET sequence = -1 WHERE sequence = 2;
      UPDATE event SET sequence = 2 WHERE sequence = 4;
      UPDATE event SET sequence = 4 WHERE sequence = -1;
      """)
    let report = try await verify(path)
    #expect(
      report.problems.map(\.description) == [
        "reordered: chain irel #2 (event c4): written as #4, now at #2",
        "reordered: chain irel #4 (event c2): written as #2, now at #4",
      ])
  }

  @Test("a forged row with a valid hash of its own is named as inserted")
  func inserted() async throws {
    let path = try await history()
    // The forger computes a correct hash for the row but cannot link it to #5.
    var forged = EventRecord(
      chain: "irel", sequence: 6, eventID: "forged", recordedAt: "2027-07-01T00:00:00Z",
      body: EPCIS.json(commission("forged", lot: "ox-9", kg: 5000, time: "2027-01-09T08:00:00Z")).canonical,
      previousHash: RecordHash.genesis, hash: "")
    forged.hash = RecordHash.expected(forged)
    try await tamper(
      path,
      "INSERT INTO event VALUES ('irel', 6, 'forged', '2027-07-01T00:00:00Z', '\(forged.body)', '\(forged.previousHash)', '\(forged.hash)')")
    let report = try await verify(path)
    #expect(report.problems.map(\.description) == [
      "inserted: chain irel #6 (event forged): does not follow #5: its previous hash is not that record's hash"
    ])
  }

  @Test("a truncated tail changes the head that verify reports")
  func truncated() async throws {
    let path = try await history()
    let before = try await verify(path).chains[0]
    try await tamper(path, "DELETE FROM event WHERE sequence = 5")
    let after = try await verify(path).chains[0]
    // Chains alone cannot see a removed tail; the published head (sequence, hash) does.
    #expect(before.headSequence == 5 && after.headSequence == 4)
    #expect(before.headHash != after.headHash)
  }
}
