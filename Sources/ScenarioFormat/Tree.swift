import SupplyChain
import Yams

/// A YAML node with its source position: Lodestone's own small tree, converted from Yams'
/// `Node` so that variants can edit it and every value keeps the line and column it came from.
struct YNode: Sendable {
  enum Value: Sendable {
    /// A scalar's text; `null` for `~`, `null` or an empty value; `quoted` for '…' and "…".
    case scalar(String, null: Bool, quoted: Bool)
    case mapping([(key: YNode, value: YNode)])
    case sequence([YNode])
  }

  var value: Value
  /// 1-based line.
  var line: Int
  /// 1-based column (in Unicode scalars, as libyaml counts).
  var column: Int

  init(_ value: Value, line: Int, column: Int) {
    self.value = value
    self.line = line
    self.column = column
  }

  init(_ node: Node) {
    let mark = node.mark
    line = mark?.line ?? 1
    column = mark?.column ?? 1
    switch node {
    case .scalar(let s):
      let quoted = s.style == .singleQuoted || s.style == .doubleQuoted
      // Parsed with Yams' basic resolver (no regular-expression tag resolution, which dominates
      // parse time), so YAML's null spellings are recognised here.
      let null = !quoted && s.style != .literal && s.style != .folded && YNode.nullSpellings.contains(s.string)
      value = .scalar(s.string, null: null, quoted: quoted)
    case .mapping(let m):
      value = .mapping(m.map { (YNode($0.key), YNode($0.value)) })
    case .sequence(let s):
      value = .sequence(s.map { YNode($0) })
    case .alias(let a):
      // Yams resolves aliases while composing; an unresolved alias reads as its anchor name.
      value = .scalar(a.anchor.rawValue, null: false, quoted: false)
    }
  }

  static let nullSpellings: Set<String> = ["", "~", "null", "Null", "NULL"]

  /// Parses YAML text into a tree (first document only).
  static func parse(_ text: String) throws -> YNode? {
    try Yams.compose(yaml: text, .basic).map(YNode.init)
  }

  /// The scalar text, or `nil` for collections and nulls.
  var scalar: String? {
    if case .scalar(let s, let null, _) = value, !null { return s }
    return nil
  }
  var isNull: Bool {
    if case .scalar(_, let null, _) = value { return null }
    return false
  }
  var isQuoted: Bool {
    if case .scalar(_, _, let q) = value { return q }
    return false
  }
  var pairs: [(key: YNode, value: YNode)]? {
    if case .mapping(let p) = value { return p }
    return nil
  }
  var items: [YNode]? {
    if case .sequence(let s) = value { return s }
    return nil
  }
  /// The value under `key` in a mapping.
  subscript(key: String) -> YNode? {
    pairs?.first { $0.key.scalar == key }?.value
  }
  /// What kind of node this is, for "wrong-type" messages.
  var kindName: String {
    switch value {
    case .scalar(let s, let null, _): return null ? "nothing" : "'\(s)'"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    }
  }
}

/// An index from model paths (`processes/oscom-mopp/outputs/mrecl`) to the place in the file
/// where that entity or value is written. List items are addressed by `id` (or by `material`
/// for prices) and by position; mapping entries by key and by position.
struct PathIndex: Sendable {
  private(set) var first: [String: SourceLocation] = [:]
  /// The last occurrence of a path (points at the second of two duplicate ids).
  private(set) var last: [String: SourceLocation] = [:]

  static func key(_ path: ModelPath) -> String { path.joined(separator: "\u{1F}") }

  init() {}

  init(root: YNode, file: String) {
    walk(root, path: [], file: file)
  }

  private mutating func put(_ path: ModelPath, _ node: YNode, file: String) {
    let loc = SourceLocation(file: file, line: node.line, column: node.column)
    let k = PathIndex.key(path)
    if first[k] == nil { first[k] = loc }
    last[k] = loc
  }

  private mutating func walk(_ node: YNode, path: ModelPath, file: String) {
    switch node.value {
    case .scalar: break
    case .mapping(let pairs):
      for (i, p) in pairs.enumerated() {
        guard let k = p.key.scalar else { continue }
        // An entity's scalar attributes are located at their value (what is wrong is usually the
        // value); collections and entries of nested maps (recipe materials, stocks, ramp months)
        // at their key. Entries of nested maps are also addressed by position, at their value.
        let nested = path.count >= 3
        let at = p.value.scalar != nil && !nested ? p.value : p.key
        put(path + [k], at, file: file)
        if nested { put(path + ["\(i)"], p.value, file: file) }
        walk(p.value, path: path + [k], file: file)
      }
    case .sequence(let items):
      for (i, item) in items.enumerated() {
        put(path + ["\(i)"], item, file: file)
        let name = item["id"]?.scalar ?? (path == ["prices"] ? item["material"]?.scalar : nil)
          ?? (path == ["variants"] ? item["name"]?.scalar : nil)
        // Children are indexed under the item's id (how validation names them), else its position.
        if let name {
          put(path + [name], item, file: file)
          walk(item, path: path + [name], file: file)
        } else {
          if let s = item.scalar { put(path + [s], item, file: file) }
          walk(item, path: path + ["\(i)"], file: file)
        }
      }
    }
  }

  /// The location of exactly `path`, if it is written in the file.
  func exact(_ path: ModelPath) -> SourceLocation? { first[PathIndex.key(path)] }

  /// The location of `path`, or of its nearest existing parent.
  func location(of path: ModelPath, preferLast: Bool = false) -> SourceLocation? {
    var p = path
    while !p.isEmpty {
      let k = PathIndex.key(p)
      if let l = preferLast ? last[k] : first[k] { return l }
      p.removeLast()
    }
    return nil
  }
}
