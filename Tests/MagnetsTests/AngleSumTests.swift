import Foundation
import Testing

@testable import Magnets

/// The one-atan2 angle sum used by the cuboid field must equal the plain sum of atan2 calls
/// (the magpylib formula) for any arguments, including signed zeros and every quadrant.
@Suite struct AngleSumTests {
  /// A 64-bit LCG (Knuth MMIX constants), seeded per case so failures are reproducible.
  struct LCG {
    var state: UInt64
    mutating func next() -> Double {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Double(state >> 11) / Double(1 << 53)
    }
  }

  @Test(arguments: [1, 2, 3, 42, 2026] as [UInt64])
  func equalsPlainSum(seed: UInt64) {
    var rng = LCG(state: seed)
    var worst = 0.0
    let specials: [Double] = [0.0, -0.0, 1.0, -1.0, 1e-300, -3.5]
    for _ in 0..<20_000 {
      var s = AngleSum()
      var plain = 0.0
      for k in 0..<8 {
        var y = (rng.next() - 0.5) * 4, x = (rng.next() - 0.5) * 4
        if rng.next() < 0.1 { y = specials[Int(rng.next() * Double(specials.count)) % specials.count] }
        if rng.next() < 0.1 { x = specials[Int(rng.next() * Double(specials.count)) % specials.count] }
        if k % 3 == 0 {
          s.sub(y, x)
          plain -= atan2(y, x)
        } else {
          s.add(y, x)
          plain += atan2(y, x)
        }
      }
      worst = max(worst, abs(s.value - plain))
    }
    // 8 terms of magnitude ≤ π: rounding of the plain sum and of the product, ~1e-15
    #expect(worst < 1e-13)
  }

  /// The rough atan2 that picks the branch stays within π/16 (8 terms → ≤ π/2 < π).
  @Test func roughAtan2Bound() {
    var worst = 0.0
    for i in 0...3600 {
      let t = Double(i) / 3600 * 2 * Double.pi
      for r in [1e-3, 1.0, 7e4] {
        let y = r * sin(t), x = r * cos(t)
        var d = abs(AngleSum.roughAtan2(y, x) - atan2(y, x))
        d = min(d, abs(d - 2 * Double.pi))
        worst = max(worst, d)
      }
    }
    #expect(worst <= Double.pi / 16 + 1e-12)
  }

  /// The vector log and atan2 used by the batch kernel against libm on 40 000 arguments.
  @Test func vectorLogAndAtan2() {
    var rng = LCG(state: 7)
    var worstLog = 0.0, worstAtan = 0.0
    for _ in 0..<10_000 {
      var x = V4()
      for k in 0..<4 { x[k] = Foundation.exp((rng.next() - 0.5) * 200) }  // e^-100 … e^100
      let l = vlog(x)
      for k in 0..<4 {
        // absolute error for |ln x| < 1, relative above
        worstLog = max(worstLog, Swift.abs(l[k] - Foundation.log(x[k])) / max(1, Swift.abs(Foundation.log(x[k]))))
      }
    }
    for _ in 0..<10_000 {
      var x = V4(), y = V4()
      for k in 0..<4 {
        x[k] = (rng.next() - 0.5) * 10
        y[k] = (rng.next() - 0.5) * 10
      }
      let a = vatan2mod(y, x)
      for k in 0..<4 {
        var d = Swift.abs(a[k] - atan2(y[k], x[k]))
        d = min(d, Swift.abs(d - 2 * Double.pi))
        worstAtan = max(worstAtan, d)
      }
    }
    #expect(worstLog < 1e-15)
    #expect(worstAtan < 1e-15)
  }
}
