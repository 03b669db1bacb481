import Foundation
import Ledger
import LedgerPostgres
import Testing

@Suite(.enabled(if: TestServer.enabled, TestServer.why))
struct PostgresStoreTests {
  @Test func migrationIsVersionedAndIdempotent() async throws {
    guard let url = try freshSchemaURL() else { return }
    let store = try await PostgresStore.open(url)
    #expect(try await store.schemaVersion() == 0)
    #expect(try await store.migrate() == PostgresStore.supportedSchemaVersion)
    #expect(try await store.migrate() == PostgresStore.supportedSchemaVersion)
    #expect(try await store.schemaVersion() == 1)
    try await store._executeUnchecked("DROP SCHEMA \(url.schema ?? "") CASCADE")
    try await store.close()
  }

  @Test func newerSchemaIsRefused() async throws {
    try await withFreshStore { store in
      try await store._executeUnchecked("INSERT INTO schema_migrations (version) VALUES (99)")
      await #expect(throws: StoreError.schemaTooNew(location: store.location, found: 99, supported: 1)) {
        _ = try await store.migrate()
      }
      #expect(try await store.schemaVersion() == 99)
    }
  }

  @Test func unknownDatabaseIsUnavailableWithTheServersReason() async throws {
    guard var url = try freshSchemaURL() else { return }
    url.database = "no_such_db_\(freshSchemaName())"
    do {
      _ = try await PostgresStore.open(url)
      Issue.record("opened a database that does not exist")
    } catch let StoreError.unavailable(location, reason) {
      #expect(location == url.location)
      #expect(reason.contains("does not exist"), "\(reason)")
    }
  }

  @Test func appendHeadAndRecords() async throws {
    try await withFreshStore { store in
      #expect(try await store.head(chain: "irel") == nil)
      let irel = chainOf("irel", count: 3)
      let partner = chainOf("jp-partner", count: 2)
      // Interleaved chains in one batch.
      try await store.append([irel[0], partner[0], irel[1], partner[1], irel[2]])
      #expect(try await store.head(chain: "irel") == irel[2])
      #expect(try await store.records(chain: "irel") == irel)
      #expect(try await store.records(chain: nil) == irel + partner)
      #expect(try await store.chains() == ["irel", "jp-partner"])
      try await store.append([])
      #expect(try await store.records(chain: nil).count == 5)
    }
  }

  @Test func staleHeadIsAConflictAndWritesNothing() async throws {
    try await withFreshStore { store in
      let c = chainOf("irel", count: 4)
      try await store.append(Array(c[0..<2]))
      // Sequence already taken.
      await #expect(throws: StoreError.chainConflict(chain: "irel", expectedSequence: 2, headSequence: 2)) {
        try await store.append([nextRecord(chain: "irel", after: c[0], eventID: "other-2")])
      }
      // Gap.
      await #expect(throws: StoreError.chainConflict(chain: "irel", expectedSequence: 4, headSequence: 2)) {
        try await store.append([c[3]])
      }
      // Right sequence, wrong previous hash.
      var forged = c[2]
      forged.previousHash = String(repeating: "f", count: 64)
      await #expect(throws: StoreError.chainConflict(chain: "irel", expectedSequence: 3, headSequence: 2)) {
        try await store.append([forged])
      }
      // A batch whose second chain conflicts writes nothing, not even the first chain's record.
      let other = chainOf("kr-partner", count: 1)
      await #expect(throws: StoreError.chainConflict(chain: "irel", expectedSequence: 4, headSequence: 2)) {
        try await store.append([other[0], c[3]])
      }
      #expect(try await store.records(chain: nil) == Array(c[0..<2]))
      #expect(try await store.chains() == ["irel"])
    }
  }

  @Test func duplicateEventIDIsRefused() async throws {
    try await withFreshStore { store in
      let a = chainOf("irel", count: 1, idPrefix: "ev")
      try await store.append(a)
      let b = nextRecord(chain: "kr-partner", after: nil, eventID: "ev-1")
      await #expect(throws: StoreError.duplicateEvent(eventID: "ev-1")) { try await store.append([b]) }
      let c1 = nextRecord(chain: "irel", after: a[0], eventID: "ev-x")
      let c2 = nextRecord(chain: "irel", after: c1, eventID: "ev-x")
      await #expect(throws: StoreError.duplicateEvent(eventID: "ev-x")) { try await store.append([c1, c2]) }
      #expect(try await store.records(chain: nil) == a)
    }
  }

  @Test func accessLogKeepsWriteOrderAndDocumentsUpsert() async throws {
    try await withFreshStore { store in
      let entries = (0..<5).map { i in
        AccessRecord(
          at: "2026-04-01T09:3\(i):00Z", organisation: i % 2 == 0 ? "irel" : "jp-partner", role: "viewer",
          action: "trace", target: "lot-\(4 - i)", allowed: i != 3, reason: i == 3 ? "not consigned to jp-partner" : "")
      }
      for e in entries { try await store.logAccess(e) }
      #expect(try await store.accessLog() == entries)

      try await store.putDocument(StoredDocument(kind: "scenario", name: "india", body: "a: 1", storedAt: "t1"))
      try await store.putDocument(StoredDocument(kind: "scenario", name: "base", body: "b: 2", storedAt: "t2"))
      try await store.putDocument(StoredDocument(kind: "run", name: "india", body: "{}", storedAt: "t3"))
      try await store.putDocument(StoredDocument(kind: "scenario", name: "india", body: "a: 3", storedAt: "t4"))
      #expect(
        try await store.document(kind: "scenario", name: "india")
          == StoredDocument(kind: "scenario", name: "india", body: "a: 3", storedAt: "t4"))
      #expect(try await store.document(kind: "scenario", name: "nope") == nil)
      #expect(try await store.documents(kind: "scenario").map(\.name) == ["base", "india"])
      #expect(try await store.documents(kind: "run").count == 1)
    }
  }

  @Test func bodiesAreKeptByteForByte() async throws {
    try await withFreshStore { store in
      let body = #"{"note":"Nd₂O₃ 450 t — “café”\n\ttab","emoji":"🧲","esc":"\u0000"}"#
      let r = nextRecord(chain: "irel", after: nil, eventID: "urn:uuid:1", body: body)
      try await store.append([r])
      #expect(try await store.records(chain: "irel").first?.body.utf8.elementsEqual(body.utf8) == true)
    }
  }

  @Test func aStoreOpenedTwiceSeesTheSameData() async throws {
    try await withFreshStore { first in
      let second = try await PostgresStore.open(first.url)
      #expect(try await second.migrate() == 1)
      let c = chainOf("irel", count: 3)
      try await first.append(Array(c[0..<2]))
      #expect(try await second.head(chain: "irel") == c[1])
      try await second.append([c[2]])
      #expect(try await first.records(chain: "irel") == c)
      try await second.logAccess(
        AccessRecord(at: "t", organisation: "irel", role: "admin", action: "record", target: "", allowed: true, reason: ""))
      #expect(try await first.accessLog().count == 1)
      try await second.close()
    }
  }

  /// 8 writers × 50 events on one chain, each reading the head, building the next record and
  /// retrying on conflict, must leave exactly one gap-free chain of 400 whose links all hold.
  @Test func concurrentWritersNeverForkTheChain() async throws {
    try await withFreshStore { store in
      let writers = 8
      let perWriter = 50
      let conflicts = try await withThrowingTaskGroup(of: Int.self) { group in
        for w in 0..<writers {
          group.addTask {
            var conflicts = 0
            for i in 0..<perWriter {
              while true {
                let head = try await store.head(chain: "irel")
                let r = nextRecord(chain: "irel", after: head, eventID: "w\(w)-\(i)", body: #"{"writer":\#(w),"i":\#(i)}"#)
                do {
                  try await store.append([r])
                  break
                } catch StoreError.chainConflict {
                  conflicts += 1
                }
              }
            }
            return conflicts
          }
        }
        return try await group.reduce(0, +)
      }
      let records = try await store.records(chain: "irel")
      #expect(records.count == writers * perWriter)
      #expect(chainProblems(records) == [])
      #expect(Set(records.map(\.eventID)).count == writers * perWriter)
      // Each writer's own events are in its order.
      for w in 0..<writers {
        let mine = records.filter { $0.eventID.hasPrefix("w\(w)-") }.map(\.eventID)
        #expect(mine == (0..<perWriter).map { "w\(w)-\($0)" })
      }
      // With 8 writers racing on one chain, some must have lost a race (else the test proved nothing).
      #expect(conflicts > 0)
    }
  }

  @Test func tamperingAtSQLLevelShowsThroughRecords() async throws {
    try await withFreshStore { store in
      let c = chainOf("irel", count: 6)
      try await store.append(c)
      #expect(chainProblems(try await store.records(chain: "irel")) == [])

      // Edit a body.
      try await store._executeUnchecked(
        #"UPDATE events SET body = '{"n":999}' WHERE chain = 'irel' AND sequence = 2"#)
      var read = try await store.records(chain: "irel")
      #expect(read[1].body == #"{"n":999}"#)
      #expect(chainProblems(read) == ["sequence 2: hash does not match its fields"])
      try await store._executeUnchecked(
        #"UPDATE events SET body = '{"n":2}' WHERE chain = 'irel' AND sequence = 2"#)
      #expect(chainProblems(try await store.records(chain: "irel")) == [])

      // Swap two sequences (in three steps: UNIQUE(chain, sequence) holds at every row).
      try await store._executeUnchecked("UPDATE events SET sequence = 1000 WHERE chain = 'irel' AND sequence = 3")
      try await store._executeUnchecked("UPDATE events SET sequence = 3 WHERE chain = 'irel' AND sequence = 4")
      try await store._executeUnchecked("UPDATE events SET sequence = 4 WHERE chain = 'irel' AND sequence = 1000")
      read = try await store.records(chain: "irel")
      #expect(read.map(\.eventID) == ["irel-1", "irel-2", "irel-4", "irel-3", "irel-5", "irel-6"])
      #expect(!chainProblems(read).isEmpty)

      // Delete a row.
      try await store._executeUnchecked("DELETE FROM events WHERE chain = 'irel' AND event_id = 'irel-5'")
      read = try await store.records(chain: "irel")
      #expect(read.map(\.sequence) == [1, 2, 3, 4, 6])
      #expect(chainProblems(read).contains("sequence 6 where 5 was due"))
    }
  }
}
