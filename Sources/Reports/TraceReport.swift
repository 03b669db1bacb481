import Chemistry
import Quantities
import Simulation
import SupplyChain

/// Why a report cannot be built from the inputs given.
public struct TraceError: Error, Sendable, CustomStringConvertible, Equatable {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Where every kilogram of one element goes over a run: extraction by site, conversions,
/// shipments between countries, losses per process, consumption by sector, closing stocks and
/// reserves, and the closure
///
///     extraction = losses + consumption + Δstocks + Δreserves + in transit at the end + residual.
///
/// All masses are of the element itself (material mass × the element's mass fraction), in kg
/// in the properties and in tonnes (t) in the tables.
public struct TraceReport: Sendable {
  public let scenario: Scenario
  public let result: SimulationResult
  public let element: Element

  /// kg of the element extracted over the run (outputs of processes without inputs), per site in site order.
  public let extraction: [(site: SiteID, country: String, mass: Double)]
  /// Per conversion process (one with inputs): kg of the element in its inputs, in its outputs and lost.
  public let conversions: [(process: ProcessID, name: String, site: SiteID, stage: Stage, input: Double, output: Double, loss: Double)]
  /// kg of the element shipped, delivered and blocked per (origin country, destination country), sorted.
  public let trade: [(from: String, to: String, shipped: Double, delivered: Double, blocked: Double)]
  /// kg of the element consumed per sector (demand met, from stock and from reserves), sector order.
  public let consumption: [(sector: Sector, mass: Double)]
  /// kg of the element in stock per site at the start and at the end of the run (reserves excluded), site order.
  public let stocks: [(site: SiteID, opening: Double, closing: Double)]
  /// kg of the element in each reserve at the start and at the end.
  public let reserves: [(reserve: ReserveID, opening: Double, closing: Double)]
  /// kg of the element shipped but not yet delivered at the end of the run.
  public let inTransit: Double

  /// Builds the trace; `element` must be one the run tracked (`result.elements`).
  public init(scenario: Scenario, result: SimulationResult, element: Element) throws(TraceError) {
    guard let e = result.elements.firstIndex(of: element) else {
      let known = result.elements.map(\.symbol).joined(separator: ", ")
      throw TraceError("element must be one the run tracks (\(known)); got '\(element.symbol)'.")
    }
    self.scenario = scenario
    self.result = result
    self.element = element
    var w: [MaterialID: Double] = [:]
    for m in scenario.materials { w[m.id] = m.composition.fraction(of: element) }
    func frac(_ m: MaterialID) -> Double { w[m] ?? 0 }

    var ext: [(SiteID, String, Double)] = scenario.sites.map { ($0.id, $0.country, 0) }
    var conv: [(ProcessID, String, SiteID, Stage, Double, Double, Double)] = []
    for p in result.processes {
      let out = p.outputs.reduce(0.0) { $0 + frac($1.material) * rrTotal($1.mass) }
      if p.inputs.isEmpty {
        if let i = ext.firstIndex(where: { $0.0 == p.site }) { ext[i].2 += out } else { ext.append((p.site, p.country, out)) }
      } else {
        let inp = p.inputs.reduce(0.0) { $0 + frac($1.material) * rrTotal($1.mass) }
        let loss = e < p.losses.count ? rrTotal(p.losses[e]) : 0
        conv.append((p.process, p.name, p.site, p.stage, inp, out, loss))
      }
    }
    extraction = ext.filter { $0.2 != 0 }.map { ($0.0, $0.1, $0.2) }
    conversions = conv.map { ($0.0, $0.1, $0.2, $0.3, $0.4, $0.5, $0.6) }

    var tr: [String: (String, String, Double, Double, Double)] = [:]
    var transit = 0.0
    for s in result.shipments {
      let f = frac(s.material)
      guard f != 0 else { continue }
      let key = s.fromCountry + "\u{1}" + s.toCountry
      var row = tr[key] ?? (s.fromCountry, s.toCountry, 0, 0, 0)
      row.2 += f * rrTotal(s.shipped)
      row.3 += f * rrTotal(s.delivered)
      row.4 += f * rrTotal(s.blocked)
      tr[key] = row
      transit += f * (rrTotal(s.shipped) - rrTotal(s.delivered))
    }
    trade = tr.values.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { ($0.0, $0.1, $0.2, $0.3, $0.4) }
    inTransit = transit

    var cons: [(Sector, Double)] = []
    for d in result.demands {
      let x = frac(d.material) * rrTotal(d.met)
      if let i = cons.firstIndex(where: { $0.0 == d.sector }) { cons[i].1 += x } else { cons.append((d.sector, x)) }
    }
    consumption = cons.sorted { $0.0 < $1.0 }.map { ($0.0, $0.1) }

    var st: [(SiteID, Double, Double)] = scenario.sites.map { site in
      (site.id, site.initialStocks.reduce(0.0) { $0 + frac($1.material) * $1.mass }, 0)
    }
    for s in result.stocks {
      let x = frac(s.material) * (s.level.last ?? 0)
      if let i = st.firstIndex(where: { $0.0 == s.site }) { st[i].2 += x } else { st.append((s.site, 0, x)) }
    }
    stocks = st.map { ($0.0, $0.1, $0.2) }
    reserves = result.reserves.map { r in
      let opening = scenario.reserves.first { $0.id == r.reserve }?.initial ?? 0
      return (r.reserve, frac(r.material) * opening, frac(r.material) * (r.level.last ?? 0))
    }
  }

  /// kg extracted over the run.
  public var totalExtraction: Double { extraction.reduce(0) { $0 + $1.mass } }
  /// kg lost in conversions over the run.
  public var totalLosses: Double { conversions.reduce(0) { $0 + $1.loss } }
  /// kg consumed by demand over the run.
  public var totalConsumption: Double { consumption.reduce(0) { $0 + $1.mass } }
  /// Closing − opening stock, kg.
  public var stockChange: Double { stocks.reduce(0) { $0 + $1.closing - $1.opening } }
  /// Closing − opening reserve level, kg.
  public var reserveChange: Double { reserves.reduce(0) { $0 + $1.closing - $1.opening } }

  /// extraction − (losses + consumption + Δstocks + Δreserves + in transit), kg.
  public var closureResidual: Double {
    totalExtraction - (totalLosses + totalConsumption + stockChange + reserveChange + inTransit)
  }

  /// |residual| relative to the element's throughput (extraction + opening stocks and reserves); 0 when nothing moved.
  public var relativeClosureResidual: Double {
    let scale = totalExtraction + stocks.reduce(0) { $0 + $1.opening } + reserves.reduce(0) { $0 + $1.opening }
    return scale > 0 ? abs(closureResidual) / scale : abs(closureResidual)
  }

  // MARK: - Tables

  public func sourcesTable() -> Table {
    var t = Table(title: "\(element.symbol) sources: extraction by site (t)", columns: ["site", "country", "t"])
    for x in extraction { t.append([x.site.rawValue, x.country, rrCell(rrTonnes(x.mass))]) }
    return t
  }

  public func conversionsTable() -> Table {
    var t = Table(title: "\(element.symbol) through conversions (t)", columns: ["stage", "process", "site", "in", "out", "lost", "lost %"])
    for c in conversions {
      let pct = c.input > 0 ? rrCell(100 * c.loss / c.input) : ""
      t.append([c.stage.rawValue, c.name, c.site.rawValue, rrCell(rrTonnes(c.input)), rrCell(rrTonnes(c.output)), rrCell(rrTonnes(c.loss)), pct])
    }
    return t
  }

  public func tradeTable() -> Table {
    var t = Table(title: "\(element.symbol) shipments between countries (t)", columns: ["from", "to", "shipped", "delivered", "blocked"])
    for x in trade { t.append([x.from, x.to, rrCell(rrTonnes(x.shipped)), rrCell(rrTonnes(x.delivered)), rrCell(rrTonnes(x.blocked))]) }
    return t
  }

  public func consumptionTable() -> Table {
    var t = Table(title: "\(element.symbol) consumed by sector (t)", columns: ["sector", "t"])
    for c in consumption { t.append([c.sector.rrName, rrCell(rrTonnes(c.mass))]) }
    return t
  }

  public func stocksTable() -> Table {
    var t = Table(title: "\(element.symbol) in stock and reserves (t)", columns: ["holder", "kind", "opening", "closing", "change"])
    for s in stocks where s.opening != 0 || s.closing != 0 {
      t.append([s.site.rawValue, "stock", rrCell(rrTonnes(s.opening)), rrCell(rrTonnes(s.closing)), rrCell(rrTonnes(s.closing - s.opening))])
    }
    for r in reserves {
      t.append([r.reserve.rawValue, "reserve", rrCell(rrTonnes(r.opening)), rrCell(rrTonnes(r.closing)), rrCell(rrTonnes(r.closing - r.opening))])
    }
    return t
  }

  /// The closure: sources on one side, sinks on the other, and the residual (t and relative).
  public func closureTable() -> Table {
    var t = Table(title: "\(element.symbol) closure over \(result.months.count) months (t)", columns: ["term", "t"])
    t.append(["sources: extraction", rrCell(rrTonnes(totalExtraction))])
    t.append(["losses in conversions", rrCell(rrTonnes(totalLosses))])
    t.append(["consumption by demand", rrCell(rrTonnes(totalConsumption))])
    t.append(["change in stocks", rrCell(rrTonnes(stockChange))])
    t.append(["change in reserves", rrCell(rrTonnes(reserveChange))])
    t.append(["in transit at end", rrCell(rrTonnes(inTransit))])
    t.append(["residual", formatNumber(rrTonnes(closureResidual), significantDigits: 3)])
    t.append(["residual (relative)", formatNumber(relativeClosureResidual, significantDigits: 3)])
    return t
  }

  /// Every table, named (`sources`, `conversions`, `trade`, `consumption`, `stocks`, `closure`).
  public func tables() -> [(name: String, table: Table)] {
    [
      ("sources", sourcesTable()), ("conversions", conversionsTable()), ("trade", tradeTable()),
      ("consumption", consumptionTable()), ("stocks", stocksTable()), ("closure", closureTable()),
    ]
  }

  /// The terminal text: each non-empty table, closure last.
  public func text() -> String {
    var out = "Where the \(element.symbol) goes: scenario \(result.scenario)"
    if let v = result.variant { out += ", variant \(v)" }
    out += "\n\n"
    for (_, table) in tables() where !table.rows.isEmpty { out += table.renderText() + "\n" }
    return out
  }
}
