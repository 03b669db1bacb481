import Quantities

/// Fan chart of a Monte Carlo KPI by month: the P5–P95 band, the P25–P75 band, the median and the mean.
/// Values in the KPI's unit (for unmet demand: tonnes per month when `scale` is 1e-3 on kg).
public func riskFanChart(
  title: String, yLabel: String, months: [YearMonth], p5: [Double], p25: [Double], p50: [Double], p75: [Double], p95: [Double], mean: [Double], scale: Double = 1
) -> String {
  var c = LineChart(title: title, xLabel: "month", yLabel: yLabel)
  let x = months.indices.map(Double.init)
  c.bands = [
    LineChart.Band(name: "P5–P95", x: x, lower: p5.map { $0 * scale }, upper: p95.map { $0 * scale }, color: "#0072B2", opacity: 0.18),
    LineChart.Band(name: "P25–P75", x: x, lower: p25.map { $0 * scale }, upper: p75.map { $0 * scale }, color: "#0072B2", opacity: 0.3),
  ]
  c.series = [
    LineChart.Series(name: "median", points: zip(x, p50).map { ($0, $1 * scale) }, color: "#0072B2"),
    LineChart.Series(name: "mean", points: zip(x, mean).map { ($0, $1 * scale) }, color: "#D55E00", dashed: true),
  ]
  c.xTickLabels = months.enumerated().filter { $0.element.month == 1 || $0.offset == 0 }.map { (Double($0.offset), $0.element.description) }
  c.yMin = 0
  return c.render()
}

/// Tornado chart: for each input, a bar from the KPI at its low setting to its high setting,
/// around the baseline (all inputs at their medians), largest swing first; the rank correlation
/// with the KPI is printed beside each bar.
public func tornadoChart(title: String, unit: String, baseline: Double, bars: [(name: String, low: Double, high: Double, rho: Double)], scale: Double = 1) -> String {
  let rowH = 26.0, left = 190.0, right = 120.0, top = 50.0
  let width = 760.0, height = top + Double(max(1, bars.count)) * rowH + 50
  var svg = SVGDocument(width: width, height: height)
  svg.text(title, x: 16, y: 24, size: 15, weight: "bold")
  let values = bars.flatMap { [$0.low * scale, $0.high * scale] } + [baseline * scale]
  var lo = values.min() ?? 0, hi = values.max() ?? 1
  if hi <= lo { hi = lo + 1 }
  let ticks = niceTicks(lo, hi, count: 6)
  lo = min(lo, ticks.first ?? lo)
  hi = max(hi, ticks.last ?? hi)
  let pw = width - left - right
  func X(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * pw }
  let bottom = top + Double(bars.count) * rowH
  for t in ticks {
    svg.line(x1: X(t), y1: top - 6, x2: X(t), y2: bottom, stroke: "#e4e4e4")
    svg.text(formatNumber(t, significantDigits: 4), x: X(t), y: bottom + 16, size: 11, anchor: .middle)
  }
  for (i, b) in bars.enumerated() {
    let y = top + Double(i) * rowH
    let a = min(b.low, b.high) * scale, z = max(b.low, b.high) * scale
    svg.text(b.name, x: left - 8, y: y + 16, size: 12, anchor: .end)
    svg.rect(x: X(a), y: y + 4, width: max(1, X(z) - X(a)), height: rowH - 8, fill: b.high >= b.low ? "#D55E00" : "#0072B2", opacity: 0.85, title: "\(b.name): \(formatNumber(b.low * scale, significantDigits: 4)) → \(formatNumber(b.high * scale, significantDigits: 4)) \(unit)")
    svg.text("ρ = " + fixedFormat(b.rho, decimals: 2), x: left + pw + 8, y: y + 16, size: 11)
  }
  svg.line(x1: X(baseline * scale), y1: top - 6, x2: X(baseline * scale), y2: bottom, stroke: "#222", width: 1.5)
  svg.text("\(unit); bar: input at P10 → P90 (orange: KPI rises), line: all inputs at median", x: left, y: bottom + 36, size: 11)
  return svg.render()
}
