import Dispatch
import Foundation
import Ledger
import LedgerSQLite
import Quantities

/// Runs async `body` to completion from the synchronous benchmark driver.
private func blocking(_ body: @escaping @Sendable () async throws -> Void) {
  let done = DispatchSemaphore(value: 0)
  Task {
    do { try await body() } catch { print("ledger benchmark failed: \(error)") }
    done.signal()
  }
  done.wait()
}

private func seconds(_ body: () async throws -> Void) async rethrows -> Double {
  let start = ContinuousClock.now
  try await body()
  let d = ContinuousClock.now - start
  return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// A fresh SQLite ledger in a temporary directory.
private func freshStore() throws -> SQLiteStore {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-bench-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return try SQLiteStore(path: dir.appendingPathComponent("ledger.db").path)
}

/// A genealogy of `n` events: one commissioned lot, then n − 1 transformations, each consuming
/// the previous lot and making the next (a 10,000-step chain of custody).
private func genealogy(_ n: Int) -> [LedgerEvent] {
  var events = [
    LedgerEvent(
      kind: .object, eventID: "g-0", eventTime: "2027-01-01T00:00:00Z", action: .add, bizStep: .commissioning,
      bizLocation: "irel-aluva",
      created: [LotSpec(id: "lot-0", material: "ndpr-oxide", mass: 1e6, assay: [.Nd: 0.681, .Pr: 0.17], origin: "IN")])
  ]
  for k in 1..<n {
    let t = EPCIS.isoUTC(seconds: 1_798_761_600 + k * 60) + "Z"
    events.append(
      LedgerEvent(
        kind: .transformation, eventID: "g-\(k)", eventTime: t, bizStep: .transforming, bizLocation: "irel-aluva",
        created: [LotSpec(id: "lot-\(k)", material: "ndpr-oxide", mass: 1e6 - Double(k), assay: [.Nd: 0.681, .Pr: 0.17])],
        inputs: [LotQuantity(lot: "lot-\(k - 1)", mass: 1e6 - Double(k - 1))]))
  }
  return events
}

let ledgerBenchmark = Benchmark(
  name: "ledger", summary: "SQLite ledger: sustained ingest (store and validated) and tracing a 10,000-event genealogy"
) {
  blocking {
    let actor = Actor(organisation: "irel", role: .operator)
    let n = 10_000
    // 1. Raw store appends (records pre-hashed), one transaction each and in batches of 100.
    let store = try freshStore()
    _ = try await store.migrate()
    var previous = RecordHash.genesis
    var records: [EventRecord] = []
    for (k, e) in genealogy(n).enumerated() {
      var r = EventRecord(
        chain: "irel", sequence: Int64(k + 1), eventID: e.eventID, recordedAt: "2027-06-30T00:00:00Z",
        body: EPCIS.json(e).canonical, previousHash: previous, hash: "")
      r.hash = RecordHash.expected(r)
      previous = r.hash
      records.append(r)
    }
    let single = 2_000
    let tSingle = try await seconds { for r in records.prefix(single) { try await store.append([r]) } }
    let tBatch = try await seconds {
      var k = single
      while k < n {
        try await store.append(Array(records[k..<min(n, k + 100)]))
        k += 100
      }
    }
    print("store append, 1 event per transaction (synchronous FULL): \(formatNumber(Double(single) / tSingle, significantDigits: 3)) events/s")
    print("store append, 100 events per transaction: \(formatNumber(Double(n - single) / tBatch, significantDigits: 3)) events/s")
    try await store.close()

    // 2. Validated ingest through the ledger (canonical JSON, hashing, custody and conservation
    //    against the kept replayed state; the first call after opening replays the whole history).
    let ledgerStore = try freshStore()
    _ = try await ledgerStore.migrate()
    let ledger = Ledger(store: ledgerStore, now: { "2027-06-30T00:00:00Z" })
    let events = genealogy(n)
    let tImport = try await seconds { try await ledger.record(events, as: actor, operation: .importDocument) }
    print("ledger import of \(n) events in one document: \(formatNumber(Double(n) / tImport, significantDigits: 3)) events/s (\(formatNumber(tImport, significantDigits: 3)) s)")
    let more = (0..<2_000).map { k in
      LedgerEvent(
        kind: .object, eventID: "extra-\(k)", eventTime: "2028-01-01T00:00:00Z", action: .add, bizStep: .commissioning,
        created: [LotSpec(id: "extra-\(k)", material: "ndpr-oxide", mass: 1000, assay: [.Nd: 0.681])])
    }
    let tOne = try await seconds { for e in more { try await ledger.record([e], as: actor) } }
    print("ledger record, 1 event per call on a \(n)-event history, \(more.count) calls: \(formatNumber(Double(more.count) / tOne, significantDigits: 3)) events/s")
    let reopened = Ledger(store: ledgerStore, now: { "2027-06-30T00:00:00Z" })
    let extra = LedgerEvent(
      kind: .object, eventID: "extra-first", eventTime: "2028-02-01T00:00:00Z", action: .add, bizStep: .commissioning,
      created: [LotSpec(id: "extra-first", material: "ndpr-oxide", mass: 1000, assay: [.Nd: 0.681])])
    let tFirst = try await seconds { try await reopened.record([extra], as: actor) }
    print("ledger record, first call after opening (replays \(n + more.count) events): \(formatNumber(tFirst * 1000, significantDigits: 3)) ms")

    // 3. Trace the last lot back through all 10,000 events.
    var sources = 0
    let cold = Ledger(store: ledgerStore, now: { "2027-06-30T00:00:00Z" })
    let tTrace = try await seconds { sources = try await cold.trace(lot: "lot-\(n - 1)", as: actor).sources.count }
    let tWarm = try await seconds { sources = try await cold.trace(lot: "lot-\(n - 1)", as: actor).sources.count }
    let state = try await ledger.state()
    let tMemory = bestSeconds { sources = state.trace("lot-\(n - 1)", for: "irel")?.sources.count ?? 0 }
    print("trace lot-\(n - 1) (\(sources) ancestors): \(formatNumber(tTrace * 1000, significantDigits: 3)) ms on a just-opened ledger (load + replay + walk), \(formatNumber(tWarm * 1000, significantDigits: 3)) ms on its kept state (head check + walk), \(formatNumber(tMemory * 1000, significantDigits: 3)) ms walk alone")
    try await ledgerStore.close()
  }
}
