import Quantities

// A small JSON value with a located parser and one canonical serialisation, so that an
// event's bytes (and therefore its hash) do not depend on who wrote it or how.

/// A JSON value. Objects keep no order: `canonical` sorts their keys.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// The member `key` of an object, or nil.
  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var numberValue: Double? {
    if case .number(let n) = self { return n }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var objectValue: [String: JSONValue]? {
    if case .object(let o) = self { return o }
    return nil
  }

  /// Canonical text: no whitespace, object keys sorted by their UTF-8 bytes, strings with
  /// only `"`, `\` and control characters escaped (`\n`, `\t`, `\r`, else `\u00XX`),
  /// integers in ±2⁵³ printed without a fraction (`1200`), other numbers in Swift's shortest
  /// round-trip form (`0.2057`, `1e-07`), `-0` as `0`.
  public var canonical: String {
    var out = ""
    write(to: &out, pretty: false, indent: 0)
    return out
  }

  /// As `canonical`, indented by two spaces per level (for files people read).
  public var pretty: String {
    var out = ""
    write(to: &out, pretty: true, indent: 0)
    return out
  }

  private func write(to out: inout String, pretty: Bool, indent: Int) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += JSONValue.format(n)
    case .string(let s): JSONValue.quote(s, into: &out)
    case .array(let a):
      if a.isEmpty {
        out += "[]"
        return
      }
      out += "["
      for (i, v) in a.enumerated() {
        if i > 0 { out += "," }
        if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
        v.write(to: &out, pretty: pretty, indent: indent + 1)
      }
      if pretty { out += "\n" + String(repeating: "  ", count: indent) }
      out += "]"
    case .object(let o):
      if o.isEmpty {
        out += "{}"
        return
      }
      out += "{"
      for (i, (key, value)) in o.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
        if i > 0 { out += "," }
        if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
        JSONValue.quote(key, into: &out)
        out += pretty ? ": " : ":"
        value.write(to: &out, pretty: pretty, indent: indent + 1)
      }
      if pretty { out += "\n" + String(repeating: "  ", count: indent) }
      out += "}"
    }
  }

  /// A finite number in canonical form (non-finite numbers never reach here: the parser and
  /// the event builders reject them).
  static func format(_ n: Double) -> String {
    if n == 0 { return "0" }
    if n == n.rounded(), Swift.abs(n) < 9_007_199_254_740_992 { return String(Int64(n)) }
    return "\(n)"
  }

  static func quote(_ s: String, into out: inout String) {
    out += jsonString(s)
  }
}

/// A JSON syntax error at a 1-based line and column of the named source.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  public var source: String
  public var line: Int
  public var column: Int
  public var message: String
  public var description: String { "\(source):\(line):\(column): \(message)" }
  public init(source: String, line: Int, column: Int, message: String) {
    self.source = source
    self.line = line
    self.column = column
    self.message = message
  }
}

/// Parses JSON text (RFC 8259) into a `JSONValue`, reporting the line and column of the first error.
public struct JSONParser {
  private let bytes: [UInt8]
  private var i = 0
  private let source: String

  /// Parses `text`; `source` names it in errors (a file name or `stdin`).
  public static func parse(_ text: String, source: String) throws(JSONSyntaxError) -> JSONValue {
    var p = JSONParser(bytes: Array(text.utf8), source: source)
    p.skipSpace()
    let v = try p.value(depth: 0)
    p.skipSpace()
    if p.i < p.bytes.count { throw p.error("expected the end of the document after the top-level value") }
    return v
  }

  private init(bytes: [UInt8], source: String) {
    self.bytes = bytes
    self.source = source
  }

  private func error(_ message: String) -> JSONSyntaxError {
    var line = 1
    var column = 1
    var k = 0
    while k < i && k < bytes.count {
      if bytes[k] == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if bytes[k] & 0xC0 != 0x80 {
        column += 1
      }
      k += 1
    }
    return JSONSyntaxError(source: source, line: line, column: column, message: message)
  }

  private mutating func skipSpace() {
    while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
  }

  private func found() -> String {
    guard i < bytes.count else { return "the end of the text" }
    let s = bytes[i]
    return s >= 0x20 && s < 0x7F ? "'\(Character(Unicode.Scalar(s)))'" : "byte 0x\(String(s, radix: 16))"
  }

  private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    if depth > 256 { throw error("nesting deeper than 256 levels") }
    guard i < bytes.count else { throw error("expected a value (object, array, string, number, true, false or null); got the end of the text") }
    switch bytes[i] {
    case UInt8(ascii: "{"):
      i += 1
      var o: [String: JSONValue] = [:]
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
        i += 1
        return .object(o)
      }
      while true {
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes; got \(found())") }
        let key = try string()
        if o[key] != nil { throw error("member '\(key)' appears twice in one object") }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after member name '\(key)'; got \(found())") }
        i += 1
        skipSpace()
        o[key] = try value(depth: depth + 1)
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
          i += 1
          return .object(o)
        }
        throw error("expected ',' or '}' in an object; got \(found())")
      }
    case UInt8(ascii: "["):
      i += 1
      var a: [JSONValue] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
        i += 1
        return .array(a)
      }
      while true {
        skipSpace()
        a.append(try value(depth: depth + 1))
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
          i += 1
          return .array(a)
        }
        throw error("expected ',' or ']' in an array; got \(found())")
      }
    case UInt8(ascii: "\""):
      return .string(try string())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return try number()
    default:
      throw error("expected a value (object, array, string, number, true, false or null); got \(found())")
    }
  }

  private mutating func literal(_ word: String, _ v: JSONValue) throws(JSONSyntaxError) -> JSONValue {
    let w = Array(word.utf8)
    guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else {
      throw error("expected '\(word)'; got \(found())")
    }
    i += w.count
    return v
  }

  private mutating func number() throws(JSONSyntaxError) -> JSONValue {
    let start = i
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    func digits(_ p: inout JSONParser) -> Int {
      let s = p.i
      while p.i < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.i]) { p.i += 1 }
      return p.i - s
    }
    let intStart = i
    if digits(&self) == 0 { throw error("expected a digit in a number; got \(found())") }
    if bytes[intStart] == UInt8(ascii: "0"), i - intStart > 1 {
      i = intStart
      throw error("a number must not have leading zeros")
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      if digits(&self) == 0 { throw error("expected a digit after the decimal point; got \(found())") }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      if digits(&self) == 0 { throw error("expected a digit in the exponent; got \(found())") }
    }
    let text = String(decoding: bytes[start..<i], as: UTF8.self)
    guard let d = Double(text), d.isFinite else {
      i = start
      throw error("number \(text) is out of range")
    }
    return .number(d)
  }

  private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
    guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
      throw error("expected four hexadecimal digits after \\u")
    }
    i += 4
    return v
  }

  private mutating func string() throws(JSONSyntaxError) -> String {
    i += 1  // opening quote
    var scalars = String.UnicodeScalarView()
    var run: [UInt8] = []
    func flush(_ run: inout [UInt8], _ scalars: inout String.UnicodeScalarView) {
      if !run.isEmpty {
        scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
        run.removeAll(keepingCapacity: true)
      }
    }
    while true {
      guard i < bytes.count else { throw error("a string is not closed before the end of the text") }
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        i += 1
        flush(&run, &scalars)
        return String(scalars)
      }
      if b < 0x20 { throw error("a control character must be escaped inside a string") }
      if b != UInt8(ascii: "\\") {
        run.append(b)
        i += 1
        continue
      }
      flush(&run, &scalars)
      i += 1
      guard i < bytes.count else { throw error("a string is not closed before the end of the text") }
      let e = bytes[i]
      i += 1
      switch e {
      case UInt8(ascii: "\""): scalars.append("\"")
      case UInt8(ascii: "\\"): scalars.append("\\")
      case UInt8(ascii: "/"): scalars.append("/")
      case UInt8(ascii: "b"): scalars.append("\u{08}")
      case UInt8(ascii: "f"): scalars.append("\u{0C}")
      case UInt8(ascii: "n"): scalars.append("\n")
      case UInt8(ascii: "r"): scalars.append("\r")
      case UInt8(ascii: "t"): scalars.append("\t")
      case UInt8(ascii: "u"):
        var v = try hex4()
        if (0xD800...0xDBFF).contains(v) {
          guard i + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
            throw error("a high surrogate \\u escape must be followed by a low surrogate")
          }
          i += 2
          let lo = try hex4()
          guard (0xDC00...0xDFFF).contains(lo) else { throw error("expected a low surrogate \\u escape") }
          v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
        }
        guard let s = Unicode.Scalar(v) else { throw error("\\u escape is not a Unicode scalar") }
        scalars.append(s)
      default:
        i -= 1
        throw error("unknown escape '\\\(Character(Unicode.Scalar(e)))' in a string; valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
      }
    }
  }
}
