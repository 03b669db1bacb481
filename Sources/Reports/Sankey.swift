import Quantities

/// A Sankey diagram: nodes in columns, links drawn as bands whose width is proportional to
/// their value. Layout is deterministic: columns come from the longest path from a node without
/// inflows (or are given), nodes keep their insertion order within a column, and links leave a
/// node in the order of their targets and enter in the order of their sources.
public struct SankeyDiagram: Sendable {
  public struct Node: Sendable {
    public var id: String
    public var label: String
    /// Column (0 = leftmost); `nil` = from the longest path of inflows.
    public var column: Int?
    public var color: String?
    public init(id: String, label: String, column: Int? = nil, color: String? = nil) {
      self.id = id
      self.label = label
      self.column = column
      self.color = color
    }
  }

  public struct Flow: Sendable {
    public var source: String
    public var target: String
    /// The flow's size in the diagram's unit (e.g. t/yr); must be > 0 to be drawn.
    public var value: Double
    /// Tooltip and, for wide bands, inline text.
    public var label: String
    public var color: String?
    public init(source: String, target: String, value: Double, label: String, color: String? = nil) {
      self.source = source
      self.target = target
      self.value = value
      self.label = label
      self.color = color
    }
  }

  /// Where a laid-out band sits: the source edge (x0, y0…y0+width) and target edge (x1, y1…y1+width), px.
  public struct BandGeometry: Sendable {
    public var x0: Double, y0: Double, x1: Double, y1: Double, width: Double
  }

  public var title: String
  /// Unit shown after node totals (e.g. `t/yr`).
  public var unit: String
  public var nodes: [Node] = []
  public var flows: [Flow] = []
  /// Minimum width, px; the diagram widens so columns are at least `minColumnSpacing` apart.
  public var width: Double = 1100
  /// Minimum height, px; the diagram grows so every node in the fullest column has room for its label.
  public var height: Double = 640
  /// Smallest horizontal distance between columns, px.
  public var minColumnSpacing: Double = 190
  /// Vertical gap between nodes in a column, px.
  public var nodeGap: Double = 14
  /// Node bar width, px.
  public var nodeWidth: Double = 14
  /// Space right of the last column for its labels, px (every label sits right of its node).
  public var labelMargin: Double = 170

  public init(title: String, unit: String) {
    self.title = title
    self.unit = unit
  }

  public mutating func addNode(_ n: Node) { if !nodes.contains(where: { $0.id == n.id }) { nodes.append(n) } }

  /// Adds `value` to the flow from `source` to `target` (creating it).
  public mutating func addFlow(_ source: String, _ target: String, _ value: Double, label: String, color: String? = nil) {
    if let i = flows.firstIndex(where: { $0.source == source && $0.target == target }) {
      flows[i].value += value
    } else {
      flows.append(Flow(source: source, target: target, value: value, label: label, color: color))
    }
  }

  struct Layout {
    var columnOf: [Int]
    var x: [Double]
    var y: [Double]
    var h: [Double]
    var scale: Double  // px per unit value
    var width: Double
    var height: Double
    var columnSpacing: Double
    var bands: [(flow: Int, geometry: BandGeometry)]
    var nodeTotal: [Double]
  }

  /// The flows that are drawn: finite, positive, between known distinct nodes.
  func drawn() -> [Int] {
    flows.indices.filter { i in
      let f = flows[i]
      return f.value.isFinite && f.value > 0 && f.source != f.target && nodes.contains { $0.id == f.source } && nodes.contains { $0.id == f.target }
    }
  }

  func layout() -> Layout {
    let N = nodes.count
    var index: [String: Int] = [:]
    for (i, n) in nodes.enumerated() { index[n.id] = i }
    let fl = drawn()
    var inflow = Array(repeating: 0.0, count: N), outflow = Array(repeating: 0.0, count: N)
    for i in fl {
      let f = flows[i]
      if let s = index[f.source], let t = index[f.target] {
        outflow[s] += f.value
        inflow[t] += f.value
      }
    }
    // Columns: longest path, relaxed at most N times (cycles stop growing there).
    var col = nodes.map { $0.column ?? 0 }
    for _ in 0..<max(1, N) {
      var changed = false
      for i in fl {
        guard let s = index[flows[i].source], let t = index[flows[i].target], nodes[t].column == nil else { continue }
        if col[t] < col[s] + 1 && col[s] + 1 < N {
          col[t] = col[s] + 1
          changed = true
        }
      }
      if !changed { break }
    }
    let usedCols = Array(Set(col)).sorted()
    var dense = Array(repeating: 0, count: N)
    for i in 0..<N { dense[i] = usedCols.firstIndex(of: col[i]) ?? 0 }
    let C = max(1, usedCols.count)
    let top = 50.0, bottom = 20.0, left = 20.0, right = labelMargin
    var fullest = 0
    for c in 0..<C { fullest = max(fullest, dense.filter { $0 == c }.count) }
    let height = max(self.height, top + bottom + Double(fullest) * (nodeGap + 12))
    let width = max(self.width, left + right + nodeWidth + Double(C - 1) * minColumnSpacing)
    let ph = height - top - bottom
    var nodeTotal = (0..<N).map { max(inflow[$0], outflow[$0]) }
    for i in 0..<N where nodeTotal[i] == 0 { nodeTotal[i] = 0 }
    var scale = Double.infinity
    for c in 0..<C {
      let members = (0..<N).filter { dense[$0] == c }
      let sumv = members.reduce(0.0) { $0 + nodeTotal[$1] }
      let gaps = Double(max(0, members.count - 1)) * nodeGap
      if sumv > 0 { scale = min(scale, max(1e-12, ph - gaps) / sumv) }
    }
    if !scale.isFinite { scale = 1 }
    let colSpacing = C > 1 ? (width - left - right - nodeWidth) / Double(C - 1) : 0
    var x = Array(repeating: 0.0, count: N), y = x, h = x
    for c in 0..<C {
      var cy = top
      for i in 0..<N where dense[i] == c {
        x[i] = left + Double(c) * colSpacing
        y[i] = cy
        h[i] = nodeTotal[i] * scale
        cy += h[i] + nodeGap
      }
    }
    // Bands: leave sources ordered by target position, enter targets ordered by source position.
    var outOffset = Array(repeating: 0.0, count: N), inOffset = Array(repeating: 0.0, count: N)
    var geo: [Int: BandGeometry] = [:]
    let bySource = fl.sorted { a, b in
      let ta = index[flows[a].target] ?? 0, tb = index[flows[b].target] ?? 0
      return (dense[ta], y[ta], a) < (dense[tb], y[tb], b)
    }
    for i in bySource {
      guard let s = index[flows[i].source], let t = index[flows[i].target] else { continue }
      let w = flows[i].value * scale
      geo[i] = BandGeometry(x0: x[s] + nodeWidth, y0: y[s] + outOffset[s], x1: x[t], y1: 0, width: w)
      outOffset[s] += w
    }
    let byTarget = fl.sorted { a, b in
      let sa = index[flows[a].source] ?? 0, sb = index[flows[b].source] ?? 0
      return (dense[sa], y[sa], a) < (dense[sb], y[sb], b)
    }
    for i in byTarget {
      guard let t = index[flows[i].target], var g = geo[i] else { continue }
      g.y1 = y[t] + inOffset[t]
      inOffset[t] += g.width
      geo[i] = g
    }
    let bands = fl.compactMap { i in geo[i].map { (i, $0) } }
    return Layout(
      columnOf: dense, x: x, y: y, h: h, scale: scale, width: width, height: height, columnSpacing: C > 1 ? colSpacing : width,
      bands: bands, nodeTotal: nodeTotal)
  }

  /// The laid-out band of every drawn flow, in `flows` order (for checks and interactive use).
  public func bandGeometries() -> [(flow: Flow, geometry: BandGeometry)] {
    layout().bands.map { (flows[$0.flow], $0.geometry) }
  }

  /// The SVG path of a band: two cubic curves joined by vertical edges.
  static func bandPath(_ g: BandGeometry) -> String {
    let xm = (g.x0 + g.x1) / 2
    return "M\(n(g.x0)),\(n(g.y0)) C\(n(xm)),\(n(g.y0)) \(n(xm)),\(n(g.y1)) \(n(g.x1)),\(n(g.y1)) "
      + "L\(n(g.x1)),\(n(g.y1 + g.width)) C\(n(xm)),\(n(g.y1 + g.width)) \(n(xm)),\(n(g.y0 + g.width)) \(n(g.x0)),\(n(g.y0 + g.width)) Z"
  }

  public func render() -> String {
    guard !drawn().isEmpty else {
      var svg = SVGDocument(width: width, height: height)
      svg.text(title, x: 20, y: 24, size: 15, weight: "bold")
      svg.text("No flows in this period.", x: 20, y: 60, size: 13)
      return svg.render()
    }
    let L = layout()
    var svg = SVGDocument(width: L.width, height: L.height)
    svg.text(title, x: 20, y: 24, size: 15, weight: "bold")
    let maxCol = L.columnOf.max() ?? 0
    var index: [String: Int] = [:]
    for (i, nd) in nodes.enumerated() { index[nd.id] = i }
    for (fi, g) in L.bands {
      let f = flows[fi]
      let color = f.color ?? (index[f.source].flatMap { nodes[$0].color } ?? palette[(index[f.source] ?? 0) % palette.count])
      svg.path(Self.bandPath(g), fill: color, opacity: 0.4, title: "\(f.label): \(formatNumber(f.value, significantDigits: 4)) \(unit)")
    }
    for (i, nd) in nodes.enumerated() where L.nodeTotal[i] > 0 {
      let color = nd.color ?? palette[i % palette.count]
      svg.rect(x: L.x[i], y: L.y[i], width: nodeWidth, height: max(1, L.h[i]), fill: color, title: nd.label)
      // Labels sit right of the node and are shortened to fit before the next column (10 px font ≈ 5.6 px/char).
      let room = L.columnOf[i] < maxCol ? L.columnSpacing - nodeWidth - 8 : labelMargin - 8
      let amount = " \(formatNumber(L.nodeTotal[i], significantDigits: 4)) \(unit)"
      let maxChars = max(4, Int(room / 5.6) - amount.count)
      let name = nd.label.count > maxChars ? String(nd.label.prefix(maxChars - 1)) + "…" : nd.label
      let text = name + amount
      svg.text(text, x: L.x[i] + nodeWidth + 4, y: L.y[i] + max(1, L.h[i]) / 2 + 4, size: 10)
    }
    return svg.render()
  }
}
