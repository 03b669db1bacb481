/// Grade conformance per lot against minimum (and maximum) property limits.
///
/// The magnet grade catalogue lives in `Magnets`; this module takes limits from the caller
/// (`GradeLimits`, or a small CSV parsed by `GradeLimits.parseCSV`) so either can change alone.

/// Property limits of one grade, in SI (T, A/m, J/m³, kg/m³, m).
public struct GradeLimits: Sendable, Equatable, Codable {
  /// Grade name as written in the record files, e.g. "N42H".
  public var grade: String
  /// Minimum per property; properties without a limit are absent.
  public var minimum: [MagnetProperty: Double]
  /// Maximum per property (e.g. Br max).
  public var maximum: [MagnetProperty: Double]
  /// Limits in SI units.
  public init(grade: String, minimum: [MagnetProperty: Double] = [:], maximum: [MagnetProperty: Double] = [:]) {
    self.grade = grade
    self.minimum = minimum
    self.maximum = maximum
  }

  /// Parses a limits table: header `grade,property,min,max`; min and max carry units
  /// ("1.28 T", "1353 kA/m", "12 kOe"); either may be empty. Rows of one grade combine.
  /// Grades are returned sorted by name.
  public static func parseCSV(_ text: String, source: String) throws(QCDataError) -> [GradeLimits] {
    var byGrade: [String: GradeLimits] = [:]
    var headerSeen = false
    var cols: [String: Int] = [:]
    var idx = (grade: 0, property: 0, min: 0, max: 0)
    for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = k + 1
      let l = raw.hasSuffix("\r") ? raw.dropLast() : raw
      if l.allSatisfy(\.isWhitespace) || l.hasPrefix("#") { continue }
      let cells = splitCSVLine(l)
      if !headerSeen {
        headerSeen = true
        for (i, c) in cells.enumerated() { cols[c.lowercased()] = i }
        guard let gi = cols["grade"], let pi = cols["property"], let mi = cols["min"], let xi = cols["max"] else {
          throw QCDataError(source: source, line: line, message: "the header must be grade,property,min,max; got \(cells.joined(separator: ",")).", excerpt: String(l))
        }
        idx = (gi, pi, mi, xi)
        continue
      }
      guard cells.count == cols.count else {
        throw QCDataError(source: source, line: line, message: "every row must have \(cols.count) cells like the header; got \(cells.count).", excerpt: String(l))
      }
      let grade = cells[idx.grade]
      guard !grade.isEmpty else {
        let at = locate(l, cell: idx.grade)
        throw QCDataError(source: source, line: line, column: "grade", message: "grade must be a non-empty name; got an empty cell.", excerpt: at.excerpt, caret: at.caret)
      }
      let pText = cells[idx.property]
      guard let p = MagnetProperty(columnName: pText) else {
        let at = locate(l, cell: idx.property)
        throw QCDataError(source: source, line: line, column: "property", message: "property must be one of \(MagnetProperty.allCases.map(\.rawValue).joined(separator: ", ")); got '\(pText)'.", excerpt: at.excerpt, caret: at.caret)
      }
      var g = byGrade[grade] ?? GradeLimits(grade: grade)
      for (side, j) in [("min", idx.min), ("max", idx.max)] {
        let cell = cells[j]
        if cell.isEmpty { continue }
        let v: Double
        do { v = try parseValue(cell, property: p, source: source, line: line, column: side) } catch {
          let at = locate(l, cell: j)
          var e = error
          e.excerpt = at.excerpt
          e.caret = at.caret
          throw e
        }
        if side == "min" { g.minimum[p] = v } else { g.maximum[p] = v }
      }
      if let lo = g.minimum[p], let hi = g.maximum[p], lo > hi {
        let at = locate(l, cell: idx.max)
        throw QCDataError(source: source, line: line, column: "max", message: "the maximum of \(p.rawValue) must not be below its minimum; got min \(cells[idx.min]) and max \(cells[idx.max]).", excerpt: at.excerpt, caret: at.caret)
      }
      byGrade[grade] = g
    }
    guard headerSeen else { throw QCDataError(source: source, message: "the limits file must have a header grade,property,min,max; got an empty file.") }
    return byGrade.keys.sorted().compactMap { byGrade[$0] }
  }
}

/// Parses "<number> <unit>" for `property` into SI.
public func parseValue(_ text: String, property p: MagnetProperty, source: String, line: Int, column: String) throws(QCDataError) -> Double {
  let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
  let units = p.units.map(\.symbol).joined(separator: ", ")
  guard parts.count == 2, let v = parseNumber(parts[0]) else {
    throw QCDataError(source: source, line: line, column: column, message: "\(p.rawValue) \(column) must be '<number> <unit>' with unit one of \(units); got '\(text)'.")
  }
  guard let f = p.factor(for: parts[1]) else {
    throw QCDataError(source: source, line: line, column: column, message: "the unit of \(p.rawValue) must be one of \(units); got '\(parts[1])'.")
  }
  return v * f
}

/// The verdict on one lot.
public enum LotStatus: String, Sendable, Codable {
  case conforming, nonconforming
  /// The lot's grade has no limits, so it could not be judged.
  case notAssessed = "not-assessed"
}

/// One property of one lot against its grade limits (SI values).
public struct PropertyCheck: Sendable, Codable {
  /// The property checked.
  public var property: MagnetProperty
  /// Minimum (SI), if the grade has one.
  public var minimum: Double?
  /// Maximum (SI), if the grade has one.
  public var maximum: Double?
  /// Specimens with a value.
  public var measured: Int
  /// Specimens without a value.
  public var missing: Int
  /// Specimens below the minimum.
  public var belowMinimum: Int
  /// Specimens above the maximum.
  public var aboveMaximum: Int
  /// Lowest value (SI).
  public var lowest: Double?
  /// Highest value (SI).
  public var highest: Double?
  /// Mean value (SI).
  public var mean: Double?
}

/// The conformance report for one lot.
public struct LotReport: Sendable, Codable {
  /// Lot identifier.
  public var lot: String
  /// The lot's grade ("A+B" when the lot mixes grades).
  public var grade: String
  /// Number of specimens in the lot.
  public var specimens: Int
  /// The verdict.
  public var status: LotStatus
  /// One check per limited property, in `MagnetProperty` order.
  public var checks: [PropertyCheck]
  /// Plain-language reasons for a non-conforming or not-assessed verdict; empty when conforming.
  public var reasons: [String]
  /// Fraction of specimens meeting every limit (0…1).
  public var conformingFraction: Double
  /// Run-rule signals of this lot on the X̄ and R charts of each limited property, charted
  /// over all lots of the same grade (e.g. "HcJ X̄: WE1"). Empty when in control or when the
  /// charts could not be drawn (fewer than 2 lots or specimens per lot). Informational: the
  /// status depends on the limits only.
  public var controlSignals: [String] = []
}

/// Formats an SI value in a readable unit for reasons (kA/m, kJ/m³, g/cm³, mm, T).
public func displayValue(_ v: Double, _ p: MagnetProperty) -> String {
  func fmt(_ x: Double, _ d: Int) -> String {
    let s = x < 0 ? "-" : ""
    let a = abs(x)
    var scale = 1.0
    for _ in 0..<d { scale *= 10 }
    let r = (a * scale).rounded()
    let whole = Int(r / scale)
    let frac = Int(r - Double(whole) * scale)
    if d == 0 { return s + String(whole) }
    var f = String(frac)
    while f.count < d { f = "0" + f }
    return s + String(whole) + "." + f
  }
  switch p {
  case .br: return fmt(v, 4) + " T"
  case .hcj, .hcb: return fmt(v / 1e3, 1) + " kA/m"
  case .bhMax: return fmt(v / 1e3, 1) + " kJ/m3"
  case .density: return fmt(v / 1e3, 3) + " g/cm3"
  case .length, .width, .height, .diameter: return fmt(v * 1e3, 3) + " mm"
  }
}

/// Checks every specimen of every lot against its grade's limits. Lots appear in file order;
/// properties in `MagnetProperty.allCases` order. A property with a limit that is absent from
/// the file, or a missing measurement, makes the lot non-conforming (nothing is assumed).
///
/// `controlRules` (default: qcc's WE1 and WE4) adds each lot's control-chart signals; pass an
/// empty `RuleSet` to skip the charts.
public func conformance(_ table: SpecimenTable, limits: [GradeLimits], controlRules: RuleSet = .qccDefault) -> [LotReport] {
  var reports: [LotReport] = []
  var order: [String] = []
  var members: [String: [Int]] = [:]
  for (i, r) in table.records.enumerated() {
    if members[r.lot] == nil { order.append(r.lot) }
    members[r.lot, default: []].append(i)
  }
  for lot in order {
    let recs = (members[lot] ?? []).map { table.records[$0] }
    let grades = Array(Set(recs.map { $0.grade ?? "" })).sorted()
    let grade = grades.joined(separator: "+")
    var reasons: [String] = []
    guard grades.count == 1, !grades[0].isEmpty, let g = limits.first(where: { $0.grade == grades[0] }) else {
      if grades.count > 1 {
        reasons.append("the lot mixes grades \(grades.joined(separator: ", ")); a lot must have one grade")
      } else if grades.first?.isEmpty ?? true {
        reasons.append("no grade is given for the lot")
      } else {
        reasons.append("grade \(grade) has no limits in the limits table")
      }
      reports.append(LotReport(lot: lot, grade: grade, specimens: recs.count, status: grades.count > 1 ? .nonconforming : .notAssessed, checks: [], reasons: reasons, conformingFraction: 0))
      continue
    }
    var checks: [PropertyCheck] = []
    var specimenOK = [Bool](repeating: true, count: recs.count)
    for p in MagnetProperty.allCases where g.minimum[p] != nil || g.maximum[p] != nil {
      let lo = g.minimum[p]
      let hi = g.maximum[p]
      guard let c = table.columns.firstIndex(where: { $0.property == p }) else {
        reasons.append("\(p.rawValue) has a grade limit but the file has no \(p.rawValue) column")
        checks.append(PropertyCheck(property: p, minimum: lo, maximum: hi, measured: 0, missing: recs.count, belowMinimum: 0, aboveMaximum: 0))
        for i in specimenOK.indices { specimenOK[i] = false }
        continue
      }
      var values: [Double] = []
      var missing = 0
      var below = 0
      var above = 0
      for (i, r) in recs.enumerated() {
        guard let v = r.values[c] else { missing += 1; specimenOK[i] = false; continue }
        values.append(v)
        if let lo, v < lo { below += 1; specimenOK[i] = false }
        if let hi, v > hi { above += 1; specimenOK[i] = false }
      }
      let lowest = values.min()
      let highest = values.max()
      if below > 0, let lo, let lowest {
        reasons.append("\(p.rawValue): \(below) of \(recs.count) specimens below the minimum \(displayValue(lo, p)) (lowest \(displayValue(lowest, p)))")
      }
      if above > 0, let hi, let highest {
        reasons.append("\(p.rawValue): \(above) of \(recs.count) specimens above the maximum \(displayValue(hi, p)) (highest \(displayValue(highest, p)))")
      }
      if missing > 0 { reasons.append("\(p.rawValue): not measured on \(missing) of \(recs.count) specimens") }
      checks.append(PropertyCheck(
        property: p, minimum: lo, maximum: hi, measured: values.count, missing: missing, belowMinimum: below,
        aboveMaximum: above, lowest: lowest, highest: highest,
        mean: values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)))
    }
    let ok = specimenOK.filter { $0 }.count
    reports.append(LotReport(
      lot: lot, grade: grade, specimens: recs.count, status: reasons.isEmpty ? .conforming : .nonconforming,
      checks: checks, reasons: reasons, conformingFraction: Double(ok) / Double(recs.count)))
  }
  return withControlSignals(reports, table, rules: controlRules)
}

/// Adds each lot's X̄-R chart signals, per grade and property, to `reports`.
func withControlSignals(_ reports: [LotReport], _ table: SpecimenTable, rules: RuleSet) -> [LotReport] {
  guard !rules.rules.isEmpty else { return reports }
  var out = reports
  var byGrade: [String: [Int]] = [:]
  var gradeOrder: [String] = []
  for (i, r) in reports.enumerated() where r.status != .notAssessed && !r.grade.contains("+") {
    if byGrade[r.grade] == nil { gradeOrder.append(r.grade) }
    byGrade[r.grade, default: []].append(i)
  }
  for grade in gradeOrder {
    let idx = byGrade[grade] ?? []
    let lots = Set(idx.map { reports[$0].lot })
    var props: [MagnetProperty] = []
    for i in idx { for c in reports[i].checks where !props.contains(c.property) { props.append(c.property) } }
    for p in MagnetProperty.allCases where props.contains(p) {
      guard let c = table.columns.firstIndex(where: { $0.property == p }) else { continue }
      let groups = table.subgroups(column: c).filter { lots.contains($0.label) }
      guard groups.count >= 2, groups.allSatisfy({ $0.values.count >= 2 && $0.values.count <= 25 }) else { continue }
      var o = ChartOptions()
      o.rules = rules
      guard let pair = try? xbarChart(groups, dispersion: .range, options: o) else { continue }
      let position = Dictionary(uniqueKeysWithValues: idx.map { (reports[$0].lot, $0) })
      for (k, g) in groups.enumerated() {
        guard let i = position[g.label] else { continue }
        if !pair.location.flags[k].isEmpty { out[i].controlSignals.append("\(p.rawValue) X̄: " + pair.location.flags[k].joined(separator: " ")) }
        if !pair.dispersion.flags[k].isEmpty { out[i].controlSignals.append("\(p.rawValue) R: " + pair.dispersion.flags[k].joined(separator: " ")) }
      }
    }
  }
  return out
}
