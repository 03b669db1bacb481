import Foundation
import Ledger
import LedgerPostgres
import LedgerSQLite
import TestSupport

/// The stores the conformance suite runs against. PostgreSQL is included when
/// `LODESTONE_TEST_POSTGRES_URL` is set, or when `LODESTONE_REQUIRE_POSTGRES=1` (then a missing
/// URL fails each PostgreSQL case instead of leaving them out).
enum StoreKind: String, CaseIterable, Sendable {
  case sqlite
  case postgres

  static var allCases: [StoreKind] { PostgresTestServer.enabled ? [.sqlite, .postgres] : [.sqlite] }
}

struct PostgresNotConfigured: Error, CustomStringConvertible {
  var description: String { PostgresTestServer.missingMessage }
}

/// A fresh, empty, migrated store of `kind` (a new temporary database per call).
func makeStore(_ kind: StoreKind) async throws -> any LedgerStore {
  switch kind {
  case .sqlite:
    let dir = try temporaryDirectory("ledger-store")
    let store = try SQLiteStore(path: dir.appendingPathComponent("ledger.db").path)
    _ = try await store.migrate()
    return store
  case .postgres:
    // A schema of its own in the test database: a fresh, empty store that runs in parallel with others.
    guard let text = PostgresTestServer.url else { throw PostgresNotConfigured() }
    var url = try PostgresURL(text)
    url.schema = PostgresTestServer.freshSchemaName("conformance_")
    let store = try await PostgresStore.open(url)
    _ = try await store.migrate()
    return store
  }
}
