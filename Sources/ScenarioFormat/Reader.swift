import Chemistry
import Quantities
import SupplyChain

/// Collects diagnostics while reading a YAML tree against the ``FormatSpec`` tables.
final class Reader {
  let file: String
  var diagnostics: [Diagnostic] = []
  /// Units for bare numbers, per dimension (from the `units` block).
  var defaults: [(dimension: Dimension, unit: UnitExpression, text: String)] = []
  /// Entities ("materials/nd-oxide") that failed to decode fully; validation findings about
  /// them are dropped as consequences of an error already reported.
  var tainted = Set<String>()
  /// List sections ("sites") that are missing though required, or are not lists.
  var brokenSections = Set<String>()
  /// The entity being read ("processes/oscom-mopp"), tainted by any error.
  var current: String?

  init(file: String) { self.file = file }

  func location(_ node: YNode, columnOffset: Int = 0) -> SourceLocation {
    SourceLocation(file: file, line: node.line, column: node.column + columnOffset)
  }

  func error(_ code: String, _ message: String, at node: YNode, columnOffset: Int = 0, alternatives: [String] = []) {
    diagnostics.append(
      Diagnostic(.error, code, message, location: location(node, columnOffset: columnOffset), alternatives: alternatives))
    if let current { tainted.insert(current) }
  }

  /// Reads `node` as an object of `section`: checks it is a mapping, that every key is known
  /// and that required keys are present.
  func object(_ node: YNode, _ section: Section, thing: String) -> Obj? {
    guard let pairs = node.pairs else {
      error("wrong-type", "\(cap(thing)) must be a mapping of keys (\(section.keys.prefix(4).joined(separator: ", ")), …); got \(node.kindName).", at: node)
      return nil
    }
    var entries: [String: (key: YNode, value: YNode)] = [:]
    for p in pairs {
      guard let k = p.key.scalar else {
        error("wrong-type", "\(cap(thing)) keys must be text; got \(p.key.kindName).", at: p.key)
        continue
      }
      if section.attribute(k) == nil {
        let alts = ranked(k, section.keys)
        error(
          "unknown-key", "Unknown key '\(k)' in \(thing). Valid keys: \(alts.joined(separator: ", ")).", at: p.key,
          alternatives: alts)
        continue
      }
      entries[k] = (p.key, p.value)
    }
    for a in section.attributes where a.required && entries[a.name] == nil {
      let what = a.description.hasSuffix(".") ? String(a.description.dropLast()) : a.description
      error("missing-key", "\(cap(thing)) must have '\(a.name)' (\(what)); it is missing.", at: node)
    }
    return Obj(reader: self, node: node, section: section, thing: thing, entries: entries)
  }

  // MARK: Scalars

  func scalar(_ node: YNode, _ thing: String, expected: String) -> String? {
    guard let s = node.scalar else {
      error("wrong-type", "\(cap(thing)) must be \(expected); got \(node.kindName).", at: node)
      return nil
    }
    return s
  }

  func quantity(_ node: YNode, _ thing: String, _ dims: [Dimension]) -> Quantity? {
    guard let text = scalar(node, thing, expected: dims.map(\.description).joined(separator: " or ")) else { return nil }
    let q: Quantity
    do { q = try Quantity.parse(text) } catch {
      self.error("bad-quantity", "\(cap(thing)): \(error.description)", at: node)
      return nil
    }
    if dims.contains(q.dimension) { return q }
    // A bare number takes the unit of the `units` block for its dimension.
    if q.dimension == .dimensionless, Double(text.filter { $0 != "_" && $0 != "," }.trimmed) != nil {
      for d in dims {
        if let u = defaults.first(where: { $0.dimension == d }) {
          return Quantity(si: q.si * u.unit.factor, dimension: d, currency: u.unit.currency, noun: u.unit.noun)
        }
      }
    }
    let message: String
    if dims.count == 1 {
      message = QuantityError.dimensionMismatch(text: text, expected: dims[0], got: q.dimension).description
    } else {
      message = "Expected " + dims.map(\.description).joined(separator: " or ") + "; got '\(text)'."
    }
    error("bad-quantity", "\(cap(thing)): \(message)", at: node)
    return nil
  }

  func fraction(_ node: YNode, _ thing: String) -> Double? {
    quantity(node, thing, [.dimensionless])?.si
  }

  /// A duration that must be a whole number of months.
  func months(_ node: YNode, _ thing: String) -> Int? {
    guard let q = quantity(node, thing, [.time]) else { return nil }
    let m = q.si / secondsPerMonth
    let r = m.rounded()
    guard abs(m - r) <= 1e-9 * max(1, abs(m)), abs(r) < 1e6 else {
      error("out-of-range", "\(cap(thing)) must be a whole number of months; got \(formatNumber(m)) months.", at: node)
      return nil
    }
    return Int(r)
  }

  func month(_ node: YNode, _ thing: String) -> YearMonth? {
    guard let text = scalar(node, thing, expected: "a calendar month YYYY-MM") else { return nil }
    do { return try YearMonth.parse(text) } catch {
      self.error("bad-month", "\(cap(thing)): \(error.description)", at: node)
      return nil
    }
  }

  func formula(_ node: YNode, _ thing: String) -> Formula? {
    guard let text = scalar(node, thing, expected: "a chemical formula") else { return nil }
    do { return try Formula(text) } catch {
      // Point at the column inside the formula (one more for an opening quote).
      self.error(
        "bad-formula", "\(cap(thing)): \(error.description)", at: node,
        columnOffset: error.column - 1 + (node.isQuoted ? 1 : 0))
      return nil
    }
  }

  func element(_ node: YNode, _ thing: String) -> Element? {
    guard let text = scalar(node, thing, expected: "an element symbol") else { return nil }
    if let e = Element(symbol: text) { return e }
    let alts = closestNames(to: text, in: Element.allCases.map(\.symbol))
    error("bad-enum", "\(cap(thing)) must be an element symbol (e.g. Nd, Dy); got '\(text)'.", at: node, alternatives: alts)
    return nil
  }

  func country(_ node: YNode, _ thing: String) -> String? {
    guard let text = scalar(node, thing, expected: "an ISO 3166-1 alpha-2 country code") else { return nil }
    guard text.count == 2, text.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
      error("bad-enum", "\(cap(thing)) must be an ISO 3166-1 alpha-2 country code (two capital letters, e.g. IN, CN, JP); got '\(text)'.", at: node)
      return nil
    }
    return text
  }

  func choice(_ node: YNode, _ thing: String, _ choices: [String]) -> String? {
    guard let text = scalar(node, thing, expected: "one of " + choices.joined(separator: ", ")) else { return nil }
    if choices.contains(text) { return text }
    let alts = ranked(text, choices)
    error("bad-enum", "\(cap(thing)) must be one of \(choices.joined(separator: ", ")); got '\(text)'.", at: node, alternatives: alts)
    return nil
  }

  func integer(_ node: YNode, _ thing: String, _ range: ClosedRange<Int>) -> Int? {
    guard let text = scalar(node, thing, expected: "a whole number") else { return nil }
    guard let n = Int(text.trimmed) else {
      error("wrong-type", "\(cap(thing)) must be a whole number; got '\(text)'.", at: node)
      return nil
    }
    guard range.contains(n) else {
      error("out-of-range", "\(cap(thing)) must be in \(range.lowerBound)...\(range.upperBound); got \(n).", at: node)
      return nil
    }
    return n
  }

  func number(_ node: YNode, _ thing: String) -> Double? {
    guard let text = scalar(node, thing, expected: "a plain number") else { return nil }
    guard let x = Double(text.trimmed), x.isFinite else {
      error("wrong-type", "\(cap(thing)) must be a plain number (kg per kg of the capacity basis); got '\(text)'.", at: node)
      return nil
    }
    return x
  }

  func identifier(_ node: YNode, _ thing: String) -> String? {
    guard let text = scalar(node, thing, expected: "an id") else { return nil }
    guard !text.isEmpty, !text.contains(where: { $0.isWhitespace || $0 == "/" }) else {
      error("wrong-type", "\(cap(thing)) must be an id without spaces or '/'; got '\(text)'.", at: node)
      return nil
    }
    return text
  }

  func list(_ node: YNode, _ thing: String) -> [YNode]? {
    if node.isNull { return [] }
    guard let items = node.items else {
      error("wrong-type", "\(cap(thing)) must be a list; got \(node.kindName).", at: node)
      return nil
    }
    return items
  }

  func map(_ node: YNode, _ thing: String, kind: AttributeKind? = nil) -> [(key: String, keyNode: YNode, value: YNode)]? {
    if node.isNull { return [] }
    guard let pairs = node.pairs else {
      var what = "a mapping"
      if case .map(let k, let v)? = kind { what += " of \(k.noun) → \(v.noun)" }
      error("wrong-type", "\(cap(thing)) must be \(what); got \(node.kindName).", at: node)
      return nil
    }
    var out: [(String, YNode, YNode)] = []
    for p in pairs {
      guard let k = p.key.scalar else {
        error("wrong-type", "\(cap(thing)) keys must be text; got \(p.key.kindName).", at: p.key)
        continue
      }
      out.append((k, p.key, p.value))
    }
    return out
  }
}

/// One object being read: its entries by key, with typed getters whose parsing follows the
/// attribute's declared kind.
struct Obj {
  let reader: Reader
  let node: YNode
  let section: Section
  let thing: String
  let entries: [String: (key: YNode, value: YNode)]

  func has(_ name: String) -> Bool { entries[name].map { !$0.value.isNull } ?? false }
  func node(_ name: String) -> YNode? {
    guard let e = entries[name], !e.value.isNull else { return nil }
    return e.value
  }
  func kind(_ name: String) -> AttributeKind {
    guard let a = section.attribute(name) else {
      assertionFailure("attribute \(name) not declared in section \(section.name)")
      return .any
    }
    return a.kind
  }
  func label(_ name: String) -> String { "\(thing) \(name)" }

  func text(_ name: String) -> String? {
    guard let n = node(name) else { return nil }
    return reader.scalar(n, label(name), expected: "text")
  }
  func identifier(_ name: String) -> String? {
    guard let n = node(name) else { return nil }
    return reader.identifier(n, label(name))
  }
  func quantity(_ name: String) -> Quantity? {
    guard let n = node(name), case .quantity(let dims) = kind(name) else { return nil }
    return reader.quantity(n, label(name), dims)
  }
  func fraction(_ name: String) -> Double? {
    guard let n = node(name) else { return nil }
    return reader.fraction(n, label(name))
  }
  func months(_ name: String) -> Int? {
    guard let n = node(name) else { return nil }
    return reader.months(n, label(name))
  }
  func month(_ name: String) -> YearMonth? {
    guard let n = node(name) else { return nil }
    return reader.month(n, label(name))
  }
  func integer(_ name: String) -> Int? {
    guard let n = node(name), case .integer(let r) = kind(name) else { return nil }
    return reader.integer(n, label(name), r)
  }
  func choice(_ name: String) -> String? {
    guard let n = node(name), case .choice(let c) = kind(name) else { return nil }
    return reader.choice(n, label(name), c)
  }
  func country(_ name: String) -> String? {
    guard let n = node(name) else { return nil }
    return reader.country(n, label(name))
  }
  func formula(_ name: String) -> Formula? {
    guard let n = node(name) else { return nil }
    return reader.formula(n, label(name))
  }
  /// A list of scalars of the declared item kind, as text (choices and elements checked).
  func strings(_ name: String) -> [String] {
    guard let n = node(name), let items = reader.list(n, label(name)) else { return [] }
    guard case .list(let item) = kind(name) else { return [] }
    var out: [String] = []
    for it in items {
      let v: String?
      switch item {
      case .choice(let c): v = reader.choice(it, "\(label(name)) item", c)
      case .element: v = reader.element(it, "\(label(name)) item").map(\.symbol)
      case .country: v = reader.country(it, "\(label(name)) item")
      default: v = reader.scalar(it, "\(label(name)) item", expected: "text")
      }
      if let v { out.append(v) }
    }
    return out
  }
  func map(_ name: String) -> [(key: String, keyNode: YNode, value: YNode)] {
    guard let n = node(name) else { return [] }
    return reader.map(n, label(name), kind: kind(name)) ?? []
  }
  /// A mapping whose values are quantities of the declared dimension.
  func quantityMap(_ name: String) -> [(key: String, keyNode: YNode, value: Quantity)] {
    guard case .map(_, .quantity(let dims)) = kind(name) else { return [] }
    return map(name).compactMap { e in
      reader.quantity(e.value, "\(label(name)) '\(e.key)'", dims).map { (e.key, e.keyNode, $0) }
    }
  }
  /// Reports `later` written before `earlier` (e.g. decommissioning before commissioning).
  func ordered(_ earlier: String, _ a: YearMonth?, _ later: String, _ b: YearMonth?) {
    guard let a, let b, b < a, let n = node(later) else { return }
    reader.error("out-of-range", "\(cap(label(later))) must not be before \(earlier) (\(a)); got \(b).", at: n)
  }

  /// A mapping from months to values, checked to be in increasing month order.
  func monthSeries<T>(_ name: String, _ value: (YNode, String) -> T?) -> [(month: YearMonth, value: T)] {
    var out: [(YearMonth, T)] = []
    for e in map(name) {
      guard let m = reader.month(e.keyNode, "\(label(name)) month") else { continue }
      if let last = out.last, m <= last.0 {
        reader.error("out-of-range", "\(cap(label(name))) months must increase; got \(m) after \(last.0).", at: e.keyNode)
        continue
      }
      if let v = value(e.value, "\(label(name)) at \(m)") { out.append((m, v)) }
    }
    return out
  }
}

/// Every one of `names`: those near `name` first (closest first), then the rest in their order.
func ranked(_ name: String, _ names: [String]) -> [String] {
  // closestNames falls back to every name when none is near; keep only the near ones here.
  let near = closestNames(to: name, in: names).filter { editDistance(name.lowercased(), $0.lowercased()) <= max(2, name.count / 3) }
  return near + names.filter { !near.contains($0) }
}

/// Capitalises the first letter of a message subject.
func cap(_ s: String) -> String {
  guard let f = s.first else { return s }
  return f.uppercased() + s.dropFirst()
}

extension String {
  var trimmed: String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s = s.dropFirst() }
    while let l = s.last, l.isWhitespace { s = s.dropLast() }
    return String(s)
  }
}

extension AttributeKind {
  /// What a value of this kind is, for messages ("material id", "a mass (e.g. 450 t)").
  var noun: String {
    switch self {
    case .reference(let section): return (section.hasSuffix("s") ? String(section.dropLast()) : section) + " id"
    case .month: return "month (YYYY-MM)"
    case .element: return "element symbol"
    case .formula: return "compound or element"
    case .number: return "plain number (kg per kg of the capacity basis)"
    case .fraction: return "fraction (e.g. 95 %)"
    case .quantity(let dims): return dims.map(\.description).joined(separator: " or ")
    case .choice(let c): return "one of " + c.joined(separator: ", ")
    case .text, .identifier: return "text"
    default: return "value"
    }
  }
}
