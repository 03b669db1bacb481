/// A dimensioned value held in SI (kg, s, W, one currency unit, one end unit).
///
/// Parse with ``Quantity/parse(_:)``: `"450 t/yr"`, `"1.5 kg/vehicle"`, `"60 USD/kg"`,
/// `"95 %"`, `"18 months"`, `"0.6 t/MW"`. Print in a chosen unit with ``Quantity/value(in:)``
/// or ``Quantity/formatted(in:digits:)``.
public struct Quantity: Sendable, Hashable, CustomStringConvertible {
  /// The value in SI units of ``dimension``.
  public var si: Double
  public var dimension: Dimension
  /// Currency code for quantities with a money dimension (`nil` otherwise).
  public var currency: String?
  /// For quantities per end unit or of end units, the noun (`vehicle`, `unit`, …).
  public var noun: String?

  public init(si: Double, dimension: Dimension, currency: String? = nil, noun: String? = nil) {
    self.si = si
    self.dimension = dimension
    self.currency = currency
    self.noun = noun
  }

  /// A mass in kilograms.
  public static func kilograms(_ kg: Double) -> Quantity { Quantity(si: kg, dimension: .mass) }
  /// A mass in tonnes.
  public static func tonnes(_ t: Double) -> Quantity { Quantity(si: t * 1e3, dimension: .mass) }
  /// A plain fraction (0.95 = 95 %).
  public static func fraction(_ f: Double) -> Quantity { Quantity(si: f, dimension: .dimensionless) }

  /// The value expressed in `unit` (e.g. `"t/yr"`). Throws if the unit is unknown or of another dimension.
  public func value(in unit: String) throws(QuantityError) -> Double {
    let u = try UnitExpression.parse(unit)
    guard u.dimension == dimension else {
      throw .dimensionMismatch(text: unit, expected: dimension, got: u.dimension)
    }
    return si / u.factor
  }

  /// The value in `unit`, printed with `digits` significant digits, followed by the unit.
  public func formatted(in unit: String, digits: Int = 4) throws(QuantityError) -> String {
    let v = try value(in: unit)
    return formatNumber(v, significantDigits: digits) + " " + unit
  }

  public var description: String {
    var unit = ""
    switch dimension {
    case .mass: unit = "kg"
    case .time: unit = "s"
    case .massRate: unit = "kg/s"
    case .dimensionless: unit = ""
    default: unit = "SI"
    }
    if let c = currency, dimension == .money { unit = c }
    if let c = currency, dimension == .moneyPerMass { unit = c + "/kg" }
    return formatNumber(si, significantDigits: 6) + (unit.isEmpty ? "" : " " + unit)
  }

  /// Parses a quantity such as `"450 t/yr"`. A bare number is dimensionless.
  /// Thousands may be grouped with `_` or `,` (`5_500 t/yr`, `5,500 t/yr`).
  public static func parse(_ text: String) throws(QuantityError) -> Quantity {
    let trimmed = text.trimmingSpaces()
    guard !trimmed.isEmpty else { throw .empty }
    // Split number and unit: the number is the longest numeric prefix.
    let scalars = Array(trimmed.unicodeScalars)
    var i = 0
    func isNumberChar(_ c: Unicode.Scalar, _ at: Int) -> Bool {
      switch c {
      case "0"..."9", ".", "_": return true
      case ",": return at + 1 < scalars.count && ("0"..."9").contains(scalars[at + 1])
      case "+", "-": return at == 0 || scalars[at - 1] == "e" || scalars[at - 1] == "E"
      case "e", "E":
        // exponent only if followed by a digit or sign+digit
        guard at > 0, at + 1 < scalars.count else { return false }
        let n = scalars[at + 1]
        if ("0"..."9").contains(n) { return true }
        if (n == "+" || n == "-"), at + 2 < scalars.count, ("0"..."9").contains(scalars[at + 2]) { return true }
        return false
      default: return false
      }
    }
    while i < scalars.count, isNumberChar(scalars[i], i) { i += 1 }
    let numberText = String(String.UnicodeScalarView(scalars[0..<i])).filter { $0 != "_" && $0 != "," }
    let unitText = String(String.UnicodeScalarView(scalars[i...])).trimmingSpaces()
    guard let number = Double(numberText), number.isFinite else {
      throw .badNumber(text: text)
    }
    if unitText.isEmpty { return Quantity(si: number, dimension: .dimensionless) }
    let u = try UnitExpression.parse(unitText)
    return Quantity(si: number * u.factor, dimension: u.dimension, currency: u.currency, noun: u.noun)
  }

  /// Parses `text` and checks that it has `dimension`.
  public static func parse(_ text: String, as dimension: Dimension) throws(QuantityError) -> Quantity {
    let q = try parse(text)
    guard q.dimension == dimension else {
      throw .dimensionMismatch(text: text, expected: dimension, got: q.dimension)
    }
    return q
  }
}

/// A parsed unit expression `A` or `A/B`, or `%`/`ppm`.
public struct UnitExpression: Sendable, Hashable {
  public var dimension: Dimension
  public var factor: Double
  public var currency: String?
  public var noun: String?

  public static func parse(_ text: String) throws(QuantityError) -> UnitExpression {
    let t = text.trimmingSpaces()
    switch t {
    case "%": return UnitExpression(dimension: .dimensionless, factor: 0.01)
    case "ppm": return UnitExpression(dimension: .dimensionless, factor: 1e-6)
    case "": return UnitExpression(dimension: .dimensionless, factor: 1)
    default: break
    }
    let parts = t.split(separator: "/", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
    guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }) else { throw .unknownUnit(text: t) }
    guard let num = UnitTable.term(parts[0]) else { throw .unknownUnit(text: parts[0]) }
    var e = UnitExpression(dimension: num.dimension, factor: num.factor, currency: num.currency, noun: num.noun)
    if parts.count == 2 {
      guard let den = UnitTable.term(parts[1]) else { throw .unknownUnit(text: parts[1]) }
      e.dimension = e.dimension / den.dimension
      e.factor /= den.factor
      e.currency = e.currency ?? den.currency
      e.noun = e.noun ?? den.noun
    }
    return e
  }
}

/// Errors from parsing or converting quantities. Messages follow
/// "<thing> must be <rule>; got <value>." and list the valid choices.
public enum QuantityError: Error, Sendable, Equatable, CustomStringConvertible {
  case empty
  case badNumber(text: String)
  case unknownUnit(text: String)
  case dimensionMismatch(text: String, expected: Dimension, got: Dimension)
  case badMonth(text: String)

  public var description: String {
    switch self {
    case .empty: return "A quantity must be a number followed by a unit (e.g. '450 t/yr'); got an empty value."
    case .badNumber(let t):
      return "A quantity must start with a number (e.g. '450 t/yr'); got '\(t)'."
    case .unknownUnit(let u):
      return "Unknown unit '\(u)'. Known units: %, ppm, " + UnitTable.knownSymbols.joined(separator: ", ")
        + "; compound units are written A/B (e.g. t/yr, kg/vehicle, USD/kg)."
    case .dimensionMismatch(let t, let expected, _):
      return "Expected \(expected); got '\(t)'."
    case .badMonth(let t):
      return "A calendar month must be written YYYY-MM (e.g. '2026-04'); got '\(t)'."
    }
  }
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s = s.dropFirst() }
    while let l = s.last, l.isWhitespace { s = s.dropLast() }
    return String(s)
  }
}

/// Formats `x` with `significantDigits` significant digits, no exponent for 1e-4…1e15,
/// and no trailing zeros; digits left of the point are never rounded away. Deterministic and locale-free (used for all text output).
public func formatNumber(_ x: Double, significantDigits: Int = 6) -> String {
  guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
  if x == 0 { return "0" }
  let mag = Int((abs(x)).log10Floor())
  if mag < -4 || mag >= 15 {
    return exponentFormat(x, significantDigits: significantDigits)
  }
  let decimals = max(0, significantDigits - 1 - mag)
  return fixedFormat(x, decimals: decimals, trimZeros: true)
}

/// Formats `x` with exactly `decimals` decimal places (rounded half away from zero).
public func fixedFormat(_ x: Double, decimals: Int, trimZeros: Bool = false) -> String {
  guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
  let negative = x < 0
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
  guard scaled < 9e18 else { return exponentFormat(x, significantDigits: 15) }
  let n = UInt64(scaled)
  var digits = String(n)
  if decimals > 0 {
    if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
    let cut = digits.index(digits.endIndex, offsetBy: -decimals)
    var frac = String(digits[cut...])
    let whole = String(digits[..<cut])
    if trimZeros {
      while frac.last == "0" { frac.removeLast() }
    }
    digits = frac.isEmpty ? whole : whole + "." + frac
  }
  let isZero = n == 0
  return (negative && !isZero ? "-" : "") + digits
}

private func exponentFormat(_ x: Double, significantDigits: Int) -> String {
  let mag = Int(abs(x).log10Floor())
  var p = 1.0
  if mag > 0 { for _ in 0..<mag { p *= 10 } } else { for _ in 0..<(-mag) { p /= 10 } }
  let mantissa = x / p
  return fixedFormat(mantissa, decimals: max(0, significantDigits - 1), trimZeros: true) + "e" + String(mag)
}

extension Double {
  /// ⌊log10(self)⌋ for self > 0, computed without Foundation.
  func log10Floor() -> Double {
    var m = 0
    var v = self
    while v >= 10 { v /= 10; m += 1 }
    while v < 1 { v *= 10; m -= 1 }
    return Double(m)
  }
}
