@_exported import Probability
import RealModule

/// Specification limits for a characteristic (unit of the data; SI in Lodestone). Either
/// side may be absent (one-sided specification), not both.
public struct SpecLimits: Sendable, Equatable, Codable {
  /// Lower specification limit (LSL), nil if none.
  public var lower: Double?
  /// Upper specification limit (USL), nil if none.
  public var upper: Double?
  /// Target for Cpm/Ppm; nil = the midpoint of two-sided limits (qcc's default).
  public var target: Double?
  /// Limits in the unit of the data (SI in Lodestone).
  public init(lower: Double?, upper: Double?, target: Double? = nil) {
    self.lower = lower
    self.upper = upper
    self.target = target
  }
}

/// Process capability (qcc `processCapability`). Indices are dimensionless; centre and σ are
/// in the data's unit; fractions are 0…1. An index that a one-sided specification cannot
/// define is nil.
public struct CapabilityResult: Sendable, Codable {
  /// Number of values used.
  public var count: Int
  /// Grand mean of the calibration data.
  public var center: Double
  /// Within-subgroup σ (by `estimator`), used by Cp, Cpk, Cpm.
  public var sigmaWithin: Double
  /// The estimator behind `sigmaWithin`.
  public var estimator: SigmaEstimator
  /// Sample standard deviation (n−1) of all values, used by Pp, Ppk, Ppm.
  public var sigmaOverall: Double
  /// The specification the indices refer to.
  public var spec: SpecLimits
  /// Width used for the indices (3 gives the usual Cp = (USL − LSL)/6σ).
  public var nsigmas: Double
  /// Cp = (USL − LSL)/(6σw); nil for one-sided limits.
  public var cp: Double?
  /// Cpl = (centre − LSL)/(3σw); nil without LSL.
  public var cpl: Double?
  /// Cpu = (USL − centre)/(3σw); nil without USL.
  public var cpu: Double?
  /// Cpk = min(Cpl, Cpu) over the sides given.
  public var cpk: Double
  /// Cpm = Cp/√(1 + ((centre − target)/σw)²); nil without a target.
  public var cpm: Double?
  /// Pp = (USL − LSL)/(6σo); nil for one-sided limits.
  public var pp: Double?
  /// Ppl = (centre − LSL)/(3σo).
  public var ppl: Double?
  /// Ppu = (USL − centre)/(3σo).
  public var ppu: Double?
  /// Ppk = min(Ppl, Ppu) over the sides given.
  public var ppk: Double
  /// Ppm = Pp/√(1 + ((centre − target)/σo)²); nil without a target.
  public var ppm: Double?
  /// Expected fraction below LSL (0…1), from a normal with the centre and within σ.
  public var expectedBelow: Double?
  /// Expected fraction above USL (0…1).
  public var expectedAbove: Double?
  /// Observed fraction of values below LSL (0…1).
  public var observedBelow: Double?
  /// Observed fraction above USL (0…1).
  public var observedAbove: Double?
  /// Confidence level of `intervals` (e.g. 0.95).
  public var confidenceLevel: Double
  /// Every index with its confidence interval, in the order Cp, Cpl, Cpu, Cpk, Cpm, Pp, Ppl,
  /// Ppu, Ppk, Ppm (qcc's formulas: χ² limits for Cp, Pp, Cpm, Ppm (Chou 1990, Boyles 1991);
  /// Bissell's normal approximation for Cpl, Cpu, Cpk and their P forms, with the one-sided
  /// z = Φ⁻¹(level) for Cpl/Cpu and the two-sided z = Φ⁻¹(1 − α/2) for Cpk, as qcc does).
  public var intervals: [IndexInterval]
}

/// A capability index with its confidence interval (nil where the index is undefined).
public struct IndexInterval: Sendable, Codable, Equatable {
  /// Index name: Cp, Cpl, Cpu, Cpk, Cpm, Pp, Ppl, Ppu, Ppk or Ppm.
  public var name: String
  /// The index (dimensionless).
  public var value: Double?
  /// Lower confidence limit.
  public var lower: Double?
  /// Upper confidence limit.
  public var upper: Double?
}

/// Standard normal CDF.
func normalCDF(_ x: Double) -> Double { 0.5 * Double.erfc(-x / 2.0.squareRoot()) }

/// Capability of the values in `groups` (subgroups in time order; single-value groups are
/// individuals) against `spec`. `estimator` nil = R̄/d2 for subgroups, MR̄/d2 for individuals.
public func capability(_ groups: [[Double]], spec: SpecLimits, estimator: SigmaEstimator? = nil, nsigmas: Double = 3, confidenceLevel: Double = 0.95, constants: ChartConstants.Source = .qcc) throws(ChartError) -> CapabilityResult {
  guard confidenceLevel > 0 && confidenceLevel < 1 else {
    throw ChartError("the confidence level must be between 0 and 1; got \(confidenceLevel).")
  }
  let x = groups.flatMap { $0 }
  guard x.count >= 2 else { throw ChartError("capability needs at least 2 values; got \(x.count).") }
  guard spec.lower != nil || spec.upper != nil else {
    throw ChartError("capability needs a lower or an upper specification limit (or both); got neither.")
  }
  if let l = spec.lower, let u = spec.upper, !(l < u) {
    throw ChartError("the lower specification limit must be below the upper one; got \(l) and \(u).")
  }
  let individuals = groups.contains { $0.count < 2 }
  let est = estimator ?? (individuals ? .movingRange : (groups.contains { $0.count > 25 } ? .pooled : .rBar))
  if individuals && est != .movingRange {
    throw ChartError("with single values σ comes from moving ranges (mr); got \(est.rawValue).")
  }
  let sw = try est == .movingRange ? estimateSigma([x], .movingRange, constants: constants) : estimateSigma(groups, est, constants: constants)
  let n = Double(x.count)
  let center = x.reduce(0, +) / n
  var ss = 0.0
  for v in x { ss += (v - center) * (v - center) }
  let so = (ss / (n - 1)).squareRoot()
  let k = nsigmas
  func pair(_ s: Double) -> (c: Double?, l: Double?, u: Double?, ck: Double) {
    let c = spec.lower.flatMap { l in spec.upper.map { u in (u - l) / (2 * k * s) } }
    let lo = spec.lower.map { (center - $0) / (k * s) }
    let up = spec.upper.map { ($0 - center) / (k * s) }
    return (c, lo, up, Swift.min(lo ?? .infinity, up ?? .infinity))
  }
  let w = pair(sw)
  let o = pair(so)
  let target = spec.target ?? spec.lower.flatMap { l in spec.upper.map { u in (l + u) / 2 } }
  func taguchi(_ c: Double?, _ s: Double) -> Double? {
    guard let c, let t = target else { return nil }
    return c / (1 + ((center - t) / s) * ((center - t) / s)).squareRoot()
  }
  let alpha = 1 - confidenceLevel
  let zOne = normalQuantile(confidenceLevel)
  let zTwo = normalQuantile(1 - alpha / 2)
  func chi(_ name: String, _ v: Double?, _ df: Double) -> IndexInterval {
    guard let v else { return IndexInterval(name: name, value: nil, lower: nil, upper: nil) }
    return IndexInterval(
      name: name, value: v, lower: v * (chiSquareQuantile(alpha / 2, df: df) / df).squareRoot(),
      upper: v * (chiSquareQuantile(1 - alpha / 2, df: df) / df).squareRoot())
  }
  func wald(_ name: String, _ v: Double?, _ z: Double) -> IndexInterval {
    guard let v else { return IndexInterval(name: name, value: nil, lower: nil, upper: nil) }
    let w = z * (1 / (9 * n * v * v) + 1 / (2 * (n - 1))).squareRoot()
    return IndexInterval(name: name, value: v, lower: v * (1 - w), upper: v * (1 + w))
  }
  func cpmDF(_ s: Double) -> Double {
    guard let t = target else { return n - 1 }
    let d2 = ((center - t) / s) * ((center - t) / s)
    return n * (1 + d2) / (1 + 2 * d2)
  }
  let cpm = taguchi(w.c, sw)
  let ppm = taguchi(o.c, so)
  let intervals = [
    chi("Cp", w.c, n - 1), wald("Cpl", w.l, zOne), wald("Cpu", w.u, zOne), wald("Cpk", w.ck, zTwo), chi("Cpm", cpm, cpmDF(sw)),
    chi("Pp", o.c, n - 1), wald("Ppl", o.l, zOne), wald("Ppu", o.u, zOne), wald("Ppk", o.ck, zTwo), chi("Ppm", ppm, cpmDF(so)),
  ]
  return CapabilityResult(
    count: x.count, center: center, sigmaWithin: sw, estimator: est, sigmaOverall: so, spec: spec, nsigmas: k,
    cp: w.c, cpl: w.l, cpu: w.u, cpk: w.ck, cpm: cpm, pp: o.c, ppl: o.l, ppu: o.u, ppk: o.ck,
    ppm: ppm,
    expectedBelow: spec.lower.map { normalCDF(($0 - center) / sw) },
    expectedAbove: spec.upper.map { 1 - normalCDF(($0 - center) / sw) },
    observedBelow: spec.lower.map { l in Double(x.filter { $0 < l }.count) / n },
    observedAbove: spec.upper.map { u in Double(x.filter { $0 > u }.count) / n },
    confidenceLevel: confidenceLevel, intervals: intervals)
}
