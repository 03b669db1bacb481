import Foundation
import Ledger
import Testing

/// Builds records that chain correctly for the store's checks. The store never computes
/// hashes (the ledger core does), so any distinct 64-hex strings serve; `hashSeed` keeps
/// them distinct across chains.
func chainedRecords(
  _ chain: String, from first: Int64 = 1, count: Int, after previous: String = zeroHash, idPrefix: String? = nil
) -> [EventRecord] {
  var out: [EventRecord] = []
  var prev = previous
  for i in 0..<count {
    let seq = first + Int64(i)
    let hash = fakeHash("\(chain)#\(seq)")
    out.append(
      EventRecord(
        chain: chain, sequence: seq, eventID: "\(idPrefix ?? chain)-\(seq)",
        recordedAt: "2026-01-\(String(format: "%02d", Int(seq % 28) + 1))T09:30:00Z",
        body: #"{"n":\#(seq),"note":"Nd₂O₃ lot\nline two"}"#, previousHash: prev, hash: hash))
    prev = hash
  }
  return out
}

/// 64 zeros: the previous hash of a chain's first record.
let zeroHash = String(repeating: "0", count: 64)

/// A deterministic 64-hex-digit string derived from `text` (FNV-1a, repeated; not a real digest).
func fakeHash(_ text: String) -> String {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  var out = ""
  for round in 0..<4 {
    for b in (text + "\(round)").utf8 {
      h = (h ^ UInt64(b)) &* 0x100_0000_01b3
    }
    out += String(format: "%016llx", h)
  }
  return out
}

/// Every requirement of `LedgerStore`, run against each store kind.
@Suite("Ledger store conformance")
struct StoreConformanceTests {
  @Test("append then read back in (chain, sequence) order, byte for byte", arguments: StoreKind.allCases)
  func appendAndRead(kind: StoreKind) async throws {
    let store = try await makeStore(kind)
    let irel = chainedRecords("irel", count: 3)
    let apex = chainedRecords("apex", count: 2)
    // Interleaved chains in one batch; each chain follows on within the batch.
    try await store.append([irel[0], apex[0], irel[1], irel[2], apex[1]])
    #expect(try await store.records(chain: "irel") == irel)
    #expect(try await store.records(chain: "apex") == apex)
    #expect(try await store.records(chain: nil) == apex + irel)
    #expect(try await store.records(chain: "nobody") == [])
    #expect(try await store.head(chain: "irel") == irel[2])
    #expect(try await store.head(chain: "nobody") == nil)
    #expect(try await store.chains() == ["apex", "irel"])
    // A second append continues the chain from the head.
    let more = chainedRecords("irel", from: 4, count: 2, after: irel[2].hash)
    try await store.append(more)
    #expect(try await store.records(chain: "irel") == irel + more)
    try await store.append([])
    #expect(try await store.records(chain: nil).count == 7)
    try await store.close()
  }

  @Test("a batch with one bad record writes nothing", arguments: StoreKind.allCases)
  func atomicBatch(kind: StoreKind) async throws {
    let store = try await makeStore(kind)
    let irel = chainedRecords("irel", count: 4)
    try await store.append([irel[0]])
    // A gap inside the batch (2 then 4).
    await #expect(throws: StoreError.chainConflict(chain: "irel", expectedSequence: 4, headSequence: 2)) {
      try await store.append([irel[1], irel[3]])
    }
    // A good record of another chain followed by a bad one: neither is kept.
    let apex = chainedRecords("apex", count: 1)
    var bad = irel[1]
    bad.previousHash = fakeHash("not the head")
    await #expect(throws: StoreError.chainConflict(chain: "irel", expectedSequence: 2, headSequence: 1)) {
      try await store.append(apex + [bad])
    }
    #expect(try await store.records(chain: nil) == [irel[0]])
    #expect(try await store.chains() == ["irel"])
    try await store.close()
  }

  @Test("wrong sequence or previous hash is a chain conflict", arguments: StoreKind.allCases)
  func chainConflicts(kind: StoreKind) async throws {
    let store = try await makeStore(kind)
    let irel = chainedRecords("irel", count: 3)
    try await store.append(Array(irel[0..<2]))
    // Sequence 2 again (a second writer that read the head before the first wrote).
    var again = irel[1]
    again.eventID = "other-2"
    await #expect(throws: StoreError.chainConflict(chain: "irel", expectedSequence: 2, headSequence: 2)) {
      try await store.append([again])
    }
    // Sequence 3 skipping nothing but pointing at the wrong previous record.
    var wrongPrev = irel[2]
    wrongPrev.previousHash = irel[0].hash
    await #expect(throws: StoreError.chainConflict(chain: "irel", expectedSequence: 3, headSequence: 2)) {
      try await store.append([wrongPrev])
    }
    // A new chain must start at 1 after 64 zeros.
    let late = chainedRecords("apex", from: 2, count: 1)
    await #expect(throws: StoreError.chainConflict(chain: "apex", expectedSequence: 2, headSequence: 0)) {
      try await store.append(late)
    }
    var badStart = chainedRecords("apex", count: 1)[0]
    badStart.previousHash = irel[0].hash
    await #expect(throws: StoreError.chainConflict(chain: "apex", expectedSequence: 1, headSequence: 0)) {
      try await store.append([badStart])
    }
    #expect(try await store.records(chain: nil) == Array(irel[0..<2]))
    // The right next record is still accepted.
    try await store.append([irel[2]])
    #expect(try await store.head(chain: "irel")?.sequence == 3)
    try await store.close()
  }

  @Test("an event identifier is recorded once", arguments: StoreKind.allCases)
  func duplicateEvent(kind: StoreKind) async throws {
    let store = try await makeStore(kind)
    let irel = chainedRecords("irel", count: 1, idPrefix: "evt")
    try await store.append(irel)
    // Same event id on another chain.
    let apex = chainedRecords("apex", count: 1, idPrefix: "evt")
    #expect(apex[0].eventID == irel[0].eventID)
    await #expect(throws: StoreError.duplicateEvent(eventID: "evt-1")) { try await store.append(apex) }
    // Twice within one batch.
    var twice = chainedRecords("jp", count: 2)
    twice[1].eventID = twice[0].eventID
    await #expect(throws: StoreError.duplicateEvent(eventID: "jp-1")) { try await store.append(twice) }
    #expect(try await store.chains() == ["irel"])
    try await store.close()
  }

  @Test("two writers racing for the same sequence: exactly one wins", arguments: StoreKind.allCases)
  func racingWriters(kind: StoreKind) async throws {
    let store = try await makeStore(kind)
    let first = chainedRecords("irel", count: 1)
    try await store.append(first)
    // 8 writers each try to append sequence 2 with their own event id and hash.
    let outcomes = await withTaskGroup(of: Bool.self) { group in
      for w in 0..<8 {
        group.addTask {
          let r = EventRecord(
            chain: "irel", sequence: 2, eventID: "writer-\(w)", recordedAt: "2026-01-02T00:00:00Z", body: "{}",
            previousHash: first[0].hash, hash: fakeHash("w\(w)"))
          do {
            try await store.append([r])
            return true
          } catch let e as StoreError {
            return e == .chainConflict(chain: "irel", expectedSequence: 2, headSequence: 2) ? false : true
          } catch {
            return true
          }
        }
      }
      var wins: [Bool] = []
      for await o in group { wins.append(o) }
      return wins
    }
    #expect(outcomes.filter { $0 }.count == 1)
    #expect(try await store.records(chain: "irel").count == 2)
    try await store.close()
  }

  @Test("the access log keeps entries in the order written", arguments: StoreKind.allCases)
  func accessLog(kind: StoreKind) async throws {
    let store = try await makeStore(kind)
    let entries = [
      AccessRecord(
        at: "2026-03-01T10:00:00Z", organisation: "irel", role: "operator", action: "record", target: "lot-1",
        allowed: true, reason: ""),
      AccessRecord(
        at: "2026-03-01T09:00:00Z", organisation: "apex", role: "viewer", action: "trace", target: "lot-1",
        allowed: false, reason: "lot lot-1 is not apex's"),
      AccessRecord(
        at: "2026-03-01T11:00:00Z", organisation: "dgtr", role: "auditor", action: "verify", target: "",
        allowed: true, reason: ""),
    ]
    #expect(try await store.accessLog() == [])
    for e in entries { try await store.logAccess(e) }
    // Order written, not timestamp order.
    #expect(try await store.accessLog() == entries)
    try await store.close()
  }

  @Test("documents: upsert by (kind, name), listed by name", arguments: StoreKind.allCases)
  func documents(kind: StoreKind) async throws {
    let store = try await makeStore(kind)
    let b = StoredDocument(kind: "scenario", name: "b", body: "schema-version: 1\n", storedAt: "2026-01-01T00:00:00Z")
    let a = StoredDocument(kind: "scenario", name: "a", body: "x: 1", storedAt: "2026-01-02T00:00:00Z")
    let run = StoredDocument(kind: "run", name: "a", body: "{}", storedAt: "2026-01-03T00:00:00Z")
    for d in [b, a, run] { try await store.putDocument(d) }
    #expect(try await store.documents(kind: "scenario") == [a, b])
    #expect(try await store.documents(kind: "run") == [run])
    #expect(try await store.documents(kind: "token") == [])
    #expect(try await store.document(kind: "scenario", name: "a") == a)
    #expect(try await store.document(kind: "scenario", name: "zz") == nil)
    let a2 = StoredDocument(kind: "scenario", name: "a", body: "x: 2 — edited", storedAt: "2026-02-01T00:00:00Z")
    try await store.putDocument(a2)
    #expect(try await store.document(kind: "scenario", name: "a") == a2)
    #expect(try await store.documents(kind: "scenario") == [a2, b])
    #expect(try await store.document(kind: "run", name: "a") == run)
    try await store.close()
  }

  @Test("migrate is idempotent and reports the version in force", arguments: StoreKind.allCases)
  func migrateIdempotent(kind: StoreKind) async throws {
    let store = try await makeStore(kind)
    let v = try await store.schemaVersion()
    #expect(v >= 1)
    try await store.append(chainedRecords("irel", count: 2))
    #expect(try await store.migrate() == v)
    #expect(try await store.migrate() == v)
    #expect(try await store.schemaVersion() == v)
    #expect(try await store.records(chain: "irel").count == 2)
    #expect(store.location.isEmpty == false)
    try await store.close()
  }
}
