import Foundation

/// A univariate distribution, sampled by inverse transform from a uniform in (0, 1) so that
/// shared drivers and Gaussian copulas can correlate any mix of kinds. Values are in the unit of
/// the quantity they perturb (months, fractions or multipliers; see `UncertainTarget`).
public enum Distribution: Sendable, Equatable {
  case fixed(Double)
  case uniform(min: Double, max: Double)
  case triangular(min: Double, mode: Double, max: Double)
  /// Beta-PERT with shape 4: α = 1 + 4(mode − min)/(max − min), β = 1 + 4(max − mode)/(max − min).
  case pert(min: Double, mode: Double, max: Double)
  case normal(mean: Double, sd: Double)
  /// ln X ~ Normal(ln median, sigma).
  case lognormal(median: Double, sigma: Double)
  case exponential(mean: Double)
  /// 1 with probability `p`, else 0.
  case bernoulli(p: Double)
  /// Equally likely values (a step inverse CDF over the sorted values).
  case empirical([Double])

  /// The kind's name as written in files.
  public var kindName: String {
    switch self {
    case .fixed: "fixed"
    case .uniform: "uniform"
    case .triangular: "triangular"
    case .pert: "pert"
    case .normal: "normal"
    case .lognormal: "lognormal"
    case .exponential: "exponential"
    case .bernoulli: "bernoulli"
    case .empirical: "empirical"
    }
  }

  public static let kindNames = ["fixed", "uniform", "triangular", "pert", "normal", "lognormal", "exponential", "bernoulli", "empirical"]

  /// The inverse CDF at `u` in (0, 1).
  public func quantile(_ u: Double) -> Double {
    switch self {
    case .fixed(let v): return v
    case .uniform(let a, let b): return a + (b - a) * u
    case .triangular(let a, let c, let b):
      guard b > a else { return a }
      let fc = (c - a) / (b - a)
      return u < fc ? a + ((b - a) * (c - a) * u).squareRoot() : b - ((b - a) * (b - c) * (1 - u)).squareRoot()
    case .pert(let a, let c, let b):
      guard b > a else { return a }
      let alpha = 1 + 4 * (c - a) / (b - a), beta = 1 + 4 * (b - c) / (b - a)
      return a + (b - a) * inverseRegularizedBeta(u, alpha, beta)
    case .normal(let m, let s): return m + s * normalQuantile(u)
    case .lognormal(let med, let s): return med * exp(s * normalQuantile(u))
    case .exponential(let mean): return -mean * log1p(-u)
    case .bernoulli(let p): return u < p ? 1 : 0
    case .empirical(let values):
      guard !values.isEmpty else { return 0 }
      let sorted = values.sorted()
      return sorted[min(sorted.count - 1, Int(u * Double(sorted.count)))]
    }
  }

  /// The mean of the distribution (exact for every kind).
  public var mean: Double {
    switch self {
    case .fixed(let v): return v
    case .uniform(let a, let b): return (a + b) / 2
    case .triangular(let a, let c, let b): return (a + b + c) / 3
    case .pert(let a, let c, let b): return (a + 4 * c + b) / 6
    case .normal(let m, _): return m
    case .lognormal(let med, let s): return med * exp(s * s / 2)
    case .exponential(let m): return m
    case .bernoulli(let p): return p
    case .empirical(let v): return v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count)
    }
  }
}

/// Φ⁻¹(p): Acklam's rational approximation refined by one Halley step (|error| < 1e-12).
public func normalQuantile(_ p: Double) -> Double {
  if p <= 0 { return -.infinity }
  if p >= 1 { return .infinity }
  let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
  let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
  let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
  let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
  let pl = 0.02425
  var x: Double
  if p < pl {
    let q = (-2 * log(p)).squareRoot()
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  } else if p <= 1 - pl {
    let q = p - 0.5, r = q * q
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  } else {
    let q = (-2 * log1p(-p)).squareRoot()
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
  let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
  x -= u / (1 + x * u / 2)
  return x
}

/// Φ(x), the standard normal CDF.
public func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// I_x(a, b), the regularised incomplete beta function (continued fraction, Numerical Recipes §6.4).
public func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
  if x <= 0 { return 0 }
  if x >= 1 { return 1 }
  let lbeta = lgamma(a + b) - lgamma(a) - lgamma(b)
  let front = exp(lbeta + a * log(x) + b * log1p(-x))
  func cf(_ x: Double, _ a: Double, _ b: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0, d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...300 {
      let m = Double(m), m2 = 2 * m
      var aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2))
      d = 1 + aa * d; if abs(d) < tiny { d = tiny }
      c = 1 + aa / c; if abs(c) < tiny { c = tiny }
      d = 1 / d; h *= d * c
      aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2))
      d = 1 + aa * d; if abs(d) < tiny { d = tiny }
      c = 1 + aa / c; if abs(c) < tiny { c = tiny }
      d = 1 / d
      let del = d * c
      h *= del
      if abs(del - 1) < 1e-15 { break }
    }
    return h
  }
  if x < (a + 1) / (a + b + 2) { return front * cf(x, a, b) / a }
  return 1 - exp(lbeta + b * log1p(-x) + a * log(x)) * cf(1 - x, b, a) / b
}

/// The x with I_x(a, b) = u, by bisection to 1e-13 (monotone, always converges).
public func inverseRegularizedBeta(_ u: Double, _ a: Double, _ b: Double) -> Double {
  var lo = 0.0, hi = 1.0
  for _ in 0..<60 {
    let mid = (lo + hi) / 2
    if regularizedBeta(mid, a, b) < u { lo = mid } else { hi = mid }
    if hi - lo < 1e-13 { break }
  }
  return (lo + hi) / 2
}
