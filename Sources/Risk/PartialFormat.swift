import SupplyChain
import Foundation
import Quantities

/// The partial-results file a shard writes and `lodestone merge` reads: line-oriented text,
/// exact (integers and round-tripping decimal doubles), deterministic.
///
/// ```
/// lodestone-risk-partial 1
/// fingerprint <hex>
/// seed <n>
/// months 2026-01 2026-02 …
/// inputs <name> <name> …
/// series <name> <month-index> <count> <positive> <sum> <sumsq> <bin>:<count> …
/// scalar <name> <count> <positive> <sum> <sumsq> <bin>:<count> …
/// row <replication> <input values…> <unmet kg>
/// ```
extension RiskPartial {
  public func encoded() -> String {
    var lines = ["lodestone-risk-partial 1", "fingerprint \(fingerprint)", "seed \(seed)", "months " + months.map(\.description).joined(separator: " ")]
    lines.append((["inputs"] + inputNames).joined(separator: " "))
    for (k, name) in seriesNames.enumerated() {
      for (t, s) in series[k].enumerated() { lines.append("series \(name) \(t) \(s.encoded)") }
    }
    for (k, name) in scalarNames.enumerated() { lines.append("scalar \(name) \(scalars[k].encoded)") }
    for r in rows { lines.append((["row", String(r.replication)] + r.inputs.map { "\($0)" } + ["\(r.unmet)"]).joined(separator: " ")) }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Parses `encoded()` output; errors name the file and line.
  public init(decoding text: String, file: String) throws(RiskInputError) {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    func fail(_ i: Int, _ m: String) -> RiskInputError { RiskInputError(m, at: SourceLocation(file: file, line: i + 1, column: 1)) }
    guard lines.first == "lodestone-risk-partial 1" else {
      throw fail(0, "the first line must be 'lodestone-risk-partial 1' (a file written by 'lodestone risk --out'); got '\(lines.first?.prefix(40) ?? "")'.")
    }
    func field(_ i: Int, _ key: String) throws(RiskInputError) -> [String] {
      guard i < lines.count else { throw fail(i, "the file ends early; expected a '\(key)' line.") }
      let f = lines[i].split(separator: " ").map(String.init)
      guard f.first == key else { throw fail(i, "line must start with '\(key)'; got '\(f.first ?? "")'.") }
      return Array(f.dropFirst())
    }
    fingerprint = try field(1, "fingerprint").first ?? ""
    guard let sd = UInt64(try field(2, "seed").first ?? "") else { throw fail(2, "seed must be a non-negative integer.") }
    seed = sd
    var ms: [YearMonth] = []
    for m in try field(3, "months") {
      guard let ym = try? YearMonth.parse(m) else { throw fail(3, "months must be YYYY-MM; got '\(m)'.") }
      ms.append(ym)
    }
    months = ms
    inputNames = try field(4, "inputs")
    var seriesNames: [String] = [], series: [[KPIStatistics]] = [], scalarNames: [String] = [], scalars: [KPIStatistics] = [], rows: [ReplicationRow] = []
    for i in 5..<max(5, lines.count) {
      let f = lines[i].split(separator: " ", maxSplits: 3).map(String.init)
      switch f.first {
      case "series":
        guard f.count == 4, let t = Int(f[2]) else { throw fail(i, "a series line must be 'series <name> <month> <statistics>'.") }
        let rest = f[3]
        guard let st = KPIStatistics(encoded: rest) else { throw fail(i, "the statistics of series '\(f[1])' month \(t) are malformed.") }
        if seriesNames.last != f[1] {
          seriesNames.append(f[1])
          series.append([])
        }
        guard t == series[series.count - 1].count else { throw fail(i, "series '\(f[1])' month index must be \(series[series.count - 1].count); got \(t).") }
        series[series.count - 1].append(st)
      case "scalar":
        let g = lines[i].split(separator: " ", maxSplits: 2).map(String.init)
        guard g.count == 3, let st = KPIStatistics(encoded: g[2]) else { throw fail(i, "a scalar line must be 'scalar <name> <statistics>'.") }
        scalarNames.append(g[1])
        scalars.append(st)
      case "row":
        let g = lines[i].split(separator: " ").map(String.init)
        guard g.count == inputNames.count + 3, let r = Int(g[1]) else { throw fail(i, "a row must have a replication, \(inputNames.count) input value(s) and the unmet kg.") }
        var v: [Double] = []
        for x in g.dropFirst(2) {
          guard let d = Double(x) else { throw fail(i, "row values must be numbers; got '\(x)'.") }
          v.append(d)
        }
        let unmet = v.removeLast()
        rows.append(ReplicationRow(replication: r, inputs: v, unmet: unmet))
      default:
        throw fail(i, "line must start with 'series', 'scalar' or 'row'; got '\(f.first ?? "")'.")
      }
    }
    for (k, s) in series.enumerated() where s.count != months.count {
      throw RiskInputError("Series '\(seriesNames[k])' in \(file) has \(s.count) months; the file lists \(months.count).")
    }
    self.seriesNames = seriesNames
    self.series = series
    self.scalarNames = scalarNames
    self.scalars = scalars
    self.rows = rows
  }
}

extension RiskPartial {
  /// An empty partial with the same study identity (for merging into).
  public func emptyCopy() -> RiskPartial {
    var p = self
    p.series = series.map { $0.map { _ in KPIStatistics() } }
    p.scalars = scalars.map { _ in KPIStatistics() }
    p.rows = []
    return p
  }
}
