import Quantities
import Risk

/// Tables and charts of a Monte Carlo result, shared by `lodestone risk`/`reserve`/`merge` and the server.
public enum RiskReport {
  /// A statistic with six significant digits; blank when not finite.
  static func num(_ x: Double) -> String { x.isFinite ? formatNumber(x, significantDigits: 6) : "" }

  /// The scalar KPI summary of a partial result (unmet demand in kg, its value in USD, months, probabilities).
  public static func summaryTable(_ p: RiskPartial, confidence: Double, title: String) -> Table {
    var t = Table(title: title, columns: ["kpi", "unit", "n", "mean", "sd", "ci_half_width", "p5", "p50", "p95", "p_positive"])
    for (k, name) in p.scalarNames.enumerated() {
      let s = p.scalars[k]
      let unit = name.hasPrefix("unmet-kg") ? "kg" : name == "unmet-value-usd" ? "USD" : name == "shortfall-any" ? "probability" : "months"
      t.append([name, unit, String(s.count), num(s.mean), num(s.sd), num(s.halfWidth(confidence: confidence)), num(s.quantile(0.05)), num(s.quantile(0.5)), num(s.quantile(0.95)), num(s.probabilityPositive)])
    }
    return t
  }

  /// Unmet demand by series and month: mean, sd and quantiles in kg, and the probability of any shortfall.
  public static func monthlyTable(_ p: RiskPartial) -> Table {
    var m = Table(columns: ["series", "month", "mean_kg", "sd_kg", "p5_kg", "p25_kg", "p50_kg", "p75_kg", "p95_kg", "p_unmet"])
    for (k, name) in p.seriesNames.enumerated() {
      let st = p.series[k]
      for (t, month) in p.months.enumerated() {
        let x = st[t]
        m.append([name, month.description, num(x.mean), num(x.sd), num(x.quantile(0.05)), num(x.quantile(0.25)), num(x.quantile(0.5)), num(x.quantile(0.75)), num(x.quantile(0.95)), num(x.probabilityPositive)])
      }
    }
    return m
  }

  /// One fan chart (t/month) per unmet-demand series, named by the series without its `unmet-kg:` prefix.
  public static func fanCharts(_ p: RiskPartial) -> [(name: String, svg: String)] {
    p.seriesNames.enumerated().map { k, name in
      let st = p.series[k]
      let short = name.replacingOccurrences(of: "unmet-kg:", with: "")
      let q = { (f: Double) in st.map { $0.quantile(f) } }
      let svg = riskFanChart(
        title: "Unmet demand, \(short) (P5–P95 of \(p.replications) futures)", yLabel: "unmet, t/month", months: p.months, p5: q(0.05), p25: q(0.25), p50: q(0.5),
        p75: q(0.75), p95: q(0.95), mean: st.map(\.mean), scale: 1e-3)
      return (short, svg)
    }
  }

  /// The result of a reserve sizing as one row: level in t, service achieved with and without it, holding cost in USD.
  public static func reserveTable(_ sizing: ReserveSizing, _ r: ReserveSizing.Result, material: String, service: Double, runs: Int) -> Table {
    let last = sizing.study.base.start.adding(months: sizing.study.horizon - 1)
    var t = Table(
      title: "Reserve sizing: \(material) at \(sizing.reserve.site), no shortfall through \(last) in ≥ \(fixedFormat(service * 100, decimals: 1, trimZeros: true)) % of \(runs) futures",
      columns: ["reserve", "site", "material", "service_target", "level_t", "achieved", "without_reserve", "holding_cost_usd", "holding_cost_usd_per_kg_yr", "levels_tried"])
    t.append([
      sizing.reserve.id.rawValue, sizing.reserve.site.rawValue, material, num(service), num(r.level / 1000), num(r.achieved), num(r.withoutReserve), num(r.holdingCost),
      num(sizing.reserve.holdingCost), String(r.bisectionSteps + 1),
    ])
    return t
  }
}
