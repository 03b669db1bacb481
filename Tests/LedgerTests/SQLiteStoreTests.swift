import Foundation
import GRDB
import Ledger
import LedgerSQLite
import TestSupport
import Testing

/// What only the SQLite store has: a file, its pragmas, its schema version.
@Suite("SQLite store")
struct SQLiteStoreTests {
  @Test("an empty file is version 0; migrate makes it 1 and sets WAL and synchronous FULL")
  func versionsAndPragmas() async throws {
    let dir = try temporaryDirectory("sqlite-store")
    let path = dir.appendingPathComponent("new.db").path
    #expect(!FileManager.default.fileExists(atPath: path))
    let store = try SQLiteStore(path: path)
    #expect(FileManager.default.fileExists(atPath: path))
    #expect(store.location == "sqlite:" + path)
    #expect(try await store.schemaVersion() == 0)
    #expect(try await store.migrate() == SQLiteStore.supportedSchemaVersion)
    #expect(try await store.schemaVersion() == 1)
    try await store.close()
    // Checked on a separate raw connection: the journal mode is a property of the file.
    let raw = try DatabaseQueue(path: path)
    let mode = try await raw.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
    #expect(mode == "wal")
    try raw.close()
  }

  @Test("synchronous is FULL on the store's connections")
  func synchronousFull() async throws {
    let dir = try temporaryDirectory("sqlite-store")
    let store = try SQLiteStore(path: dir.appendingPathComponent("s.db").path)
    // 2 = FULL (https://sqlite.org/pragma.html#pragma_synchronous).
    #expect(try await store._pragma("synchronous") == 2)
    try await store.close()
  }

  @Test("a database from a newer Lodestone is refused with schemaTooNew")
  func schemaTooNew() async throws {
    let dir = try temporaryDirectory("sqlite-store")
    let path = dir.appendingPathComponent("future.db").path
    let raw = try DatabaseQueue(path: path)
    try await raw.write { db in try db.execute(sql: "PRAGMA user_version = 7") }
    try raw.close()
    let store = try SQLiteStore(path: path)
    #expect(try await store.schemaVersion() == 7)
    await #expect(
      throws: StoreError.schemaTooNew(location: "sqlite:" + path, found: 7, supported: SQLiteStore.supportedSchemaVersion)
    ) { _ = try await store.migrate() }
    try await store.close()
  }

  @Test("records survive closing and reopening the file")
  func reopen() async throws {
    let dir = try temporaryDirectory("sqlite-store")
    let path = dir.appendingPathComponent("keep.db").path
    let records = chainedRecords("irel", count: 5)
    do {
      let store = try SQLiteStore(path: path)
      _ = try await store.migrate()
      try await store.append(records)
      try await store.close()
    }
    let again = try SQLiteStore(path: path)
    #expect(try await again.migrate() == 1)
    #expect(try await again.records(chain: nil) == records)
    try await again.close()
  }

  @Test("a path that cannot be created is reported as unavailable, naming it")
  func unavailable() async throws {
    #expect(throws: StoreError.self) { _ = try SQLiteStore(path: "/proc/no-such-dir/ledger.db") }
    do {
      _ = try SQLiteStore(path: "/proc/no-such-dir/ledger.db")
    } catch let e as StoreError {
      #expect(e.description.contains("/proc/no-such-dir/ledger.db"))
    }
  }
}
