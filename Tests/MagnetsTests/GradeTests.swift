import Chemistry
import Magnets
import TestSupport
import Testing

@Suite struct GradeCatalogTests {
  let cat = GradeCatalog.builtIn

  @Test func builtInHasEveryClassAndSource() {
    // magnet-grades.csv: 41 sintered NdFeB rows + SmCo5 + Sm2Co17
    #expect(cat.grades.count == 43)
    for c in CoercivityClass.allCases { #expect(cat.grades.contains { $0.coercivityClass == c }, "class \(c)") }
    #expect(cat.grades.allSatisfy { !$0.source.isEmpty })
  }

  /// Published minima (magnets.md §2 table, chinamagnetfactory/magnetexpert): N42 Br 1.28–1.32 T,
  /// (BH)max 318–342 kJ/m³, HcB min 915 kA/m; HcJ class H ≥ 1353 kA/m (17 kOe); AH ≥ 2786 (35 kOe).
  @Test func publishedValues() throws {
    let n42 = try cat.require("N42")
    #expect(n42.brMin == 1.28 && n42.brMax == 1.32)
    #expect(approx(n42.bhMaxMin, 318e3, rel: 1e-12))
    #expect(approx(n42.hcbMin ?? 0, 915e3, rel: 1e-12))
    #expect(approx(try cat.require("n45h").hcjMin, 1353e3, rel: 1e-12))
    #expect(approx(try cat.require("N33AH").hcjMin, 2786e3, rel: 1e-12))
    #expect(try cat.require("SmCo5").family == .smCo5)
    #expect(try cat.require("N42SH").hcbIsEstimated)
  }

  @Test func unknownGradeListsChoices() {
    #expect(throws: MagnetError.self) { try cat.require("N99") }
    do {
      _ = try cat.require("N99")
    } catch {
      #expect(error.description.contains("got 'N99'") && error.description.contains("N42SH"))
    }
  }

  /// IEC 60404-8-1 style: (BH)max min kJ/m³ / HcJ min kA/m ÷ 10, rounded down:
  /// N42 318/95.5 → "REFeB 318/95"; SmCo5 135/119.4 → "RECo 135/119".
  @Test func iecShortNames() throws {
    #expect(try cat.require("N42").iecShortName() == "REFeB 318/95")
    #expect(try cat.require("N42").iecShortName(rounding: .toNearestOrAwayFromZero) == "REFeB 318/96")
    #expect(try cat.require("SmCo5").iecShortName() == "RECo 135/119")
    let d = try IECDesignation("REFeB 380/80")
    #expect(d.bhMaxMin == 380_000 && d.hcjMin == 800_000 && d.group == "REFeB")
    #expect(throws: MagnetError.self) { try IECDesignation("NdFeB 380/80") }
  }

  /// Unit conversions (magnets.md header): 1 kOe = 79.577 kA/m, 1 MGOe = 7.9577 kJ/m³, 1 kG = 0.1 T.
  @Test(arguments: [
    ("12 kOe", MagneticUnitKind.fieldStrength, 954_929.66),
    ("955 kA/m", .fieldStrength, 955_000),
    ("955", .fieldStrength, 955_000),
    ("40 MGOe", .energyDensity, 318_309.89),
    ("12.8 kG", .fluxDensity, 1.28),
    ("1280 mT", .fluxDensity, 1.28),
    ("302 F", .temperature, 150),
    ("423.15 K", .temperature, 150),
    ("150 °C", .temperature, 150),
  ])
  func units(_ text: String, _ kind: MagneticUnitKind, _ expected: Double) throws {
    #expect(approx(try parseMagneticQuantity(text, kind), expected, rel: 1e-7))
  }

  @Test func userGradesWithUnits() throws {
    let csv = """
      # supplier datasheet, 2026
      grade,hcj_class,br_min_T,hcj_min_kA_m,tw_max_C,alpha_Br_pct_per_K,beta_HcJ_pct_per_K_typ,source_br_bhmax,dy_wt_pct_indicative_bulk
      X44SH,SH,13.2 kG,20 kOe,150 C,-0.11,-0.53,"Acme, datasheet A-44",2.5
      """
    var c = GradeCatalog.builtIn
    let user = try GradeCatalog(csv: csv, source: "mine.csv")
    try c.add(user.grades, source: "mine.csv")
    let g = try c.require("x44sh")
    #expect(approx(g.brMin, 1.32, rel: 1e-12))
    #expect(approx(g.hcjMin, 1_591_549.43, rel: 1e-8))  // 20 kOe = 20·79.577 kA/m
    #expect(g.source == "Acme, datasheet A-44")
    #expect(approx(g.heavyRareEarthFraction, 0.025, rel: 1e-12))
    // (BH)max not given: linear model Br²/(4µ0·1.05) = 1.7424/(5.27788e-6) = 330.1 kJ/m³
    #expect(approx(g.bhMaxMin, 1.32 * 1.32 / (4 * 1.25663706127e-6 * 1.05), rel: 1e-12))
  }

  struct BadTable: Sendable, CustomTestStringConvertible {
    let id: String, csv: String, line: Int, column: String?, fragment: String
    var testDescription: String { id }
  }
  static let header = "grade,hcj_class,br_min_T,hcj_min_kA_m,tw_max_C,alpha_Br_pct_per_K,beta_HcJ_pct_per_K_typ,source_br_bhmax"
  static let bad: [BadTable] = [
    BadTable(id: "bad class", csv: header + "\nX1,ZZ,1.2,1000,80,-0.12,-0.6,s", line: 2, column: "hcj_class", fragment: "got 'ZZ'"),
    BadTable(id: "bad unit", csv: header + "\nX1,N,1.2 Wb,1000,80,-0.12,-0.6,s", line: 2, column: "br_min_T", fragment: "'T', 'mT', 'kG', 'G'"),
    BadTable(id: "not a number", csv: header + "\n\nX1,N,1.2,lots,80,-0.12,-0.6,s", line: 3, column: "hcj_min_kA_m", fragment: "got 'lots'"),
    BadTable(id: "missing column", csv: "grade,hcj_class\nX1,N", line: 1, column: nil, fragment: "'br_min_T'"),
    BadTable(id: "short row", csv: header + "\nX1,N,1.2", line: 2, column: nil, fragment: "8 cells"),
    BadTable(id: "duplicate", csv: header + "\nX1,N,1.2,1000,80,-0.12,-0.6,s\nx1,N,1.2,1000,80,-0.12,-0.6,s", line: 3, column: "grade", fragment: "line 2"),
    BadTable(id: "positive alpha", csv: header + "\nX1,N,1.2,1000,80,0.12,-0.6,s", line: 2, column: "alpha_Br_pct_per_K", fragment: "got 0.12"),
  ]

  @Test(arguments: bad)
  func rejectsBadTables(_ c: BadTable) {
    do {
      _ = try GradeCatalog(csv: c.csv, source: "t.csv")
      Issue.record("accepted a bad table")
    } catch {
      #expect(error.line == c.line)
      #expect(error.column == c.column)
      #expect(error.description.contains(c.fragment), "\(error.description)")
      #expect(error.description.hasPrefix("t.csv line \(c.line)"))
    }
  }
}

@Suite struct DeratingTests {
  let cat = GradeCatalog.builtIn

  /// N42SH (α −0.11, β −0.55 %/K) at 150 °C, ΔT = 130 K:
  /// Br = 1.28·(1 − 0.0011·130) = 1.09696 T; HcJ = 1592·(1 − 0.0055·130) = 453.72 kA/m; Hk = 408.348.
  @Test func n42shAt150() throws {
    let p = try cat.require("N42SH").derated(to: 150)
    #expect(approx(p.br, 1.09696, rel: 1e-12))
    #expect(approx(p.hcj, 453_720, rel: 1e-12))
    #expect(approx(p.hk, 408_348, rel: 1e-12))
    // Br/(µ0µrec) = 1.09696/1.319469e-6 = 831.4 kA/m > HcJ → HcB = HcJ, knee in 2nd quadrant
    #expect(p.kneeInSecondQuadrant)
    #expect(p.hcb == p.hcj)
  }

  /// N42 at 20 °C: the knee (859.5 kA/m) lies beyond Br/(2µ0µrec) = 485 kA/m, so
  /// (BH)max = Br²/(4µ0µrec) = 1.6384/5.277876e-6 = 310.43 kJ/m³ (datasheet 318–342: the
  /// linear model with µrec 1.05 from Br min is slightly conservative). HcB: Br/(µ0µrec)
  /// = 970.1 kA/m exceeds HcJ 955 → HcB = 955 kA/m.
  @Test func n42At20() throws {
    let p = try cat.require("N42").derated(to: 20)
    #expect(approx(p.bhMax, 1.28 * 1.28 / (4 * 1.25663706127e-6 * 1.05), rel: 1e-12))
    #expect(approx(p.bhMax, 310_428, rel: 1e-5))
    #expect(approx(p.hcb, 955_000, rel: 1e-12))
  }

  /// N42 at 150 °C: HcJ = 955·(1 − 0.007·130) = 85.95 kA/m, Hk = 77.355 kA/m, Br = 1.08032 T;
  /// knee-limited (BH)max = Hk·(Br − µ0µrec·Hk) = 77355·(1.08032 − 0.102068) = 75.673 kJ/m³.
  @Test func kneeLimitedEnergyProduct() throws {
    let p = try cat.require("N42").derated(to: 150)
    #expect(approx(p.hk, 77_355, rel: 1e-12))
    #expect(approx(p.bhMax, 75_672.7, rel: 1e-5))
    // recoil line: B(H = −Hk) = Br − µ0µrec·Hk
    #expect(approx(p.recoilB(atH: -p.hk), 1.08032 - 1.25663706127e-6 * 1.05 * 77_355, rel: 1e-12))
  }

  @Test func typicalBasisUsesMidRange() throws {
    // N42 typical Br = 1.30 T; at 80 °C: 1.30·(1 − 0.0012·60) = 1.2064 T
    #expect(approx(try cat.require("N42").derated(to: 80, basis: .typical).br, 1.2064, rel: 1e-12))
  }
}

@Suite struct WorkingPointTests {
  let cat = GradeCatalog.builtIn

  /// Permeance coefficients, magnets.md §5 examples (3 significant digits) and exact values:
  /// a cube's magnetometric N is exactly 1/3 (Pc = 2); Chen, Brug & Goldfarb (1991) give
  /// Nm = 0.3116 for a cylinder with L/D = 1 (Pc = 2.2092).
  @Test func permeanceCoefficients() {
    #expect(approx(Permeance.block(width: 10, depth: 10, length: 5, at: .centre), 0.694, rel: 1e-3))
    #expect(approx(Permeance.block(width: 10, depth: 10, length: 5, at: .poleFace), 0.5, rel: 1e-12))
    #expect(approx(Permeance.block(width: 10, depth: 10, length: 5, at: .volumeAverage), 1.016, rel: 1e-3))
    #expect(approx(Permeance.block(width: 1, depth: 1, length: 1, at: .volumeAverage), 2, rel: 1e-12))
    #expect(approx(Permeance.cylinder(diameter: 10, length: 5, at: .centre), 0.809, rel: 1e-3))
    #expect(approx(Permeance.cylinder(diameter: 10, length: 5, at: .poleFace), 0.547, rel: 1e-3))
    #expect(approx(Permeance.cylinder(diameter: 10, length: 5, at: .volumeAverage), 1.108, rel: 1e-3))
    #expect(approx(Permeance.cylinder(diameter: 10, length: 7, at: .centre), 1.344, rel: 1e-3))
    #expect(approx(Permeance.cylinder(diameter: 1, length: 1, at: .volumeAverage), (1 - 0.3116) / 0.3116, rel: 5e-4))
  }

  /// The pole-face formula against the full 3-D field just inside the face (B/J there).
  @Test func poleFaceMatchesField() {
    let m = Magnet.cuboid(sides: Vector3(0.01, 0.006, 0.004), polarization: Vector3(0, 0, 1))
    let bj = m.field(at: Vector3(0, 0, 0.002 - 1e-12)).b.z
    #expect(approx(Permeance.block(width: 0.01, depth: 0.006, length: 0.004, at: .poleFace), bj / (1 - bj), rel: 1e-8))
    let c = Magnet.cylinder(diameter: 0.01, height: 0.007, polarization: Vector3(0, 0, 1))
    let bc = c.field(at: .zero).b.z
    #expect(approx(Permeance.cylinder(diameter: 0.01, length: 0.007, at: .centre), bc / (1 - bc), rel: 1e-10))
  }

  /// magnets.md §5 worked cases (10×10×5 block, centre Pc 0.694, open circuit, µrec 1.05,
  /// squareness 0.9), computed there with α = −0.12 %/K for N42SH:
  /// 120 °C margin +131 kA/m; 150 °C: Br 1.0803 T, HcJ 453.7, H_self −493 vs Hk 408 → 17 % loss.
  @Test func workedCaseN42SH() throws {
    var g = try cat.require("N42SH")
    g.alphaBr = -0.12
    let pc = Permeance.block(width: 10, depth: 10, length: 5, at: .centre)
    let at120 = g.workingPoint(for: Duty(temperature: 120, permeanceCoefficient: pc))
    #expect(at120.reversible)
    #expect(approx(at120.margin, 131e3, rel: 5e-3))
    let at150 = g.workingPoint(for: Duty(temperature: 150, permeanceCoefficient: pc))
    #expect(!at150.reversible)
    #expect(approx(at150.properties.br, 1.0803, rel: 1e-4))
    #expect(approx(at150.selfField, -493e3, rel: 2e-3))
    #expect(approx(at150.irreversibleLoss, 0.17, abs: 0.005))
  }

  /// N42 in the same block at 80 °C: margin −44 kA/m, about 8 % loss (magnets.md §5).
  /// Hand: Br 1.18784 T, H_self = 1.18784/(µ0·1.744) = 542.0 kA/m, Hk = 0.9·553.9 = 498.5;
  /// loss = 1 − µ0·1.744·498.5e3/1.18784 = 0.080.
  @Test func workedCaseN42() throws {
    let pc = Permeance.block(width: 10, depth: 10, length: 5, at: .centre)
    let wp = try cat.require("N42").workingPoint(for: Duty(temperature: 80, permeanceCoefficient: pc))
    #expect(approx(wp.margin, -44e3, rel: 2e-2))
    #expect(approx(wp.irreversibleLoss, 0.080, abs: 0.002))
    // B on the load line = Br·Pc/(Pc+µrec) with no opposing field
    #expect(approx(wp.fluxDensity, 1.18784 * pc / (pc + 1.05), rel: 1e-12))
  }

  /// An opposing field adds to the self field: H_tot = H_self − H_opp.
  @Test func opposingField() throws {
    let g = try cat.require("N40UH")
    let a = g.workingPoint(for: Duty(temperature: 100, permeanceCoefficient: 2))
    let b = g.workingPoint(for: Duty(temperature: 100, permeanceCoefficient: 2, opposingField: 300e3))
    #expect(approx(b.totalField, a.totalField - 300e3, rel: 1e-12))
    #expect(approx(b.margin, a.margin - 300e3, rel: 1e-12))
  }

  /// Cheapest survivor at 150 °C, Pc 0.694, needing B ≥ 0.42 T: SH grades cross the knee
  /// (N35SH: H_self 457.5 > Hk 408.3 kA/m); every UH survives (Hk 626.9 kA/m). B = 0.39792·Br(T):
  /// N38UH 1.04554 T → 0.4160 T (too low), N40UH 1.07125 T → 0.4263 T. Answer: N40UH.
  @Test func cheapestSurvivor() throws {
    let pc = Permeance.block(width: 10, depth: 10, length: 5, at: .centre)
    let duty = Duty(temperature: 150, permeanceCoefficient: pc)
    let best = cat.cheapestSurvivor(for: duty, requiredFluxDensity: 0.42)
    #expect(best?.grade.name == "N40UH")
    let ranked = cat.rank(for: duty)
    #expect(ranked.filter { $0.grade.coercivityClass == .SH }.allSatisfy { !$0.survives })
    #expect(ranked.first?.grade.name == "N28UH")
    // nothing NdFeB survives 300 °C
    #expect(cat.cheapestSurvivor(for: Duty(temperature: 300, permeanceCoefficient: pc)) == nil)
    // … but Sm2Co17 (rated 350 °C) does when SmCo is allowed
    #expect(cat.cheapestSurvivor(for: Duty(temperature: 300, permeanceCoefficient: pc), families: [.ndFeB, .sm2Co17])?.grade.id == "Sm2Co17")
  }

  @Test func dutyValidation() {
    #expect(throws: MagnetError.self) { try Duty(temperature: 100, permeanceCoefficient: -1).validate() }
    #expect(throws: MagnetError.self) { try Duty(temperature: 100, permeanceCoefficient: 1, squareness: 1.5).validate() }
    #expect(throws: Never.self) { try Duty(temperature: 100, permeanceCoefficient: 1).validate() }
  }
}

@Suite struct HeavyRareEarthTests {
  let cat = GradeCatalog.builtIn

  /// N42SH bulk: Dy 3–5 wt % → 4 %; GBD halves it (Trout 2018). Hand: TRE 31 %, Nd+Pr = 27 %
  /// split 75:25 → Nd 20.25 %, Pr 6.75 %; Co 1.5 %, B 1 %, others 0.8 % → Fe 65.7 %.
  @Test func n42shBill() throws {
    let g = try cat.require("N42SH")
    let d = g.elementDemand()
    #expect(approx(d[.Dy] ?? 0, 0.04, rel: 1e-12))
    #expect(approx(d[.Nd] ?? 0, 0.2025, rel: 1e-12))
    #expect(approx(d[.Pr] ?? 0, 0.0675, rel: 1e-12))
    #expect(approx(d[.Fe] ?? 0, 0.657, rel: 1e-12))
    #expect(d[.Tb] == nil)
    #expect(approx(d.values.reduce(0, +), 1 - 0.008, rel: 1e-12))
    #expect(approx(g.elementDemand(process: .grainBoundaryDiffusion)[.Dy] ?? 0, 0.02, rel: 1e-12))
    let tb = g.elementDemand(process: .grainBoundaryDiffusion, assumptions: CompositionAssumptions(terbiumShare: 1))
    #expect(approx(tb[.Tb] ?? 0, 0.02, rel: 1e-12) && tb[.Dy] == nil)
  }

  /// SmCo5 stoichiometric: Sm 150.36 / (150.36 + 5·58.933194) = 0.33787 (IUPAC weights).
  @Test func smCo5Bill() throws {
    let d = try cat.require("SmCo5").elementDemand()
    #expect(approx(d[.Sm] ?? 0, 150.36 / (150.36 + 5 * 58.933194), rel: 1e-9))
    #expect(d[.Dy] == nil)
  }

  /// A mix: 1000 kg N42SH bulk (4 % Dy) + 500 kg N35EH GBD (8 % × 0.5) → 40 + 20 = 60 kg Dy.
  @Test func mixDemand() throws {
    let mix = [
      GradeShare(grade: try cat.require("N42SH"), mass: 1000),
      GradeShare(grade: try cat.require("N35EH"), mass: 500, process: .grainBoundaryDiffusion),
    ]
    let d = elementDemand(of: mix)
    #expect(approx(d[.Dy] ?? 0, 60, rel: 1e-12))
    #expect(approx(d.values.reduce(0, +), 1500 * (1 - 0.008), rel: 1e-12))
  }

  @Test(arguments: [CoercivityClass.M, .H, .SH, .UH, .EH, .AH])
  func hreGrowsWithClass(_ c: CoercivityClass) {
    // Dy content ranges never overlap downward: each class's lower bound ≥ the previous upper.
    let order: [CoercivityClass] = [.N, .M, .H, .SH, .UH, .EH, .AH]
    let i = order.firstIndex(of: c) ?? 0
    #expect(i > 0)
    #expect(c.bulkHeavyRareEarthPercent.lowerBound >= order[max(0, i - 1)].bulkHeavyRareEarthPercent.upperBound)
  }
}

@Suite struct CatalogMergeTests {
  @Test func duplicateAcrossCataloguesIsRejected() throws {
    var c = GradeCatalog.builtIn
    let mine = try GradeCatalog(
      csv: "grade,hcj_class,br_min_T,hcj_min_kA_m,tw_max_C,alpha_Br_pct_per_K,beta_HcJ_pct_per_K_typ,source_br_bhmax\nn42sh,SH,1.3,1600,150,-0.11,-0.55,mine",
      source: "mine.csv")
    do {
      try c.add(mine.grades, source: "mine.csv")
      Issue.record("accepted a duplicate grade name")
    } catch {
      #expect(error.description == "mine.csv, column 'grade': Grade names must be unique across catalogues; 'n42sh' is already defined.")
    }
  }
}
