import RealModule

/// A vector in metres, tesla or A/m depending on context (each API states which).
public typealias Vector3 = SIMD3<Double>

/// The magnetic constant µ0 in H/m (T·m/A), CODATA 2022, the value magpylib 6 uses
/// (`magpylib.mu_0`), not 4π·1e-7.
public let mu0: Double = 1.25663706127e-6

/// A proper rotation (3×3 orthonormal matrix, rows stored) that turns a magnet's body frame
/// into the global frame: `global = matrix · body`.
public struct Rotation: Sendable, Hashable {
  /// Row vectors of the matrix.
  public var r0: Vector3, r1: Vector3, r2: Vector3

  /// The identity (body frame = global frame).
  public static let identity = Rotation(rows: Vector3(1, 0, 0), Vector3(0, 1, 0), Vector3(0, 0, 1))

  public init(rows r0: Vector3, _ r1: Vector3, _ r2: Vector3) {
    self.r0 = r0
    self.r1 = r1
    self.r2 = r2
  }

  /// A rotation by `angle` radians about `axis` (need not be unit length; a zero axis gives
  /// the identity), right-handed (Rodrigues' formula). Same convention as scipy's
  /// `Rotation.from_rotvec(angle · axis/|axis|)`.
  public init(axis: Vector3, angle: Double) {
    let n = (axis * axis).sum().squareRoot()
    guard n > 0, angle != 0 else {
      self = .identity
      return
    }
    let u = axis / n
    let c = Double.cos(angle), s = Double.sin(angle), t = 1 - c
    r0 = Vector3(t * u.x * u.x + c, t * u.x * u.y - s * u.z, t * u.x * u.z + s * u.y)
    r1 = Vector3(t * u.x * u.y + s * u.z, t * u.y * u.y + c, t * u.y * u.z - s * u.x)
    r2 = Vector3(t * u.x * u.z - s * u.y, t * u.y * u.z + s * u.x, t * u.z * u.z + c)
  }

  /// A rotation from a rotation vector (axis × angle in radians).
  public init(rotationVector v: Vector3) {
    self.init(axis: v, angle: (v * v).sum().squareRoot())
  }

  /// `matrix · v` (body → global).
  @inlinable public func apply(_ v: Vector3) -> Vector3 {
    Vector3((r0 * v).sum(), (r1 * v).sum(), (r2 * v).sum())
  }

  /// `matrixᵀ · v` (global → body).
  @inlinable public func applyInverse(_ v: Vector3) -> Vector3 {
    r0 * v.x + r1 * v.y + r2 * v.z
  }

  /// True when this is exactly the identity (lets batch code skip the transforms).
  public var isIdentity: Bool { self == .identity }
}
