import Foundation
import Ledger
import LedgerSQLite
import TestSupport

/// The stores the conformance suite runs against. The PostgreSQL store adds `case postgres`.
enum StoreKind: String, CaseIterable, Sendable {
  case sqlite
}

/// A fresh, empty, migrated store of `kind` (a new temporary database per call).
func makeStore(_ kind: StoreKind) async throws -> any LedgerStore {
  switch kind {
  case .sqlite:
    let dir = try temporaryDirectory("ledger-store")
    let store = try SQLiteStore(path: dir.appendingPathComponent("ledger.db").path)
    _ = try await store.migrate()
    return store
  }
}
