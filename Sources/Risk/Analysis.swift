import Dispatch
import Foundation
import Quantities
import Simulation
import SupplyChain
import Synchronization

// MARK: - Sensitivity

/// One bar of a tornado chart.
public struct TornadoBar: Sendable, Equatable {
  public var input: String
  /// Spearman rank correlation of the input's realised value with total unmet demand (−1…1).
  public var rankCorrelation: Double
  /// Total unmet kg with this input at its P10 and P90 and every other input at its median.
  public var low: Double
  public var high: Double
}

extension RiskStudy {
  /// Tornado: rank correlation over `partial`'s replications, and one-at-a-time swings (P10/P90
  /// with the others at their medians). Sorted by the larger of |swing| and |ρ| × swing scale, descending.
  public func tornado(_ partial: RiskPartial) throws(RiskRunError) -> (baseline: Double, bars: [TornadoBar]) {
    let n = spec.inputs.count
    let median = Array(repeating: Optional(0.5), count: n)
    let baseline = try outcome(replication: 0, override: median).scalars[0] ?? 0
    let kpi = partial.rows.map(\.unmet)
    var bars: [TornadoBar] = []
    for i in 0..<n {
      var lo = median, hi = median
      lo[i] = 0.1
      hi[i] = 0.9
      let l = try outcome(replication: 0, override: lo).scalars[0] ?? 0
      let h = try outcome(replication: 0, override: hi).scalars[0] ?? 0
      let rho = spearman(partial.rows.map { $0.inputs[i] }, kpi)
      bars.append(TornadoBar(input: spec.inputs[i].name, rankCorrelation: rho, low: l, high: h))
    }
    bars.sort { (abs($0.high - $0.low), abs($0.rankCorrelation), $1.input) > (abs($1.high - $1.low), abs($1.rankCorrelation), $0.input) }
    return (baseline, bars)
  }
}

// MARK: - Reserve sizing

/// The smallest strategic reserve of a material that keeps the demands it covers fully served
/// through the horizon in at least `service` of the futures, found by bisection on common random numbers.
public struct ReserveSizing: Sendable {
  public var study: RiskStudy
  /// The reserve being sized (an existing one, or a new one added to the scenario).
  public var reserve: Reserve
  public var runs: Int
  public var threads: Int

  /// Uses the scenario's reserve of `material` (the first, or the one named `reserveID`), or
  /// creates one at the site with the largest demand for it, covering every sector there.
  public init(study: RiskStudy, material: MaterialID, reserveID: ReserveID? = nil, holdingCost: Double? = nil, runs: Int, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(RiskInputError) {
    var s = study.base
    guard s.material(material) != nil else {
      throw RiskInputError("Material must be one of the scenario's materials " + s.materials.map { "'\($0.id)'" }.joined(separator: ", ") + "; got '\(material)'.")
    }
    var r: Reserve
    if let id = reserveID {
      guard let x = s.reserves.first(where: { $0.id == id }) else {
        throw RiskInputError("Reserve must be one of " + (s.reserves.isEmpty ? "(none)" : s.reserves.map { "'\($0.id)'" }.joined(separator: ", ")) + "; got '\(id)'.")
      }
      guard x.material == material else { throw RiskInputError("Reserve '\(id)' holds '\(x.material)', not '\(material)'.") }
      r = x
    } else if let x = s.reserves.first(where: { $0.material == material }) {
      r = x
    } else {
      var bySite: [SiteID: Double] = [:]
      for d in s.demands where d.material == material { bySite[d.site, default: 0] += d.rate * d.intensity }
      guard let site = bySite.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).first?.key else {
        throw RiskInputError("No demand uses material '\(material)', so no reserve of it can serve anything.")
      }
      r = Reserve(id: ReserveID("sized-\(material)"), site: site, material: material, target: 0)
      s.reserves.append(r)
    }
    if let h = holdingCost { r.holdingCost = h }
    for k in s.reserves.indices where s.reserves[k].id == r.id { s.reserves[k] = r }
    var st = RiskStudy(base: s, spec: study.spec, seed: study.seed, horizon: study.horizon)
    st.shortfallTolerance = study.shortfallTolerance
    self.study = st
    self.reserve = r
    self.runs = runs
    self.threads = max(1, threads)
  }

  /// Demands the reserve covers (same site and material, sector in `releaseTo` or any).
  var covered: Set<DemandID> {
    Set(study.base.demands.filter { $0.site == reserve.site && $0.material == reserve.material && (reserve.releaseTo.isEmpty || reserve.releaseTo.contains($0.sector)) }.map(\.id))
  }

  /// Number of the `runs` futures in which the covered demands are fully served through the horizon
  /// with the reserve's target and initial level set to `level` kg.
  public func served(level: Double) throws(RiskRunError) -> Int {
    let covered = self.covered
    let study = self.study
    let id = reserve.id
    let H = study.horizon
    let tol = study.shortfallTolerance
    let next = Atomic<Int>(0), ok = Atomic<Int>(0)
    let failure = Mutex<RiskRunError?>(nil)
    let runs = self.runs
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      while true {
        let r = next.add(1, ordering: .relaxed).oldValue
        if r >= runs { break }
        var (s, _) = study.perturbation.apply(to: study.base, replication: r)
        for k in s.reserves.indices where s.reserves[k].id == id {
          s.reserves[k].target = level
          s.reserves[k].initial = level
        }
        do {
          let res = try SimulationEngine(scenario: s).run(checkBalance: false)
          var short = false
          var unmet = Array(repeating: 0.0, count: H), req = unmet
          for d in res.demands where covered.contains(d.demand) {
            for t in 0..<H {
              unmet[t] += max(0, d.required[t] - d.met[t])
              req[t] += d.required[t]
            }
          }
          for t in 0..<H where unmet[t] > max(1e-6, tol * req[t]) { short = true }
          if !short { ok.add(1, ordering: .relaxed) }
        } catch {
          failure.withLock { f in if r < (f?.replication ?? Int.max) { f = RiskRunError(replication: r, message: "\(error)") } }
        }
      }
    }
    if let f = failure.withLock({ $0 }) { throw f }
    return ok.load(ordering: .relaxed)
  }

  public struct Result: Sendable, Equatable {
    /// Smallest level found, kg (within `tolerance` of the true threshold on these futures).
    public var level: Double
    /// Fraction of futures fully served at `level`.
    public var achieved: Double
    /// Fraction served with no reserve at all.
    public var withoutReserve: Double
    /// Holding cost through the horizon, USD: level × holding cost (USD/kg/yr) × horizon years.
    public var holdingCost: Double
    public var bisectionSteps: Int
  }

  /// Bisection on the level: the served count is a function of the level on fixed futures
  /// (common random numbers), so a higher target never yields a smaller level. `tolerance` is in kg.
  /// `nil` when no level up to 100 years of covered demand (or `maxLevel` kg) reaches the target.
  public func size(service: Double, tolerance: Double? = nil, maxLevel: Double = 1e12) throws(RiskRunError) -> Result? {
    let need = Int((service * Double(runs)).rounded(.up))
    let zero = try served(level: 0)
    let years = Double(study.horizon) / 12
    if zero >= need {
      return Result(level: 0, achieved: Double(zero) / Double(runs), withoutReserve: Double(zero) / Double(runs), holdingCost: 0, bisectionSteps: 0)
    }
    // Bracket: start at a year of covered demand and double.
    let cov = covered
    let annual = study.base.demands.filter { cov.contains($0.id) }.reduce(0) { $0 + $1.rate * $1.intensity } * secondsPerYear
    var hi = max(1, annual)
    var hiServed = try served(level: hi)
    var steps = 1
    while hiServed < need {
      hi *= 2
      steps += 1
      // A reserve of more than a century of covered demand is not an answer: give up.
      if hi > min(maxLevel, 100 * max(1, annual)) { return nil }
      hiServed = try served(level: hi)
    }
    var lo = 0.0
    let tol = tolerance ?? max(1, hi * 1e-3)
    while hi - lo > tol {
      let mid = (lo + hi) / 2
      let m = try served(level: mid)
      steps += 1
      if m >= need { hi = mid; hiServed = m } else { lo = mid }
    }
    return Result(level: hi, achieved: Double(hiServed) / Double(runs), withoutReserve: Double(zero) / Double(runs), holdingCost: hi * reserve.holdingCost * years, bisectionSteps: steps)
  }
}

// MARK: - Sweeps

/// A named scenario parameter and the values a sweep gives it.
public struct SweepParameter: Sendable, Equatable {
  public var target: UncertainTarget
  /// Grid values, or for a Latin hypercube the range `values[0]...values[1]`.
  public var values: [Double]
  public init(target: UncertainTarget, values: [Double]) {
    self.target = target
    self.values = values
  }
}

public struct SweepPoint: Sendable, Equatable {
  public var values: [Double]
  public var partial: RiskPartial
}

public enum SweepDesign: Sendable, Equatable {
  case grid
  /// `points` Latin-hypercube points over each parameter's [min, max] (values[0], values[1]).
  case latinHypercube(points: Int)
}

/// The points of a sweep design: the Cartesian product of grid values, or a Latin hypercube whose
/// strata permutations come from the keyed stream (deterministic for a seed).
public func sweepPoints(_ params: [SweepParameter], design: SweepDesign, seed: UInt64) -> [[Double]] {
  switch design {
  case .grid:
    var out: [[Double]] = [[]]
    for p in params { out = out.flatMap { prefix in p.values.map { prefix + [$0] } } }
    return out
  case .latinHypercube(let k):
    var cols: [[Double]] = []
    for p in params {
      var s = KeyedStream(seed: seed, replication: -1, input: Int(truncatingIfNeeded: fnv1a(p.target.path)))
      var perm = Array(0..<k)
      for i in stride(from: k - 1, to: 0, by: -1) { perm.swapAt(i, Int(s.next() % UInt64(i + 1))) }
      let lo = p.values.first ?? 0, hi = p.values.last ?? lo
      cols.append(perm.map { lo + (hi - lo) * (Double($0) + s.uniform()) / Double(k) })
    }
    return (0..<k).map { i in cols.map { $0[i] } }
  }
}

/// Runs a Monte Carlo at every point on the same random futures (common random numbers).
/// An uncertain input on a swept parameter is dropped: the sweep fixes that parameter.
public func runSweep(base: Scenario, spec spec0: UncertaintySpec, params: [SweepParameter], design: SweepDesign, seed: UInt64, runs: Int, horizon: Int?, threads: Int) throws(RiskRunError) -> [SweepPoint] {
  var spec = spec0
  let swept = Set(params.map(\.target.path))
  spec.inputs.removeAll { swept.contains($0.target.path) }
  if let c = spec.copula, !c.inputs.allSatisfy({ n in spec.inputs.contains { $0.name == n } }) { spec.copula = nil }
  var out: [SweepPoint] = []
  for point in sweepPoints(params, design: design, seed: seed) {
    var s = base
    for (p, v) in zip(params, point) { s = setParameter(p.target, to: v, in: s) }
    let study = RiskStudy(base: s, spec: spec, seed: seed, horizon: horizon)
    out.append(SweepPoint(values: point, partial: try MonteCarlo(study: study, threads: threads).run(MonteCarlo.replications(runs: runs))))
  }
  return out
}

// MARK: - Policy comparison on common random numbers

/// One KPI compared between the base and a variant over the same futures.
public struct ComparisonRow: Sendable, Equatable {
  public var kpi: String
  /// Means over the futures, in the KPI's unit.
  public var base: Double
  public var variant: Double
  /// Mean of the paired differences (variant − base) and the half-width of its confidence interval.
  public var difference: Double
  public var halfWidth: Double
  /// Share of futures where the variant is strictly better (lower), and strictly worse.
  public var better: Double
  public var worse: Double
}

extension RiskStudy {
  /// Runs every replication twice on the same draws: as perturbed, and with `changes` applied on top
  /// (e.g. a larger reserve, a second partner's capacity, a higher approval share). Paired differences
  /// cancel the shared noise, so small policy effects show with few futures. Deterministic for any
  /// thread count (rows are ordered by replication before summing).
  public func compare(changes: [(UncertainTarget, Double)], replications: [Int], confidence: Double, threads: Int) throws(RiskRunError) -> [ComparisonRow] {
    let n = replications.count
    let next = Atomic<Int>(0)
    let rows = Mutex<[(Int, [Double?], [Double?])]>([])
    let failure = Mutex<RiskRunError?>(nil)
    let study = self
    DispatchQueue.concurrentPerform(iterations: max(1, threads)) { _ in
      var local: [(Int, [Double?], [Double?])] = []
      while true {
        let j = next.add(1, ordering: .relaxed).oldValue
        if j >= n { break }
        let r = replications[j]
        let (s, values) = study.perturbation.apply(to: study.base, replication: r)
        var v = s
        for (t, x) in changes { v = setParameter(t, to: x, in: v) }
        do {
          let a = try study.outcome(of: s, inputs: values, replication: r)
          let b = try study.outcome(of: v, inputs: values, replication: r)
          local.append((j, a.scalars, b.scalars))
        } catch let e as RiskRunError {
          failure.withLock { f in if r < (f?.replication ?? Int.max) { f = e } }
        } catch {
          failure.withLock { f in if r < (f?.replication ?? Int.max) { f = RiskRunError(replication: r, message: "\(error)") } }
        }
      }
      rows.withLock { $0 += local }
    }
    if let f = failure.withLock({ $0 }) { throw f }
    let all = rows.withLock { $0 }.sorted { $0.0 < $1.0 }
    let z = normalQuantile(0.5 + confidence / 2)
    var out: [ComparisonRow] = []
    for (k, name) in scalarNames.enumerated() where name != "recovery-months" {
      var sa = 0.0, sb = 0.0, sd = 0.0, sdd = 0.0, better = 0, worse = 0, m = 0
      for (_, a, b) in all {
        guard let x = a[k], let y = b[k] else { continue }
        m += 1
        sa += x
        sb += y
        sd += y - x
        sdd += (y - x) * (y - x)
        if y < x { better += 1 } else if y > x { worse += 1 }
      }
      guard m > 0 else { continue }
      let mean = sd / Double(m)
      let variance = m > 1 ? max(0, (sdd - sd * mean) / Double(m - 1)) : 0
      out.append(
        ComparisonRow(
          kpi: name, base: sa / Double(m), variant: sb / Double(m), difference: mean, halfWidth: m > 1 ? z * (variance / Double(m)).squareRoot() : .infinity,
          better: Double(better) / Double(m), worse: Double(worse) / Double(m)))
    }
    return out
  }
}
