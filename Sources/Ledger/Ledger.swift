// The ledger: records events through a store on behalf of an actor, enforcing access,
// custody and mass conservation, and hash-chaining each organisation's events.
import Crypto
import Foundation

/// What an actor can ask of the ledger; `allowedRoles` is the role matrix (docs/ledger.md).
public enum LedgerOperation: String, Sendable, CaseIterable {
  case initialise = "init"
  case record
  case importDocument = "import"
  case export
  case verify
  case trace
  case reconcile
  case balance
  case accessLog = "access-log"

  /// The roles that may perform the operation. Data scope is separate: every role sees only
  /// lots its organisation owns, holds or was consigned.
  public var allowedRoles: Set<Role> {
    switch self {
    case .initialise: return [.admin]
    case .record, .importDocument: return [.operator, .admin]
    case .export, .trace, .balance: return [.viewer, .operator, .auditor, .admin]
    case .verify, .accessLog: return [.auditor, .admin]
    case .reconcile: return [.operator, .auditor, .admin]
    }
  }
}

/// The canonical hash preimage and digest of records.
public enum RecordHash {
  /// Canonical JSON of `{"body", "chain", "eventID", "previousHash", "recordedAt", "sequence"}`
  /// with the body as a string, keys sorted, no whitespace.
  public static func preimage(
    chain: String, sequence: Int64, eventID: String, recordedAt: String, body: String, previousHash: String
  ) -> String {
    JSONValue.object([
      "body": .string(body), "chain": .string(chain), "eventID": .string(eventID),
      "previousHash": .string(previousHash), "recordedAt": .string(recordedAt), "sequence": .number(Double(sequence)),
    ]).canonical
  }

  /// Lowercase hex SHA-256 of `text`'s UTF-8 bytes.
  public static func sha256(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).map { b in
      let h = String(b, radix: 16)
      return h.count == 1 ? "0" + h : h
    }.joined()
  }

  /// The hash `r` should carry given its other fields (and, for reorder detection, a sequence).
  public static func expected(_ r: EventRecord, sequence: Int64? = nil) -> String {
    sha256(
      preimage(
        chain: r.chain, sequence: sequence ?? r.sequence, eventID: r.eventID, recordedAt: r.recordedAt, body: r.body,
        previousHash: r.previousHash))
  }

  /// 64 zeros: the previous hash of a chain's first record.
  public static let genesis = String(repeating: "0", count: 64)
}

/// Decoded events keyed by their stored body, so repeated replays do not parse JSON again.
/// A body is the event's exact bytes, so an edited body is a different key and is decoded anew.
final class EventCache: @unchecked Sendable {
  private let lock = NSLock()
  private var events: [String: LedgerEvent] = [:]

  func event(_ r: EventRecord) throws -> LedgerEvent {
    lock.lock()
    let hit = events[r.body]
    lock.unlock()
    if let hit { return hit }
    let e = try EPCIS.event(try JSONParser.parse(r.body, source: "\(r.chain) #\(r.sequence)"), at: "\(r.chain) #\(r.sequence)")
    lock.lock()
    events[r.body] = e
    lock.unlock()
    return e
  }
}

/// The replayed state as of given chain heads, kept between calls so that recording one event
/// costs a check of the heads and one event applied, not a replay of the whole history.
/// It is used only while the store's heads are exactly those it was built from (any other
/// writer, in this process or another, moves a head and forces a full replay).
struct Snapshot: Sendable {
  /// chain → (sequence, hash) of its head.
  var heads: [String: HeadMark]
  var state: LedgerState
  /// Every recorded event id → its chain.
  var chains: [String: String]
  /// The replay sort key of the last event applied (events sort by time, then recording).
  var last: ReplayKey?
}

struct HeadMark: Sendable, Equatable {
  var sequence: Int64
  var hash: String
}

/// Replay order: event time (UTC), then recording time, chain and sequence.
struct ReplayKey: Sendable, Comparable {
  var eventTime: String, recordedAt: String, chain: String, sequence: Int64
  init(_ r: EventRecord, _ e: LedgerEvent) {
    eventTime = e.eventTime
    recordedAt = r.recordedAt
    chain = r.chain
    sequence = r.sequence
  }
  static func < (a: ReplayKey, b: ReplayKey) -> Bool {
    (a.eventTime, a.recordedAt, a.chain, a.sequence) < (b.eventTime, b.recordedAt, b.chain, b.sequence)
  }
}

final class SnapshotCache: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Snapshot?
  func get() -> Snapshot? {
    lock.lock()
    defer { lock.unlock() }
    return value
  }
  func set(_ s: Snapshot?) {
    lock.lock()
    value = s
    lock.unlock()
  }
}

/// The ledger over one store. Every call is made on behalf of an `Actor`, checked against
/// the role matrix and written to the access log, allowed or denied.
public struct Ledger: Sendable {
  public let store: any LedgerStore
  /// The current time as ISO 8601 UTC (injected so tests are repeatable).
  public let now: @Sendable () -> String
  private let cache = EventCache()
  private let snapshot = SnapshotCache()

  public init(store: any LedgerStore, now: @escaping @Sendable () -> String) {
    self.store = store
    self.now = now
  }

  /// Checks `actor` may perform `operation` on `target`, logging the attempt; throws `.denied`.
  /// `scope` is an extra data-scope check (nil = allowed, else the reason for denial).
  public func authorize(_ actor: Actor, _ operation: LedgerOperation, target: String = "", scope: String? = nil) async throws {
    var reason = ""
    if !operation.allowedRoles.contains(actor.role) {
      let roles = Role.allCases.filter { operation.allowedRoles.contains($0) }.map(\.rawValue).joined(separator: ", ")
      reason = "role \(actor.role.rawValue) cannot \(operation.rawValue) (allowed: \(roles))"
    } else if let scope {
      reason = scope
    }
    try await store.logAccess(
      AccessRecord(
        at: now(), organisation: actor.organisation, role: actor.role.rawValue, action: operation.rawValue,
        target: target, allowed: reason.isEmpty, reason: reason))
    if !reason.isEmpty {
      throw LedgerError.denied(actor: actor.description, action: operation.rawValue, target: target, reason: reason)
    }
  }

  /// Every stored record with its decoded event.
  public func loadEvents() async throws -> [(record: EventRecord, event: LedgerEvent)] {
    try await store.records(chain: nil).map { r in (r, try cache.event(r)) }
  }

  /// The state after replaying every accepted event (all organisations; callers filter by visibility).
  public func state() async throws -> LedgerState {
    try await current().state
  }

  /// Every chain's head in the store now.
  private func heads() async throws -> [String: HeadMark] {
    var heads: [String: HeadMark] = [:]
    for c in try await store.chains() {
      if let h = try await store.head(chain: c) { heads[c] = HeadMark(sequence: h.sequence, hash: h.hash) }
    }
    return heads
  }

  /// The snapshot for the store's present heads: the kept one when the heads have not moved,
  /// else a full replay of the stored history (which then becomes the kept one).
  private func current() async throws -> Snapshot {
    let now = try await heads()
    if let s = snapshot.get(), s.heads == now { return s }
    let events = try await loadEvents()
    let s = Snapshot(
      heads: now, state: try LedgerState.replay(events),
      chains: Dictionary(events.map { ($0.event.eventID, $0.record.chain) }, uniquingKeysWith: { a, _ in a }),
      last: events.map { ReplayKey($0.record, $0.event) }.max())
    // Keep it only if nobody wrote while we read (else the next call replays again).
    if try await heads() == now { snapshot.set(s) }
    return s
  }

  /// Records `events`, each in the chain of its organisation (the actor's by default), after
  /// checking the whole history with them replays (custody, conservation). Events for another
  /// organisation's chain need the admin role (loading a history). All are appended in one
  /// transaction; when another writer moved a chain on, re-reads and retries.
  /// Returns the records written, in the order of `events`.
  @discardableResult
  public func record(_ events: [LedgerEvent], as actor: Actor, operation: LedgerOperation = .record, maxAttempts: Int = 20)
    async throws -> [EventRecord]
  {
    let foreign = events.compactMap(\.organisation).filter { $0 != actor.organisation }
    try await authorize(
      actor, operation, target: events.count == 1 ? events[0].eventID : "\(events.count) events",
      scope: foreign.isEmpty || actor.role == .admin
        ? nil : "events for organisation '\(foreign[0])' can only be recorded by that organisation or an admin")
    if events.isEmpty { return [] }
    let events = events.map { e -> LedgerEvent in
      var e = e
      e.organisation = e.organisation ?? actor.organisation
      return e
    }
    var ids = Set<String>()
    for e in events where !ids.insert(e.eventID).inserted { throw StoreError.duplicateEvent(eventID: e.eventID) }
    let newChain = Dictionary(events.map { ($0.eventID, $0.organisation ?? actor.organisation) }, uniquingKeysWith: { a, _ in a })
    var attempt = 0
    while true {
      attempt += 1
      var base = try await current()
      let byID = base.chains
      for e in events {
        if byID[e.eventID] != nil { throw StoreError.duplicateEvent(eventID: e.eventID) }
        if let c = e.corrects {
          guard let chain = byID[c] ?? newChain[c] else {
            throw LedgerError.refused(event: e.eventID, reason: "it corrects event '\(c)', which is not recorded.")
          }
          guard chain == e.organisation else {
            throw LedgerError.refused(
              event: e.eventID, reason: "it corrects event '\(c)' of '\(chain)'; only '\(chain)' may correct its events.")
          }
        }
      }
      let recordedAt = now()
      var heads = base.heads
      var records: [EventRecord] = []
      for e in events {
        let chain = e.organisation ?? actor.organisation
        let head = heads[chain] ?? HeadMark(sequence: 0, hash: RecordHash.genesis)
        var r = EventRecord(
          chain: chain, sequence: head.sequence + 1, eventID: e.eventID, recordedAt: recordedAt,
          body: EPCIS.json(e).canonical, previousHash: head.hash, hash: "")
        r.hash = RecordHash.expected(r)
        heads[chain] = HeadMark(sequence: r.sequence, hash: r.hash)
        records.append(r)
      }
      // Conservation and custody: the whole history with the new events must replay. When the
      // new events come after every recorded one in replay order and correct none, that is the
      // kept state with them applied; otherwise (a late event, a correction) a full replay.
      let new = zip(records, events).map { (record: $0, event: $1) }
      let keys = new.map { ReplayKey($0.record, $0.event) }
      // From here `base` holds the only reference to the kept state, which therefore changes in
      // place (no copy of the history's lots); it is kept again once the new events are stored.
      snapshot.set(nil)
      if events.allSatisfy({ $0.corrects == nil }), let first = keys.min(), base.last.map({ $0 < first }) ?? true {
        for x in new.sorted(by: { ReplayKey($0.record, $0.event) < ReplayKey($1.record, $1.event) }) {
          // A refusal leaves `base` half-applied; it is dropped and the next call replays.
          try base.state.applyUnchecked(x.event, by: x.record.chain)
        }
      } else {
        base.state = try LedgerState.replay(try await loadEvents() + new)
      }
      do {
        try await store.append(records)
      } catch let e as StoreError {
        if case .chainConflict = e, attempt < maxAttempts { continue }
        throw e
      }
      for r in records { base.chains[r.eventID] = r.chain }
      base.heads = heads
      base.last = max(base.last ?? keys[0], keys.max() ?? keys[0])
      snapshot.set(base)
      return records
    }
  }

  /// Lots visible to the actor, sorted by id.
  public func lots(as actor: Actor) async throws -> [LotState] {
    try await authorize(actor, .balance)
    let s = try await state()
    return s.lots.values.filter { $0.parties.contains(actor.organisation) }.sorted { $0.id < $1.id }
  }

  /// The access log, for auditors and admins: entries of the actor's organisation.
  public func accessLog(as actor: Actor) async throws -> [AccessRecord] {
    try await authorize(actor, .accessLog)
    return try await store.accessLog().filter { $0.organisation == actor.organisation }
  }

  /// Events the actor may export: every event of its own chain, and other chains' events
  /// that concern only lots visible to it.
  public func exportEvents(as actor: Actor) async throws -> [(record: EventRecord, event: LedgerEvent)] {
    try await authorize(actor, .export)
    let all = try await loadEvents()
    let s = try LedgerState.replay(all)
    return all.filter { x in
      if x.record.chain == actor.organisation { return true }
      let touched = x.event.lots + x.event.created.map(\.id) + x.event.inputs.map(\.lot)
      return !touched.isEmpty && touched.allSatisfy { s.isVisible($0, to: actor.organisation) }
    }.sorted { ($0.event.eventTime, $0.record.chain, $0.record.sequence) < ($1.event.eventTime, $1.record.chain, $1.record.sequence) }
  }
}
