import Dispatch
import Foundation
import Quantities
import Simulation
import SupplyChain
import Synchronization

/// A Monte Carlo study: a base scenario, its uncertain inputs, a seed and the months counted.
public struct RiskStudy: Sendable {
  public var base: Scenario
  public var spec: UncertaintySpec
  public var seed: UInt64
  /// Months counted from the scenario start (1…`base.months`); later months are simulated but not counted.
  public var horizon: Int
  /// A month counts as a shortfall when unmet demand exceeds this fraction of the month's
  /// requirement (default 0.001 = 0.1 %), so rounding-level gaps do not count as failures.
  public var shortfallTolerance: Double = 0.001
  /// Sectors with demand in the base scenario, in `Sector` order.
  public let sectors: [Sector]
  let perturbation: Perturbation
  let valuePerUnit: [DemandID: Double]
  let banTargets: Set<String>

  public init(base: Scenario, spec: UncertaintySpec, seed: UInt64, horizon: Int? = nil) {
    self.base = base
    self.spec = spec
    self.seed = seed
    self.horizon = min(base.months, max(1, horizon ?? base.months))
    sectors = Array(Set(base.demands.map(\.sector))).sorted()
    perturbation = Perturbation(spec: spec, seed: seed)
    var v: [DemandID: Double] = [:]
    for d in base.demands { v[d.id] = d.valuePerUnit ?? 0 }
    valuePerUnit = v
    var bans = Set<String>()
    for i in spec.inputs {
      switch i.target {
      case .policyDuration(let id), .policyStartShift(let id), .policyOccurs(let id), .policyMonthly(let id): bans.insert(id.rawValue)
      default: break
      }
    }
    banTargets = bans
  }

  /// Names of the per-month KPI series: unmet demand (kg/month) per sector, then the total.
  public var seriesNames: [String] { sectors.map { "unmet-kg:\($0.rawValue)" } + ["unmet-kg:total"] }

  /// Names of the per-replication KPIs (through the horizon): total unmet kg, its value in USD,
  /// whether any shortfall occurred (0/1), months with a shortfall, months to recover after the
  /// last uncertain ban ends (only replications where one ends before the horizon), and unmet kg per sector.
  public var scalarNames: [String] {
    ["unmet-kg", "unmet-value-usd", "shortfall-any", "shortfall-months", "recovery-months"] + sectors.map { "unmet-kg:\($0.rawValue)" }
  }

  /// The months counted.
  public var months: [YearMonth] { (0..<horizon).map { base.start.adding(months: $0) } }

  /// A stable identity of the study (scenario shape, inputs, seed, horizon) that partial results must share to merge.
  public var fingerprint: String {
    var text = "\(shortfallTolerance)|\(base.name)|\(base.start)|\(base.months)|\(horizon)|\(seed)|\(base.demands.count)|\(base.policies.count)|\(base.processes.count)|\(base.reserves.map { "\($0.id)=\($0.target)" })"
    for i in spec.inputs { text += "|\(i.name)=\(i.target.path)~\(i.distribution)@\(i.driver ?? "")" }
    if let c = spec.copula { text += "|copula \(c.inputs) \(c.matrix)" }
    return String(fnv1a(text), radix: 16)
  }

  /// One replication's KPIs.
  public struct Outcome: Sendable {
    /// series × month (see `seriesNames`), kg per month.
    public var series: [[Double]]
    /// See `scalarNames`; `nil` where not observed (recovery without a ban).
    public var scalars: [Double?]
    /// Each input's realised value.
    public var inputs: [Double]
  }

  /// The perturbed scenario of replication `r`.
  public func perturbation(replication r: Int) -> Scenario { perturbation.apply(to: base, replication: r).scenario }

  /// Runs replication `r` (deterministic: depends only on the study and `r`).
  public func outcome(replication r: Int, override: [Double?]? = nil) throws(RiskRunError) -> Outcome {
    let (s, values) = perturbation.apply(to: base, replication: r, override: override)
    return try outcome(of: s, inputs: values, replication: r)
  }

  func outcome(of s: Scenario, inputs values: [Double], replication r: Int) throws(RiskRunError) -> Outcome {
    let engine: SimulationEngine
    do { engine = try SimulationEngine(scenario: s) } catch { throw RiskRunError(replication: r, message: error.description) }
    let res = engine.run(checkBalance: false)
    let H = horizon
    var series = Array(repeating: Array(repeating: 0.0, count: H), count: sectors.count + 1)
    var required = Array(repeating: 0.0, count: H)
    var value = 0.0
    var perSector = Array(repeating: 0.0, count: sectors.count)
    for d in res.demands {
      let si = sectors.firstIndex(of: d.sector) ?? 0
      let vpu = valuePerUnit[d.demand] ?? 0
      for t in 0..<H {
        let u = max(0, d.required[t] - d.met[t])
        series[si][t] += u
        series[sectors.count][t] += u
        required[t] += d.required[t]
        perSector[si] += u
        if vpu > 0, d.intensity > 0 { value += u / d.intensity * vpu }
      }
    }
    let total = series[sectors.count]
    func short(_ t: Int) -> Bool { total[t] > max(1e-6, shortfallTolerance * required[t]) }
    let shortMonths = (0..<H).filter(short).count
    var recovery: Double?
    var banEnd: Int?
    for p in s.policies {
      let baseID = p.id.rawValue.split(separator: "#").first.map(String.init) ?? p.id.rawValue
      guard banTargets.contains(baseID) else { continue }
      let e = p.until.map { $0.months(since: s.start) } ?? (s.months - 1)
      banEnd = max(banEnd ?? e, e)
    }
    if let e = banEnd, e >= 0, e < H - 1 {
      var t = e + 1
      while t < H, short(t) { t += 1 }
      recovery = Double(t - e - 1)
    }
    let unmet = total.reduce(0, +)
    let scalars: [Double?] = [unmet, value, shortMonths > 0 ? 1 : 0, Double(shortMonths), recovery] + perSector.map { $0 }
    return Outcome(series: series, scalars: scalars, inputs: values)
  }
}

/// A replication whose perturbed scenario could not be simulated.
public struct RiskRunError: Error, Sendable, CustomStringConvertible {
  public var replication: Int
  public var message: String
  public var description: String { "Replication \(replication) produced a scenario that cannot be simulated: \(message)" }
}

/// One replication's row for sensitivity analysis: the realised inputs and the total unmet kg.
public struct ReplicationRow: Sendable, Equatable {
  public var replication: Int
  public var inputs: [Double]
  /// Total unmet demand through the horizon, kg.
  public var unmet: Double
}

/// Statistics over a set of replications; partial results of shards merge exactly into the whole.
public struct RiskPartial: Sendable, Equatable {
  public var fingerprint: String
  public var seed: UInt64
  public var months: [YearMonth]
  public var seriesNames: [String]
  public var scalarNames: [String]
  public var inputNames: [String]
  /// series × month.
  public var series: [[KPIStatistics]]
  public var scalars: [KPIStatistics]
  /// Per-replication rows (inputs and total unmet), sorted by replication: one row of a few numbers per replication.
  public var rows: [ReplicationRow]

  public init(study: RiskStudy) {
    fingerprint = study.fingerprint
    seed = study.seed
    months = study.months
    seriesNames = study.seriesNames
    scalarNames = study.scalarNames
    inputNames = study.spec.inputs.map(\.name)
    series = Array(repeating: Array(repeating: KPIStatistics(), count: months.count), count: seriesNames.count)
    scalars = Array(repeating: KPIStatistics(), count: scalarNames.count)
    rows = []
  }

  public var replications: Int { rows.count }

  mutating func add(_ o: RiskStudy.Outcome, replication r: Int) {
    for k in series.indices { for t in series[k].indices { series[k][t].add(o.series[k][t]) } }
    for k in scalars.indices { if let x = o.scalars[k] { scalars[k].add(x) } }
    rows.append(ReplicationRow(replication: r, inputs: o.inputs, unmet: o.scalars[0] ?? 0))
  }

  /// Adds `other` (disjoint replications of the same study). Exact and order-independent.
  public mutating func merge(_ other: RiskPartial) throws(RiskMergeError) {
    guard other.fingerprint == fingerprint, other.seed == seed, other.months == months, other.seriesNames == seriesNames, other.inputNames == inputNames else {
      throw RiskMergeError("partial results come from different studies (fingerprint \(fingerprint) seed \(seed) vs fingerprint \(other.fingerprint) seed \(other.seed)); rerun every shard with the same scenario, uncertainty file, seed and horizon.")
    }
    for k in series.indices { for t in series[k].indices { series[k][t].merge(other.series[k][t]) } }
    for k in scalars.indices { scalars[k].merge(other.scalars[k]) }
    var all = rows + other.rows
    all.sort { $0.replication < $1.replication }
    for k in all.indices.dropFirst() where all[k].replication == all[k - 1].replication {
      throw RiskMergeError("replication \(all[k].replication) appears in two partial results; each shard must run disjoint replications (use --shard I/N with the same N).")
    }
    rows = all
  }

  /// Statistics of a scalar KPI by name.
  public func scalar(_ name: String) -> KPIStatistics? { scalarNames.firstIndex(of: name).map { scalars[$0] } }
}

public struct RiskMergeError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ m: String) { message = m }
  public var description: String { message }
}

/// Runs replications on all cores. Results do not depend on `threads`: each replication's
/// draws are keyed by its number and the statistics merge exactly.
public struct MonteCarlo: Sendable {
  public let study: RiskStudy
  public var threads: Int

  public init(study: RiskStudy, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
    self.study = study
    self.threads = max(1, threads)
  }

  /// Runs the given replications; `progress(done, total)` is called now and then from worker threads.
  public func run(_ replications: [Int], progress: (@Sendable (Int, Int) -> Void)? = nil) throws(RiskRunError) -> RiskPartial {
    let n = replications.count
    let next = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    let chunk = max(1, min(64, n / (threads * 8)))
    let results = Mutex<[RiskPartial]>([])
    let failure = Mutex<RiskRunError?>(nil)
    let study = self.study
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      var local = RiskPartial(study: study)
      while true {
        let a = next.add(chunk, ordering: .relaxed).oldValue
        if a >= n { break }
        for j in a..<min(n, a + chunk) {
          let r = replications[j]
          do {
            local.add(try study.outcome(replication: r), replication: r)
          } catch let e as RiskRunError {
            failure.withLock { f in if r < (f?.replication ?? Int.max) { f = e } }
          } catch {
            failure.withLock { f in if r < (f?.replication ?? Int.max) { f = RiskRunError(replication: r, message: "\(error)") } }
          }
        }
        let d = done.add(min(n, a + chunk) - a, ordering: .relaxed).newValue
        progress?(d, n)
      }
      results.withLock { $0.append(local) }
    }
    if let f = failure.withLock({ $0 }) { throw f }
    var total = RiskPartial(study: study)
    for p in results.withLock({ $0 }) {
      do { try total.merge(p) } catch { throw RiskRunError(replication: -1, message: error.message) }
    }
    return total
  }

  /// Replications `shard`, `shard + of`, … below `runs` (0-based shard index).
  public static func replications(runs: Int, shard: Int = 0, of shards: Int = 1) -> [Int] {
    Array(stride(from: shard, to: runs, by: max(1, shards)))
  }

  /// Runs batches of `batch` replications until the confidence-interval half-width of the mean of
  /// `kpi` is at most `halfWidth` (at `confidence`), or `maxRuns` is reached. Deterministic:
  /// batches are replication ranges 0..<b, b..<2b, …, so the stopping point does not depend on threads.
  public func runUntil(
    kpi: String, halfWidth: Double, confidence: Double, maxRuns: Int, batch: Int = 500, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) throws(RiskRunError) -> RiskPartial {
    var total = RiskPartial(study: study)
    var start = 0
    while start < maxRuns {
      let reps = Array(start..<min(maxRuns, start + batch))
      let offset = start
      let part = try run(reps, progress: progress.map { p in { @Sendable d, _ in p(offset + d, maxRuns) } })
      do { try total.merge(part) } catch { throw RiskRunError(replication: -1, message: error.message) }
      start += batch
      if let s = total.scalar(kpi), s.count > 1, s.halfWidth(confidence: confidence) <= halfWidth { break }
    }
    return total
  }
}
