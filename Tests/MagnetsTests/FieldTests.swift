import Foundation
import Magnets
import TestSupport
import Testing

/// One row of `Tests/Fixtures/magnets/fields.csv` (made by Benchmarks/magpylib/make_fixtures.py
/// with magpylib 6.2.0).
struct FieldFixture: Sendable, CustomTestStringConvertible {
  let line: Int
  let name: String
  let magnet: Magnet
  let point: Vector3
  let b: Vector3
  let h: Vector3
  var testDescription: String { "\(name) line \(line)" }
}

func loadFieldFixtures() -> [FieldFixture] {
  guard let text = try? fixtureText("magnets/fields.csv") else { return [] }
  var out: [FieldFixture] = []
  for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
    if line.hasPrefix("#") || line.hasPrefix("case") || line.isEmpty { continue }
    let f = line.split(separator: ",").map(String.init)
    let v = f.dropFirst(2).compactMap(Double.init)
    guard f.count == 23, v.count == 21 else { continue }
    let a = Array(v)
    let rot = Rotation(rotationVector: Vector3(a[9], a[10], a[11]))
    let j = Vector3(a[3], a[4], a[5]), pos = Vector3(a[6], a[7], a[8])
    let m: Magnet =
      f[1] == "cuboid"
      ? .cuboid(sides: Vector3(a[0], a[1], a[2]), polarization: j, position: pos, orientation: rot)
      : .cylinder(diameter: a[0], height: a[1], polarization: j, position: pos, orientation: rot)
    out.append(
      FieldFixture(
        line: i + 1, name: f[0], magnet: m, point: Vector3(a[12], a[13], a[14]),
        b: Vector3(a[15], a[16], a[17]), h: Vector3(a[18], a[19], a[20])))
  }
  return out
}

func norm(_ v: Vector3) -> Double { (v * v).sum().squareRoot() }

@Suite struct FieldTests {
  static let fixtures = loadFieldFixtures()

  @Test func fixturesArePresent() {
    // 5 magnets × (52 + 4 [+ 8 near-axis for cylinders]) observers + 32 on edge extensions
    #expect(Self.fixtures.count == 336)
  }

  /// Agreement with magpylib 6: |ΔB| ≤ 1e-9·|B| and |ΔH| ≤ 1e-9·|H| (vector norms, so a
  /// vanishing component is not judged on its own relative error).
  @Test(arguments: loadFieldFixtures())
  func matchesMagpylib(_ c: FieldFixture) {
    let f = c.magnet.field(at: c.point)
    #expect(norm(f.b - c.b) <= 1e-9 * norm(c.b), "B \(f.b) vs magpylib \(c.b)")
    #expect(norm(f.h - c.h) <= 1e-9 * norm(c.h), "H \(f.h) vs magpylib \(c.h)")
  }

  /// The batch API (4-lane vector kernel for cuboids, split over cores) against magpylib too.
  @Test(arguments: ["cuboid-axial", "cuboid-oblique", "cylinder-axial", "cylinder-diametral", "cylinder-oblique", "cuboid-edge-extensions"])
  func batchMatchesMagpylib(_ name: String) {
    let cases = Self.fixtures.filter { $0.name == name }
    #expect(cases.count >= 32)
    guard let magnet = cases.first?.magnet else { return }
    let out = magnet.fields(at: cases.map(\.point))
    for (f, c) in zip(out, cases) {
      #expect(norm(f.b - c.b) <= 1e-9 * norm(c.b), "line \(c.line): B \(f.b) vs \(c.b)")
      #expect(norm(f.h - c.h) <= 1e-9 * norm(c.h), "line \(c.line): H \(f.h) vs \(c.h)")
    }
  }

  @Test func batchEqualsPointwise() {
    // The batch API (vector kernel, split over cores) agrees with the per-point results to
    // rounding (1e-13 of |B|), including points on faces, edges (→ 0) and corners.
    let m = Magnet.cuboid(sides: Vector3(0.01, 0.01, 0.005), polarization: Vector3(0, 0, 1.3))
    var pts: [Vector3] = []
    for i in 0..<10_000 {
      let x = Double(i % 37) * 1e-3 - 0.018
      let y = Double(i % 23) * 1e-3 - 0.011
      let z = Double(i % 11) * 1e-3 - 0.0049
      pts.append(Vector3(x, y, z))
    }
    pts += [Vector3(0.005, 0.005, 0.0025), Vector3(0.005, 0.001, 0.0025), Vector3(0, 0, 0.0025), Vector3(-0.005, 0, 0), Vector3(0.005, 0.005, 0.01)]
    // on extensions of edges: a zero factor in the arctangent product (vector lanes fall back)
    pts += [Vector3(0.005, 0.015, -0.0025), Vector3(-0.005, -0.015, 0.0025), Vector3(0.02, 0.005, 0.0025)]
    for r in [Rotation.identity, Rotation(axis: Vector3(1, -1, 2), angle: 0.9)] {
      let mr = Magnet.cuboid(sides: Vector3(0.01, 0.01, 0.005), polarization: Vector3(0.2, -0.4, 1.3), orientation: r)
      for magnet in [m, mr] {
        let batch = magnet.fields(at: pts)
        #expect(batch.count == pts.count)
        var worst = 0.0
        for (f, p) in zip(batch, pts) {
          let g = magnet.field(at: p)
          worst = max(worst, norm(f.b - g.b) / max(norm(g.b), 1e-300), norm(f.h - g.h) / max(norm(g.h), 1e-300))
          if g.b == .zero { #expect(f.b == .zero) }
        }
        #expect(worst < 1e-13)
      }
    }
  }

  /// On-axis closed forms (magnets.md §3), independent of the 3-D charge formula:
  /// cylinder Bz = (J/2)[(z+L/2)/√((z+L/2)²+R²) − (z−L/2)/√((z−L/2)²+R²)];
  /// block Bz = (J/π)[atan2(ab, (z−c)√(a²+b²+(z−c)²)) − atan2(ab, (z+c)√(a²+b²+(z+c)²))].
  /// Valid inside and outside. Hand check at z = 3.5 mm: cylinder 0.343263 T, block 0.360122 T.
  @Test(arguments: [-0.02, -0.0035, -0.001, 0.0, 0.0012, 0.0026, 0.0035, 0.0075, 0.0225])
  func onAxisClosedForms(_ z: Double) {
    let R = 0.005, L = 0.005, Jc = 1.2
    let cyl = Magnet.cylinder(diameter: 2 * R, height: L, polarization: Vector3(0, 0, Jc))
    let zp = z + L / 2, zm = z - L / 2
    let bCyl = Jc / 2 * (zp / (zp * zp + R * R).squareRoot() - zm / (zm * zm + R * R).squareRoot())
    #expect(approx(cyl.field(at: Vector3(0, 0, z)).b.z, bCyl, rel: 1e-12))
    let a = 0.005, b = 0.005, c = 0.0025, Jb = 1.3
    let blk = Magnet.cuboid(sides: Vector3(2 * a, 2 * b, 2 * c), polarization: Vector3(0, 0, Jb))
    let s2 = a * a + b * b
    let t1: Double = atan2(a * b, (z - c) * (s2 + (z - c) * (z - c)).squareRoot())
    let t2: Double = atan2(a * b, (z + c) * (s2 + (z + c) * (z + c)).squareRoot())
    let bBlk = Jb / Double.pi * (t1 - t2)
    #expect(approx(blk.field(at: Vector3(0, 0, z)).b.z, bBlk, rel: 1e-12))
  }

  @Test func handCheckedValues() {
    // magnets.md §3 hand check: 6/√61 − 1/√26 = 0.572105; × 0.6 T = 0.343263 T.
    let cyl = Magnet.cylinder(diameter: 0.01, height: 0.005, polarization: Vector3(0, 0, 1.2))
    #expect(approx(cyl.field(at: Vector3(0, 0, 0.0035)).b.z, 0.343263, rel: 2e-6))
    // block: 1.3/π·(1.292550 − 0.422274) = 0.360122 T
    let blk = Magnet.cuboid(sides: Vector3(0.01, 0.01, 0.005), polarization: Vector3(0, 0, 1.3))
    #expect(approx(blk.field(at: Vector3(0, 0, 0.0035)).b.z, 0.360122, rel: 2e-6))
  }

  /// Far away every magnet is a dipole m = J·V/µ0: B = µ0/(4π)·(3(m·r̂)r̂ − m)/r³.
  /// At 1000 sizes the quadrupole-free shapes (centrosymmetric) agree to ~(size/r)² = 1e-6.
  @Test(arguments: [
    Magnet.cuboid(sides: Vector3(0.004, 0.007, 0.003), polarization: Vector3(0.3, -0.5, 1.1), orientation: Rotation(axis: Vector3(1, 2, 3), angle: 0.7)),
    Magnet.cylinder(diameter: 0.006, height: 0.012, polarization: Vector3(0.4, 0.7, -0.9), orientation: Rotation(axis: Vector3(-1, 0, 2), angle: 1.1)),
  ])
  func farFieldIsDipole(_ m: Magnet) {
    let volume: Double
    switch m.shape {
    case .cuboid(let s): volume = s.x * s.y * s.z
    case .cylinder(let d, let h): volume = Double.pi * d * d / 4 * h
    }
    let moment = m.orientation.apply(m.polarization) * (volume / mu0)
    for dir in [Vector3(1, 0, 0), Vector3(0.3, -0.8, 0.52), Vector3(-0.1, 0.2, -0.97)] {
      let rhat = dir / norm(dir)
      let r = 10.0
      let mr: Double = (moment * rhat).sum()
      let k: Double = mu0 / (4 * Double.pi) / (r * r * r)
      let dip: Vector3 = (rhat * (3 * mr) - moment) * k
      let f = m.field(at: rhat * r)
      #expect(norm(f.b - dip) <= 1e-5 * norm(dip))
    }
  }

  /// Inside the magnet B = µ0H + J; outside B = µ0H (exactly, by construction of H).
  @Test func insideRelationBHJ() {
    let j = Vector3(1.2, 0, 0)
    let m = Magnet.cylinder(diameter: 0.01, height: 0.005, polarization: j)
    let inside = m.field(at: Vector3(0.001, 0.002, 0.001))
    #expect(norm(inside.b - inside.h * mu0 - j) <= 1e-15)
    let outside = m.field(at: Vector3(0.006, 0.002, 0.001))
    #expect(norm(outside.b - outside.h * mu0) <= 1e-15)
    // magnets.md §3: diametral cylinder centre Bx = 0.931672 T (magpylib), independent of our code
    #expect(approx(m.field(at: .zero).b.x, 0.931672, rel: 1e-6))
  }

  /// Stated edge behaviour: exactly on an edge the field is (0, 0, 0), as in magpylib.
  @Test func edgesReturnZero() {
    let blk = Magnet.cuboid(sides: Vector3(0.01, 0.01, 0.005), polarization: Vector3(0, 0, 1.3))
    #expect(blk.field(at: Vector3(0.005, 0.001, 0.0025)).b == .zero)
    let cyl = Magnet.cylinder(diameter: 0.01, height: 0.005, polarization: Vector3(0.5, 0, 1.2))
    #expect(cyl.field(at: Vector3(0, 0.005, -0.0025)).b == .zero)
  }

  /// Rotation(rotationVector:) must be scipy's from_rotvec: a quarter turn about z maps x to y.
  @Test func rotationConvention() {
    let r = Rotation(rotationVector: Vector3(0, 0, Double.pi / 2))
    #expect(norm(r.apply(Vector3(1, 0, 0)) - Vector3(0, 1, 0)) < 1e-15)
    #expect(norm(r.applyInverse(r.apply(Vector3(0.3, -2, 5))) - Vector3(0.3, -2, 5)) < 1e-14)
  }

  /// Complete elliptic integrals against tabulated values (Abramowitz & Stegun table 17.1,
  /// m = 0.5: K = 1.8540746773, E = 1.3506438810) and K(0) = E(0) = π/2.
  @Test func ellipticIntegrals() {
    #expect(approx(ellipticK(0.5), 1.854074677301372, rel: 1e-14))
    #expect(approx(ellipticE(0.5), 1.350643881047675, rel: 1e-14))
    #expect(approx(ellipticK(0), Double.pi / 2, rel: 1e-15))
    // m < 0 (used by the diametral field): K(−1) = 1.311028777146060 (DLMF 19.2 via K(m) = K(m/(m−1))/√(1−m))
    #expect(approx(ellipticK(-1), 1.311028777146060, rel: 1e-14))
  }
}
