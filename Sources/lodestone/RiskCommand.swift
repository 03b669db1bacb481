import ArgumentParser
import Foundation
import Quantities
import Reports
import Risk
import Simulation
import SupplyChain
import Synchronization

// MARK: - Scenario loading (the lead points this at ScenarioFormat)

/// The scenario a risk command studies: no FILE → the built-in India magnet demo (whose
/// uncertainty spec is built in too); `generated:N` → a generated N-site network (60 months);
/// otherwise a scenario file (or `@india` for the built-in India scenario), decoded like `run`'s.
func loadRiskScenario(path: String?, variant: String?) throws -> Scenario {
  guard let path else { return RiskExamples.indiaMagnets() }
  if path.hasPrefix("generated:") {
    guard let n = Int(path.dropFirst("generated:".count)), n >= 2, n <= 10_000 else {
      throw ValidationError("A generated scenario must be 'generated:N' with N in 2...10000; got '\(path)'.")
    }
    return ScenarioGenerator(sites: n, materials: 4, months: 60).make(seed: 7)
  }
  return try loadScenario(path: path == "@india" ? nil : path, variant: variant)
}

/// The uncertainty spec: from `--uncertainty FILE`, else the demo's when the scenario is the built-in demo.
func loadUncertainty(_ path: String?, scenario: Scenario) throws -> UncertaintySpec {
  let spec: UncertaintySpec
  if let path {
    spec = try UncertaintyDecoder().decode(text: try readText(path), file: path)
  } else if scenario.name == RiskExamples.indiaMagnets().name {
    spec = try UncertaintyDecoder().decode(text: RiskExamples.indiaMagnetsUncertainty, file: "built-in india-magnets-demo uncertainty")
  } else {
    spec = UncertaintySpec(inputs: [])
  }
  try spec.check(against: scenario)
  return spec
}

func horizonMonths(_ text: String?, scenario: Scenario) throws -> Int? {
  guard let text else { return nil }
  guard let ym = try? YearMonth.parse(text) else { throw ValidationError("--horizon must be a month YYYY-MM; got '\(text)'.") }
  let n = ym.months(since: scenario.start) + 1
  guard n >= 1, n <= scenario.months else {
    throw ValidationError("--horizon must be within the scenario, \(scenario.start) to \(scenario.start.adding(months: scenario.months - 1)); got '\(text)'.")
  }
  return n
}

/// A progress bar with an ETA on standard error (only when stderr is a terminal, unless forced).
final class ProgressBar: Sendable {
  let start = ContinuousClock.now
  let last = Mutex<Int>(-1)
  let enabled: Bool
  init(enabled: Bool) { self.enabled = enabled }

  func update(_ done: Int, _ total: Int) {
    guard enabled, total > 0 else { return }
    let pct = done * 100 / total
    let show = last.withLock { l -> Bool in
      if pct > l || done == total { l = pct; return true }
      return false
    }
    guard show else { return }
    let d = ContinuousClock.now - start
    let s = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    let eta = done > 0 ? s * Double(total - done) / Double(done) : 0
    let w = 30, filled = w * done / total
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: w - filled)
    FileHandle.standardError.write(Data("\r[\(bar)] \(pct)% \(done)/\(total) elapsed \(fixedFormat(s, decimals: 1)) s, ETA \(fixedFormat(eta, decimals: 1)) s".utf8))
    if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
  }
}

func num(_ x: Double) -> String { x.isFinite ? formatNumber(x, significantDigits: 6) : "" }

/// The scalar KPI summary of a partial result.
func summaryTable(_ p: RiskPartial, confidence: Double, title: String) -> Table {
  RiskReport.summaryTable(p, confidence: confidence, title: title)
}

/// Writes every merge-reproducible output of a partial result into `dir`.
func writeResults(_ p: RiskPartial, confidence: Double, to dir: String) throws {
  try writeOutput(p.encoded(), to: dir, name: "partial.txt")
  let s = summaryTable(p, confidence: confidence, title: "Monte Carlo summary")
  try writeOutput(s.renderCSV(), to: dir, name: "summary.csv")
  try writeOutput(s.renderJSON(), to: dir, name: "summary.json")
  for (name, svg) in RiskReport.fanCharts(p) { try writeOutput(svg, to: dir, name: "fan-\(name).svg") }
  try writeOutput(RiskReport.monthlyTable(p).renderCSV(), to: dir, name: "monthly.csv")
  var r = Table(columns: ["input", "rank_correlation_with_unmet_kg"])
  let kpi = p.rows.map(\.unmet)
  for (i, name) in p.inputNames.enumerated() { r.append([name, fixedFormat(spearman(p.rows.map { $0.inputs[i] }, kpi), decimals: 4)]) }
  try writeOutput(r.renderCSV(), to: dir, name: "rank-correlation.csv")
}

/// One-at-a-time and rank-correlation tornado of total unmet demand: tornado.csv and tornado.svg.
func writeTornado(_ study: RiskStudy, _ partial: RiskPartial, to out: String) throws {
  let (baseline, bars) = try study.tornado(partial)
  var t = Table(columns: ["input", "unmet_kg_at_p10", "unmet_kg_at_p90", "swing_kg", "rank_correlation"])
  // Swings below 1 g are rounding residue of the engine, shown as 0.
  func kg(_ x: Double) -> String { abs(x) < 1e-3 ? "0" : num(x) }
  for b in bars { t.append([b.input, num(b.low), num(b.high), kg(b.high - b.low), fixedFormat(b.rankCorrelation, decimals: 4)]) }
  t.append(["(all at median)", num(baseline), num(baseline), "0", ""])
  try writeOutput(t.renderCSV(), to: out, name: "tornado.csv")
  let svg = tornadoChart(
    title: "What moves total unmet demand (\(study.base.name))", unit: "t unmet through \(partial.months.last?.description ?? "")", baseline: baseline,
    bars: bars.map { ($0.input, $0.low, $0.high, $0.rankCorrelation) }, scale: 1e-3)
  try writeOutput(svg, to: out, name: "tornado.svg")
}

func parseShard(_ text: String?) throws -> (Int, Int)? {
  guard let text else { return nil }
  let parts = text.split(separator: "/")
  guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else {
    throw ValidationError("--shard must be I/N with 0 ≤ I < N (0-based, e.g. 0/4 … 3/4); got '\(text)'.")
  }
  return (i, n)
}

// MARK: - lodestone risk

struct RiskCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "risk",
    abstract: "Monte Carlo risk: unmet demand by sector and month, its value, recovery after bans, tornado.",
    discussion: "Runs N futures of the monthly engine, each perturbed by the uncertain inputs (--uncertainty FILE; the built-in demo has its own). "
      + "Replication r draws from a stream keyed by (seed, r, input), so the output is identical for any --threads and any --shard split merged with 'lodestone merge'. "
      + "Examples: lodestone risk --runs 10000 --seed 42 --out out/ --tornado; lodestone risk --runs 100000 --shard 0/8 --out part-0; "
      + "lodestone risk --compare reserves/ev-reserve/target=1500000.")

  @Argument(help: "Scenario (default: the built-in India magnet demo; 'generated:N' for a generated network).") var file: String?
  @Option(help: "Scenario variant.") var variant: String?
  @Option(help: "Uncertain inputs (YAML; see docs/risk.md).") var uncertainty: String?
  @Option(help: "Number of replications (the maximum with --precision).") var runs: Int = 1000
  @Option(help: "Random seed.") var seed: UInt64 = 1
  @Option(help: "Last month counted, YYYY-MM (default: the scenario's last month).") var horizon: String?
  @Option(help: "Run only replications I, I+N, … (0-based I/N) and write a partial result to --out.") var shard: String?
  @Option(help: "Confidence level of the interval half-widths (0…1).") var confidence: Double = 0.9
  @Option(help: "Stop when the confidence half-width of --stop-kpi's mean is at most this (its unit).") var precision: Double?
  @Option(help: "KPI the stopping rule watches.") var stopKpi: String = "shortfall-any"
  @Option(help: "Worker threads (default: all cores). Results do not depend on it.") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
  @Option(help: "Directory for CSV/JSON/SVG outputs and partial.txt.") var out: String?
  @Option(help: "Compare with a variant on the same futures: NAME=VALUE (repeatable), e.g. reserves/ev-reserve/target=1000000.") var compare: [String] = []
  @Flag(help: "Also run the one-at-a-time tornado (2 runs per input) and write tornado.csv/svg to --out.") var tornado = false
  @Flag(help: "Show the progress bar even when stderr is not a terminal.") var progress = false
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

  func validate() throws {
    guard runs >= 1 else { throw ValidationError("--runs must be ≥ 1; got \(runs).") }
    guard confidence > 0, confidence < 1 else { throw ValidationError("--confidence must be in (0, 1); got \(confidence).") }
    guard threads >= 1 else { throw ValidationError("--threads must be ≥ 1; got \(threads).") }
    if let p = precision, !(p > 0) { throw ValidationError("--precision must be > 0; got \(p).") }
    if shard != nil, out == nil { throw ValidationError("--shard needs --out DIR for the partial result.") }
    if shard != nil, precision != nil { throw ValidationError("--precision (adaptive stopping) cannot be combined with --shard; shards run a fixed --runs.") }
  }

  func run() throws {
    try reportingErrors {
      let scenario = try loadRiskScenario(path: file, variant: variant)
      let spec = try loadUncertainty(uncertainty, scenario: scenario)
      let study = RiskStudy(base: scenario, spec: spec, seed: seed, horizon: try horizonMonths(horizon, scenario: scenario))
      if precision != nil, !study.scalarNames.contains(stopKpi) {
        throw ValidationError("--stop-kpi must be one of " + study.scalarNames.map { "'\($0)'" }.joined(separator: ", ") + "; got '\(stopKpi)'.")
      }
      if !compare.isEmpty {
        guard shard == nil, precision == nil else { throw ValidationError("--compare runs all --runs futures on one machine; it cannot be combined with --shard or --precision.") }
        var changes: [(UncertainTarget, Double)] = []
        for c in compare {
          guard let eq = c.firstIndex(of: "="), let v = Double(c[c.index(after: eq)...]) else { throw ValidationError("--compare must be NAME=VALUE with a number; got '\(c)'.") }
          let name = String(c[..<eq])
          switch UncertainTarget.parse(path: name) {
          case .success(let t):
            do { try UncertaintySpec(inputs: [UncertainInput(name: name, target: t, distribution: .fixed(v))]).check(against: scenario) } catch { throw ValidationError("--compare: \(error)") }
            changes.append((t, v))
          case .failure(let r): throw ValidationError("--compare: " + r.message)
          }
        }
        let rows = try study.compare(changes: changes, replications: MonteCarlo.replications(runs: runs), confidence: confidence, threads: threads)
        var t = Table(
          title: "Base vs variant (\(compare.joined(separator: ", "))) on the same \(runs) futures, seed \(seed)",
          columns: ["kpi", "base_mean", "variant_mean", "difference", "ci_half_width", "p_variant_better", "p_variant_worse"])
        for r in rows { t.append([r.kpi, num(r.base), num(r.variant), num(r.difference), num(r.halfWidth), num(r.better), num(r.worse)]) }
        printTable(t, format)
        if let out { try writeOutput(t.renderCSV(), to: out, name: "comparison.csv") }
        return
      }
      let mc = MonteCarlo(study: study, threads: threads)
      let bar = ProgressBar(enabled: progress || isatty(2) != 0)
      let partial: RiskPartial
      if let p = precision {
        partial = try mc.runUntil(kpi: stopKpi, halfWidth: p, confidence: confidence, maxRuns: runs, progress: bar.update)
      } else {
        let (i, n) = try parseShard(shard) ?? (0, 1)
        partial = try mc.run(MonteCarlo.replications(runs: runs, shard: i, of: n), progress: bar.update)
      }
      let title = "Monte Carlo summary: \(scenario.name), \(partial.replications) replications, seed \(seed)" + (shard.map { ", shard \($0)" } ?? "")
      printTable(summaryTable(partial, confidence: confidence, title: title), format)
      if let out {
        try writeResults(partial, confidence: confidence, to: out)
        if tornado, shard == nil { try writeTornado(study, partial, to: out) }
      }
    }
  }
}

// MARK: - lodestone merge

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge", abstract: "Merge partial results of 'risk --shard I/N' runs exactly into the single-machine result.")

  @Argument(help: "partial.txt files (or directories containing one).") var parts: [String]
  @Option(help: "Directory for the merged outputs.") var out: String
  @Option(help: "Confidence level of the interval half-widths (0…1).") var confidence: Double = 0.9
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

  func validate() throws {
    guard !parts.isEmpty else { throw ValidationError("merge needs at least one partial result file.") }
    guard confidence > 0, confidence < 1 else { throw ValidationError("--confidence must be in (0, 1); got \(confidence).") }
  }

  func run() throws {
    try reportingErrors {
      var merged: RiskPartial?
      for path in parts {
        var isDir: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue ? path + "/partial.txt" : path
        let p = try RiskPartial(decoding: try readText(file), file: file)
        if merged == nil { merged = p.emptyCopy() }
        do { try merged?.merge(p) } catch { throw DataError("\(file): \(error)") }
      }
      guard let m = merged else { return }
      printTable(summaryTable(m, confidence: confidence, title: "Monte Carlo summary: merged \(parts.count) part(s), \(m.replications) replications, seed \(m.seed)"), format)
      try writeResults(m, confidence: confidence, to: out)
    }
  }
}

// MARK: - lodestone reserve

struct ReserveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reserve",
    abstract: "Size a strategic reserve: the smallest level that fully serves its demands through a horizon in a share of futures.")

  @Argument(help: "Scenario (default: the built-in India magnet demo).") var file: String?
  @Option(help: "Scenario variant.") var variant: String?
  @Option(help: "Uncertain inputs (YAML).") var uncertainty: String?
  @Option(help: "Material held in the reserve.") var material: String
  @Option(help: "Reserve id to size (default: the scenario's reserve of the material, or a new one).") var reserve: String?
  @Option(help: "Service target: share of futures with no shortfall of the covered demands (0…1).") var service: Double = 0.95
  @Option(help: "Last month the service must hold, YYYY-MM.") var horizon: String?
  @Option(help: "Holding cost in USD per kg per year (default: the reserve's).") var holdingCost: Double?
  @Option(help: "Number of futures (common random numbers for every level tried).") var runs: Int = 500
  @Option(help: "Random seed.") var seed: UInt64 = 1
  @Option(help: "Worker threads.") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
  @Option(help: "Directory for the sized reserve's fan charts, tornado and summary.") var out: String?
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

  func validate() throws {
    guard service > 0, service <= 1 else { throw ValidationError("--service must be in (0, 1]; got \(service).") }
    guard runs >= 1 else { throw ValidationError("--runs must be ≥ 1; got \(runs).") }
    if let h = holdingCost, h < 0 { throw ValidationError("--holding-cost must be ≥ 0 USD/kg/yr; got \(h).") }
  }

  func run() throws {
    try reportingErrors {
      let scenario = try loadRiskScenario(path: file, variant: variant)
      let spec = try loadUncertainty(uncertainty, scenario: scenario)
      let study = RiskStudy(base: scenario, spec: spec, seed: seed, horizon: try horizonMonths(horizon, scenario: scenario))
      let sizing = try ReserveSizing(study: study, material: MaterialID(material), reserveID: reserve.map { ReserveID($0) }, holdingCost: holdingCost, runs: runs, threads: threads)
      guard let r = try sizing.size(service: service) else {
        throw DataError("No reserve of '\(material)' up to 100 years of its covered demand reaches a service of \(service): the shortfalls are not ones a reserve at '\(sizing.reserve.site)' can cover (check the reserve's sectors and site).")
      }
      let t = RiskReport.reserveTable(sizing, r, material: material, service: service, runs: runs)
      printTable(t, format)
      if let out {
        var s = sizing.study.base
        for k in s.reserves.indices where s.reserves[k].id == sizing.reserve.id {
          s.reserves[k].target = r.level
          s.reserves[k].initial = r.level
        }
        let sized = RiskStudy(base: s, spec: spec, seed: seed, horizon: study.horizon)
        let p = try MonteCarlo(study: sized, threads: threads).run(MonteCarlo.replications(runs: runs))
        try writeResults(p, confidence: 0.9, to: out)
        try writeTornado(sized, p, to: out)
        try writeOutput(t.renderCSV(), to: out, name: "reserve.csv")
      }
    }
  }
}

// MARK: - lodestone sweep

struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep", abstract: "Grid or Latin-hypercube sweep over named scenario parameters, a Monte Carlo at each point, as a tidy table.")

  @Argument(help: "Scenario (default: the built-in India magnet demo).") var file: String?
  @Option(help: "Scenario variant.") var variant: String?
  @Option(help: "Uncertain inputs (YAML).") var uncertainty: String?
  @Option(name: .customLong("param"), help: "NAME=v1,v2,… for a grid, or NAME=min:max with --lhs; NAME like 'policies/cn-licence/approval'.") var params: [String] = []
  @Option(help: "Latin-hypercube points (parameters given as NAME=min:max).") var lhs: Int?
  @Option(help: "Replications per point.") var runs: Int = 200
  @Option(help: "Random seed (the same futures at every point).") var seed: UInt64 = 1
  @Option(help: "Last month counted, YYYY-MM.") var horizon: String?
  @Option(help: "Worker threads.") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
  @Option(help: "Directory for sweep.csv.") var out: String?
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

  func validate() throws {
    guard !params.isEmpty else { throw ValidationError("sweep needs at least one --param NAME=values.") }
    guard runs >= 1 else { throw ValidationError("--runs must be ≥ 1; got \(runs).") }
    if let k = lhs, k < 1 { throw ValidationError("--lhs must be ≥ 1; got \(k).") }
  }

  func parseValue(_ s: String, _ target: UncertainTarget, _ name: String) throws -> Double {
    if let x = Double(s) { return x }
    if let q = try? Quantity.parse(s, as: .time), target.path.hasSuffix("delay") || target.path.hasSuffix("duration") || target.path.hasSuffix("shift") { return q.si / secondsPerMonth }
    throw ValidationError("values of --param '\(name)' must be numbers; got '\(s)'.")
  }

  func run() throws {
    try reportingErrors {
      let scenario = try loadRiskScenario(path: file, variant: variant)
      let spec = try loadUncertainty(uncertainty, scenario: scenario)
      var sweep: [SweepParameter] = []
      for p in params {
        guard let eq = p.firstIndex(of: "=") else { throw ValidationError("--param must be NAME=values; got '\(p)'.") }
        let name = String(p[..<eq]), rest = String(p[p.index(after: eq)...])
        let target: UncertainTarget
        switch UncertainTarget.parse(path: name) {
        case .success(let t): target = t
        case .failure(let r): throw ValidationError("--param: " + r.message)
        }
        let spec1 = UncertaintySpec(inputs: [UncertainInput(name: name, target: target, distribution: .fixed(0))])
        do { try spec1.check(against: scenario) } catch { throw ValidationError("--param: \(error)") }
        let values: [Double]
        if lhs != nil {
          let r = rest.split(separator: ":").map(String.init)
          guard r.count == 2 else { throw ValidationError("with --lhs, --param must be NAME=min:max; got '\(p)'.") }
          values = [try parseValue(r[0], target, name), try parseValue(r[1], target, name)]
        } else {
          values = try rest.split(separator: ",").map { try parseValue(String($0), target, name) }
          guard !values.isEmpty else { throw ValidationError("--param '\(name)' needs at least one value.") }
        }
        sweep.append(SweepParameter(target: target, values: values))
      }
      let points = try runSweep(
        base: scenario, spec: spec, params: sweep, design: lhs.map { .latinHypercube(points: $0) } ?? .grid, seed: seed, runs: runs, horizon: try horizonMonths(horizon, scenario: scenario), threads: threads)
      var t = Table(
        title: "Sweep: \(points.count) point(s) × \(runs) futures, seed \(seed)",
        columns: ["point"] + sweep.map(\.target.path) + ["p_shortfall", "mean_unmet_kg", "p95_unmet_kg", "mean_unmet_value_usd", "mean_shortfall_months"])
      for (k, pt) in points.enumerated() {
        let p = pt.partial
        let s = p.scalar("shortfall-any") ?? KPIStatistics(), u = p.scalar("unmet-kg") ?? KPIStatistics(), v = p.scalar("unmet-value-usd") ?? KPIStatistics(), m = p.scalar("shortfall-months") ?? KPIStatistics()
        t.append([String(k + 1)] + pt.values.map(num) + [num(s.mean), num(u.mean), num(u.quantile(0.95)), num(v.mean), num(m.mean)])
      }
      printTable(t, format)
      if let out { try writeOutput(t.renderCSV(), to: out, name: "sweep.csv") }
    }
  }
}
