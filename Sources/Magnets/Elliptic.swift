/// Bulirsch's general complete elliptic integral
/// `cel(kc, p, a, b) = ∫₀^{π/2} (a cos²φ + b sin²φ) / ((cos²φ + p sin²φ) √(cos²φ + kc² sin²φ)) dφ`
/// (R. Bulirsch, Numer. Math. 13, 305 (1969)), the same algorithm magpylib 6 uses.
/// `kc` must be non-zero; `p` may be negative (Cauchy principal value).
@inlinable
public func cel(_ kc: Double, _ p: Double, _ a: Double, _ b: Double) -> Double {
  var p = p, c = a, s = b
  if p > 0 {
    p = p.squareRoot()
    s /= p
  } else {
    var f = kc * kc
    var q = 1 - f
    let g = 1 - p
    f -= p
    q *= s - c * p
    p = (f / g).squareRoot()
    c = (c - s) / g
    s = -q / (g * g * p) + c * p
  }
  var em = 1.0
  var qc = abs(kc)
  var kk = qc
  while true {
    var g = kk / p
    let cNew = c + s / p
    s = 2 * (s + c * g)
    c = cNew
    p += g
    g = em
    em += qc
    if abs(g - qc) <= g * 1e-10 { break }
    qc = 2 * kk.squareRoot()
    kk = em * qc
  }
  return (Double.pi / 2) * (s + c * em) / (em * (em + p))
}

/// The complete elliptic integral of the first kind K(m) = ∫₀^{π/2} dφ/√(1 − m sin²φ),
/// parameter convention of scipy's `ellipk` (m = k²); valid for m < 1, including m < 0.
@inlinable public func ellipticK(_ m: Double) -> Double { cel((1 - m).squareRoot(), 1, 1, 1) }

/// The complete elliptic integral of the second kind E(m) = ∫₀^{π/2} √(1 − m sin²φ) dφ,
/// scipy's `ellipe` convention; valid for m ≤ 1.
@inlinable public func ellipticE(_ m: Double) -> Double {
  let kc = (1 - m).squareRoot()
  return kc == 0 ? 1 : cel(kc, 1, 1, kc * kc)
}
