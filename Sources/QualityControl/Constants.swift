import RealModule

/// Control-chart constants. Lodestone uses the same tables as R's qcc (≤ 3.0) so that limits
/// agree with it: d2 to 3 decimals (the classic ASTM/Montgomery table, n = 2…25), d3 to 7
/// decimals (n = 2…50), and c4 exactly from the Γ function.
public enum ChartConstants {
  /// d2(n): expected range of n standard-normal values, tabulated to 3 decimals (qcc's
  /// `exp.R.unscaled`), n = 2…25. Index n; entries 0 and 1 are unused.
  public static let d2Table: [Double] = [
    .nan, .nan, 1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.258, 3.336, 3.407,
    3.472, 3.532, 3.588, 3.640, 3.689, 3.735, 3.778, 3.819, 3.858, 3.895, 3.931,
  ]
  /// d3(n): standard deviation of the range of n standard-normal values (qcc's
  /// `se.R.unscaled`), n = 2…50.
  public static let d3Table: [Double] = [
    .nan, .nan, 0.8525033, 0.8883697, 0.8798108, 0.8640855, 0.8480442, 0.8332108, 0.8198378, 0.8078413,
    0.7970584, 0.7873230, 0.7784873, 0.7704257, 0.7630330, 0.7562217, 0.7499188, 0.7440627, 0.7386021,
    0.7334929, 0.7286980, 0.7241851, 0.7199267, 0.7158987, 0.7120802, 0.7084528, 0.7050004, 0.7017086,
    0.6985648, 0.6955576, 0.6926770, 0.6899137, 0.6872596, 0.6847074, 0.6822502, 0.6798821, 0.6775973,
    0.6753910, 0.6732584, 0.6711952, 0.6691976, 0.6672619, 0.6653848, 0.6635632, 0.6617943, 0.6600754,
    0.6584041, 0.6567780, 0.6551950, 0.6536532, 0.6521506,
  ]

  /// d2(n) for 2 ≤ n ≤ 25, else nil.
  public static func d2(_ n: Int) -> Double? { n >= 2 && n < d2Table.count ? d2Table[n] : nil }
  /// d3(n) for 2 ≤ n ≤ 50, else nil.
  public static func d3(_ n: Int) -> Double? { n >= 2 && n < d3Table.count ? d3Table[n] : nil }
  /// c4(n) = √(2/(n−1)) Γ(n/2)/Γ((n−1)/2), exact, for n ≥ 2.
  public static func c4(_ n: Int) -> Double {
    let x = Double(n)
    return (2 / (x - 1)).squareRoot() * Double.exp(Double.logGamma(x / 2) - Double.logGamma((x - 1) / 2))
  }

  /// Which d2/d3 values charts use.
  public enum Source: String, Sendable, CaseIterable, Codable {
    /// qcc ≤ 3.0's tables (d2 to 3 decimals): matches qcc 3.0 and textbook tables.
    case qcc
    /// Exact values by numerical integration (as qcc's development version and Minitab).
    case exact
  }

  /// d2(n) from `source`; nil outside the table (qcc) or for n < 2.
  public static func d2(_ n: Int, _ source: Source) -> Double? {
    source == .qcc ? d2(n) : (n >= 2 ? exactD2(n) : nil)
  }
  /// d3(n) from `source`; nil outside the table (qcc) or for n < 2.
  public static func d3(_ n: Int, _ source: Source) -> Double? {
    source == .qcc ? d3(n) : (n >= 2 ? exactD3(n) : nil)
  }

  static func phi(_ x: Double) -> Double { 0.5 * Double.erfc(-x / 2.0.squareRoot()) }

  /// d2(n) = ∫ [1 − Φ(x)ⁿ − (1 − Φ(x))ⁿ] dx over ℝ, composite Simpson on [−10, 10] (h = 0.005).
  public static func exactD2(_ n: Int) -> Double {
    let m = 4000
    let a = -10.0
    let h = 20.0 / Double(m)
    var s = 0.0
    for i in 0...m {
      let x = a + Double(i) * h
      let p = phi(x)
      let f = 1 - Double.pow(p, Double(n)) - Double.pow(1 - p, Double(n))
      s += f * (i == 0 || i == m ? 1 : (i % 2 == 1 ? 4 : 2))
    }
    return s * h / 3
  }

  /// d3(n) = √(E[R²] − d2²), E[R²] = 2∫₀^∞ r·P(R > r) dr with
  /// P(R ≤ r) = n∫ φ(x)[Φ(x + r) − Φ(x)]ⁿ⁻¹ dx (composite Simpson in both variables).
  public static func exactD3(_ n: Int) -> Double {
    let mr = 600
    let rMax = 12.0
    let hr = rMax / Double(mr)
    let mx = 800
    let xa = -8.0
    let hx = 16.0 / Double(mx)
    let xs = (0...mx).map { xa + Double($0) * hx }
    let px = xs.map(phi)
    let dens = xs.map { Double.exp(-$0 * $0 / 2) / (2 * Double.pi).squareRoot() }
    func w(_ i: Int, _ m: Int) -> Double { i == 0 || i == m ? 1 : (i % 2 == 1 ? 4 : 2) }
    var outer = 0.0
    for j in 0...mr {
      let r = Double(j) * hr
      var inner = 0.0
      for i in 0...mx {
        let d = phi(xs[i] + r) - px[i]
        inner += w(i, mx) * dens[i] * Double.pow(Swift.max(d, 0), Double(n - 1))
      }
      let cdf = Double(n) * inner * hx / 3
      outer += w(j, mr) * r * (1 - cdf)
    }
    let er2 = 2 * outer * hr / 3
    let d2 = exactD2(n)
    return (er2 - d2 * d2).squareRoot()
  }
}
