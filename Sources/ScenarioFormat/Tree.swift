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

/// Finds where a model path (`processes/oscom-mopp/outputs/mrecl`) is written in the file by
/// walking the YAML tree. List items are addressed by `id` (by `material` for prices, by `name`
/// for variants), by their scalar text, or by position; mapping entries by key or, below an
/// entity's attributes, by position.
///
/// An entity's scalar attributes are located at their value (what is wrong is usually the value);
/// collections and entries of nested maps (recipe materials, stocks, ramp months) at their key;
/// entries of nested maps addressed by position at their value; list items at the item.
struct PathIndex: Sendable {
  let root: YNode
  let file: String

  init(root: YNode, file: String) {
    self.root = root
    self.file = file
  }

  /// The location of exactly `path`, if it is written in the file.
  func exact(_ path: ModelPath, preferLast: Bool = false) -> SourceLocation? {
    guard !path.isEmpty else { return nil }
    var node = root
    var at = node
    for (i, part) in path.enumerated() {
      switch node.value {
      case .mapping(let pairs):
        let nested = i >= 3
        if let p = pairs.first(where: { $0.key.scalar == part }) {
          at = p.value.scalar != nil && !nested ? p.value : p.key
          node = p.value
        } else if nested, let k = Int(part), pairs.indices.contains(k) {
          at = pairs[k].value
          node = pairs[k].value
        } else {
          return nil
        }
      case .sequence(let items):
        let named: (YNode) -> Bool = { item in
          (item["id"]?.scalar ?? item["material"]?.scalar ?? item["name"]?.scalar ?? item.scalar) == part
        }
        if let k = preferLast ? items.lastIndex(where: named) : items.firstIndex(where: named) {
          node = items[k]
        } else if let k = Int(part), items.indices.contains(k) {
          node = items[k]
        } else {
          return nil
        }
        at = node
      case .scalar:
        return nil
      }
    }
    return SourceLocation(file: file, line: at.line, column: at.column)
  }

  /// The location of `path`, or of its nearest written parent.
  func location(of path: ModelPath, preferLast: Bool = false) -> SourceLocation? {
    var p = path
    while !p.isEmpty {
      if let l = exact(p, preferLast: preferLast) { return l }
      p.removeLast()
    }
    return nil
  }
}
