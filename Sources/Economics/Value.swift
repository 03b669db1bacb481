import Quantities
import Simulation
import SupplyChain

/// Value added, value ladders, import bills and supply concentration from a simulation run and
/// the scenario's dated prices. Money is in the prices' currency (per kg in the scenario; totals
/// here are in currency units).
public struct ValueAnalysis: Sendable {
  public let scenario: Scenario
  public let result: SimulationResult

  public init(scenario: Scenario, result: SimulationResult) {
    self.scenario = scenario
    self.result = result
  }

  /// The currency of the scenario's prices (the first series'), "USD" when there are none.
  public var currency: String { scenario.prices.first?.currency ?? "USD" }

  /// Price per kg of `material` in `month`, if the scenario prices it.
  public func price(_ material: MaterialID, _ month: YearMonth) -> Double? {
    scenario.prices.first { $0.material == material }?.price(at: month)
  }

  /// One row of value added: per calendar year, stage and country.
  public struct ValueAddedRow: Sendable {
    public var year: Int
    public var stage: Stage
    public var country: String
    /// Value of outputs, currency units.
    public var outputValue: Double
    /// Value of inputs consumed, currency units.
    public var inputValue: Double
    public var valueAdded: Double { outputValue - inputValue }
    /// Materials that flowed but have no price (their value is counted as 0).
    public var unpriced: [MaterialID]
  }

  /// Value added by stage and country per year: Σ outputs × price − Σ inputs × price.
  public func valueAdded() -> [ValueAddedRow] {
    struct Key: Hashable, Comparable {
      var year: Int, stage: Stage, country: String
      static func < (a: Key, b: Key) -> Bool { (a.year, a.stage, a.country) < (b.year, b.stage, b.country) }
    }
    var acc: [Key: (Double, Double, Set<MaterialID>)] = [:]
    for p in result.processes {
      for (t, month) in result.months.enumerated() {
        guard p.activity[t] > 0 else { continue }
        let key = Key(year: month.year, stage: p.stage, country: p.country)
        var row = acc[key, default: (0, 0, [])]
        for o in p.outputs {
          if let pr = price(o.material, month) { row.0 += o.mass[t] * pr } else { row.2.insert(o.material) }
        }
        for i in p.inputs {
          if let pr = price(i.material, month) { row.1 += i.mass[t] * pr } else { row.2.insert(i.material) }
        }
        acc[key] = row
      }
    }
    return acc.keys.sorted().map { k in
      let v = acc[k, default: (0, 0, [])]
      return ValueAddedRow(year: k.year, stage: k.stage, country: k.country, outputValue: v.0, inputValue: v.1, unpriced: v.2.sorted())
    }
  }

  /// One rung of a value ladder.
  public struct Rung: Sendable {
    public var material: MaterialID
    public var process: ProcessID?
    public var stage: Stage?
    /// kg of this material obtained from 1 kg of the starting material along the chain.
    public var massPerKgStart: Double
    /// Price per kg in `month`, if known.
    public var pricePerKg: Double?
    /// Value per kg of the starting material: massPerKgStart × pricePerKg.
    public var valuePerKgStart: Double? { pricePerKg.map { $0 * massPerKgStart } }
  }

  /// What 1 kg of `start` becomes, step by step, following the first process (in file order)
  /// that consumes each material and its first output, until nothing consumes it: e.g. NdPr oxide →
  /// metal → alloy → magnet, with the price of each rung in `month`.
  public func ladder(from start: MaterialID, month: YearMonth) -> [Rung] {
    var rungs = [Rung(material: start, process: nil, stage: nil, massPerKgStart: 1, pricePerKg: price(start, month))]
    var current = start
    var mass = 1.0
    var seen: Set<MaterialID> = [start]
    while let p = scenario.processes.first(where: { $0.inputs.contains { $0.material == current } && !$0.outputs.isEmpty }),
      let input = p.inputs.first(where: { $0.material == current }), let out = p.outputs.first, !seen.contains(out.material)
    {
      mass *= out.amount / input.amount
      rungs.append(Rung(material: out.material, process: p.id, stage: p.stage, massPerKgStart: mass, pricePerKg: price(out.material, month)))
      seen.insert(out.material)
      current = out.material
    }
    return rungs
  }

  /// Imports into `country` per year by origin country and material form: mass (kg) and value.
  public func importBill(country: String) -> [(year: Int, origin: String, form: MaterialForm, mass: Double, value: Double, unpriced: Bool)] {
    struct Key: Hashable, Comparable {
      var year: Int, origin: String, form: Int
      static func < (a: Key, b: Key) -> Bool { (a.year, a.origin, a.form) < (b.year, b.origin, b.form) }
    }
    var acc: [Key: (Double, Double, Bool)] = [:]
    for s in result.shipments where s.toCountry == country && s.fromCountry != country {
      let form = scenario.material(s.material)?.form ?? .intermediate
      let formIndex = MaterialForm.allCases.firstIndex(of: form) ?? 0
      for (t, month) in result.months.enumerated() where s.delivered[t] > 0 {
        let k = Key(year: month.year, origin: s.fromCountry, form: formIndex)
        var v = acc[k, default: (0, 0, false)]
        v.0 += s.delivered[t]
        if let p = price(s.material, month) { v.1 += s.delivered[t] * p } else { v.2 = true }
        acc[k] = v
      }
    }
    return acc.keys.sorted().map { k in
      let v = acc[k, default: (0, 0, false)]
      return (k.year, k.origin, MaterialForm.allCases[k.form], v.0, v.1, v.2)
    }
  }

  /// One stage of a country's supply: where its supply of the stage's products came from.
  public struct StageDependence: Sendable {
    public var stage: Stage
    /// kg over the run, by supplying country (home production included), largest first.
    public var suppliers: [(country: String, mass: Double, share: Double)]
    public var hhi: Double
    /// The largest share of any single foreign country.
    public var topForeign: (country: String, share: Double)?
    /// EU Critical Raw Materials Act benchmark: no more than 65 % from any single third country.
    public var passesCRMA: Bool { (topForeign?.share ?? 0) <= ValueAnalysis.crmaBenchmark }
  }

  /// The CRMA single-third-country benchmark (Regulation (EU) 2024/1252, Art. 5(1)(d)): 65 %.
  public static let crmaBenchmark = 0.65

  /// For each stage, `country`'s supply of that stage's product forms over the run: its own
  /// production (processes in `country` at that stage) plus imports of those forms by origin.
  public func dependence(of country: String) -> [StageDependence] {
    var out: [StageDependence] = []
    for stage in Stage.allCases {
      var byCountry: [String: Double] = [:]
      for p in result.processes where p.stage == stage && p.country == country {
        byCountry[country, default: 0] += p.outputs.reduce(0) { $0 + $1.mass.reduce(0, +) }
      }
      let forms = Set(stage.productForms)
      for s in result.shipments where s.toCountry == country && s.fromCountry != country {
        guard let form = scenario.material(s.material)?.form, forms.contains(form) else { continue }
        byCountry[s.fromCountry, default: 0] += s.delivered.reduce(0, +)
      }
      let total = byCountry.values.reduce(0, +)
      guard total > 0 else { continue }
      let suppliers = byCountry.map { ($0.key, $0.value, $0.value / total) }.sorted { ($1.1, $0.0) < ($0.1, $1.0) }
      let hhi = suppliers.reduce(0) { $0 + $1.2 * $1.2 } * 10_000
      let foreign = suppliers.first { $0.0 != country }.map { ($0.0, $0.2) }
      out.append(StageDependence(stage: stage, suppliers: suppliers, hhi: hhi, topForeign: foreign))
    }
    return out
  }
}

extension Stage {
  /// The material forms a stage produces (used to classify imports by stage).
  public var productForms: [MaterialForm] {
    switch self {
    case .mining: return [.ore]
    case .beneficiation: return [.concentrate]
    case .cracking: return [.intermediate]
    case .separation: return [.oxide]
    case .metal: return [.metal]
    case .alloy: return [.alloy]
    case .magnet: return [.magnet]
    case .component: return [.component]
    case .recycling: return []
    }
  }
}
