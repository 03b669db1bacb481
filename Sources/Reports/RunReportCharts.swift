import Chemistry
import Quantities
import Simulation
import SupplyChain

/// Horizontal 100 % stacked bars: one bar per category, segments by series (e.g. country shares per stage).
public struct ShareBarChart: Sendable {
  public struct Bar: Sendable {
    public var label: String
    /// Segments in drawing order; values are normalised to the bar's total.
    public var segments: [(key: String, value: Double)]
    public init(label: String, segments: [(key: String, value: Double)]) {
      self.label = label
      self.segments = segments
    }
  }

  public var title: String
  public var bars: [Bar] = []
  public var width: Double = 760
  /// Colour per segment key; keys not listed get palette colours in first-appearance order.
  public var colors: [(key: String, color: String)] = []

  public init(title: String) { self.title = title }

  public func render() -> String {
    let left = 120.0, right = 120.0, top = 44.0, barH = 24.0, gap = 10.0
    var keyCount = 0
    var seenKeys = Set<String>()
    for b in bars { for s in b.segments where seenKeys.insert(s.key).inserted { keyCount += 1 } }
    let height = max(top + Double(bars.count) * (barH + gap) + 40, top + 10 + Double(keyCount) * 18 + 10)
    var svg = SVGDocument(width: width, height: height)
    svg.text(title, x: 20, y: 24, size: 15, weight: "bold")
    var keys: [String] = []
    for b in bars { for s in b.segments where !keys.contains(s.key) { keys.append(s.key) } }
    func color(_ k: String) -> String {
      if let c = colors.first(where: { $0.key == k }) { return c.color }
      return palette[(keys.firstIndex(of: k) ?? 0) % palette.count]
    }
    let pw = width - left - right
    for (i, b) in bars.enumerated() {
      let y = top + Double(i) * (barH + gap)
      svg.text(b.label, x: left - 6, y: y + barH / 2 + 4, size: 11, anchor: .end)
      let tot = b.segments.reduce(0.0) { $0 + max(0, $1.value) }
      guard tot > 0 else { continue }
      var x = left
      for s in b.segments where s.value > 0 {
        let w = s.value / tot * pw
        svg.rect(x: x, y: y, width: w, height: barH, fill: color(s.key), title: "\(b.label) \(s.key): \(formatNumber(100 * s.value / tot, significantDigits: 3)) %")
        if w > 28 { svg.text("\(s.key) \(formatNumber(100 * s.value / tot, significantDigits: 2))%", x: x + 3, y: y + barH / 2 + 4, size: 10, fill: "#fff") }
        x += w
      }
    }
    for (i, k) in keys.enumerated() {
      let ly = top + 10 + Double(i) * 18
      svg.rect(x: left + pw + 12, y: ly - 8, width: 12, height: 12, fill: color(k))
      svg.text(k, x: left + pw + 30, y: ly + 2, size: 11)
    }
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
      let x = left + t * pw
      let yb = top + Double(bars.count) * (barH + gap)
      svg.line(x1: x, y1: yb, x2: x, y2: yb + 4)
      svg.text("\(Int(t * 100)) %", x: x, y: yb + 17, size: 11, anchor: .middle)
    }
    return svg.render()
  }
}

/// What a run's Sankey diagram measures.
public enum SankeyBasis: Sendable, Equatable {
  /// Tonnes of material.
  case material
  /// Tonnes of the listed elements contained in the materials.
  case elements([Element])
}

extension RunReport {
  /// The year the Sankey diagram shows: the first calendar year simulated in full, else the first year.
  public var defaultSankeyYear: Int? {
    let g = years
    return (g.first { $0.isFull } ?? g.first)?.year
  }

  /// A Sankey diagram of one year's flows, t/yr. Nodes are stock pools (`site · material`),
  /// processes, demand sectors and reserves; links are process inputs (pool → process), outputs
  /// (process → pool), shipments (pool → pool, by departure), demand served from stock
  /// (pool → sector), reserve fills (pool → reserve) and releases (reserve → sector).
  ///
  /// With `basis: .material` widths are tonnes of material; with `.elements([...])` they are
  /// tonnes of those elements' content, and each process also has a link to a `losses` node, so
  /// every process node's inflow equals its outflow.
  public func sankey(year: Int? = nil, basis: SankeyBasis = .material) -> SankeyDiagram {
    let y = year ?? defaultSankeyYear ?? 0
    let idx = years.first { $0.year == y }?.indices ?? []
    let partial = idx.count < 12 ? " (\(idx.count) months)" : ""
    let what: String
    var factor: [MaterialID: Double] = [:]
    switch basis {
    case .material:
      what = "material flows"
      for m in scenario.materials { factor[m.id] = 1 }
    case .elements(let els):
      what = els.map(\.symbol).joined(separator: "+") + " content of flows"
      for m in scenario.materials { factor[m.id] = els.reduce(0) { $0 + m.composition.fraction(of: $1) } }
    }
    var d = SankeyDiagram(title: "\(result.scenario): \(what) in \(y)\(partial), t/yr", unit: "t/yr")
    func pool(_ site: SiteID, _ m: MaterialID) -> String {
      let id = "pool:\(site):\(m)"
      d.addNode(.init(id: id, label: "\(site) · \(m)"))
      return id
    }
    func v(_ kg: [Double], _ m: MaterialID) -> Double { rrTonnes(rrSum(kg, idx)) * (factor[m] ?? 0) }
    // Processes in stage order so the columns read left to right.
    let procs = result.processes.enumerated().sorted { ($0.element.stage, $0.offset) < ($1.element.stage, $1.offset) }.map(\.element)
    for p in procs {
      let pid = "proc:\(p.process)"
      let ins = p.inputs.filter { v($0.mass, $0.material) > 0 }, outs = p.outputs.filter { v($0.mass, $0.material) > 0 }
      guard !ins.isEmpty || !outs.isEmpty else { continue }
      for i in ins { _ = pool(p.site, i.material) }
      d.addNode(.init(id: pid, label: p.name))
      for i in ins { d.addFlow(pool(p.site, i.material), pid, v(i.mass, i.material), label: "\(i.material) into \(p.name)") }
      for o in outs { d.addFlow(pid, pool(p.site, o.material), v(o.mass, o.material), label: "\(p.name) makes \(o.material)") }
      if case .elements(let els) = basis {
        var lost = 0.0
        for e in els { if let k = result.elements.firstIndex(of: e), k < p.losses.count { lost += rrTonnes(rrSum(p.losses[k], idx)) } }
        if lost > 0 {
          d.addNode(.init(id: "losses", label: "losses", color: "#999999"))
          d.addFlow(pid, "losses", lost, label: "\(p.name) losses")
        }
      }
    }
    for s in result.shipments where v(s.shipped, s.material) > 0 {
      let a = pool(s.from, s.material), b = pool(s.to, s.material)
      d.addFlow(a, b, v(s.shipped, s.material), label: "\(s.material) \(s.from) (\(s.fromCountry)) → \(s.to) (\(s.toCountry))")
    }
    for dm in result.demands {
      let fromStock = zip(dm.met, dm.fromReserve).map { max(0, $0 - $1) }
      let sid = "use:\(dm.sector.rawValue)"
      if v(fromStock, dm.material) > 0 {
        let a = pool(dm.site, dm.material)
        d.addNode(.init(id: sid, label: dm.sector.rrName))
        d.addFlow(a, sid, v(fromStock, dm.material), label: "\(dm.material) to \(dm.sector.rrName)")
      }
      if v(dm.fromReserve, dm.material) > 0 {
        for r in result.reserves where r.site == dm.site && r.material == dm.material && v(r.released, r.material) > 0 {
          d.addNode(.init(id: "reserve:\(r.reserve)", label: "reserve \(r.reserve)"))
          d.addNode(.init(id: sid, label: dm.sector.rrName))
          d.addFlow("reserve:\(r.reserve)", sid, v(dm.fromReserve, dm.material), label: "reserve \(r.reserve) releases to \(dm.sector.rrName)")
          break
        }
      }
    }
    for r in result.reserves where v(r.filled, r.material) > 0 {
      let a = pool(r.site, r.material)
      d.addNode(.init(id: "reserve:\(r.reserve)", label: "reserve \(r.reserve)"))
      d.addFlow(a, "reserve:\(r.reserve)", v(r.filled, r.material), label: "fill reserve \(r.reserve)")
    }
    return d
  }

  /// The magnet elements the run tracks (Nd, Pr, Dy, Tb, in that order), for the element Sankey.
  var magnetElements: [Element] { [Element.Nd, .Pr, .Dy, .Tb].filter { result.elements.contains($0) } }

  /// Month tick labels that do not overlap: every month up to 8 months, quarters up to 24,
  /// then Januaries (and always the first month).
  var monthTicks: [(x: Double, label: String)] {
    let T = result.months.count
    return result.months.enumerated().filter { k, m in
      k == 0 || T <= 8 || (T <= 24 ? (m.month - 1) % 3 == 0 : m.month == 1)
    }.map { (Double($0.offset), $0.element.description) }
  }

  /// Demand met (solid) and unmet (dashed) per sector, t/month.
  public func demandChart() -> LineChart {
    var c = LineChart(title: "\(result.scenario): demand met and unmet per sector", xLabel: "month", yLabel: "t/month")
    c.width = 860
    c.xTickLabels = monthTicks
    c.yMin = 0  // masses are never negative; keeps 1e-15 t rounding noise from stretching the axis
    for (i, g) in rrSectorDemands(result).enumerated() {
      let color = palette[i % palette.count]
      c.series.append(.init(name: "\(g.sector.rawValue) met", points: g.met.enumerated().map { (Double($0.offset), rrTonnes($0.element)) }, color: color))
      c.series.append(.init(name: "\(g.sector.rawValue) unmet", points: g.unmet.enumerated().map { (Double($0.offset), rrTonnes($0.element)) }, color: color, dashed: true))
    }
    return c
  }

  /// Stock levels over time (t), the ten largest by peak level, plus reserve levels (dashed).
  public func stocksChart() -> LineChart {
    var c = LineChart(title: "\(result.scenario): stocks at month end", xLabel: "month", yLabel: "t")
    c.xTickLabels = monthTicks
    c.yMin = 0
    c.width = 900  // room for "site material" legend entries
    let ranked = result.stocks.enumerated().sorted { a, b in
      let pa = a.element.level.max() ?? 0, pb = b.element.level.max() ?? 0
      return pa != pb ? pa > pb : a.offset < b.offset
    }.prefix(10).sorted { $0.offset < $1.offset }.map(\.element)
    if ranked.count < result.stocks.count { c.title += " (10 largest of \(result.stocks.count))" }
    for s in ranked {
      c.series.append(.init(name: "\(s.site) \(s.material)", points: s.level.enumerated().map { (Double($0.offset), rrTonnes($0.element)) }))
    }
    for r in result.reserves {
      c.series.append(.init(name: "reserve \(r.reserve)", points: r.level.enumerated().map { (Double($0.offset), rrTonnes($0.element)) }, dashed: true))
    }
    return c
  }

  /// Each stage's share of output by country over the run (100 % stacked bars).
  public func dependenceChart() -> ShareBarChart {
    var c = ShareBarChart(title: "\(result.scenario): supply share by country per stage (whole run)")
    for k in result.concentration() {
      let shares = k.shares.sorted { $0.country < $1.country }
      c.bars.append(.init(label: "\(k.stage.rawValue) (HHI \(Int(k.hhi.rounded())))", segments: shares.map { ($0.country, $0.share) }))
    }
    var countries = Set<String>()
    for b in c.bars { for s in b.segments { countries.insert(s.key) } }
    c.colors = countries.sorted().enumerated().map { ($0.element, palette[$0.offset % palette.count]) }
    return c
  }

  /// The charts `--out` writes: `sankey.svg`, `demand.svg`, `stocks.svg`, `dependence.svg`.
  /// When the run tracks any magnet element, also `sankey-elements.svg` (the same flows in t/yr of Nd+Pr+Dy+Tb content).
  public func svgs(sankeyYear: Int? = nil) -> [(fileName: String, svg: String)] {
    var out = [
      ("sankey.svg", sankey(year: sankeyYear).render()),
      ("demand.svg", demandChart().render()),
      ("stocks.svg", stocksChart().render()),
      ("dependence.svg", dependenceChart().render()),
    ]
    if !magnetElements.isEmpty { out.append(("sankey-elements.svg", sankey(year: sankeyYear, basis: .elements(magnetElements)).render())) }
    return out
  }
}
