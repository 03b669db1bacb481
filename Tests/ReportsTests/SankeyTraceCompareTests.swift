import Chemistry
import Foundation
import Quantities
import Reports
import Simulation
import SupplyChain
import Testing
import TestSupport

/// Reads the numbers of an SVG path `d` attribute in order.
func pathNumbers(_ d: String) -> [Double] {
  var out: [Double] = []
  var cur = ""
  for c in d {
    if c.isNumber || c == "." || c == "-" { cur.append(c) } else {
      if let v = Double(cur) { out.append(v) }
      cur = ""
    }
  }
  if let v = Double(cur) { out.append(v) }
  return out
}

/// The `d` attribute of the path whose tooltip starts with `title`.
func bandPath(_ svg: String, title: String) -> String? {
  for line in svg.split(separator: "\n") where line.hasPrefix("<path d=\"") && line.contains("<title>\(title)") {
    let rest = line.dropFirst("<path d=\"".count)
    if let end = rest.firstIndex(of: "\"") { return String(rest[..<end]) }
  }
  return nil
}

@Suite struct SankeyTests {
  /// Band thickness from the path: the point after `L` is (x1, y1 + w) and the one before is (x1, y1).
  static func thickness(_ d: String) -> Double {
    let v = pathNumbers(d)  // M x0 y0 C xm y0 xm y1 x1 y1 L x1 y1+w …
    return v[9] - v[7]
  }

  @Test func bandWidthsAreProportionalToValues() throws {
    var d = SankeyDiagram(title: "test", unit: "t/yr")
    d.addNode(.init(id: "a", label: "A"))
    d.addNode(.init(id: "b", label: "B"))
    d.addNode(.init(id: "c", label: "C"))
    d.addFlow("a", "b", 300, label: "ab")
    d.addFlow("a", "c", 100, label: "ac")
    let svg = d.render()
    let wab = Self.thickness(try #require(bandPath(svg, title: "ab")))
    let wac = Self.thickness(try #require(bandPath(svg, title: "ac")))
    // 300 : 100 = 3; coordinates are printed to 0.01 px, so allow 0.02 px over the smaller band.
    #expect(abs(wab / wac - 3) < 0.02 / wac * 3 + 1e-9)
    // The drawing is 570 px high (640 − 50 top − 20 bottom). Column B+C holds 400 t/yr plus one
    // 14 px gap, so it sets the scale: (570 − 14) / 400 = 1.39 px per t/yr, and 300 t/yr ↦ 417 px.
    #expect(abs(wab - 417) < 0.02)
    // Both bands leave A's right edge: ab first (B is above C), ac directly below it.
    let pab = pathNumbers(try #require(bandPath(svg, title: "ab"))), pac = pathNumbers(try #require(bandPath(svg, title: "ac")))
    #expect(pab[0] == pac[0])
    #expect(abs(pac[1] - (pab[1] + wab)) < 0.02)
  }

  @Test func runSankeyShowsTheYearsFlows() throws {
    let s = Fixtures.chain()
    let r = try Fixtures.run(s)
    let sankey = RunReport(scenario: s, result: r).sankey()
    // 2026: the mine makes 120 t; A ships 10 t in months 1…11 = 110 t; B serves defence
    // 36 t and EV 54 t.
    func flow(_ a: String, _ b: String) -> Double? { sankey.flows.first { $0.source == a && $0.target == b }?.value }
    #expect(approx(try #require(flow("proc:mine", "pool:a:nd")), 120, rel: 1e-12))
    #expect(approx(try #require(flow("pool:a:nd", "pool:b:nd")), 110, rel: 1e-12))
    #expect(approx(try #require(flow("pool:b:nd", "use:defence")), 36, rel: 1e-12))
    #expect(approx(try #require(flow("pool:b:nd", "use:ev-traction")), 54, rel: 1e-12))
    // Widths in the drawing keep these ratios: 110 / 36.
    let g = sankey.bandGeometries()
    let ship = try #require(g.first { $0.flow.target == "pool:b:nd" }).geometry.width
    let def = try #require(g.first { $0.flow.target == "use:defence" }).geometry.width
    #expect(approx(ship / def, 110.0 / 36.0, rel: 1e-9))
    #expect(sankey.render().contains("Mine 120 t/yr"))
  }
}

@Suite struct TraceTests {
  @Test func chainTraceByHand() throws {
    let s = Fixtures.chain()
    let t = try TraceReport(scenario: s, result: try Fixtures.run(s), element: .Nd)
    // Extraction 12 × 10 t = 120 t. Consumed: 9 months × 10 t = 90 t (defence 36, EV 54).
    // Shipped in months 10 and 11 arrive after the horizon: 20 t in transit. A keeps month 11's
    // 10 t (produced after the shipping round); B ends empty. 90 + 20 + 10 = 120.
    #expect(approx(t.totalExtraction, 120_000, rel: 1e-12))
    #expect(approx(t.totalConsumption, 90_000, rel: 1e-12))
    #expect(approx(t.consumption.first { $0.sector == .defence }?.mass ?? -1, 36_000, rel: 1e-12))
    #expect(approx(t.inTransit, 20_000, rel: 1e-12))
    #expect(approx(t.stockChange, 10_000, rel: 1e-12))
    #expect(abs(t.closureResidual) < 1e-9)
    let closure = t.closureTable()
    #expect(approx(try #require(value(closure, ["sources: extraction"], column: "t")), 120, rel: 1e-9))
    #expect(approx(try #require(value(closure, ["in transit at end"], column: "t")), 20, rel: 1e-9))
  }

  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 42, 99] as [UInt64])
  func closesOnGeneratedScenarios(seed: UInt64) throws {
    let s = Fixtures.generator.make(seed: seed)
    let r = try Fixtures.run(s)
    for e in r.elements {
      let t = try TraceReport(scenario: s, result: r, element: e)
      #expect(t.relativeClosureResidual < 1e-9, "seed \(seed) element \(e.symbol): \(t.closureResidual) kg")
      // Consumption computed independently: Σ met × the material's mass fraction.
      let cons = r.demands.reduce(0.0) { acc, d in acc + sumAll(d.met) * (s.material(d.material)?.composition.fraction(of: e) ?? 0) }
      #expect(approx(t.totalConsumption, cons, rel: 1e-12, abs: 1e-9))
    }
  }

  @Test func untrackedElementIsRejected() throws {
    let s = Fixtures.chain()
    let r = try Fixtures.run(s)
    #expect(throws: TraceError("element must be one the run tracks (Nd); got 'Dy'.")) {
      try TraceReport(scenario: s, result: r, element: .Dy)
    }
  }
}

@Suite struct CompareTests {
  @Test func kpisAgainstHandCalculationAndArrays() throws {
    let a = Fixtures.chain()
    let ban = TradePolicy(id: "ban", name: "Ban", kind: .ban, origin: "CN", elements: [.Nd], from: Fixtures.start.adding(months: 2), until: Fixtures.start.adding(months: 4))
    let b = Fixtures.chain(policies: [ban], countryA: "CN")
    let ra = try Fixtures.run(a, variant: "base"), rb = try Fixtures.run(b, variant: "ban")
    let report = CompareReport(a: (a, ra), b: (b, rb))
    let k = report.kpis()
    // A by hand: defence unmet 12 t, EV unmet 42 t (see RunReportHandCalculations).
    let defA = try #require(k.first { $0.group == "unmet demand" && $0.name == "defence" && $0.unit == "t" })
    #expect(approx(try #require(defA.a), 12, rel: 1e-9))
    let evB = try #require(k.first { $0.group == "unmet demand" && $0.name == "ev-traction" && $0.unit == "t" })
    let evUnmetB = rb.demands[1].unmet.reduce(0, +) / 1000
    #expect(approx(try #require(evB.b), evUnmetB, rel: 1e-9))
    #expect(approx(evB.difference, evUnmetB - 42, rel: 1e-9, abs: 1e-9))
    // Imports: A is domestic (IN → IN), so only B has CN → IN metal imports, = Σ delivered.
    let imp = try #require(k.first { $0.group == "imports" })
    #expect(imp.name == "CN → IN metal" && imp.a == nil)
    #expect(approx(try #require(imp.b), rb.shipments[0].delivered.reduce(0, +) / 1000, rel: 1e-9))
    let text = report.text()
    #expect(text.contains("A = chain/base (12 months)"))
    #expect(report.svgs().map(\.fileName) == ["demand-compare.svg"])
  }

  @Test func comparingARunWithItselfGivesZeroDifferences() throws {
    let s = Fixtures.generator.make(seed: 5)
    let r = try Fixtures.run(s)
    let k = CompareReport(a: (s, r), b: (s, r)).kpis()
    #expect(!k.isEmpty)
    #expect(k.allSatisfy { $0.difference == 0 && $0.a != nil && $0.b != nil })
  }
}
