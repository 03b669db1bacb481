import Foundation
import Quantities
import Simulation
import SupplyChain

let simulationBenchmark = Benchmark(name: "engine", summary: "monthly engine throughput on generated networks (site-months per second, one core)") {
  print("sites  materials  months  processes  links  policies  balance  runs      s/run   site-months/s")
  let months = Int(ProcessInfo.processInfo.environment["ENGINE_BENCH_MONTHS"] ?? "") ?? 60
  // ENGINE_BENCH_SIZES=50x5,200x8 runs only those sizes; ENGINE_BENCH_BALANCE=on|off only one mode.
  let env = ProcessInfo.processInfo.environment
  let sizes = env["ENGINE_BENCH_SIZES"].map { text in
    text.split(separator: ",").compactMap { pair -> (Int, Int)? in
      let p = pair.split(separator: "x").compactMap { Int($0) }
      return p.count == 2 ? (p[0], p[1]) : nil
    }
  } ?? [(10, 3), (50, 5), (200, 8), (1000, 10), (5000, 10)]
  let modes = env["ENGINE_BENCH_BALANCE"].map { [$0 == "on"] } ?? [true, false]
  for (sites, materials) in sizes {
    let s = ScenarioGenerator(sites: sites, materials: materials, months: months).make(seed: 7)
    guard let engine = try? SimulationEngine(scenario: s) else {
      print("generated scenario invalid for \(sites) sites")
      continue
    }
    for balance in modes {
      let runs = max(1, 20_000 / sites)
      var checksum = 0.0
      let t = bestSeconds(repeats: 9) {
        for _ in 0..<runs { checksum += engine.run(checkBalance: balance).demands.first?.met.last ?? 0 }
      }
      let perRun = t / Double(runs)
      let rate = Double(sites * months) / perRun
      let cols: [String] = [
        "\(sites)", "\(materials)", "\(months)", "\(s.processes.count)", "\(s.links.count)", "\(s.policies.count)", balance ? "on" : "off", "\(runs)",
        formatNumber(perRun, significantDigits: 3), formatNumber(rate, significantDigits: 3),
      ]
      let widths = [5, 9, 6, 9, 5, 8, 7, 4, 10, 15]
      print(zip(cols, widths).map { String(repeating: " ", count: max(0, $1 - $0.count)) + $0 }.joined(separator: "  ") + (checksum < 0 ? "!" : ""))
    }
  }
}

/// A fixed small workload for instruction-level profiling (`valgrind --tool=callgrind`).
let simulationProfileBenchmark = Benchmark(name: "engine-profile", summary: "200 runs of a 20-site network (for profilers)") {
  let s = ScenarioGenerator(sites: 20, materials: 4, months: 60).make(seed: 7)
  guard let engine = try? SimulationEngine(scenario: s) else { return }
  var checksum = 0.0
  for _ in 0..<200 { checksum += engine.run().demands.first?.met.last ?? 0 }
  print("checksum \(formatNumber(checksum, significantDigits: 6))")
}
