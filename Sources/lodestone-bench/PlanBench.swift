import Optimization
import Planning
import Quantities
import ScenarioFormat
import SupplyChain

/// The India scenario over its 60 months with the magnet scheme undecided (variant
/// scheme-undecided): investments as integer modules, EV and wind demand, at most 50 % of
/// magnets from China — the question of docs/optimization.md — built, then solved to optimality.
let planBenchmark = Benchmark(
  name: "plan", summary: "India 60 months with investments (MIP) and a 50 % China magnet cap: build and solve times"
) {
  let (decoded, diagnostics) = ScenarioDecoder().decode(text: BuiltinScenarios.india2026, file: "india-2026.yaml", variant: "scheme-undecided")
  guard var scenario = decoded else {
    print("the India scenario does not decode: \(diagnostics)")
    return
  }
  scenario.demands = scenario.demands.filter { $0.sector == .evTraction || $0.sector == .wind }
  let options = PlanOptions(shareCaps: [ShareCap(country: "CN", form: .magnet, fraction: 0.5)])
  var plan: NetworkPlan?
  let build = bestSeconds(repeats: 5) { plan = try? NetworkPlan(scenario: scenario, options: options) }
  guard let plan else { return }
  let m = plan.model
  let integers = m.variables.filter { m.kind(of: $0) != .continuous }.count
  print(
    "build \(m.variableCount) variables (\(integers) integer), \(m.constraintCount) constraints, \(m.nonzeroCount) nonzeros: \(formatNumber(build * 1000, significantDigits: 3)) ms (best of 5)"
  )
  var result: PlanResult?
  let solve = bestSeconds(repeats: 3) { result = try? plan.solve(with: CBCSolver()) }
  if let r = result {
    print("solve (CBC, to optimality): \(formatNumber(solve, significantDigits: 3)) s (best of 3); \(r.termination)")
    print("builds: " + r.builds.map { "\($0.modules)×\($0.candidate) from \($0.start)" }.joined(separator: ", "))
  }
}
