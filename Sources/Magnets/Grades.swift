import Foundation

/// The coercivity class of a grade: the suffix of sintered NdFeB trade names (GB/T 13560),
/// or the SmCo family.
public enum CoercivityClass: String, CaseIterable, Sendable, Hashable, Codable {
  case N, M, H, SH, UH, EH, AH
  case smCo5 = "SmCo5"
  case sm2Co17 = "Sm2Co17"

  /// The magnet family this class belongs to.
  public var family: MagnetFamily {
    switch self {
    case .smCo5: return .smCo5
    case .sm2Co17: return .sm2Co17
    default: return .ndFeB
    }
  }

  /// Parses a class name case-insensitively; "TH" is accepted for AH.
  public init?(name: String) {
    let n = name.trimmingCharacters(in: .whitespaces)
    if n.uppercased() == "TH" {
      self = .AH
      return
    }
    guard let c = CoercivityClass.allCases.first(where: { $0.rawValue.lowercased() == n.lowercased() }) else { return nil }
    self = c
  }

  /// Indicative Dy(+Tb) content of conventional (bulk-alloyed) sintered NdFeB, in wt %
  /// (magnets.md §2, HcJ class table; take real contents from supplier declarations).
  /// SmCo contains none.
  public var bulkHeavyRareEarthPercent: ClosedRange<Double> {
    switch self {
    case .N: return 0...0.5
    case .M: return 0.5...1.5
    case .H: return 1.5...3
    case .SH: return 3...5
    case .UH: return 5...7
    case .EH: return 7...9
    case .AH: return 9...11
    case .smCo5, .sm2Co17: return 0...0
    }
  }
}

/// Magnet material families.
public enum MagnetFamily: String, CaseIterable, Sendable, Hashable, Codable {
  case ndFeB = "NdFeB"
  case smCo5 = "SmCo5"
  case sm2Co17 = "Sm2Co17"

  /// IEC 60404-8-1 chemical group used in short names.
  public var iecGroup: String {
    switch self {
    case .ndFeB: return "REFeB"
    case .smCo5, .sm2Co17: return "RECo"
    }
  }
}

/// One magnet grade: datasheet minima and typical values, temperature coefficients and the
/// sources they came from. All values SI except temperatures (°C) and coefficients (%/K),
/// which datasheets quote that way.
public struct Grade: Sendable, Hashable, Codable {
  /// Trade name, e.g. "N42SH".
  public var name: String
  public var coercivityClass: CoercivityClass
  /// Minimum remanence Br in tesla (T).
  public var brMin: Double
  /// Maximum remanence Br in tesla (T).
  public var brMax: Double
  /// Minimum maximum energy product (BH)max in J/m³.
  public var bhMaxMin: Double
  /// Maximum (BH)max in J/m³.
  public var bhMaxMax: Double
  /// Minimum intrinsic coercivity HcJ in A/m.
  public var hcjMin: Double
  /// Minimum normal coercivity HcB in A/m, when a source gives one.
  public var hcbMin: Double?
  /// Maximum working temperature Tw in °C (at the datasheet's reference working point).
  public var maxWorkingTemperature: Double
  /// Reversible temperature coefficient α of Br in %/K (negative).
  public var alphaBr: Double
  /// Reversible temperature coefficient β of HcJ in %/K (negative; typical value).
  public var betaHcJ: Double
  /// Dy(+Tb) content of the bulk-alloyed grade in wt %, indicative.
  public var heavyRareEarthPercent: ClosedRange<Double>
  /// Where Br and (BH)max came from.
  public var source: String
  /// Where α and β came from.
  public var coefficientSource: String
  /// Free-text remarks (e.g. "HcB is a typical lower end, not a guaranteed minimum").
  public var note: String

  public init(
    name: String, coercivityClass: CoercivityClass, brMin: Double, brMax: Double, bhMaxMin: Double, bhMaxMax: Double,
    hcjMin: Double, hcbMin: Double?, maxWorkingTemperature: Double, alphaBr: Double, betaHcJ: Double,
    heavyRareEarthPercent: ClosedRange<Double>? = nil, source: String, coefficientSource: String = "", note: String = ""
  ) {
    self.name = name
    self.coercivityClass = coercivityClass
    self.brMin = brMin
    self.brMax = brMax
    self.bhMaxMin = bhMaxMin
    self.bhMaxMax = bhMaxMax
    self.hcjMin = hcjMin
    self.hcbMin = hcbMin
    self.maxWorkingTemperature = maxWorkingTemperature
    self.alphaBr = alphaBr
    self.betaHcJ = betaHcJ
    self.heavyRareEarthPercent = heavyRareEarthPercent ?? coercivityClass.bulkHeavyRareEarthPercent
    self.source = source
    self.coefficientSource = coefficientSource
    self.note = note
  }

  /// Short identifier: the name up to its first space ("SmCo5 (1:5), typical" → "SmCo5").
  public var id: String { String(name.split(separator: " ").first ?? Substring(name)) }
  public var family: MagnetFamily { coercivityClass.family }
  /// Typical Br in T: the middle of the datasheet range.
  public var brTypical: Double { (brMin + brMax) / 2 }
  /// Typical (BH)max in J/m³: the middle of the datasheet range.
  public var bhMaxTypical: Double { (bhMaxMin + bhMaxMax) / 2 }
  /// The HcB minimum if sourced, else the linear-model estimate Br_min/(µ0·1.05) in A/m.
  public var hcbMinOrEstimate: Double { hcbMin ?? brMin / (mu0 * 1.05) }
  /// True when `hcbMin` is an estimate rather than a sourced value.
  public var hcbIsEstimated: Bool { hcbMin == nil }
  /// Indicative Dy+Tb mass fraction of the bulk-alloyed grade (middle of the range), kg/kg.
  public var heavyRareEarthFraction: Double {
    (heavyRareEarthPercent.lowerBound + heavyRareEarthPercent.upperBound) / 200
  }

  /// IEC 60404-8-1 style short name: chemical group, minimum (BH)max in kJ/m³ and minimum
  /// HcJ in kA/m divided by 10, e.g. N42 → "REFeB 318/95". Not checked against the
  /// (paywalled) standard; `rounding` chooses how the two minima are made integers
  /// (default: down, so the name never promises more than the minimum).
  public func iecShortName(rounding: FloatingPointRoundingRule = .down) -> String {
    let bh = Int((bhMaxMin / 1000).rounded(rounding))
    let hcj = Int((hcjMin / 10_000).rounded(rounding))
    return "\(family.iecGroup) \(bh)/\(hcj)"
  }
}

/// An IEC 60404-8-1 style designation parsed from text such as "REFeB 380/80".
public struct IECDesignation: Sendable, Hashable {
  /// "REFeB" or "RECo".
  public var group: String
  /// Minimum (BH)max in J/m³.
  public var bhMaxMin: Double
  /// Minimum HcJ in A/m.
  public var hcjMin: Double

  /// Parses "<group> <(BH)max kJ/m³>/<HcJ kA/m ÷ 10>".
  public init(_ text: String) throws(MagnetError) {
    let parts = text.split(separator: " ", omittingEmptySubsequences: true)
    let groups = ["REFeB", "RECo"]
    guard parts.count == 2, let g = groups.first(where: { $0.lowercased() == parts[0].lowercased() }) else {
      throw .invalid("IEC short name must be '<group> <BHmax>/<HcJ/10>' with group \(groups.map { "'\($0)'" }.joined(separator: " or ")); got '\(text)'.")
    }
    let nums = parts[1].split(separator: "/")
    guard nums.count == 2, let bh = Double(nums[0]), let hc = Double(nums[1]), bh > 0, hc > 0 else {
      throw .invalid("IEC short name must be '<group> <BHmax>/<HcJ/10>' with two positive numbers, e.g. 'REFeB 380/80'; got '\(text)'.")
    }
    group = g
    bhMaxMin = bh * 1000
    hcjMin = hc * 10_000
  }
}

/// An error in a grade table, located by source, line and column.
public struct GradeTableError: Error, Sendable, Equatable, CustomStringConvertible {
  public var source: String
  /// 1-based line, or 0 when the error is not tied to one line.
  public var line: Int
  public var column: String?
  public var message: String
  public var description: String {
    source + (line > 0 ? " line \(line)" : "") + (column.map { ", column '\($0)'" } ?? "") + ": " + message
  }
}

/// A set of grades: the built-in table plus any the user adds. Order is the table order.
public struct GradeCatalog: Sendable {
  public private(set) var grades: [Grade]

  public init(grades: [Grade]) { self.grades = grades }

  /// The built-in catalogue (41 sintered NdFeB grades, SmCo5, Sm2Co17; see `builtInCSV`).
  public static let builtIn: GradeCatalog = {
    // The embedded table is tested; an empty catalogue would only follow a broken edit.
    (try? GradeCatalog(csv: builtInCSV, source: "built-in magnet-grades.csv")) ?? GradeCatalog(grades: [])
  }()

  /// Parses a grade table. Columns are found by header name (order free; see docs/magnets.md):
  /// required `grade`, `hcj_class`, `br_min_T`, `hcj_min_kA_m`, `tw_max_C`,
  /// `alpha_Br_pct_per_K`, `beta_HcJ_pct_per_K_typ`, `source_br_bhmax`; optional
  /// `br_max_T`, `bhmax_min_kJ_m3`, `bhmax_max_kJ_m3`, `hcb_min_kA_m`,
  /// `dy_wt_pct_indicative_bulk` ("3-5"), `source_coefficients`, `note`.
  /// A cell may carry its own unit ("12.8 kG", "20 kOe", "42 MGOe", "302 °F"); a bare number
  /// is in the column's unit. Lines starting with '#' and blank lines are skipped.
  public init(csv text: String, source: String) throws(GradeTableError) {
    var grades: [Grade] = []
    var header: [String]?
    var seen: [String: Int] = [:]
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, raw) in lines.enumerated() {
      let lineNo = index + 1
      var line = String(raw)
      if line.hasSuffix("\r") { line.removeLast() }
      if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
      let cells: [String]
      do { cells = try splitCSVLine(line) } catch {
        throw GradeTableError(source: source, line: lineNo, column: nil, message: error.message)
      }
      guard let h = header else {
        let names = cells.map { $0.trimmingCharacters(in: .whitespaces) }
        for req in GradeCatalog.requiredColumns where !names.contains(req) {
          throw GradeTableError(
            source: source, line: lineNo, column: nil,
            message: "The header must name the column '\(req)'; got \(names.map { "'\($0)'" }.joined(separator: ", ")). Required columns: \(GradeCatalog.requiredColumns.joined(separator: ", ")).")
        }
        header = names
        continue
      }
      guard cells.count == h.count else {
        throw GradeTableError(source: source, line: lineNo, column: nil, message: "A row must have \(h.count) cells like the header; got \(cells.count).")
      }
      var row: [String: String] = [:]
      for (k, v) in zip(h, cells) { row[k] = v.trimmingCharacters(in: .whitespaces) }
      let g = try GradeCatalog.parseRow(row, source: source, line: lineNo)
      if let first = seen[g.name.lowercased()] {
        throw GradeTableError(source: source, line: lineNo, column: "grade", message: "Grade names must be unique; got '\(g.name)' again (first on line \(first)).")
      }
      seen[g.name.lowercased()] = lineNo
      grades.append(g)
    }
    if header == nil {
      throw GradeTableError(source: source, line: 1, column: nil, message: "A grade table must start with a header row; got an empty file.")
    }
    self.grades = grades
  }

  static let requiredColumns = [
    "grade", "hcj_class", "br_min_T", "hcj_min_kA_m", "tw_max_C", "alpha_Br_pct_per_K", "beta_HcJ_pct_per_K_typ",
    "source_br_bhmax",
  ]

  static func parseRow(_ row: [String: String], source: String, line: Int) throws(GradeTableError) -> Grade {
    func fail(_ col: String, _ msg: String) -> GradeTableError {
      GradeTableError(source: source, line: line, column: col, message: msg)
    }
    func text(_ col: String) -> String { row[col] ?? "" }
    func number(_ col: String, _ kind: MagneticUnitKind, required: Bool) throws(GradeTableError) -> Double? {
      let t = text(col)
      if t.isEmpty {
        if required { throw fail(col, "\(kind.noun) must be given, e.g. \(kind.example); got an empty cell.") }
        return nil
      }
      do { return try parseMagneticQuantity(t, kind) } catch { throw fail(col, error.message) }
    }
    let name = text("grade")
    if name.isEmpty { throw fail("grade", "The grade name must be non-empty; got an empty cell.") }
    guard let cls = CoercivityClass(name: text("hcj_class")) else {
      throw fail("hcj_class", "The HcJ class must be one of \(CoercivityClass.allCases.map(\.rawValue).joined(separator: ", ")); got '\(text("hcj_class"))'.")
    }
    guard let brMin = try number("br_min_T", .fluxDensity, required: true) else { throw fail("br_min_T", "missing") }
    let brMax = try number("br_max_T", .fluxDensity, required: false) ?? brMin
    guard let hcj = try number("hcj_min_kA_m", .fieldStrength, required: true) else { throw fail("hcj_min_kA_m", "missing") }
    guard let tw = try number("tw_max_C", .temperature, required: true) else { throw fail("tw_max_C", "missing") }
    guard let alpha = try number("alpha_Br_pct_per_K", .coefficient, required: true) else { throw fail("alpha_Br_pct_per_K", "missing") }
    guard let beta = try number("beta_HcJ_pct_per_K_typ", .coefficient, required: true) else { throw fail("beta_HcJ_pct_per_K_typ", "missing") }
    // (BH)max defaults to the linear-model value Br²/(4µ0·1.05) when not given.
    let bhMin = try number("bhmax_min_kJ_m3", .energyDensity, required: false) ?? brMin * brMin / (4 * mu0 * 1.05)
    let bhMax = try number("bhmax_max_kJ_m3", .energyDensity, required: false) ?? bhMin
    let hcb = try number("hcb_min_kA_m", .fieldStrength, required: false)
    if !(brMin > 0 && brMin < 2.5) { throw fail("br_min_T", "Br min must be in (0, 2.5) T; got \(brMin) T.") }
    if brMax < brMin { throw fail("br_max_T", "Br max must be at least Br min (\(brMin) T); got \(brMax) T.") }
    if !(hcj > 0) { throw fail("hcj_min_kA_m", "HcJ min must be positive; got \(hcj) A/m.") }
    if bhMax < bhMin { throw fail("bhmax_max_kJ_m3", "(BH)max max must be at least (BH)max min; got \(bhMax / 1000) kJ/m3.") }
    if !(alpha > -1 && alpha <= 0) { throw fail("alpha_Br_pct_per_K", "α(Br) must be in (-1, 0] %/K; got \(alpha).") }
    if !(beta > -2 && beta <= 0) { throw fail("beta_HcJ_pct_per_K_typ", "β(HcJ) must be in (-2, 0] %/K; got \(beta).") }
    var hre: ClosedRange<Double>? = nil
    let dyText = text("dy_wt_pct_indicative_bulk")
    if !dyText.isEmpty {
      let parts = dyText.split(separator: "-", maxSplits: 1).map { Double($0.trimmingCharacters(in: .whitespaces)) }
      guard let lo = parts.first ?? nil, let hi = parts.count == 2 ? parts[1] : lo, lo >= 0, hi >= lo, hi < 30 else {
        throw fail("dy_wt_pct_indicative_bulk", "Dy content must be a wt % or a range 'low-high' within 0…30, e.g. '3-5'; got '\(dyText)'.")
      }
      hre = lo...hi
    }
    return Grade(
      name: name, coercivityClass: cls, brMin: brMin, brMax: brMax, bhMaxMin: bhMin, bhMaxMax: bhMax, hcjMin: hcj,
      hcbMin: hcb, maxWorkingTemperature: tw, alphaBr: alpha, betaHcJ: beta, heavyRareEarthPercent: hre,
      source: text("source_br_bhmax"), coefficientSource: text("source_coefficients"), note: text("note"))
  }

  /// Adds grades (e.g. a user's table) after the existing ones; a name already present is an error.
  public mutating func add(_ more: [Grade], source: String) throws(GradeTableError) {
    for g in more {
      if grades.contains(where: { $0.name.lowercased() == g.name.lowercased() }) {
        throw GradeTableError(source: source, line: 0, column: "grade", message: "Grade names must be unique across catalogues; '\(g.name)' is already defined.")
      }
      grades.append(g)
    }
  }

  /// The grade with this name or short id (case-insensitive), e.g. "n42sh" or "SmCo5".
  public func grade(named name: String) -> Grade? {
    let n = name.lowercased()
    return grades.first { $0.name.lowercased() == n } ?? grades.first { $0.id.lowercased() == n }
  }

  /// Like `grade(named:)` but throws a message listing the known names.
  public func require(_ name: String) throws(MagnetError) -> Grade {
    guard let g = grade(named: name) else {
      let known = grades.map(\.id).joined(separator: ", ")
      throw .invalid("Grade must be one of the catalogue's names; got '\(name)'. Known grades: \(known).")
    }
    return g
  }
}

/// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
func splitCSVLine(_ line: String) throws(MagnetError) -> [String] {
  var cells: [String] = []
  var cur = ""
  var inQuotes = false
  var chars = Array(line)
  chars.append(",")
  var i = 0
  var wasQuoted = false
  while i < chars.count {
    let c = chars[i]
    if inQuotes {
      if c == "\"" {
        if i + 1 < chars.count - 1, chars[i + 1] == "\"" {
          cur.append("\"")
          i += 1
        } else {
          inQuotes = false
        }
      } else {
        cur.append(c)
      }
    } else if c == "," {
      cells.append(cur)
      cur = ""
      wasQuoted = false
    } else if c == "\"" && cur.trimmingCharacters(in: .whitespaces).isEmpty && !wasQuoted {
      inQuotes = true
      wasQuoted = true
      cur = ""
    } else {
      cur.append(c)
    }
    i += 1
  }
  if inQuotes { throw .invalid("A quoted cell must end with a closing quote; got an unterminated quote.") }
  return cells
}

extension MagnetError {
  var message: String { description }
}
