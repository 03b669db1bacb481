// The embedded ledger store: one SQLite file through GRDB. WAL journal and
// `synchronous = FULL`, so a committed append survives a crash of the process (or of the
// machine) at any instant; every append is one IMMEDIATE transaction that checks the chain
// head, so two writers (threads or processes) never fork a chain.
import Foundation
import GRDB
import Ledger

/// A `LedgerStore` kept in one SQLite file (created on first use).
public final class SQLiteStore: LedgerStore, @unchecked Sendable {
  /// The newest schema version this build knows.
  public static let supportedSchemaVersion = 1

  /// `sqlite:/absolute/path`.
  public let location: String
  /// The database file's path.
  public let path: String
  private let pool: DatabasePool

  /// Opens (creating if needed) the SQLite ledger at `path`. Does not migrate: call `migrate()`.
  /// - Throws: `StoreError.unavailable` when the file cannot be opened or created.
  public init(path: String) throws {
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    self.path = absolute
    self.location = "sqlite:" + absolute
    var config = Configuration()
    config.busyMode = .timeout(30)
    do {
      pool = try DatabasePool(path: absolute, configuration: config)
      // GRDB sets NORMAL when it enables WAL; FULL makes each commit durable. The pool keeps
      // one writer connection, so setting it once holds for every write.
      try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    } catch {
      throw StoreError.unavailable(location: "sqlite:" + absolute, reason: Self.reason(error))
    }
  }

  private static func reason(_ error: any Error) -> String {
    if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
    return "\(error)"
  }

  private var migrator: DatabaseMigrator {
    var m = DatabaseMigrator()
    m.registerMigration("v1-ledger") { db in
      try db.execute(
        sql: """
          CREATE TABLE event (
            chain TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            event_id TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            body TEXT NOT NULL,
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (chain, sequence),
            UNIQUE (event_id)
          );
          CREATE TABLE access_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            organisation TEXT NOT NULL,
            role TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            allowed INTEGER NOT NULL,
            reason TEXT NOT NULL
          );
          CREATE TABLE document (
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            body TEXT NOT NULL,
            stored_at TEXT NOT NULL,
            PRIMARY KEY (kind, name)
          );
          PRAGMA user_version = 1;
          """)
    }
    return m
  }

  /// Maps GRDB's errors to the contract's.
  private func mapped<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let e as StoreError {
      throw e
    } catch let e as DatabaseError {
      throw StoreError.unavailable(location: location, reason: e.message ?? "\(e.resultCode)")
    }
  }

  public func migrate() async throws -> Int {
    let migrator = self.migrator
    let location = self.location
    return try await mapped {
      try await pool.write { db in
        let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        if found > Self.supportedSchemaVersion {
          throw StoreError.schemaTooNew(location: location, found: found, supported: Self.supportedSchemaVersion)
        }
      }
      try await migrator.asyncMigrate(pool) { _ in }
      return try await pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }
  }

  public func schemaVersion() async throws -> Int {
    try await mapped {
      try await pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }
  }

  public func append(_ records: [EventRecord]) async throws {
    if records.isEmpty { return }
    try await mapped {
      try await pool.write { db in
        // Heads as they stand inside this transaction, advanced as the batch is checked.
        var heads: [String: (sequence: Int64, hash: String)] = [:]
        var seen = Set<String>()
        for r in records {
          let head: (sequence: Int64, hash: String)
          if let h = heads[r.chain] {
            head = h
          } else if let row = try Row.fetchOne(
            db, sql: "SELECT sequence, hash FROM event WHERE chain = ? ORDER BY sequence DESC LIMIT 1",
            arguments: [r.chain])
          {
            head = (row["sequence"], row["hash"])
          } else {
            head = (0, String(repeating: "0", count: 64))
          }
          if r.sequence != head.sequence + 1 || r.previousHash != head.hash {
            throw StoreError.chainConflict(chain: r.chain, expectedSequence: r.sequence, headSequence: head.sequence)
          }
          let stored = try Bool.fetchOne(db, sql: "SELECT 1 FROM event WHERE event_id = ?", arguments: [r.eventID]) ?? false
          if !seen.insert(r.eventID).inserted || stored {
            throw StoreError.duplicateEvent(eventID: r.eventID)
          }
          try db.execute(
            sql: """
              INSERT INTO event (chain, sequence, event_id, recorded_at, body, previous_hash, hash)
              VALUES (?, ?, ?, ?, ?, ?, ?)
              """,
            arguments: [r.chain, r.sequence, r.eventID, r.recordedAt, r.body, r.previousHash, r.hash])
          heads[r.chain] = (r.sequence, r.hash)
        }
      }
    }
  }

  private static func record(_ row: Row) -> EventRecord {
    EventRecord(
      chain: row["chain"], sequence: row["sequence"], eventID: row["event_id"], recordedAt: row["recorded_at"],
      body: row["body"], previousHash: row["previous_hash"], hash: row["hash"])
  }

  public func head(chain: String) async throws -> EventRecord? {
    try await mapped {
      try await pool.read { db in
        try Row.fetchOne(
          db, sql: "SELECT * FROM event WHERE chain = ? ORDER BY sequence DESC LIMIT 1", arguments: [chain]
        ).map(Self.record)
      }
    }
  }

  public func records(chain: String?) async throws -> [EventRecord] {
    try await mapped {
      try await pool.read { db in
        if let chain {
          return try Row.fetchAll(
            db, sql: "SELECT * FROM event WHERE chain = ? ORDER BY sequence", arguments: [chain]
          ).map(Self.record)
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM event ORDER BY chain, sequence").map(Self.record)
      }
    }
  }

  public func chains() async throws -> [String] {
    try await mapped {
      try await pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT chain FROM event ORDER BY chain") }
    }
  }

  public func logAccess(_ record: AccessRecord) async throws {
    try await mapped {
      try await pool.write { db in
        try db.execute(
          sql: """
            INSERT INTO access_log (at, organisation, role, action, target, allowed, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            record.at, record.organisation, record.role, record.action, record.target, record.allowed,
            record.reason,
          ])
      }
    }
  }

  public func accessLog() async throws -> [AccessRecord] {
    try await mapped {
      try await pool.read { db in
        try Row.fetchAll(db, sql: "SELECT * FROM access_log ORDER BY id").map { row in
          AccessRecord(
            at: row["at"], organisation: row["organisation"], role: row["role"], action: row["action"],
            target: row["target"], allowed: row["allowed"], reason: row["reason"])
        }
      }
    }
  }

  public func putDocument(_ document: StoredDocument) async throws {
    try await mapped {
      try await pool.write { db in
        try db.execute(
          sql: """
            INSERT INTO document (kind, name, body, stored_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (kind, name) DO UPDATE SET body = excluded.body, stored_at = excluded.stored_at
            """,
          arguments: [document.kind, document.name, document.body, document.storedAt])
      }
    }
  }

  private static func document(_ row: Row) -> StoredDocument {
    StoredDocument(kind: row["kind"], name: row["name"], body: row["body"], storedAt: row["stored_at"])
  }

  public func document(kind: String, name: String) async throws -> StoredDocument? {
    try await mapped {
      try await pool.read { db in
        try Row.fetchOne(db, sql: "SELECT * FROM document WHERE kind = ? AND name = ?", arguments: [kind, name])
          .map(Self.document)
      }
    }
  }

  public func documents(kind: String) async throws -> [StoredDocument] {
    try await mapped {
      try await pool.read { db in
        try Row.fetchAll(db, sql: "SELECT * FROM document WHERE kind = ? ORDER BY name", arguments: [kind])
          .map(Self.document)
      }
    }
  }

  /// The integer value of `PRAGMA name` on a writer connection (for tests; not API).
  public func _pragma(_ name: String) async throws -> Int {
    try await mapped {
      try await pool.write { db in try Int.fetchOne(db, sql: "PRAGMA \(name)") ?? -1 }
    }
  }

  public func close() async throws {
    try mappedSync { try pool.close() }
  }

  private func mappedSync(_ body: () throws -> Void) throws {
    do { try body() } catch let e as DatabaseError {
      throw StoreError.unavailable(location: location, reason: e.message ?? "\(e.resultCode)")
    }
  }
}
