import Chemistry
import Foundation
import Quantities
import Reports
import Simulation
import SupplyChain
import Testing
import TestSupport

/// Run report numbers checked against hand calculations on the two-site chain and against sums
/// of the result arrays on generated networks. Tables print six significant digits, so table
/// checks use rel 1e-5; the CSV prints ten, so CSV checks use rel 1e-8.
@Suite struct RunReportHandCalculations {
  @Test func demandTableMatchesHandCalculation() throws {
    let s = Fixtures.chain()
    let report = RunReport(scenario: s, result: try Fixtures.run(s))
    let t = report.demandTable()
    // 2026 is one full year. Defence: 4 t/month × 12 = 48 t required; nothing arrives in
    // months 0–2, then 4 t/month for 9 months = 36 t met, 12 t unmet (75 % met).
    #expect(t.columns.contains("2026"))
    #expect(approx(try #require(value(t, ["defence", "required", "t"], column: "2026")), 48, rel: 1e-5))
    #expect(approx(try #require(value(t, ["defence", "met", "t"], column: "2026")), 36, rel: 1e-5))
    #expect(approx(try #require(value(t, ["defence", "unmet", "t"], column: "total")), 12, rel: 1e-5))
    #expect(approx(try #require(value(t, ["defence", "met", "t"], column: "met %")), 75, rel: 1e-5))
    // EV: 8 t/month × 12 = 96 t required; 6 t/month for 9 months = 54 t met; 42 t unmet.
    // At 1 kg/vehicle that is 96 000 vehicles required and 42 000 not built.
    #expect(approx(try #require(value(t, ["EV traction motors", "met", "t"], column: "total")), 54, rel: 1e-5))
    #expect(approx(try #require(value(t, ["EV traction motors", "required", "vehicle"], column: "total")), 96_000, rel: 1e-5))
    #expect(approx(try #require(value(t, ["EV traction motors", "unmet", "vehicle"], column: "2026")), 42_000, rel: 1e-5))
  }

  @Test func productionAndDependenceOfOneMine() throws {
    let s = Fixtures.chain()
    let report = RunReport(scenario: s, result: try Fixtures.run(s))
    // The mine makes 10 t every month: 120 t in 2026; one country holds 100 % (HHI 10 000).
    #expect(approx(try #require(value(report.productionTable(), ["mining", "Mine", "a", "out", "nd"], column: "2026")), 120, rel: 1e-5))
    let dep = report.dependenceTable()
    #expect(row(dep, ["mining", "IN"]) != nil)
    #expect(approx(try #require(value(dep, ["mining"], column: "top share %")), 100, rel: 1e-9))
    #expect(approx(try #require(value(dep, ["mining"], column: "HHI 2026")), 10_000, rel: 1e-9))
  }

  @Test func importsUnderALicenceRegime() throws {
    // A in China under a licence approving 25 % after a 1-month delay, all year. From month 1
    // A has 10 t of surplus each month; in month 1 a quarter (2.5 t) ships and 7.5 t is blocked.
    let lic = TradePolicy(id: "lic", name: "Licence", kind: .licence(approval: 0.25, delay: 1), origin: "CN", elements: [.Nd])
    let s = Fixtures.chain(policies: [lic], countryA: "CN")
    let r = try Fixtures.run(s)
    let t = RunReport(scenario: s, result: r).importsTable()
    let ship = r.shipments[0]
    // The licence is in force all run, so everything shipped left under it.
    #expect(approx(try #require(value(t, ["IN", "CN", "metal", "shipped under policy"], column: "total")), sumAll(ship.shipped) / 1000, rel: 1e-5))
    #expect(approx(try #require(value(t, ["IN", "CN", "metal", "blocked"], column: "total")), sumAll(ship.blocked) / 1000, rel: 1e-5))
    #expect(approx(try #require(value(t, ["IN", "CN", "metal", "delivered"], column: "total")), sumAll(ship.delivered) / 1000, rel: 1e-5))
    #expect(sumAll(ship.blocked) >= 7_500 * (1 - 1e-12))
  }

  @Test func summaryHasTheBalanceLineAndSectors() throws {
    let s = Fixtures.chain()
    let r = try Fixtures.run(s)
    let text = RunReport(scenario: s, result: r).summaryText()
    // 2 sites × 12 months × 1 element = 24 balances checked.
    #expect(text.contains("checked 24 site-months×elements"))
    #expect(text.contains("max element balance residual: "))
    #expect(text.contains("EV traction motors"))
    #expect(text.hasPrefix("Scenario chain: 12 months, 2026-01 to 2026-12"))
  }
}

@Suite struct RunReportAgainstResultArrays {
  static let seeds: [UInt64] = [1, 2, 3, 7, 42]

  @Test(arguments: seeds) func tableTotalsEqualSeriesSums(seed: UInt64) throws {
    let s = Fixtures.generator.make(seed: seed)
    let r = try Fixtures.run(s)
    let report = RunReport(scenario: s, result: r)
    // Demand: per sector, the "total" column equals Σ met of the sector's demands (computed here).
    let dt = report.demandTable()
    for sector in Sector.allCases {
      let ds = r.demands.filter { $0.sector == sector }
      guard !ds.isEmpty else { continue }
      let label = try #require(sectorLabel[sector])
      let met = ds.reduce(0.0) { $0 + sumAll($1.met) } / 1000
      let req = ds.reduce(0.0) { $0 + sumAll($1.required) } / 1000
      let got = try #require(value(dt, [label, "met", "t"], column: "total"))
      #expect(approx(got, met, rel: 1e-5, abs: 1e-9), "seed \(seed) \(sector)")
      #expect(approx(try #require(value(dt, [label, "required", "t"], column: "total")), req, rel: 1e-5))
      // Year columns add up to the total.
      let years = dt.columns.filter { $0.first?.isNumber == true }
      let byYear = try years.map { try #require(value(dt, [label, "met", "t"], column: $0)) }
      #expect(approx(sumAll(byYear), met, rel: 1e-5, abs: 1e-6))
    }
    // Tolling returned per agreement.
    for a in r.tolling {
      #expect(approx(try #require(value(report.tollingTable(), [a.agreement.rawValue, "returned"], column: "total")), sumAll(a.returned) / 1000, rel: 1e-5, abs: 1e-9))
    }
    // Dependence: the run HHI equals Σ share² × 10 000 from production summed here.
    let dep = report.dependenceTable()
    for stage in Stage.allCases {
      var byCountry: [String: Double] = [:]
      for p in r.processes where p.stage == stage { byCountry[p.country, default: 0] += p.outputs.reduce(0.0) { $0 + sumAll($1.mass) } }
      let tot = byCountry.values.reduce(0, +)
      guard tot > 0 else { continue }
      let hhi = byCountry.values.reduce(0.0) { $0 + ($1 / tot) * ($1 / tot) } * 10_000
      #expect(approx(try #require(value(dep, [stage.rawValue], column: "HHI run")), hhi, rel: 1e-5))
    }
    // Stocks: the end-of-year cell of the last year equals the last level.
    let st = report.stocksTable()
    if let last = st.columns.last, let s0 = r.stocks.first(where: { ($0.level.last ?? 0) > 1 }) {
      let v = try #require(value(st, [s0.site.rawValue, s0.material.rawValue, "stock t"], column: last))
      #expect(approx(v, (s0.level.last ?? 0) / 1000, rel: 1e-5, abs: 1e-9))
    }
  }

  @Test(arguments: seeds) func csvParsesBackWithTheExpectedRowsAndSums(seed: UInt64) throws {
    let s = Fixtures.generator.make(seed: seed)
    let r = try Fixtures.run(s)
    let rows = parseCSV(RunReport(scenario: s, result: r).tidyCSV())
    #expect(rows.first == ["month", "entity_type", "entity", "measure", "unit", "value"])
    let body = rows.dropFirst()
    #expect(body.allSatisfy { $0.count == 6 })
    // Expected rows, counted from the result arrays: T per defined value of each series.
    let T = r.months.count, E = r.elements.count
    var expected = 0
    for p in r.processes { expected += T * (2 + p.inputs.count + p.outputs.count + E) }
    expected += 3 * T * r.shipments.count
    for st in r.stocks { expected += T + st.monthsOfCover.filter(\.isFinite).count }
    expected += 7 * T * r.demands.count + 3 * T * r.reserves.count + 6 * T * r.tolling.count
    let prod = r.productionByStage()
    var stageTotals: [Stage: [Double]] = [:]
    for p in prod {
      var acc = stageTotals[p.stage] ?? Array(repeating: 0, count: T)
      for k in 0..<T { acc[k] += p.mass[k] }
      stageTotals[p.stage] = acc
    }
    for p in prod { expected += T + (stageTotals[p.stage] ?? []).filter { $0 > 0 }.count }
    for (_, tot) in stageTotals { expected += tot.filter { $0 > 0 }.count }
    #expect(body.count == expected, "seed \(seed)")
    // Every value parses; sums per measure equal the result arrays (t).
    var met = 0.0, shipped = 0.0, losses = 0.0
    for row in body {
      let v = try #require(Double(row[5]), "value \(row[5])")
      if row[1] == "demand" && row[3] == "met" { met += v }
      if row[1] == "shipment" && row[3] == "shipped" { shipped += v }
      if row[1] == "process" && row[3].hasPrefix("loss:") { losses += v }
    }
    #expect(approx(met, r.demands.reduce(0.0) { $0 + sumAll($1.met) } / 1000, rel: 1e-8, abs: 1e-9))
    #expect(approx(shipped, r.shipments.reduce(0.0) { $0 + sumAll($1.shipped) } / 1000, rel: 1e-8, abs: 1e-9))
    #expect(approx(losses, r.processes.reduce(0.0) { $0 + $1.losses.reduce(0.0) { $0 + sumAll($1) } } / 1000, rel: 1e-8, abs: 1e-9))
    // Months are valid and in the run.
    let months = Set(r.months.map(\.description))
    #expect(body.allSatisfy { months.contains($0[0]) })
  }

  @Test(arguments: seeds) func csvUnitsAreConsistentWithMeasures(seed: UInt64) throws {
    let s = Fixtures.generator.make(seed: seed)
    let r = try Fixtures.run(s)
    let rows = parseCSV(RunReport(scenario: s, result: r).tidyCSV()).dropFirst()
    let endUnit = Dictionary(uniqueKeysWithValues: s.demands.map { ($0.id.rawValue, $0.endUnit) })
    let massDim = try Quantity.parse("1 t").dimension
    let timeDim = try Quantity.parse("1 month").dimension
    for row in rows {
      let (type, entity, measure, unit) = (row[1], row[2], row[3], row[4])
      if measure.hasSuffix("_units") {
        #expect(type == "demand" && unit == endUnit[entity], "\(row)")
      } else if measure == "months_of_cover" {
        #expect(try Quantity.parse("1 \(unit)").dimension == timeDim)
      } else if measure == "share" {
        #expect(unit == "1")
        let v = try #require(Double(row[5]))
        #expect(v >= 0 && v <= 1 + 1e-12)
      } else if measure == "hhi" {
        #expect(unit == "HHI")
        let v = try #require(Double(row[5]))
        #expect(v > 0 && v <= 10_000 * (1 + 1e-12))
      } else {
        #expect(try Quantity.parse("1 \(unit)").dimension == massDim, "\(row)")
      }
    }
  }

  @Test func jsonParsesWithFoundation() throws {
    let s = Fixtures.generator.make(seed: 3)
    let r = try Fixtures.run(s, variant: "base")
    let report = RunReport(scenario: s, result: r)
    let obj = try JSONSerialization.jsonObject(with: Data(report.json().utf8))
    let dict = try #require(obj as? [String: Any])
    #expect(dict["scenario"] as? String == s.name)
    #expect(dict["variant"] as? String == "base")
    #expect((dict["months"] as? [String])?.count == r.months.count)
    let balance = try #require(dict["balance"] as? [String: Any])
    #expect((balance["checked"] as? NSNumber)?.intValue == r.balance.checked)
    // The residual is printed in full (not zeroed like series noise), to 10 significant digits.
    #expect(approx(try #require(balance["max_relative"] as? NSNumber).doubleValue, r.balance.maxRelative, rel: 1e-9))
    let series = try #require(dict["series"] as? [[String: Any]])
    #expect(series.count == report.series().count)
    // The first demand's "met" series equals the result, t.
    let d0 = try #require(r.demands.first)
    let met = try #require(series.first { $0["entity"] as? String == d0.demand.rawValue && $0["measure"] as? String == "met" })
    let values = try #require(met["values"] as? [NSNumber])
    #expect(values.count == r.months.count)
    for (k, v) in values.enumerated() { #expect(approx(v.doubleValue, d0.met[k] / 1000, rel: 1e-9, abs: 1e-12)) }
    let tables = try #require(dict["tables"] as? [String: Any])
    #expect(Set(tables.keys) == Set(report.tables().map(\.name)))
  }

  @Test func sameInputGivesIdenticalOutput() throws {
    let s = Fixtures.generator.make(seed: 7)
    let a = RunReport(scenario: s, result: try Fixtures.run(s))
    let b = RunReport(scenario: Fixtures.generator.make(seed: 7), result: try Fixtures.run(Fixtures.generator.make(seed: 7)))
    #expect(a.tidyCSV() == b.tidyCSV())
    #expect(a.json() == b.json())
    #expect(a.summaryText() == b.summaryText())
    let sa = a.svgs(), sb = b.svgs()
    #expect(sa.map(\.fileName) == ["sankey.svg", "demand.svg", "stocks.svg", "dependence.svg", "sankey-elements.svg"])
    #expect(sa.map(\.svg) == sb.map(\.svg))
  }
}
