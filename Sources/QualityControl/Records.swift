/// Batch and specimen test records of magnet production, parsed from CSV text.
///
/// The library parses text only; the CLI reads files. Values are stored in SI units:
/// Br in T, HcJ and HcB in A/m, (BH)max in J/m³, density in kg/m³, dimensions in m.

/// A located problem in the input data: source name, 1-based line, optional column.
public struct QCDataError: Error, Sendable, Equatable, CustomStringConvertible {
  /// File name (or other label) of the input.
  public var source: String
  /// 1-based line, if known.
  public var line: Int?
  /// Column header, if the problem is in one cell.
  public var column: String?
  /// What is wrong, in the "<thing> must be <rule>; got <value>." form.
  public var message: String
  /// The offending line as written, shown under the message.
  public var excerpt: String?
  /// 0-based character offset of the offending cell in `excerpt`, marked with a caret.
  public var caret: Int?
  /// A located error.
  public init(source: String, line: Int? = nil, column: String? = nil, message: String, excerpt: String? = nil, caret: Int? = nil) {
    self.source = source
    self.line = line
    self.column = column
    self.message = message
    self.excerpt = excerpt
    self.caret = caret
  }
  /// "file, line N, column 'C': message", then the excerpt and caret.
  public var description: String {
    var where_ = source
    if let line { where_ += ", line \(line)" }
    if let column { where_ += ", column '\(column)'" }
    var text = where_ + ": " + message
    if let excerpt {
      text += "\n  " + excerpt
      if let caret { text += "\n  " + String(repeating: " ", count: caret) + "^" }
    }
    return text
  }
}

/// The text of `line` and the character offset of its `k`-th cell (nil offset for quoted lines).
func locate(_ line: Substring, cell k: Int) -> (excerpt: String, caret: Int?) {
  guard !line.contains("\"") else { return (String(line), nil) }
  var offset = 0
  for (j, field) in line.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
    if j == k { return (String(line), offset + field.prefix { $0 == " " || $0 == "\t" }.count) }
    offset += field.count + 1
  }
  return (String(line), nil)
}

/// The properties a magnet test record can carry, with their SI unit and accepted input units.
public enum MagnetProperty: String, CaseIterable, Sendable, Codable {
  case br = "Br"
  case hcj = "HcJ"
  case hcb = "HcB"
  case bhMax = "BHmax"
  case density = "density"
  case length = "length"
  case width = "width"
  case height = "height"
  case diameter = "diameter"

  /// The SI unit values are stored in.
  public var siUnit: String {
    switch self {
    case .br: "T"
    case .hcj, .hcb: "A/m"
    case .bhMax: "J/m3"
    case .density: "kg/m3"
    case .length, .width, .height, .diameter: "m"
    }
  }

  /// Accepted units (symbol, factor to SI), in the order error messages list them.
  public var units: [(symbol: String, factor: Double)] {
    switch self {
    case .br: [("T", 1), ("mT", 1e-3), ("kG", 0.1), ("G", 1e-4)]
    case .hcj, .hcb: [("A/m", 1), ("kA/m", 1e3), ("kOe", 1e6 / (4 * Double.pi)), ("Oe", 1e3 / (4 * Double.pi))]
    case .bhMax: [("J/m3", 1), ("kJ/m3", 1e3), ("MGOe", 1e5 / (4 * Double.pi))]
    case .density: [("kg/m3", 1), ("g/cm3", 1e3)]
    case .length, .width, .height, .diameter: [("m", 1), ("mm", 1e-3), ("um", 1e-6), ("µm", 1e-6)]
    }
  }

  /// The factor from `unit` to SI, if `unit` is accepted (m³ and m^3 are read as m3).
  public func factor(for unit: String) -> Double? {
    let u = unit.replacingAll("³", with: "3").replacingAll("^3", with: "3")
    return units.first { $0.symbol == u }?.factor
  }

  /// Recognises a column name (case-insensitive; "(BH)max" and "BH_max" are accepted).
  public init?(columnName: String) {
    let key = columnName.lowercased().filter { $0 != "(" && $0 != ")" && $0 != "_" && $0 != " " }
    guard let p = MagnetProperty.allCases.first(where: { $0.rawValue.lowercased() == key }) else { return nil }
    self = p
  }

}

/// A numeric column of a record file: its header, the property it holds and the unit read.
public struct MeasurementColumn: Sendable, Equatable {
  /// The header as written, e.g. "HcJ [kA/m]".
  public var header: String
  /// The name without the unit, e.g. "HcJ".
  public var name: String
  /// The magnet property, or nil for a generic measurement column.
  public var property: MagnetProperty?
  /// The unit the file uses ("" if none).
  public var unit: String
  /// Multiply file values by this to get SI (1 for generic columns).
  public var factor: Double
  /// The unit values are stored in: the SI unit for magnet properties, the file unit otherwise.
  public var storedUnit: String { property?.siUnit ?? unit }
}

/// One tested specimen (or one batch measurement).
public struct SpecimenRecord: Sendable, Equatable {
  /// 1-based line in the source text.
  public var line: Int
  /// Lot (the rational subgroup).
  public var lot: String
  /// Time of the test as written (ISO 8601 recommended).
  public var time: String?
  /// Grade name, for conformance.
  public var grade: String?
  /// Specimen identifier.
  public var specimen: String?
  /// Values aligned with `SpecimenTable.columns`, in stored (SI) units; nil where the cell was empty.
  public var values: [Double?]
}

/// A subgroup (rational sample) of one column: one lot's values in file order.
public struct Subgroup: Sendable, Equatable {
  /// Lot or specimen label.
  public var label: String
  /// Values in stored (SI) units, empty cells left out.
  public var values: [Double]
  /// Number of empty cells left out of `values`.
  public var missing: Int
  /// A subgroup of values in stored (SI) units.
  public init(label: String, values: [Double], missing: Int = 0) {
    self.label = label
    self.values = values
    self.missing = missing
  }
}

/// The parsed content of a record file.
public struct SpecimenTable: Sendable {
  /// File name used in messages.
  public var source: String
  /// The numeric columns, in file order.
  public var columns: [MeasurementColumn]
  /// The rows, in file order.
  public var records: [SpecimenRecord]

  /// The index of the column with this name (case-insensitive, without unit), if any.
  public func columnIndex(named name: String) -> Int? {
    columns.firstIndex { $0.name.lowercased() == name.lowercased() }
  }

  /// The records in time order (stable for equal times). Times are compared as text, which
  /// orders ISO 8601 timestamps written the same way (e.g. `2026-10-01T08:00:00Z`).
  /// Every record must have a time.
  public func sortedByTime() throws(QCDataError) -> SpecimenTable {
    if records.allSatisfy({ $0.time == nil }) {
      throw QCDataError(source: source, column: "time", message: "ordering by time needs a 'time' column with a value on every row; got no times.")
    }
    if let r = records.first(where: { $0.time == nil }) {
      throw QCDataError(source: source, line: r.line, column: "time", message: "time must be given on every row to order by time; got an empty cell.")
    }
    var t = self
    t.records = records.enumerated().sorted { a, b in
      let (x, y) = (a.element.time ?? "", b.element.time ?? "")
      return x != y ? x < y : a.offset < b.offset
    }.map(\.element)
    return t
  }

  /// Lots in order of first appearance.
  public var lots: [String] {
    var seen = Set<String>()
    var out: [String] = []
    for r in records where seen.insert(r.lot).inserted { out.append(r.lot) }
    return out
  }

  /// One subgroup per lot (order of first appearance) for column `c`.
  public func subgroups(column c: Int) -> [Subgroup] {
    var index: [String: Int] = [:]
    var groups: [Subgroup] = []
    for r in records {
      let i: Int
      if let j = index[r.lot] { i = j } else {
        i = groups.count
        index[r.lot] = i
        groups.append(Subgroup(label: r.lot, values: [], missing: 0))
      }
      if let v = r.values[c] { groups[i].values.append(v) } else { groups[i].missing += 1 }
    }
    return groups
  }

  /// Every value of column `c` in file order, each as its own subgroup labelled by specimen
  /// (or lot and line when there is no specimen id). Empty cells are counted, not charted.
  public func individuals(column c: Int) -> (subgroups: [Subgroup], missing: Int) {
    var out: [Subgroup] = []
    var missing = 0
    for r in records {
      guard let v = r.values[c] else { missing += 1; continue }
      out.append(Subgroup(label: r.specimen ?? "\(r.lot)@\(r.line)", values: [v], missing: 0))
    }
    return (out, missing)
  }
}

/// Splits one CSV line into fields (RFC 4180 quotes; no embedded newlines).
func splitCSVLine(_ line: Substring) -> [String] {
  if !line.utf8.contains(UInt8(ascii: "\"")) {
    // Fast path: no quoting, split on commas.
    return line.split(separator: ",", omittingEmptySubsequences: false).map { field in
      var f = field
      while let c = f.first, c == " " || c == "\t" { f.removeFirst() }
      while let c = f.last, c == " " || c == "\t" { f.removeLast() }
      return String(f)
    }
  }
  var fields: [String] = []
  var cur = ""
  var inQuotes = false
  var it = line.makeIterator()
  var pending: Character? = nil
  while true {
    let ch: Character
    if let p = pending { ch = p; pending = nil } else if let c = it.next() { ch = c } else { break }
    if inQuotes {
      if ch == "\"" {
        if let n = it.next() {
          if n == "\"" { cur.append("\"") } else { inQuotes = false; pending = n }
        } else { inQuotes = false }
      } else { cur.append(ch) }
    } else if ch == "\"" && cur.isEmpty {
      inQuotes = true
    } else if ch == "," {
      fields.append(cur)
      cur = ""
    } else { cur.append(ch) }
  }
  fields.append(cur)
  return fields.map { $0.trimmingWhitespace() }
}

extension String {
  func trimmingWhitespace() -> String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }
  func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var out = ""
    var rest = Substring(self)
    while let r = rest.range(of: target) {
      out += rest[rest.startIndex..<r.lowerBound]
      out += replacement
      rest = rest[r.upperBound...]
    }
    return out + rest
  }
}

extension Substring {
  func range(of target: String) -> Range<Substring.Index>? {
    guard !target.isEmpty, count >= target.count else { return nil }
    var i = startIndex
    while i < endIndex {
      if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
      i = index(after: i)
    }
    return nil
  }
}

/// Parses a plain decimal number (no units); nil if it is not one or not finite.
func parseNumber(_ s: String) -> Double? {
  guard let v = Double(s), v.isFinite else { return nil }
  return v
}

/// Splits a header like "HcJ [kA/m]" into name and unit.
func splitHeader(_ h: String) -> (name: String, unit: String) {
  guard h.hasSuffix("]"), let o = h.lastIndex(of: "[") else { return (h, "") }
  let name = String(h[h.startIndex..<o]).trimmingWhitespace()
  let unit = String(h[h.index(after: o)..<h.index(before: h.endIndex)]).trimmingWhitespace()
  return (name, unit)
}

/// Parser for specimen record CSV text.
public enum SpecimenCSV {
  static let textColumns = ["lot", "time", "grade", "specimen"]

  /// Parses specimen records from CSV `text`. `source` names the file in error messages.
  ///
  /// The header must contain `lot`; `time`, `grade` and `specimen` are optional text columns.
  /// Every other column is numeric: magnet properties (Br, HcJ, HcB, BHmax, density, length,
  /// width, height, diameter) with their unit in brackets, e.g. `HcJ [kA/m]`, and any other
  /// measurement (kept in the file's unit). Empty numeric cells are missing values (counted
  /// in outputs); blank lines and lines starting with `#` are skipped. Any other bad cell is
  /// an error naming the line and column.
  public static func parse(_ text: String, source: String) throws(QCDataError) -> SpecimenTable {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? $0.dropLast() : $0
    }
    var headerLine = 0
    var header: [String]? = nil
    var i = 0
    while i < lines.count {
      let l = lines[i]
      i += 1
      if l.allSatisfy(\.isWhitespace) || l.hasPrefix("#") { continue }
      header = splitCSVLine(l)
      headerLine = i
      break
    }
    guard let header else {
      throw QCDataError(source: source, message: "the file must have a header row with a 'lot' column; got an empty file.")
    }
    var textIndex: [String: Int] = [:]
    var columns: [MeasurementColumn] = []
    var numericIndex: [Int] = []
    var seen = Set<String>()
    for (c, h) in header.enumerated() {
      let (name, unit) = splitHeader(h)
      guard !name.isEmpty else {
        let at = locate(lines[headerLine - 1], cell: c)
        throw QCDataError(source: source, line: headerLine, column: "#\(c + 1)", message: "every column must have a name; got an empty header cell.", excerpt: at.excerpt, caret: at.caret)
      }
      guard seen.insert(name.lowercased()).inserted else {
        let at = locate(lines[headerLine - 1], cell: c)
        throw QCDataError(source: source, line: headerLine, column: h, message: "column names must be unique; got '\(name)' twice.", excerpt: at.excerpt, caret: at.caret)
      }
      if textColumns.contains(name.lowercased()) {
        textIndex[name.lowercased()] = c
        continue
      }
      if let p = MagnetProperty(columnName: name) {
        let at = locate(lines[headerLine - 1], cell: c)
        guard !unit.isEmpty else {
          throw QCDataError(source: source, line: headerLine, column: h, message: "\(p.rawValue) must carry its unit in brackets, e.g. '\(p.rawValue) [\(p.units[1].symbol)]'; valid units: \(p.units.map(\.symbol).joined(separator: ", ")).", excerpt: at.excerpt, caret: at.caret)
        }
        guard let f = p.factor(for: unit) else {
          throw QCDataError(source: source, line: headerLine, column: h, message: "the unit of \(p.rawValue) must be one of \(p.units.map(\.symbol).joined(separator: ", ")); got '\(unit)'.", excerpt: at.excerpt, caret: at.caret)
        }
        columns.append(MeasurementColumn(header: h, name: name, property: p, unit: unit, factor: f))
      } else {
        columns.append(MeasurementColumn(header: h, name: name, property: nil, unit: unit, factor: 1))
      }
      numericIndex.append(c)
    }
    guard let lotIndex = textIndex["lot"] else {
      throw QCDataError(source: source, line: headerLine, message: "the header must contain a 'lot' column; got columns \(header.joined(separator: ", ")).", excerpt: String(lines[headerLine - 1]))
    }
    var records: [SpecimenRecord] = []
    while i < lines.count {
      let l = lines[i]
      i += 1
      if l.allSatisfy(\.isWhitespace) || l.hasPrefix("#") { continue }
      let cells = splitCSVLine(l)
      guard cells.count == header.count else {
        throw QCDataError(source: source, line: i, message: "every row must have \(header.count) cells like the header; got \(cells.count).", excerpt: String(l))
      }
      let lot = cells[lotIndex]
      guard !lot.isEmpty else {
        let at = locate(l, cell: lotIndex)
        throw QCDataError(source: source, line: i, column: header[lotIndex], message: "lot must be a non-empty identifier; got an empty cell.", excerpt: at.excerpt, caret: at.caret)
      }
      func text(_ k: String) -> String? {
        guard let j = textIndex[k], !cells[j].isEmpty else { return nil }
        return cells[j]
      }
      var values: [Double?] = []
      values.reserveCapacity(columns.count)
      for (k, c) in numericIndex.enumerated() {
        let cell = cells[c]
        if cell.isEmpty { values.append(nil); continue }
        let col = columns[k]
        guard let v = parseNumber(cell) else {
          let at = locate(l, cell: c)
          throw QCDataError(source: source, line: i, column: col.header, message: "\(col.name) must be a finite number\(col.unit.isEmpty ? "" : " in \(col.unit)") (leave the cell empty if not measured); got '\(cell)'.", excerpt: at.excerpt, caret: at.caret)
        }
        // Every magnet property (fields, energy, density, dimensions) is strictly positive.
        if col.property != nil, v <= 0 {
          let at = locate(l, cell: c)
          throw QCDataError(source: source, line: i, column: col.header, message: "\(col.name) must be positive; got \(cell).", excerpt: at.excerpt, caret: at.caret)
        }
        values.append(v * col.factor)
      }
      records.append(SpecimenRecord(line: i, lot: lot, time: text("time"), grade: text("grade"), specimen: text("specimen"), values: values))
    }
    guard !records.isEmpty else {
      throw QCDataError(source: source, message: "the file must contain at least one data row after the header; got none.")
    }
    return SpecimenTable(source: source, columns: columns, records: records)
  }
}
