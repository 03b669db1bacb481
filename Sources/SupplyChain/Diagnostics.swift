/// Where in an input file something is: 1-based line and column.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String { "\(file):\(line):\(column)" }

  public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
    (a.file, a.line, a.column) < (b.file, b.line, b.column)
  }
}

/// A path into the scenario document: keys and list items addressed by their `id`,
/// e.g. `processes/aluva-sx/outputs/ndpr-oxide`. ScenarioFormat maps paths to locations.
public typealias ModelPath = [String]

/// One finding of validation or decoding.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
  public enum Severity: String, Sendable, Hashable, Comparable {
    case error, warning
    public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
  }

  public var severity: Severity
  /// A stable code such as `unknown-reference` or `recipe-unbalanced` (see ``DiagnosticCode``).
  public var code: String
  public var message: String
  /// Where in the model (filled by validation).
  public var path: ModelPath
  /// Where in the file (filled by ScenarioFormat when the model came from a file).
  public var location: SourceLocation?
  /// Valid alternatives for an unknown name, closest first.
  public var alternatives: [String]

  public init(
    _ severity: Severity, _ code: String, _ message: String, path: ModelPath = [], location: SourceLocation? = nil,
    alternatives: [String] = []
  ) {
    self.severity = severity
    self.code = code
    self.message = message
    self.path = path
    self.location = location
    self.alternatives = alternatives
  }

  public var description: String {
    let loc = location.map { "\($0): " } ?? (path.isEmpty ? "" : path.joined(separator: "/") + ": ")
    return "\(loc)\(severity.rawValue)[\(code)]: \(message)"
  }
}

/// The diagnostic codes Lodestone emits, with a one-line meaning each (documented in the README).
public enum DiagnosticCode {
  public static let all: [(code: String, meaning: String)] = [
    ("yaml-syntax", "the file is not valid YAML"),
    ("schema-version", "schema-version is missing or not supported"),
    ("unknown-key", "a key that the format does not define"),
    ("missing-key", "a required key is absent"),
    ("wrong-type", "a value of the wrong kind (list, mapping, text, number)"),
    ("bad-quantity", "a quantity that does not parse or has the wrong unit"),
    ("bad-month", "a calendar month not written YYYY-MM"),
    ("bad-formula", "a chemical formula that does not parse"),
    ("bad-enum", "a value outside a fixed set of choices"),
    ("duplicate-id", "two entities of one kind share an id"),
    ("unknown-reference", "an id that names nothing of the expected kind"),
    ("recipe-unbalanced", "a recipe creates or loses an element beyond its stated losses"),
    ("out-of-range", "a number outside its allowed range"),
    ("composition-over-one", "element mass fractions of a material sum to more than 1"),
    ("unknown-variant", "a variant name that the scenario does not define"),
    ("variant-path", "a variant sets a path that does not exist"),
    ("unused", "an entity nothing refers to (warning)"),
    ("no-route", "a demand or agreement that no link can serve (warning)"),
    ("candidate-unbuildable", "an investment candidate that cannot operate before the scenario ends (warning)"),
    ("cascade-design", "a process's cascade block names an unknown system, cut or product, or no cascade meets its targets"),
  ]
}

/// All findings, errors first then by location, then path.
public struct Diagnostics: Sendable, CustomStringConvertible {
  public var items: [Diagnostic]
  public init(_ items: [Diagnostic] = []) { self.items = items }

  public var errors: [Diagnostic] { items.filter { $0.severity == .error } }
  public var warnings: [Diagnostic] { items.filter { $0.severity == .warning } }
  public var hasErrors: Bool { items.contains { $0.severity == .error } }

  public mutating func append(_ d: Diagnostic) { items.append(d) }
  public mutating func append(contentsOf ds: [Diagnostic]) { items.append(contentsOf: ds) }

  /// Sorted deterministically: by location (when known), then path, code and message.
  public var sorted: [Diagnostic] {
    items.sorted { a, b in
      switch (a.location, b.location) {
      case let (x?, y?) where x != y: return x < y
      case (.some, nil): return true
      case (nil, .some): return false
      default:
        if a.path != b.path { return a.path.lexicographicallyPrecedes(b.path) }
        if a.code != b.code { return a.code < b.code }
        return a.message < b.message
      }
    }
  }

  public var description: String { sorted.map(\.description).joined(separator: "\n") }
}

/// Names within edit distance, closest first (for "did you mean" lists), else all names.
public func closestNames(to name: String, in names: [String], limit: Int = 8) -> [String] {
  let scored = names.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
  let near = scored.filter { $0.1 <= max(2, name.count / 3) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
  if !near.isEmpty { return Array(near.prefix(limit)) }
  return Array(names.sorted().prefix(limit * 3))
}

/// Levenshtein distance between two strings.
public func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a), b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var prev = Array(0...b.count)
  var cur = Array(repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    cur[0] = i
    for j in 1...b.count {
      cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    swap(&prev, &cur)
  }
  return prev[b.count]
}
