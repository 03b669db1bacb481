import Chemistry
import Foundation
import Quantities

/// A typed identifier (`ID<Site>`, `ID<Material>`, …): a kebab-case string from the scenario file.
public struct ID<Kind>: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
  public let rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { rawValue = value }
  public var description: String { rawValue }
  public static func < (a: ID, b: ID) -> Bool { a.rawValue < b.rawValue }
}

public typealias MaterialID = ID<Material>
public typealias SiteID = ID<Site>
public typealias ProcessID = ID<Process>
public typealias LinkID = ID<Link>
public typealias AgreementID = ID<TollingAgreement>
public typealias PolicyID = ID<TradePolicy>
public typealias DemandID = ID<Demand>
public typealias ReserveID = ID<Reserve>
public typealias CandidateID = ID<Candidate>

/// What a material is, for reporting stages and for policies keyed to product forms.
public enum MaterialForm: String, Sendable, CaseIterable, Codable {
  case ore, concentrate, intermediate, oxide, metal, alloy, magnet, component, reagent, waste
}

/// A material: a name, a form and its element mass fractions (kg element per kg material).
public struct Material: Sendable, Identifiable {
  public var id: MaterialID
  public var name: String
  public var form: MaterialForm
  /// Element mass fractions; the rest of the mass is untracked ("other").
  public var composition: Composition
  /// The formula when the material is a pure compound (e.g. Nd2O3).
  public var formula: Formula?
  public var source: String?

  public init(id: MaterialID, name: String, form: MaterialForm, composition: Composition, formula: Formula? = nil, source: String? = nil) {
    self.id = id
    self.name = name
    self.form = form
    self.composition = composition
    self.formula = formula
    self.source = source
  }
}

/// A site: a plant, mine, port or market, in a country, owned by an organisation.
public struct Site: Sendable, Identifiable {
  public var id: SiteID
  public var name: String
  /// ISO 3166-1 alpha-2 country code (IN, CN, JP, KR, …).
  public var country: String
  /// The organisation that owns the site (IREL, a partner, "market").
  public var owner: String
  /// Stocks held at the start, kg per material.
  public var initialStocks: [(material: MaterialID, mass: Double)]
  public var source: String?

  public init(id: SiteID, name: String, country: String, owner: String, initialStocks: [(material: MaterialID, mass: Double)] = [], source: String? = nil) {
    self.id = id
    self.name = name
    self.country = country
    self.owner = owner
    self.initialStocks = initialStocks
    self.source = source
  }
}

/// The stage of the value chain a process belongs to; dependence and HHI are reported per stage.
public enum Stage: String, Sendable, CaseIterable, Codable, Comparable {
  case mining, beneficiation, cracking, separation, metal, alloy, magnet, component, recycling

  public static func < (a: Stage, b: Stage) -> Bool {
    allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
  }
}

/// One term of a recipe: `amount` kg of `material` per kg of the process's reference material.
public struct RecipeTerm: Sendable {
  public var material: MaterialID
  /// kg per kg of the reference material (dimensionless).
  public var amount: Double
  public init(material: MaterialID, amount: Double) {
    self.material = material
    self.amount = amount
  }
}

/// What happens to element mass a recipe does not put into an output.
public enum Losses: Sendable {
  /// Every tracked element must balance exactly (to 1e-6 relative).
  case none
  /// Whatever is not in an output is lost to waste (tailings, slag, swarf); reported per element.
  case rest
  /// Stated fractions of each element's input are lost; unlisted elements must balance.
  case fractions([(element: Element, fraction: Double)])
}

/// When a plant works and how hard: commissioning, a piecewise-linear ramp and outages.
public struct Availability: Sendable {
  /// First month of operation; nothing runs before it.
  public var commissioning: YearMonth?
  /// Last month of operation.
  public var decommissioning: YearMonth?
  /// Piecewise-linear fraction of capacity by month; held flat after the last point and
  /// before the first. Empty = 1.
  public var ramp: [(month: YearMonth, fraction: Double)]
  /// Planned outages: the fraction available from `from` through `to` (inclusive).
  public var outages: [(from: YearMonth, to: YearMonth, fraction: Double)]

  public init(
    commissioning: YearMonth? = nil, decommissioning: YearMonth? = nil,
    ramp: [(month: YearMonth, fraction: Double)] = [], outages: [(from: YearMonth, to: YearMonth, fraction: Double)] = []
  ) {
    self.commissioning = commissioning
    self.decommissioning = decommissioning
    self.ramp = ramp
    self.outages = outages
  }

  public static let always = Availability()

  /// The fraction of capacity available in month `m` (0…1).
  public func factor(at m: YearMonth) -> Double {
    if let c = commissioning, m < c { return 0 }
    if let d = decommissioning, m > d { return 0 }
    var f = 1.0
    if let first = ramp.first {
      if m <= first.month {
        f = first.fraction
      } else if let last = ramp.last, m >= last.month {
        f = last.fraction
      } else {
        for k in 1..<ramp.count where m <= ramp[k].month {
          let a = ramp[k - 1], b = ramp[k]
          let span = Double(b.month.months(since: a.month))
          let t = span > 0 ? Double(m.months(since: a.month)) / span : 1
          f = a.fraction + (b.fraction - a.fraction) * t
          break
        }
      }
    }
    for o in outages where m >= o.from && m <= o.to { f = min(f, o.fraction) }
    return f
  }
}

/// A conversion at a site: inputs become outputs at a rate up to `capacity`.
public struct Process: Sendable, Identifiable {
  public var id: ProcessID
  public var name: String
  public var site: SiteID
  public var stage: Stage
  /// The material whose rate `capacity` measures (an input or an output); recipe amounts are per kg of it.
  public var reference: MaterialID
  public var inputs: [RecipeTerm]
  public var outputs: [RecipeTerm]
  public var losses: Losses
  /// Nameplate capacity in kg/s of the reference material.
  public var capacity: Double
  public var availability: Availability
  public var source: String?
  /// A cascade design that supplies the outputs (resolved by `ScenarioLink`; nil = typed recipe).
  public var cascade: CascadeLink?

  public init(
    id: ProcessID, name: String, site: SiteID, stage: Stage, reference: MaterialID, inputs: [RecipeTerm],
    outputs: [RecipeTerm], losses: Losses, capacity: Double, availability: Availability = .always, source: String? = nil,
    cascade: CascadeLink? = nil
  ) {
    self.cascade = cascade
    self.id = id
    self.name = name
    self.site = site
    self.stage = stage
    self.reference = reference
    self.inputs = inputs
    self.outputs = outputs
    self.losses = losses
    self.capacity = capacity
    self.availability = availability
    self.source = source
  }
}

/// A transport route between two sites.
public struct Link: Sendable, Identifiable {
  public var id: LinkID
  public var from: SiteID
  public var to: SiteID
  /// Materials the link carries; empty means any.
  public var materials: [MaterialID]
  /// Whole months between shipping and arrival (0 = same month).
  public var leadTime: Int
  /// Maximum total flow in kg/s; `nil` = unlimited.
  public var capacity: Double?
  /// Freight and handling cost in USD/kg.
  public var cost: Double
  /// Sourcing preference of the destination: links with priority 1 are drawn on first, then 2, …;
  /// links of equal priority share the destination's need in proportion to what their origins can ship.
  public var priority: Int
  public var source: String?

  public init(
    id: LinkID, from: SiteID, to: SiteID, materials: [MaterialID] = [], leadTime: Int = 1, capacity: Double? = nil, cost: Double = 0,
    priority: Int = 1, source: String? = nil
  ) {
    self.id = id
    self.from = from
    self.to = to
    self.materials = materials
    self.leadTime = leadTime
    self.capacity = capacity
    self.cost = cost
    self.priority = priority
    self.source = source
  }
}

/// A toll-conversion contract: the principal ships `input` to the processor, keeps title,
/// and receives `shareReturned` of the `output` made from it; the rest is the processor's fee in kind.
public struct TollingAgreement: Sendable, Identifiable {
  public var id: AgreementID
  /// The principal's site that ships the input.
  public var principal: SiteID
  /// The processor's site where the conversion runs.
  public var processor: SiteID
  /// Where returned output is delivered (default: the principal's site).
  public var returnTo: SiteID
  public var input: MaterialID
  public var output: MaterialID
  /// The most input shipped per second (kg/s); `nil` = all the principal's surplus of `input`.
  public var inputRate: Double?
  /// Fraction (0…1) of the output made from the principal's input that goes back to the principal.
  public var shareReturned: Double
  /// Cash toll fee in USD per kg of output returned (0 if the fee is only in kind).
  public var cashFee: Double
  public var start: YearMonth?
  public var end: YearMonth?
  public var source: String?

  public init(
    id: AgreementID, principal: SiteID, processor: SiteID, returnTo: SiteID? = nil, input: MaterialID, output: MaterialID,
    inputRate: Double? = nil, shareReturned: Double, cashFee: Double = 0, start: YearMonth? = nil, end: YearMonth? = nil,
    source: String? = nil
  ) {
    self.id = id
    self.principal = principal
    self.processor = processor
    self.returnTo = returnTo ?? principal
    self.input = input
    self.output = output
    self.inputRate = inputRate
    self.shareReturned = shareReturned
    self.cashFee = cashFee
    self.start = start
    self.end = end
    self.source = source
  }

  /// True when the agreement is in force in month `m`.
  public func isActive(at m: YearMonth) -> Bool {
    if let s = start, m < s { return false }
    if let e = end, m > e { return false }
    return true
  }
}

/// A trade measure on flows from one country to others.
public struct TradePolicy: Sendable, Identifiable {
  public enum Kind: Sendable {
    /// No flow at all.
    case ban
    /// Flow capped at a rate in kg/s (summed over the covered materials and destinations).
    case quota(Double)
    /// Licensing: a fraction (0…1) of requested flow is approved, after `delay` months.
    case licence(approval: Double, delay: Int)
  }

  public var id: PolicyID
  public var name: String
  public var kind: Kind
  /// Exporting country (ISO alpha-2).
  public var origin: String
  /// Importing countries; empty = every country other than the origin.
  public var destinations: [String]
  /// The policy covers a material that contains any of these elements above `deMinimis`.
  public var elements: [Element]
  /// …or is one of these materials.
  public var materials: [MaterialID]
  /// …or has one of these forms (with the element test, e.g. magnets containing Dy or Tb).
  public var forms: [MaterialForm]
  /// Mass fraction below which an element does not bring a material under the policy.
  public var deMinimis: Double
  /// Tolling agreements whose shipments the policy does not apply to.
  public var exemptAgreements: [AgreementID]
  public var from: YearMonth?
  public var until: YearMonth?
  public var source: String?

  public init(
    id: PolicyID, name: String, kind: Kind, origin: String, destinations: [String] = [], elements: [Element] = [],
    materials: [MaterialID] = [], forms: [MaterialForm] = [], deMinimis: Double = 0, exemptAgreements: [AgreementID] = [],
    from: YearMonth? = nil, until: YearMonth? = nil, source: String? = nil
  ) {
    self.id = id
    self.name = name
    self.kind = kind
    self.origin = origin
    self.destinations = destinations
    self.elements = elements
    self.materials = materials
    self.forms = forms
    self.deMinimis = deMinimis
    self.exemptAgreements = exemptAgreements
    self.from = from
    self.until = until
    self.source = source
  }

  public func isActive(at m: YearMonth) -> Bool {
    if let f = from, m < f { return false }
    if let u = until, m > u { return false }
    return true
  }

  /// True when the policy covers `material` (by id, or by form and element content).
  public func covers(_ material: Material) -> Bool {
    if materials.contains(material.id) { return true }
    if !forms.isEmpty && !forms.contains(material.form) { return false }
    if elements.isEmpty { return !forms.isEmpty }
    return elements.contains { material.composition.fraction(of: $0) > deMinimis }
  }

  /// True when a flow from `origin` to `destination` falls under the policy's countries.
  public func appliesTo(origin o: String, destination d: String) -> Bool {
    o == origin && d != origin && (destinations.isEmpty || destinations.contains(d))
  }
}

/// End-use sectors that demand magnets (kebab-case in files).
public enum Sector: String, Sendable, CaseIterable, Codable, Comparable {
  case evTraction = "ev-traction"
  case twoThreeWheelers = "two-three-wheelers"
  case wind
  case electronics
  case defence
  case industrialMotors = "industrial-motors"
  case other

  public static func < (a: Sector, b: Sector) -> Bool {
    allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
  }
}

/// Demand of one sector for one material at a site, in end units per period with a material intensity.
public struct Demand: Sendable, Identifiable {
  public var id: DemandID
  public var sector: Sector
  public var site: SiteID
  public var material: MaterialID
  /// The end unit counted (`vehicle`, `MW`, `unit`).
  public var endUnit: String
  /// End units per second at the scenario start (units/s; for MW, W/s is not used: MW per second).
  public var rate: Double
  /// Compound growth of `rate` per year (0.1 = 10 %/yr).
  public var growth: Double
  /// Optional explicit rates by month (end units/s), linearly interpolated; overrides `rate` and `growth`.
  public var series: [(month: YearMonth, rate: Double)]
  /// kg of material per end unit.
  public var intensity: Double
  /// 1 is served first; equal priorities share pro rata.
  public var priority: Int
  /// Value lost per end unit not supplied, USD (for reporting the value of unmet demand).
  public var valuePerUnit: Double?
  public var source: String?

  public init(
    id: DemandID, sector: Sector, site: SiteID, material: MaterialID, endUnit: String, rate: Double, growth: Double = 0,
    series: [(month: YearMonth, rate: Double)] = [], intensity: Double, priority: Int = 1, valuePerUnit: Double? = nil,
    source: String? = nil
  ) {
    self.id = id
    self.sector = sector
    self.site = site
    self.material = material
    self.endUnit = endUnit
    self.rate = rate
    self.growth = growth
    self.series = series
    self.intensity = intensity
    self.priority = priority
    self.valuePerUnit = valuePerUnit
    self.source = source
  }

  /// End units demanded per second in month `m` (month index `k` from the scenario start).
  public func units(at m: YearMonth, monthIndex k: Int) -> Double {
    if let first = series.first {
      if m <= first.month { return first.rate }
      if let last = series.last, m >= last.month { return last.rate }
      for i in 1..<series.count where m <= series[i].month {
        let a = series[i - 1], b = series[i]
        let span = Double(b.month.months(since: a.month))
        let t = span > 0 ? Double(m.months(since: a.month)) / span : 1
        return a.rate + (b.rate - a.rate) * t
      }
      return first.rate
    }
    return rate * pow1p(growth, Double(k) / 12)
  }
}

/// (1 + g)^t, for compound growth rates.
func pow1p(_ g: Double, _ t: Double) -> Double {
  guard g != 0, t != 0 else { return 1 }
  return Foundation.pow(1 + g, t)
}

/// A strategic reserve of one material at a site: filled from surplus, released to cover shortfalls.
public struct Reserve: Sendable, Identifiable {
  public var id: ReserveID
  public var site: SiteID
  public var material: MaterialID
  /// Level the reserve fills towards, kg.
  public var target: Double
  /// Level at the start, kg.
  public var initial: Double
  /// Maximum fill per second, kg/s (`nil` = unlimited).
  public var fillRate: Double?
  /// Level below which nothing is released, kg.
  public var floor: Double
  /// Sectors whose shortfalls the reserve covers; empty = all at the site.
  public var releaseTo: [Sector]
  /// First month the reserve may fill.
  public var fillFrom: YearMonth?
  /// Holding cost, USD per kg per year.
  public var holdingCost: Double
  public var source: String?

  public init(
    id: ReserveID, site: SiteID, material: MaterialID, target: Double, initial: Double = 0, fillRate: Double? = nil,
    floor: Double = 0, releaseTo: [Sector] = [], fillFrom: YearMonth? = nil, holdingCost: Double = 0, source: String? = nil
  ) {
    self.id = id
    self.site = site
    self.material = material
    self.target = target
    self.initial = initial
    self.fillRate = fillRate
    self.floor = floor
    self.releaseTo = releaseTo
    self.fillFrom = fillFrom
    self.holdingCost = holdingCost
    self.source = source
  }
}

/// An investment the planner may make: capacity modules added to a process (an expansion of a
/// running plant, or a new plant declared as a process with zero capacity). The simulation never
/// builds candidates; `lodestone plan` decides how many modules to start and when.
public struct Candidate: Sendable, Identifiable {
  public var id: CandidateID
  public var name: String
  /// The process whose capacity the modules add to (its site is where the plant is built).
  public var process: ProcessID
  /// Capacity of one module, kg/s of the process's capacity basis.
  public var moduleCapacity: Double
  /// The most modules that may be built over the horizon.
  public var maxModules: Int
  /// Capital cost of one module, USD, paid in the month construction starts.
  public var capexPerModule: Double
  /// Fixed operating cost of one module once it operates, USD/s (files write USD/yr).
  public var fixedOpexPerModule: Double
  /// Whole months from the start of construction to the first month of operation.
  public var leadTime: Int
  /// First month construction may start (`nil` = the scenario start).
  public var earliestStart: YearMonth?
  public var source: String?

  public init(
    id: CandidateID, name: String, process: ProcessID, moduleCapacity: Double, maxModules: Int, capexPerModule: Double,
    fixedOpexPerModule: Double = 0, leadTime: Int, earliestStart: YearMonth? = nil, source: String? = nil
  ) {
    self.id = id
    self.name = name
    self.process = process
    self.moduleCapacity = moduleCapacity
    self.maxModules = maxModules
    self.capexPerModule = capexPerModule
    self.fixedOpexPerModule = fixedOpexPerModule
    self.leadTime = leadTime
    self.earliestStart = earliestStart
    self.source = source
  }
}

/// Prices of a material by month in one currency.
public struct PriceSeries: Sendable {
  public var material: MaterialID
  public var currency: String
  /// Currency units per kg, by month, step-wise (each price holds until the next).
  public var points: [(month: YearMonth, perKg: Double)]
  public var source: String?

  public init(material: MaterialID, currency: String, points: [(month: YearMonth, perKg: Double)], source: String? = nil) {
    self.material = material
    self.currency = currency
    self.points = points
    self.source = source
  }

  /// Price per kg in month `m` (the last point at or before `m`, or the first).
  public func price(at m: YearMonth) -> Double? {
    guard var p = points.first?.perKg else { return nil }
    for pt in points where pt.month <= m { p = pt.perKg }
    return p
  }
}

/// A complete scenario: the network, its contracts and policies, demand, reserves and prices.
public struct Scenario: Sendable {
  public var name: String
  public var description: String
  /// First simulated month.
  public var start: YearMonth
  /// Number of months simulated.
  public var months: Int
  /// Elements whose balance is tracked and reported (default: every rare earth present, plus Th and U).
  public var elements: [Element]
  public var materials: [Material]
  public var sites: [Site]
  public var processes: [Process]
  public var links: [Link]
  public var agreements: [TollingAgreement]
  public var policies: [TradePolicy]
  public var demands: [Demand]
  public var reserves: [Reserve]
  public var prices: [PriceSeries]
  /// Investments the planner may make (never built by the simulation).
  public var candidates: [Candidate]

  public init(
    name: String, description: String = "", start: YearMonth, months: Int, elements: [Element]? = nil,
    materials: [Material], sites: [Site], processes: [Process] = [], links: [Link] = [],
    agreements: [TollingAgreement] = [], policies: [TradePolicy] = [], demands: [Demand] = [],
    reserves: [Reserve] = [], prices: [PriceSeries] = [], candidates: [Candidate] = []
  ) {
    self.name = name
    self.description = description
    self.start = start
    self.months = months
    self.materials = materials
    self.sites = sites
    self.processes = processes
    self.links = links
    self.agreements = agreements
    self.policies = policies
    self.demands = demands
    self.reserves = reserves
    self.prices = prices
    self.candidates = candidates
    self.elements = elements ?? Scenario.defaultElements(materials)
  }

  /// Every rare earth present in any material, plus Th and U when present, by atomic number.
  public static func defaultElements(_ materials: [Material]) -> [Element] {
    var set = Set<Element>()
    for m in materials {
      for e in m.composition.elements where e.isRareEarth || e == .Th || e == .U { set.insert(e) }
    }
    return set.sorted()
  }

  /// The months simulated, in order.
  public var calendar: [YearMonth] { (0..<months).map { start.adding(months: $0) } }

  public func material(_ id: MaterialID) -> Material? { materials.first { $0.id == id } }
  public func site(_ id: SiteID) -> Site? { sites.first { $0.id == id } }
}
