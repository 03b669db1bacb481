import Chemistry
import Quantities
import Simulation
import SupplyChain

/// One tidy time series of a run: an entity, a measure, a unit and one value per simulated month.
///
/// Mass values are stored in **tonnes** (t, 1 t = 1000 kg) per month for flows and in tonnes for
/// levels; end-unit counts in the demand's end unit per month; months of cover in months;
/// shares as fractions (1 = 100 %); the Herfindahl–Hirschman index in points (0…10 000).
public struct RunSeries: Sendable {
  /// `process`, `shipment`, `stock`, `demand`, `reserve`, `tolling`, `stage-country` or `stage`.
  public var entityType: String
  /// The entity's identifier (process id, `link:material`, `site:material`, …).
  public var entity: String
  /// The measure (`activity`, `output:nd-oxide`, `loss:Nd`, `shipped`, `met_units`, …).
  public var measure: String
  /// The unit of `values`: `t`, an end unit (`vehicle`, `MW`, …), `month`, `1` or `HHI`.
  public var unit: String
  /// One value per month of `SimulationResult.months`; `nil` where the measure is undefined
  /// (months of cover when nothing is required). Undefined values produce no CSV row.
  public var values: [Double?]

  public init(entityType: String, entity: String, measure: String, unit: String, values: [Double?]) {
    self.entityType = entityType
    self.entity = entity
    self.measure = measure
    self.unit = unit
    self.values = values
  }
}

/// kg → t.
@inline(__always) func rrTonnes(_ kg: Double) -> Double { kg / 1000 }

/// A number for tables: `digits` significant digits, plain notation where possible; magnitudes
/// below 1e-9 (rounding noise of the engine's sums, e.g. 1e-16 t) print as 0.
func rrCell(_ x: Double, digits: Int = 6) -> String {
  abs(x) < 1e-9 ? "0" : formatNumber(x, significantDigits: digits)
}

/// A number for CSV and JSON series: ten significant digits; magnitudes below 1e-12 (in the
/// series' unit: 1e-12 t = 1 µg) are the engine's floating-point noise and print as 0.
func rrExact(_ x: Double) -> String { abs(x) < 1e-12 ? "0" : formatNumber(x, significantDigits: 10) }

/// A number as a JSON value (`null` when not finite); `clean` zeroes noise as ``rrExact(_:)`` does.
func rrJSONNumber(_ x: Double?, clean: Bool = true) -> String {
  guard let x, x.isFinite else { return "null" }
  return clean ? rrExact(x) : formatNumber(x, significantDigits: 10)
}

/// The identifier of a shipment series: `link:material`, plus the tolling leg when it is one.
public func runShipmentEntity(_ s: ShipmentSeries) -> String {
  switch s.purpose {
  case .trade: return "\(s.link):\(s.material)"
  case .tollingInput(let a): return "\(s.link):\(s.material):toll-input:\(a)"
  case .tollingReturn(let a): return "\(s.link):\(s.material):toll-return:\(a)"
  }
}

/// Months grouped by calendar year, in order.
struct RRYearGroup: Sendable {
  var year: Int
  /// Indices into the run's months.
  var indices: [Int]
  var isFull: Bool { indices.count == 12 }
  /// Column header: `2026`, or `2026*` for a partial year (fewer than 12 months simulated).
  var header: String { isFull ? "\(year)" : "\(year)*" }
}

func rrYearGroups(_ months: [YearMonth]) -> [RRYearGroup] {
  var out: [RRYearGroup] = []
  for (k, m) in months.enumerated() {
    if let last = out.last, last.year == m.year {
      out[out.count - 1].indices.append(k)
    } else {
      out.append(RRYearGroup(year: m.year, indices: [k]))
    }
  }
  return out
}

func rrSum(_ xs: [Double], _ idx: [Int]) -> Double { idx.reduce(0) { $0 + xs[$1] } }
func rrTotal(_ xs: [Double]) -> Double { xs.reduce(0, +) }
func rrAdd(_ a: inout [Double], _ b: [Double]) { for k in a.indices where k < b.count { a[k] += b[k] } }

/// Policies in `scenario` that cover a shipment of `material` from `fromCountry` to `toCountry`
/// (tolling legs exempted by the policy are excluded), in scenario order.
func rrCoveringPolicies(_ scenario: Scenario, _ s: ShipmentSeries) -> [TradePolicy] {
  guard let m = scenario.material(s.material) else { return [] }
  var agreement: AgreementID?
  switch s.purpose {
  case .trade: agreement = nil
  case .tollingInput(let a), .tollingReturn(let a): agreement = a
  }
  return scenario.policies.filter { p in
    if let a = agreement, p.exemptAgreements.contains(a) { return false }
    return p.appliesTo(origin: s.fromCountry, destination: s.toCountry) && p.covers(m)
  }
}

/// Countries where demand sits (the "home" countries whose imports are reported), sorted.
func rrHomeCountries(_ scenario: Scenario) -> [String] {
  var set = Set<String>()
  for d in scenario.demands { if let s = scenario.site(d.site) { set.insert(s.country) } }
  return set.sorted()
}

/// Demand series grouped by sector and end unit, in sector order then end unit.
struct RRSectorDemand {
  var sector: Sector
  var endUnit: String
  /// kg per month.
  var required: [Double]
  var met: [Double]
  var fromReserve: [Double]
  /// End units per month.
  var requiredUnits: [Double]
  var metUnits: [Double]
  var unmet: [Double] { zip(required, met).map { max(0, $0 - $1) } }
  var unmetUnits: [Double] { zip(requiredUnits, metUnits).map { max(0, $0 - $1) } }
}

func rrSectorDemands(_ result: SimulationResult) -> [RRSectorDemand] {
  let T = result.months.count
  var out: [RRSectorDemand] = []
  let ordered = result.demands.map { ($0.sector, $0.endUnit) }
  var seen = Set<String>()
  let sortedKeys = ordered.filter { seen.insert("\($0.0.rawValue)\u{1}\($0.1)").inserted }
    .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
  for (sector, unit) in sortedKeys {
    let zero = Array(repeating: 0.0, count: T)
    var g = RRSectorDemand(sector: sector, endUnit: unit, required: zero, met: zero, fromReserve: zero, requiredUnits: zero, metUnits: zero)
    for d in result.demands where d.sector == sector && d.endUnit == unit {
      rrAdd(&g.required, d.required)
      rrAdd(&g.met, d.met)
      rrAdd(&g.fromReserve, d.fromReserve)
      rrAdd(&g.requiredUnits, d.requiredUnits)
      rrAdd(&g.metUnits, d.metUnits)
    }
    out.append(g)
  }
  return out
}

extension Sector {
  /// A readable name for tables and charts.
  var rrName: String {
    switch self {
    case .evTraction: return "EV traction motors"
    case .twoThreeWheelers: return "two- and three-wheelers"
    case .wind: return "wind"
    case .electronics: return "electronics"
    case .defence: return "defence"
    case .industrialMotors: return "industrial motors"
    case .other: return "other"
    }
  }
}
