import Chemistry
import Foundation

/// The phase in which the feed enters the cascade.
public enum FeedPhase: String, Sendable, CaseIterable, Codable {
  /// Aqueous feed into the last extraction stage n.
  case aqueous
  /// Loaded-organic feed into the first scrub stage n + 1.
  case organic
}

/// An aqueous side draw (third outlet) taken from the aqueous phase leaving a stage.
public struct SideDraw: Sendable, Hashable {
  /// Stage number, counted from the raffinate end (1…N).
  public var stage: Int
  /// Rare-earth flow drawn, mol RE per mol feed RE (dimensionless).
  public var flow: Double
  public init(stage: Int, flow: Double) {
    self.stage = stage
    self.flow = flow
  }
}

/// A countercurrent extraction + reflux-scrub cascade with ideal stages (research note §4.5).
///
/// Stages are numbered 1…N from the raffinate end: blank organic enters stage 1, the loaded
/// organic leaves stage N, is stripped, and a part W is returned to stage N as the scrub
/// (reflux of product composition). All flows are rare-earth (RE) molar flows per mol of feed
/// RE, so they are dimensionless; the organic is fully loaded (constant RE flow per section).
public struct CascadeSpec: Sendable {
  /// The components, in any order.
  public var elements: [Element]
  /// Relative extractabilities α_i (dimensionless, > 0); β_ij = α_i / α_j.
  public var extractabilities: [Double]
  /// Feed of each element, mol per mol feed RE (normalised to sum 1 by `init`).
  public var feed: [Double]
  /// Number of extraction stages n (stages 1…n).
  public var extractionStages: Int
  /// Number of scrub stages m (stages n+1…n+m).
  public var scrubStages: Int
  /// Phase of the feed.
  public var feedPhase: FeedPhase
  /// Organic RE flow S in the extraction section, mol per mol feed RE.
  public var organicFlow: Double
  /// Scrub (reflux) RE flow W entering stage N, mol per mol feed RE.
  public var scrubFlow: Double
  /// Aqueous side draws (three-outlet cascades).
  public var draws: [SideDraw]

  public init(
    elements: [Element], extractabilities: [Double], feed: [Double], extractionStages: Int, scrubStages: Int,
    feedPhase: FeedPhase = .aqueous, organicFlow: Double, scrubFlow: Double, draws: [SideDraw] = []
  ) throws(SeparationError) {
    guard !elements.isEmpty, elements.count == extractabilities.count, elements.count == feed.count else {
      throw .invalidInput(
        "Elements, extractabilities and feed must have the same non-zero length; got \(elements.count), \(extractabilities.count), \(feed.count).")
    }
    guard Set(elements).count == elements.count else {
      throw .invalidInput("Elements must be distinct; got \(elements.map(\.symbol).joined(separator: ", ")).")
    }
    for (e, a) in zip(elements, extractabilities) where !(a.isFinite && a > 0) {
      throw .invalidInput("Extractability of \(e.symbol) must be a finite number > 0; got \(a).")
    }
    for (e, x) in zip(elements, feed) where !(x.isFinite && x >= 0) {
      throw .invalidInput("Feed of \(e.symbol) must be a finite number >= 0; got \(x).")
    }
    let total = feed.reduce(0, +)
    guard total > 0 else { throw .invalidInput("Feed total must be > 0; got \(total).") }
    guard extractionStages >= 1 else { throw .invalidInput("Extraction stage count n must be >= 1; got \(extractionStages).") }
    guard scrubStages >= 0 else { throw .invalidInput("Scrub stage count m must be >= 0; got \(scrubStages).") }
    guard feedPhase == .aqueous || scrubStages >= 1 else {
      throw .invalidInput("Scrub stage count m must be >= 1 for an organic feed (it enters stage n+1); got \(scrubStages).")
    }
    guard organicFlow.isFinite, organicFlow > 0 else { throw .invalidInput("Organic flow S must be > 0; got \(organicFlow).") }
    guard scrubFlow.isFinite, scrubFlow >= 0 else { throw .invalidInput("Scrub flow W must be >= 0; got \(scrubFlow).") }
    self.elements = elements
    self.extractabilities = extractabilities
    self.feed = feed.map { $0 / total }
    self.extractionStages = extractionStages
    self.scrubStages = scrubStages
    self.feedPhase = feedPhase
    self.organicFlow = organicFlow
    self.scrubFlow = scrubFlow
    self.draws = draws.sorted { $0.stage < $1.stage }
    let n = extractionStages + scrubStages
    for d in self.draws {
      guard d.stage >= 2, d.stage <= n else { throw .invalidInput("Side-draw stage must be in 2...\(n); got \(d.stage).") }
      guard d.flow.isFinite, d.flow > 0 else { throw .invalidInput("Side-draw flow must be > 0; got \(d.flow).") }
    }
    guard Set(self.draws.map(\.stage)).count == self.draws.count else {
      throw .invalidInput("Side-draw stages must be distinct; got \(self.draws.map { String($0.stage) }.joined(separator: ", ")).")
    }
    // Flow feasibility: every aqueous stream and the organic product must be positive.
    let (o, a) = flows()
    for k in 0..<n where !(a[k] > 0) {
      throw .invalidInput(
        "Aqueous flow leaving stage \(k + 1) must be > 0 (raise W or lower S or the draws); got \(a[k]) mol/mol feed.")
    }
    let product = o[n - 1] - scrubFlow
    guard product > 0 else {
      throw .invalidInput("Organic product flow (organic out of stage N minus W) must be > 0; got \(product) mol/mol feed.")
    }
    for d in self.draws where !(d.flow < a[d.stage - 1]) {
      throw .invalidInput("Side-draw flow at stage \(d.stage) must be < the aqueous flow there (\(a[d.stage - 1])); got \(d.flow).")
    }
  }

  /// Total number of stages N = n + m.
  public var stageCount: Int { extractionStages + scrubStages }
  /// The stage the feed enters (n for aqueous feed, n + 1 for organic feed).
  public var feedStage: Int { feedPhase == .aqueous ? extractionStages : extractionStages + 1 }

  /// Organic RE flow leaving each stage and aqueous RE flow leaving each stage (before any
  /// draw), index 0 = stage 1; mol per mol feed RE.
  public func flows() -> (organic: [Double], aqueous: [Double]) {
    let n = stageCount
    var o = [Double](repeating: organicFlow, count: n)
    if feedPhase == .organic { for k in (feedStage - 1)..<n { o[k] += 1 } }
    var a = [Double](repeating: 0, count: n)
    var inflow = scrubFlow
    for k in stride(from: n - 1, through: 0, by: -1) {
      let feedHere = (k == feedStage - 1) ? 1.0 : 0.0
      let oBelow = k > 0 ? o[k - 1] : 0
      a[k] = inflow + feedHere + oBelow - o[k]
      let draw = draws.first { $0.stage == k + 1 }?.flow ?? 0
      inflow = a[k] - draw
    }
    return (o, a)
  }
}

/// A stream leaving the cascade.
public struct CascadeOutlet: Sendable, Hashable {
  public enum Kind: String, Sendable { case raffinate, organicProduct = "organic-product", sideDraw = "side-draw" }
  /// Which outlet.
  public var kind: Kind
  /// Stage it leaves (1 for the raffinate, N for the organic product).
  public var stage: Int
  /// Flow of each element (same order as the spec), mol per mol feed RE.
  public var elementFlows: [Double]
  /// Total RE flow, mol per mol feed RE.
  public var total: Double { elementFlows.reduce(0, +) }
  /// Mole fraction of the elements at `indices` in this outlet (dimensionless, 0…1).
  public func purity(_ indices: [Int]) -> Double {
    let t = total
    return t > 0 ? indices.reduce(0) { $0 + elementFlows[$1] } / t : 0
  }
}

/// Options of the stage-wise solver.
public struct SolverOptions: Sendable {
  /// Convergence tolerance on max_k |Δ ln s_k| between sweeps (dimensionless).
  public var tolerance: Double = 1e-13
  /// Maximum number of sweeps before `SeparationError.notConverged`.
  public var maxIterations: Int = 20_000
  public init(tolerance: Double = 1e-13, maxIterations: Int = 20_000) {
    self.tolerance = tolerance
    self.maxIterations = maxIterations
  }
}

/// The steady state of a cascade: stage-wise flows and compositions, and its outlets.
public struct CascadeResult: Sendable {
  /// The simulated cascade.
  public var spec: CascadeSpec
  /// Sweeps of the outer fixed point taken.
  public var iterations: Int
  /// Aqueous element flows leaving each stage (before draws): `aqueous[k][i]`, stage k+1,
  /// mol per mol feed RE.
  public var aqueous: [[Double]]
  /// Organic element flows leaving each stage: `organic[k][i]`, mol per mol feed RE.
  public var organic: [[Double]]
  /// Total aqueous RE flow leaving each stage (before draws), mol per mol feed RE.
  public var aqueousFlow: [Double]
  /// Total organic RE flow leaving each stage, mol per mol feed RE.
  public var organicFlow: [Double]
  /// Largest per-stage, per-element mass-balance residual |in − out|, mol per mol feed RE.
  public var balanceResidual: Double
  /// Largest |Σ_i x_i − 1| over stages (equilibrium closure; dimensionless).
  public var closureResidual: Double
  /// Raffinate (stage 1 aqueous), organic product (stage N organic less the reflux), then side draws by stage.
  public var outlets: [CascadeOutlet]

  /// The raffinate outlet.
  public var raffinate: CascadeOutlet { outlets[0] }
  /// The organic product outlet.
  public var organicProduct: CascadeOutlet { outlets[1] }
  /// The side-draw outlets, by stage.
  public var sideDraws: [CascadeOutlet] { Array(outlets.dropFirst(2)) }

  /// Aqueous mole fraction of element `i` at stage `k` (0-based), dimensionless.
  public func aqueousFraction(stage k: Int, element i: Int) -> Double { aqueous[k][i] / aqueousFlow[k] }
  /// Organic mole fraction of element `i` at stage `k` (0-based), dimensionless.
  public func organicFraction(stage k: Int, element i: Int) -> Double { organic[k][i] / organicFlow[k] }

  /// Fraction of the feed of the elements at `indices` that leaves in `outlet` (recovery, 0…1).
  public func recovery(_ indices: [Int], in outlet: CascadeOutlet) -> Double {
    let fed = indices.reduce(0) { $0 + spec.feed[$1] }
    return fed > 0 ? indices.reduce(0) { $0 + outlet.elementFlows[$1] } / fed : 0
  }
}

/// Solves a cascade at steady state (research note §4.6): an outer fixed point on
/// s_k = Σ_j α_j x_jk, with each component's stage balances solved exactly by the Thomas
/// algorithm for the current s, and adaptive log-space damping for robustness near minimum
/// reflux. Because the linear balances are solved exactly, the per-stage element balances
/// close to rounding error at every sweep; convergence is on equilibrium closure.
public func simulateCascade(_ spec: CascadeSpec, options: SolverOptions = SolverOptions()) throws(SeparationError) -> CascadeResult {
  let n = spec.stageCount
  let c = spec.elements.count
  let alpha = spec.extractabilities
  let (oFlow, aFlow) = spec.flows()
  let w = spec.scrubFlow
  let topReflux = w / oFlow[n - 1]
  // q[k]: fraction of the aqueous leaving stage k that flows on to stage k-1.
  var q = [Double](repeating: 1, count: n)
  for d in spec.draws { q[d.stage - 1] = (aFlow[d.stage - 1] - d.flow) / aFlow[d.stage - 1] }
  let ratio = (0..<n).map { oFlow[$0] / aFlow[$0] }
  let feedStage = spec.feedStage - 1

  var s = [Double](repeating: 1, count: n)
  var l = [Double](repeating: 0, count: n * c)  // l[i*n + k]
  var cp = [Double](repeating: 0, count: n)
  var dp = [Double](repeating: 0, count: n)
  var num = [Double](repeating: 0, count: n)
  var den = [Double](repeating: 0, count: n)

  func solveLinear(_ alpha: [Double], _ s: [Double], _ l: inout [Double]) {
    for i in 0..<c {
      let ai = alpha[i]
      let fi = spec.feed[i]
      let base = i * n
      // Row 0.
      var ePrev = ratio[0] * ai / s[0]
      var b = -(1 + ePrev * (n == 1 ? (1 - topReflux) : 1))
      var upper = n > 1 ? q[1] : 0
      cp[0] = upper / b
      dp[0] = (feedStage == 0 ? -fi : 0) / b
      if n > 1 {
        for k in 1..<n {
          let e = ratio[k] * ai / s[k]
          b = (k == n - 1) ? -(1 + e * (1 - topReflux)) : -(1 + e)
          upper = k + 1 < n ? q[k + 1] : 0
          let m = b - ePrev * cp[k - 1]
          cp[k] = upper / m
          dp[k] = ((k == feedStage ? -fi : 0) - ePrev * dp[k - 1]) / m
          ePrev = e
        }
      }
      l[base + n - 1] = dp[n - 1]
      if n > 1 {
        for k in stride(from: n - 2, through: 0, by: -1) {
          l[base + k] = dp[k] - cp[k] * l[base + k + 1]
        }
      }
    }
  }

  /// Equilibrium closure max_k |Σ_i l_ik / A_k − 1| of the current `l`.
  func currentClosure() -> Double {
    var worst = 0.0
    for k in 0..<n {
      var t = 0.0
      for i in 0..<c { t += l[i * n + k] }
      let v = abs(t / aFlow[k] - 1)
      worst = v.isNaN ? .infinity : max(worst, v)
    }
    return worst
  }

  // Anderson acceleration (depth `depth`) of the fixed point x ← G(x), x = ln s, with a
  // safeguard: when the residual grows tenfold over the best seen, the history is dropped and
  // a damped plain step is taken instead. Returns the final residual (max |Δ ln s|) and
  // whether it converged with equilibrium closure; `x` holds the last iterate.
  let depth = 6
  func iterate(_ alpha: [Double], _ x: inout [Double], limit: Int, sweeps: inout Int) -> (residual: Double, converged: Bool) {
    let lnAlphaMin = log(alpha.min() ?? 1)
    let lnAlphaMax = log(alpha.max() ?? 1)
    var g = x
    var f = [Double](repeating: 0, count: n)
    var dX: [[Double]] = []
    var dF: [[Double]] = []
    var prevX: [Double] = []
    var prevF: [Double] = []
    var best = Double.infinity
    var damping = 1.0
    var residual = Double.infinity
    var taken = 0
    while taken < limit {
      taken += 1
      sweeps += 1
      for k in 0..<n { s[k] = exp(x[k]) }
      solveLinear(alpha, s, &l)
      for k in 0..<n {
        num[k] = 0
        den[k] = 0
      }
      for i in 0..<c {
        let base = i * n
        let ai = alpha[i]
        for k in 0..<n {
          let v = l[base + k]
          num[k] += ai * v
          den[k] += v
        }
      }
      residual = 0.0
      for k in 0..<n {
        // A non-finite sum means the linear balances overflowed (a component trapped between
        // the sections at a far-from-converged s): this start cannot converge.
        guard num[k].isFinite, den[k].isFinite else { return (.infinity, false) }
        g[k] = (den[k] > 0 && num[k] > 0) ? log(num[k] / den[k]) : x[k]
        f[k] = g[k] - x[k]
        residual = max(residual, abs(f[k]))
      }
      if residual < options.tolerance { return (residual, currentClosure() < 1e-8) }
      if residual > 10 * best {
        // Safeguard: restart from a damped plain step.
        dX.removeAll()
        dF.removeAll()
        prevX.removeAll()
        damping = max(0.05, damping * 0.5)
        best = residual
        for k in 0..<n { x[k] = min(max(x[k] + damping * f[k], lnAlphaMin), lnAlphaMax) }
        continue
      }
      best = min(best, residual)
      if !prevX.isEmpty {
        dX.append((0..<n).map { x[$0] - prevX[$0] })
        dF.append((0..<n).map { f[$0] - prevF[$0] })
        if dX.count > depth {
          dX.removeFirst()
          dF.removeFirst()
        }
      }
      prevX = x
      prevF = f
      let mDepth = dF.count
      var gamma = [Double](repeating: 0, count: mDepth)
      if mDepth > 0 {
        // Normal equations (ΔFᵀΔF + λI) γ = ΔFᵀ f, solved by Gaussian elimination.
        var a = [Double](repeating: 0, count: mDepth * mDepth)
        var rhs = [Double](repeating: 0, count: mDepth)
        for p in 0..<mDepth {
          for q in p..<mDepth {
            var sum = 0.0
            for k in 0..<n { sum += dF[p][k] * dF[q][k] }
            a[p * mDepth + q] = sum
            a[q * mDepth + p] = sum
          }
          var sum = 0.0
          for k in 0..<n { sum += dF[p][k] * f[k] }
          rhs[p] = sum
        }
        var trace = 0.0
        for p in 0..<mDepth { trace += a[p * mDepth + p] }
        let lambda = 1e-12 * max(trace, 1e-300)
        for p in 0..<mDepth { a[p * mDepth + p] += lambda }
        gamma = solveDense(a, rhs, mDepth) ?? [Double](repeating: 0, count: mDepth)
      }
      for k in 0..<n {
        var step = x[k] + damping * f[k]
        for p in 0..<mDepth { step -= gamma[p] * (dX[p][k] + damping * dF[p][k]) }
        // s_k is an average of the α_i, so ln s_k must lie in [ln α_min, ln α_max]; clamping
        // keeps the extrapolated step physical.
        x[k] = min(max(step, lnAlphaMin), lnAlphaMax)
      }
      damping = min(1, damping * 1.1)
    }
    return (residual, false)
  }

  var s0 = 0.0
  for i in 0..<c { s0 += alpha[i] * spec.feed[i] }
  var x = [Double](repeating: log(s0), count: n)
  var iterations = 0
  // A cold start that has not converged in 2,000 sweeps is stagnating; leave the rest of the
  // budget to the continuation.
  var (previous, converged) = iterate(alpha, &x, limit: min(options.maxIterations, 2_000), sweeps: &iterations)
  if !converged {
    // Continuation in the spread of extractabilities: solve with α^t for t rising from 0 to 1,
    // each step started from the previous profile scaled to the new spread (ln s ∝ t for a
    // fixed composition). Wide ranges (α from 1 to 10⁴ over hundreds of stages) trap a middle
    // component between the sections at a cold start and overflow; small steps in t do not.
    var t = 0.0
    var dt = 0.25
    var xt = [Double](repeating: 0, count: n)
    while t < 1, iterations < options.maxIterations {
      let tn = min(1, t + dt)
      var trial = t > 0 ? xt.map { $0 * tn / t } : xt
      let at = alpha.map { pow($0, tn) }
      let r = iterate(at, &trial, limit: min(1_000, options.maxIterations - iterations), sweeps: &iterations)
      if r.converged {
        t = tn
        xt = trial
        dt = min(0.5, dt * 1.5)
      } else {
        dt /= 2
        if dt < 1e-3 { break }
      }
    }
    if t == 1 {
      x = xt
      converged = true
    }
  }
  if !converged {
    throw .notConverged(
      "the stage-wise solver must reach max |Δ ln s| < \(options.tolerance) with equilibrium closure |Σx − 1| < 1e-8 within \(options.maxIterations) sweeps (also by continuation in the extractability spread); got \(previous) (flows may be at the pinch).")
  }
  for k in 0..<n { s[k] = exp(x[k]) }
  solveLinear(alpha, s, &l)

  // Assemble stage results.
  var aq = [[Double]](repeating: [Double](repeating: 0, count: c), count: n)
  var org = aq
  var closure = 0.0
  for k in 0..<n {
    var total = 0.0
    for i in 0..<c {
      let v = l[i * n + k]
      aq[k][i] = v
      org[k][i] = ratio[k] * alpha[i] / s[k] * v
      total += v
    }
    closure = max(closure, abs(total / aFlow[k] - 1))
  }
  // Per-stage element balances.
  var balance = 0.0
  for k in 0..<n {
    for i in 0..<c {
      var inflow = k > 0 ? org[k - 1][i] : 0
      inflow += k < n - 1 ? q[k + 1] * aq[k + 1][i] : topReflux * org[n - 1][i]
      if k == feedStage { inflow += spec.feed[i] }
      let out = org[k][i] + aq[k][i]
      balance = max(balance, abs(inflow - out))
    }
  }
  guard closure < 1e-8 else {
    throw .notConverged("the equilibrium closure max |Σx − 1| must be < 1e-8 after convergence; got \(closure) (compositions beyond floating-point range?).")
  }
  var outlets = [
    CascadeOutlet(kind: .raffinate, stage: 1, elementFlows: aq[0]),
    CascadeOutlet(kind: .organicProduct, stage: n, elementFlows: org[n - 1].map { $0 * (1 - topReflux) }),
  ]
  for d in spec.draws {
    let k = d.stage - 1
    outlets.append(CascadeOutlet(kind: .sideDraw, stage: d.stage, elementFlows: aq[k].map { $0 * (1 - q[k]) }))
  }
  return CascadeResult(
    spec: spec, iterations: iterations, aqueous: aq, organic: org, aqueousFlow: aFlow, organicFlow: oFlow,
    balanceResidual: balance, closureResidual: closure, outlets: outlets)
}

/// Solves a small dense system by Gaussian elimination with partial pivoting; nil if singular.
func solveDense(_ a0: [Double], _ b0: [Double], _ n: Int) -> [Double]? {
  var a = a0
  var b = b0
  for col in 0..<n {
    var piv = col
    for r in (col + 1)..<max(col + 1, n) where abs(a[r * n + col]) > abs(a[piv * n + col]) { piv = r }
    if abs(a[piv * n + col]) < 1e-300 { return nil }
    if piv != col {
      for j in 0..<n { a.swapAt(col * n + j, piv * n + j) }
      b.swapAt(col, piv)
    }
    for r in (col + 1)..<max(col + 1, n) {
      let factor = a[r * n + col] / a[col * n + col]
      if factor == 0 { continue }
      for j in col..<n { a[r * n + j] -= factor * a[col * n + j] }
      b[r] -= factor * b[col]
    }
  }
  var x = [Double](repeating: 0, count: n)
  for r in stride(from: n - 1, through: 0, by: -1) {
    var sum = b[r]
    for j in (r + 1)..<max(r + 1, n) { sum -= a[r * n + j] * x[j] }
    x[r] = sum / a[r * n + r]
  }
  return x.allSatisfy(\.isFinite) ? x : nil
}
