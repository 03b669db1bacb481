import QualityControl
import Foundation
import Quantities

/// Deterministic normal variates (64-bit LCG + Box–Muller), so every run charts the same data.
struct QCNormalSource {
  var state: UInt64
  var spare: Double? = nil
  mutating func uniform() -> Double {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return (Double(state >> 11) + 0.5) / 9007199254740992.0
  }
  mutating func next() -> Double {
    if let s = spare { spare = nil; return s }
    let u = uniform(), v = uniform()
    let r = (-2 * log(u)).squareRoot()
    spare = r * sin(2 * Double.pi * v)
    return r * cos(2 * Double.pi * v)
  }
}

let qualityControlBenchmark = Benchmark(name: "qc", summary: "control charts, rules and capability over 1 million specimens") {
  let specimens = 1_000_000
  let size = 5
  var rng = QCNormalSource(state: 42)
  // Br in T: N42H-like, mean 1.30 T, σ 5 mT, with a 4 mT shift in the last 10 % of lots.
  var groups: [Subgroup] = []
  groups.reserveCapacity(specimens / size)
  for g in 0..<(specimens / size) {
    let shift = g >= specimens / size * 9 / 10 ? 0.004 : 0
    groups.append(Subgroup(label: "L\(g)", values: (0..<size).map { _ in 1.30 + shift + 0.005 * rng.next() }))
  }
  let individuals = groups.flatMap(\.values)
  let labels = individuals.indices.map { "s\($0)" }
  var sink = 0.0
  func report(_ what: String, _ seconds: Double, _ detail: String) {
    print("\(what): \(formatNumber(seconds * 1e3, significantDigits: 3)) ms, \(formatNumber(Double(specimens) / seconds / 1e6, significantDigits: 3)) M specimens/s  \(detail)")
  }
  var o = ChartOptions()
  o.rules = .westernElectric([1, 2, 3, 4])
  var flagged = 0
  let tR = bestSeconds(repeats: 3) {
    if let p = try? xbarChart(groups, dispersion: .range, options: o) {
      flagged = p.location.flaggedIndices.count
      sink += p.location.ucl[0]
    }
  }
  report("X̄-R, 200 000 subgroups of 5, WE1–4", tR, "(\(flagged) X̄ points flagged)")
  let tS = bestSeconds(repeats: 3) {
    if let p = try? xbarChart(groups, dispersion: .standardDeviation, options: o) { sink += p.dispersion.ucl[0] }
  }
  report("X̄-S, 200 000 subgroups of 5, WE1–4", tS, "")
  o.rules = .nelson(Array(1...8))
  let tI = bestSeconds(repeats: 3) {
    if let p = try? individualsChart(individuals, labels: labels, options: o) {
      flagged = p.location.flaggedIndices.count
      sink += p.location.ucl[0]
    }
  }
  report("I-MR, 1 000 000 individuals, Nelson 1–8", tI, "(\(flagged) points flagged)")
  let tE = bestSeconds(repeats: 3) {
    if let e = try? ewmaChart(groups, options: ChartOptions()) { sink += e.ewma.last ?? 0 }
  }
  report("EWMA λ=0.2, 200 000 subgroups", tE, "")
  let tC = bestSeconds(repeats: 3) {
    if let c = try? cusumChart(groups, options: ChartOptions()) { sink += c.upper.last ?? 0 }
  }
  report("CUSUM h=5 k=0.5, 200 000 subgroups", tC, "")
  var cpk = 0.0
  let tP = bestSeconds(repeats: 3) {
    if let r = try? capability(groups.map(\.values), spec: SpecLimits(lower: 1.28, upper: 1.32), estimator: .pooled) {
      cpk = r.cpk
      sink += r.ppk
    }
  }
  report("capability (pooled σ), 1 000 000 values", tP, "(Cpk \(formatNumber(cpk, significantDigits: 4)))")
  // Parsing: 100 000 specimen rows of CSV text with units in the header.
  var text = "lot,specimen,Br [T],HcJ [kA/m]\n"
  for i in 0..<100_000 { text += "L\(i / 5),S\(i),\(formatNumber(individuals[i], significantDigits: 5)),1420.5\n" }
  var rows = 0
  let tParse = bestSeconds(repeats: 3) {
    if let t = try? SpecimenCSV.parse(text, source: "bench.csv") { rows = t.records.count }
  }
  print("CSV parse: \(formatNumber(Double(rows) / tParse, significantDigits: 3)) rows/s (\(rows) rows, 4 columns)  (checksum \(formatNumber(sink, significantDigits: 4)))")
}
