import Foundation

/// The PostgreSQL server tests may use: `LODESTONE_TEST_POSTGRES_URL` (scripts/test starts a
/// throwaway one with scripts/postgres and sets it).
public enum PostgresTestServer {
  /// The server's URL, or nil when not configured.
  public static let url: String? = {
    let v = ProcessInfo.processInfo.environment["LODESTONE_TEST_POSTGRES_URL"] ?? ""
    return v.isEmpty ? nil : v
  }()
  /// `LODESTONE_REQUIRE_POSTGRES=1` (set by scripts/test, hence CI): a missing server is a test failure.
  public static let required = ProcessInfo.processInfo.environment["LODESTONE_REQUIRE_POSTGRES"] == "1"
  /// Whether tests that need the server should run (and fail if it is required but missing).
  public static let enabled = url != nil || required
  /// Why such tests are skipped when not `enabled`.
  public static let skipReason =
    "needs PostgreSQL: set LODESTONE_TEST_POSTGRES_URL (scripts/postgres starts a throwaway server and prints it)"
  /// The message when the server is required but not configured.
  public static let missingMessage = "LODESTONE_REQUIRE_POSTGRES=1 but LODESTONE_TEST_POSTGRES_URL is not set"

  /// A new schema name (`prefix` + a UUID's hex digits), so tests sharing one database do not see each other.
  public static func freshSchemaName(_ prefix: String = "t_") -> String {
    prefix + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
  }
}
