/// A chemical formula with (possibly fractional) atom counts.
///
/// Accepts element symbols, subscripts with decimals (`(Nd0.8Pr0.2)2O3`), parentheses and
/// brackets, and hydrates after `·`, `•` or `*` with a leading coefficient (`NdCl3·6H2O`).
/// A `.` is always a decimal point, never a hydrate dot.
public struct Formula: Sendable, Hashable, CustomStringConvertible {
  /// The formula as written.
  public let text: String
  /// Atom counts per formula unit, ordered by atomic number.
  public let atoms: [(element: Element, count: Double)]

  public static func == (a: Formula, b: Formula) -> Bool {
    a.atoms.count == b.atoms.count && zip(a.atoms, b.atoms).allSatisfy { $0.element == $1.element && $0.count == $1.count }
  }

  public func hash(into h: inout Hasher) {
    for a in atoms {
      h.combine(a.element)
      h.combine(a.count)
    }
  }

  public var description: String { text }

  /// Parses a formula; throws ``FormulaError`` with a 1-based column on bad input.
  public init(_ text: String) throws(FormulaError) {
    var p = FormulaParser(text)
    let counts = try p.parseAll()
    self.text = text
    self.atoms = counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// Builds a formula from atom counts.
  public init(atoms: [Element: Double], text: String? = nil) {
    let sorted = atoms.filter { $0.value != 0 }.sorted { $0.key < $1.key }
    self.atoms = sorted.map { ($0.key, $0.value) }
    self.text = text ?? sorted.map { $0.value == 1 ? $0.key.symbol : "\($0.key.symbol)\(formatCount($0.value))" }.joined()
  }

  /// Molar mass in g/mol (numerically kg/kmol).
  public var molarMass: Double { atoms.reduce(0) { $0 + $1.element.atomicWeight * $1.count } }

  /// The elements present, ordered by atomic number.
  public var elements: [Element] { atoms.map(\.element) }

  /// Atoms of `element` per formula unit (0 if absent).
  public func count(of element: Element) -> Double { atoms.first { $0.element == element }?.count ?? 0 }

  /// Mass fraction of `element` (kg element per kg compound).
  public func massFraction(of element: Element) -> Double {
    count(of: element) * element.atomicWeight / molarMass
  }

  /// Mass fractions of every element, ordered by atomic number; they sum to 1.
  public var massFractions: [(element: Element, fraction: Double)] {
    let m = molarMass
    return atoms.map { ($0.element, $0.count * $0.element.atomicWeight / m) }
  }
}

private func formatCount(_ c: Double) -> String {
  c == c.rounded() && abs(c) < 1e9 ? String(Int(c)) : String(c)
}

/// A formula that could not be parsed; `column` is 1-based, in characters.
public struct FormulaError: Error, Sendable, Equatable, CustomStringConvertible {
  public let formula: String
  public let column: Int
  public let message: String

  public var description: String { "Formula '\(formula)' column \(column): \(message)" }
}

struct FormulaParser {
  let chars: [Character]
  let text: String
  var i = 0

  init(_ text: String) {
    self.text = text
    self.chars = Array(text)
  }

  func fail(_ message: String, at column: Int? = nil) -> FormulaError {
    FormulaError(formula: text, column: (column ?? i) + 1, message: message)
  }

  mutating func parseAll() throws(FormulaError) -> [Element: Double] {
    skipSpaces()
    guard i < chars.count else { throw fail("a formula must not be empty (e.g. 'Nd2O3')") }
    var total = try parseSequence(closing: nil)
    while i < chars.count {
      let c = chars[i]
      guard c == "·" || c == "•" || c == "*" || c == "⋅" else {
        throw fail("unexpected character '\(c)'; expected an element symbol, a digit, '(' or a hydrate dot '·'")
      }
      i += 1
      skipSpaces()
      let coefficient = parseNumber() ?? 1
      let part = try parseSequence(closing: nil)
      guard !part.isEmpty else { throw fail("expected a formula after the hydrate dot") }
      for (e, n) in part { total[e, default: 0] += n * coefficient }
    }
    return total
  }

  mutating func skipSpaces() {
    while i < chars.count, chars[i] == " " { i += 1 }
  }

  mutating func parseNumber() -> Double? {
    let start = i
    while i < chars.count, chars[i].isASCII, chars[i].isNumber || chars[i] == "." { i += 1 }
    guard i > start else { return nil }
    return Double(String(chars[start..<i]))
  }

  mutating func parseSequence(closing: Character?) throws(FormulaError) -> [Element: Double] {
    var counts: [Element: Double] = [:]
    while i < chars.count {
      let c = chars[i]
      if let closing, c == closing { return counts }
      if c == "(" || c == "[" {
        let open = i
        let close: Character = c == "(" ? ")" : "]"
        i += 1
        let inner = try parseSequence(closing: close)
        guard i < chars.count, chars[i] == close else {
          throw fail("'\(c)' opened here is never closed with '\(close)'", at: open)
        }
        guard !inner.isEmpty else { throw fail("empty group '\(c)\(close)'", at: open) }
        i += 1
        let numberStart = i
        let n = parseNumber() ?? 1
        guard n > 0 else { throw fail("a subscript must be greater than 0; got 0", at: numberStart) }
        for (e, k) in inner { counts[e, default: 0] += k * n }
      } else if c.isUppercase, c.isASCII {
        let start = i
        i += 1
        while i < chars.count, chars[i].isLowercase, chars[i].isASCII { i += 1 }
        var symbol = String(chars[start..<i])
        var element = Element(symbol: symbol)
        // Greedy two-letter symbols may swallow a lowercase that belongs to nothing; try shorter.
        while element == nil, symbol.count > 1 {
          symbol.removeLast()
          i -= 1
          element = Element(symbol: symbol)
        }
        guard let element else {
          throw fail("unknown element symbol '\(String(chars[start..<min(start + 2, chars.count)]))'", at: start)
        }
        let numberStart = i
        let n = parseNumber() ?? 1
        guard n > 0 else { throw fail("a subscript must be greater than 0; got 0", at: numberStart) }
        counts[element, default: 0] += n
      } else if c == ")" || c == "]" {
        throw fail("'\(c)' closes nothing")
      } else if c == "·" || c == "•" || c == "*" || c == "⋅" {
        return counts
      } else if c.isNumber {
        throw fail("a number must follow an element or ')' (a hydrate coefficient follows '·')")
      } else {
        throw fail("unexpected character '\(c)'; expected an element symbol, a digit, '(' or '·'")
      }
    }
    return counts
  }
}
