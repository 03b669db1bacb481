import Chemistry
import Foundation
import Quantities
import Separation

let separationBenchmark = Benchmark(name: "sx", summary: "solvent-extraction cascade simulation (2 x 100 stages, 10 x 500 stages) and design") {
  func time(_ label: String, goal: String, _ make: () throws -> CascadeSpec) {
    guard let spec = try? make() else {
      print("\(label): could not build the cascade")
      return
    }
    guard (try? simulateCascade(spec)) != nil else {
      print("\(label): FAILED (solver did not converge)")
      return
    }
    var sweeps = 0
    var residual = 0.0
    let t = bestSeconds(repeats: 7) {
      if let r = try? simulateCascade(spec) {
        sweeps = r.iterations
        residual = r.balanceResidual
      }
    }
    print("\(label): \(formatNumber(t * 1000, significantDigits: 3)) ms (\(sweeps) sweeps, balance residual \(formatNumber(residual, significantDigits: 2)); goal \(goal))")
  }
  // Binary Nd/Pr, β = 1.5, f_A = 0.5, Xu optimum flows for 99.9 %/99.9 %, 50 + 50 stages.
  time("2 components x 100 stages", goal: "< 1 ms") {
    let x = try xuDesign(XuDesignInput(beta: 1.5, feedFractionA: 0.5, purityA: 0.999, purityB: 0.999))
    return try CascadeSpec(
      elements: [.Nd, .Pr], extractabilities: [1.5, 1], feed: [0.5, 0.5], extractionStages: 50, scrubStages: 50,
      organicFlow: x.organicFlow, scrubFlow: x.scrubFlow)
  }
  // Ten elements with β = 1.5 between neighbours (α = 1 … 38.4), 250 + 250 stages.
  time("10 components x 500 stages (β = 1.5 chain)", goal: "< 100 ms") {
    let els: [Element] = [.La, .Ce, .Pr, .Nd, .Sm, .Eu, .Gd, .Tb, .Dy, .Y]
    let alpha = (0..<10).map { pow(1.5, Double($0)) }
    return try CascadeSpec(
      elements: els, extractabilities: alpha, feed: [Double](repeating: 0.1, count: 10),
      extractionStages: 250, scrubStages: 250, organicFlow: 1.5, scrubFlow: 1.0)
  }
  // Ten monazite elements with P507 factors (α = 1 … 10,349), 75 + 75 stages.
  time("10 components x 150 stages (monazite, P507)", goal: "-") {
    let els: [Element] = [.La, .Ce, .Pr, .Nd, .Sm, .Eu, .Gd, .Tb, .Dy, .Y]
    let alpha = try FactorTable.builtIn.system("p507-hcl").extractabilities(for: els)
    return try CascadeSpec(
      elements: els, extractabilities: alpha, feed: [0.23, 0.46, 0.05, 0.19, 0.03, 0.001, 0.015, 0.0005, 0.004, 0.0125],
      extractionStages: 75, scrubStages: 75, organicFlow: 0.6, scrubFlow: 0.3)
  }
  // The same monazite elements at 100 + 100 and 250 + 250 stages with the flows of a Pr|Nd cut
  // (these need the solver's continuation in the extractability spread).
  for (n, goal) in [(100, "converges"), (250, "converges")] {
    time("10 components x \(2 * n) stages (monazite, P507, Pr|Nd flows)", goal: goal) {
      let els: [Element] = [.La, .Ce, .Pr, .Nd, .Sm, .Eu, .Gd, .Tb, .Dy, .Y]
      let alpha = try FactorTable.builtIn.system("p507-hcl").extractabilities(for: els)
      return try CascadeSpec(
        elements: els, extractabilities: alpha, feed: SeparationFeeds.molesPerKilogramREO(SeparationFeeds.indianMonaziteREO),
        extractionStages: n, scrubStages: n, organicFlow: 3.3, scrubFlow: 3.06)
    }
  }
  // Three-outlet design of V2 (draw stage and flow chosen for S = 2, 18 + 42 stages).
  let t3 = bestSeconds(repeats: 1) {
    if let req = try? ThreeOutletRequest(
      elements: [.Gd, .Eu, .Sm], extractabilities: [2.8, 2.0, 1.0], feed: [0.39, 0.10, 0.51], firstMiddle: .Eu, firstHeavy: .Gd,
      purityOrganic: 0.999, purityAqueous: 0.9999, recoveryAqueous: 0.999, purityDraw: 0.40, organicFlow: 2.0,
      extractionStages: 18, scrubStages: 42)
    {
      _ = try? designThreeOutlet(req)
    }
  }
  print("three-outlet design V2 (draw stage and flow): \(formatNumber(t3 * 1000, significantDigits: 3)) ms")
  // Full design of V1 (Xu + refinement search).
  let td = bestSeconds(repeats: 3) {
    if let req = try? CutRequest(
      elements: [.Nd, .Pr], extractabilities: [2, 1], feed: [0.5, 0.5], firstHeavy: .Nd, purityOrganic: 0.999, purityAqueous: 0.9999)
    {
      _ = try? designCut(req)
    }
  }
  print("design V1 (β = 2, 99.9/99.99 %, refined to 46 stages): \(formatNumber(td * 1000, significantDigits: 3)) ms")
  let tf = bestSeconds(repeats: 1) {
    if let sys = try? FactorTable.builtIn.system("p507-hcl") {
      _ = try? designFlowsheet(
        feed: SeparationFeeds.indianMonaziteREO, system: sys, cuts: FlowsheetCut.monaziteTrain,
        plant: PlantParameters(reoMassFlow: 2_500_000 / secondsPerYear))
    }
  }
  print("monazite flowsheet (4 cascades, designed and refined): \(formatNumber(tf * 1000, significantDigits: 3)) ms")
}
