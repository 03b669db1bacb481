import Chemistry

/// How the heavy rare earths get into a sintered NdFeB magnet.
public enum DiffusionProcess: String, CaseIterable, Sendable, Codable {
  /// Dy/Tb alloyed into the whole melt.
  case bulk
  /// Grain-boundary diffusion (GBD): Dy/Tb diffused from the surface along grain boundaries;
  /// the same HcJ with about half the heavy rare earth (Trout, Magnetics Business &
  /// Technology, Summer 2018; magnets.md §2).
  case grainBoundaryDiffusion = "gbd"

  /// Heavy-rare-earth content relative to bulk alloying.
  public var factor: Double { self == .bulk ? 1 : 0.5 }
}

/// Assumptions behind an element bill of a magnet (indicative; see docs/magnets.md).
public struct CompositionAssumptions: Sendable, Hashable, Codable {
  /// Total rare earth (Nd + Pr + Dy + Tb) of sintered NdFeB, mass fraction; 0.31 (29–32 wt %,
  /// supply-chain.md §3.3).
  public var totalRareEarth: Double = 0.31
  /// Pr share of the light rare earth (Nd + Pr), 0.25 ("≤ 25 % of Nd replaceable by Pr").
  public var praseodymiumShare: Double = 0.25
  /// Tb share of the heavy rare earth (Dy + Tb), mass basis; 0 = all Dy.
  public var terbiumShare: Double = 0
  /// Boron, mass fraction (0.9–1.1 wt %).
  public var boron: Double = 0.01
  /// Other additives (Al, Cu, Ga, Nb), mass fraction, not itemised (0.3–1.5 wt %).
  public var otherAdditives: Double = 0.008

  public init(totalRareEarth: Double = 0.31, praseodymiumShare: Double = 0.25, terbiumShare: Double = 0, boron: Double = 0.01, otherAdditives: Double = 0.008) {
    self.totalRareEarth = totalRareEarth
    self.praseodymiumShare = praseodymiumShare
    self.terbiumShare = terbiumShare
    self.boron = boron
    self.otherAdditives = otherAdditives
  }

  /// Checks every fraction is in 0…1 and the parts leave room for iron.
  public func validate() throws(MagnetError) {
    for (n, v) in [("total rare earth", totalRareEarth), ("Pr share", praseodymiumShare), ("Tb share", terbiumShare), ("boron", boron), ("other additives", otherAdditives)] where !(v >= 0 && v <= 1) {
      throw .invalid("The \(n) fraction must be in 0...1; got \(v).")
    }
  }
}

extension CoercivityClass {
  /// Cobalt in sintered NdFeB by class, mass fraction (middle of supply-chain.md §3.3 ranges:
  /// N 0–1, M/H 0–2, SH 1–2, UH/EH/AH 2–3 wt %).
  var cobaltFraction: Double {
    switch self {
    case .N: return 0.005
    case .M, .H: return 0.01
    case .SH: return 0.015
    case .UH, .EH, .AH: return 0.025
    case .smCo5, .sm2Co17: return 0
    }
  }
}

extension Grade {
  /// Dy+Tb mass fraction (kg per kg magnet) for a process: the middle of the grade's bulk
  /// range, times 0.5 for grain-boundary diffusion.
  public func heavyRareEarthFraction(process: DiffusionProcess) -> Double {
    heavyRareEarthFraction * process.factor
  }

  /// Element demand in kg per kg of finished magnet (indicative; sums to 1 minus the
  /// unitemised additives). NdFeB: total rare earth fixed, Dy+Tb by class and process, the
  /// rest Nd+Pr, then Co by class, B, Fe as balance. SmCo5 and Sm2Co17: stoichiometric from
  /// IUPAC atomic weights (real 2:17 alloys replace part of the Co by Fe, Cu and Zr).
  /// This is the API the supply-chain model uses to turn a grade mix into Dy/Tb needs.
  public func elementDemand(process: DiffusionProcess = .bulk, assumptions: CompositionAssumptions = .init()) -> [Element: Double] {
    switch family {
    case .smCo5: return stoichiometric(sm: 1, co: 5)
    case .sm2Co17: return stoichiometric(sm: 2, co: 17)
    case .ndFeB:
      let hre = min(heavyRareEarthFraction(process: process), assumptions.totalRareEarth)
      let lre = assumptions.totalRareEarth - hre
      let co = coercivityClass.cobaltFraction
      let fe = max(0, 1 - assumptions.totalRareEarth - co - assumptions.boron - assumptions.otherAdditives)
      var d: [Element: Double] = [
        .Nd: lre * (1 - assumptions.praseodymiumShare), .Pr: lre * assumptions.praseodymiumShare,
        .Dy: hre * (1 - assumptions.terbiumShare), .Tb: hre * assumptions.terbiumShare,
        .Fe: fe, .B: assumptions.boron, .Co: co,
      ]
      for (k, v) in d where v == 0 { d[k] = nil }
      return d
    }
  }

  private func stoichiometric(sm: Double, co: Double) -> [Element: Double] {
    let mSm = sm * Element.Sm.atomicWeight, mCo = co * Element.Co.atomicWeight
    return [.Sm: mSm / (mSm + mCo), .Co: mCo / (mSm + mCo)]
  }
}

/// A share of a grade in a magnet mix.
public struct GradeShare: Sendable, Hashable {
  public var grade: Grade
  /// Mass of magnets of this grade, kg (or any mass unit; results use the same one).
  public var mass: Double
  public var process: DiffusionProcess
  public init(grade: Grade, mass: Double, process: DiffusionProcess = .bulk) {
    self.grade = grade
    self.mass = mass
    self.process = process
  }
}

/// Element demand of a grade mix: Σ mass × kg/kg, in the mass unit of the shares.
public func elementDemand(of mix: [GradeShare], assumptions: CompositionAssumptions = .init()) -> [Element: Double] {
  var total: [Element: Double] = [:]
  for s in mix {
    for (e, f) in s.grade.elementDemand(process: s.process, assumptions: assumptions) {
      total[e, default: 0] += f * s.mass
    }
  }
  return total
}
