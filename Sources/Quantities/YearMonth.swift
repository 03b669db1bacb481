/// A calendar month such as `2026-04`, ordered and usable as a time index.
public struct YearMonth: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
  public let year: Int
  /// 1…12.
  public let month: Int

  public init?(year: Int, month: Int) {
    guard (1...12).contains(month), (1000...9999).contains(year) else { return nil }
    self.year = year
    self.month = month
  }

  /// Months since January of year 0; used for arithmetic.
  public var ordinal: Int { year * 12 + (month - 1) }

  public init(ordinal: Int) {
    year = ordinal / 12
    month = ordinal % 12 + 1
  }

  /// Parses `YYYY-MM`.
  public static func parse(_ text: String) throws(QuantityError) -> YearMonth {
    let t = text.trimmingSpaces()
    let parts = t.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
      let y = Int(parts[0]), let m = Int(parts[1]), let ym = YearMonth(year: y, month: m)
    else { throw .badMonth(text: text) }
    return ym
  }

  public func adding(months: Int) -> YearMonth { YearMonth(ordinal: ordinal + months) }
  /// Whole months from `other` to `self` (positive when `self` is later).
  public func months(since other: YearMonth) -> Int { ordinal - other.ordinal }

  public static func < (a: YearMonth, b: YearMonth) -> Bool { a.ordinal < b.ordinal }

  public var description: String {
    let m = month < 10 ? "0\(month)" : "\(month)"
    return "\(year)-\(m)"
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    let s = try c.decode(String.self)
    do { self = try YearMonth.parse(s) } catch {
      throw DecodingError.dataCorruptedError(in: c, debugDescription: error.description)
    }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }
}
