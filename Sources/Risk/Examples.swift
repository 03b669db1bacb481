import Chemistry
import Foundation
import Quantities
import SupplyChain

/// A small built-in study for demos, tests and benchmarks until scenario files are wired in:
/// India's sintered NdFeB magnet supply in 2026–2030, mostly imported from China under licence,
/// with a domestic plant being commissioned and a strategic reserve for EV traction.
public enum RiskExamples {
  /// The India magnet demo scenario (60 months from 2026-01). Figures are round illustrative
  /// numbers of the right order (see docs/risk.md), not a forecast.
  public static func indiaMagnets() -> Scenario {
    let start = YearMonth(ordinal: 2026 * 12)
    let magnet = Material(id: "ndfeb-magnet", name: "Sintered NdFeB magnet", form: .magnet, composition: Composition([.Nd: 0.29, .Pr: 0.02, .Dy: 0.01]))
    let sites = [
      Site(id: "cn-magnet", name: "Chinese magnet makers", country: "CN", owner: "market"),
      Site(id: "in-magnet", name: "Domestic magnet plant", country: "IN", owner: "IREL"),
      Site(id: "in-market", name: "Indian magnet users", country: "IN", owner: "market", initialStocks: [("ndfeb-magnet", 600_000)]),
    ]
    let tpy = 1000 / secondsPerYear  // 1 t/yr in kg/s
    let processes = [
      Process(id: "cn-supply", name: "Chinese exports", site: "cn-magnet", stage: .magnet, reference: "ndfeb-magnet", inputs: [], outputs: [RecipeTerm(material: "ndfeb-magnet", amount: 1)], losses: .none, capacity: 5000 * tpy),
      Process(
        id: "in-plant", name: "Domestic sintering line", site: "in-magnet", stage: .magnet, reference: "ndfeb-magnet", inputs: [], outputs: [RecipeTerm(material: "ndfeb-magnet", amount: 1)], losses: .none,
        capacity: 1500 * tpy, availability: Availability(commissioning: YearMonth(ordinal: 2027 * 12 + 6), ramp: [(YearMonth(ordinal: 2027 * 12 + 6), 0.2), (YearMonth(ordinal: 2028 * 12 + 6), 1)])),
    ]
    let links = [
      Link(id: "cn-in", from: "cn-magnet", to: "in-market", materials: ["ndfeb-magnet"], leadTime: 2),
      Link(id: "domestic", from: "in-magnet", to: "in-market", materials: ["ndfeb-magnet"], leadTime: 2),
    ]
    let policies = [
      TradePolicy(id: "cn-licence", name: "Chinese export licensing", kind: .licence(approval: 0.9, delay: 0), origin: "CN", elements: [.Dy, .Tb], forms: [.magnet], deMinimis: 0.001),
      TradePolicy(
        id: "cn-freeze", name: "Licence freeze", kind: .ban, origin: "CN", elements: [.Dy, .Tb], forms: [.magnet], deMinimis: 0.001, from: YearMonth(ordinal: 2027 * 12), until: YearMonth(ordinal: 2027 * 12 + 17)),
    ]
    let demands = [
      Demand(id: "ev", sector: .evTraction, site: "in-market", material: "ndfeb-magnet", endUnit: "vehicle", rate: 600_000 / secondsPerYear, growth: 0.15, intensity: 1.5, priority: 1, valuePerUnit: 15_000),
      Demand(id: "wind", sector: .wind, site: "in-market", material: "ndfeb-magnet", endUnit: "MW", rate: 2_000 / secondsPerYear, growth: 0.05, intensity: 600, priority: 2, valuePerUnit: 1_000_000),
    ]
    let reserves = [
      Reserve(id: "ev-reserve", site: "in-market", material: "ndfeb-magnet", target: 200_000, initial: 200_000, fillRate: 400_000 / secondsPerYear, releaseTo: [.evTraction], holdingCost: 2)
    ]
    return Scenario(
      name: "india-magnets-demo", description: "India NdFeB magnet supply under Chinese licensing, 2026-2030", start: start, months: 60, materials: [magnet], sites: sites, processes: processes,
      links: links, policies: policies, demands: demands, reserves: reserves)
  }

  /// The uncertainty file of the demo (also `Tests/Fixtures/risk/india-demo.yaml`).
  public static let indiaMagnetsUncertainty = """
    schema-version: 1
    description: Licence freeze, licensing, plant start-up and demand uncertainty for the India magnet demo.
    uncertainty:
      - name: freeze-happens
        target: policies/cn-freeze/occurs
        distribution: {kind: bernoulli, p: 0.5}
      - name: freeze-length
        target: policies/cn-freeze/duration
        distribution: {kind: uniform, min: 12 months, max: 24 months}
      - name: freeze-start
        target: policies/cn-freeze/start-shift
        distribution: {kind: triangular, min: -6 months, mode: 0 months, max: 12 months}
      - name: licence-approval
        target: policies/cn-licence/approval
        distribution: {kind: pert, min: 0.6, mode: 0.9, max: 1}
      - name: plant-delay
        target: processes/in-plant/commissioning-delay
        distribution: {kind: pert, min: 0 months, mode: 6 months, max: 24 months}
      - name: plant-outages
        target: processes/in-plant/outage
        distribution: {kind: exponential, mean: 30 months}
        repair: {kind: lognormal, median: 2 months, sigma: 0.5}
      - name: shipping-delay
        target: links/cn-in/delay
        distribution: {kind: empirical, values: [0, 0, 0, 1, 2]}
      - name: ev-demand
        target: demands/ev/multiplier
        distribution: {kind: normal, mean: 1, sd: 0.1}
      - name: wind-demand
        target: demands/wind/multiplier
        distribution: {kind: lognormal, median: 1, sigma: 0.15}
    correlation:
      inputs: [ev-demand, wind-demand]
      matrix: [[1, 0.5], [0.5, 1]]
    """
}

extension RiskExamples {
  /// The toy model shared with `Benchmarks/numpy/toy_model.py`: one supplier (CN) with ample stock
  /// ships to one user (IN) with no lead time; a ban policy `ban` covers the flow; the user holds a
  /// reserve of `reserveMonths` months of demand (1 t/month) that refills in any open month.
  /// With `policies/ban/monthly ~ Bernoulli(q)`, month t ≥ k is short with probability q^(k+1).
  public static func singleSupplier(months: Int, reserveMonths: Int) -> Scenario {
    let start = YearMonth(ordinal: 2026 * 12)
    let m = Material(id: "magnet", name: "Magnet", form: .magnet, composition: Composition([.Nd: 0.3]))
    let d = 1000.0
    return Scenario(
      name: "toy-single-supplier", start: start, months: months, materials: [m],
      sites: [
        Site(id: "sup", name: "Supplier", country: "CN", owner: "market", initialStocks: [("magnet", 1e12)]),
        Site(id: "user", name: "User", country: "IN", owner: "market"),
      ],
      links: [Link(id: "l", from: "sup", to: "user", materials: ["magnet"], leadTime: 0)],
      policies: [TradePolicy(id: "ban", name: "Ban", kind: .ban, origin: "CN", materials: ["magnet"])],
      demands: [Demand(id: "ev", sector: .evTraction, site: "user", material: "magnet", endUnit: "vehicle", rate: d / 1.5 / secondsPerMonth, intensity: 1.5)],
      reserves: reserveMonths > 0 ? [Reserve(id: "r", site: "user", material: "magnet", target: d * Double(reserveMonths), initial: d * Double(reserveMonths))] : [])
  }

  /// Uncertain inputs for a `ScenarioGenerator` network: the ban's length, the licence's approval,
  /// outages of one converting plant, extra delay on one link and a demand multiplier (the benchmark's study).
  public static func generatedUncertainty(for s: Scenario) -> UncertaintySpec {
    var inputs: [UncertainInput] = []
    if s.policies.contains(where: { $0.id == "ban" }) { inputs.append(UncertainInput(name: "ban-length", target: .policyDuration("ban"), distribution: .uniform(min: 6, max: 18))) }
    if s.policies.contains(where: { $0.id == "licence" }) { inputs.append(UncertainInput(name: "approval", target: .policyApproval("licence"), distribution: .pert(min: 0.3, mode: 0.6, max: 0.9))) }
    if let p = s.processes.first(where: { !$0.inputs.isEmpty }) {
      inputs.append(UncertainInput(name: "outages", target: .processOutage(p.id, repair: .lognormal(median: 2, sigma: 0.5)), distribution: .exponential(mean: 24)))
    }
    if let l = s.links.first { inputs.append(UncertainInput(name: "shipping", target: .linkDelay(l.id), distribution: .empirical([0, 0, 1, 2]))) }
    inputs.append(UncertainInput(name: "demand", target: .demandMultiplier("*"), distribution: .normal(mean: 1, sd: 0.1)))
    return UncertaintySpec(inputs: inputs)
  }
}
