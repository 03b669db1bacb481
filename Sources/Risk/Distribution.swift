@_exported import Probability
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
