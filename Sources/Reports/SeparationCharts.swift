import Chemistry
import Quantities
import Separation

/// Chart and table builders for solvent-extraction cascades.
public enum SeparationCharts {
  /// Aqueous mole fraction of each element against stage (1 = raffinate end), log scale.
  public static func compositionProfile(_ r: CascadeResult, title: String) -> LineChart {
    var chart = LineChart(title: title, xLabel: "stage (1 = raffinate end)", yLabel: "aqueous mole fraction")
    // Log axis scaled from the data (fractions floored at 1e-6). LineChart applies the log
    // transform to yMax but not to yMin, so neither is set here.
    chart.logY = true
    for (i, e) in r.spec.elements.enumerated() {
      let pts = (0..<r.spec.stageCount).map { k in (x: Double(k + 1), y: max(1e-6, r.aqueousFraction(stage: k, element: i))) }
      chart.series.append(LineChart.Series(name: e.symbol, points: pts, color: palette[i % palette.count], markers: r.spec.stageCount <= 80))
    }
    return chart
  }

  /// McCabe–Thiele diagram for the key pair on a key-pair basis: equilibrium curve
  /// y = βx/(1+(β−1)x), the diagonal, and the stage staircase from the simulated profile.
  public static func mcCabeThiele(_ r: CascadeResult, heavy h: Int, light l: Int, title: String) -> LineChart {
    var chart = LineChart(title: title, xLabel: "aqueous \(r.spec.elements[h].symbol)/(\(r.spec.elements[h].symbol)+\(r.spec.elements[l].symbol))", yLabel: "organic \(r.spec.elements[h].symbol)/(\(r.spec.elements[h].symbol)+\(r.spec.elements[l].symbol))")
    chart.yMin = 0
    chart.yMax = 1
    let beta = r.spec.extractabilities[h] / r.spec.extractabilities[l]
    let curve = (0...100).map { j -> (x: Double, y: Double) in
      let x = Double(j) / 100
      return (x, beta * x / (1 + (beta - 1) * x))
    }
    chart.series.append(LineChart.Series(name: "equilibrium (β = \(formatNumber(beta, significantDigits: 4)))", points: curve, color: palette[0]))
    chart.series.append(LineChart.Series(name: "y = x", points: [(0, 0), (1, 1)], color: "#999999", dashed: true))
    func xk(_ k: Int) -> Double {
      let a = r.aqueous[k][h]
      let b = r.aqueous[k][l]
      return a + b > 0 ? a / (a + b) : 0
    }
    func yk(_ k: Int) -> Double {
      let a = r.organic[k][h]
      let b = r.organic[k][l]
      return a + b > 0 ? a / (a + b) : 0
    }
    var stairs: [(x: Double, y: Double)] = []
    for k in 0..<r.spec.stageCount {
      stairs.append((xk(k), yk(k)))
      if k + 1 < r.spec.stageCount { stairs.append((xk(k + 1), yk(k))) }
    }
    chart.series.append(LineChart.Series(name: "stages", points: stairs, color: palette[3]))
    return chart
  }

  /// The stage profile as a table: stage, section, flows and aqueous/organic mole fractions.
  public static func profileTable(_ r: CascadeResult) -> Table {
    var cols = ["stage", "section", "organic_flow", "aqueous_flow"]
    for e in r.spec.elements { cols.append("x_\(e.symbol)") }
    for e in r.spec.elements { cols.append("y_\(e.symbol)") }
    var t = Table(title: "Stage profile (flows in mol RE per mol feed RE; x aqueous, y organic mole fractions)", columns: cols)
    for k in 0..<r.spec.stageCount {
      var row = [String(k + 1), k < r.spec.extractionStages ? "extraction" : "scrub"]
      if k + 1 == r.spec.feedStage { row[1] += "+feed" }
      if r.spec.draws.contains(where: { $0.stage == k + 1 }) { row[1] += "+draw" }
      row.append(formatNumber(r.organicFlow[k], significantDigits: 8))
      row.append(formatNumber(r.aqueousFlow[k], significantDigits: 8))
      for i in r.spec.elements.indices { row.append(formatNumber(r.aqueousFraction(stage: k, element: i), significantDigits: 8)) }
      for i in r.spec.elements.indices { row.append(formatNumber(r.organicFraction(stage: k, element: i), significantDigits: 8)) }
      t.append(row)
    }
    return t
  }

  /// The outlets as a table: outlet, stage, flow and element mole fractions and recoveries.
  public static func outletTable(_ r: CascadeResult) -> Table {
    var cols = ["outlet", "stage", "flow"]
    for e in r.spec.elements { cols.append("frac_\(e.symbol)") }
    for e in r.spec.elements { cols.append("recovery_\(e.symbol)") }
    var t = Table(title: "Outlets (flow in mol RE per mol feed RE)", columns: cols)
    for o in r.outlets {
      var row = [o.kind.rawValue, String(o.stage), formatNumber(o.total, significantDigits: 8)]
      for i in r.spec.elements.indices { row.append(formatNumber(o.total > 0 ? o.elementFlows[i] / o.total : 0, significantDigits: 8)) }
      for i in r.spec.elements.indices { row.append(formatNumber(r.spec.feed[i] > 0 ? o.elementFlows[i] / r.spec.feed[i] : 0, significantDigits: 8)) }
      t.append(row)
    }
    return t
  }

  /// The design of one cut: Xu's flows (mol RE per mol feed RE) and stage counts, the refined n + m, purities and recoveries in %.
  public static func designTable(_ d: CutDesign, system: ExtractantSystem) -> Table {
    let r = d.request
    let hk = r.heavyKey ?? 0
    let lk = r.lightKey ?? 0
    let x = d.xu
    var t = Table(title: "Cut design (\(system.id); flows in mol RE per mol feed RE)", columns: ["quantity", "value", "unit"])
    let heavy = r.heavyIndices.map { r.elements[$0].symbol }.joined()
    let light = r.lightIndices.map { r.elements[$0].symbol }.joined()
    t.append(["cut", "\(light)|\(heavy)", ""])
    t.append(["key pair", "\(r.elements[hk].symbol)/\(r.elements[lk].symbol)", ""])
    t.append(["beta (key pair)", g(x.input.beta), ""])
    t.append(["feed phase", x.input.feedPhase.rawValue, ""])
    t.append(["feed fraction heavy f_A", g(x.input.feedFractionA), "mol/mol"])
    t.append(["target purity organic P_A", r.purityOrganic.map(pct) ?? "-", "%"])
    t.append(["target purity raffinate P_B", r.purityAqueous.map(pct) ?? "-", "%"])
    t.append(["target recovery organic Y_A", r.recoveryOrganic.map(pct) ?? "-", "%"])
    t.append(["target recovery raffinate Y_B", r.recoveryAqueous.map(pct) ?? "-", "%"])
    t.append(["design purity organic (Xu)", pct(x.input.purityA), "%"])
    t.append(["design purity raffinate (Xu)", pct(x.input.purityB), "%"])
    t.append(["organic product f'_A", g(x.productFractionA), "mol/mol"])
    t.append(["raffinate f'_B", g(x.productFractionB), "mol/mol"])
    t.append(["controlling section", x.controlling.rawValue, ""])
    t.append(["extraction ratio E_M", g(x.extractionRatio), ""])
    t.append(["scrub ratio E'_M", g(x.scrubRatio), ""])
    t.append(["organic flow S", g(x.organicFlow), "mol/mol"])
    t.append(["scrub flow W", g(x.scrubFlow), "mol/mol"])
    t.append(["minimum organic flow S_min", g(x.minimumOrganicFlow), "mol/mol"])
    t.append(["minimum scrub flow W_min", g(x.minimumScrubFlow), "mol/mol"])
    t.append(["Fenske minimum stages", g(x.fenskeStages, 4), "stages"])
    t.append(["Xu extraction stages n", g(x.xuExtractionStages, 4), "stages"])
    t.append(["Xu scrub stages m", g(x.xuScrubStages, 4), "stages"])
    t.append(["purity organic at Xu counts (ceil)", pct(d.atXuCounts.organicProduct.purity(r.heavyIndices)), "%"])
    t.append(["purity raffinate at Xu counts (ceil)", pct(d.atXuCounts.raffinate.purity(r.lightIndices)), "%"])
    t.append(["refined extraction stages n", String(d.extractionStages), "stages"])
    t.append(["refined scrub stages m", String(d.scrubStages), "stages"])
    t.append(["refined total n+m", String(d.totalStages), "stages"])
    t.append(["feasible n at this total", d.feasibleExtractionStages.map(String.init).joined(separator: " "), "stages"])
    t.append(["purity organic", pct(d.purityOrganic), "%"])
    t.append(["purity raffinate", pct(d.purityAqueous), "%"])
    t.append(["recovery heavy group to organic", pct(d.recoveryOrganic), "%"])
    t.append(["recovery light group to raffinate", pct(d.recoveryAqueous), "%"])
    t.append(["max stage element-balance residual", g(d.result.balanceResidual, 3), "mol/mol"])
    return t
  }

  /// The three-outlet (side-draw) design as a quantity/value/unit table.
  public static func threeOutletTable(_ d: ThreeOutletDesign, system: ExtractantSystem) -> Table {
    let r = d.request
    func names(_ ix: [Int]) -> String { ix.map { r.elements[$0].symbol }.joined() }
    var t = Table(title: "Three-outlet design (\(system.id); flows in mol RE per mol feed RE)", columns: ["quantity", "value", "unit"])
    t.append(["groups light|middle|heavy", "\(names(r.lightIndices))|\(names(r.middleIndices))|\(names(r.heavyIndices))", ""])
    t.append(["stages n + m", "\(r.extractionStages) + \(r.scrubStages)", "stages"])
    t.append(["organic flow S", g(r.organicFlow), "mol/mol"])
    t.append(["draw stage I", String(d.drawStage), "stage"])
    t.append(["draw flow D", g(d.drawFlow), "mol/mol"])
    t.append(["raffinate flow R", g(d.raffinateFlow), "mol/mol"])
    t.append(["organic product P", g(d.organicProductFlow), "mol/mol"])
    t.append(["scrub flow W", g(d.scrubFlow), "mol/mol"])
    t.append(["feasible draw stages", d.feasibleDraws.map { String($0.stage) }.joined(separator: " "), "stage"])
    t.append(["purity organic", pct(d.purityOrganic), "%"])
    t.append(["purity raffinate", pct(d.purityAqueous), "%"])
    t.append(["purity draw (middle group)", pct(d.purityDraw), "%"])
    t.append(["recovery heavy group to organic", pct(d.recoveryOrganic), "%"])
    t.append(["recovery light group to raffinate", pct(d.recoveryAqueous), "%"])
    t.append(["recovery middle group to draw", pct(d.recoveryDraw), "%"])
    t.append(["worst target margin", g(d.margin, 4), "log-odds"])
    t.append(["max stage element-balance residual", g(d.result.balanceResidual, 3), "mol/mol"])
    return t
  }
}

/// A number to 6 (or `d`) significant digits, and a fraction as a percentage to 4 decimals, for the design tables.
private func g(_ x: Double, _ d: Int = 6) -> String { formatNumber(x, significantDigits: d) }
private func pct(_ x: Double) -> String { fixedFormat(x * 100, decimals: 4) }
