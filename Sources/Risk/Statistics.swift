import Foundation

/// Streaming statistics of one non-negative KPI whose merge is exact and order-independent:
/// sums are kept in 128-bit fixed point (2⁻²⁰ of the KPI's unit), counts are integers, and
/// quantiles come from a fixed log-spaced histogram. Merging shards in any order therefore gives
/// bit-for-bit the state a single machine reaches, and memory does not grow with N.
public struct KPIStatistics: Sendable, Equatable {
  /// Histogram bins per decade; a bin spans a factor 10^(1/40) ≈ 1.059 (quantiles within ±2.9 %).
  public static let binsPerDecade = 40
  /// Smallest and largest resolved magnitudes (values at or below `floor` count as zero).
  public static let floorDecade = -3, topDecade = 12
  public static let binCount = (topDecade - floorDecade) * binsPerDecade + 1
  static let scale = Double(1 << 20)

  public internal(set) var count = 0
  /// Observations strictly above zero (above 1e-9, to ignore rounding residue).
  public internal(set) var positive = 0
  var sum: Int128 = 0
  var sumSquares: Int128 = 0
  /// Sparse histogram: bin → count. Bins ≥ 0 are log bins (0 = zero); a whole number v in
  /// 1...100 000 (months, counts, indicators) is kept exactly in bin −v, so its quantiles are exact.
  var bins: [Int: Int] = [:]

  public init() {}

  /// Bin of a value: 0 for ≤ 1e-3, else 1 + floor((log10 x + 3) × 40), clamped.
  public static func bin(_ x: Double) -> Int {
    guard x > 1e-3 else { return 0 }
    if x <= 100_000, x == x.rounded() { return -Int(x) }
    let b = Int(((log10(x) - Double(floorDecade)) * Double(binsPerDecade)).rounded(.down)) + 1
    return min(binCount - 1, max(1, b))
  }

  /// Representative value of a bin (the geometric middle).
  public static func value(ofBin b: Int) -> Double {
    b < 0 ? Double(-b) : b == 0 ? 0 : pow(10, (Double(b) - 0.5) / Double(binsPerDecade) + Double(floorDecade))
  }

  public mutating func add(_ x0: Double) {
    let x = x0.isFinite ? min(max(x0, 0), 1e12) : 1e12
    count += 1
    if x > 1e-9 { positive += 1 }
    sum += Int128((x * KPIStatistics.scale).rounded())
    sumSquares += Int128((x * x * KPIStatistics.scale).rounded())
    bins[KPIStatistics.bin(x), default: 0] += 1
  }

  public mutating func merge(_ o: KPIStatistics) {
    count += o.count
    positive += o.positive
    sum += o.sum
    sumSquares += o.sumSquares
    for (b, c) in o.bins { bins[b, default: 0] += c }
  }

  public var mean: Double { count == 0 ? 0 : Double(sum) / KPIStatistics.scale / Double(count) }

  /// Sample standard deviation (n − 1).
  public var sd: Double {
    guard count > 1 else { return 0 }
    let n = Double(count), m = Double(sum) / KPIStatistics.scale
    let v = (Double(sumSquares) / KPIStatistics.scale - m * m / n) / (n - 1)
    return max(0, v).squareRoot()
  }

  /// Fraction of observations above zero (the exceedance probability of 0).
  public var probabilityPositive: Double { count == 0 ? 0 : Double(positive) / Double(count) }

  /// The `q`-quantile (0…1): the representative value of the bin holding the ⌈q·n⌉-th smallest observation.
  public func quantile(_ q: Double) -> Double {
    guard count > 0 else { return 0 }
    let rank = max(1, Int((q * Double(count)).rounded(.up)))
    var cum = 0
    for b in bins.keys.sorted(by: { (KPIStatistics.value(ofBin: $0), $0) < (KPIStatistics.value(ofBin: $1), $1) }) {
      cum += bins[b] ?? 0
      if cum >= rank { return KPIStatistics.value(ofBin: b) }
    }
    return bins.keys.map(KPIStatistics.value(ofBin:)).max() ?? 0
  }

  /// Fraction of observations above `threshold` (resolved to the histogram's bins above it).
  public func exceedance(_ threshold: Double) -> Double {
    guard count > 0 else { return 0 }
    let c = bins.filter { KPIStatistics.value(ofBin: $0.key) > threshold }.reduce(0) { $0 + $1.value }
    return Double(c) / Double(count)
  }

  /// Half-width of the confidence interval of the mean at `confidence` (normal approximation).
  public func halfWidth(confidence: Double) -> Double {
    guard count > 1 else { return .infinity }
    return normalQuantile(0.5 + confidence / 2) * sd / Double(count).squareRoot()
  }

  /// Serialised form: "count positive sum sumSquares bin:count …" (bins ascending).
  public var encoded: String {
    ([String(count), String(positive), String(sum), String(sumSquares)] + bins.keys.sorted().map { "\($0):\(bins[$0] ?? 0)" }).joined(separator: " ")
  }

  public init?(encoded: String) {
    let f = encoded.split(separator: " ")
    guard f.count >= 4, let c = Int(f[0]), let p = Int(f[1]), let s = Int128(String(f[2])), let q = Int128(String(f[3])) else { return nil }
    count = c
    positive = p
    sum = s
    sumSquares = q
    for part in f.dropFirst(4) {
      let kv = part.split(separator: ":")
      guard kv.count == 2, let b = Int(kv[0]), let n = Int(kv[1]), b >= -100_000, b < KPIStatistics.binCount else { return nil }
      bins[b] = n
    }
  }
}

/// Spearman's rank correlation of two equally long samples (average ranks for ties).
public func spearman(_ x: [Double], _ y: [Double]) -> Double {
  guard x.count == y.count, x.count > 2 else { return 0 }
  func ranks(_ v: [Double]) -> [Double] {
    let order = v.indices.sorted { (v[$0], $0) < (v[$1], $1) }
    var r = Array(repeating: 0.0, count: v.count)
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count, v[order[j + 1]] == v[order[i]] { j += 1 }
      let avg = Double(i + j) / 2 + 1
      for k in i...j { r[order[k]] = avg }
      i = j + 1
    }
    return r
  }
  let rx = ranks(x), ry = ranks(y)
  let n = Double(x.count)
  let mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
  var sxy = 0.0, sxx = 0.0, syy = 0.0
  for k in rx.indices {
    sxy += (rx[k] - mx) * (ry[k] - my)
    sxx += (rx[k] - mx) * (rx[k] - mx)
    syy += (ry[k] - my) * (ry[k] - my)
  }
  return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
}
