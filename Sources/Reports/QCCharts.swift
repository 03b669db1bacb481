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

  /// A capability histogram: values (Sturges bins, density scale), the normal curve with the
  /// within-subgroup σ, and the specification limits and target as vertical lines.
  public static func capability(_ values: [Double], _ r: CapabilityResult, title: String, xLabel: String, scale: Double = 1) -> String {
    let x = values.map { $0 / scale }
    let mu = r.center / scale
    let sw = r.sigmaWithin / scale
    var svg = SVGDocument(width: 760, height: 420)
    let left = 70.0, right = 40.0, top = 40.0, bottom = 55.0
    let pw = 760 - left - right, ph = 420 - top - bottom
    guard let xmin = x.min(), let xmax = x.max(), sw > 0 else { return svg.render() }
    var lo = Swift.min(xmin, mu - 4 * sw)
    var hi = Swift.max(xmax, mu + 4 * sw)
    for v in [r.spec.lower, r.spec.upper, r.spec.target].compactMap({ $0.map { $0 / scale } }) {
      lo = Swift.min(lo, v)
      hi = Swift.max(hi, v)
    }
    let pad = (hi - lo) * 0.05
    lo -= pad
    hi += pad
    // Sturges: ⌈log2 n⌉ + 1 bins over the data range.
    var bins = 1
    while (1 << (bins - 1)) < x.count { bins += 1 }
    let width = xmax > xmin ? (xmax - xmin) / Double(bins) : 1
    var counts = [Int](repeating: 0, count: bins)
    for v in x { counts[Swift.min(bins - 1, Int((v - xmin) / width))] += 1 }
    let dens = counts.map { Double($0) / (Double(x.count) * width) }
    let peak = 1 / (sw * (2 * Double.pi).squareRoot())
    let ymax = Swift.max(dens.max() ?? 0, peak) * 1.1
    func X(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * pw }
    func Y(_ d: Double) -> Double { top + ph - d / ymax * ph }
    svg.text(title, x: left, y: 22, size: 15, weight: "bold")
    for t in niceTicks(lo, hi, count: 8) where t >= lo && t <= hi {
      svg.line(x1: X(t), y1: top + ph, x2: X(t), y2: top + ph + 4)
      svg.text(formatNumber(t, significantDigits: 5), x: X(t), y: top + ph + 17, size: 11, anchor: .middle)
    }
    svg.line(x1: left, y1: top + ph, x2: left + pw, y2: top + ph)
    svg.text(xLabel, x: left + pw / 2, y: 420 - 12, size: 12, anchor: .middle)
    for (i, d) in dens.enumerated() {
      let a = xmin + Double(i) * width
      svg.rect(x: X(a), y: Y(d), width: X(a + width) - X(a), height: Y(0) - Y(d), fill: "#56B4E9", opacity: 0.6, title: "\(counts[i]) values in [\(label(a)), \(label(a + width)))")
    }
    let curve = (0...200).map { i -> (Double, Double) in
      let v = lo + (hi - lo) * Double(i) / 200
      let z = (v - mu) / sw
      return (X(v), Y(peak * Double.exp(-z * z / 2)))
    }
    svg.polyline(curve, stroke: "#0072B2", width: 2)
    for (name, v, color) in [("LSL", r.spec.lower, "#D55E00"), ("USL", r.spec.upper, "#D55E00"), ("target", r.spec.target, "#009E73")] {
      guard let v else { continue }
      svg.line(x1: X(v / scale), y1: top, x2: X(v / scale), y2: top + ph, stroke: color, width: 1.5, dash: "6 4")
      svg.text("\(name) \(label(v / scale))", x: X(v / scale), y: top - 4, size: 11, anchor: .middle, fill: color)
    }
    let idx = [("Cpk", r.cpk as Double?), ("Ppk", r.ppk as Double?), ("Cp", r.cp), ("Pp", r.pp)].compactMap { n, v in v.map { "\(n) \(formatNumber($0, significantDigits: 3))" } }
    svg.text(idx.joined(separator: "   "), x: left + pw, y: 22, size: 12, anchor: .end)
    return svg.render()
  }

  /// An X̄-R, X̄-S (or, with `individuals`, I-MR) chart pair as a table (values in the file's unit,
  /// with limits and rule flags) and its two SVG charts, named `<chart>-<statistic>.svg`.
  public static func shewhartReport(
    _ pair: ShewhartPair, chart: String, individuals: Bool, column col: MeasurementColumn, source: String, options opts: ChartOptions, note: String
  ) -> (table: Table, svgs: [(String, String)]) {
    func num(_ x: Double?) -> String {
      guard let x, x.isFinite else { return "" }
      return formatNumber(x, significantDigits: 7)
    }
    let f = col.factor
    let unit = col.unit.isEmpty ? "" : " [\(col.unit)]"
    let (ln, dn) = individuals ? ("x", "MR") : ("mean", chart == "xbar-r" ? "R" : "S")
    let l = pair.location
    let d = pair.dispersion
    let est = l.estimator.map { " (\($0.rawValue))" } ?? " (given)"
    var result = Table(
      title: "\(chart) chart of \(col.name)\(unit), \(source): \(l.values.count) points, CL \(num(l.center / f)), σ\(est) \(num(l.sigma / f)), calibration \(l.calibrationCount), rules \(opts.rules.rules.map(\.label).joined(separator: ",")); flagged \(l.flaggedIndices.count) + \(d.flaggedIndices.count)\(note)",
      columns: ["index", "subgroup", "n", ln, "\(ln)_lcl", "\(ln)_cl", "\(ln)_ucl", "\(ln)_flags", dn, "\(dn)_lcl", "\(dn)_cl", "\(dn)_ucl", "\(dn)_flags"])
    let offset = l.values.count - d.values.count
    for i in l.values.indices {
      var row = [String(i + 1), l.labels[i], String(l.sizes[i]), num(l.values[i] / f), num(l.lcl[i] / f), num(l.center / f), num(l.ucl[i] / f), l.flags[i].joined(separator: " ")]
      let j = i - offset
      if j >= 0 {
        row += [num(d.values[j] / f), num(d.lcl[j] / f), num(d.center / f), num(d.ucl[j] / f), d.flags[j].joined(separator: " ")]
      } else { row += ["", "", "", "", ""] }
      result.append(row)
    }
    let svgs = [
      ("\(chart)-\(ln).svg", shewhart(l, title: "\(ln == "x" ? "Individuals" : "X̄") chart: \(col.name)", yLabel: "\(ln) \(col.name)\(unit)", seriesName: ln, scale: f)),
      ("\(chart)-\(dn).svg", shewhart(d, title: "\(dn) chart: \(col.name)", yLabel: "\(dn) \(col.name)\(unit)", seriesName: dn, scale: f)),
    ]
    return (result, svgs)
  }
}
