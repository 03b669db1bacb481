import QualityControl
import Testing
import TestSupport

@Suite struct RecordParsing {
  @Test func convertsUnitsToSI() throws {
    // 17 kOe = 17 × 1e6/(4π) A/m = 1 352 817.0 A/m (1 kOe = 79.577 kA/m);
    // 40 MGOe = 40 × 1e5/(4π) J/m³ = 318 309.9 J/m³; 7.55 g/cm³ = 7550 kg/m³; 12.7 kG = 1.27 T.
    let t = try SpecimenCSV.parse("lot,HcJ [kOe],BHmax [MGOe],density [g/cm3],Br [kG],height [mm]\nA,17,40,7.55,12.7,5\n", source: "x.csv")
    let v = t.records[0].values
    #expect(approx(v[0]!, 1_352_817.0, rel: 1e-7))
    #expect(approx(v[1]!, 318_309.9, rel: 1e-7))
    #expect(approx(v[2]!, 7550, rel: 1e-12))
    #expect(approx(v[3]!, 1.27, rel: 1e-12))
    #expect(approx(v[4]!, 0.005, rel: 1e-12))
  }

  @Test func keepsFileOrderSkipsCommentsAndCountsMissing() throws {
    let text = "# header comment\nlot,specimen,Br [T]\nB,b1,1.30\n\nA,a1,\nB,b2,1.31\n# trailing\nA,a2,1.29\n"
    let t = try SpecimenCSV.parse(text, source: "x.csv")
    #expect(t.lots == ["B", "A"])
    #expect(t.records.map(\.line) == [3, 5, 6, 8])
    let g = t.subgroups(column: 0)
    #expect(g.map(\.label) == ["B", "A"])
    #expect(g[0].values.count == 2 && approx(g[0].values[0], 1.30, rel: 1e-15) && approx(g[0].values[1], 1.31, rel: 1e-15))
    #expect(g[1].values == [1.29] && g[1].missing == 1)
    let ind = t.individuals(column: 0)
    #expect(ind.subgroups.map(\.label) == ["b1", "b2", "a2"] && ind.missing == 1)
  }

  @Test func quotedFields() throws {
    let t = try SpecimenCSV.parse("lot,grade,Br [T]\n\"Lot, A\",\"N42 \"\"H\"\"\",1.3\r\n", source: "q.csv")
    #expect(t.records[0].lot == "Lot, A")
    #expect(t.records[0].grade == "N42 \"H\"")
    #expect(t.records[0].values.count == 1 && approx(t.records[0].values[0] ?? 0, 1.3, rel: 1e-15))
  }

  @Test func timeOrder() throws {
    let t = try SpecimenCSV.parse("lot,time,Br [T]\nB,2026-10-02T08:00:00Z,1.31\nA,2026-10-01T09:00:00Z,1.30\nA,2026-10-01T08:00:00Z,1.29\nC,2026-10-01T08:00:00Z,1.28\n", source: "t.csv")
    let s = try t.sortedByTime()
    // Equal times keep file order (line 4 before line 5).
    #expect(s.records.map(\.line) == [4, 5, 3, 2])
    #expect(s.lots == ["A", "C", "B"])
    #expect(throws: QCDataError(source: "t.csv", line: 3, column: "time", message: "time must be given on every row to order by time; got an empty cell.")) {
      try SpecimenCSV.parse("lot,time,Br [T]\nA,2026-10-01,1.3\nB,,1.3\n", source: "t.csv").sortedByTime()
    }
  }

  struct Bad: Sendable, CustomTestStringConvertible {
    let text: String
    let line: Int?
    let column: String?
    let fragment: String
    var testDescription: String { fragment }
  }

  static let bad: [Bad] = [
    Bad(text: "lot,Br [T]\nA,1.3\nB,abc\n", line: 3, column: "Br [T]", fragment: "Br must be a finite number in T (leave the cell empty if not measured); got 'abc'."),
    Bad(text: "lot,HcJ [kOe2]\nA,1\n", line: 1, column: "HcJ [kOe2]", fragment: "the unit of HcJ must be one of A/m, kA/m, kOe, Oe; got 'kOe2'."),
    Bad(text: "lot,Br\nA,1\n", line: 1, column: "Br", fragment: "Br must carry its unit in brackets"),
    Bad(text: "batch,Br [T]\nA,1\n", line: 1, column: nil, fragment: "the header must contain a 'lot' column"),
    Bad(text: "lot,Br [T]\nA,1.3,7\n", line: 2, column: nil, fragment: "every row must have 2 cells like the header; got 3."),
    Bad(text: "lot,Br [T]\nA,-1.3\n", line: 2, column: "Br [T]", fragment: "Br must be positive; got -1.3."),
    Bad(text: "lot,Br [T]\n,1.3\n", line: 2, column: "lot", fragment: "lot must be a non-empty identifier"),
    Bad(text: "lot,Br [T],br [mT]\nA,1,2\n", line: 1, column: "br [mT]", fragment: "column names must be unique"),
    Bad(text: "lot,Br [T]\nA,inf\n", line: 2, column: "Br [T]", fragment: "got 'inf'"),
    Bad(text: "lot,Br [T]\n", line: nil, column: nil, fragment: "at least one data row"),
  ]

  @Test func caretPointsAtTheCell() {
    do {
      _ = try SpecimenCSV.parse("lot,specimen,Br [T]\nA,  a1,1.3x\n", source: "c.csv")
      Issue.record("expected an error")
    } catch {
      #expect(error.excerpt == "A,  a1,1.3x")
      #expect(error.caret == 7)
      #expect(error.description.hasSuffix("\n  A,  a1,1.3x\n         ^"))
    }
  }

  @Test(arguments: bad) func locatedErrors(_ b: Bad) {
    do {
      _ = try SpecimenCSV.parse(b.text, source: "bad.csv")
      Issue.record("expected an error")
    } catch {
      #expect(error.source == "bad.csv")
      #expect(error.line == b.line)
      #expect(error.column == b.column)
      #expect(error.description.contains(b.fragment), "\(error.description)")
    }
  }
}

@Suite struct Constants {
  // c4(2) = √(2/π) exactly; c4(5) = 0.9400 and c4(25) = 0.9896 in Montgomery's Appendix VI.
  @Test func c4() {
    #expect(approx(ChartConstants.c4(2), (2 / Double.pi).squareRoot(), rel: 1e-14))
    #expect(approx(ChartConstants.c4(5), 0.9400, rel: 0, abs: 5e-5))
    #expect(approx(ChartConstants.c4(25), 0.9896, rel: 0, abs: 5e-5))
  }
  @Test func tables() {
    #expect(approx(ChartConstants.d2(5) ?? 0, 2.326, rel: 1e-15) && ChartConstants.d2(26) == nil && ChartConstants.d2(1) == nil)
    #expect(approx(ChartConstants.d3(5) ?? 0, 0.8640855, rel: 1e-15) && approx(ChartConstants.d3(50) ?? 0, 0.6521506, rel: 1e-15))
  }
}

/// Rules on hand-made sequences with centre 0 and σ of the statistic 1 (3σ limits ±3).
@Suite struct RulesByHand {
  func flags(_ s: [Double], _ rule: Rule) -> [Int] {
    let n = s.count
    let input = RuleInput(statistics: s, center: 0) { k in ([Double](repeating: -k, count: n), [Double](repeating: k, count: n)) }
    return violations(of: rule, in: input)
  }
  func rule(_ label: String, k: Double? = nil) -> Rule {
    var r = (RuleSet.westernElectricAll + RuleSet.nelsonAll).first { $0.label == label }!
    if let k { r.k = k }
    return r
  }

  @Test func beyondLimitsIsStrict() {
    #expect(flags([3.01, -3.01, 3.0, -3.0, 0], rule("WE1")) == [0, 1])
  }
  @Test func sameSideFlagsFromKthPoint() {
    let s: [Double] = [1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 0]
    #expect(flags(s, rule("WE4")) == [7, 8])  // 8th and 9th points of the run
    #expect(flags(s, rule("N2")) == [8])
    #expect(flags(s, rule("N2", k: 3)) == Array(2...8))
    #expect(flags([1, 1, 0, 1, 1], rule("WE4", k: 2)) == [1, 4])  // a point on the centre line breaks the run
  }
  @Test func trendTiesBreakRuns() {
    #expect(flags([0, 1, 2, 3, 4, 5, 6, 6], rule("N3")) == [5, 6])
    #expect(flags([6, 5, 4, 3, 2, 1], rule("N3")) == [5])
    #expect(flags([0, 1, 2, 2, 3, 4, 5], rule("N3")) == [])
  }
  @Test func alternating() {
    let s = (0..<15).map { Double($0 % 2) }
    #expect(flags(s, rule("N4")) == [13, 14])
    #expect(flags(Array(s.prefix(13)), rule("N4")) == [])
  }
  @Test func zoneRulesNeedTheLastPointBeyondOnTheSameSide() {
    #expect(flags([0, 2.5, 0, 2.5], rule("WE2")) == [3])
    #expect(flags([2.5, 2.5, -2.5], rule("WE2")) == [])  // the last point is on the other side
    #expect(flags([2.5, -2.5, 0.5], rule("WE2")) == [])
    // 2 of 3 on one side with an opposite point between them still counts.
    #expect(flags([2.5, -2.5, 2.5, -2.5], rule("WE2")) == [2, 3])
    #expect(flags([1.5, 1.5, 0, 1.5, 1.5], rule("WE3")) == [4])
    #expect(flags([1.5, 1.5, 0, 1.5, 0.5], rule("WE3")) == [])
  }
  @Test func huggingAndMixture() {
    #expect(flags([Double](repeating: 0.5, count: 15), rule("N7")) == [14])
    #expect(flags([Double](repeating: 1.0, count: 15), rule("N7")) == [14])  // within 1σ is inclusive
    #expect(flags([1.5, -1.5, 1.5, -1.5, 1.5, -1.5, 1.5, -1.5], rule("N8")) == [7])
    #expect(flags([Double](repeating: 1.5, count: 8), rule("N8")) == [])
  }
  @Test func ruleSetsByNumber() {
    #expect(RuleSet.qccDefault.rules.map(\.label) == ["WE1", "WE4"])
    #expect(RuleSet.nelson([1, 5, 8]).rules.map(\.label) == ["N1", "N5", "N8"])
    var s = RuleSet.nelson([2])
    let found = s.setK(7, for: "n2")
    let notFound = s.setK(7, for: "N3")
    #expect(found && approx(s.rules[0].k, 7, rel: 1e-15))
    #expect(!notFound)
  }
}

@Suite struct ChartsByHand {
  @Test func individualsLimitsFromMovingRange() throws {
    // x = 10, 12, 11, 13, 12: moving ranges 2, 1, 2, 1 → MR̄ = 1.5, σ = 1.5/1.128 = 1.329787;
    // mean 11.6; limits 11.6 ± 3σ = 7.610638 / 15.589362; MR UCL = 1.5 + 3·0.8525033·1.329787 = 1.5 + 3.400944 = 4.900944.
    let p = try individualsChart([10, 12, 11, 13, 12], labels: ["a", "b", "c", "d", "e"], options: ChartOptions())
    #expect(approx(p.location.sigma, 1.329787, rel: 1e-6))
    #expect(approx(p.location.lcl[0], 7.610638, rel: 1e-6))
    #expect(approx(p.location.ucl[0], 15.589362, rel: 1e-6))
    #expect(approx(p.dispersion.ucl[0], 4.900944, rel: 1e-6))
    #expect(approx(p.dispersion.lcl[0], 0, rel: 0, abs: 1e-15))
  }

  @Test func rejectsTooSmallSubgroups() {
    let g = [Subgroup(label: "A", values: [1, 2], missing: 0), Subgroup(label: "B", values: [1], missing: 0)]
    #expect(throws: ChartError.self) { try xbarChart(g, dispersion: .range, options: ChartOptions()) }
  }

  @Test func oneSidedCapability() throws {
    // Individuals 1, 2, 3, 4, 5: mean 3, MR̄ = 1 → σw = 1/1.128; s = √2.5.
    // LSL 0: Cpl = Cpk = 3/(3σw) = 1.128; Ppk = 3/(3·1.581139) = 0.6324555. Cp undefined.
    let r = try capability([[1], [2], [3], [4], [5]], spec: SpecLimits(lower: 0, upper: nil))
    #expect(r.cp == nil && r.cpu == nil && r.cpm == nil)
    #expect(approx(r.cpk, 1.128, rel: 1e-12))
    #expect(approx(r.ppk, 0.6324555, rel: 1e-6))
    #expect(throws: ChartError.self) { try capability([[1], [2]], spec: SpecLimits(lower: nil, upper: nil)) }
    #expect(throws: ChartError.self) { try capability([[1], [2]], spec: SpecLimits(lower: 2, upper: 1)) }
  }
}

@Suite struct GradeConformance {
  @Test func syntheticLotsAgainstN42H() throws {
    let t = try SpecimenCSV.parse(try fixtureText("qc/magnet-lots.csv"), source: "magnet-lots.csv")
    let limits = try GradeLimits.parseCSV(try fixtureText("qc/grade-limits.csv"), source: "grade-limits.csv")
    let r = conformance(t, limits: limits)
    // By inspection of the CSV (awk over every row): the only specimens outside the N42H limits are
    // L17-1 (HcJ 1344.1 kA/m) and L17-4 (HcJ 1351.1 kA/m), both below 1353 kA/m.
    #expect(r.count == 30)
    #expect(r.filter { $0.status == .conforming }.count == 29)
    let l17 = try #require(r.first { $0.lot == "L17" })
    #expect(l17.status == .nonconforming)
    #expect(approx(l17.conformingFraction, 0.6, rel: 1e-15))
    #expect(l17.reasons == ["HcJ: 2 of 5 specimens below the minimum 1353.0 kA/m (lowest 1344.1 kA/m)"])
    let hcj = try #require(l17.checks.first { $0.property == .hcj })
    #expect(hcj.belowMinimum == 2 && approx(hcj.lowest!, 1_344_100, rel: 1e-12))
  }

  @Test func controlSignalsMatchQCCChart() throws {
    // The Br X̄ signals of the lot report are qcc's X̄-R chart of Br over all N42H lots with
    // rules WE1 and WE4 (reference case mg_br_xbar_R).
    let t = try SpecimenCSV.parse(try fixtureText("qc/magnet-lots.csv"), source: "magnet-lots.csv")
    let limits = try GradeLimits.parseCSV(try fixtureText("qc/grade-limits.csv"), source: "grade-limits.csv")
    let r = conformance(t, limits: limits)
    let flagged = r.indices.filter { i in r[i].controlSignals.contains { $0.hasPrefix("Br X̄:") } }.map { $0 + 1 }
    let ref = QCCReference.shared
    let expected = Set(ref.indices("mg_br_xbar_R", "WE1") + ref.indices("mg_br_xbar_R", "WE4")).sorted()
    #expect(!expected.isEmpty)
    #expect(flagged == expected)
    #expect(conformance(t, limits: limits, controlRules: RuleSet(rules: [])).allSatisfy { $0.controlSignals.isEmpty })
  }

  @Test func missingDataUnknownGradeAndMaximum() throws {
    let csv = "lot,grade,Br [T],HcJ [kA/m]\nA,N42H,1.30,\nA,N42H,1.33,1400\nB,N99,1.3,1400\nC,,1.3,1400\n"
    let t = try SpecimenCSV.parse(csv, source: "x.csv")
    let g = GradeLimits(grade: "N42H", minimum: [.br: 1.28, .hcj: 1_353_000], maximum: [.br: 1.32])
    let r = conformance(t, limits: [g])
    #expect(r.map(\.status) == [.nonconforming, .notAssessed, .notAssessed])
    #expect(r[0].reasons == ["Br: 1 of 2 specimens above the maximum 1.3200 T (highest 1.3300 T)", "HcJ: not measured on 1 of 2 specimens"])
    #expect(approx(r[0].conformingFraction, 0, rel: 0, abs: 1e-15))
    #expect(r[1].reasons == ["grade N99 has no limits in the limits table"])
    #expect(r[2].reasons == ["no grade is given for the lot"])
  }

  @Test func limitsFileErrors() {
    #expect(throws: QCDataError(source: "l.csv", line: 2, column: "min", message: "the unit of Br must be one of T, mT, kG, G; got 'X'.", excerpt: "N42,Br,1.28 X,", caret: 7)) {
      try GradeLimits.parseCSV("grade,property,min,max\nN42,Br,1.28 X,\n", source: "l.csv")
    }
    #expect(throws: QCDataError(source: "l.csv", line: 2, column: "property", message: "property must be one of Br, HcJ, HcB, BHmax, density, length, width, height, diameter; got 'Hk'.", excerpt: "N42,Hk,1 T,", caret: 4)) {
      try GradeLimits.parseCSV("grade,property,min,max\nN42,Hk,1 T,\n", source: "l.csv")
    }
  }
}

/// Quantiles against R 4.2.2 (`qnorm`, `qchisq`, `pgamma`, printed with digits = 17).
@Suite struct Quantiles {
  @Test(arguments: [(0.975, 1.95996398454005361), (0.95, 1.64485362695147153), (1e-10, -6.36134090240405570), (0.3, -0.52440051270804067)])
  func normal(_ c: (Double, Double)) {
    #expect(approx(normalQuantile(c.0), c.1, rel: 1e-12))
  }

  @Test(arguments: [
    (0.025, 124.0, 95.070088972345147), (0.975, 124.0, 156.71410382967215), (0.025, 3.7, 0.39457687534151664),
    (0.5, 1.0, 0.45493642311957283), (0.999, 200.0, 267.54052782275721), (0.01, 0.5, 1.3499395859116945e-08),
  ])
  func chiSquare(_ c: (Double, Double, Double)) {
    #expect(approx(chiSquareQuantile(c.0, df: c.1), c.2, rel: 1e-9))
  }

  @Test func incompleteGamma() {
    #expect(approx(regularizedGammaP(2.5, 3), 0.69378108158672158, rel: 1e-12))
  }
}

/// Exact d2/d3 against R 4.2.2 `integrate` with rel.tol 1e-13 on the same integrals written
/// with pnorm/dnorm (d2 = ∫ 1 − Φⁿ − (1−Φ)ⁿ; E[R²] = 2∫ r(1 − n∫φ(x)[Φ(x+r) − Φ(x)]ⁿ⁻¹dx)dr).
/// qcc's development version integrates 1 − ptukey instead, which is 1e-8 (d2) to 1e-7 (d3)
/// less precise for large n (e.g. d2(25) = 3.930629175742 there). d2(2) = 2/√π exactly;
/// d3(5) = 0.8640819 in ../shared/domain/magnets.md.
@Suite struct ExactConstants {
  @Test(arguments: [
    (2, 1.1283791670955, 0.8525024664274), (5, 2.3259289472810, 0.8640819410995), (10, 3.0775054616703, 0.7970506735194),
    (25, 3.9306292195071, 0.7084407658886), (50, 4.4981472587797, 0.6521425884300),
  ])
  func againstR(_ c: (Int, Double, Double)) {
    #expect(approx(ChartConstants.exactD2(c.0), c.1, rel: 1e-11))
    #expect(approx(ChartConstants.exactD3(c.0), c.2, rel: 1e-9))
  }
  @Test func d2OfTwo() { #expect(approx(ChartConstants.exactD2(2), 2 / Double.pi.squareRoot(), rel: 1e-12)) }
}
