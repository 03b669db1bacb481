import Quantities
import SupplyChain

/// What a key of the scenario format holds. The decoder parses values by their kind and the
/// JSON Schema is generated from the same kinds, so the two cannot disagree.
public indirect enum AttributeKind: Sendable {
  /// Free text.
  case text
  /// A kebab-case identifier of the entity itself.
  case identifier
  /// The id of an entity in another section (`materials`, `sites`, `agreements`).
  case reference(section: String)
  /// A whole number in `range`.
  case integer(ClosedRange<Int>)
  /// A plain (dimensionless) number.
  case number
  /// A quantity with a unit, one of these dimensions (`"450 t/yr"`).
  case quantity([Dimension])
  /// A fraction: `95 %`, `0.95`, `500 ppm`.
  case fraction
  /// A whole number of months written as a duration (`2 months`, `1 yr`).
  case months
  /// A calendar month `YYYY-MM`.
  case month
  /// A chemical formula (`Nd2O3`, `(Nd0.8Pr0.2)2O3`).
  case formula
  /// A chemical element symbol.
  case element
  /// An ISO 3166-1 alpha-2 country code.
  case country
  /// One of a fixed set of words.
  case choice([String])
  /// A list of values.
  case list(AttributeKind)
  /// A mapping from keys of one kind to values of another.
  case map(key: AttributeKind, value: AttributeKind)
  /// A nested object.
  case object(Section)
  /// A list of objects.
  case objects(Section)
  /// Either of several kinds (e.g. `losses: rest` or `losses: {Nd: 2 %}`).
  case oneOf([AttributeKind])
  /// Any YAML value (variant `set` values).
  case any
}

/// One key of a section: its name, kind, whether it is required, and what it means.
public struct Attribute: Sendable {
  public let name: String
  public let kind: AttributeKind
  public let required: Bool
  public let description: String

  public init(_ name: String, _ kind: AttributeKind, required: Bool = false, _ description: String) {
    self.name = name
    self.kind = kind
    self.required = required
    self.description = description
  }
}

/// A section of the format (the document, a material, a process, …) and its keys.
public struct Section: Sendable {
  /// The entity name used in messages ("material", "process").
  public let name: String
  public let description: String
  public let attributes: [Attribute]

  public init(_ name: String, _ description: String, _ attributes: [Attribute]) {
    self.name = name
    self.description = description
    self.attributes = attributes
  }

  public var keys: [String] { attributes.map(\.name) }
  public func attribute(_ name: String) -> Attribute? { attributes.first { $0.name == name } }
}

/// The scenario format, schema-version 1, declared once: the decoder checks keys against these
/// tables and ``ScenarioSchema`` turns them into a JSON Schema.
public enum FormatSpec {
  public static let schemaVersion = 1

  static let provenance: [Attribute] = [
    Attribute("source", .text, "The citation behind this entity's numbers."),
    Attribute("note", .text, "A free note."),
  ]

  static let materialForms = MaterialForm.allCases.map(\.rawValue)
  static let stages = Stage.allCases.map(\.rawValue)
  static let sectors = Sector.allCases.map(\.rawValue)
  static let massRate = AttributeKind.quantity([.massRate])
  static let mass = AttributeKind.quantity([.mass])
  static let price = AttributeKind.quantity([.moneyPerMass])

  public static let units = Section(
    "units", "The unit assumed for a bare number, per dimension (without it, bare numbers are errors).",
    [
      Attribute("mass", .text, "Unit of bare masses, e.g. t."),
      Attribute("mass-rate", .text, "Unit of bare mass rates, e.g. t/yr."),
      Attribute("duration", .text, "Unit of bare durations, e.g. months."),
      Attribute("price", .text, "Unit of bare prices, e.g. USD/kg."),
      Attribute("money", .text, "Unit of bare amounts of money, e.g. USD."),
    ])

  /// The dimension each `units` key sets.
  public static let unitDimensions: [(key: String, dimension: Dimension)] = [
    ("mass", .mass), ("mass-rate", .massRate), ("duration", .time), ("price", .moneyPerMass), ("money", .money),
  ]

  public static let material = Section(
    "material", "A material: its form and its element composition (by formula or by assay).",
    [
      Attribute("id", .identifier, required: true, "Unique kebab-case id."),
      Attribute("name", .text, "Display name (default: the id)."),
      Attribute("form", .choice(materialForms), required: true, "What the material is."),
      Attribute("formula", .formula, "A pure compound: composition from the formula (e.g. Nd2O3)."),
      Attribute(
        "assay", .map(key: .formula, value: .fraction),
        "Mass fractions of compounds and/or elements; a compound's share is split over its elements."),
    ] + provenance)

  public static let site = Section(
    "site", "A plant, mine, port or market in a country.",
    [
      Attribute("id", .identifier, required: true, "Unique kebab-case id."),
      Attribute("name", .text, "Display name (default: the id)."),
      Attribute("country", .country, required: true, "ISO 3166-1 alpha-2 country code (IN, CN, JP, …)."),
      Attribute("owner", .text, "The organisation that owns the site (default: the id)."),
      Attribute("stocks", .map(key: .reference(section: "materials"), value: mass), "Initial stocks by material (mass)."),
    ] + provenance)

  public static let outage = Section(
    "outage", "A planned outage: the fraction of capacity available from one month through another.",
    [
      Attribute("from", .month, required: true, "First month of the outage."),
      Attribute("to", .month, required: true, "Last month of the outage (inclusive)."),
      Attribute("availability", .fraction, required: true, "Fraction of capacity available meanwhile."),
    ])

  public static let lossChoices = ["none", "rest"]

  public static let process = Section(
    "process", "A conversion at a site: a recipe of inputs and outputs per kg of the capacity basis.",
    [
      Attribute("id", .identifier, required: true, "Unique kebab-case id."),
      Attribute("name", .text, "Display name (default: the id)."),
      Attribute("site", .reference(section: "sites"), required: true, "Where the process runs."),
      Attribute("stage", .choice(stages), required: true, "The value-chain stage."),
      Attribute("capacity", massRate, required: true, "Nameplate rate of the capacity basis (e.g. 10000 t/yr)."),
      Attribute(
        "capacity-basis", .reference(section: "materials"),
        "The material the capacity measures (default: the first input, else the first output)."),
      Attribute("inputs", .map(key: .reference(section: "materials"), value: .number), "kg of each input per kg of the capacity basis."),
      Attribute("outputs", .map(key: .reference(section: "materials"), value: .number), "kg of each output per kg of the capacity basis."),
      Attribute(
        "losses", .oneOf([.choice(lossChoices), .map(key: .element, value: .fraction)]),
        "none (every tracked element balances), rest (the remainder is lost), or fractions per element."),
      Attribute("commissioning", .month, "First month of operation."),
      Attribute("decommissioning", .month, "Last month of operation."),
      Attribute("ramp", .map(key: .month, value: .fraction), "Piecewise-linear availability by month."),
      Attribute("outages", .objects(outage), "Planned outages."),
      Attribute("cascade", .object(cascade), "Outputs from a solvent-extraction cascade design instead of typed-in yields."),
    ] + provenance)

  public static let cascadeTargets = Section(
    "cascade-targets", "Targets of every cut of the train (a cut's '@purity' overrides the purities).",
    [
      Attribute("purity", .fraction, "Group purity of both outlets (default 99.9 %)."),
      Attribute("purity-organic", .fraction, "Group purity of the organic product (heavy side)."),
      Attribute("purity-aqueous", .fraction, "Group purity of the raffinate (light side)."),
      Attribute("recovery-organic", .fraction, "Recovery of the heavy group into the organic product."),
      Attribute("recovery-aqueous", .fraction, "Recovery of the light group into the raffinate."),
    ])

  public static let cascade = Section(
    "cascade", "A separation train designed from separation factors; its products become the process outputs.",
    [
      Attribute("system", .text, required: true, "Extractant system id, e.g. p507-hcl (see `lodestone sx factors --all`)."),
      Attribute(
        "feed", .oneOf([.reference(section: "materials"), .map(key: .formula, value: .fraction)]), required: true,
        "The feed: a material id, or an assay (e.g. {La2O3: 23 %, CeO2: 46 %, Nd2O3: 19 %, Pr6O11: 5 %})."),
      Attribute("cut", .text, "One cut, light|heavy, e.g. 'Pr|Nd' (or use cuts)."),
      Attribute("cuts", .list(.text), "A train of cuts in order, e.g. ['Nd|Sm', 'Ce|Pr', 'La|Ce', 'Pr|Nd@99.5%']."),
      Attribute("targets", .object(cascadeTargets), "Purity and recovery targets of every cut."),
      Attribute(
        "products", .map(key: .reference(section: "materials"), value: .text), required: true,
        "Output material ← product stream named by its first and last member, e.g. {ndpr-oxide: PrNd, la-oxide: La}."),
      Attribute("yield", .fraction, "Plant yield on top of the ideal design (default 100 %)."),
      Attribute("max-stages", .integer(2...5000), "Largest extraction + scrub stage count of any cascade (default 600)."),
    ])

  public static let link = Section(
    "link", "A transport route between two sites.",
    [
      Attribute("id", .identifier, required: true, "Unique kebab-case id."),
      Attribute("from", .reference(section: "sites"), required: true, "Shipping site."),
      Attribute("to", .reference(section: "sites"), required: true, "Receiving site."),
      Attribute("materials", .list(.reference(section: "materials")), "Materials carried (default: any)."),
      Attribute("lead-time", .months, required: true, "Whole months between shipping and arrival (0 months = same month)."),
      Attribute("capacity", massRate, "Maximum total flow (default: unlimited)."),
      Attribute("cost", price, "Freight and handling cost per kg."),
      Attribute("priority", .integer(1...1000), "Sourcing preference of the destination: priority-1 links are drawn on first, then 2, …; equal priorities share pro rata (default 1)."),
    ] + provenance)

  public static let agreement = Section(
    "agreement", "A tolling agreement: the principal ships input to the processor and gets a share of the output back.",
    [
      Attribute("id", .identifier, required: true, "Unique kebab-case id."),
      Attribute("principal", .reference(section: "sites"), required: true, "The principal's site; ships the input, keeps title."),
      Attribute("processor", .reference(section: "sites"), required: true, "The processor's site; converts the input."),
      Attribute("return-to", .reference(section: "sites"), "Where returned output goes (default: the principal)."),
      Attribute("input", .reference(section: "materials"), required: true, "The material shipped."),
      Attribute("output", .reference(section: "materials"), required: true, "The material returned."),
      Attribute("input-rate", massRate, "Most input shipped (default: all the principal's surplus)."),
      Attribute("share-returned", .fraction, required: true, "Share of the output made from the principal's input that is returned."),
      Attribute("cash-fee", price, "Cash fee per kg returned."),
      Attribute("start", .month, "First month in force."),
      Attribute("end", .month, "Last month in force."),
    ] + provenance)

  public static let policyKinds = ["ban", "quota", "licence"]

  public static let policy = Section(
    "policy", "A trade measure on flows from one country: a ban, a quota or a licence regime.",
    [
      Attribute("id", .identifier, required: true, "Unique kebab-case id."),
      Attribute("name", .text, "Display name (default: the id)."),
      Attribute("origin", .country, required: true, "Exporting country (ISO alpha-2)."),
      Attribute("destinations", .list(.country), "Importing countries (default: every other country)."),
      Attribute("kind", .choice(policyKinds), required: true, "ban, quota or licence."),
      Attribute("quota", massRate, "quota: cap on the covered flow."),
      Attribute("approval", .fraction, "licence: fraction of requested flow approved."),
      Attribute("delay", .months, "licence: months from request to shipment."),
      Attribute("elements", .list(.element), "Covers materials containing any of these elements above de-minimis."),
      Attribute("materials", .list(.reference(section: "materials")), "Covers these materials."),
      Attribute("forms", .list(.choice(materialForms)), "Restricts coverage to these forms."),
      Attribute("de-minimis", .fraction, "Mass fraction below which an element does not bring a material under the policy."),
      Attribute("exempt-agreements", .list(.reference(section: "agreements")), "Tolling agreements the policy does not apply to."),
      Attribute("from", .month, "First month in force."),
      Attribute("until", .month, "Last month in force."),
    ] + provenance)

  /// Rates of end units: count per time or installed power per time.
  static let endUnitRate = AttributeKind.quantity([.countRate, .powerRate])

  public static let demand = Section(
    "demand", "Demand of one sector for one material at a site, in end units with a material intensity.",
    [
      Attribute("id", .identifier, required: true, "Unique kebab-case id."),
      Attribute("sector", .choice(sectors), required: true, "The end-use sector."),
      Attribute("site", .reference(section: "sites"), required: true, "Where the demand is."),
      Attribute("material", .reference(section: "materials"), required: true, "The material demanded."),
      Attribute("units", endUnitRate, required: true, "End units per time (e.g. 150000 vehicle/yr, 2000 MW/yr)."),
      Attribute("growth", .fraction, "Growth per year, compounded monthly."),
      Attribute("series", .map(key: .month, value: endUnitRate), "End units per time by month; overrides units and growth."),
      Attribute(
        "intensity", .quantity([.massPerCount, .massPerPower]), required: true,
        "Material per end unit (e.g. 1.5 kg/vehicle, 0.6 t/MW)."),
      Attribute("priority", .integer(1...1000), "1 is served first; equal priorities share pro rata."),
      Attribute(
        "value", .quantity([Dimension(money: 1, count: -1), Dimension(money: 1, power: -1)]),
        "Value of one end unit not supplied (e.g. 20000 USD/vehicle)."),
    ] + provenance)

  public static let reserve = Section(
    "reserve", "A strategic reserve of one material at a site.",
    [
      Attribute("id", .identifier, required: true, "Unique kebab-case id."),
      Attribute("site", .reference(section: "sites"), required: true, "Where the reserve is held."),
      Attribute("material", .reference(section: "materials"), required: true, "The material held."),
      Attribute("target", mass, required: true, "Level the reserve fills towards."),
      Attribute("initial", mass, "Level at the start."),
      Attribute("fill-rate", .quantity([.massRate]), "Maximum fill rate (default: unlimited)."),
      Attribute("floor", mass, "Level below which nothing is released."),
      Attribute("release-to", .list(.choice(sectors)), "Sectors whose shortfalls it covers (default: all at the site)."),
      Attribute("fill-from", .month, "First month the reserve may fill."),
      Attribute("holding-cost", price, "Holding cost per kg per year."),
    ] + provenance)

  public static let priceSeries = Section(
    "price", "Step-wise prices of one material in one currency.",
    [
      Attribute("material", .reference(section: "materials"), required: true, "The material priced."),
      Attribute("points", .map(key: .month, value: price), required: true, "Price per kg by month; each holds until the next."),
    ] + provenance)

  public static let candidate = Section(
    "candidate", "An investment the planner may make: capacity modules added to a process (never built by the simulation).",
    [
      Attribute("id", .identifier, required: true, "Unique kebab-case id."),
      Attribute("name", .text, "Display name (default: the id)."),
      Attribute(
        "process", .reference(section: "processes"), required: true,
        "The process the modules add capacity to; a new plant is a process with capacity 0 t/yr."),
      Attribute("module", massRate, required: true, "Capacity of one module, of the process's capacity basis (e.g. 500 t/yr)."),
      Attribute("max-modules", .integer(1...1000), required: true, "The most modules that may be built."),
      Attribute("capex", .quantity([.money]), required: true, "Capital cost per module, in USD (e.g. 40 MUSD), paid when construction starts."),
      Attribute("fixed-opex", .quantity([.moneyRate]), "Fixed operating cost per module once it operates (e.g. 2 MUSD/yr)."),
      Attribute("lead-time", .months, required: true, "Months from the start of construction to the first month of operation."),
      Attribute("earliest-start", .month, "First month construction may start (default: the scenario start)."),
    ] + provenance)

  public static let variant = Section(
    "variant", "A named edit of the scenario, applied before decoding.",
    [
      Attribute("name", .identifier, required: true, "The variant's name (lodestone … --variant NAME)."),
      Attribute("description", .text, "What the variant changes and why."),
      Attribute("set", .map(key: .text, value: .any), "Path → new value; list items are addressed by their id."),
      Attribute("remove", .list(.text), "Paths of entities or keys to drop."),
      Attribute("add", .map(key: .choice(entitySections), value: .list(.any)), "Entities to append, by section."),
    ])

  /// Sections that hold lists of entities (the targets of variant `add`).
  public static let entitySections = [
    "materials", "sites", "processes", "links", "agreements", "policies", "demands", "reserves", "prices", "candidates",
  ]

  public static let document = Section(
    "scenario", "A Lodestone scenario: a rare-earth value chain, its contracts, policies and demand.",
    [
      Attribute("schema-version", .integer(1...1), required: true, "The format version; must be 1."),
      Attribute("name", .identifier, required: true, "Scenario name."),
      Attribute("description", .text, "What the scenario represents."),
      Attribute("start", .month, required: true, "First simulated month."),
      Attribute("months", .integer(1...1200), required: true, "Number of months simulated."),
      Attribute("units", .object(units), "Units assumed for bare numbers, per dimension."),
      Attribute("elements", .list(.element), "Elements tracked (default: every rare earth present, plus Th and U)."),
      Attribute("materials", .objects(material), required: true, "Materials."),
      Attribute("sites", .objects(site), required: true, "Sites."),
      Attribute("processes", .objects(process), "Processes (recipes)."),
      Attribute("links", .objects(link), "Transport links."),
      Attribute("agreements", .objects(agreement), "Tolling agreements."),
      Attribute("policies", .objects(policy), "Trade policies."),
      Attribute("demands", .objects(demand), "Demand by sector."),
      Attribute("reserves", .objects(reserve), "Strategic reserves."),
      Attribute("prices", .objects(priceSeries), "Prices by material and month."),
      Attribute("candidates", .objects(candidate), "Investments the planner may make (lodestone plan)."),
      Attribute("variants", .objects(variant), "Named edits of the scenario."),
    ] + provenance)

  /// Every section, for documentation and tests.
  public static let sections: [Section] = [
    document, units, material, site, process, outage, link, agreement, policy, demand, reserve, priceSeries, candidate, variant,
    cascade, cascadeTargets,
  ]
}
