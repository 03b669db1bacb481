import Chemistry
import Quantities
import SupplyChain

/// Everything one run of the monthly engine produced. Every series has one value per month,
/// in kg per month for flows and kg for stocks, in the order of `months`.
public struct SimulationResult: Sendable {
  public var scenario: String
  public var variant: String?
  public var months: [YearMonth]
  public var elements: [Element]
  public var processes: [ProcessSeries]
  public var shipments: [ShipmentSeries]
  public var stocks: [StockSeries]
  public var demands: [DemandSeries]
  public var reserves: [ReserveSeries]
  public var tolling: [TollingSeries]
  public var balance: BalanceReport
}

/// One process's activity and material flows.
public struct ProcessSeries: Sendable {
  public var process: ProcessID
  public var name: String
  public var site: SiteID
  public var country: String
  public var stage: Stage
  public var reference: MaterialID
  /// kg of the reference material processed per month.
  public var activity: [Double]
  /// kg of the reference material the plant could have processed per month (capacity × availability).
  public var available: [Double]
  /// kg consumed per month, per input material (recipe order).
  public var inputs: [(material: MaterialID, mass: [Double])]
  /// kg produced per month, per output material (recipe order).
  public var outputs: [(material: MaterialID, mass: [Double])]
  /// kg of each tracked element lost per month (tailings, slag, swarf), in `SimulationResult.elements` order.
  public var losses: [[Double]]
}

/// Flow of one material on one link (market trade or a tolling leg).
public struct ShipmentSeries: Sendable {
  public enum Purpose: Sendable, Equatable {
    case trade
    /// Principal's input sent to the processor under an agreement.
    case tollingInput(AgreementID)
    /// Output returned to the principal under an agreement.
    case tollingReturn(AgreementID)
  }

  public var link: LinkID
  public var from: SiteID
  public var to: SiteID
  public var fromCountry: String
  public var toCountry: String
  public var material: MaterialID
  public var purpose: Purpose
  /// kg shipped per month (by month of departure).
  public var shipped: [Double]
  /// kg arriving per month (by month of arrival).
  public var delivered: [Double]
  /// kg requested but withheld by trade policy per month (bans, quotas, refused licences).
  public var blocked: [Double]
}

/// End-of-month stock of one material at one site (reserves excluded).
public struct StockSeries: Sendable {
  public var site: SiteID
  public var material: MaterialID
  /// kg at the end of each month.
  public var level: [Double]
  /// Months of cover: stock ÷ the site's monthly requirement of the material (∞ when none is required).
  public var monthsOfCover: [Double]
}

/// One demand's requirement and service.
public struct DemandSeries: Sendable {
  public var demand: DemandID
  public var sector: Sector
  public var site: SiteID
  public var material: MaterialID
  /// The end unit counted (`vehicle`, `MW`, …).
  public var endUnit: String
  /// kg of material per end unit.
  public var intensity: Double
  /// kg required per month.
  public var required: [Double]
  /// kg supplied per month (from stock and from reserve releases).
  public var met: [Double]
  /// kg of the `met` supplied from a strategic reserve.
  public var fromReserve: [Double]
  public var unmet: [Double] { zip(required, met).map { max(0, $0 - $1) } }
  /// End units required per month.
  public var requiredUnits: [Double] { required.map { $0 / intensity } }
  /// End units supplied per month.
  public var metUnits: [Double] { met.map { $0 / intensity } }
}

/// One strategic reserve's level and movements.
public struct ReserveSeries: Sendable {
  public var reserve: ReserveID
  public var site: SiteID
  public var material: MaterialID
  /// kg held at the end of each month.
  public var level: [Double]
  /// kg added per month.
  public var filled: [Double]
  /// kg released per month.
  public var released: [Double]
}

/// One tolling agreement's movements.
public struct TollingSeries: Sendable {
  public var agreement: AgreementID
  public var input: MaterialID
  public var output: MaterialID
  /// kg of input the principal shipped per month.
  public var inputShipped: [Double]
  /// kg of the principal's input converted per month at the processor.
  public var inputConverted: [Double]
  /// kg of output made from the principal's input per month.
  public var outputMade: [Double]
  /// kg of output owed to the principal, accrued per month (`share-returned` × made).
  public var outputOwed: [Double]
  /// kg of output kept by the processor as its fee in kind per month.
  public var feeInKind: [Double]
  /// kg of output shipped back per month.
  public var returned: [Double]
}

/// The element balance check: for every site, month and tracked element,
/// closing − opening − (arrivals + extraction − shipments − consumption by demand − losses) = residual.
public struct BalanceReport: Sendable {
  /// Largest |residual| in kg over all sites, months and elements.
  public var maxAbsolute: Double
  /// Largest |residual| relative to that site-month's element throughput.
  public var maxRelative: Double
  /// Where the largest relative residual occurred.
  public var worst: (site: SiteID, month: YearMonth, element: Element)?
  /// Number of site × month × element balances checked.
  public var checked: Int
}

extension SimulationResult {
  /// Production per stage and country (kg of stage output per month), countries sorted.
  public func productionByStage() -> [(stage: Stage, country: String, mass: [Double])] {
    var acc: [Stage: [String: [Double]]] = [:]
    for p in processes where !p.outputs.isEmpty {
      var series = acc[p.stage, default: [:]][p.country, default: Array(repeating: 0, count: months.count)]
      for o in p.outputs { for k in series.indices { series[k] += o.mass[k] } }
      acc[p.stage, default: [:]][p.country] = series
    }
    var out: [(Stage, String, [Double])] = []
    for stage in acc.keys.sorted() {
      for (country, s) in acc[stage, default: [:]].sorted(by: { $0.key < $1.key }) { out.append((stage, country, s)) }
    }
    return out
  }

  /// For each stage: each country's share of total production over the run and the
  /// Herfindahl–Hirschman index (Σ share² × 10 000; 10 000 = one country).
  public func concentration() -> [(stage: Stage, shares: [(country: String, share: Double)], hhi: Double)] {
    let rows = productionByStage()
    var out: [(Stage, [(String, Double)], Double)] = []
    for stage in Stage.allCases {
      let here = rows.filter { $0.stage == stage }
      let totals = here.map { ($0.country, $0.mass.reduce(0, +)) }
      let sum = totals.reduce(0) { $0 + $1.1 }
      guard sum > 0 else { continue }
      let shares = totals.map { ($0.0, $0.1 / sum) }.sorted { ($1.1, $0.0) < ($0.1, $1.0) }
      let hhi = shares.reduce(0) { $0 + $1.1 * $1.1 } * 10_000
      out.append((stage, shares, hhi))
    }
    return out
  }

  /// Imports into `country` per month by origin country and material form, kg delivered.
  public func imports(into country: String, scenario: Scenario) -> [(origin: String, form: MaterialForm, mass: [Double])] {
    var acc: [String: [MaterialForm: [Double]]] = [:]
    for s in shipments where s.toCountry == country && s.fromCountry != country {
      let form = scenario.material(s.material)?.form ?? .intermediate
      var series = acc[s.fromCountry, default: [:]][form, default: Array(repeating: 0, count: months.count)]
      for k in series.indices { series[k] += s.delivered[k] }
      acc[s.fromCountry, default: [:]][form] = series
    }
    var out: [(String, MaterialForm, [Double])] = []
    for origin in acc.keys.sorted() {
      for form in MaterialForm.allCases { if let s = acc[origin]?[form] { out.append((origin, form, s)) } }
    }
    return out
  }
}
