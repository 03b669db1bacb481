import Dispatch
import Foundation
import Ledger
import LedgerPostgres
import Quantities

/// Sustained ingest into the PostgreSQL ledger store: one writer appending batches of 1 and of
/// 100 events to one chain, and 4 writers on 4 chains at once. Needs a server:
/// `LODESTONE_TEST_POSTGRES_URL=$(scripts/postgres) swift run -c release lodestone-bench ledger-postgres`.
/// Records (with their hashes) are built before the clock starts: this times the store alone.
let ledgerPostgresBenchmark = Benchmark(
  name: "ledger-postgres", summary: "PostgreSQL ledger store: sustained ingest, events/s (batches of 1 and 100; 4 writers)"
) {
  guard let text = ProcessInfo.processInfo.environment["LODESTONE_TEST_POSTGRES_URL"], !text.isEmpty else {
    print("skipped: needs a PostgreSQL server. Run:")
    print("  LODESTONE_TEST_POSTGRES_URL=$(scripts/postgres) swift run -c release lodestone-bench ledger-postgres")
    print("  (PGDURABLE=1 PGPORT=55433 scripts/postgres starts one that flushes commits to disk)")
    return
  }
  let done = DispatchSemaphore(value: 0)
  Task {
    do {
      try await postgresIngest(urlText: text)
    } catch {
      print("ledger-postgres failed: \(error)")
    }
    done.signal()
  }
  done.wait()
}

private func postgresIngest(urlText: String) async throws {
  var url = try PostgresURL(urlText)
  print("server: \(url.location)")
  print("case                        events  batch  writers       s    events/s")
  func row(_ name: String, _ n: Int, _ batch: Int, _ writers: Int, _ seconds: Double) {
    let cols = [name, "\(n)", "\(batch)", "\(writers)", fixedFormat(seconds, decimals: 2), formatNumber(Double(n) / seconds, significantDigits: 3)]
    let widths = [-26, 8, 6, 8, 7, 11]
    print(zip(cols, widths).map { $1 < 0 ? $0 + String(repeating: " ", count: max(0, -$1 - $0.count)) : String(repeating: " ", count: max(0, $1 - $0.count)) + $0 }.joined(separator: "  "))
  }
  for (name, total, batch, writers) in [
    ("one chain, batches of 1", 2_000, 1, 1), ("one chain, batches of 100", 20_000, 100, 1),
    ("4 chains, batches of 1", 4_000, 1, 4), ("4 chains, batches of 100", 40_000, 100, 4),
  ] {
    url.schema = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    let store = try await PostgresStore.open(url)
    _ = try await store.migrate()
    let perWriter = total / writers
    let chains = (0..<writers).map { benchChain(name: "org\($0)", count: perWriter) }
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
      for records in chains {
        group.addTask {
          var i = 0
          while i < records.count {
            try await store.append(Array(records[i..<min(i + batch, records.count)]))
            i += batch
          }
        }
      }
      try await group.waitForAll()
    }
    let d = ContinuousClock.now - start
    let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    let stored = try await store.records(chain: nil).count
    row(name, stored, batch, writers, seconds)
    if stored != total { print("  MISMATCH: stored \(stored) of \(total)") }
    try await store._executeUnchecked("DROP SCHEMA \(url.schema ?? "") CASCADE")
    try await store.close()
  }
}

/// A chain of `count` EPCIS-sized records (≈ 600-byte bodies) linked by a stand-in hash.
private func benchChain(name: String, count: Int) -> [EventRecord] {
  var out: [EventRecord] = []
  out.reserveCapacity(count)
  var previous = String(repeating: "0", count: 64)
  let padding = String(repeating: "x", count: 480)
  for i in 1...count {
    let id = "urn:uuid:\(name)-\(i)"
    let body =
      #"{"type":"ObjectEvent","eventID":"\#(id)","action":"OBSERVE","bizStep":"shipping","epcList":["urn:epc:id:sgtin:0614141.107346.\#(i)"],"pad":"\#(padding)"}"#
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in (previous + id + body).utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    let hex = String(h, radix: 16)
    let hash = String(repeating: String(repeating: "0", count: 16 - hex.count) + hex, count: 4)
    out.append(
      EventRecord(
        chain: name, sequence: Int64(i), eventID: id, recordedAt: "2026-04-01T09:30:00Z", body: body,
        previousHash: previous, hash: hash))
    previous = hash
  }
  return out
}
