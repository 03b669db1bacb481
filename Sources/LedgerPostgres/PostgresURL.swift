/// A parsed `postgres://user[:password]@host[:port]/database[?parameters]` address.
///
/// Parameters (all optional): `schema=NAME` keeps the ledger's tables in that schema (created by
/// `migrate()`), so several ledgers or tests can share a database; `sslmode=disable|prefer|require`
/// (default `prefer`, as libpq); `connect_timeout=SECONDS` (default 10) bounds how long connecting may
/// take before the store reports `StoreError.unavailable`.
/// User, password and database may be percent-encoded (`%40` for `@`).
public struct PostgresURL: Sendable, Hashable {
  public enum SSLMode: String, Sendable, Hashable, CaseIterable {
    case disable, prefer, require
  }

  public var user: String
  /// Never printed: `location` and every error leave it out.
  public var password: String?
  /// A host name, an IPv4 address or an IPv6 address (without brackets).
  public var host: String
  /// TCP port; 5432 unless given.
  public var port: Int
  public var database: String
  /// The schema holding the ledger's tables; nil means the server's default search path (`public`).
  public var schema: String?
  public var sslMode: SSLMode
  /// Longest wait for a connection, in seconds.
  public var connectTimeout: Double

  public static let parameterNames = ["connect_timeout", "schema", "sslmode"]

  public init(
    user: String, password: String? = nil, host: String, port: Int = 5432, database: String,
    schema: String? = nil, sslMode: SSLMode = .prefer, connectTimeout: Double = 10
  ) {
    self.user = user
    self.password = password
    self.host = host
    self.port = port
    self.database = database
    self.schema = schema
    self.sslMode = sslMode
    self.connectTimeout = connectTimeout
  }

  /// Parses `text`; throws `PostgresURLError` saying what is wrong (never quoting the password).
  public init(_ text: String) throws(PostgresURLError) {
    let schemes = ["postgres://", "postgresql://"]
    guard let scheme = schemes.first(where: { text.hasPrefix($0) }) else {
      throw .init(
        "must start with postgres:// or postgresql:// (form: postgres://user[:password]@host[:port]/database)")
    }
    var rest = Substring(text.dropFirst(scheme.count))
    var query: Substring = ""
    if let q = rest.firstIndex(of: "?") {
      query = rest[rest.index(after: q)...]
      rest = rest[..<q]
    }
    guard let slash = rest.firstIndex(of: "/") else {
      throw .init("names no database: expected /database after the host (postgres://user@host:5432/database)")
    }
    let authority = rest[..<slash]
    let databasePart = rest[rest.index(after: slash)...]
    guard let at = authority.lastIndex(of: "@") else {
      throw .init("names no user: expected user@ before the host (postgres://user@host:5432/database)")
    }
    let userInfo = authority[..<at]
    let hostPort = authority[authority.index(after: at)...]

    var password: String? = nil
    let userPart: Substring
    if let colon = userInfo.firstIndex(of: ":") {
      userPart = userInfo[..<colon]
      password = try Self.decode(userInfo[userInfo.index(after: colon)...], what: "password", quote: false)
    } else {
      userPart = userInfo
    }
    let user = try Self.decode(userPart, what: "user name", quote: true)
    guard !user.isEmpty else { throw .init("names no user: the part before @ is empty") }

    var host: Substring
    var portText: Substring? = nil
    if hostPort.hasPrefix("[") {
      guard let close = hostPort.firstIndex(of: "]") else {
        throw .init("has an IPv6 host without its closing ']'")
      }
      host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
      let after = hostPort[hostPort.index(after: close)...]
      if !after.isEmpty {
        guard after.hasPrefix(":") else { throw .init("has '\(after)' after the IPv6 host; expected :port") }
        portText = after.dropFirst()
      }
    } else if let colon = hostPort.firstIndex(of: ":") {
      host = hostPort[..<colon]
      portText = hostPort[hostPort.index(after: colon)...]
    } else {
      host = hostPort
    }
    guard !host.isEmpty else { throw .init("names no host: expected a host name or address after @") }
    var port = 5432
    if let portText {
      guard let p = Int(portText), (1...65535).contains(p) else {
        throw .init("has port '\(portText)'; expected a number from 1 to 65535")
      }
      port = p
    }
    let database = try Self.decode(databasePart, what: "database name", quote: true)
    guard !database.isEmpty else { throw .init("names no database: the part after the last / is empty") }
    guard !database.contains("/") else { throw .init("has a database name containing '/': '\(database)'") }

    self.init(user: user, password: password, host: String(host), port: port, database: database)

    var seen: Set<String> = []
    for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
      let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let key = String(kv[0])
      let value = kv.count > 1 ? String(kv[1]) : ""
      guard seen.insert(key).inserted else { throw .init("gives parameter '\(key)' twice") }
      switch key {
      case "schema":
        guard Self.isPlainIdentifier(value) else {
          throw .init(
            "has schema '\(value)'; expected a lowercase identifier: a letter or _, then letters, digits or _, at most 63 characters"
          )
        }
        schema = value
      case "sslmode":
        guard let mode = SSLMode(rawValue: value) else {
          throw .init(
            "has sslmode '\(value)'; expected one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        sslMode = mode
      case "connect_timeout":
        guard let seconds = Double(value), seconds > 0, seconds <= 3600 else {
          throw .init("has connect_timeout '\(value)'; expected seconds, a number above 0 and at most 3600")
        }
        connectTimeout = seconds
      default:
        throw .init(
          "has unknown parameter '\(key)'; valid parameters: \(Self.parameterNames.joined(separator: ", "))")
      }
    }
  }

  /// The address without the password: `postgres://user@host:5432/db` (with `?schema=…` when set).
  public var location: String {
    let h = host.contains(":") ? "[\(host)]" : host
    var s = "postgres://\(Self.encode(user))@\(h):\(port)/\(Self.encode(database))"
    if let schema { s += "?schema=\(schema)" }
    return s
  }

  /// A schema, table or database name that needs no quoting: `[a-z_][a-z0-9_]*`, at most 63 bytes.
  public static func isPlainIdentifier(_ s: String) -> Bool {
    guard let first = s.utf8.first, s.utf8.count <= 63 else { return false }
    func letter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || c == 0x5F }
    func digit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    return letter(first) && s.utf8.allSatisfy { letter($0) || digit($0) }
  }

  private static func decode(_ s: Substring, what: String, quote: Bool) throws(PostgresURLError) -> String {
    var bytes: [UInt8] = []
    var it = Array(s.utf8)[...]
    while let c = it.popFirst() {
      if c == UInt8(ascii: "%") {
        guard it.count >= 2, let hi = hexValue(it[it.startIndex]), let lo = hexValue(it[it.startIndex + 1]) else {
          throw .init(
            quote
              ? "has a bad percent escape in the \(what) '\(s)'; expected % followed by two hex digits"
              : "has a bad percent escape in the \(what); expected % followed by two hex digits")
        }
        bytes.append(hi << 4 | lo)
        it = it.dropFirst(2)
      } else {
        bytes.append(c)
      }
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw .init(quote ? "has a \(what) that is not valid UTF-8 once decoded: '\(s)'" : "has a \(what) that is not valid UTF-8")
    }
    return text
  }

  private static func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
  }

  private static func encode(_ s: String) -> String {
    var out = ""
    for b in s.utf8 {
      let c = Character(Unicode.Scalar(b))
      if b < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) {
        out.append(c)
      } else {
        let hex = Array("0123456789ABCDEF")
        out += "%\(hex[Int(b >> 4)])\(hex[Int(b & 15)])"
      }
    }
    return out
  }
}

/// What is wrong with a PostgreSQL URL. The message never contains the password.
public struct PostgresURLError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The complaint, phrased to follow "the PostgreSQL URL …".
  public var problem: String
  init(_ problem: String) { self.problem = problem }
  public var description: String { "the PostgreSQL URL \(problem)" }
}
