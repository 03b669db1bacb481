import Ledger
import LedgerSQLite

/// Opens the ledger store named by `--db`: `postgres://…` selects PostgreSQL, `sqlite:PATH`
/// or a plain path selects the SQLite file (created on first use). Applies migrations.
func openLedgerStore(_ location: String) async throws -> any LedgerStore {
  let store: any LedgerStore
  switch location {
  case let l where l.hasPrefix("postgres://") || l.hasPrefix("postgresql://"):
    throw DataError(
      "--db \(l.split(separator: "@").last.map { "postgres://…@" + $0 } ?? "postgres://…"): PostgreSQL store not linked in this build; use an SQLite path.")
  case let l where l.hasPrefix("sqlite:"):
    store = try SQLiteStore(path: String(l.dropFirst("sqlite:".count)))
  default:
    store = try SQLiteStore(path: location)
  }
  _ = try await store.migrate()
  return store
}
