import Foundation
import Ledger
import LedgerPostgres
import Testing
import TestSupport

/// The test server (TestSupport's `PostgresTestServer`), with the skip reason as a test comment.
enum TestServer {
  static let url = PostgresTestServer.url
  static let enabled = PostgresTestServer.enabled
  static let why = Comment(rawValue: PostgresTestServer.skipReason)
}

func freshSchemaName() -> String { PostgresTestServer.freshSchemaName() }

/// The test server's URL with a fresh schema, or nil (and a recorded failure) when it is not configured.
func freshSchemaURL() throws -> PostgresURL? {
  guard let text = TestServer.url else {
    Issue.record(Comment(rawValue: PostgresTestServer.missingMessage))
    return nil
  }
  var url = try PostgresURL(text)
  url.schema = freshSchemaName()
  return url
}

/// Runs `body` with a migrated store in a schema of its own, dropped afterwards.
func withFreshStore(_ body: (PostgresStore) async throws -> Void) async throws {
  guard let url = try freshSchemaURL() else { return }
  let store = try await PostgresStore.open(url)
  do {
    _ = try await store.migrate()
    try await body(store)
  } catch {
    try? await store._executeUnchecked("DROP SCHEMA IF EXISTS \(url.schema ?? "") CASCADE")
    try? await store.close()
    throw error
  }
  try await store._executeUnchecked("DROP SCHEMA IF EXISTS \(url.schema ?? "") CASCADE")
  try await store.close()
}

/// Test chains link records by a stand-in hash (FNV-1a 64 over the same fields the ledger core hashes,
/// written four times to make 64 hex digits). The store treats hashes as opaque text, so any
/// deterministic function of the fields serves to build and check links here.
func standInHash(chain: String, sequence: Int64, eventID: String, recordedAt: String, body: String, previousHash: String)
  -> String
{
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in "\(chain)\u{1F}\(sequence)\u{1F}\(eventID)\u{1F}\(recordedAt)\u{1F}\(body)\u{1F}\(previousHash)".utf8 {
    h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
  }
  let hex = String(h, radix: 16)
  let word = String(repeating: "0", count: 16 - hex.count) + hex
  return String(repeating: word, count: 4)
}

let genesisHash = String(repeating: "0", count: 64)

/// The record that follows `previous` (or starts `chain`), with a stand-in hash.
func nextRecord(chain: String, after previous: EventRecord?, eventID: String, body: String = "{}") -> EventRecord {
  let sequence = (previous?.sequence ?? 0) + 1
  let previousHash = previous?.hash ?? genesisHash
  let recordedAt = "2026-04-01T09:30:00Z"
  return EventRecord(
    chain: chain, sequence: sequence, eventID: eventID, recordedAt: recordedAt, body: body,
    previousHash: previousHash,
    hash: standInHash(
      chain: chain, sequence: sequence, eventID: eventID, recordedAt: recordedAt, body: body,
      previousHash: previousHash))
}

/// `n` records starting `chain`.
func chainOf(_ chain: String, count n: Int, idPrefix: String? = nil) -> [EventRecord] {
  var out: [EventRecord] = []
  for i in 1...n {
    out.append(nextRecord(chain: chain, after: out.last, eventID: "\(idPrefix ?? chain)-\(i)", body: #"{"n":\#(i)}"#))
  }
  return out
}

/// Everything wrong with one chain as read back: gaps, broken links, hashes that do not match the
/// fields. Empty for an intact chain.
func chainProblems(_ records: [EventRecord]) -> [String] {
  var problems: [String] = []
  var previous: EventRecord? = nil
  for r in records {
    let expectedSequence = (previous?.sequence ?? 0) + 1
    if r.sequence != expectedSequence { problems.append("sequence \(r.sequence) where \(expectedSequence) was due") }
    if r.previousHash != (previous?.hash ?? genesisHash) { problems.append("sequence \(r.sequence): link broken") }
    let recomputed = standInHash(
      chain: r.chain, sequence: r.sequence, eventID: r.eventID, recordedAt: r.recordedAt, body: r.body,
      previousHash: r.previousHash)
    if r.hash != recomputed { problems.append("sequence \(r.sequence): hash does not match its fields") }
    previous = r
  }
  return problems
}
