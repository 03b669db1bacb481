/// Seconds in one Julian year (365.25 days), the year Lodestone uses for rates.
public let secondsPerYear: Double = 365.25 * 86_400
/// Seconds in one average month (one twelfth of a Julian year).
public let secondsPerMonth: Double = secondsPerYear / 12

/// A unit symbol with its dimension and its factor to SI (value_SI = value × factor).
public struct UnitTerm: Sendable, Hashable {
  public let symbol: String
  public let dimension: Dimension
  public let factor: Double
  /// For money units, the currency code (`USD`, `INR`, …).
  public let currency: String?
  /// For end-unit counts, the noun (`vehicle`, `motor`, `unit`, `turbine`).
  public let noun: String?

  init(_ symbol: String, _ dimension: Dimension, _ factor: Double, currency: String? = nil, noun: String? = nil) {
    self.symbol = symbol
    self.dimension = dimension
    self.factor = factor
    self.currency = currency
    self.noun = noun
  }
}

/// Lodestone's unit vocabulary. Compound units are written `A/B` with one term each side.
public enum UnitTable {
  /// Currency codes that money quantities may carry.
  public static let currencies = ["USD", "EUR", "INR", "JPY", "KRW", "CNY", "AUD", "GBP"]
  /// Nouns for counted end units (singular and plural are both accepted).
  public static let countNouns = ["vehicle", "motor", "unit", "turbine", "magnet", "device", "lot"]

  /// Every known term, ordered for display.
  public static let terms: [UnitTerm] = {
    var t: [UnitTerm] = [
      UnitTerm("mg", .mass, 1e-6), UnitTerm("g", .mass, 1e-3), UnitTerm("kg", .mass, 1),
      UnitTerm("t", .mass, 1e3), UnitTerm("kt", .mass, 1e6), UnitTerm("Mt", .mass, 1e9),
      UnitTerm("s", .time, 1), UnitTerm("h", .time, 3600),
      UnitTerm("day", .time, 86_400), UnitTerm("days", .time, 86_400), UnitTerm("d", .time, 86_400),
      UnitTerm("week", .time, 7 * 86_400), UnitTerm("weeks", .time, 7 * 86_400),
      UnitTerm("month", .time, secondsPerMonth), UnitTerm("months", .time, secondsPerMonth),
      UnitTerm("mo", .time, secondsPerMonth),
      UnitTerm("yr", .time, secondsPerYear), UnitTerm("year", .time, secondsPerYear),
      UnitTerm("years", .time, secondsPerYear), UnitTerm("a", .time, secondsPerYear),
      UnitTerm("W", .power, 1), UnitTerm("kW", .power, 1e3), UnitTerm("MW", .power, 1e6),
      UnitTerm("GW", .power, 1e9),
    ]
    for noun in countNouns {
      t.append(UnitTerm(noun, .count, 1, noun: noun))
      t.append(UnitTerm(noun + "s", .count, 1, noun: noun))
    }
    for code in currencies {
      t.append(UnitTerm(code, .money, 1, currency: code))
      t.append(UnitTerm("k" + code, .money, 1e3, currency: code))
      t.append(UnitTerm("M" + code, .money, 1e6, currency: code))
      t.append(UnitTerm("G" + code, .money, 1e9, currency: code))
    }
    return t
  }()

  static let bySymbol: [String: UnitTerm] = {
    var d: [String: UnitTerm] = [:]
    for term in terms where d[term.symbol] == nil { d[term.symbol] = term }
    return d
  }()

  /// The symbols a user may write, in display order.
  public static var knownSymbols: [String] { terms.map(\.symbol) }

  /// Looks up one unit term.
  public static func term(_ symbol: String) -> UnitTerm? { bySymbol[symbol] }
}
