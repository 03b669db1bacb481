import Foundation
import Quantities
import Risk
import Simulation
import SupplyChain

/// Monte Carlo throughput: the toy model (against NumPy in the same run), a generated 20-site network
/// and the India demo, 10 000 replications × 60 months each, on all cores.
let riskBenchmark = Benchmark(name: "risk", summary: "Monte Carlo: 10 000 replications x 60 months (toy vs NumPy, 20-site network, India demo)") {
  let cores = ProcessInfo.processInfo.activeProcessorCount
  let runs = 10_000
  func time(_ body: () throws -> RiskPartial) -> (Double, RiskPartial?) {
    var out: RiskPartial?
    let t = bestSeconds(repeats: 1) { out = try? body() }
    return (t, out)
  }
  print("study                          threads   runs  months  inputs      s   runs/s  check")
  func row(_ name: String, _ threads: Int, _ months: Int, _ inputs: Int, _ t: Double, _ check: String) {
    let cols = [name, "\(threads)", "\(runs)", "\(months)", "\(inputs)", fixedFormat(t, decimals: 2), formatNumber(Double(runs) / t, significantDigits: 3), check]
    let widths = [-29, 8, 6, 7, 7, 6, 8, -1]
    print(zip(cols, widths).map { $1 < 0 ? $0 + String(repeating: " ", count: max(0, -$1 - $0.count)) : String(repeating: " ", count: max(0, $1 - $0.count)) + $0 }.joined(separator: "  "))
  }

  // 1. Toy model, Swift (full engine) vs NumPy (hand-vectorised recursion).
  let q = 0.3, k = 1, T = 60
  let toy = RiskStudy(
    base: RiskExamples.singleSupplier(months: T, reserveMonths: k),
    spec: UncertaintySpec(inputs: [UncertainInput(name: "ban", target: .policyMonthly("ban"), distribution: .bernoulli(p: q))]), seed: 1)
  let (tToy, pToy) = time { try MonteCarlo(study: toy, threads: cores).run(MonteCarlo.replications(runs: runs)) }
  let swiftMonths = pToy?.scalar("shortfall-months")?.mean ?? .nan
  row("toy single supplier", cores, T, 1, tToy, "shortfall months \(fixedFormat(swiftMonths, decimals: 3)) (exact \(fixedFormat(Double(T - k) * pow(q, Double(k + 1)), decimals: 3)))")
  let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Benchmarks/numpy/toy_model.py").path
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = ["python3", script, "\(runs)", "\(T)", "\(q)", "\(k)"]
  let pipe = Pipe()
  p.standardOutput = pipe
  if (try? p.run()) != nil {
    p.waitUntilExit()
    let f = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    if p.terminationStatus == 0, f.count == 3 {
      row("toy single supplier (NumPy)", 1, T, 1, f[0], "shortfall months \(fixedFormat(f[1], decimals: 3))")
      print("Swift/NumPy time ratio on the toy model: \(fixedFormat(tToy / f[0], decimals: 1)) (Swift runs the full monthly engine per replication; NumPy a hand-vectorised 3-line recursion)")
    } else {
      print("NumPy reference failed (status \(p.terminationStatus)); is numpy installed?")
    }
  } else {
    print("python3 not found; NumPy comparison skipped")
  }

  // 2. Generated 20-site network, 60 months.
  let g = ScenarioGenerator(sites: 20, materials: 4, months: 60).make(seed: 7)
  let gs = RiskStudy(base: g, spec: RiskExamples.generatedUncertainty(for: g), seed: 1)
  for threads in Set([1, cores]).sorted() {
    let (t, pg) = time { try MonteCarlo(study: gs, threads: threads).run(MonteCarlo.replications(runs: runs)) }
    row("generated 20 sites (\(g.processes.count) proc, \(g.links.count) links)", threads, 60, gs.spec.inputs.count, t, "P(shortfall) \(fixedFormat(pg?.scalar("shortfall-any")?.mean ?? .nan, decimals: 4))")
  }

  // Where a replication's time goes (one core, 200 replications of the 20-site study).
  var tPerturb = 0.0, tCompile = 0.0, tRun = 0.0, sink = 0.0
  for r in 0..<200 {
    var scen: Scenario?
    tPerturb += bestSeconds(repeats: 1) { scen = gs.perturbation(replication: r) }
    guard let sc = scen else { continue }
    var engine: SimulationEngine?
    tCompile += bestSeconds(repeats: 1) { engine = try? SimulationEngine(scenario: sc) }
    tRun += bestSeconds(repeats: 1) { sink += engine?.run(checkBalance: false).demands.first?.met.last ?? 0 }
  }
  print("per replication (20 sites, 1 core): perturb \(formatNumber(tPerturb / 200 * 1e6, significantDigits: 3)) µs, validate+compile \(formatNumber(tCompile / 200 * 1e6, significantDigits: 3)) µs, run \(formatNumber(tRun / 200 * 1e6, significantDigits: 3)) µs" + (sink < 0 ? "!" : ""))

  // 3. The India demo.
  if let spec = try? UncertaintyDecoder().decode(text: RiskExamples.indiaMagnetsUncertainty, file: "demo") {
    let s = RiskStudy(base: RiskExamples.indiaMagnets(), spec: spec, seed: 1)
    let (t, pi) = time { try MonteCarlo(study: s, threads: cores).run(MonteCarlo.replications(runs: runs)) }
    row("India magnet demo", cores, 60, spec.inputs.count, t, "mean unmet \(formatNumber((pi?.scalar("unmet-kg")?.mean ?? .nan) / 1000, significantDigits: 4)) t")
  }
}
