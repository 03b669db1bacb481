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

/// The ledger over one store. Every call is made on behalf of an `Actor`, checked against
/// the role matrix and written to the access log, allowed or denied.
public struct Ledger: Sendable {
  public let store: any LedgerStore
  /// The current time as ISO 8601 UTC (injected so tests are repeatable).
  public let now: @Sendable () -> String

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
    try await store.records(chain: nil).map { r in
      (r, try EPCIS.event(try JSONParser.parse(r.body, source: "\(r.chain) #\(r.sequence)"), at: "\(r.chain) #\(r.sequence)"))
    }
  }

  /// The state after replaying every accepted event (all organisations; callers filter by visibility).
  public func state() async throws -> LedgerState {
    try LedgerState.replay(try await loadEvents())
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
      let existing = try await loadEvents()
      let byID = Dictionary(existing.map { ($0.event.eventID, $0.record.chain) }, uniquingKeysWith: { a, _ in a })
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
      var heads: [String: (sequence: Int64, hash: String)] = [:]
      var records: [EventRecord] = []
      for e in events {
        let chain = e.organisation ?? actor.organisation
        if heads[chain] == nil {
          let h = try await store.head(chain: chain)
          heads[chain] = (h?.sequence ?? 0, h?.hash ?? RecordHash.genesis)
        }
        let head = heads[chain] ?? (0, RecordHash.genesis)
        var r = EventRecord(
          chain: chain, sequence: head.sequence + 1, eventID: e.eventID, recordedAt: recordedAt,
          body: EPCIS.json(e).canonical, previousHash: head.hash, hash: "")
        r.hash = RecordHash.expected(r)
        heads[chain] = (r.sequence, r.hash)
        records.append(r)
      }
      // Conservation and custody: the whole history with the new events must replay.
      _ = try LedgerState.replay(existing + zip(records, events).map { ($0, $1) })
      do {
        try await store.append(records)
        return records
      } catch let e as StoreError {
        if case .chainConflict = e, attempt < maxAttempts { continue }
        throw e
      }
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
