import Foundation
import Ledger
import LedgerPostgres
import TestSupport
import Testing

/// The ledger core on PostgreSQL: rows edited, deleted or swapped with SQL behind its back are
/// named by `verify` exactly as on SQLite (TamperTests), and concurrent writers through
/// `Ledger.record` leave one intact chain.
@Suite(
  "Ledger on PostgreSQL: tampering and concurrent writers",
  .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
struct PostgresLedgerTests {
  /// A fresh PostgreSQL store (its own schema) holding five irel events, sequences 1…5.
  func history() async throws -> PostgresStore {
    guard let store = try await makeStore(.postgres) as? PostgresStore else {
      throw PostgresNotConfigured()
    }
    let ledger = Ledger(store: store, now: { "2027-06-30T12:00:00Z" })
    try await ledger.record(
      (1...5).map { commission("c\($0)", lot: "ox-\($0)", kg: 1000, time: "2027-01-0\($0)T08:00:00Z") }, as: irelOp)
    return store
  }

  func verify(_ store: any LedgerStore) async throws -> VerificationReport {
    try await Ledger(store: store, now: { "2027-07-01T00:00:00Z" }).verify(as: Actor(organisation: "dgtr", role: .auditor))
  }

  @Test("an edited body, a deleted row and swapped rows are each named")
  func tampering() async throws {
    let edited = try await history()
    #expect(try await verify(edited).ok)
    try await edited._executeUnchecked(
      #"UPDATE events SET body = replace(body, '"quantity":1000', '"quantity":1') WHERE sequence = 3"#)
    #expect(
      try await verify(edited).problems.map(\.description) == [
        "altered: chain irel #3 (event c3): content does not match its hash (edited after it was written)"
      ])
    try await edited.close()

    let deleted = try await history()
    try await deleted._executeUnchecked("DELETE FROM events WHERE sequence = 2")
    #expect(
      try await verify(deleted).problems.map(\.description) == ["removed: chain irel #2: record #2 missing before #3"])
    try await deleted.close()

    let swapped = try await history()
    try await swapped._executeUnchecked("UPDATE events SET sequence = 1000 WHERE sequence = 2")
    try await swapped._executeUnchecked("UPDATE events SET sequence = 2 WHERE sequence = 4")
    try await swapped._executeUnchecked("UPDATE events SET sequence = 4 WHERE sequence = 1000")
    #expect(
      try await verify(swapped).problems.map(\.description) == [
        "reordered: chain irel #2 (event c4): written as #4, now at #2",
        "reordered: chain irel #4 (event c2): written as #2, now at #4",
      ])
    try await swapped.close()
  }

  /// 8 writers, each with its own connection pool (as separate processes would be), record 15
  /// events each on irel's chain; `Ledger.record` retries when another writer moved the head.
  @Test("8 concurrent writers × 15 events: one chain of 120, verified intact")
  func concurrentWriters() async throws {
    guard let store = try await makeStore(.postgres) as? PostgresStore else { throw PostgresNotConfigured() }
    let writers = 8
    let each = 15
    try await withThrowingTaskGroup(of: Void.self) { group in
      for w in 0..<writers {
        group.addTask {
          let own = try await PostgresStore.open(store.url)
          let ledger = Ledger(store: own, now: { "2027-06-30T12:00:00Z" })
          for i in 0..<each {
            try await ledger.record(
              [commission("w\(w)-\(i)", lot: "lot-\(w)-\(i)", kg: 10, time: "2027-01-01T08:00:00Z")], as: irelOp,
              maxAttempts: 10_000)
          }
          try await own.close()
        }
      }
      try await group.waitForAll()
    }
    let report = try await verify(store)
    #expect(report.problems.map(\.description) == [])
    #expect(report.chains.map(\.chain) == ["irel"])
    #expect(report.chains.first?.records == writers * each)
    #expect(report.chains.first?.headSequence == Int64(writers * each))
    let ids = try await store.records(chain: "irel").map(\.eventID)
    #expect(Set(ids) == Set((0..<writers).flatMap { w in (0..<each).map { "w\(w)-\($0)" } }))
    try await store.close()
  }
}
