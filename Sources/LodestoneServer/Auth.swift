import Foundation
import Ledger

/// Who made a request: the organisation and role of the token presented, or the local user.
public struct Identity: Sendable, Equatable {
  public var organisation: String
  public var role: Role
  /// First 12 hex digits of the token's SHA-256, for logs (never the token itself).
  public var tokenID: String

  public init(organisation: String, role: Role, tokenID: String) {
    self.organisation = organisation
    self.role = role
    self.tokenID = tokenID
  }

  /// The caller on a loopback-only server without `--require-token`: the machine's own user.
  public static let local = Identity(organisation: "local", role: .admin, tokenID: "")
}

/// A problem in a tokens file, located by line and column (1-based).
public struct TokenFileError: Error, Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int
  public var message: String
  public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// The API tokens the server accepts. Only their SHA-256 digests are kept in memory.
///
/// File format, one token a line, `#` starts a comment:
/// ```
/// s3cret-token-of-irel   irel:operator
/// sha256:9f86d081884c7d65…  mines-ministry:viewer   # the digest instead of the token
/// ```
public struct TokenTable: Sendable {
  var byDigest: [String: Identity] = [:]

  public init() {}

  /// Parses a tokens file; `file` names it in errors.
  public init(text: String, file: String) throws(TokenFileError) {
    for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
      if words.isEmpty { continue }
      func column(_ w: Substring) -> Int { line.distance(from: line.startIndex, to: w.startIndex) + 1 }
      guard words.count == 2 else {
        throw TokenFileError(file: file, line: i + 1, column: column(words[0]), message: "expected 'TOKEN ORGANISATION:ROLE'; got \(words.count) field(s)")
      }
      let token = String(words[0])
      let grant = words[1].split(separator: ":", omittingEmptySubsequences: false)
      guard grant.count == 2, !grant[0].isEmpty, let role = Role(rawValue: String(grant[1])) else {
        throw TokenFileError(
          file: file, line: i + 1, column: column(words[1]),
          message: "expected ORGANISATION:ROLE with ROLE one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")); got '\(words[1])'")
      }
      let digest: String
      if token.hasPrefix("sha256:") {
        digest = String(token.dropFirst(7)).lowercased()
        guard digest.count == 64, digest.allSatisfy(\.isHexDigit) else {
          throw TokenFileError(file: file, line: i + 1, column: column(words[0]), message: "a 'sha256:' token must be 64 hex digits")
        }
      } else {
        guard token.count >= 16 else {
          throw TokenFileError(file: file, line: i + 1, column: column(words[0]), message: "a token must be at least 16 characters; got \(token.count)")
        }
        digest = RecordHash.sha256(token)
      }
      byDigest[digest] = Identity(organisation: String(grant[0]), role: role, tokenID: String(digest.prefix(12)))
    }
  }

  /// Adds one token (for tests and embedding).
  public mutating func add(token: String, organisation: String, role: Role) {
    let d = RecordHash.sha256(token)
    byDigest[d] = Identity(organisation: organisation, role: role, tokenID: String(d.prefix(12)))
  }

  /// The identity of a presented token, or nil.
  public func identity(forToken token: String) -> Identity? { byDigest[RecordHash.sha256(token)] }

  public var count: Int { byDigest.count }
}
