/// Which datasheet value a calculation starts from.
public enum PropertyBasis: String, CaseIterable, Sendable, Codable {
  /// Datasheet minima (Br min, HcJ min): the conservative choice for duty checks.
  case minimum
  /// Middle of the Br range; HcJ stays at its minimum (datasheets give no typical HcJ).
  case typical
}

/// A grade's reversible properties at one temperature, on the linear recoil model
/// (magnets.md §5): Br(T) = Br0·[1 + α/100·(T − 20 °C)], HcJ(T) = HcJ0·[1 + β/100·(T − 20 °C)],
/// recoil line B = Br + µ0·µrec·H.
public struct DeratedProperties: Sendable, Hashable, Codable {
  /// Temperature in °C.
  public var temperature: Double
  /// Remanence Br(T) in T.
  public var br: Double
  /// Intrinsic coercivity HcJ(T) in A/m.
  public var hcj: Double
  /// Knee field Hk(T) = squareness × HcJ(T) in A/m.
  public var hk: Double
  /// Normal coercivity HcB(T) in A/m: Br/(µ0µrec) when the recoil line reaches B = 0 before
  /// the knee, else HcJ(T) (the knee is in the second quadrant and B collapses there).
  public var hcb: Double
  /// (BH)max(T) in J/m³: Br²/(4µ0µrec) when the knee lies beyond H = −Br/(2µ0µrec); else the
  /// product at the knee, Hk·(Br − µ0µrec·Hk).
  public var bhMax: Double
  /// True when the B(H) knee lies in the second quadrant (Hk < Br/(µ0µrec)).
  public var kneeInSecondQuadrant: Bool
  /// Relative recoil permeability µrec used.
  public var recoilPermeability: Double
  /// Squareness Hk/HcJ used.
  public var squareness: Double

  /// B in T on the recoil line at field `h` (A/m, negative in the second quadrant); valid
  /// for h ≥ −Hk.
  public func recoilB(atH h: Double) -> Double { br + mu0 * recoilPermeability * h }
}

extension Grade {
  /// Reversible derating of Br and HcJ to `temperature` (°C); the coefficients are secants
  /// from 20 °C, so far above ~100 °C they are only indicative (HcJ(T) is convex).
  /// - Parameters:
  ///   - recoilPermeability: µrec (dimensionless), 1.05 by default (1.03–1.10 typical).
  ///   - squareness: Hk/HcJ, 0.90 by default (GB/T 13560 specifies it per grade).
  public func derated(
    to temperature: Double, basis: PropertyBasis = .minimum, recoilPermeability: Double = 1.05, squareness: Double = 0.9
  ) -> DeratedProperties {
    let dT = temperature - 20
    let br0 = basis == .minimum ? brMin : brTypical
    let br = br0 * (1 + alphaBr / 100 * dT)
    let hcj = max(0, hcjMin * (1 + betaHcJ / 100 * dT))
    let hk = squareness * hcj
    let mr = mu0 * recoilPermeability
    let hcbLinear = br / mr
    let second = hk < hcbLinear
    let hcb = hcj < hcbLinear ? hcj : hcbLinear
    let hOpt = br / (2 * mr)
    let bh = hk >= hOpt ? br * br / (4 * mr) : hk * (br - mr * hk)
    return DeratedProperties(
      temperature: temperature, br: br, hcj: hcj, hk: hk, hcb: hcb, bhMax: max(0, bh), kneeInSecondQuadrant: second,
      recoilPermeability: recoilPermeability, squareness: squareness)
  }
}
