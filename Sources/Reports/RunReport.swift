import Chemistry
import Quantities
import Simulation
import SupplyChain

/// Everything a simulation run shows its user: a terminal summary, named tables, one tidy CSV,
/// a JSON document and SVG charts (Sankey of annual flows, demand, stocks, dependence).
///
/// Pure: builds strings, reads and writes no files. Tables report masses in tonnes (t) per
/// calendar year (columns marked `*` are partial years), end units in the demand's unit
/// (vehicles, MW, …) per year, levels at the end of each year.
public struct RunReport: Sendable {
  public let scenario: Scenario
  public let result: SimulationResult
  /// Significant digits of the numbers in ``tables()`` (6 by default; ``summaryText()`` uses 4).
  public var significantDigits: Int

  public init(scenario: Scenario, result: SimulationResult, significantDigits: Int = 6) {
    self.scenario = scenario
    self.result = result
    self.significantDigits = max(1, significantDigits)
  }

  func rrCell(_ x: Double) -> String { Reports.rrCell(x, digits: significantDigits) }

  var years: [RRYearGroup] { rrYearGroups(result.months) }

  // MARK: - Tidy series

  /// Every monthly series of the run in the order of the tidy CSV: processes, shipments, stocks,
  /// demands, reserves, tolling, production by stage and country, then per-stage concentration.
  public func series() -> [RunSeries] {
    var out: [RunSeries] = []
    let T = result.months.count
    func mass(_ type: String, _ entity: String, _ measure: String, _ kg: [Double]) {
      out.append(RunSeries(entityType: type, entity: entity, measure: measure, unit: "t", values: kg.map { rrTonnes($0) }))
    }
    for p in result.processes {
      let id = p.process.rawValue
      mass("process", id, "activity", p.activity)
      mass("process", id, "available", p.available)
      for i in p.inputs { mass("process", id, "input:\(i.material)", i.mass) }
      for o in p.outputs { mass("process", id, "output:\(o.material)", o.mass) }
      for (k, e) in result.elements.enumerated() where k < p.losses.count { mass("process", id, "loss:\(e.symbol)", p.losses[k]) }
    }
    for s in result.shipments {
      let id = runShipmentEntity(s)
      mass("shipment", id, "shipped", s.shipped)
      mass("shipment", id, "delivered", s.delivered)
      mass("shipment", id, "blocked", s.blocked)
    }
    for s in result.stocks {
      let id = "\(s.site):\(s.material)"
      mass("stock", id, "level", s.level)
      out.append(RunSeries(entityType: "stock", entity: id, measure: "months_of_cover", unit: "month", values: s.monthsOfCover.map { $0.isFinite ? $0 : nil }))
    }
    for d in result.demands {
      let id = d.demand.rawValue
      mass("demand", id, "required", d.required)
      mass("demand", id, "met", d.met)
      mass("demand", id, "unmet", d.unmet)
      mass("demand", id, "from_reserve", d.fromReserve)
      out.append(RunSeries(entityType: "demand", entity: id, measure: "required_units", unit: d.endUnit, values: d.requiredUnits))
      out.append(RunSeries(entityType: "demand", entity: id, measure: "met_units", unit: d.endUnit, values: d.metUnits))
      out.append(RunSeries(entityType: "demand", entity: id, measure: "unmet_units", unit: d.endUnit, values: zip(d.requiredUnits, d.metUnits).map { max(0, $0 - $1) }))
    }
    for r in result.reserves {
      let id = r.reserve.rawValue
      mass("reserve", id, "level", r.level)
      mass("reserve", id, "filled", r.filled)
      mass("reserve", id, "released", r.released)
    }
    for t in result.tolling {
      let id = t.agreement.rawValue
      mass("tolling", id, "input_shipped", t.inputShipped)
      mass("tolling", id, "input_converted", t.inputConverted)
      mass("tolling", id, "output_made", t.outputMade)
      mass("tolling", id, "output_owed", t.outputOwed)
      mass("tolling", id, "fee_in_kind", t.feeInKind)
      mass("tolling", id, "returned", t.returned)
    }
    let prod = result.productionByStage()
    var stageTotal: [(Stage, [Double])] = []
    for row in prod {
      if let i = stageTotal.firstIndex(where: { $0.0 == row.stage }) { rrAdd(&stageTotal[i].1, row.mass) } else { stageTotal.append((row.stage, row.mass)) }
    }
    for row in prod {
      let id = "\(row.stage.rawValue):\(row.country)"
      mass("stage-country", id, "production", row.mass)
      let tot = stageTotal.first { $0.0 == row.stage }?.1 ?? Array(repeating: 0, count: T)
      out.append(RunSeries(entityType: "stage-country", entity: id, measure: "share", unit: "1", values: (0..<T).map { tot[$0] > 0 ? row.mass[$0] / tot[$0] : nil }))
    }
    for (stage, tot) in stageTotal {
      let rows = prod.filter { $0.stage == stage }
      let hhi: [Double?] = (0..<T).map { k in
        guard tot[k] > 0 else { return nil }
        return rows.reduce(0) { $0 + ($1.mass[k] / tot[k]) * ($1.mass[k] / tot[k]) } * 10_000
      }
      out.append(RunSeries(entityType: "stage", entity: stage.rawValue, measure: "hhi", unit: "HHI", values: hhi))
    }
    return out
  }

  /// One tidy CSV, `month,entity_type,entity,measure,unit,value`: one row per month × entity ×
  /// measure, in the order of ``series()`` and then by month; undefined values have no row.
  public func tidyCSV() -> String {
    // Assembled as UTF-8 bytes (up to 1.5× faster than String appends in the reports benchmark).
    var out: [UInt8] = Array("month,entity_type,entity,measure,unit,value\n".utf8)
    let months = result.months.map { Array($0.description.utf8) }
    let all = series()
    out.reserveCapacity(all.count * months.count * 48)
    for s in all {
      let prefix = Array(("," + csvEscape(s.entityType) + "," + csvEscape(s.entity) + "," + csvEscape(s.measure) + "," + csvEscape(s.unit) + ",").utf8)
      for (k, v) in s.values.enumerated() {
        guard let v, v.isFinite else { continue }
        out.append(contentsOf: months[k])
        out.append(contentsOf: prefix)
        out.append(contentsOf: rrExact(v).utf8)
        out.append(10)  // "\n"
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  // MARK: - Annual tables

  /// A row label plus one column per year and a total (sums of a monthly flow, t).
  func flowRow(_ labels: [String], _ kg: [Double], scale: Double = 1 / 1000) -> [String] {
    labels + years.map { rrCell(rrSum(kg, $0.indices) * scale) } + [rrCell(rrTotal(kg) * scale)]
  }

  /// A row label plus the level at the end of each year (the last simulated month of the year).
  func levelRow(_ labels: [String], _ values: [Double], scale: Double = 1 / 1000) -> [String] {
    labels + years.map { g in
      guard let k = g.indices.last, k < values.count else { return "" }
      return values[k].isFinite ? rrCell(values[k] * scale) : ""
    }
  }

  var yearHeaders: [String] { years.map(\.header) }

  /// Process inputs and outputs per year, t.
  public func productionTable() -> Table {
    var t = Table(title: "Processing (t per year; * = partial year)", columns: ["stage", "process", "site", "flow", "material"] + yearHeaders + ["total"])
    let ordered = result.processes.enumerated().sorted { ($0.element.stage, $0.offset) < ($1.element.stage, $1.offset) }.map(\.element)
    for p in ordered {
      for i in p.inputs { t.append(flowRow([p.stage.rawValue, p.name, p.site.rawValue, "in", materialName(i.material)], i.mass)) }
      for o in p.outputs { t.append(flowRow([p.stage.rawValue, p.name, p.site.rawValue, "out", materialName(o.material)], o.mass)) }
    }
    return t
  }

  /// Tolling per agreement: input shipped, output made, returned and fee in kind, t per year,
  /// with the processor's site and country.
  public func tollingTable() -> Table {
    var t = Table(title: "Tolling (t per year)", columns: ["agreement", "measure", "material", "processor"] + yearHeaders + ["total"])
    for a in result.tolling {
      let id = a.agreement.rawValue
      var processor = ""
      if let ag = scenario.agreements.first(where: { $0.id == a.agreement }) {
        processor = ag.processor.rawValue + (scenario.site(ag.processor).map { " (\($0.country))" } ?? "")
      }
      t.append(flowRow([id, "input shipped", materialName(a.input), processor], a.inputShipped))
      t.append(flowRow([id, "output made", materialName(a.output), processor], a.outputMade))
      t.append(flowRow([id, "returned", materialName(a.output), processor], a.returned))
      t.append(flowRow([id, "fee in kind", materialName(a.output), processor], a.feeInKind))
    }
    return t
  }

  /// Imports into each demand country by origin and material form, t per year: delivered (by
  /// month of arrival); shipped under policy (by month of departure, shipments that left while a
  /// trade policy covering them was in force); blocked (requested but withheld by policy). The
  /// last two rows appear only when non-zero.
  public func importsTable() -> Table {
    var t = Table(title: "Imports by origin and form (t per year)", columns: ["into", "origin", "form", "measure"] + yearHeaders + ["total"])
    for row in importRows() {
      t.append(flowRow([row.into, row.origin, row.form.rawValue, "delivered"], row.delivered))
      if rrTotal(row.underPolicy) > 0 { t.append(flowRow([row.into, row.origin, row.form.rawValue, "shipped under policy"], row.underPolicy)) }
      if rrTotal(row.blocked) > 0 { t.append(flowRow([row.into, row.origin, row.form.rawValue, "blocked"], row.blocked)) }
    }
    return t
  }

  struct ImportRow {
    var into: String
    var origin: String
    var form: MaterialForm
    var delivered: [Double]
    var underPolicy: [Double]
    var blocked: [Double]
  }

  /// Imports per (importing country, origin, form); kg per month.
  func importRows() -> [ImportRow] {
    let T = result.months.count
    var rows: [ImportRow] = []
    for home in rrHomeCountries(scenario) {
      for s in result.shipments where s.toCountry == home && s.fromCountry != home {
        let form = scenario.material(s.material)?.form ?? .intermediate
        let pols = rrCoveringPolicies(scenario, s)
        let under: [Double] = (0..<T).map { k in pols.contains { $0.isActive(at: result.months[k]) } ? s.shipped[k] : 0 }
        if let i = rows.firstIndex(where: { $0.into == home && $0.origin == s.fromCountry && $0.form == form }) {
          rrAdd(&rows[i].delivered, s.delivered)
          rrAdd(&rows[i].underPolicy, under)
          rrAdd(&rows[i].blocked, s.blocked)
        } else {
          rows.append(ImportRow(into: home, origin: s.fromCountry, form: form, delivered: s.delivered, underPolicy: under, blocked: s.blocked))
        }
      }
    }
    return rows.sorted { ($0.into, $0.origin, MaterialForm.allCases.firstIndex(of: $0.form) ?? 0) < ($1.into, $1.origin, MaterialForm.allCases.firstIndex(of: $1.form) ?? 0) }
  }

  /// Demand required, met and unmet per sector, in t and in end units, per year.
  public func demandTable() -> Table {
    var t = Table(title: "Demand per sector (t and end units per year)", columns: ["sector", "measure", "unit"] + yearHeaders + ["total", "met %"])
    for g in rrSectorDemands(result) {
      let pct = rrTotal(g.required) > 0 ? rrCell(100 * rrTotal(g.met) / rrTotal(g.required)) : ""
      let name = g.sector.rrName
      t.append(flowRow([name, "required", "t"], g.required) + [""])
      t.append(flowRow([name, "met", "t"], g.met) + [pct])
      t.append(flowRow([name, "unmet", "t"], g.unmet) + [""])
      t.append(flowRow([name, "from reserve", "t"], g.fromReserve) + [""])
      t.append(flowRow([name, "required", g.endUnit], g.requiredUnits, scale: 1) + [""])
      t.append(flowRow([name, "met", g.endUnit], g.metUnits, scale: 1) + [""])
      t.append(flowRow([name, "unmet", g.endUnit], g.unmetUnits, scale: 1) + [""])
    }
    return t
  }

  /// Stocks at the end of each year (t) and months of cover there (blank when the site requires
  /// none of the material; the row is left out when every cell is blank). Stocks that are zero
  /// at every year end are left out.
  public func stocksTable() -> Table {
    var t = Table(title: "End-of-year stocks (t) and months of cover", columns: ["site", "material", "measure"] + yearHeaders)
    for s in result.stocks where years.contains(where: { g in g.indices.last.map { abs(s.level[$0]) >= 1e-6 } ?? false }) {
      t.append(levelRow([s.site.rawValue, materialName(s.material), "stock t"], s.level))
      let cover = levelRow([s.site.rawValue, materialName(s.material), "months of cover"], s.monthsOfCover, scale: 1)
      if cover.dropFirst(3).contains(where: { !$0.isEmpty }) { t.append(cover) }
    }
    return t
  }

  /// Strategic reserves: end-of-year level, filled and released per year (t).
  public func reservesTable() -> Table {
    var t = Table(title: "Strategic reserves (t)", columns: ["reserve", "material", "measure"] + yearHeaders + ["total"])
    for r in result.reserves {
      t.append(levelRow([r.reserve.rawValue, materialName(r.material), "level (end of year)"], r.level) + [""])
      t.append(flowRow([r.reserve.rawValue, materialName(r.material), "filled"], r.filled))
      t.append(flowRow([r.reserve.rawValue, materialName(r.material), "released"], r.released))
    }
    return t
  }

  /// Per stage: the top producing country, its share and the HHI over the run and per year.
  public func dependenceTable() -> Table {
    var t = Table(title: "Dependence per stage (share of stage output; HHI 0–10 000)", columns: ["stage", "top country", "top share %", "HHI run"] + yearHeaders.map { "HHI \($0)" })
    let prod = result.productionByStage()
    for c in result.concentration() {
      let rows = prod.filter { $0.stage == c.stage }
      let perYear: [String] = years.map { g in
        let totals = rows.map { rrSum($0.mass, g.indices) }
        let all = rrTotal(totals)
        guard all > 0 else { return "" }
        return rrCell(totals.reduce(0) { $0 + ($1 / all) * ($1 / all) } * 10_000)
      }
      let top = c.shares.first
      t.append([c.stage.rawValue, top?.country ?? "", top.map { rrCell(100 * $0.share) } ?? "", rrCell(c.hhi)] + perYear)
    }
    return t
  }

  /// The element balance check of the engine.
  public func balanceTable() -> Table {
    var t = Table(title: "Element balance", columns: ["max relative residual", "max absolute residual kg", "checked site-months×elements", "worst at"])
    let b = result.balance
    let worst = b.worst.map { "\($0.site) \($0.month) \($0.element.symbol)" } ?? ""
    t.append([formatNumber(b.maxRelative, significantDigits: 2), formatNumber(b.maxAbsolute, significantDigits: 2), "\(b.checked)", worst])
    return t
  }

  /// The one-line balance statement printed under the summary.
  public func balanceLine() -> String {
    let b = result.balance
    return "max element balance residual: \(formatNumber(b.maxRelative, significantDigits: 2)) (relative), checked \(b.checked) site-months×elements"
  }

  /// Every table, named (`production`, `tolling`, `imports`, `demand`, `stocks`, `reserves`, `dependence`, `balance`).
  public func tables() -> [(name: String, table: Table)] {
    [
      ("production", productionTable()), ("tolling", tollingTable()), ("imports", importsTable()),
      ("demand", demandTable()), ("stocks", stocksTable()), ("reserves", reservesTable()),
      ("dependence", dependenceTable()), ("balance", balanceTable()),
    ]
  }

  /// The readable terminal summary: a heading, each non-empty table (four significant digits), and the balance line.
  public func summaryText() -> String {
    var compact = self
    compact.significantDigits = 4
    return compact.renderSummary()
  }

  func renderSummary() -> String {
    var out = "Scenario \(result.scenario)"
    if let v = result.variant { out += ", variant \(v)" }
    if let first = result.months.first, let last = result.months.last {
      out += ": \(result.months.count) months, \(first) to \(last)"
    }
    out += "\n\n"
    let lines = headlines()
    if !lines.isEmpty { out += "Key figures over the run\n" + lines.map { "  " + $0 + "\n" }.joined() + "\n" }
    for (name, table) in tables() where name != "balance" && !table.rows.isEmpty {
      out += table.renderText() + "\n"
    }
    return out + balanceLine() + "\n"
  }

  /// The few lines an analyst reads first, whole run: demand met per sector (% of tonnes, and
  /// end units), imports per demand country by origin with what policy blocked, tolling returns,
  /// and the stages whose HHI is 2 500 or more (highly concentrated, as the US merger guidelines
  /// classify markets).
  public func headlines() -> [String] {
    var out: [String] = []
    let sectors = rrSectorDemands(result).filter { rrTotal($0.required) > 0 }
    if !sectors.isEmpty {
      out.append("demand met: " + sectors.map { g in
        "\(g.sector.rrName) \(rrCell(100 * rrTotal(g.met) / rrTotal(g.required))) % (\(rrCell(rrTotal(g.metUnits))) of \(rrCell(rrTotal(g.requiredUnits))) \(g.endUnit))"
      }.joined(separator: "; "))
    }
    let imports = importRows()
    for home in rrHomeCountries(scenario) {
      let here = imports.filter { $0.into == home }
      guard !here.isEmpty else { continue }
      var origins: [(String, Double, Double)] = []
      for r in here {
        if let i = origins.firstIndex(where: { $0.0 == r.origin }) {
          origins[i].1 += rrTotal(r.delivered)
          origins[i].2 += rrTotal(r.blocked)
        } else {
          origins.append((r.origin, rrTotal(r.delivered), rrTotal(r.blocked)))
        }
      }
      let blocked = origins.reduce(0) { $0 + $1.2 }
      out.append("imports into \(home): " + origins.map { "\($0.0) \(rrCell(rrTonnes($0.1))) t" }.joined(separator: ", ")
        + (blocked > 0 ? "; blocked by trade policy \(rrCell(rrTonnes(blocked))) t" : ""))
    }
    for t in result.tolling where rrTotal(t.inputShipped) > 0 {
      out.append("tolling \(t.agreement): \(rrCell(rrTonnes(rrTotal(t.inputShipped)))) t \(t.input) shipped, \(rrCell(rrTonnes(rrTotal(t.returned)))) t \(t.output) returned")
    }
    let concentrated = result.concentration().filter { $0.hhi >= 2_500 }
    if !concentrated.isEmpty {
      out.append("highly concentrated stages (HHI ≥ 2500): " + concentrated.map { c in
        "\(c.stage.rawValue) \(rrCell(c.hhi))" + (c.shares.first.map { " (\($0.country) \(rrCell(100 * $0.share)) %)" } ?? "")
      }.joined(separator: ", "))
    }
    return out
  }

  // MARK: - JSON

  /// A JSON document with fixed key order: `scenario`, `variant`, `months`, `elements`,
  /// `balance`, `units`, `tables` (each as an array of row objects) and `series`
  /// (each with `entity_type`, `entity`, `measure`, `unit`, `values`; `null` = undefined).
  public func json() -> String {
    var out = "{\n"
    out += "  \"scenario\": \(jsonString(result.scenario)),\n"
    out += "  \"variant\": \(result.variant.map(jsonString) ?? "null"),\n"
    out += "  \"months\": [" + result.months.map { jsonString($0.description) }.joined(separator: ", ") + "],\n"
    out += "  \"elements\": [" + result.elements.map { jsonString($0.symbol) }.joined(separator: ", ") + "],\n"
    let b = result.balance
    out += "  \"balance\": {\"max_relative\": \(rrJSONNumber(b.maxRelative, clean: false)), \"max_absolute_kg\": \(rrJSONNumber(b.maxAbsolute, clean: false)), \"checked\": \(b.checked)"
    if let w = b.worst {
      out += ", \"worst\": {\"site\": \(jsonString(w.site.rawValue)), \"month\": \(jsonString(w.month.description)), \"element\": \(jsonString(w.element.symbol))}"
    }
    out += "},\n"
    out += "  \"units\": {\"mass\": \"t\", \"flows\": \"t per month\", \"levels\": \"t at month end\", \"share\": \"fraction\", \"hhi\": \"0-10000\"},\n"
    out += "  \"tables\": {\n"
    let tabs = tables()
    for (i, (name, table)) in tabs.enumerated() {
      let rows = table.renderJSON().split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
      out += "    \(jsonString(name)):\n" + rows + (i + 1 < tabs.count ? ",\n" : "\n")
    }
    out += "  },\n"
    out += "  \"series\": [\n"
    let all = series()
    for (i, s) in all.enumerated() {
      out += "    {\"entity_type\": \(jsonString(s.entityType)), \"entity\": \(jsonString(s.entity)), \"measure\": \(jsonString(s.measure)), \"unit\": \(jsonString(s.unit)), \"values\": ["
      out += s.values.map { rrJSONNumber($0) }.joined(separator: ", ")
      out += "]}" + (i + 1 < all.count ? ",\n" : "\n")
    }
    out += "  ]\n}\n"
    return out
  }

  func materialName(_ id: MaterialID) -> String { id.rawValue }
}
