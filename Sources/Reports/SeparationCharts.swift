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
}
