import Foundation
import Risk
import Testing

@Suite struct DistributionTests {
  /// Φ⁻¹ against published values (Abramowitz & Stegun table 26.5; R qnorm), to 1e-9.
  @Test(arguments: [(0.975, 1.959963984540054), (0.5, 0.0), (0.9, 1.2815515655446004), (0.001, -3.090232306167813), (1e-9, -5.997807015007687)])
  func normalQuantileMatchesTables(p: Double, z: Double) {
    #expect(abs(normalQuantile(p) - z) < 1e-9)
  }

  /// I_x(a, b) closed forms: I_x(a, 1) = x^a; I_x(1, b) = 1 − (1 − x)^b; I_0.5(a, a) = 0.5.
  @Test func regularizedBetaClosedForms() {
    #expect(abs(regularizedBeta(0.3, 2.5, 1) - pow(0.3, 2.5)) < 1e-12)
    #expect(abs(regularizedBeta(0.3, 1, 3) - (1 - pow(0.7, 3))) < 1e-12)
    #expect(abs(regularizedBeta(0.5, 4, 4) - 0.5) < 1e-12)
    #expect(abs(inverseRegularizedBeta(pow(0.3, 2.5), 2.5, 1) - 0.3) < 1e-10)
  }

  /// Inverse CDFs at known points (hand calculation in each case).
  @Test func quantilesByHand() {
    // Triangular(0, 2, 10): F(2) = (2−0)/(10−0) = 0.2; at u = 0.2 the quantile is the mode.
    #expect(abs(Distribution.triangular(min: 0, mode: 2, max: 10).quantile(0.2) - 2) < 1e-12)
    // u = 0.5 > 0.2: x = 10 − √(10·8·0.5) = 10 − √40.
    #expect(abs(Distribution.triangular(min: 0, mode: 2, max: 10).quantile(0.5) - (10 - 40.0.squareRoot())) < 1e-12)
    // Exponential(mean 3): median 3 ln 2.
    #expect(abs(Distribution.exponential(mean: 3).quantile(0.5) - 3 * log(2)) < 1e-12)
    // Lognormal(median 2, σ 0.5): median 2; P90 = 2·e^(0.5·1.28155).
    #expect(abs(Distribution.lognormal(median: 2, sigma: 0.5).quantile(0.5) - 2) < 1e-12)
    #expect(abs(Distribution.lognormal(median: 2, sigma: 0.5).quantile(0.9) - 2 * exp(0.5 * 1.2815515655446004)) < 1e-9)
    // Symmetric PERT(0, 5, 10) has median 5; Bernoulli(0.3) is 1 below u = 0.3.
    #expect(abs(Distribution.pert(min: 0, mode: 5, max: 10).quantile(0.5) - 5) < 1e-9)
    #expect(Distribution.bernoulli(p: 0.3).quantile(0.29) == 1 && Distribution.bernoulli(p: 0.3).quantile(0.31) == 0)
    #expect(Distribution.empirical([3, 1, 2]).quantile(0.1) == 1 && Distribution.empirical([3, 1, 2]).quantile(0.9) == 3)
  }

  /// Sample means from the keyed stream match the closed-form means: N = 20 000, tolerance 4 standard errors.
  @Test(arguments: [
    Distribution.uniform(min: 2, max: 8), .triangular(min: 0, mode: 2, max: 10), .pert(min: 0, mode: 2, max: 10), .normal(mean: 5, sd: 2),
    .lognormal(median: 1, sigma: 0.4), .exponential(mean: 3), .bernoulli(p: 0.2),
  ])
  func sampleMeansMatch(d: Distribution) {
    let n = 20_000
    var xs: [Double] = []
    for r in 0..<n {
      var s = KeyedStream(seed: 99, replication: r, input: 1)
      xs.append(d.quantile(s.uniform()))
    }
    let m = xs.reduce(0, +) / Double(n)
    let sd = (xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(n - 1)).squareRoot()
    let tolerance: Double = 4 * sd / Double(n).squareRoot() + 1e-12
    let error: Double = abs(m - d.mean)
    #expect(error < tolerance, "\(d)")
  }

  /// Gaussian copula with ρ = 0.5: Spearman's ρ_s = (6/π)·asin(ρ/2) = 0.4826 (Pearson 1907).
  /// N = 5000: sd of ρ̂_s ≈ (1 − ρ²)/√N ≈ 0.011, tolerance 0.04. A shared driver gives ρ_s = 1.
  @Test func copulaAndDriverCorrelations() throws {
    let text = """
      uncertainty:
        - {name: a, target: demands/ev/multiplier, distribution: {kind: normal, mean: 1, sd: 0.1}}
        - {name: b, target: demands/wind/multiplier, distribution: {kind: lognormal, median: 1, sigma: 0.2}}
        - {name: c, target: policies/cn-freeze/duration, distribution: {kind: uniform, min: 12, max: 24}, driver: cn}
        - {name: d, target: policies/cn-licence/approval, distribution: {kind: uniform, min: 0.2, max: 0.9}, driver: cn}
      correlation:
        inputs: [a, b]
        matrix: [[1, 0.5], [0.5, 1]]
      """
    let spec = try UncertaintyDecoder().decode(text: text, file: "t.yaml")
    let p = Perturbation(spec: spec, seed: 7)
    let u = (0..<5000).map { p.uniforms(replication: $0) }
    let rho = spearman(u.map { $0[0] }, u.map { $0[1] })
    #expect(abs(rho - 6 / Double.pi * asin(0.25)) < 0.04)
    #expect(spearman(u.map { $0[2] }, u.map { $0[3] }) == 1)
    #expect(abs(spearman(u.map { $0[0] }, u.map { $0[2] })) < 0.05)  // independent: sd 0.014
  }

  /// Keyed streams: the same key gives the same numbers; neighbouring keys are uncorrelated
  /// (lag correlation of 10 000 uniforms below 4/√N = 0.04).
  @Test func keyedStreamProperties() {
    var a = KeyedStream(seed: 1, replication: 5, input: 3), b = KeyedStream(seed: 1, replication: 5, input: 3)
    let sa: [UInt64] = (0..<5).map { _ in a.next() }
    let sb: [UInt64] = (0..<5).map { _ in b.next() }
    #expect(sa == sb)
    let x = (0..<10_000).map { r -> Double in var s = KeyedStream(seed: 1, replication: r, input: 0); return s.uniform() }
    let y = (0..<10_000).map { r -> Double in var s = KeyedStream(seed: 1, replication: r + 1, input: 0); return s.uniform() }
    #expect(abs(spearman(x, y)) < 0.04)
    let mean: Double = x.reduce(0, +) / 10_000
    let tolerance: Double = 4 * (1 / 12.0).squareRoot() / 100  // 4 standard errors of a mean of 10 000 uniforms
    #expect(abs(mean - 0.5) < tolerance)
  }
}

@Suite struct StatisticsTests {
  /// Mean, sd and quantiles of 1…100 by hand: mean 50.5, sd √(100·101/12) = 29.011; whole numbers are
  /// binned exactly, so P5 = 5, P50 = 50, P95 = 95 (⌈q·n⌉-th value).
  @Test func momentsAndQuantiles() {
    var s = KPIStatistics()
    for x in 1...100 { s.add(Double(x)) }
    #expect(abs(s.mean - 50.5) < 1e-6)
    #expect(abs(s.sd - (100.0 * 101 / 12).squareRoot()) < 1e-6)
    #expect(s.quantile(0.05) == 5 && s.quantile(0.5) == 50 && s.quantile(0.95) == 95)
    #expect(s.probabilityPositive == 1)
    #expect(abs(s.exceedance(90) - 0.10) < 1e-12)
  }

  /// Non-integer values fall in log bins of width 10^(1/40): a quantile is within 3 % of the exact one.
  @Test func logBinnedQuantilesWithin3Percent() {
    var s = KPIStatistics()
    let xs = (1...1000).map { 1234.5 * pow(1.01, Double($0)) + 0.25 }
    for x in xs { s.add(x) }
    let exact = xs.sorted()[499]
    #expect(abs(s.quantile(0.5) / exact - 1) < 0.03)
  }

  /// Merging is exact and order-independent, and the text form round-trips.
  @Test func mergeIsExact() {
    var a = KPIStatistics(), b = KPIStatistics(), all = KPIStatistics()
    for k in 0..<500 {
      let x = Double(k) * 0.731 + sin(Double(k)) * 100 + 100
      all.add(x)
      if k % 3 == 0 { a.add(x) } else { b.add(x) }
    }
    var ab = a, ba = b
    ab.merge(b)
    ba.merge(a)
    #expect(ab == all && ba == all)
    #expect(KPIStatistics(encoded: all.encoded) == all)
  }
}
