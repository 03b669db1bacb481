import Foundation
import Quantities
import Simulation
import SupplyChain

/// Draws each replication's uncertain inputs and applies them to a base scenario.
///
/// Input `i`'s stream is keyed by `(seed, replication, FNV-1a(name))`, so adding, removing or
/// reordering other inputs leaves its draws unchanged (common random numbers across variants).
/// Inputs sharing a `driver` take the driver's first uniform; inputs under a Gaussian copula take
/// `Φ(L z)` with `L` the Cholesky factor and `z` their own standard normal draws.
public struct Perturbation: Sendable {
  public let spec: UncertaintySpec
  public let seed: UInt64
  let keys: [Int]
  let driverKeys: [Int?]
  let copulaIndex: [Int]  // input indices in copula order
  let copulaL: [[Double]]

  public init(spec: UncertaintySpec, seed: UInt64) {
    self.spec = spec
    self.seed = seed
    keys = spec.inputs.map { Int(truncatingIfNeeded: fnv1a($0.name)) }
    driverKeys = spec.inputs.map { $0.driver.map { Int(truncatingIfNeeded: fnv1a("driver:" + $0)) } }
    if let c = spec.copula, let l = cholesky(c.matrix) {
      copulaIndex = c.inputs.compactMap { n in spec.inputs.firstIndex { $0.name == n } }
      copulaL = l
    } else {
      copulaIndex = []
      copulaL = []
    }
  }

  /// The first uniform of every input for `replication` (after drivers and the copula).
  public func uniforms(replication r: Int) -> [Double] {
    var u: [Double] = []
    u.reserveCapacity(keys.count)
    for i in keys.indices {
      var s = KeyedStream(seed: seed, replication: r, input: driverKeys[i] ?? keys[i])
      u.append(s.uniform())
    }
    if !copulaIndex.isEmpty {
      let z = copulaIndex.map { normalQuantile(u[$0]) }
      for (row, i) in copulaIndex.enumerated() {
        var x = 0.0
        for k in 0...row { x += copulaL[row][k] * z[k] }
        u[i] = normalCDF(x)
      }
    }
    return u
  }

  /// The perturbed scenario of `replication` and each input's realised value (the number the
  /// tornado ranks: the drawn value, or for outages and monthly regimes the months affected).
  /// `override[i]`, when set, replaces every uniform input `i` draws (one-at-a-time analysis).
  public func apply(to base: Scenario, replication r: Int, override: [Double?]? = nil) -> (scenario: Scenario, values: [Double]) {
    let u0 = uniforms(replication: r)
    var s = base
    var removed = Set<String>()
    var values: [Double] = []
    values.reserveCapacity(spec.inputs.count)
    let T = base.months
    for (i, input) in spec.inputs.enumerated() {
      let fixedU = override?[i] ?? nil
      var stream = KeyedStream(seed: seed, replication: r, input: keys[i])
      _ = stream.next()  // value 0 is the first uniform, already in u0
      func more() -> Double { fixedU ?? stream.uniform() }
      let u = fixedU ?? u0[i]
      let d = input.distribution
      let v = d.quantile(u)
      var realised = v
      switch input.target {
      case .policyApproval(let id):
        edit(&s.policies, id) { p in
          if case .licence(_, let delay) = p.kind { p.kind = .licence(approval: min(1, max(0, v)), delay: delay) } else { p.kind = .licence(approval: min(1, max(0, v)), delay: 0) }
        }
      case .policyDelay(let id):
        let m = max(0, Int(v.rounded()))
        realised = Double(m)
        edit(&s.policies, id) { p in
          if case .licence(let a, _) = p.kind { p.kind = .licence(approval: a, delay: m) } else { p.kind = .licence(approval: 1, delay: m) }
        }
      case .policyStartShift(let id):
        let m = Int(v.rounded())
        realised = Double(m)
        edit(&s.policies, id) { p in
          p.from = (p.from ?? base.start).adding(months: m)
          if let u = p.until { p.until = u.adding(months: m) }
        }
      case .policyDuration(let id):
        let m = Int(v.rounded())
        realised = Double(max(0, m))
        if m <= 0 { removed.insert(id.rawValue) } else { edit(&s.policies, id) { p in p.until = (p.from ?? base.start).adding(months: m - 1) } }
      case .policyOccurs(let id):
        if v < 0.5 { removed.insert(id.rawValue) }
      case .policyMonthly(let id):
        guard let k = s.policies.firstIndex(where: { $0.id == id }) else { break }
        let p = s.policies[k]
        let first = max(0, p.from.map { $0.months(since: base.start) } ?? 0)
        let last = min(T - 1, p.until.map { $0.months(since: base.start) } ?? T - 1)
        var on: [Bool] = []
        if first <= last {
          for t in first...last { on.append(d.quantile(t == first ? u : more()) >= 0.5) }
        }
        realised = Double(on.filter { $0 }.count)
        removed.insert(id.rawValue)
        // Replace the policy by one copy per run of consecutive active months.
        var t = 0
        var part = 0
        while t < on.count {
          if on[t] {
            var e = t
            while e + 1 < on.count, on[e + 1] { e += 1 }
            var q = p
            q.id = PolicyID("\(id.rawValue)#\(part)")
            q.from = base.start.adding(months: first + t)
            q.until = base.start.adding(months: first + e)
            s.policies.append(q)
            part += 1
            t = e + 1
          } else {
            t += 1
          }
        }
      case .processOutage(let id, let repair):
        var t = v
        var down = 0
        var outages: [(from: YearMonth, to: YearMonth, fraction: Double)] = []
        var failures = 0
        while t < Double(T), failures < 10_000 {
          failures += 1
          let rep = max(0, repair.quantile(more()))
          let a = Int(t.rounded(.down)), b = min(T - 1, max(a, Int((t + rep).rounded(.up)) - 1))
          if rep > 0 {
            outages.append((base.start.adding(months: a), base.start.adding(months: b), 0))
            down += b - a + 1
          }
          // At most one failure a day (1/30 month), so a zero time between failures cannot stall the loop.
          t += rep + max(1.0 / 30, d.quantile(more()))
        }
        realised = Double(down)
        edit(&s.processes, id) { p in p.availability.outages += outages }
      case .processCommissioningDelay(let id):
        let m = max(0, Int(v.rounded()))
        realised = Double(m)
        edit(&s.processes, id) { p in
          if let c = p.availability.commissioning { p.availability.commissioning = c.adding(months: m) } else if p.availability.ramp.isEmpty { p.availability.commissioning = base.start.adding(months: m) }
          p.availability.ramp = p.availability.ramp.map { ($0.month.adding(months: m), $0.fraction) }
        }
      case .processCapacity(let id):
        edit(&s.processes, id) { p in p.capacity *= max(0, v) }
      case .linkDelay(let id):
        let m = max(0, Int(v.rounded()))
        realised = Double(m)
        edit(&s.links, id) { l in l.leadTime += m }
      case .demandMultiplier(let id):
        for k in s.demands.indices where id.rawValue == "*" || s.demands[k].id == id {
          s.demands[k].rate *= v
          s.demands[k].series = s.demands[k].series.map { ($0.month, $0.rate * v) }
        }
      case .priceMultiplier(let id):
        for k in s.prices.indices where s.prices[k].material == id {
          s.prices[k].points = s.prices[k].points.map { ($0.month, $0.perKg * v) }
        }
      case .reserveTarget(let id):
        edit(&s.reserves, id) { res in
          res.target = max(0, v)
          res.initial = max(0, v)
        }
      }
      values.append(realised)
    }
    if !removed.isEmpty { s.policies.removeAll { removed.contains($0.id.rawValue) } }
    return (s, values)
  }
}

func edit<T: Identifiable>(_ list: inout [T], _ id: T.ID, _ body: (inout T) -> Void) {
  for k in list.indices where list[k].id == id { body(&list[k]) }
}

/// FNV-1a, 64-bit: a stable hash of a name (Swift's `hashValue` is seeded per process).
public func fnv1a(_ s: String) -> UInt64 {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  for b in s.utf8 {
    h ^= UInt64(b)
    h = h &* 0x0000_0100_0000_01B3
  }
  return h
}

/// Sets a named parameter (an `UncertainTarget` path) to a fixed value: what sweeps vary.
public func setParameter(_ target: UncertainTarget, to value: Double, in s: Scenario) -> Scenario {
  let spec = UncertaintySpec(inputs: [UncertainInput(name: "_", target: target, distribution: .fixed(value))])
  return Perturbation(spec: spec, seed: 0).apply(to: s, replication: 0).scenario
}
