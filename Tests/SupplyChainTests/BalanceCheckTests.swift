import Chemistry
import Quantities
import SupplyChain
import Testing
import TestSupport

@testable import Simulation

/// The element balance check must catch a real imbalance: mass that leaves a stock without a
/// recorded flow (as an engine bug would make it) shows up as a residual of exactly that mass.
@Suite struct BalanceCheckCatchesImbalance {
  /// The two-site chain of `EngineHandCalculations`: from month 3 on, B receives 10 t of Nd metal a
  /// month and serves all of it (4 t + 6 t) to demand, so B's stock is 0 at every month end.
  /// Removing 1 t from B's stock at the end of month 5 gives, for Nd at B in month 5:
  /// residual = closing − opening − (in − out) = −1,000 − 0 − (10,000 − 10,000) = −1,000 kg;
  /// throughput = in + out + opening = 10,000 + 10,000 + 0 = 20,000 kg; relative 1,000 / 20,000 = 0.05.
  @Test func leakAtOneSiteMonth() throws {
    let engine = try SimulationEngine(scenario: EngineHandCalculations.chain())
    let clean = engine.run()
    #expect(clean.balance.maxRelative < 1e-12)
    let r = engine.run(leak: Leak(site: 1, material: 0, month: 5, mass: 1_000))
    #expect(approx(r.balance.maxAbsolute, 1_000, rel: 1e-12))
    #expect(approx(r.balance.maxRelative, 0.05, rel: 1e-12))
    #expect(r.balance.worst?.site == "b")
    #expect(r.balance.worst?.month == EngineHandCalculations.start.adding(months: 5))
    #expect(r.balance.worst?.element == .Nd)
    #expect(r.balance.checked == clean.balance.checked)
  }

  /// On generated networks (several materials, elements, tolling, reserves), a 1 kg leak of a
  /// material shows up as that material's largest element fraction × 1 kg (the composition is the
  /// independent reference), far above the rounding-level residual of the clean run.
  @Test(arguments: [3, 11, 42]) func leakOnGeneratedNetwork(seed: Int) throws {
    let s = ScenarioGenerator(sites: 12, materials: 4, months: 24).make(seed: UInt64(seed))
    let engine = try SimulationEngine(scenario: s)
    #expect(engine.run().balance.maxAbsolute < 1e-6)
    // The last site's output material (every site makes one).
    let site = s.sites.count - 1
    guard let made = s.processes.first(where: { $0.site == s.sites[site].id })?.reference,
      let m = s.materials.firstIndex(where: { $0.id == made })
    else {
      Issue.record("seed \(seed): no process at the last site")
      return
    }
    let largest = s.elements.map { s.materials[m].composition.fraction(of: $0) }.max() ?? 0
    let r = engine.run(leak: Leak(site: site, material: m, month: 10, mass: 1))
    #expect(largest > 0)
    #expect(approx(r.balance.maxAbsolute, largest, rel: 1e-6), "seed \(seed): \(r.balance.maxAbsolute) vs \(largest)")
    // Relative to that site-month's throughput the leak dwarfs rounding anywhere else.
    #expect(r.balance.worst?.site == s.sites[site].id)
    #expect(r.balance.worst?.month == s.start.adding(months: 10))
  }
}
