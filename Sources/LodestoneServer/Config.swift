import Foundation

/// How `lodestone serve` runs. Sizes in bytes, durations in seconds.
public struct ServerConfig: Sendable {
  /// Interface to bind, e.g. `127.0.0.1` or `0.0.0.0`.
  public var host: String = "127.0.0.1"
  /// TCP port; 0 picks a free one.
  public var port: Int = 8080
  /// Directory for stored scenarios (and, with the ledger store, `lodestone.db`); nil keeps everything in memory.
  public var dataDirectory: String?
  /// Accepted tokens.
  public var tokens = TokenTable()
  /// Require a token even on a loopback address.
  public var requireTokenFlag = false
  /// Largest request body accepted, in bytes (larger → 413).
  public var maxBodyBytes: Int = 1 << 20
  /// Wall-clock limit of one job, in seconds.
  public var jobTimeout: Double = 300
  /// Jobs that may compute at the same time (the rest wait in the queue).
  public var concurrentJobs: Int = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)

  public init() {}

  /// True when the bound address is reachable only from this machine.
  public var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.") }

  /// Every route but `/health` needs a token: on a non-loopback address, or when asked.
  public var requiresToken: Bool { requireTokenFlag || !isLoopback }
}

/// Parses "1MB", "512kB", "2 MiB", "1048576" into bytes. Like nginx, k and M are binary (1 MB = 1 MiB = 1048576 bytes).
public func parseByteSize(_ text: String) -> Int? {
  let t = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "")
  let units: [(String, Double)] = [("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824), ("kb", 1024), ("mb", 1_048_576), ("gb", 1_073_741_824), ("k", 1024), ("m", 1_048_576), ("b", 1)]
  for (u, f) in units where t.hasSuffix(u) {
    guard let v = Double(t.dropLast(u.count)), v > 0, v * f < 1e12 else { return nil }
    return Int(v * f)
  }
  guard let v = Int(t), v > 0 else { return nil }
  return v
}

/// Parses "300s", "5m", "1h", "90" (seconds) into seconds.
public func parseSeconds(_ text: String) -> Double? {
  let t = text.trimmingCharacters(in: .whitespaces).lowercased()
  let units: [(String, Double)] = [("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
  for (u, f) in units where t.hasSuffix(u) {
    guard let v = Double(t.dropLast(u.count)), v > 0, v.isFinite else { return nil }
    return v * f
  }
  guard let v = Double(t), v > 0, v.isFinite else { return nil }
  return v
}
