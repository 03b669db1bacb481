import RealModule

/// Normal and χ² quantiles shared by QualityControl (capability intervals) and Risk
/// (distributions, copulas, confidence intervals); checked against R's qnorm/qchisq in the tests.

/// Standard normal quantile Φ⁻¹(p), 0 < p < 1: Acklam's rational approximation refined by
/// two Halley steps on erfc (relative error ~1e-15).
public func normalQuantile(_ p: Double) -> Double {
  guard p > 0 && p < 1 else { return p == 0 ? -.infinity : (p == 1 ? .infinity : .nan) }
  let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
  let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
  let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
  let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
  let pl = 0.02425
  var x: Double
  if p < pl {
    let q = (-2 * Double.log(p)).squareRoot()
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  } else if p <= 1 - pl {
    let q = p - 0.5
    let r = q * q
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  } else {
    let q = (-2 * Double.log(1 - p)).squareRoot()
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  for _ in 0..<2 {
    let e = 0.5 * Double.erfc(-x / 2.0.squareRoot()) - p
    let u = e * (2 * Double.pi).squareRoot() * Double.exp(x * x / 2)
    x -= u / (1 + x * u / 2)
  }
  return x
}

/// Regularised lower incomplete gamma P(a, x) (series for x < a + 1, Lentz continued fraction otherwise).
public func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
  guard x > 0 else { return 0 }
  let lg = Double.logGamma(a)
  if x < a + 1 {
    var sum = 1 / a
    var term = sum
    var n = a
    for _ in 0..<10_000 {
      n += 1
      term *= x / n
      sum += term
      if abs(term) < abs(sum) * 1e-17 { break }
    }
    return sum * Double.exp(-x + a * Double.log(x) - lg)
  }
  let tiny = 1e-300
  var b = x + 1 - a
  var c = 1 / tiny
  var d = 1 / b
  var h = d
  for i in 1..<10_000 {
    let an = -Double(i) * (Double(i) - a)
    b += 2
    d = an * d + b
    if abs(d) < tiny { d = tiny }
    c = b + an / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    let del = d * c
    h *= del
    if abs(del - 1) < 1e-17 { break }
  }
  return 1 - Double.exp(-x + a * Double.log(x) - lg) * h
}

/// χ² quantile with `df` (> 0, not necessarily integer) degrees of freedom: Wilson–Hilferty
/// start, then Newton steps on P(df/2, x/2), safeguarded by bisection.
public func chiSquareQuantile(_ p: Double, df: Double) -> Double {
  guard p > 0 && p < 1 && df > 0 else { return .nan }
  let a = df / 2
  let z = normalQuantile(p)
  let h = 2 / (9 * df)
  var x = Swift.max(df * Double.pow(1 - h + z * h.squareRoot(), 3), 1e-8)
  var lo = 0.0
  var hi = Double.infinity
  let lg = Double.logGamma(a)
  for _ in 0..<200 {
    let f = regularizedGammaP(a, x / 2) - p
    if f < 0 { lo = x } else { hi = x }
    // density of χ²(df) at x
    let dens = Double.exp((a - 1) * Double.log(x / 2) - x / 2 - lg) / 2
    var next = x - f / dens
    if !(next > lo && next < hi) || !next.isFinite { next = hi.isFinite ? (lo + hi) / 2 : x * 2 }
    if abs(next - x) <= 1e-15 * x { x = next; break }
    x = next
  }
  return x
}
