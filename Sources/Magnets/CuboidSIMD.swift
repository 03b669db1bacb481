// A 4-lane (SIMD4<Double>) version of the cuboid field for the batch API. Same formula as
// `cuboidB`, with vector log and atan2 written here (the standard library has none); lanes on
// edges or with extreme arguments fall back to the scalar code. Tested to agree with the scalar
// path and with the magpylib fixtures (FieldTests).

@usableFromInline typealias V4 = SIMD4<Double>

/// |v| lane-wise (clears the sign bit, so −0 becomes +0).
@inlinable @inline(__always)
func vabs(_ v: V4) -> V4 {
  unsafeBitCast(unsafeBitCast(v, to: SIMD4<UInt64>.self) & 0x7fff_ffff_ffff_ffff, to: V4.self)
}

/// ln x for positive normal x, |error| ≲ 2 ulp: x = m·2^e with m ∈ [√½, √2),
/// ln m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.1716, series to s²³.
@inlinable @inline(__always)
func vlog(_ x: V4) -> V4 {
  let bits = unsafeBitCast(x, to: SIMD4<UInt64>.self)
  var e = V4(SIMD4<Int64>(truncatingIfNeeded: (bits &>> 52) & 0x7ff) &- 1023)
  var m = unsafeBitCast((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000, to: V4.self)
  let big = m .> 1.4142135623730951
  m.replace(with: m * 0.5, where: big)
  e.replace(with: e + 1, where: big)
  let f = m - 1
  let s = f / (2 + f)
  let z = s * s
  var p = V4(repeating: 1.0 / 23)
  p = p * z + 1.0 / 21
  p = p * z + 1.0 / 19
  p = p * z + 1.0 / 17
  p = p * z + 1.0 / 15
  p = p * z + 1.0 / 13
  p = p * z + 1.0 / 11
  p = p * z + 1.0 / 9
  p = p * z + 1.0 / 7
  p = p * z + 1.0 / 5
  p = p * z + 1.0 / 3
  // ln2 split (fdlibm) so e·ln2 keeps full precision
  return e * 6.93147180369123816490e-01 + (e * 1.90821492927058770002e-10 + 2 * s + 2 * s * z * p)
}

/// atan2(y, x) modulo 2π (the caller only needs the angle up to whole turns), for (x, y) ≠ 0.
/// Reduction to |t| ≤ tan(π/8), one angle halving to |h| ≤ tan(π/16), series to h²³.
@inlinable @inline(__always)
func vatan2mod(_ y: V4, _ x: V4) -> V4 {
  let ax = vabs(x), ay = vabs(y)
  let swap = ay .> ax
  let num = ax.replacing(with: ay, where: .!swap)
  let den = ay.replacing(with: ax, where: .!swap)
  // t = num/den, or (t − 1)/(t + 1) = (num − den)/(num + den) when t > tan(π/8): one division
  let red = num .> 0.41421356237309503 * den
  let t = (num - den).replacing(with: num, where: .!red) / (num + den).replacing(with: den, where: .!red)
  let off = V4(repeating: 0).replacing(with: Double.pi / 4, where: red)
  let h = t / (1 + (1 + t * t).squareRoot())
  let z = h * h
  var p = V4(repeating: -1.0 / 23)
  p = p * z + 1.0 / 21
  p = p * z - 1.0 / 19
  p = p * z + 1.0 / 17
  p = p * z - 1.0 / 15
  p = p * z + 1.0 / 13
  p = p * z - 1.0 / 11
  p = p * z + 1.0 / 9
  p = p * z - 1.0 / 7
  p = p * z + 1.0 / 5
  p = p * z - 1.0 / 3
  var r = off + 2 * (h + h * z * p)
  r.replace(with: Double.pi / 2 - r, where: swap)
  r.replace(with: Double.pi - r, where: x .< 0)
  r.replace(with: -r, where: y .< 0)
  return r
}

/// Vector form of `AngleSum` (see there).
@usableFromInline
struct AngleSum4 {
  @usableFromInline var re = V4(repeating: 1)
  @usableFromInline var im = V4(repeating: 0)
  @usableFromInline var estimate = V4(repeating: 0)

  @inlinable init() {}

  @inlinable @inline(__always)
  static func rough(_ y: V4, _ x: V4) -> V4 {
    let ax = vabs(x), ay = vabs(y)
    var r = V4(repeating: Double.pi / 16)
    r.replace(with: r + Double.pi / 8, where: ay .> 0.41421356237309503 * ax)
    r.replace(with: r + Double.pi / 8, where: ay .> ax)
    r.replace(with: r + Double.pi / 8, where: ay .> 2.414213562373095 * ax)
    let xneg = (unsafeBitCast(x, to: SIMD4<UInt64>.self) &>> 63) .!= 0
    let yneg = (unsafeBitCast(y, to: SIMD4<UInt64>.self) &>> 63) .!= 0
    r.replace(with: Double.pi - r, where: xneg)
    r.replace(with: -r, where: yneg)
    return r
  }

  @inlinable @inline(__always)
  mutating func add(_ y: V4, _ x: V4) {
    estimate += AngleSum4.rough(y, x)
    let r = re * x - im * y
    im = re * y + im * x
    re = r
  }

  @inlinable @inline(__always)
  mutating func sub(_ y: V4, _ x: V4) {
    estimate -= AngleSum4.rough(y, x)
    let r = re * x + im * y
    im = im * x - re * y
    re = r
  }

  /// False in lanes whose product left [1e-250, 1e250] or is not finite (a zero factor, or
  /// points absurdly far away or close to a corner): recompute those with the scalar code,
  /// which rescales term by term. Checking once at the end is enough because factors are
  /// O(1) for any sensible point once lengths are scaled by the magnet size.
  @inlinable var valid: SIMDMask<SIMD4<Int64>> {
    let m = pointwiseMax(vabs(re), vabs(im))
    return (m .>= 1e-250) .& (m .<= 1e250)
  }

  @inlinable var value: V4 {
    let principal = vatan2mod(im, re)
    let turns = ((estimate - principal) * (1 / (2 * Double.pi))).rounded(.toNearestOrAwayFromZero)
    return principal + turns * (2 * Double.pi)
  }
}

/// B (units of J) of a cuboid with half-sides (a0, b0, c0) and polarisation `j` at four body-
/// frame points; `valid` is false in lanes the caller must redo with `cuboidB` (edges, extreme
/// arguments). Inside-ness is left to the caller.
@inlinable @inline(__always)
func cuboidB4(_ a0: Double, _ b0: Double, _ c0: Double, _ j: Vector3, _ px: V4, _ py: V4, _ pz: V4)
  -> (bx: V4, by: V4, bz: V4, valid: SIMDMask<SIMD4<Int64>>)
{
  let one = V4(repeating: 1)
  let sx = one.replacing(with: -1, where: px .< 0)
  let sy = one.replacing(with: -1, where: py .> 0)
  let sz = one.replacing(with: -1, where: pz .> 0)
  let inv = 1 / max(a0, b0, c0)
  let x = px * sx * inv, y = py * sy * inv, z = pz * sz * inv
  let a = a0 * inv, b = b0 * inv, c = c0 * inv
  let qx = j.x * sx, qy = j.y * sy, qz = j.z * sz

  let xma = x - a, xpa = x + a, ymb = y - b, ypb = y + b, zmc = z - c, zpc = z + c
  let xma2 = xma * xma, xpa2 = xpa * xpa, ymb2 = ymb * ymb, ypb2 = ypb * ypb
  let zmc2 = zmc * zmc, zpc2 = zpc * zpc
  let mmm = (xma2 + ymb2 + zmc2).squareRoot()
  let pmp = (xpa2 + ymb2 + zpc2).squareRoot()
  let pmm = (xpa2 + ymb2 + zmc2).squareRoot()
  let mmp = (xma2 + ymb2 + zpc2).squareRoot()
  let mpm = (xma2 + ypb2 + zmc2).squareRoot()
  let ppp = (xpa2 + ypb2 + zpc2).squareRoot()
  let ppm = (xpa2 + ypb2 + zmc2).squareRoot()
  let mpp = (xma2 + ypb2 + zpc2).squareRoot()

  var valid = SIMDMask<SIMD4<Int64>>(repeating: true)
  func logRatio(_ r: V4) -> V4 {
    valid = valid .& (r .>= 1e-300) .& (r .<= 1e300)
    return vlog(r)
  }
  var bx = V4(repeating: 0), by = V4(repeating: 0), bz = V4(repeating: 0)
  var ff2x = V4(repeating: 0), ff2y = V4(repeating: 0), ff2z = V4(repeating: 0)
  if j.y != 0 || j.z != 0 {
    ff2x = logRatio(
      ((xma + mmm) * (xpa + ppm) * (xpa + pmp) * (xma + mpp)) / ((xpa + pmm) * (xma + mpm) * (xma + mmp) * (xpa + ppp)))
  }
  if j.x != 0 || j.z != 0 {
    ff2y = logRatio(
      ((mmm - ymb) * (ppm - ypb) * (pmp - ymb) * (mpp - ypb)) / ((pmm - ymb) * (mpm - ypb) * (ymb - mmp) * (ypb - ppp)))
  }
  if j.x != 0 || j.y != 0 {
    ff2z = logRatio(
      ((mmm - zmc) * (ppm - zmc) * (pmp - zpc) * (mpp - zpc)) / ((pmm - zmc) * (zmc - mpm) * (mmp - zpc) * (zpc - ppp)))
  }
  if j.x != 0 {
    var s = AngleSum4()
    s.add(ymb * zmc, xma * mmm); s.sub(ymb * zmc, xpa * pmm); s.sub(ypb * zmc, xma * mpm); s.add(ypb * zmc, xpa * ppm)
    s.sub(ymb * zpc, xma * mmp); s.add(ymb * zpc, xpa * pmp); s.add(ypb * zpc, xma * mpp); s.sub(ypb * zpc, xpa * ppp)
    valid = valid .& s.valid
    bx += qx * s.value
    by += qx * ff2z
    bz += qx * ff2y
  }
  if j.y != 0 {
    var s = AngleSum4()
    s.add(xma * zmc, ymb * mmm); s.sub(xpa * zmc, ymb * pmm); s.sub(xma * zmc, ypb * mpm); s.add(xpa * zmc, ypb * ppm)
    s.sub(xma * zpc, ymb * mmp); s.add(xpa * zpc, ymb * pmp); s.add(xma * zpc, ypb * mpp); s.sub(xpa * zpc, ypb * ppp)
    valid = valid .& s.valid
    bx += qy * ff2z
    by += qy * s.value
    bz -= qy * ff2x
  }
  if j.z != 0 {
    var s = AngleSum4()
    s.add(xma * ymb, zmc * mmm); s.sub(xpa * ymb, zmc * pmm); s.sub(xma * ypb, zmc * mpm); s.add(xpa * ypb, zmc * ppm)
    s.sub(xma * ymb, zpc * mmp); s.add(xpa * ymb, zpc * pmp); s.add(xma * ypb, zpc * mpp); s.sub(xpa * ypb, zpc * ppp)
    valid = valid .& s.valid
    bx += qz * ff2y
    by -= qz * ff2x
    bz += qz * s.value
  }
  let k = 1 / (4 * Double.pi)
  return (bx * sx * k, by * sy * k, bz * sz * k, valid)
}

extension Magnet {
  /// Fields at `count` points starting at `src`, written to `dst`, four at a time when the
  /// magnet is a cuboid (scalar otherwise and for lanes the vector code cannot take).
  @inlinable
  func fieldsBlock(_ src: UnsafePointer<Vector3>, _ dst: UnsafeMutablePointer<FieldSample>, count: Int) {
    guard case .cuboid(let sides) = shape, polarization != .zero else {
      for i in 0..<count { (dst + i).initialize(to: field(at: src[i])) }
      return
    }
    let a0 = Swift.abs(sides.x) / 2, b0 = Swift.abs(sides.y) / 2, c0 = Swift.abs(sides.z) / 2
    let j = polarization
    let identity = orientation.isIdentity
    let tol = 1e-15
    var i = 0
    while i + 4 <= count {
      var lx = V4(), ly = V4(), lz = V4()
      for k in 0..<4 {
        let d = src[i + k] - position
        let l = identity ? d : orientation.applyInverse(d)
        lx[k] = l.x
        ly[k] = l.y
        lz[k] = l.z
      }
      let dx = vabs(lx) - a0, dy = vabs(ly) - b0, dz = vabs(lz) - c0
      let inX = dx .< tol * a0, inY = dy .< tol * b0, inZ = dz .< tol * c0
      let inside = inX .& inY .& inZ
      let sX = vabs(dx) .< tol * a0, sY = vabs(dy) .< tol * b0, sZ = vabs(dz) .< tol * c0
      let edge = (sY .& sZ .& inX) .| (sX .& sZ .& inY) .| (sX .& sY .& inZ)
      let r = cuboidB4(a0, b0, c0, j, lx, ly, lz)
      let ok = r.valid .& .!edge
      for k in 0..<4 {
        if !ok[k] {
          (dst + i + k).initialize(to: field(at: src[i + k]))
          continue
        }
        var b = Vector3(r.bx[k], r.by[k], r.bz[k])
        var h = (inside[k] ? b - j : b) * (1 / mu0)
        if !identity {
          b = orientation.apply(b)
          h = orientation.apply(h)
        }
        (dst + i + k).initialize(to: FieldSample(b: b, h: h))
      }
      i += 4
    }
    while i < count {
      (dst + i).initialize(to: field(at: src[i]))
      i += 1
    }
  }
}
