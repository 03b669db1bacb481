import Quantities
import Simulation
import SupplyChain

/// Two runs side by side: key indicators of each, their difference (B − A) and relative change.
///
/// Indicators (whole run): unmet demand per sector (t and end units), demand met share (%),
/// imports into each demand country by origin (t delivered), tolling returns (t), reserve
/// releases (t) and each stage's HHI (points, 0–10 000).
public struct CompareReport: Sendable {
  public let a: (scenario: Scenario, result: SimulationResult)
  public let b: (scenario: Scenario, result: SimulationResult)

  public init(a: (Scenario, SimulationResult), b: (Scenario, SimulationResult)) {
    self.a = (a.0, a.1)
    self.b = (b.0, b.1)
  }

  /// One indicator: its group, name, unit and value in each run (`nil` where a run lacks it).
  public struct KPI: Sendable {
    public var group: String
    public var name: String
    public var unit: String
    public var a: Double?
    public var b: Double?
    /// B − A, with a missing value counted as 0.
    public var difference: Double { (b ?? 0) - (a ?? 0) }
  }

  /// Run labels: the scenario name and variant; `A:`/`B:` prefixes when both are equal.
  public var labels: (a: String, b: String) {
    func label(_ r: SimulationResult) -> String { r.variant.map { "\(r.scenario)/\($0)" } ?? r.scenario }
    let la = label(a.result), lb = label(b.result)
    return la == lb ? ("A: \(la)", "B: \(lb)") : (la, lb)
  }

  /// Every indicator in a fixed order: unmet demand, met share, imports, tolling, reserves, HHI.
  public func kpis() -> [KPI] {
    var out: [KPI] = []
    func merge(_ group: String, _ xa: [(String, String, Double)], _ xb: [(String, String, Double)]) {
      var keys: [(String, String)] = []
      for x in xa + xb where !keys.contains(where: { $0 == (x.0, x.1) }) { keys.append((x.0, x.1)) }
      for k in keys {
        out.append(KPI(group: group, name: k.0, unit: k.1, a: xa.first { ($0.0, $0.1) == k }?.2, b: xb.first { ($0.0, $0.1) == k }?.2))
      }
    }
    func unmet(_ r: SimulationResult) -> [(String, String, Double)] {
      rrSectorDemands(r).flatMap { g in
        [(g.sector.rawValue, "t", rrTonnes(rrTotal(g.unmet))), (g.sector.rawValue, g.endUnit, rrTotal(g.unmetUnits))]
      }
    }
    func metShare(_ r: SimulationResult) -> [(String, String, Double)] {
      rrSectorDemands(r).compactMap { g in
        let req = rrTotal(g.required)
        return req > 0 ? (g.sector.rawValue, "%", 100 * rrTotal(g.met) / req) : nil
      }
    }
    func imports(_ s: Scenario, _ r: SimulationResult) -> [(String, String, Double)] {
      var acc: [(String, Double)] = []
      for home in rrHomeCountries(s) {
        for x in r.imports(into: home, scenario: s) {
          let key = "\(x.origin) → \(home) \(x.form.rawValue)"
          if let i = acc.firstIndex(where: { $0.0 == key }) { acc[i].1 += rrTonnes(rrTotal(x.mass)) } else { acc.append((key, rrTonnes(rrTotal(x.mass)))) }
        }
      }
      return acc.sorted { $0.0 < $1.0 }.map { ($0.0, "t", $0.1) }
    }
    func tolling(_ r: SimulationResult) -> [(String, String, Double)] {
      r.tolling.map { ("\($0.agreement) returned", "t", rrTonnes(rrTotal($0.returned))) }
    }
    func reserves(_ r: SimulationResult) -> [(String, String, Double)] {
      r.reserves.flatMap { x in
        [("\(x.reserve) released", "t", rrTonnes(rrTotal(x.released))), ("\(x.reserve) end level", "t", rrTonnes(x.level.last ?? 0))]
      }
    }
    func hhi(_ r: SimulationResult) -> [(String, String, Double)] {
      r.concentration().map { ($0.stage.rawValue, "HHI", $0.hhi) }
    }
    merge("unmet demand", unmet(a.result), unmet(b.result))
    merge("demand met", metShare(a.result), metShare(b.result))
    merge("imports", imports(a.scenario, a.result), imports(b.scenario, b.result))
    merge("tolling", tolling(a.result), tolling(b.result))
    merge("reserves", reserves(a.result), reserves(b.result))
    merge("concentration", hhi(a.result), hhi(b.result))
    return out
  }

  /// The indicators as a table: group, indicator, unit, A, B, B − A, change % (blank when A is 0 or missing).
  public func table() -> Table {
    let l = labels
    var t = Table(title: "Comparison over the whole run", columns: ["group", "indicator", "unit", l.a, l.b, "B − A", "change %"])
    for k in kpis() {
      let pct: String
      if let va = k.a, va != 0, k.b != nil { pct = rrCell(100 * k.difference / abs(va)) } else { pct = "" }
      t.append([k.group, k.name, k.unit, k.a.map { rrCell($0) } ?? "", k.b.map { rrCell($0) } ?? "", rrCell(k.difference), pct])
    }
    return t
  }

  /// Named tables (`kpis`, and `demand` with per-sector unmet t per year in each run).
  public func tables() -> [(name: String, table: Table)] {
    [("kpis", table()), ("demand", demandTable())]
  }

  /// Unmet demand per sector and calendar year, t, for both runs.
  public func demandTable() -> Table {
    let l = labels
    let ya = rrYearGroups(a.result.months), yb = rrYearGroups(b.result.months)
    var years: [Int] = []
    for g in ya + yb where !years.contains(g.year) { years.append(g.year) }
    years.sort()
    var t = Table(title: "Unmet demand per sector (t per year)", columns: ["sector", "run"] + years.map(String.init))
    let ga = rrSectorDemands(a.result), gb = rrSectorDemands(b.result)
    var sectors: [Sector] = []
    for g in ga + gb where !sectors.contains(g.sector) { sectors.append(g.sector) }
    sectors.sort()
    for s in sectors {
      for (label, groups, yg) in [(l.a, ga, ya), (l.b, gb, yb)] {
        let unmet = groups.filter { $0.sector == s }.reduce(into: [Double]()) { acc, g in
          if acc.isEmpty { acc = g.unmet } else { rrAdd(&acc, g.unmet) }
        }
        t.append([s.rrName, label] + years.map { y in
          guard let g = yg.first(where: { $0.year == y }), !unmet.isEmpty else { return "" }
          return rrCell(rrTonnes(rrSum(unmet, g.indices)))
        })
      }
    }
    return t
  }

  /// Terminal text: both run headings, the KPI table and the per-year unmet table.
  public func text() -> String {
    let l = labels
    var out = "A = \(l.a) (\(a.result.months.count) months)\nB = \(l.b) (\(b.result.months.count) months)\n\n"
    for (_, t) in tables() where !t.rows.isEmpty { out += t.renderText() + "\n" }
    return out
  }

  /// Unmet demand per sector over time, t/month: A solid, B dashed, on a common calendar.
  public func demandChart() -> LineChart {
    let l = labels
    var c = LineChart(title: "Unmet demand per sector. A: \(l.a) (solid), B: \(l.b) (dashed)", xLabel: "month", yLabel: "t/month unmet")
    c.width = 960
    c.yMin = 0
    let starts = [a.result.months.first, b.result.months.first].compactMap { $0 }
    guard let origin = starts.min() else { return c }
    var all: [YearMonth] = []
    for m in a.result.months + b.result.months where !all.contains(m) { all.append(m) }
    all.sort()
    c.xTickLabels = all.enumerated().filter { k, m in k == 0 || all.count <= 8 || (all.count <= 24 ? (m.month - 1) % 3 == 0 : m.month == 1) }
      .map { (Double($0.element.months(since: origin)), $0.element.description) }
    var sectors: [Sector] = []
    let ga = rrSectorDemands(a.result), gb = rrSectorDemands(b.result)
    for g in ga + gb where !sectors.contains(g.sector) { sectors.append(g.sector) }
    sectors.sort()
    for (i, s) in sectors.enumerated() {
      let color = palette[i % palette.count]
      for (label, groups, months, dashed) in [("A", ga, a.result.months, false), ("B", gb, b.result.months, true)] {
        let here = groups.filter { $0.sector == s }
        guard !here.isEmpty else { continue }
        var unmet = Array(repeating: 0.0, count: months.count)
        for g in here { rrAdd(&unmet, g.unmet) }
        let pts = months.enumerated().map { (Double($0.element.months(since: origin)), rrTonnes(unmet[$0.offset])) }
        c.series.append(.init(name: "\(s.rawValue) \(label)", points: pts, color: color, dashed: dashed))
      }
    }
    return c
  }

  /// The charts a comparison writes: `demand-compare.svg`.
  public func svgs() -> [(fileName: String, svg: String)] {
    [("demand-compare.svg", demandChart().render())]
  }
}
