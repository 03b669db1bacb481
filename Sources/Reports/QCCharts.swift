import QualityControl
import Quantities

/// SVG control charts for `QualityControl`: limits, 1σ/2σ zones, centre line and flagged
/// points. `scale` converts stored values (SI) to the displayed unit: displayed = value / scale.
public enum QCCharts {
  static func label(_ x: Double) -> String { formatNumber(x, significantDigits: 6) }

  /// A Shewhart chart (X̄, R, S, I or MR) with its zones shaded and rule violations marked.
  public static func shewhart(_ c: ShewhartChart, title: String, yLabel: String, seriesName: String = "statistic", scale: Double = 1) -> String {
    var chart = LineChart(title: title, xLabel: "subgroup", yLabel: yLabel)
    let x = c.values.indices.map { Double($0 + 1) }
    let z1 = c.limits(at: c.nsigmas / 3)
    let z2 = c.limits(at: 2 * c.nsigmas / 3)
    chart.bands.append(LineChart.Band(name: "±1σ", x: x, lower: z1.lower.map { $0 / scale }, upper: z1.upper.map { $0 / scale }, color: "#009E73", opacity: 0.14))
    chart.bands.append(LineChart.Band(name: "±2σ", x: x, lower: z2.lower.map { $0 / scale }, upper: z2.upper.map { $0 / scale }, color: "#009E73", opacity: 0.08))
    chart.bands.append(LineChart.Band(name: "±3σ", x: x, lower: c.lcl.map { $0 / scale }, upper: c.ucl.map { $0 / scale }, color: "#56B4E9", opacity: 0.08))
    let constant = Set(c.ucl).count == 1 && Set(c.lcl).count == 1
    if constant, let u = c.ucl.first, let l = c.lcl.first {
      chart.referenceLines.append(LineChart.ReferenceLine(y: u / scale, label: "UCL " + label(u / scale)))
      chart.referenceLines.append(LineChart.ReferenceLine(y: l / scale, label: "LCL " + label(l / scale)))
    } else {
      chart.series.append(LineChart.Series(name: "UCL", points: zip(x, c.ucl).map { ($0, $1 / scale) }, color: "#D55E00", dashed: true))
      chart.series.append(LineChart.Series(name: "LCL", points: zip(x, c.lcl).map { ($0, $1 / scale) }, color: "#D55E00", dashed: true))
    }
    chart.referenceLines.append(LineChart.ReferenceLine(y: c.center / scale, label: "CL " + label(c.center / scale), color: "#009E73", dashed: false))
    chart.series.append(LineChart.Series(name: seriesName, points: zip(x, c.values).map { ($0, $1 / scale) }, color: "#0072B2", markers: true))
    for i in c.flaggedIndices {
      chart.highlights.append(LineChart.Highlight(x: x[i], y: c.values[i] / scale, note: "\(c.labels[i]): " + c.flags[i].joined(separator: ", ")))
    }
    if c.calibrationCount < c.values.count {
      let b = Double(c.calibrationCount) + 0.5
      chart.series.append(LineChart.Series(name: "phase I end", points: [(b, c.lcl.min().map { $0 / scale } ?? 0), (b, c.ucl.max().map { $0 / scale } ?? 1)], color: "#666666", dashed: true))
    }
    return chart.render()
  }

  /// An EWMA chart: the smoothed statistic, the subgroup statistics and the exact limits.
  public static func ewma(_ e: EWMAChart, title: String, yLabel: String, scale: Double = 1) -> String {
    var chart = LineChart(title: title, xLabel: "subgroup", yLabel: yLabel)
    let x = e.ewma.indices.map { Double($0 + 1) }
    chart.bands.append(LineChart.Band(name: "in control", x: x, lower: e.lcl.map { $0 / scale }, upper: e.ucl.map { $0 / scale }, color: "#56B4E9", opacity: 0.15))
    chart.referenceLines.append(LineChart.ReferenceLine(y: e.center / scale, label: "CL " + label(e.center / scale), color: "#009E73", dashed: false))
    chart.series.append(LineChart.Series(name: "statistic", points: zip(x, e.statistics).map { ($0, $1 / scale) }, color: "#999999"))
    chart.series.append(LineChart.Series(name: "EWMA", points: zip(x, e.ewma).map { ($0, $1 / scale) }, color: "#0072B2", markers: true))
    for i in e.flagged {
      chart.highlights.append(LineChart.Highlight(x: x[i], y: e.ewma[i] / scale, note: "\(e.labels[i]): EWMA beyond limits"))
    }
    return chart.render()
  }

  /// A tabular CUSUM chart in standard errors, with the decision interval ±h.
  public static func cusum(_ c: CUSUMChart, title: String) -> String {
    var chart = LineChart(title: title, xLabel: "subgroup", yLabel: "cumulative sum (standard errors)")
    let x = c.upper.indices.map { Double($0 + 1) }
    chart.referenceLines.append(LineChart.ReferenceLine(y: c.decisionInterval, label: "UDB " + label(c.decisionInterval)))
    chart.referenceLines.append(LineChart.ReferenceLine(y: -c.decisionInterval, label: "LDB " + label(-c.decisionInterval)))
    chart.referenceLines.append(LineChart.ReferenceLine(y: 0, label: "target", color: "#009E73", dashed: false))
    chart.series.append(LineChart.Series(name: "C+", points: zip(x, c.upper).map { ($0, $1) }, color: "#0072B2", markers: true))
    chart.series.append(LineChart.Series(name: "−C−", points: zip(x, c.lower).map { ($0, $1) }, color: "#E69F00", markers: true))
    for i in c.flaggedUpper { chart.highlights.append(LineChart.Highlight(x: x[i], y: c.upper[i], note: "\(c.labels[i]): C+ > h")) }
    for i in c.flaggedLower { chart.highlights.append(LineChart.Highlight(x: x[i], y: c.lower[i], note: "\(c.labels[i]): C− > h")) }
    return chart.render()
  }
}
