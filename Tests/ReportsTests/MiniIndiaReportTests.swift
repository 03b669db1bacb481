import Chemistry
import Foundation
import Quantities
import Reports
import Simulation
import SupplyChain
import Testing
import TestSupport

/// Reports on the India-shaped fixture (monazite → chloride → NdPr oxide → magnets, tolling,
/// licences, a reserve), checked against hand calculations from the fixture's numbers.
@Suite struct MiniIndiaReportTests {
  static let scenario = Fixtures.miniIndia()

  @Test func tollingTableByHand() throws {
    let r = try Fixtures.run(Self.scenario)
    let t = RunReport(scenario: Self.scenario, result: r).tollingTable()
    // 60 t/yr of NdPr oxide ships from 2026-04: 9 months × 5 t = 45 t in 2026, 60 t in 2027.
    #expect(approx(try #require(value(t, ["irel-jp-toll", "input shipped"], column: "2026")), 45, rel: 1e-5))
    #expect(approx(try #require(value(t, ["irel-jp-toll", "input shipped"], column: "2027")), 60, rel: 1e-5))
    // 0.37 kg oxide per kg magnet: 60 t of oxide makes 60 / 0.37 = 162.16 t of magnets in
    // 2027, of which 15 % (24.32 t) is the partner's fee in kind.
    #expect(approx(try #require(value(t, ["irel-jp-toll", "output made"], column: "2027")), 60 / 0.37, rel: 1e-5))
    #expect(approx(try #require(value(t, ["irel-jp-toll", "fee in kind"], column: "2027")), 0.15 * 60 / 0.37, rel: 1e-5))
  }

  @Test func processingTableByHand() throws {
    let r = try Fixtures.run(Self.scenario)
    let t = RunReport(scenario: Self.scenario, result: r).productionTable()
    // The mine runs at 10 000 t/yr nameplate all year.
    #expect(approx(try #require(value(t, ["mining", "MK mineral separation", "irel-mk", "out", "monazite"], column: "2026")), 10_000, rel: 1e-5))
    // Separation ramps linearly from 60 % (2026-01) to 100 % (2027-12) of 600 t/yr oxide; in
    // 2027 the factors are 0.6 + 0.4 × k/23 for k = 12…23, mean 0.6 + 0.4 × 17.5/23 = 0.904348,
    // so 542.6 t of oxide — if chloride does not run short (cracking makes 500 t/month, far
    // more than the 9 × 45 t = 405 t/month separation needs at most).
    let expected2027 = 600 * (0.6 + 0.4 * 17.5 / 23)
    #expect(approx(try #require(value(t, ["separation", "OSCOM separation", "irel-oscom", "out", "ndpr-oxide"], column: "2027")), expected2027, rel: 1e-5))
    // Its La-Ce carbonate co-product is 4.5 kg per kg of oxide.
    #expect(approx(try #require(value(t, ["separation", "OSCOM separation", "irel-oscom", "out", "lace-carbonate"], column: "2027")), 4.5 * expected2027, rel: 1e-5))
  }

  @Test func defenceReserveByHand() throws {
    let r = try Fixtures.run(Self.scenario)
    let t = RunReport(scenario: Self.scenario, result: r).demandTable()
    // Defence: 2 000 units/yr × 25 kg = 50 t/yr, priority 1, fully met each year.
    #expect(approx(try #require(value(t, ["defence", "met", "t"], column: "2026")), 50, rel: 1e-5))
    #expect(approx(try #require(value(t, ["defence", "met", "unit"], column: "2028")), 2_000, rel: 1e-5))
    #expect(approx(try #require(value(t, ["defence", "met", "t"], column: "met %")), 100, rel: 1e-9))
    // EV: 200 000 vehicles/yr at the start, growing 30 %/yr compounded monthly: 2026 needs
    // Σ_{k=0}^{11} 200 000/12 × 1.3^(k/12) vehicles.
    let evVehicles = (0..<12).reduce(0.0) { $0 + 200_000.0 / 12 * Foundation.pow(1.3, Double($1) / 12) }
    #expect(approx(try #require(value(t, ["EV traction motors", "required", "vehicle"], column: "2026")), evVehicles, rel: 1e-5))
    #expect(approx(try #require(value(t, ["EV traction motors", "required", "t"], column: "2026")), evVehicles * 1.5 / 1000, rel: 1e-5))
  }

  @Test func tollingNamesThePartner() throws {
    let r = try Fixtures.run(Self.scenario)
    let t = RunReport(scenario: Self.scenario, result: r).tollingTable()
    #expect(row(t, ["irel-jp-toll", "returned", "ndfeb", "jp-partner (JP)"]) != nil)
  }

  /// The dependence chart's bar segments are the stages' country shares: each segment's width
  /// over the 520 px bar (760 px − 120 px left − 120 px right) equals the share computed here
  /// from the process outputs, within the 0.01 px print resolution.
  @Test func dependenceBarsAreTheShares() throws {
    let r = try Fixtures.run(Self.scenario)
    let svg = RunReport(scenario: Self.scenario, result: r).dependenceChart().render()
    var byCountry: [String: Double] = [:]
    for p in r.processes where p.stage == .magnet { byCountry[p.country, default: 0] += p.outputs.reduce(0.0) { $0 + sumAll($1.mass) } }
    let all = byCountry.values.reduce(0, +)
    #expect(byCountry.count == 4)  // CN, IN, JP, KR
    for (country, mass) in byCountry {
      // <rect x=".." y=".." width="W" …><title>magnet (HHI …) CN: 70.4 %</title></rect>
      let line = try #require(svg.split(separator: "\n").first { $0.hasPrefix("<rect") && $0.contains("<title>magnet (HHI") && $0.contains(" \(country): ") })
      let w = try #require(line.firstRange(of: "width=\"").map { line[$0.upperBound...].prefix { $0 != "\"" } }.flatMap { Double($0) })
      #expect(abs(w - 520 * mass / all) < 0.006, "\(country): \(w) px")
    }
  }

  /// On an element basis every process conserves: what enters = what leaves + losses.
  @Test(arguments: [Element.Nd, .Pr])
  func elementSankeyConservesAtProcesses(element: Element) throws {
    let r = try Fixtures.run(Self.scenario)
    let d = RunReport(scenario: Self.scenario, result: r).sankey(year: 2027, basis: .elements([element]))
    let procs = d.nodes.filter { $0.id.hasPrefix("proc:") }
    var converters = 0
    for p in procs {
      let inflow = d.flows.filter { $0.target == p.id }.reduce(0) { $0 + $1.value }
      let outflow = d.flows.filter { $0.source == p.id }.reduce(0) { $0 + $1.value }
      guard inflow > 0 else { continue }  // sources create material
      converters += 1
      #expect(approx(inflow, outflow, rel: 1e-9), "\(p.id): in \(inflow) out \(outflow)")
    }
    #expect(converters == 5)  // cracking, separation and three magnet plants
    // Nd extraction in 2027: 10 000 t of monazite at 9.5 % Nd = 950 t.
    let mine = try #require(d.flows.first { $0.source == "proc:mk-mining" })
    if element == .Nd { #expect(approx(mine.value, 950, rel: 1e-9)) }
  }

  @Test(arguments: [Element.La, .Ce, .Pr, .Nd, .Th])
  func traceClosesForEveryElement(element: Element) throws {
    let r = try Fixtures.run(Self.scenario)
    let t = try TraceReport(scenario: Self.scenario, result: r, element: element)
    #expect(t.relativeClosureResidual < 1e-9)
    if element == .Th {
      // Thorium leaves the chain at cracking (the chloride carries none): 7 % of the monazite
      // cracked is lost there, and nothing is consumed.
      let cracked = r.processes.first { $0.process == "oscom-cracking" }.map { $0.inputs[0].mass.reduce(0, +) } ?? -1
      let crackingLoss = try #require(t.conversions.first { $0.process == "oscom-cracking" }).loss
      #expect(approx(crackingLoss, 0.07 * cracked, rel: 1e-9))
      #expect(t.totalConsumption == 0)
    }
  }

  @Test func headlinesAgainstTheArrays() throws {
    let r = try Fixtures.run(Self.scenario)
    let lines = RunReport(scenario: Self.scenario, result: r, significantDigits: 4).headlines()
    // Defence is priority 1 and fully served: 6 000 of 6 000 units over three years.
    let demand = try #require(lines.first { $0.hasPrefix("demand met: ") })
    #expect(demand.contains("defence 100 % (6000 of 6000 unit)"))
    // EV share met, from the arrays, to 4 significant digits.
    let ev = try #require(r.demands.first { $0.demand == "ev" })
    let pct = 100 * sumAll(ev.met) / sumAll(ev.required)
    #expect(demand.contains("EV traction motors \(formatNumber(pct, significantDigits: 4)) %"))
    // Imports into India from China, delivered, t.
    let cn = r.shipments.filter { $0.fromCountry == "CN" && $0.toCountry == "IN" }.reduce(0.0) { $0 + sumAll($1.delivered) } / 1000
    let imports = try #require(lines.first { $0.hasPrefix("imports into IN: ") })
    #expect(imports.contains("CN \(formatNumber(cn, significantDigits: 4)) t"))
    // Mining, cracking and separation are all Indian (HHI 10 000).
    #expect(lines.contains { $0.contains("mining 10000 (IN 100 %)") })
  }

  @Test func traceTradeAndConsumptionByHand() throws {
    let r = try Fixtures.run(Self.scenario)
    let t = try TraceReport(scenario: Self.scenario, result: r, element: .Nd)
    // Magnets are 24 % Nd by mass: Nd from China to India is 0.24 × the magnets delivered.
    let magnetsCN = r.shipments.filter { $0.fromCountry == "CN" && $0.toCountry == "IN" }.reduce(0.0) { $0 + sumAll($1.delivered) }
    let cnIN = try #require(t.trade.first { $0.from == "CN" && $0.to == "IN" })
    #expect(approx(cnIN.delivered, 0.24 * magnetsCN, rel: 1e-12))
    // Defence consumed 150 t of magnets (50 t/yr, always met): 36 t of Nd.
    #expect(approx(try #require(t.consumption.first { $0.sector == .defence }).mass, 0.24 * 150_000, rel: 1e-9))
    // Mining extracts 30 000 t of monazite at 9.5 % Nd = 2 850 t; China's magnet output is a
    // source too: 9 000 t at 24 % = 2 160 t.
    #expect(approx(try #require(t.extraction.first { $0.site == "irel-mk" }).mass, 2_850_000, rel: 1e-9))
    #expect(approx(try #require(t.extraction.first { $0.site == "cn-magnets" }).mass, 2_160_000, rel: 1e-9))
  }

  @Test func summaryReadsLikeTheBrief() throws {
    let r = try Fixtures.run(Self.scenario, variant: "base")
    let text = RunReport(scenario: Self.scenario, result: r).summaryText()
    for heading in ["Key figures over the run", "Processing (t per year", "Tolling (t per year)", "Imports by origin and form", "Demand per sector", "End-of-year stocks", "Strategic reserves", "Dependence per stage", "max element balance residual"] {
      #expect(text.contains(heading), "missing \(heading)")
    }
    // 7 sites × 36 months × 5 tracked elements (La, Ce, Pr, Nd, Th) balances.
    #expect(text.contains("checked \(7 * 36 * 5) site-months×elements"))
  }
}

@Suite struct EdgeCaseTests {
  /// One site holding 5 t of Nd metal, nothing else, for 12 months.
  static let idle = Scenario(
    name: "idle", start: Fixtures.start, months: 12, materials: [Fixtures.ndMetal],
    sites: [Site(id: "a", name: "A", country: "IN", owner: "x", initialStocks: [("nd", 5_000)])])

  @Test func aRunWithoutFlows() throws {
    let r = try Fixtures.run(Self.idle)
    let report = RunReport(scenario: Self.idle, result: r)
    // Only the stock series has values: 12 monthly levels of 5 t (no cover: nothing required).
    let rows = parseCSV(report.tidyCSV()).dropFirst()
    #expect(rows.count == 12)
    #expect(rows.allSatisfy { $0[1] == "stock" && $0[3] == "level" && $0[5] == "5" })
    #expect(report.sankey().render().contains("No flows in this period."))
    let trace = try TraceReport(scenario: Self.idle, result: r, element: .Nd)
    #expect(trace.stockChange == 0 && trace.closureResidual == 0)
    #expect(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) is [String: Any])
  }

  @Test func partialYearsAreMarked() throws {
    var s = Fixtures.chain()
    s.start = YearMonth(ordinal: 2026 * 12 + 6)  // 2026-07
    let r = try Fixtures.run(s)
    let t = RunReport(scenario: s, result: r).demandTable()
    // 12 months from July: 6 in 2026 and 6 in 2027, both partial.
    #expect(t.columns.contains("2026*") && t.columns.contains("2027*"))
    // Defence required 4 t/month × 6 = 24 t in each.
    #expect(approx(try #require(value(t, ["defence", "required", "t"], column: "2027*")), 24, rel: 1e-5))
    // With no full year, the Sankey shows the first (partial) year and says so.
    #expect(RunReport(scenario: s, result: r).sankey().title.contains("2026 (6 months)"))
  }

  @Test func csvEscapesEntityNamesWithCommas() throws {
    var s = Fixtures.chain()
    s.demands[0].id = "p1,\"special\""
    let r = try Fixtures.run(s)
    let rows = parseCSV(RunReport(scenario: s, result: r).tidyCSV()).dropFirst()
    let special = rows.filter { $0[2] == "p1,\"special\"" }
    #expect(special.count == 7 * 12)  // 7 demand measures × 12 months
  }
}
