import ArgumentParser
import Foundation
import Magnets
import QualityControl
import Quantities
import Reports

struct QC: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "qc",
    abstract: "Quality control of magnet production: control charts, capability, grade conformance per lot.",
    subcommands: [Chart.self, Capability.self, Conformance.self])

  enum ChartType: String, ExpressibleByArgument, CaseIterable {
    case xbarR = "xbar-r", xbarS = "xbar-s", imr = "i-mr", ewma, cusum
  }

  /// Options shared by `chart` and `capability`: the file, the column and how to group it.
  struct Source: ParsableArguments {
    @Argument(help: "Specimen record CSV (columns lot[,time,grade,specimen], then measurements such as 'Br [T]').")
    var file: String
    @Option(help: "The column to analyse, e.g. Br, HcJ, HcB, BHmax, density, or any numeric column.")
    var property: String
    @Option(help: "σ estimator: rbar (R̄/d2), sbar (S̄/c4), pooled, mvlue-r, mvlue-s, mr (moving range). Default: qcc's for the chart.")
    var sigma: SigmaEstimator?
    @Option(help: "Use only the first N subgroups to compute centre and σ (phase I); the rest are monitored.")
    var calibration: Int?
    @Flag(help: "Treat every specimen as its own subgroup (individual values in file order).")
    var individuals = false
    @Flag(name: .customLong("by-time"), help: "Order records by the time column (ISO 8601 text) instead of file order.")
    var byTime = false
    @Option(help: "Width of the control limits in σ.") var nsigmas: Double = 3
    @Option(help: "d2/d3 constants: qcc (qcc 3.0's tables, default) or exact (numerical integration, as Minitab).")
    var constants: ChartConstants.Source = .qcc
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

    func load() throws -> (SpecimenTable, Int) {
      let text = try readText(file)
      let name = URL(fileURLWithPath: file).lastPathComponent
      var table: SpecimenTable
      do {
        table = try SpecimenCSV.parse(text, source: name)
        if byTime { table = try table.sortedByTime() }
      } catch { throw DataError(error.description) }
      guard let c = table.columnIndex(named: property) else {
        throw ValidationError("--property must name a numeric column of \(name): \(table.columns.map(\.name).joined(separator: ", ")); got '\(property)'.")
      }
      return (table, c)
    }
  }

  static func num(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "" }
    return formatNumber(x, significantDigits: 7)
  }

  static func parseRules(_ text: String, k: [String]) throws -> RuleSet {
    let t = text.lowercased()
    var set: RuleSet
    func numbers(_ s: Substring, max: Int) throws -> [Int] {
      var out: [Int] = []
      for part in s.split(separator: ",") {
        let range = part.split(separator: "-")
        guard let a = Int(range[0]), let b = Int(range.count > 1 ? range[1] : range[0]), a >= 1, b <= max, a <= b else {
          throw ValidationError("--rules numbers must be in 1…\(max), e.g. we:1,4 or nelson:1-8; got '\(text)'.")
        }
        out += Array(a...b)
      }
      return out
    }
    if t == "none" { set = RuleSet(rules: []) }
    else if t == "we" || t == "western-electric" { set = .westernElectric([1, 2, 3, 4]) }
    else if t == "nelson" { set = .nelson(Array(1...8)) }
    else if t == "qcc" { set = .qccDefault }
    else if t.hasPrefix("we:") { set = .westernElectric(try numbers(t.dropFirst(3), max: 4)) }
    else if t.hasPrefix("nelson:") { set = .nelson(try numbers(t.dropFirst(7), max: 8)) }
    else {
      throw ValidationError("--rules must be one of qcc (WE 1 and 4), we, nelson, we:<list>, nelson:<list>, none; got '\(text)'.")
    }
    for kv in k {
      let p = kv.split(separator: "=")
      guard p.count == 2, let v = Double(p[1]), v > 0 else {
        throw ValidationError("--rule-k must be LABEL=K with K positive, e.g. N2=7; got '\(kv)'.")
      }
      guard set.setK(v, for: String(p[0])) else {
        throw ValidationError("--rule-k must name an enabled rule (\(set.rules.map(\.label).joined(separator: ", "))); got '\(p[0])'.")
      }
    }
    return set
  }

  struct Chart: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Control chart (X̄-R, X̄-S, I-MR, EWMA or CUSUM) of one property, with run rules and flagged points.")
    @OptionGroup var source: Source
    @Option(help: "Chart type: xbar-r, xbar-s, i-mr, ewma, cusum.") var type: ChartType = .xbarR
    @Option(help: "Run rules: qcc (WE 1 and 4, qcc's default), we, nelson, we:1,2, nelson:1-3,5, none.")
    var rules: String = "qcc"
    @Option(name: .customLong("rule-k"), help: "Set a rule's K, e.g. N2=7 (run length), WE2=2 (points of K+1 beyond 2σ).")
    var ruleK: [String] = []
    @Option(help: "EWMA smoothing λ (qcc default 0.2).") var lambda: Double = 0.2
    @Option(help: "CUSUM decision interval h in standard errors (qcc default 5).") var h: Double = 5
    @Option(help: "CUSUM shift to detect in standard errors (k = shift/2; qcc default 1).") var shift: Double = 1
    @Option(help: "Write chart SVG, CSV and JSON to this directory.") var out: String?

    func run() throws {
      try reportingErrors {
        let (table, c) = try source.load()
        let col = table.columns[c]
        let f = col.factor
        let unit = col.unit.isEmpty ? "" : " [\(col.unit)]"
        var opts = ChartOptions()
        opts.nsigmas = source.nsigmas
        opts.calibration = source.calibration
        opts.sigma = source.sigma
        opts.constants = source.constants
        opts.rules = try QC.parseRules(rules, k: ruleK)
        guard source.nsigmas > 0 else { throw ValidationError("--nsigmas must be positive; got \(source.nsigmas).") }
        let individuals = source.individuals || type == .imr
        let (groups, missing): ([Subgroup], Int) =
          individuals ? table.individuals(column: c) : { let g = table.subgroups(column: c); return (g, g.reduce(0) { $0 + $1.missing }) }()
        let note = missing > 0 ? "; \(missing) empty cells not charted" : ""
        var svgs: [(String, String)] = []
        var result = Table(columns: [])
        do {
          switch type {
          case .xbarR, .xbarS, .imr:
            let pair = type == .imr
              ? try individualsChart(groups.map { $0.values[0] }, labels: groups.map(\.label), options: opts)
              : try xbarChart(groups, dispersion: type == .xbarR ? .range : .standardDeviation, options: opts)
            (result, svgs) = QCCharts.shewhartReport(pair, chart: type.rawValue, individuals: type == .imr, column: col, source: table.source, options: opts, note: note)
          case .ewma:
            let e = try ewmaChart(groups, lambda: lambda, options: opts)
            let beyond = Set(e.flagged)
            result = Table(
              title: "EWMA chart of \(col.name)\(unit), \(table.source): λ \(QC.num(lambda)), \(QC.num(source.nsigmas))σ limits, CL \(QC.num(e.center / f)), σ \(QC.num(e.sigma / f)), calibration \(e.calibrationCount); flagged \(e.flagged.count)\(note)",
              columns: ["index", "subgroup", "n", "statistic", "ewma", "lcl", "ucl", "flag"])
            for i in e.ewma.indices {
              result.append([String(i + 1), e.labels[i], String(e.sizes[i]), QC.num(e.statistics[i] / f), QC.num(e.ewma[i] / f), QC.num(e.lcl[i] / f), QC.num(e.ucl[i] / f), beyond.contains(i) ? "beyond" : ""])
            }
            svgs.append(("ewma.svg", QCCharts.ewma(e, title: "EWMA chart: \(col.name)", yLabel: "\(col.name)\(unit)", scale: f)))
          case .cusum:
            let cs = try cusumChart(groups, decisionInterval: h, shift: shift, options: opts)
            let above = Set(cs.flaggedUpper)
            let below = Set(cs.flaggedLower)
            result = Table(
              title: "CUSUM chart of \(col.name)\(unit), \(table.source): h \(QC.num(h)), k \(QC.num(shift / 2)) (standard errors), CL \(QC.num(cs.center / f)), σ \(QC.num(cs.sigma / f)), calibration \(cs.calibrationCount); signals \(cs.flaggedUpper.count) above, \(cs.flaggedLower.count) below\(note)",
              columns: ["index", "subgroup", "n", "statistic", "c_plus", "c_minus", "flag"])
            for i in cs.upper.indices {
              let flag = [above.contains(i) ? "above" : nil, below.contains(i) ? "below" : nil].compactMap { $0 }.joined(separator: " ")
              result.append([String(i + 1), cs.labels[i], String(cs.sizes[i]), QC.num(cs.statistics[i] / f), QC.num(cs.upper[i]), QC.num(cs.lower[i]), flag])
            }
            svgs.append(("cusum.svg", QCCharts.cusum(cs, title: "CUSUM chart: \(col.name)")))
          }
        } catch let e as ChartError {
          throw DataError("\(table.source), column '\(col.header)': \(e.message)")
        }
        printTable(result, source.format)
        if let dir = out {
          try writeOutput(result.renderCSV(), to: dir, name: "\(type.rawValue).csv")
          try writeOutput(result.renderJSON(), to: dir, name: "\(type.rawValue).json")
          for (name, svg) in svgs { try writeOutput(svg, to: dir, name: name) }
        }
      }
    }
  }

  struct Capability: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Process capability (Cp, Cpk, Cpm, Pp, Ppk, Ppm) of one property against one- or two-sided limits.")
    @OptionGroup var source: Source
    @Option(help: "Lower specification limit, in the column's unit or with a unit (e.g. '1.28 T').") var lsl: String?
    @Option(help: "Upper specification limit, in the column's unit or with a unit.") var usl: String?
    @Option(help: "Target for Cpm/Ppm (default: midpoint of two-sided limits).") var target: String?
    @Option(help: "Also write capability.csv, capability.json and a histogram capability.svg to this directory.") var out: String?
    @Option(help: "Confidence level of the index intervals (0 < level < 1).") var confidence: Double = 0.95

    func spec(_ text: String?, _ col: MeasurementColumn, _ what: String) throws -> Double? {
      guard let text else { return nil }
      if let v = Double(text), v.isFinite { return v * col.factor }
      if let p = col.property {
        do { return try parseValue(text, property: p, source: "--\(what)", line: 0, column: what) } catch {
          throw ValidationError("--\(what) must be a number in \(col.unit) or '<number> <unit>' with unit one of \(p.units.map(\.symbol).joined(separator: ", ")); got '\(text)'.")
        }
      }
      throw ValidationError("--\(what) must be a number in the column's unit\(col.unit.isEmpty ? "" : " (\(col.unit))"); got '\(text)'.")
    }

    func run() throws {
      try reportingErrors {
        let (table, c) = try source.load()
        let col = table.columns[c]
        let f = col.factor
        let s = SpecLimits(lower: try spec(lsl, col, "lsl"), upper: try spec(usl, col, "usl"), target: try spec(target, col, "target"))
        guard s.lower != nil || s.upper != nil else { throw ValidationError("give --lsl, --usl or both.") }
        var groups = source.individuals ? table.individuals(column: c).subgroups : table.subgroups(column: c)
        if let m = source.calibration {
          guard m >= 2 && m <= groups.count else { throw ValidationError("--calibration must be in 2…\(groups.count); got \(m).") }
          groups = Array(groups.prefix(m))
        }
        let r: CapabilityResult
        var chartNote = ""
        do {
          guard confidence > 0 && confidence < 1 else { throw ValidationError("--confidence must be between 0 and 1; got \(confidence).") }
          r = try capability(groups.map(\.values), spec: s, estimator: source.sigma, nsigmas: source.nsigmas, confidenceLevel: confidence, constants: source.constants)
          // Capability means little for a process out of control: check the X̄ (or I) chart.
          var o = ChartOptions()
          o.sigma = r.estimator
          o.constants = source.constants
          let flagged = try groups.contains { $0.values.count < 2 }
            ? individualsChart(groups.flatMap(\.values), labels: groups.map(\.label), options: o).location.flaggedIndices.count
            : xbarChart(groups, dispersion: .standardDeviation, options: o).location.flaggedIndices.count
          chartNote = flagged == 0 ? "yes (no point flagged by WE1/WE4)" : "no: \(flagged) points flagged by WE1/WE4; indices do not predict conformance"
        } catch let e as ChartError {
          throw DataError("\(table.source), column '\(col.header)': \(e.message)")
        }
        let u = col.unit
        let level = QC.num(confidence * 100)
        var t = Table(
          title: "Capability of \(col.name) in \(table.source) (\(r.count) values, σ within by \(r.estimator.rawValue), \(level) % intervals)",
          columns: ["quantity", "value", "ci_lower", "ci_upper", "unit"])
        t.append(["n", String(r.count), "", "", ""])
        t.append(["lsl", QC.num(s.lower.map { $0 / f }), "", "", u])
        t.append(["usl", QC.num(s.upper.map { $0 / f }), "", "", u])
        t.append(["target", QC.num((s.target ?? s.lower.flatMap { l in s.upper.map { (l + $0) / 2 } }).map { $0 / f }), "", "", u])
        t.append(["center", QC.num(r.center / f), "", "", u])
        t.append(["sigma_within", QC.num(r.sigmaWithin / f), "", "", u])
        t.append(["sigma_overall", QC.num(r.sigmaOverall / f), "", "", u])
        for iv in r.intervals { t.append([iv.name, QC.num(iv.value), QC.num(iv.lower), QC.num(iv.upper), ""]) }
        t.append(["expected_below_lsl", QC.num(r.expectedBelow.map { $0 * 1e6 }), "", "", "ppm"])
        t.append(["expected_above_usl", QC.num(r.expectedAbove.map { $0 * 1e6 }), "", "", "ppm"])
        t.append(["observed_below_lsl", QC.num(r.observedBelow.map { $0 * 1e6 }), "", "", "ppm"])
        t.append(["observed_above_usl", QC.num(r.observedAbove.map { $0 * 1e6 }), "", "", "ppm"])
        t.append(["in_control", chartNote, "", "", ""])
        printTable(t, source.format)
        if let out {
          try writeOutput(t.renderCSV(), to: out, name: "capability.csv")
          try writeOutput(t.renderJSON(), to: out, name: "capability.json")
          let svg = QCCharts.capability(groups.flatMap(\.values), r, title: "Capability: \(col.name)", xLabel: "\(col.name)\(u.isEmpty ? "" : " [\(u)]")", scale: f)
          try writeOutput(svg, to: out, name: "capability.svg")
        }
      }
    }
  }

  struct Conformance: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Lot report: each lot's specimens against its grade's minimum (and maximum) limits, and why a lot fails.")
    @Argument(help: "Specimen record CSV with lot and grade columns.") var file: String
    @Option(help: "Grade limits CSV: grade,property,min,max with units, e.g. 'N42H,HcJ,1353 kA/m,'. Default: the magnet grade catalogue (`lodestone magnet grades`), with --grades for your own grade file.") var limits: String?
    @Option(help: "A grade catalogue CSV (the format of `lodestone magnet grades --format csv`) to add to the built-in one when --limits is not given.") var grades: String?
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
    @Option(help: "Also write lot-report.csv/json and lot-properties.csv to this directory.") var out: String?
    @Option(help: "Run rules for the per-grade X̄-R charts behind control_signals (see qc chart --rules).") var rules: String = "qcc"

    func run() throws {
      try reportingErrors {
        let name = URL(fileURLWithPath: file).lastPathComponent
        let lname = limits.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "the magnet grade catalogue"
        let table: SpecimenTable
        let grades: [GradeLimits]
        do {
          table = try SpecimenCSV.parse(try readText(file), source: name)
          if let limits {
            grades = try GradeLimits.parseCSV(try readText(limits), source: lname)
          } else {
            grades = try catalogueLimits(extra: self.grades)
          }
        } catch let e as QCDataError { throw DataError(e.description) }
        let reports = conformance(table, limits: grades, controlRules: try QC.parseRules(rules, k: []))
        let bad = reports.filter { $0.status != .conforming }.count
        var t = Table(
          title: "Lot conformance of \(name) against \(lname): \(reports.count - bad) of \(reports.count) lots conforming",
          columns: ["lot", "grade", "specimens", "status", "conforming_fraction", "reasons", "control_signals"])
        for r in reports {
          t.append([r.lot, r.grade, String(r.specimens), r.status.rawValue, QC.num(r.conformingFraction), r.reasons.joined(separator: "; "), r.controlSignals.joined(separator: "; ")])
        }
        printTable(t, format)
        if let out {
          var d = Table(columns: ["lot", "grade", "property", "unit", "minimum", "maximum", "measured", "missing", "below_min", "above_max", "lowest", "mean", "highest"])
          for r in reports {
            for c in r.checks {
              let (u, s) = displayUnit(c.property)
              d.append([r.lot, r.grade, c.property.rawValue, u, QC.num(c.minimum.map { $0 / s }), QC.num(c.maximum.map { $0 / s }), String(c.measured), String(c.missing), String(c.belowMinimum), String(c.aboveMaximum), QC.num(c.lowest.map { $0 / s }), QC.num(c.mean.map { $0 / s }), QC.num(c.highest.map { $0 / s })])
            }
          }
          try writeOutput(t.renderCSV(), to: out, name: "lot-report.csv")
          try writeOutput(t.renderJSON(), to: out, name: "lot-report.json")
          try writeOutput(d.renderCSV(), to: out, name: "lot-properties.csv")
        }
      }
    }

    func displayUnit(_ p: MagnetProperty) -> (String, Double) {
      switch p {
      case .br: ("T", 1)
      case .hcj, .hcb: ("kA/m", 1e3)
      case .bhMax: ("kJ/m3", 1e3)
      case .density: ("g/cm3", 1e3)
      case .length, .width, .height, .diameter: ("mm", 1e-3)
      }
    }
  }
}

extension SigmaEstimator: ExpressibleByArgument {}
extension ChartConstants.Source: ExpressibleByArgument {}

/// Minimum (and maximum) property limits of every grade in the magnet catalogue (built in, plus
/// a user grade file): Br between its minimum and maximum, HcJ, HcB (when sourced) and (BH)max
/// at least their minimums, in SI as QualityControl expects.
func catalogueLimits(extra path: String?) throws -> [GradeLimits] {
  var catalog = GradeCatalog.builtIn
  if let path {
    do {
      let user = try GradeCatalog(csv: try readText(path), source: URL(fileURLWithPath: path).lastPathComponent)
      catalog = GradeCatalog(grades: catalog.grades.filter { g in !user.grades.contains { $0.name == g.name } } + user.grades)
    } catch let e as GradeTableError { throw DataError(e.description) }
  }
  return catalog.grades.map { g in
    var minimum: [MagnetProperty: Double] = [.br: g.brMin, .hcj: g.hcjMin, .bhMax: g.bhMaxMin]
    if let hcb = g.hcbMin { minimum[.hcb] = hcb }
    return GradeLimits(grade: g.name, minimum: minimum, maximum: [.br: g.brMax])
  }.sorted { $0.grade < $1.grade }
}
