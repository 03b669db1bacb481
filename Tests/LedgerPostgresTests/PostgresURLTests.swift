import LedgerPostgres
import Testing

/// URL parsing, checked against the URL grammar of libpq's documentation
/// (postgresql://[user[:password]@][host][:port][/dbname][?param=value…], percent-encoding per RFC 3986).
@Suite struct PostgresURLTests {
  @Test func fullURLParsesAndLocationHidesPassword() throws {
    let u = try PostgresURL(
      "postgres://irel:s3cret@db.example.org:6543/ledger?schema=tolling&sslmode=require&connect_timeout=2.5")
    #expect(u.user == "irel")
    #expect(u.password == "s3cret")
    #expect(u.host == "db.example.org")
    #expect(u.port == 6543)
    #expect(u.database == "ledger")
    #expect(u.schema == "tolling")
    #expect(u.sslMode == .require)
    #expect(u.connectTimeout == 2.5)
    #expect(u.location == "postgres://irel@db.example.org:6543/ledger?schema=tolling")
    #expect(!u.location.contains("s3cret"))
  }

  @Test func defaults() throws {
    let u = try PostgresURL("postgresql://postgres@127.0.0.1/lodestone_test")
    #expect(u.password == nil)
    #expect(u.port == 5432)
    #expect(u.schema == nil)
    #expect(u.sslMode == .prefer)
    #expect(u.connectTimeout == 10)
    #expect(u.location == "postgres://postgres@127.0.0.1:5432/lodestone_test")
  }

  @Test func percentEncodingAndIPv6() throws {
    // '@' is %40, '/' is %2F, ':' is %3A (RFC 3986 §2.1).
    let u = try PostgresURL("postgres://a%40b:p%2Fw%3Ad@[::1]:6000/my%20db")
    #expect(u.user == "a@b")
    #expect(u.password == "p/w:d")
    #expect(u.host == "::1")
    #expect(u.port == 6000)
    #expect(u.database == "my db")
    #expect(u.location == "postgres://a%40b@[::1]:6000/my%20db")
  }

  @Test(arguments: [
    ("mysql://u:secret@h/db", "must start with postgres:// or postgresql://"),
    ("postgres://u:secret@h", "names no database"),
    ("postgres://u:secret@h/", "names no database"),
    ("postgres://h:5432/db", "names no user"),
    ("postgres://:secret@h/db", "names no user"),
    ("postgres://u:secret@/db", "names no host"),
    ("postgres://u:secret@h:99999/db", "has port '99999'; expected a number from 1 to 65535"),
    ("postgres://u:secret@h:x1/db", "has port 'x1'"),
    ("postgres://u:secret@[::1/db", "without its closing ']'"),
    ("postgres://u:se%zzcret@h/db", "bad percent escape in the password"),
    ("postgres://u:secret@h/db?sslmode=maybe", "has sslmode 'maybe'; expected one of disable, prefer, require"),
    ("postgres://u:secret@h/db?pool=3", "unknown parameter 'pool'; valid parameters: connect_timeout, schema, sslmode"),
    ("postgres://u:secret@h/db?schema=Bad-Name", "has schema 'Bad-Name'"),
    ("postgres://u:secret@h/db?connect_timeout=0", "has connect_timeout '0'"),
    ("postgres://u:secret@h/db?schema=a&schema=b", "gives parameter 'schema' twice"),
  ])
  func badURLsSayWhatIsWrongWithoutThePassword(input: String, expected: String) {
    do {
      _ = try PostgresURL(input)
      Issue.record("accepted \(input)")
    } catch {
      #expect(error.description.contains(expected), "\(error.description)")
      #expect(!error.description.contains("secret"), "message echoes the password: \(error.description)")
      #expect(!error.description.contains("zz"), "message echoes the password: \(error.description)")
    }
  }

  @Test func plainIdentifiers() {
    #expect(PostgresURL.isPlainIdentifier("t_0a9f"))
    #expect(PostgresURL.isPlainIdentifier("_x"))
    #expect(!PostgresURL.isPlainIdentifier("9x"))
    #expect(!PostgresURL.isPlainIdentifier("a;drop"))
    #expect(!PostgresURL.isPlainIdentifier(String(repeating: "a", count: 64)))
    #expect(PostgresURL.isPlainIdentifier(String(repeating: "a", count: 63)))
  }
}
