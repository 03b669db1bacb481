// MPS (free and fixed) and CPLEX LP text for a model, so other solvers (HiGHS, Gurobi,
// CPLEX, SCIP) can read the same model. Text is returned; the caller writes the file.

/// The file format of ``Model/exportText(_:)``.
public enum ModelFileFormat: String, Sendable, CaseIterable {
  /// Free-format MPS (whitespace-separated fields, names up to 255 characters). Extension `.mps`.
  case freeMPS = "mps"
  /// Fixed-format MPS (fields in fixed columns, names of at most 8 characters). When a name
  /// is longer, every name of that kind is replaced by a generated one (`C0000001`,
  /// `R0000001`) and the original names are listed in comment lines. Numbers are written
  /// with at most 12 characters, so up to about 11 significant digits survive.
  case fixedMPS = "fixed-mps"
  /// CPLEX LP format. Extension `.lp`. Ranged rows become two rows, `<name>_lo` and `<name>_hi`;
  /// a nonzero ``Model/objectiveOffset`` is written as `offset ONE_VAR_CONSTANT` with that
  /// variable fixed at 1 (the convention of Pyomo's LP writer), so every reader keeps it.
  case lp = "lp"
}

extension Model {
  /// The model as text in `format`. Names are made safe for the format (see
  /// ``exportNames(_:)``); the output is deterministic.
  public func exportText(_ format: ModelFileFormat) throws -> String {
    switch format {
    case .freeMPS: return try mpsText(fixed: false)
    case .fixedMPS: return try mpsText(fixed: true)
    case .lp: return lpText()
    }
  }

  /// The names a file in `format` uses for the variables and constraints (same order as the
  /// model): characters outside `A–Z a–z 0–9 _ . ( ) { } # @ ! ? | ~` become `_` (with
  /// `[` → `(` and `]` → `)`), a name that could be read as a number or keyword gets a
  /// leading `_`, names are cut to 240 characters, and clashes get `~2`, `~3`, … appended.
  public func exportNames(_ format: ModelFileFormat) -> (variables: [String], constraints: [String]) {
    let cols = Model.sanitize(variableNames, reserved: [])
    let rows = Model.sanitize(constraintNames, reserved: ["OBJ", "obj"])
    guard format == .fixedMPS else { return (cols, rows) }
    let fits: ([String]) -> Bool = { $0.allSatisfy { $0.utf8.count <= 8 } }
    let c = fits(cols) ? cols : (0..<cols.count).map { Model.generatedName("C", $0 + 1) }
    let r = fits(rows) ? rows : (0..<rows.count).map { Model.generatedName("R", $0 + 1) }
    return (c, r)
  }

  static func generatedName(_ prefix: String, _ n: Int) -> String {
    let digits = String(n)
    return prefix + String(repeating: "0", count: Swift.max(0, 7 - digits.count)) + digits
  }

  static let lpKeywords: Set<String> = [
    "st", "s.t.", "st.", "subject", "such", "bound", "bounds", "free", "end", "gen", "general",
    "generals", "bin", "binary", "binaries", "int", "integer", "integers", "inf", "infinity",
    "min", "max", "minimize", "maximize", "minimum", "maximum", "semi", "semis", "sos", "obj",
  ]

  static func sanitize(_ names: [String], reserved: Set<String>) -> [String] {
    var taken = reserved
    var result: [String] = []
    result.reserveCapacity(names.count)
    for name in names {
      var chars: [Character] = []
      for u in name.unicodeScalars {
        switch u {
        case "A"..."Z", "a"..."z", "0"..."9", "_", ".", "(", ")", "{", "}", "#", "@", "!", "?", "|", "~":
          chars.append(Character(u))
        case "[": chars.append("(")
        case "]": chars.append(")")
        default: chars.append("_")
        }
      }
      var s = String(chars.prefix(240))
      if s.isEmpty { s = "_" }
      let first = s.unicodeScalars.first ?? "_"
      let second = s.unicodeScalars.dropFirst().first
      let numberLike = ("0"..."9").contains(first) || first == "."
        || ((first == "e" || first == "E") && (second.map { ("0"..."9").contains($0) } ?? true))
      if numberLike || lpKeywords.contains(s.lowercased()) { s = "_" + s }
      var candidate = s
      var k = 2
      while taken.contains(candidate) {
        candidate = s + "~" + String(k)
        k += 1
      }
      taken.insert(candidate)
      result.append(candidate)
    }
    return result
  }

  // MARK: MPS

  func mpsText(fixed: Bool) throws -> String {
    let (cols, rows) = exportNames(fixed ? .fixedMPS : .freeMPS)
    let a = try columnMajor()
    func num(_ x: Double) -> String { fixed ? Model.fixedNumber(x) : formatNumber(x) }
    var out = ""
    out.reserveCapacity(64 * (nonzeroCount + variableCount + constraintCount) + 256)
    func line(_ f1: String, _ f2: String, _ f3: String = "", _ f4: String = "", _ f5: String = "", _ f6: String = "") {
      if fixed {
        var l = " " + Model.pad(f1, 2) + " " + Model.pad(f2, 8)
        if !f3.isEmpty || !f4.isEmpty { l += "  " + Model.pad(f3, 8) + "  " + Model.pad(f4, 12) }
        if !f5.isEmpty { l += "   " + Model.pad(f5, 8) + "  " + f6 }
        while l.hasSuffix(" ") { l.removeLast() }
        out += l + "\n"
      } else {
        // CoinMpsIO (CBC/CLP 2.10) switches to fixed-field parsing when a field starts in a
        // fixed-format field column (1-based 5, 15, 25, 40, 50) after a blank, so free-format
        // fields are nudged one column right when they would land there.
        var column = 0
        for f in [f1, f2, f3, f4, f5, f6] where !f.isEmpty {
          out += " "
          column += 1
          while Model.isFixedFieldStart(column) {
            out += " "
            column += 1
          }
          out += f
          column += f.utf8.count
        }
        out += "\n"
      }
    }
    out += "* Lodestone model '\(Model.commentSafe(name))': \(variableCount) variables, \(constraintCount) constraints, \(nonzeroCount) nonzeros\n"
    if fixed && cols != Model.sanitize(variableNames, reserved: []) {
      for (j, n) in variableNames.enumerated() { out += "* \(cols[j]) = \(Model.commentSafe(n))\n" }
    }
    if fixed && rows != Model.sanitize(constraintNames, reserved: ["OBJ", "obj"]) {
      for (i, n) in constraintNames.enumerated() { out += "* \(rows[i]) = \(Model.commentSafe(n))\n" }
    }
    let problemName = Model.sanitize([name], reserved: [])[0]
    out += (fixed ? "NAME          " : "NAME ") + String(problemName.prefix(fixed ? 8 : 240)) + "\n"
    if objectiveSense == .maximize { out += "OBJSENSE\n    MAX\n" }
    out += "ROWS\n"
    line("N", "OBJ")
    for i in 0..<constraintCount {
      let lo = constraintLower[i]
      let hi = constraintUpper[i]
      let type = lo == hi ? "E" : lo == -.infinity ? "L" : "G"
      line(type, rows[i])
    }
    out += "COLUMNS\n"
    var inInteger = false
    for j in 0..<variableCount {
      let integer = variableKinds[j] != .continuous
      if integer != inInteger {
        if fixed {
          out += "    MARKER                 'MARKER'                 '\(integer ? "INTORG" : "INTEND")'\n"
        } else {
          out += " MARKER 'MARKER' '\(integer ? "INTORG" : "INTEND")'\n"
        }
        inInteger = integer
      }
      let c = objectiveCoefficients[j]
      let start = Int(a.starts[j])
      let end = Int(a.starts[j + 1])
      if c != 0 || start == end { line("", cols[j], "OBJ", num(c)) }
      for k in start..<end { line("", cols[j], rows[Int(a.rows[k])], num(a.values[k])) }
    }
    if inInteger {
      out += fixed ? "    MARKER                 'MARKER'                 'INTEND'\n" : " MARKER 'MARKER' 'INTEND'\n"
    }
    out += "RHS\n"
    // CoinMpsIO, HiGHS and CPLEX read the objective row's RHS as minus the objective constant.
    if objectiveOffset != 0 { line("", "RHS", "OBJ", num(-objectiveOffset)) }
    for i in 0..<constraintCount {
      let lo = constraintLower[i]
      let hi = constraintUpper[i]
      let rhs = lo == -.infinity ? hi : lo
      if rhs == .infinity { line("", "RHS", rows[i], num(1e30)) } else if rhs != 0 { line("", "RHS", rows[i], num(rhs)) }
    }
    let ranged = (0..<constraintCount).filter {
      constraintLower[$0] != constraintUpper[$0] && constraintLower[$0].isFinite && constraintUpper[$0].isFinite
    }
    if !ranged.isEmpty {
      out += "RANGES\n"
      for i in ranged { line("", "RNG", rows[i], num(constraintUpper[i] - constraintLower[i])) }
    }
    out += "BOUNDS\n"
    for j in 0..<variableCount {
      let lo = variableLower[j]
      let hi = variableUpper[j]
      let integer = variableKinds[j] != .continuous
      if variableKinds[j] == .binary && lo == 0 && hi == 1 {
        line("BV", "BND", cols[j])
      } else if lo == hi {
        line("FX", "BND", cols[j], num(lo))
      } else if lo == -.infinity && hi == .infinity {
        line("FR", "BND", cols[j])
      } else {
        if lo == -.infinity { line("MI", "BND", cols[j]) } else if lo != 0 || integer { line("LO", "BND", cols[j], num(lo)) }
        if hi != .infinity { line("UP", "BND", cols[j], num(hi)) } else if integer { line("PL", "BND", cols[j]) }
      }
    }
    out += "ENDATA\n"
    return out
  }

  /// True for the zero-based columns where fixed-format MPS fields 2–6 start.
  static func isFixedFieldStart(_ column: Int) -> Bool {
    switch column {
    case 4, 14, 24, 39, 49: return true
    default: return false
    }
  }

  static func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
  }

  /// At most 12 characters, for fixed MPS fields 4 and 6.
  static func fixedNumber(_ x: Double) -> String {
    let plain = formatNumber(x)
    if plain.count <= 12 { return plain }
    // Shorten by rounding to fewer significant digits until it fits.
    for digits in stride(from: 11, through: 1, by: -1) {
      let rounded = Model.roundSignificant(x, digits)
      let s = formatNumber(rounded)
      if s.count <= 12 { return s }
    }
    return x < 0 ? "-1e+30" : "1e+30"
  }

  static func roundSignificant(_ x: Double, _ digits: Int) -> Double {
    guard x != 0, x.isFinite else { return x }
    let e = (Swift.abs(x)).exponentBase10
    let scale = pow10(digits - 1 - e)
    return (x * scale).rounded() / scale
  }

  static func commentSafe(_ s: String) -> String {
    String(s.unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : Character($0) })
  }

  // MARK: LP

  func lpText() -> String {
    let (cols, rows) = exportNames(.lp)
    var out = ""
    out.reserveCapacity(32 * (nonzeroCount + variableCount + constraintCount) + 256)
    out += "\\ Lodestone model '\(Model.commentSafe(name))': \(variableCount) variables, \(constraintCount) constraints, \(nonzeroCount) nonzeros\n"
    out += objectiveSense == .maximize ? "Maximize\n" : "Minimize\n"
    var used = [Bool](repeating: false, count: variableCount)
    func appendTerms(_ terms: [(Int, Double)], into s: inout String) {
      var n = 0
      for (j, c) in terms {
        used[j] = true
        if n > 0 && n % 8 == 0 { s += "\n  " }
        let mag = Swift.abs(c)
        let sign = c < 0 ? "-" : (n == 0 ? "" : "+")
        let coef = mag == 1 ? "" : formatNumber(mag) + " "
        s += (n == 0 ? (sign.isEmpty ? "" : sign + " ") : " " + sign + " ") + coef + cols[j]
        n += 1
      }
      if n == 0 && variableCount > 0 { s += "0 " + cols[0] }
    }
    var obj = " obj: "
    appendTerms(objectiveCoefficients.enumerated().filter { $0.element != 0 }.map { ($0.offset, $0.element) }, into: &obj)
    // A constant objective term goes on a variable fixed at 1 (as Pyomo's ONE_VAR_CONSTANT):
    // CBC 2.10's LP reader drops a bare constant when minimising.
    let constantName = "ONE_VAR_CONSTANT" + (cols.contains("ONE_VAR_CONSTANT") ? "~lodestone" : "")
    if objectiveOffset != 0 {
      obj += (objectiveOffset < 0 ? " - " : " + ") + formatNumber(Swift.abs(objectiveOffset)) + " " + constantName
    }
    out += obj + "\n"
    out += "Subject To\n"
    // Row names written so far: the `_lo`/`_hi` halves of a ranged row must not clash with another row.
    var emitted: Set<String> = ["obj"]
    func unique(_ n: String) -> String {
      var candidate = n
      var k = 2
      while emitted.contains(candidate) {
        candidate = n + "~" + String(k)
        k += 1
      }
      emitted.insert(candidate)
      return candidate
    }
    for i in 0..<constraintCount {
      let terms = (rowStarts[i]..<rowStarts[i + 1]).map { (Int(entryColumns[$0]), entryValues[$0]) }
      let lo = constraintLower[i]
      let hi = constraintUpper[i]
      func row(_ name: String, _ op: String, _ rhs: Double) {
        var s = " \(unique(name)): "
        appendTerms(terms, into: &s)
        out += s + " \(op) " + formatNumber(rhs) + "\n"
      }
      if lo == hi {
        row(rows[i], "=", lo)
      } else if lo.isFinite && hi.isFinite {
        row(rows[i] + "_lo", ">=", lo)
        row(rows[i] + "_hi", "<=", hi)
      } else if lo.isFinite {
        row(rows[i], ">=", lo)
      } else if hi.isFinite {
        row(rows[i], "<=", hi)
      } else {
        row(rows[i], "<=", 1e30)
      }
    }
    out += "Bounds\n"
    for j in 0..<variableCount {
      let lo = variableLower[j]
      let hi = variableUpper[j]
      if variableKinds[j] == .binary && lo == 0 && hi == 1 { continue }
      let n = cols[j]
      if lo == hi {
        out += " \(n) = \(formatNumber(lo))\n"
      } else if lo == -.infinity && hi == .infinity {
        out += " \(n) free\n"
      } else if lo == -.infinity {
        out += " -inf <= \(n) <= \(formatNumber(hi))\n"
      } else if hi == .infinity {
        if lo != 0 || !used[j] { out += " \(n) >= \(formatNumber(lo))\n" }
      } else {
        out += " \(formatNumber(lo)) <= \(n) <= \(formatNumber(hi))\n"
      }
    }
    if objectiveOffset != 0 { out += " \(constantName) = 1\n" }
    let generals = (0..<variableCount).filter { variableKinds[$0] == .integer }
    let binaries = (0..<variableCount).filter { variableKinds[$0] == .binary }
    func list(_ title: String, _ idx: [Int]) {
      guard !idx.isEmpty else { return }
      out += title + "\n"
      for chunk in stride(from: 0, to: idx.count, by: 8) {
        out += " " + idx[chunk..<Swift.min(chunk + 8, idx.count)].map { cols[$0] }.joined(separator: " ") + "\n"
      }
    }
    list("Generals", generals)
    list("Binaries", binaries)
    out += "End\n"
    return out
  }
}

extension Double {
  /// ⌊log10 |x|⌋ for finite nonzero x.
  var exponentBase10: Int {
    var e = 0
    var m = Swift.abs(self)
    while m >= 10 { m /= 10; e += 1 }
    while m < 1 { m *= 10; e -= 1 }
    return e
  }
}

func pow10(_ n: Int) -> Double {
  var r = 1.0
  if n >= 0 { for _ in 0..<n { r *= 10 } } else { for _ in 0..<(-n) { r /= 10 } }
  return r
}
