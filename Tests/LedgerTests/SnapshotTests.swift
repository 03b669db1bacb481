import Foundation
import Ledger
import LedgerSQLite
import Testing
import TestSupport

/// The ledger keeps its replayed state between calls and applies only new events when it can.
/// After every step, its state must equal a full replay of the stored history by a ledger that
/// has never seen it; a stale state would also refuse the events that depend on another writer's.
@Suite("kept state between calls")
struct SnapshotTests {
  /// What a state says about each lot and the order of events applied, for comparison.
  func digest(_ s: LedgerState) -> [String] {
    s.lots.values.sorted { $0.id < $1.id }.map { "\($0.id) \($0.mass) \($0.owner) \($0.holder) \($0.status.rawValue)" }
      + s.applied.map { "\($0.event)@\($0.organisation)" }
  }

  @Test("recorded one by one, late, corrected, refused and by another writer: always the full replay")
  func keptStateEqualsFullReplay() async throws {
    let (a, path) = try await makeLedger()
    // Another writer on the same database file, with its own kept state.
    let otherStore = try SQLiteStore(path: path)
    let b = Ledger(store: otherStore, now: { "2027-06-30T12:00:01Z" })
    func check(_ step: String) async throws {
      let fresh = Ledger(store: a.store, now: { "" })
      let expected = digest(try await fresh.state())
      #expect(digest(try await a.state()) == expected, "A after \(step)")
      #expect(digest(try await b.state()) == expected, "B after \(step)")
    }
    // In order: the kept state takes each event.
    try await a.record([commission("c1", lot: "ox-1", kg: 1000, time: "2027-01-05T08:00:00Z")], as: irelOp)
    try await a.record([ship("s1", lots: ["ox-1"], to: "jp", time: "2027-01-06T08:00:00Z")], as: irelOp)
    try await check("in-order events")
    // Refused (jp does not hold ox-1 yet): nothing changes, and the kept state is not spoilt.
    await #expect(throws: LedgerError.self) {
      try await a.record(
        [transform("t0", inputs: [("ox-1", 10)], outputs: [magnet("m-0", kg: 20, owner: "irel")], time: "2027-01-07T00:00:00Z")],
        as: jpOp)
    }
    try await check("a refusal")
    // Another writer moves jp's chain: A must see the receipt, or the transform below is refused.
    try await b.record([receive("r1", lots: ["ox-1"], at: "jp-plant", time: "2027-01-20T08:00:00Z")], as: jpOp)
    try await check("another writer")
    try await a.record(
      [transform("t1", inputs: [("ox-1", 600)], outputs: [magnet("m-1", kg: 1200, owner: "irel")], time: "2027-02-01T00:00:00Z")],
      as: jpOp)
    try await check("a transformation after another writer's receipt")
    // A late event (earlier than everything recorded) takes the full replay.
    try await a.record([commission("c0", lot: "ox-0", kg: 500, time: "2027-01-01T00:00:00Z")], as: irelOp)
    try await check("a late event")
    // A correction too.
    var fix = commission("c0-fix", lot: "ox-0", kg: 480, time: "2027-01-01T00:00:00Z")
    fix.corrects = "c0"
    try await a.record([fix], as: irelOp)
    try await check("a correction")
    #expect(try await a.state().lots["ox-0"]?.mass == 480)
    #expect(try await a.state().lots["ox-1"]?.mass == 400)
    // A batch spanning two chains, recorded by an admin, in order.
    try await a.record(
      [
        commission("c2", lot: "ox-2", kg: 100, time: "2027-03-01T00:00:00Z"),
        ship("s2", lots: ["ox-2"], to: "jp", time: "2027-03-02T00:00:00Z"),
      ], as: Actor(organisation: "irel", role: .admin))
    try await check("a batch")
    // Nothing to record is nothing recorded.
    #expect(try await a.record([], as: irelOp).isEmpty)
    #expect(try await a.store.records(chain: nil).count == 8)
  }
}
