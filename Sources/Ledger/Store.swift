// The storage contract of the ledger. The ledger core (this module) decides what an event
// is, computes its hash and enforces access and mass conservation; a store only keeps
// records verbatim, appends them atomically and refuses an append that would fork a chain.
// Two implementations: `LedgerSQLite` (GRDB, the embedded default) and `LedgerPostgres`
// (postgres-nio, for teams). One conformance suite runs against both.

/// One event of an organisation's append-only, hash-chained log, as stored.
///
/// `hash` = lowercase hex SHA-256 of the canonical preimage that the ledger core defines
/// (it covers `chain`, `sequence`, `eventID`, `recordedAt`, `body` and `previousHash`), so
/// editing, removing or reordering a stored row is detected by recomputing the chain.
public struct EventRecord: Sendable, Hashable, Codable {
  /// The organisation whose chain this record belongs to (e.g. `irel`).
  public var chain: String
  /// Position in the chain: 1, 2, 3, … without gaps.
  public var sequence: Int64
  /// Globally unique event identifier (an EPCIS `eventID`).
  public var eventID: String
  /// When the ledger accepted the event, ISO 8601 in UTC (`2026-04-01T09:30:00Z`).
  public var recordedAt: String
  /// Canonical JSON of the event (EPCIS 2.0 with Lodestone's extensions), kept byte for byte.
  public var body: String
  /// Hash of the previous record of the same chain; 64 zeros for sequence 1.
  public var previousHash: String
  /// This record's hash, lowercase hex SHA-256.
  public var hash: String

  public init(
    chain: String, sequence: Int64, eventID: String, recordedAt: String, body: String,
    previousHash: String, hash: String
  ) {
    self.chain = chain
    self.sequence = sequence
    self.eventID = eventID
    self.recordedAt = recordedAt
    self.body = body
    self.previousHash = previousHash
    self.hash = hash
  }
}

/// One entry of the access log: every read and write, allowed or denied.
public struct AccessRecord: Sendable, Hashable, Codable {
  /// ISO 8601 UTC.
  public var at: String
  public var organisation: String
  /// `viewer`, `operator`, `auditor` or `admin`.
  public var role: String
  /// What was attempted, e.g. `record`, `trace`, `verify`, `export`.
  public var action: String
  /// What it was attempted on (a lot, an event, a chain); may be empty.
  public var target: String
  public var allowed: Bool
  /// Why it was denied; empty when allowed.
  public var reason: String

  public init(
    at: String, organisation: String, role: String, action: String, target: String, allowed: Bool,
    reason: String
  ) {
    self.at = at
    self.organisation = organisation
    self.role = role
    self.action = action
    self.target = target
    self.allowed = allowed
    self.reason = reason
  }
}

/// A named document kept beside the ledger, so the CLI and the server share history:
/// scenarios (`kind: "scenario"`, YAML), run results (`kind: "run"`, JSON), organisations,
/// API tokens (hashed).
public struct StoredDocument: Sendable, Hashable, Codable {
  public var kind: String
  public var name: String
  public var body: String
  /// ISO 8601 UTC.
  public var storedAt: String

  public init(kind: String, name: String, body: String, storedAt: String) {
    self.kind = kind
    self.name = name
    self.body = body
    self.storedAt = storedAt
  }
}

/// Errors every store reports in the same words.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Another writer appended to `chain` first: its head is now `headSequence`, so a record
  /// with sequence `expectedSequence` (or a different previous hash) would fork the chain.
  /// Nothing was written; the caller re-reads the head and retries.
  case chainConflict(chain: String, expectedSequence: Int64, headSequence: Int64)
  /// The database cannot be opened or reached (`location` names it, without a password).
  case unavailable(location: String, reason: String)
  /// The database was written by a newer Lodestone.
  case schemaTooNew(location: String, found: Int, supported: Int)
  /// Two records share an event identifier.
  case duplicateEvent(eventID: String)

  public var description: String {
    switch self {
    case let .chainConflict(chain, expected, head):
      return
        "chain '\(chain)' moved on: its head is sequence \(head), so sequence \(expected) would fork it; nothing was written"
    case let .unavailable(location, reason):
      return "cannot open ledger database \(location): \(reason)"
    case let .schemaTooNew(location, found, supported):
      return
        "ledger database \(location) has schema version \(found), newer than this Lodestone supports (\(supported)); upgrade Lodestone"
    case let .duplicateEvent(id):
      return "event \(id) is already recorded"
    }
  }
}

/// Where the ledger keeps its records. Implementations are safe to share between tasks.
public protocol LedgerStore: Sendable {
  /// A printable location without secrets: `sqlite:/path/to/ledger.db`, `postgres://user@host:5432/db`.
  var location: String { get }
  /// Applies pending versioned migrations (idempotent) and returns the schema version in force.
  func migrate() async throws -> Int
  /// The schema version in force; 0 for an empty database.
  func schemaVersion() async throws -> Int
  /// Appends `records` atomically, all or none, in order. For each chain, the first record's
  /// sequence must be the chain's head sequence + 1 (1 for a new chain) and its
  /// `previousHash` the head's hash, and records of the same chain must follow on without
  /// gaps; otherwise throws `StoreError.chainConflict` and writes nothing. Committed records
  /// survive a crash of the process at any instant.
  func append(_ records: [EventRecord]) async throws
  /// The last record of `chain`, or nil if the chain is empty.
  func head(chain: String) async throws -> EventRecord?
  /// Records ordered by (chain, sequence); `chain == nil` returns every chain's.
  func records(chain: String?) async throws -> [EventRecord]
  /// The names of all chains, sorted.
  func chains() async throws -> [String]
  /// Appends one access-log entry.
  func logAccess(_ record: AccessRecord) async throws
  /// The access log in the order written.
  func accessLog() async throws -> [AccessRecord]
  /// Inserts or replaces the document with the same (kind, name).
  func putDocument(_ document: StoredDocument) async throws
  func document(kind: String, name: String) async throws -> StoredDocument?
  /// Documents of one kind, ordered by name.
  func documents(kind: String) async throws -> [StoredDocument]
  /// Releases connections; the store is unusable afterwards.
  func close() async throws
}
