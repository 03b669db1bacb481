import Optimization
import Quantities

/// A transportation LP: `sources × sinks` flow variables with supply rows, demand rows and
/// one budget row over every flow (2·n + n nonzeros for n = sources·sinks). Costs, supplies
/// and demands come from a fixed LCG, so every run builds the same model.
func transportModel(sources: Int, sinks: Int) throws -> Model {
  var seed: UInt64 = 7
  func next() -> Double {
    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double((seed >> 33) % 1000) / 10 + 1  // 1.0 ... 100.9
  }
  let n = sources * sinks
  var m = Model(name: "transport-\(sources)x\(sinks)")
  m.reserveCapacity(variables: n, constraints: sources + sinks + 1, nonzeros: 3 * n)
  var flows: [Variable] = []
  flows.reserveCapacity(n)
  for i in 0..<sources {
    for j in 0..<sinks {
      flows.append(try m.addVariable("Link-flow[s\(i),d\(j)]", objective: next()))
    }
  }
  let totalDemand = Double(sinks) * 50
  for i in 0..<sources {
    let row = Array(flows[(i * sinks)..<((i + 1) * sinks)])
    try m.addConstraint(
      "supply[s\(i)]", variables: row, coefficients: Array(repeating: 1, count: sinks), lower: -.infinity,
      upper: 2 * totalDemand / Double(sources), description: "capacity of source s\(i)")
  }
  for j in 0..<sinks {
    let row = (0..<sources).map { flows[$0 * sinks + j] }
    try m.addConstraint(
      "demand[d\(j)]", variables: row, coefficients: Array(repeating: 1, count: sources), lower: 50,
      upper: .infinity, description: "demand of sink d\(j)")
  }
  try m.addConstraint(
    "budget", variables: flows, coefficients: (0..<n).map { _ in next() / 100 }, lower: -.infinity,
    upper: 1e12, description: "total budget")
  return m
}

let optimizationBenchmark = Benchmark(
  name: "opt", summary: "LP/MIP model building, export and CLP solve of a 100,000-variable transport model"
) {
  do {
    var model = Model()
    let build = bestSeconds(repeats: 5) {
      model = (try? transportModel(sources: 100, sinks: 1000)) ?? Model()
    }
    print(
      "build \(model.variableCount) variables, \(model.constraintCount) constraints, \(model.nonzeroCount) nonzeros: \(formatNumber(build * 1000, significantDigits: 3)) ms (best of 5)"
    )
    var text = ""
    let mps = bestSeconds(repeats: 3) { text = (try? model.exportText(.freeMPS)) ?? "" }
    print("free MPS export (\(text.utf8.count / 1_000_000) MB): \(formatNumber(mps * 1000, significantDigits: 3)) ms (best of 3)")
    let lp = bestSeconds(repeats: 3) { text = (try? model.exportText(.lp)) ?? "" }
    print("LP export (\(text.utf8.count / 1_000_000) MB): \(formatNumber(lp * 1000, significantDigits: 3)) ms (best of 3)")
    let description = bestSeconds(repeats: 3) { text = model.description }
    print("description (\(text.split(separator: "\n").count) lines): \(formatNumber(description * 1000, significantDigits: 3)) ms (best of 3)")

    let clock = ContinuousClock()
    let start = clock.now
    let result = try CBCSolver().solve(model)
    let wall = clock.now - start
    let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
    print(
      "CLP solve: \(result.termination.reason.rawValue), objective \(formatNumber(result.termination.objectiveValue ?? .nan, significantDigits: 8)), \(result.termination.iterations) iterations, solve \(formatNumber(result.termination.solveTime, significantDigits: 3)) s, with loading \(formatNumber(wallSeconds, significantDigits: 3)) s"
    )

    // Diagnosis on the same model with one sink's demand made impossible by capping its
    // inflows: the conflict is that demand row and its 100 flow bounds.
    var broken = model
    for i in 0..<100 { try broken.setBounds(of: Variable(index: i * 1000), lower: 0, upper: 0.1) }
    let diagnoseStart = clock.now
    let conflict = try CBCSolver().findConflict(in: broken)
    let diagnose = clock.now - diagnoseStart
    print(
      "conflict on the broken model: \(conflict.members.count) members, \(conflict.linearSolves) LP solves, \(formatNumber(Double(diagnose.components.seconds) + Double(diagnose.components.attoseconds) * 1e-18, significantDigits: 3)) s"
    )

    var small = Model()
    _ = bestSeconds(repeats: 1) { small = (try? transportModel(sources: 10, sinks: 100)) ?? Model() }
    for v in small.variables { try small.setKind(of: v, .integer) }
    let mip = try CBCSolver(options: SolverOptions(timeLimit: 60)).solve(small)
    print("CBC MIP (integer flows, 1,000 variables): \(mip.termination)")
  } catch {
    print("optimization benchmark failed: \(error)")
  }
}
