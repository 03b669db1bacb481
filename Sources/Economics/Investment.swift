import Foundation

/// Discounted cash-flow measures of an investment. Cash flows are in one currency, one per
/// period, the first at time 0 (undiscounted), as in spreadsheet `NPV(rate, …)` + initial outlay
/// and numpy-financial's `npv`.
public enum Investment {
  /// Net present value at a yearly `rate` (0.08 = 8 %/yr) of `flows` spaced `periodsPerYear` per year.
  /// The per-period rate is (1 + rate)^(1/periodsPerYear) − 1.
  public static func npv(rate: Double, flows: [Double], periodsPerYear: Int = 1) -> Double {
    let r = periodRate(rate, periodsPerYear)
    var v = 0.0
    var d = 1.0
    for f in flows {
      v += f / d
      d *= 1 + r
    }
    return v
  }

  /// Internal rate of return per year: the rate at which NPV = 0. Returns `nil` when the flows
  /// do not change sign (no IRR) or no root lies in (−99.99 %, 10 000 %). When the flows change
  /// sign more than once, returns the root nearest above −99.99 % found by bracketing on a grid
  /// and refining with bisection to 1e-12, and `irrRoots` lists all of them.
  public static func irr(flows: [Double], periodsPerYear: Int = 1) -> Double? {
    irrRoots(flows: flows, periodsPerYear: periodsPerYear).first { $0 > -0.9999 }
  }

  /// Every yearly rate in (−99.99 %, 10 000 %) where NPV changes sign, ascending.
  public static func irrRoots(flows: [Double], periodsPerYear: Int = 1) -> [Double] {
    guard flows.contains(where: { $0 > 0 }), flows.contains(where: { $0 < 0 }) else { return [] }
    // Search on the per-period rate on a geometric-ish grid, then bisect each bracket.
    func f(_ r: Double) -> Double {
      var v = 0.0, d = 1.0
      for x in flows {
        v += x / d
        d *= 1 + r
      }
      return v
    }
    var grid: [Double] = []
    var r = -0.9999
    while r < 100 {
      grid.append(r)
      r += r < 1 ? 0.001 : r * 0.01
    }
    var roots: [Double] = []
    for k in 1..<grid.count {
      var a = grid[k - 1], b = grid[k]
      var fa = f(a)
      let fb = f(b)
      if fa == 0 { roots.append(a); continue }
      guard fa * fb < 0 else { continue }
      for _ in 0..<200 {
        let m = 0.5 * (a + b)
        let fm = f(m)
        if fm == 0 || (b - a) < 1e-15 { a = m; b = m; break }
        if fa * fm < 0 { b = m } else { a = m; fa = fm }
      }
      roots.append(0.5 * (a + b))
    }
    return roots.map { pow(1 + $0, Double(periodsPerYear)) - 1 }
  }

  /// Periods until the cumulative cash flow turns non-negative, interpolated linearly within
  /// the period; discounted at `rate` per year when given. `nil` if it never pays back.
  public static func payback(flows: [Double], rate: Double? = nil, periodsPerYear: Int = 1) -> Double? {
    let r = rate.map { periodRate($0, periodsPerYear) } ?? 0
    var cumulative = 0.0
    var d = 1.0
    for (k, f) in flows.enumerated() {
      let x = f / d
      let before = cumulative
      cumulative += x
      if before < 0 && cumulative >= 0 && k > 0 {
        return Double(k - 1) + (-before / x)
      }
      d *= 1 + r
    }
    return flows.first.map { $0 >= 0 } == true ? 0 : nil
  }

  static func periodRate(_ yearly: Double, _ periodsPerYear: Int) -> Double {
    periodsPerYear <= 1 ? yearly : pow(1 + yearly, 1 / Double(periodsPerYear)) - 1
  }
}

/// A row of a cash-flow file: `period,cash_flow` in one currency.
public struct CashFlowTable: Sendable {
  public var currency: String
  public var flows: [Double]

  /// Parses CSV text with a header containing `cash_flow` (and optionally `period`, `currency`).
  /// Errors name the row and column.
  public static func parse(csv: String, file: String) throws(CashFlowError) -> CashFlowTable {
    var lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
    while lines.last == "" { lines.removeLast() }
    guard let header = lines.first?.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
      throw CashFlowError(file: file, line: 1, column: 1, message: "The file is empty; expected a header 'period,cash_flow'.")
    }
    guard let col = header.firstIndex(of: "cash_flow") else {
      throw CashFlowError(file: file, line: 1, column: 1, message: "The header must contain 'cash_flow'; got '\(lines[0])'. Columns: period, cash_flow, currency (optional).")
    }
    let curCol = header.firstIndex(of: "currency")
    var flows: [Double] = []
    var currency: String?
    for (k, line) in lines.enumerated().dropFirst() where !line.isEmpty && !line.hasPrefix("#") {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      guard col < cells.count, let v = Double(cells[col].replacingOccurrences(of: "_", with: "")), v.isFinite else {
        let got = col < cells.count ? cells[col] : "(missing)"
        throw CashFlowError(file: file, line: k + 1, column: col + 1, message: "cash_flow must be a number; got '\(got)'.")
      }
      if let cc = curCol, cc < cells.count, !cells[cc].isEmpty {
        if let c = currency, c != cells[cc] {
          throw CashFlowError(file: file, line: k + 1, column: cc + 1, message: "All rows must use one currency; got '\(cells[cc])' after '\(c)'.")
        }
        currency = cells[cc]
      }
      flows.append(v)
    }
    guard !flows.isEmpty else {
      throw CashFlowError(file: file, line: 2, column: 1, message: "The file has no cash-flow rows.")
    }
    return CashFlowTable(currency: currency ?? "USD", flows: flows)
  }
}

/// A located error in a cash-flow file.
public struct CashFlowError: Error, Sendable, CustomStringConvertible {
  public let file: String
  public let line: Int
  public let column: Int
  public let message: String
  public var description: String { "\(file):\(line):\(column): \(message)" }
}
