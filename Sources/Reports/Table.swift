import Quantities

/// A rectangular table of text cells that renders for the terminal, as CSV, or as JSON rows.
///
/// Every command that prints results builds one of these, so the three formats always agree.
public struct Table: Sendable {
  public enum Alignment: Sendable { case left, right }

  public var title: String?
  public var columns: [String]
  public var alignments: [Alignment]
  public var rows: [[String]]

  /// Columns whose header is given; numeric-looking columns are right-aligned when rendered.
  public init(title: String? = nil, columns: [String], rows: [[String]] = [], alignments: [Alignment]? = nil) {
    self.title = title
    self.columns = columns
    self.rows = rows
    self.alignments = alignments ?? Array(repeating: .left, count: columns.count)
  }

  public mutating func append(_ row: [String]) { rows.append(row) }

  /// A fixed-width rendering with a header rule; numbers are right-aligned.
  public func renderText() -> String {
    let n = columns.count
    var width = columns.map(\.count)
    for r in rows { for (i, c) in r.prefix(n).enumerated() { width[i] = max(width[i], c.count) } }
    var numeric = Array(repeating: true, count: n)
    for r in rows { for (i, c) in r.prefix(n).enumerated() where !c.isEmpty && !looksNumeric(c) { numeric[i] = false } }
    func line(_ cells: [String]) -> String {
      var parts: [String] = []
      for i in 0..<n {
        let c = i < cells.count ? cells[i] : ""
        let pad = String(repeating: " ", count: max(0, width[i] - c.count))
        let right = alignments[i] == .right || (numeric[i] && !rows.isEmpty)
        parts.append(right ? pad + c : c + pad)
      }
      var s = parts.joined(separator: "  ")
      while s.last == " " { s.removeLast() }
      return s
    }
    var out = ""
    if let title { out += title + "\n" }
    out += line(columns) + "\n"
    out += width.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
    for r in rows { out += line(r) + "\n" }
    return out
  }

  /// RFC 4180 CSV with a header row.
  public func renderCSV() -> String {
    var out = columns.map(csvEscape).joined(separator: ",") + "\n"
    for r in rows { out += r.map(csvEscape).joined(separator: ",") + "\n" }
    return out
  }

  /// A JSON array of objects keyed by column name; numeric-looking cells are emitted as numbers.
  public func renderJSON() -> String {
    var out = "[\n"
    for (k, r) in rows.enumerated() {
      let fields = zip(columns, r).map { "\(jsonString($0)): " + (looksNumeric($1) ? $1 : jsonString($1)) }
      out += "  {" + fields.joined(separator: ", ") + "}" + (k + 1 < rows.count ? ",\n" : "\n")
    }
    return out + "]\n"
  }
}

/// True for cells that are plain decimal numbers (used for alignment and JSON typing).
public func looksNumeric(_ s: String) -> Bool {
  guard !s.isEmpty, s != "-", s != "." else { return false }
  var seenDigit = false
  for (i, ch) in s.enumerated() {
    switch ch {
    case "0"..."9": seenDigit = true
    case "-", "+": if i != 0 && !s.dropFirst(i - 1).hasPrefix("e") && !s.dropFirst(i - 1).hasPrefix("E") { return false }
    case ".", "e", "E": continue
    default: return false
    }
  }
  return seenDigit && Double(s) != nil
}

/// Quotes a CSV field when it holds a comma, quote or newline.
public func csvEscape(_ s: String) -> String {
  if s.contains(",") || s.contains("\"") || s.contains("\n") {
    return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
  }
  return s
}

extension String {
  /// Replaces every occurrence of `target` (no Foundation needed).
  public func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var out = ""
    var rest = Substring(self)
    while let r = rest.firstRange(of: target) {
      out += rest[..<r.lowerBound]
      out += replacement
      rest = rest[r.upperBound...]
    }
    return out + rest
  }
}
