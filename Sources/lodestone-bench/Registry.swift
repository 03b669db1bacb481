/// One named benchmark.
struct Benchmark: Sendable {
  let name: String
  let summary: String
  let run: @Sendable () -> Void
}

/// Wall-clock seconds taken by `body` (best of `repeats`).
func bestSeconds(repeats: Int = 5, _ body: () -> Void) -> Double {
  var best = Double.infinity
  for _ in 0..<repeats {
    let start = ContinuousClock.now
    body()
    let d = ContinuousClock.now - start
    let s = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    best = min(best, s)
  }
  return best
}

enum BenchmarkRegistry {
  /// Every benchmark; each capability adds its own entry here.
  static let all: [Benchmark] = [
    chemistryBenchmark,
    simulationBenchmark,
    simulationProfileBenchmark,
    runReportBenchmark,
    formatBenchmark,
    qualityControlBenchmark,
    riskBenchmark,
    magnetsBenchmark,
    optimizationBenchmark,
    separationBenchmark,
    ledgerBenchmark,
  ]
}
