import Foundation
import Quantities

/// A minimal SVG writer: shapes are appended as elements; `render()` returns the document.
/// Output is deterministic (numbers printed with fixed decimals) so charts can be golden-tested.
public struct SVGDocument: Sendable {
  public let width: Double
  public let height: Double
  public private(set) var body: [String] = []

  public init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  public mutating func raw(_ element: String) { body.append(element) }

  public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#333", width: Double = 1, dash: String? = nil) {
    let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    body.append("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"\(d)/>")
  }

  public mutating func rect(x: Double, y: Double, width w: Double, height h: Double, fill: String, opacity: Double = 1, title: String? = nil) {
    let t = title.map { "<title>\(xmlEscape($0))</title>" } ?? ""
    body.append("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\" fill=\"\(fill)\" fill-opacity=\"\(n(opacity))\">\(t)</rect>")
  }

  public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String? = nil) {
    guard !points.isEmpty else { return }
    let p = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
    let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    body.append("<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"\(d)/>")
  }

  public mutating func polygon(_ points: [(Double, Double)], fill: String, opacity: Double = 1) {
    guard !points.isEmpty else { return }
    let p = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
    body.append("<polygon points=\"\(p)\" fill=\"\(fill)\" fill-opacity=\"\(n(opacity))\" stroke=\"none\"/>")
  }

  public mutating func path(_ d: String, fill: String, opacity: Double = 1, stroke: String = "none", title: String? = nil) {
    let t = title.map { "<title>\(xmlEscape($0))</title>" } ?? ""
    body.append("<path d=\"\(d)\" fill=\"\(fill)\" fill-opacity=\"\(n(opacity))\" stroke=\"\(stroke)\">\(t)</path>")
  }

  public mutating func circle(cx: Double, cy: Double, r: Double, fill: String, title: String? = nil) {
    let t = title.map { "<title>\(xmlEscape($0))</title>" } ?? ""
    body.append("<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(r))\" fill=\"\(fill)\">\(t)</circle>")
  }

  public enum Anchor: String, Sendable { case start, middle, end }

  public mutating func text(_ s: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start, weight: String = "normal", fill: String = "#222", rotate: Double? = nil) {
    let r = rotate.map { " transform=\"rotate(\(n($0)) \(n(x)) \(n(y)))\"" } ?? ""
    body.append("<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor.rawValue)\" font-weight=\"\(weight)\" fill=\"\(fill)\"\(r)>\(xmlEscape(s))</text>")
  }

  public func render() -> String {
    var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
    s += "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"white\"/>\n"
    for b in body { s += b + "\n" }
    return s + "</svg>\n"
  }
}

/// Coordinates printed with two decimals.
func n(_ x: Double) -> String { fixedFormat(x, decimals: 2, trimZeros: true) }

/// Escapes text for XML.
public func xmlEscape(_ s: String) -> String {
  var out = ""
  for c in s {
    switch c {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    default: out.append(c)
    }
  }
  return out
}

/// A colour-blind-safe categorical palette (Okabe–Ito), then greys.
public let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#999999", "#666666"]

/// "Nice" axis ticks (1, 2, 5 × 10^k) covering `lo…hi` with about `count` ticks.
public func niceTicks(_ lo: Double, _ hi: Double, count: Int = 6) -> [Double] {
  guard lo.isFinite, hi.isFinite else { return [0] }
  var lo = lo, hi = hi
  if hi <= lo { hi = lo + (lo == 0 ? 1 : abs(lo) * 0.1) }
  let raw = (hi - lo) / Double(max(1, count - 1))
  var p = 1.0
  while p * 10 <= raw { p *= 10 }
  while p > raw { p /= 10 }
  let step = [1.0, 2, 5, 10].map { $0 * p }.first { $0 >= raw } ?? 10 * p
  lo = (lo / step).rounded(.down) * step
  var ticks: [Double] = []
  var t = lo
  while t <= hi + step * 1e-9 {
    ticks.append(abs(t) < step * 1e-9 ? 0 : t)
    t += step
  }
  if let last = ticks.last, last < hi - step * 1e-9 { ticks.append(last + step) }
  return ticks
}

/// A line chart with numeric x, any number of series, optional shaded bands (fans, zones)
/// and horizontal reference lines (targets, control limits), axis titles and a legend.
public struct LineChart: Sendable {
  public struct Series: Sendable {
    public var name: String
    public var points: [(x: Double, y: Double)]
    public var color: String?
    public var dashed: Bool
    /// Draw a marker at each point (useful for control charts and stage profiles).
    public var markers: Bool
    public init(name: String, points: [(x: Double, y: Double)], color: String? = nil, dashed: Bool = false, markers: Bool = false) {
      self.name = name
      self.points = points
      self.color = color
      self.dashed = dashed
      self.markers = markers
    }
  }

  /// A shaded band between `lower` and `upper` at the same x values (e.g. P5–P95).
  public struct Band: Sendable {
    public var name: String
    public var x: [Double]
    public var lower: [Double]
    public var upper: [Double]
    public var color: String
    public var opacity: Double
    public init(name: String, x: [Double], lower: [Double], upper: [Double], color: String = "#0072B2", opacity: Double = 0.2) {
      self.name = name
      self.x = x
      self.lower = lower
      self.upper = upper
      self.color = color
      self.opacity = opacity
    }
  }

  /// A horizontal line at `y` with a label (e.g. "UCL 12.3").
  public struct ReferenceLine: Sendable {
    public var y: Double
    public var label: String
    public var color: String
    public var dashed: Bool
    public init(y: Double, label: String, color: String = "#D55E00", dashed: Bool = true) {
      self.y = y
      self.label = label
      self.color = color
      self.dashed = dashed
    }
  }

  /// A highlighted point (e.g. a rule violation), drawn as a red circle with a tooltip.
  public struct Highlight: Sendable {
    public var x: Double
    public var y: Double
    public var note: String
    public init(x: Double, y: Double, note: String) {
      self.x = x
      self.y = y
      self.note = note
    }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [Series] = []
  public var bands: [Band] = []
  public var referenceLines: [ReferenceLine] = []
  public var highlights: [Highlight] = []
  /// Optional labels for x ticks (e.g. months); when set, ticks are drawn at these positions.
  public var xTickLabels: [(x: Double, label: String)]? = nil
  public var logY = false
  public var width: Double = 760
  public var height: Double = 420
  public var yMin: Double? = nil
  public var yMax: Double? = nil

  public init(title: String, xLabel: String, yLabel: String) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
  }

  public func render() -> String {
    // The right margin holds the legend and reference-line labels: size it to the longest one.
    let labels = series.map(\.name) + bands.map(\.name)
    let longest = Double(labels.map(\.count).max() ?? 0)
    let refWidth = referenceLines.isEmpty ? 0.0 : 60
    let left = 70.0, top = 40.0, bottom = 55.0
    let right = max(160, refWidth + 12 + 24 + longest * 6.2 + 10)
    var svg = SVGDocument(width: width + max(0, right - 160), height: height)
    let pw = width - left - 160, ph = height - top - bottom
    var xs: [Double] = [], ys: [Double] = []
    for s in series { for p in s.points where p.x.isFinite && p.y.isFinite { xs.append(p.x); ys.append(p.y) } }
    for b in bands {
      xs += b.x
      ys += b.lower.filter(\.isFinite) + b.upper.filter(\.isFinite)
    }
    for r in referenceLines where r.y.isFinite { ys.append(r.y) }
    let tf: (Double) -> Double = logY ? { $0 > 0 ? log10Approx($0) : -12 } : { $0 }
    let xlo = xs.min() ?? 0, xhi = xs.max() ?? 1
    var ylo = yMin.map(tf) ?? (ys.map(tf).min() ?? 0), yhi = yMax.map(tf) ?? (ys.map(tf).max() ?? 1)
    if !logY && yMin == nil && ylo > 0 && ylo < 0.3 * yhi { ylo = 0 }
    if yhi <= ylo { yhi = ylo + 1 }
    let yt = niceTicks(ylo, yhi)
    ylo = min(ylo, yt.first ?? ylo)
    yhi = max(yhi, yt.last ?? yhi)
    let xspan = xhi > xlo ? xhi - xlo : 1
    func X(_ x: Double) -> Double { left + (x - xlo) / xspan * pw }
    func Y(_ y: Double) -> Double { top + ph - (tf(y) - ylo) / (yhi - ylo) * ph }
    func Yt(_ t: Double) -> Double { top + ph - (t - ylo) / (yhi - ylo) * ph }
    svg.text(title, x: left, y: 22, size: 15, weight: "bold")
    // grid and y ticks
    for t in yt {
      svg.line(x1: left, y1: Yt(t), x2: left + pw, y2: Yt(t), stroke: "#e4e4e4")
      let label = logY ? formatNumber(pow10Approx(t), significantDigits: 3) : formatNumber(t, significantDigits: 4)
      svg.text(label, x: left - 6, y: Yt(t) + 4, size: 11, anchor: .end)
    }
    // x ticks
    if let labels = xTickLabels {
      let stride = max(1, labels.count / 10)
      for (i, l) in labels.enumerated() where i % stride == 0 {
        svg.line(x1: X(l.x), y1: top + ph, x2: X(l.x), y2: top + ph + 4)
        svg.text(l.label, x: X(l.x), y: top + ph + 17, size: 11, anchor: .middle)
      }
    } else {
      for t in niceTicks(xlo, xhi, count: 8) where t >= xlo - 1e-9 && t <= xhi + 1e-9 {
        svg.line(x1: X(t), y1: top + ph, x2: X(t), y2: top + ph + 4)
        svg.text(formatNumber(t, significantDigits: 4), x: X(t), y: top + ph + 17, size: 11, anchor: .middle)
      }
    }
    svg.line(x1: left, y1: top + ph, x2: left + pw, y2: top + ph)
    svg.line(x1: left, y1: top, x2: left, y2: top + ph)
    svg.text(xLabel, x: left + pw / 2, y: height - 12, size: 12, anchor: .middle)
    svg.text(yLabel, x: 16, y: top + ph / 2, size: 12, anchor: .middle, rotate: -90)
    var legend: [(String, String, Bool)] = []
    for b in bands {
      var poly: [(Double, Double)] = []
      for i in b.x.indices { poly.append((X(b.x[i]), Y(b.upper[i]))) }
      for i in b.x.indices.reversed() { poly.append((X(b.x[i]), Y(b.lower[i]))) }
      svg.polygon(poly, fill: b.color, opacity: b.opacity)
      legend.append((b.name, b.color, false))
    }
    for r in referenceLines {
      svg.line(x1: left, y1: Y(r.y), x2: left + pw, y2: Y(r.y), stroke: r.color, width: 1.2, dash: r.dashed ? "6 4" : nil)
      svg.text(r.label, x: left + pw + 4, y: Y(r.y) + 4, size: 10, fill: r.color)
    }
    for (i, s) in series.enumerated() {
      let color = s.color ?? palette[i % palette.count]
      let pts = s.points.filter { $0.x.isFinite && $0.y.isFinite }.map { (X($0.x), Y($0.y)) }
      svg.polyline(pts, stroke: color, dash: s.dashed ? "5 3" : nil)
      if s.markers { for p in pts { svg.circle(cx: p.0, cy: p.1, r: 2.5, fill: color) } }
      legend.append((s.name, color, s.dashed))
    }
    for h in highlights { svg.circle(cx: X(h.x), cy: Y(h.y), r: 5, fill: "#D55E00", title: h.note) }
    for (i, l) in legend.enumerated() {
      let ly = top + 10 + Double(i) * 18
      let lx = left + pw + (referenceLines.isEmpty ? 12 : 60)
      svg.line(x1: lx, y1: ly, x2: lx + 18, y2: ly, stroke: l.1, width: 3, dash: l.2 ? "5 3" : nil)
      svg.text(l.0, x: lx + 24, y: ly + 4, size: 11)
    }
    return svg.render()
  }
}

func log10Approx(_ x: Double) -> Double { log10(x) }
func pow10Approx(_ t: Double) -> Double { pow(10, t) }
