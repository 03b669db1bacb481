import Foundation

/// A counter-based random stream: value `k` of the stream keyed by `(seed, replication, input)` is a
/// pure function of those four numbers (a SplitMix64 finaliser chain), so a replication draws the same
/// numbers whichever thread, shard or order runs it.
public struct KeyedStream: RandomNumberGenerator, Sendable {
  public let key: UInt64
  public private(set) var counter: UInt64 = 0

  public init(seed: UInt64, replication: Int, input: Int) {
    key = KeyedStream.mix(KeyedStream.mix(KeyedStream.mix(seed ^ 0x6A09_E667_F3BC_C909) ^ UInt64(truncatingIfNeeded: replication)) ^ (UInt64(truncatingIfNeeded: input) &* 0x9E37_79B9_7F4A_7C15))
  }

  /// The SplitMix64 output function (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
  @inlinable public static func mix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The `k`-th 64-bit value of the stream, without advancing it.
  public func value(at k: UInt64) -> UInt64 { KeyedStream.mix(key ^ KeyedStream.mix(k &* 0xD1B5_4A32_D192_ED03)) }

  public mutating func next() -> UInt64 {
    defer { counter &+= 1 }
    return value(at: counter)
  }

  /// A uniform double strictly inside (0, 1), so inverse CDFs stay finite.
  public mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }
}
