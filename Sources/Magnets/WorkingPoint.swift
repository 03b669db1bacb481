import Quantities
import RealModule

/// Where in a magnet a permeance coefficient applies.
public enum PermeancePoint: String, CaseIterable, Sendable, Codable {
  /// The geometric centre (the best-off point).
  case centre
  /// The centre of a pole face (lower Pc than the centre; corners and rims are lower still).
  case poleFace = "pole-face"
  /// Volume-averaged (magnetometric) demagnetising factor: Pc = (1 − Nm)/Nm.
  case volumeAverage = "volume-average"
}

/// Open-circuit permeance coefficients Pc = −B/(µ0H) of an isolated, uniformly magnetised
/// magnet (rigid J, µrec = 1), magnetised along its height. Exact for that model.
public enum Permeance {
  /// Block with sides `width` × `depth` (pole face) and `length` along the magnetisation (any
  /// length unit). Centre: 1 − N = (2/π)·atan(c√(a²+b²+c²)/(ab)); pole face:
  /// B/J = 1/2 − (1/π)·atan(ab/(2c√(a²+b²+4c²))); volume average: Aharoni, J. Appl. Phys. 83,
  /// 3432 (1998), closed form. a, b, c are half-sides.
  public static func block(width: Double, depth: Double, length: Double, at point: PermeancePoint) -> Double {
    let a = width / 2, b = depth / 2, c = length / 2
    switch point {
    case .centre:
      let oneMinusN = 2 / Double.pi * Double.atan(c * (a * a + b * b + c * c).squareRoot() / (a * b))
      return oneMinusN / (1 - oneMinusN)
    case .poleFace:
      let bj = 0.5 - Double.atan(a * b / (2 * c * (a * a + b * b + 4 * c * c).squareRoot())) / Double.pi
      return bj / (1 - bj)
    case .volumeAverage:
      let n = aharoniN(a, b, c)
      return (1 - n) / n
    }
  }

  /// Cylinder with `diameter` and `length` along the axis (magnetised axially). Centre:
  /// Pc = x² + x√(1+x²), x = L/D; pole face: B/J = x/√(4x²+1); volume average: Nm from
  /// Gauss–Legendre quadrature of the exact axial field over the volume (|error| < 1e-6,
  /// checked against the magnetometric factors of Chen, Brug & Goldfarb, IEEE Trans. Magn. 27,
  /// 3601 (1991)).
  public static func cylinder(diameter: Double, length: Double, at point: PermeancePoint) -> Double {
    let x = length / diameter
    switch point {
    case .centre: return x * x + x * (1 + x * x).squareRoot()
    case .poleFace:
      let bj = x / (4 * x * x + 1).squareRoot()
      return bj / (1 - bj)
    case .volumeAverage:
      let n = cylinderMagnetometricN(lengthOverDiameter: x)
      return (1 - n) / n
    }
  }

  /// Aharoni's magnetometric demagnetising factor of a prism 2a × 2b × 2c along c.
  static func aharoniN(_ a: Double, _ b: Double, _ c: Double) -> Double {
    let a2 = a * a, b2 = b * b, c2 = c * c
    let abc = (a2 + b2 + c2).squareRoot()
    let ab = (a2 + b2).squareRoot(), bc = (b2 + c2).squareRoot(), ac = (a2 + c2).squareRoot()
    var s = (b2 - c2) / (2 * b * c) * Double.log((abc - a) / (abc + a))
    s += (a2 - c2) / (2 * a * c) * Double.log((abc - b) / (abc + b))
    s += b / (2 * c) * Double.log((ab + a) / (ab - a))
    s += a / (2 * c) * Double.log((ab + b) / (ab - b))
    s += c / (2 * a) * Double.log((bc - b) / (bc + b))
    s += c / (2 * b) * Double.log((ac - a) / (ac + a))
    s += 2 * Double.atan(a * b / (c * abc))
    s += (a2 * a + b2 * b - 2 * c2 * c) / (3 * a * b * c)
    s += (a2 + b2 - 2 * c2) / (3 * a * b * c) * abc
    s += c / (a * b) * (ac + bc)
    s -= ((a2 + b2) * ab + (b2 + c2) * bc + (c2 + a2) * ac) / (3 * a * b * c)
    return s / Double.pi
  }

  /// Nm = 1 − ⟨Bz⟩/J over the volume of a cylinder of radius 1 and length 2·x (axial J).
  static func cylinderMagnetometricN(lengthOverDiameter x: Double) -> Double {
    let z0 = x  // half length in units of the radius (L/2 / (D/2) = L/D)
    // Graded panels toward the rim (r = 1, |z| = z0), where Bz has a log singularity.
    let rEdges = [0.0, 0.5, 0.8, 0.95, 0.99, 0.999, 1.0]
    let zEdges = [0.0, 0.5, 0.8, 0.95, 0.99, 0.999, 1.0].map { $0 * z0 }
    var sum = 0.0
    for i in 0..<(rEdges.count - 1) {
      for (r, wr) in gaussLegendre(rEdges[i], rEdges[i + 1]) {
        for k in 0..<(zEdges.count - 1) {
          for (z, wz) in gaussLegendre(zEdges[k], zEdges[k + 1]) {
            sum += wr * wz * r * axialB(z0: z0, r: r, z: z).1
          }
        }
      }
    }
    // ⟨Bz⟩/J = (1/(π·1²·2z0)) ∫∫ Bz 2πr dr dz over z ∈ [−z0, z0] = (2/z0)·∫₀¹∫₀^{z0} Bz r dr dz
    let mean = 2 / z0 * sum
    return 1 - mean
  }

  /// 20-point Gauss–Legendre nodes and weights mapped to [lo, hi].
  static func gaussLegendre(_ lo: Double, _ hi: Double) -> [(Double, Double)] {
    let half = (hi - lo) / 2, mid = (hi + lo) / 2
    var out: [(Double, Double)] = []
    for (x, w) in zip(glNodes, glWeights) {
      out.append((mid - half * x, half * w))
      out.append((mid + half * x, half * w))
    }
    return out
  }
  static let glNodes: [Double] = [
    0.0765265211334973, 0.2277858511416451, 0.3737060887154195, 0.5108670019508271, 0.6360536807265150,
    0.7463319064601508, 0.8391169718222188, 0.9122344282513259, 0.9639719272779138, 0.9931285991850949,
  ]
  static let glWeights: [Double] = [
    0.1527533871307258, 0.1491729864726037, 0.1420961093183820, 0.1316886384491766, 0.1181945319615184,
    0.1019301198172404, 0.0832767415767048, 0.0626720483341091, 0.0406014298003869, 0.0176140071391521,
  ]
}

/// The duty a magnet must survive: temperature, working point and opposing field.
public struct Duty: Sendable, Hashable, Codable {
  /// Highest magnet temperature in °C.
  public var temperature: Double
  /// Permeance coefficient Pc = −B/(µ0H) at the worst point (dimensionless).
  public var permeanceCoefficient: Double
  /// Opposing (demagnetising) field inside the magnet in A/m, ≥ 0 (armature reaction at the
  /// highest current, from FEA or MMF/length).
  public var opposingField: Double
  /// Relative recoil permeability µrec.
  public var recoilPermeability: Double
  /// Squareness Hk/HcJ.
  public var squareness: Double
  /// Whether to start from datasheet minima (default) or typical Br.
  public var basis: PropertyBasis

  public init(
    temperature: Double, permeanceCoefficient: Double, opposingField: Double = 0, recoilPermeability: Double = 1.05,
    squareness: Double = 0.9, basis: PropertyBasis = .minimum
  ) {
    self.temperature = temperature
    self.permeanceCoefficient = permeanceCoefficient
    self.opposingField = opposingField
    self.recoilPermeability = recoilPermeability
    self.squareness = squareness
    self.basis = basis
  }

  /// Checks the inputs: Pc > 0 and finite, opposing field ≥ 0, µrec in [1, 2], squareness in (0, 1].
  public func validate() throws(MagnetError) {
    if !(permeanceCoefficient.isFinite && permeanceCoefficient > 0) {
      throw .invalid("Permeance coefficient must be a positive number; got \(permeanceCoefficient).")
    }
    if !(opposingField.isFinite && opposingField >= 0) {
      throw .invalid("Opposing field must be a non-negative field strength in A/m; got \(opposingField).")
    }
    if !(recoilPermeability >= 1 && recoilPermeability <= 2) {
      throw .invalid("Recoil permeability must be in 1...2; got \(recoilPermeability).")
    }
    if !(squareness > 0 && squareness <= 1) { throw .invalid("Squareness must be in (0, 1]; got \(squareness).") }
    if !(temperature.isFinite && temperature > -273.15) {
      throw .invalid("Temperature must be above -273.15 °C; got \(temperature).")
    }
  }
}

/// The result of a knee check (magnets.md §5, load line and knee check).
public struct WorkingPoint: Sendable, Hashable, Codable {
  public var grade: String
  public var properties: DeratedProperties
  /// Self-demagnetising field µ0H_self = −Br(T)/(Pc + µrec), here as H in A/m (negative).
  public var selfField: Double
  /// Total field H_tot = H_self − H_opp in A/m (negative).
  public var totalField: Double
  /// Flux density at the working point, B = Br + µ0µrec·H_tot, in T (on the recoil line).
  public var fluxDensity: Double
  /// Margin Hk(T) − |H_tot| in A/m; negative when the knee is crossed.
  public var margin: Double
  /// True when |H_tot| < Hk(T): the operating point stays on the linear recoil line.
  public var reversible: Bool
  /// Irreversible loss of remanence (fraction 0…1) when the knee is crossed: the recoil line
  /// re-settles at Br' ≈ µ0(Pc+µrec)(Hk − H_opp), loss = 1 − Br'/Br(T). A square-loop
  /// approximation, fit for flagging only; the flux does not return on cooling.
  public var irreversibleLoss: Double
  /// True when the duty temperature exceeds the grade's rated maximum working temperature.
  public var aboveRatedTemperature: Bool
}

extension Grade {
  /// Load line and knee check of this grade under `duty`.
  public func workingPoint(for duty: Duty) -> WorkingPoint {
    let p = derated(to: duty.temperature, basis: duty.basis, recoilPermeability: duty.recoilPermeability, squareness: duty.squareness)
    let k = duty.permeanceCoefficient + duty.recoilPermeability
    let hSelf = -p.br / (mu0 * k)
    let hTot = hSelf - duty.opposingField
    let margin = p.hk - abs(hTot)
    let reversible = abs(hTot) < p.hk
    var loss = 0.0
    if !reversible {
      let brPrime = mu0 * k * (p.hk - duty.opposingField)
      loss = min(1, max(0, 1 - brPrime / p.br))
    }
    return WorkingPoint(
      grade: name, properties: p, selfField: hSelf, totalField: hTot, fluxDensity: p.br + mu0 * duty.recoilPermeability * hTot,
      margin: margin, reversible: reversible, irreversibleLoss: loss, aboveRatedTemperature: duty.temperature > maxWorkingTemperature)
  }
}

/// One grade's verdict in a grade selection.
public struct GradeCandidate: Sendable, Hashable {
  public var grade: Grade
  public var workingPoint: WorkingPoint
  /// Dy+Tb mass fraction (kg/kg) for the chosen diffusion process.
  public var heavyRareEarthFraction: Double
  /// Survives: reversible, within rated temperature, and meets the required B.
  public var survives: Bool
  /// Why not, when it does not survive (empty otherwise).
  public var reasons: [String]
}

extension GradeCatalog {
  /// Every grade of the chosen families checked against `duty`, the survivors first ordered
  /// cheapest first (least Dy+Tb, then lowest Br min, then name), then the failures. "Cheapest"
  /// here means least heavy rare earth, the cost and supply driver; SmCo has none but costs
  /// more in Sm and Co, so it is only considered when `families` includes it.
  /// - Parameter requiredFluxDensity: minimum working-point B in T (0 for none).
  public func rank(
    for duty: Duty, families: Set<MagnetFamily> = [.ndFeB], process: DiffusionProcess = .bulk,
    requiredFluxDensity: Double = 0, requireRatedTemperature: Bool = true
  ) -> [GradeCandidate] {
    var out: [GradeCandidate] = []
    for g in grades where families.contains(g.family) {
      let wp = g.workingPoint(for: duty)
      var reasons: [String] = []
      if !wp.reversible {
        reasons.append("knee crossed by \(formatNumber(-wp.margin / 1000, significantDigits: 3)) kA/m (loss \(formatNumber(wp.irreversibleLoss * 100, significantDigits: 3)) %)")
      }
      if requireRatedTemperature && wp.aboveRatedTemperature {
        reasons.append("above rated \(formatNumber(g.maxWorkingTemperature, significantDigits: 4)) °C")
      }
      if wp.fluxDensity < requiredFluxDensity {
        reasons.append("B \(formatNumber(wp.fluxDensity, significantDigits: 4)) T below required")
      }
      out.append(
        GradeCandidate(
          grade: g, workingPoint: wp, heavyRareEarthFraction: g.heavyRareEarthFraction(process: process),
          survives: reasons.isEmpty, reasons: reasons))
    }
    return out.sorted { a, b in
      if a.survives != b.survives { return a.survives }
      if a.heavyRareEarthFraction != b.heavyRareEarthFraction { return a.heavyRareEarthFraction < b.heavyRareEarthFraction }
      if a.grade.brMin != b.grade.brMin { return a.grade.brMin < b.grade.brMin }
      return a.grade.name < b.grade.name
    }
  }

  /// The cheapest (least Dy+Tb) surviving grade, or nil when none survives.
  public func cheapestSurvivor(
    for duty: Duty, families: Set<MagnetFamily> = [.ndFeB], process: DiffusionProcess = .bulk, requiredFluxDensity: Double = 0
  ) -> GradeCandidate? {
    rank(for: duty, families: families, process: process, requiredFluxDensity: requiredFluxDensity).first { $0.survives }
  }
}

