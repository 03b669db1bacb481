/// Shewhart (X̄-R, X̄-S, I-MR), EWMA and tabular CUSUM charts, following R's qcc 3.0.
///
/// Units: statistics, centre lines, limits and σ are in the unit of the data passed in
/// (Lodestone passes SI: T for Br, A/m for HcJ/HcB, J/m³ for (BH)max, kg/m³, m).

/// How the within-subgroup (short-term) process σ is estimated.
public enum SigmaEstimator: String, Sendable, CaseIterable, Codable {
  /// R̄/d2: unweighted mean of Rᵢ/d2(nᵢ) (qcc "UWAVE-R"; qcc's default for X̄ and R charts
  /// when no subgroup exceeds 25; above that qcc and Lodestone default to `pooled`).
  case rBar = "rbar"
  /// S̄/c4: unweighted mean of Sᵢ/c4(nᵢ) (qcc "UWAVE-SD"; default for S charts).
  case sBar = "sbar"
  /// Pooled: √(Σ(nᵢ−1)Sᵢ²/Σ(nᵢ−1)) / c4(Σ(nᵢ−1)+1) (qcc "RMSDF"; Minitab's default).
  case pooled = "pooled"
  /// MR̄/d2(2): mean moving range of consecutive individuals (qcc "MR", for I-MR).
  case movingRange = "mr"
  /// Minimum-variance linear unbiased estimate from ranges: Σ wᵢRᵢ/d2ᵢ / Σ wᵢ, wᵢ = (d2ᵢ/d3ᵢ)²
  /// (qcc "MVLUE-R"; equals R̄/d2 when all subgroups have the same size).
  case mvlueR = "mvlue-r"
  /// Minimum-variance linear unbiased estimate from standard deviations: wᵢ = c4ᵢ²/(1−c4ᵢ²)
  /// (qcc "MVLUE-SD").
  case mvlueS = "mvlue-s"
}

/// Errors of chart construction (too little data, unsupported subgroup sizes).
public struct ChartError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, in the "<thing> must be <rule>; got <value>." form.
  public var message: String
  /// An error with `message`.
  public init(_ message: String) { self.message = message }
  /// The message.
  public var description: String { message }
}

/// Mean, range and sample standard deviation (n−1) of one subgroup.
struct GroupStats {
  var n: Int
  var mean: Double
  var range: Double
  var sd: Double
  init(_ v: [Double]) {
    n = v.count
    var sum = 0.0
    var lo = Double.infinity
    var hi = -Double.infinity
    for x in v {
      sum += x
      lo = Swift.min(lo, x)
      hi = Swift.max(hi, x)
    }
    mean = n > 0 ? sum / Double(n) : .nan
    range = n > 0 ? hi - lo : .nan
    var ss = 0.0
    for x in v { ss += (x - mean) * (x - mean) }
    sd = n > 1 ? (ss / Double(n - 1)).squareRoot() : .nan
  }
}

/// σ of subgroups `groups` by `estimator` (the calibration groups only).
/// d2 (and d3 when asked) for each distinct size in `sizes`, from `source`.
func constantLookup(_ sizes: [Int], _ source: ChartConstants.Source, d3 wantD3: Bool) -> (d2: [Int: Double], d3: [Int: Double]) {
  var d2: [Int: Double] = [:]
  var d3: [Int: Double] = [:]
  for n in Set(sizes) {
    d2[n] = ChartConstants.d2(n, source)
    if wantD3 { d3[n] = ChartConstants.d3(n, source) }
  }
  return (d2, d3)
}

/// σ estimated from `groups` (calibration subgroups, values in the data's unit) by `estimator`, with d2/d3 from `constants`.
public func estimateSigma(_ groups: [[Double]], _ estimator: SigmaEstimator, constants: ChartConstants.Source = .qcc) throws(ChartError) -> Double {
  let st = groups.map(GroupStats.init)
  let k = constantLookup(estimator == .movingRange ? [2] : st.map(\.n), constants, d3: estimator == .mvlueR)
  switch estimator {
  case .rBar:
    var s = 0.0
    for g in st {
      guard let d2 = k.d2[g.n] ?? nil else {
        throw ChartError("the R̄/d2 estimator needs subgroup sizes 2…25 with qcc's constants; got a subgroup of \(g.n). Use --sigma sbar or pooled, or exact constants.")
      }
      s += g.range / d2
    }
    return s / Double(st.count)
  case .sBar:
    var s = 0.0
    for g in st {
      guard g.n >= 2 else { throw ChartError("the S̄/c4 estimator needs subgroups of at least 2; got a subgroup of \(g.n).") }
      s += g.sd / ChartConstants.c4(g.n)
    }
    return s / Double(st.count)
  case .pooled:
    var num = 0.0
    var df = 0
    for g in st {
      guard g.n >= 2 else { throw ChartError("the pooled estimator needs subgroups of at least 2; got a subgroup of \(g.n).") }
      num += Double(g.n - 1) * g.sd * g.sd
      df += g.n - 1
    }
    return (num / Double(df)).squareRoot() / ChartConstants.c4(df + 1)
  case .mvlueR:
    var num = 0.0
    var den = 0.0
    for g in st {
      guard let d2 = k.d2[g.n] ?? nil, let d3 = k.d3[g.n] ?? nil else {
        throw ChartError("the MVLUE-R estimator needs subgroup sizes 2…25 with qcc's constants; got a subgroup of \(g.n).")
      }
      let w = (d2 / d3) * (d2 / d3)
      num += w * g.range / d2
      den += w
    }
    return num / den
  case .mvlueS:
    var num = 0.0
    var den = 0.0
    for g in st {
      guard g.n >= 2 else { throw ChartError("the MVLUE-S estimator needs subgroups of at least 2; got a subgroup of \(g.n).") }
      let c4 = ChartConstants.c4(g.n)
      let w = c4 * c4 / (1 - c4 * c4)
      num += w * g.sd / c4
      den += w
    }
    return num / den
  case .movingRange:
    let x = groups.flatMap { $0 }
    guard x.count >= 2 else { throw ChartError("the moving-range estimator needs at least 2 values; got \(x.count).") }
    var s = 0.0
    for i in 1..<x.count { s += abs(x[i] - x[i - 1]) }
    return s / Double(x.count - 1) / (k.d2[2].flatMap { $0 } ?? ChartConstants.d2Table[2])
  }
}

/// Options common to the charts.
public struct ChartOptions: Sendable {
  /// Width of the control limits in σ of the plotted statistic (qcc `nsigmas`, default 3).
  public var nsigmas: Double = 3
  /// Number of leading subgroups used to compute centre and σ (phase I); the rest are
  /// charted against those limits (qcc `newdata`). nil = all.
  public var calibration: Int? = nil
  /// σ estimator; nil = qcc's default for the chart (R̄/d2 for X̄-R, S̄/c4 for X̄-S, MR for I-MR).
  public var sigma: SigmaEstimator? = nil
  /// Known centre (target) instead of the calibration mean.
  public var center: Double? = nil
  /// Known σ instead of an estimate.
  public var knownSigma: Double? = nil
  /// Run rules for Shewhart charts.
  public var rules: RuleSet = .qccDefault
  /// d2/d3 values: qcc's tables (default) or exact.
  public var constants: ChartConstants.Source = .qcc
  /// qcc's defaults: 3σ, all subgroups for calibration, the chart's default σ, WE1 and WE4, qcc constants.
  public init() {}
}

/// One Shewhart chart: plotted statistics with centre, limits, zone σ and flags per point.
public struct ShewhartChart: Sendable {
  /// The plotted statistic.
  public enum Statistic: String, Sendable, Codable { case mean, range, standardDeviation, individual, movingRange }
  /// Which statistic the chart plots.
  public var statistic: Statistic
  /// Subgroup labels (lots or specimens), one per point.
  public var labels: [String]
  /// Values per subgroup.
  public var sizes: [Int]
  /// The plotted statistic per point (unit of the data).
  public var values: [Double]
  /// Centre line (unit of the data).
  public var center: Double
  /// The process σ the limits are built on (unit of the data).
  public var sigma: Double
  /// The σ estimator used; nil when σ was given.
  public var estimator: SigmaEstimator?
  /// Limits are centre ± nsigmas standard errors.
  public var nsigmas: Double
  /// Lower control limit per point (unit of the data).
  public var lcl: [Double]
  /// Upper control limit per point (unit of the data).
  public var ucl: [Double]
  /// σ of the plotted statistic per point (zone width = this; 1σ, 2σ zones around the centre).
  public var standardError: [Double]
  /// True where the lower limits are clipped at zero (R, S and MR charts).
  public var clipsAtZero: Bool
  /// Number of leading points used for calibration.
  public var calibrationCount: Int
  /// Rule labels violated by each point.
  public var flags: [[String]]

  /// Limits at `k` standard errors (clipped at zero for dispersion charts).
  public func limits(at k: Double) -> (lower: [Double], upper: [Double]) {
    let lo = standardError.map { clipsAtZero ? Swift.max(0, center - k * $0) : center - k * $0 }
    let hi = standardError.map { center + k * $0 }
    return (lo, hi)
  }

  /// Indices of points with any flag.
  public var flaggedIndices: [Int] { flags.indices.filter { !flags[$0].isEmpty } }

  mutating func applyRules(_ rules: RuleSet) {
    let c = center
    let se = standardError
    let clip = clipsAtZero
    let input = RuleInput(statistics: values, center: c) { k in
      (se.map { clip ? Swift.max(0, c - k * $0) : c - k * $0 }, se.map { c + k * $0 })
    }
    flags = evaluate(rules, on: input, nsigmas: nsigmas)
  }
}

/// A pair of Shewhart charts (location and dispersion).
public struct ShewhartPair: Sendable {
  /// The X̄ or individuals chart.
  public var location: ShewhartChart
  /// The R, S or moving-range chart.
  public var dispersion: ShewhartChart
}

func calibrationCount(_ total: Int, _ options: ChartOptions, minimum: Int) throws(ChartError) -> Int {
  let m = options.calibration ?? total
  guard m >= minimum && m <= total else {
    throw ChartError("the calibration must use between \(minimum) and \(total) subgroups; got \(m).")
  }
  return m
}

/// X̄ and R (or X̄ and S) charts of subgroups (qcc types "xbar" with "R" or "S").
public func xbarChart(_ groups: [Subgroup], dispersion: ShewhartChart.Statistic, options: ChartOptions) throws(ChartError) -> ShewhartPair {
  guard dispersion == .range || dispersion == .standardDeviation else {
    throw ChartError("an X̄ chart pairs with a range or standard-deviation chart.")
  }
  for g in groups where g.values.count < 2 {
    throw ChartError("X̄-R and X̄-S charts need at least 2 values per subgroup; subgroup '\(g.label)' has \(g.values.count). Use the I-MR chart for individual values.")
  }
  let m = try calibrationCount(groups.count, options, minimum: 2)
  let st = groups.map { GroupStats($0.values) }
  let cal = Array(st[0..<m])
  // qcc: R̄/d2 for X̄-R (pooled when any subgroup exceeds 25), S̄/c4 for X̄-S.
  let estimator = options.sigma ?? (dispersion == .range ? (groups.contains { $0.values.count > 25 } ? .pooled : .rBar) : .sBar)
  if estimator == .movingRange { throw ChartError("the moving-range σ applies to I-MR charts; use rbar, sbar or pooled.") }
  let sigma: Double
  if let k = options.knownSigma { sigma = k } else { sigma = try estimateSigma(groups[0..<m].map(\.values), estimator, constants: options.constants) }
  let totalN = cal.reduce(0) { $0 + $1.n }
  let grand = options.center ?? cal.reduce(0) { $0 + Double($1.n) * $1.mean } / Double(totalN)
  let ns = options.nsigmas
  let labels = groups.map(\.label)
  let sizes = st.map(\.n)
  let seX = sizes.map { sigma / Double($0).squareRoot() }
  var loc = ShewhartChart(
    statistic: .mean, labels: labels, sizes: sizes, values: st.map(\.mean), center: grand, sigma: sigma,
    estimator: options.knownSigma == nil ? estimator : nil, nsigmas: ns,
    lcl: seX.map { grand - ns * $0 }, ucl: seX.map { grand + ns * $0 }, standardError: seX, clipsAtZero: false,
    calibrationCount: m, flags: [])
  loc.applyRules(options.rules)
  var disp: ShewhartChart
  if dispersion == .range {
    var se: [Double] = []
    let k = constantLookup(sizes, options.constants, d3: true)
    for n in sizes {
      guard let d3 = k.d3[n] ?? nil else { throw ChartError("R charts need subgroup sizes 2…50 with qcc's constants; got \(n). Use X̄-S or exact constants.") }
      se.append(d3 * sigma)
    }
    let center = cal.reduce(0) { $0 + Double($1.n) * $1.range } / Double(totalN)
    disp = ShewhartChart(
      statistic: .range, labels: labels, sizes: sizes, values: st.map(\.range), center: center, sigma: sigma,
      estimator: loc.estimator, nsigmas: ns, lcl: se.map { Swift.max(0, center - ns * $0) },
      ucl: se.map { center + ns * $0 }, standardError: se, clipsAtZero: true, calibrationCount: m, flags: [])
  } else {
    let se = sizes.map { n in sigma * (1 - ChartConstants.c4(n) * ChartConstants.c4(n)).squareRoot() }
    let center = cal.reduce(0) { $0 + Double($1.n) * $1.sd } / Double(totalN)
    disp = ShewhartChart(
      statistic: .standardDeviation, labels: labels, sizes: sizes, values: st.map(\.sd), center: center, sigma: sigma,
      estimator: loc.estimator, nsigmas: ns, lcl: se.map { Swift.max(0, center - ns * $0) },
      ucl: se.map { center + ns * $0 }, standardError: se, clipsAtZero: true, calibrationCount: m, flags: [])
  }
  disp.applyRules(options.rules)
  return ShewhartPair(location: loc, dispersion: disp)
}

/// Individuals and moving-range charts (qcc "xbar.one" with MR σ, and an R chart of the
/// moving ranges of 2). `values` in time order.
public func individualsChart(_ values: [Double], labels: [String], options: ChartOptions) throws(ChartError) -> ShewhartPair {
  guard values.count >= 3 else { throw ChartError("an I-MR chart needs at least 3 values; got \(values.count).") }
  let m = try calibrationCount(values.count, options, minimum: 3)
  let cal = Array(values[0..<m])
  let estimator = options.sigma ?? .movingRange
  guard estimator == .movingRange else {
    throw ChartError("an I-MR chart estimates σ from moving ranges; use --sigma mr (got \(estimator.rawValue)).")
  }
  let sigma: Double
  if let k = options.knownSigma { sigma = k } else { sigma = try estimateSigma([cal], .movingRange, constants: options.constants) }
  let center = options.center ?? cal.reduce(0, +) / Double(m)
  let ns = options.nsigmas
  let n = values.count
  var ind = ShewhartChart(
    statistic: .individual, labels: labels, sizes: [Int](repeating: 1, count: n), values: values, center: center,
    sigma: sigma, estimator: options.knownSigma == nil ? estimator : nil, nsigmas: ns,
    lcl: [Double](repeating: center - ns * sigma, count: n), ucl: [Double](repeating: center + ns * sigma, count: n),
    standardError: [Double](repeating: sigma, count: n), clipsAtZero: false, calibrationCount: m, flags: [])
  ind.applyRules(options.rules)
  let mr = (1..<n).map { abs(values[$0] - values[$0 - 1]) }
  let mrCenter = mr[0..<(m - 1)].reduce(0, +) / Double(m - 1)
  let se = (ChartConstants.d3(2, options.constants) ?? ChartConstants.d3Table[2]) * sigma
  var mrChart = ShewhartChart(
    statistic: .movingRange, labels: Array(labels[1...]), sizes: [Int](repeating: 2, count: n - 1), values: mr,
    center: mrCenter, sigma: sigma, estimator: ind.estimator, nsigmas: ns,
    lcl: [Double](repeating: Swift.max(0, mrCenter - ns * se), count: n - 1),
    ucl: [Double](repeating: mrCenter + ns * se, count: n - 1), standardError: [Double](repeating: se, count: n - 1),
    clipsAtZero: true, calibrationCount: m - 1, flags: [])
  mrChart.applyRules(options.rules)
  return ShewhartPair(location: ind, dispersion: mrChart)
}

/// Means (or individuals) of subgroups with the calibration centre and σ, as qcc's ewma and
/// cusum compute them: X̄ with R̄/d2 when every subgroup has ≥ 2 values, else individuals with MR.
func locationBasis(_ groups: [Subgroup], _ options: ChartOptions) throws(ChartError) -> (stats: [Double], sizes: [Int], center: Double, sigma: Double, estimator: SigmaEstimator?, m: Int) {
  guard groups.count >= 2 else { throw ChartError("the chart needs at least 2 subgroups; got \(groups.count).") }
  for g in groups where g.values.isEmpty { throw ChartError("subgroup '\(g.label)' has no values.") }
  let individuals = groups.contains { $0.values.count == 1 }
  let m = try calibrationCount(groups.count, options, minimum: 2)
  let st = groups.map { GroupStats($0.values) }
  let cal = Array(st[0..<m])
  let estimator: SigmaEstimator = options.sigma ?? (individuals ? .movingRange : (groups.contains { $0.values.count > 25 } ? .pooled : .rBar))
  if individuals && estimator != .movingRange {
    throw ChartError("with single values per subgroup σ comes from moving ranges; use --sigma mr (got \(estimator.rawValue)).")
  }
  let sigma: Double
  if let k = options.knownSigma { sigma = k } else { sigma = try estimateSigma(groups[0..<m].map(\.values), estimator, constants: options.constants) }
  let totalN = cal.reduce(0) { $0 + $1.n }
  let center = options.center ?? cal.reduce(0) { $0 + Double($1.n) * $1.mean } / Double(totalN)
  return (st.map(\.mean), st.map(\.n), center, sigma, options.knownSigma == nil ? estimator : nil, m)
}

/// An EWMA chart with exact (time-varying) limits (qcc `ewma`).
public struct EWMAChart: Sendable {
  /// Subgroup labels, one per point.
  public var labels: [String]
  /// Values per subgroup.
  public var sizes: [Int]
  /// Subgroup means (or individuals).
  public var statistics: [Double]
  /// zᵢ = λ x̄ᵢ + (1−λ) zᵢ₋₁, z₀ = centre.
  public var ewma: [Double]
  /// Centre line (unit of the data).
  public var center: Double
  /// Process σ (unit of the data).
  public var sigma: Double
  /// The σ estimator used; nil when σ was given.
  public var estimator: SigmaEstimator?
  /// Smoothing weight λ (0 < λ ≤ 1).
  public var lambda: Double
  /// Limit width in σ of the EWMA statistic.
  public var nsigmas: Double
  /// Lower limit per point (unit of the data).
  public var lcl: [Double]
  /// Upper limit per point (unit of the data).
  public var ucl: [Double]
  /// Number of leading subgroups used for centre and σ.
  public var calibrationCount: Int
  /// Indices where the EWMA is beyond its limits.
  public var flagged: [Int]
}

/// EWMA chart; λ defaults to qcc's 0.2, limits at `options.nsigmas` (3).
public func ewmaChart(_ groups: [Subgroup], lambda: Double = 0.2, options: ChartOptions) throws(ChartError) -> EWMAChart {
  guard lambda > 0 && lambda <= 1 else { throw ChartError("λ must be in (0, 1]; got \(lambda).") }
  let b = try locationBasis(groups, options)
  var z = b.center
  var ewma: [Double] = []
  var lcl: [Double] = []
  var ucl: [Double] = []
  var flagged: [Int] = []
  let f = lambda / (2 - lambda)
  var decay = 1.0
  for (i, x) in b.stats.enumerated() {
    z = lambda * x + (1 - lambda) * z
    decay *= (1 - lambda) * (1 - lambda)
    let s = (b.sigma * b.sigma / Double(b.sizes[i]) * f * (1 - decay)).squareRoot()
    ewma.append(z)
    lcl.append(b.center - options.nsigmas * s)
    ucl.append(b.center + options.nsigmas * s)
    if z < lcl[i] || z > ucl[i] { flagged.append(i) }
  }
  return EWMAChart(
    labels: groups.map(\.label), sizes: b.sizes, statistics: b.stats, ewma: ewma, center: b.center, sigma: b.sigma,
    estimator: b.estimator, lambda: lambda, nsigmas: options.nsigmas, lcl: lcl, ucl: ucl, calibrationCount: b.m,
    flagged: flagged)
}

/// A tabular (standardised) CUSUM chart (qcc `cusum`): Cᵢ⁺ = max(0, Cᵢ₋₁⁺ + zᵢ − k),
/// Cᵢ⁻ = max(0, Cᵢ₋₁⁻ − zᵢ − k), zᵢ = (x̄ᵢ − centre)/(σ/√nᵢ), k = shift/2; signals when
/// Cᵢ⁺ > h or Cᵢ⁻ > h. Sums are in standard errors (dimensionless).
public struct CUSUMChart: Sendable {
  /// Subgroup labels, one per point.
  public var labels: [String]
  /// Values per subgroup.
  public var sizes: [Int]
  /// Subgroup means or individuals (unit of the data).
  public var statistics: [Double]
  /// Target (unit of the data).
  public var center: Double
  /// Process σ (unit of the data).
  public var sigma: Double
  /// The σ estimator used; nil when σ was given.
  public var estimator: SigmaEstimator?
  /// Decision interval h (standard errors; qcc default 5).
  public var decisionInterval: Double
  /// Shift to detect (standard errors; qcc default 1, so k = 0.5).
  public var shift: Double
  /// Starting value of both sums (standard errors; qcc default 0).
  public var headStart: Double
  /// Cᵢ⁺ (≥ 0).
  public var upper: [Double]
  /// −Cᵢ⁻ (≤ 0, as qcc plots it).
  public var lower: [Double]
  /// Number of leading subgroups used for centre and σ.
  public var calibrationCount: Int
  /// Indices where C⁺ > h.
  public var flaggedUpper: [Int]
  /// Indices where C⁻ > h.
  public var flaggedLower: [Int]
}

/// Tabular CUSUM; defaults h = 5, shift = 1 (k = 0.5) and no head start, as qcc.
public func cusumChart(_ groups: [Subgroup], decisionInterval h: Double = 5, shift: Double = 1, headStart: Double = 0, options: ChartOptions) throws(ChartError) -> CUSUMChart {
  guard h > 0 else { throw ChartError("the decision interval h must be positive; got \(h).") }
  guard headStart >= 0 && headStart < h else { throw ChartError("the head start must be in [0, h); got \(headStart).") }
  guard shift >= 0 else { throw ChartError("the shift must be non-negative; got \(shift).") }
  let b = try locationBasis(groups, options)
  var cp = headStart
  var cn = headStart
  var up: [Double] = []
  var lo: [Double] = []
  var fu: [Int] = []
  var fl: [Int] = []
  for (i, x) in b.stats.enumerated() {
    let z = (x - b.center) / (b.sigma / Double(b.sizes[i]).squareRoot())
    cp = Swift.max(0, cp + z - shift / 2)
    cn = Swift.max(0, cn - z - shift / 2)
    up.append(cp)
    lo.append(-cn)
    if cp > h { fu.append(i) }
    if cn > h { fl.append(i) }
  }
  return CUSUMChart(
    labels: groups.map(\.label), sizes: b.sizes, statistics: b.stats, center: b.center, sigma: b.sigma,
    estimator: b.estimator, decisionInterval: h, shift: shift, headStart: headStart, upper: up, lower: lo,
    calibrationCount: b.m, flaggedUpper: fu, flaggedLower: fl)
}
