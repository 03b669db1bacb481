import Chemistry
import Quantities
import Reports
import Simulation
import SupplyChain

/// Shared scenarios and parsers for the report tests.
enum Fixtures {
  static let start = YearMonth(ordinal: 2026 * 12)
  static let perMonth = 1.0 / secondsPerMonth  // kg/month → kg/s
  static let ndMetal = Material(id: "nd", name: "Nd metal", form: .metal, composition: Composition([.Nd: 1]))

  /// Source A (country `countryA`) makes 10 t/month of Nd metal; link A→B has a 2-month lead;
  /// B (IN) has demand of 4 t/month for defence (priority 1) and 8 t/month for EV motors
  /// (priority 2), both at 1 kg per unit. 12 months from 2026-01. (As in the engine's own
  /// hand-calculated tests: A ships 10 t in each of months 1…11, arrivals start in month 3,
  /// then defence gets 4 t and EV 6 t each month.)
  static func chain(policies: [TradePolicy] = [], countryA: String = "IN") -> Scenario {
    Scenario(
      name: "chain", start: start, months: 12, materials: [ndMetal],
      sites: [Site(id: "a", name: "A", country: countryA, owner: "x"), Site(id: "b", name: "B", country: "IN", owner: "y")],
      processes: [
        Process(
          id: "mine", name: "Mine", site: "a", stage: .mining, reference: "nd", inputs: [],
          outputs: [RecipeTerm(material: "nd", amount: 1)], losses: .none, capacity: 10_000 * perMonth)
      ],
      links: [Link(id: "ab", from: "a", to: "b", leadTime: 2)],
      policies: policies,
      demands: [
        Demand(id: "p1", sector: .defence, site: "b", material: "nd", endUnit: "unit", rate: 4_000 * perMonth, intensity: 1, priority: 1),
        Demand(id: "p2", sector: .evTraction, site: "b", material: "nd", endUnit: "vehicle", rate: 8_000 * perMonth, intensity: 1, priority: 2),
      ])
  }

  static func run(_ s: Scenario, variant: String? = nil) throws -> SimulationResult {
    try SimulationEngine(scenario: s).run(variant: variant)
  }

  static let generator = ScenarioGenerator(sites: 12, materials: 4, months: 30)
}

/// Parses RFC 4180 CSV (quoted fields with doubled quotes, no embedded newlines needed here).
func parseCSV(_ text: String) -> [[String]] {
  var rows: [[String]] = []
  for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
    var fields: [String] = []
    var cur = ""
    var quoted = false
    var chars = Array(line)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if quoted {
        if c == "\"" {
          if i + 1 < chars.count && chars[i + 1] == "\"" {
            cur.append("\"")
            i += 1
          } else {
            quoted = false
          }
        } else {
          cur.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        fields.append(cur)
        cur = ""
      } else {
        cur.append(c)
      }
      i += 1
    }
    fields.append(cur)
    chars.removeAll()
    rows.append(fields)
  }
  return rows
}

/// The row of `table` whose leading cells equal `labels`.
func row(_ table: Table, _ labels: [String]) -> [String]? {
  table.rows.first { Array($0.prefix(labels.count)) == labels }
}

/// The numeric value in `column` of that row.
func value(_ table: Table, _ labels: [String], column: String) -> Double? {
  guard let r = row(table, labels), let c = table.columns.firstIndex(of: column), c < r.count else { return nil }
  return Double(r[c])
}

func sumAll(_ xs: [Double]) -> Double { xs.reduce(0, +) }

extension Fixtures {
  static let perYear = 1.0 / secondsPerYear  // kg/yr → kg/s
  static func ym(_ y: Int, _ m: Int) -> YearMonth { YearMonth(ordinal: y * 12 + m - 1) }

  /// A small India-shaped chain for the report tests and the examples in docs/reports.md. The
  /// numbers are round illustrations, not the sourced India scenario: beach-sand monazite is
  /// cracked and separated in India (IN) into NdPr oxide, which goes under tolling to a Japanese
  /// magnet maker (JP, 85 % returned) and by trade to a Korean one (KR); China (CN) sells
  /// magnets under a licence regime; an Indian magnet plant ramps up from 2027; Indian demand
  /// for EV motors, wind and defence; a defence reserve; India halts oxide exports to Japan in
  /// the second half of 2026 (tolling exempt).
  static func miniIndia(months: Int = 36, licenceApproval: Double = 0.5) -> Scenario {
    let monazite = Material(id: "monazite", name: "Monazite concentrate", form: .concentrate, composition: Composition([.La: 0.13, .Ce: 0.26, .Pr: 0.026, .Nd: 0.095, .Th: 0.07]))
    let chloride = Material(id: "re-chloride", name: "Mixed RE chloride", form: .intermediate, composition: Composition([.La: 0.108, .Ce: 0.216, .Pr: 0.0216, .Nd: 0.079]))
    let ndpr = Material(id: "ndpr-oxide", name: "NdPr oxide", form: .oxide, composition: Composition([.Nd: 0.688, .Pr: 0.168]))
    let lace = Material(id: "lace-carbonate", name: "La-Ce carbonate", form: .intermediate, composition: Composition([.La: 0.2, .Ce: 0.4]))
    let magnet = Material(id: "ndfeb", name: "NdFeB magnet", form: .magnet, composition: Composition([.Nd: 0.24, .Pr: 0.06]))
    let sites = [
      Site(id: "irel-mk", name: "IREL Manavalakurichi", country: "IN", owner: "IREL"),
      Site(id: "irel-oscom", name: "IREL OSCOM", country: "IN", owner: "IREL"),
      Site(id: "in-magnets", name: "Indian magnet plant", country: "IN", owner: "scheme"),
      Site(id: "jp-partner", name: "Japanese partner", country: "JP", owner: "partner-jp"),
      Site(id: "kr-partner", name: "Korean partner", country: "KR", owner: "partner-kr"),
      Site(id: "cn-magnets", name: "Chinese magnet makers", country: "CN", owner: "market"),
      Site(id: "in-market", name: "Indian users", country: "IN", owner: "market", initialStocks: [("ndfeb", 300_000)]),
    ]
    let makeMagnet = { (id: String, site: SiteID, cap: Double, avail: Availability) in
      Process(
        id: ProcessID(id), name: id, site: site, stage: .magnet, reference: "ndfeb", inputs: [RecipeTerm(material: "ndpr-oxide", amount: 0.37)],
        outputs: [RecipeTerm(material: "ndfeb", amount: 1)], losses: .rest, capacity: cap * perYear, availability: avail)
    }
    let processes = [
      Process(id: "mk-mining", name: "MK mineral separation", site: "irel-mk", stage: .mining, reference: "monazite", inputs: [], outputs: [RecipeTerm(material: "monazite", amount: 1)], losses: .none, capacity: 10_000_000 * perYear),
      Process(id: "oscom-cracking", name: "OSCOM cracking", site: "irel-oscom", stage: .cracking, reference: "re-chloride", inputs: [RecipeTerm(material: "monazite", amount: 1.1)], outputs: [RecipeTerm(material: "re-chloride", amount: 1)], losses: .rest, capacity: 6_000_000 * perYear),
      Process(
        id: "oscom-separation", name: "OSCOM separation", site: "irel-oscom", stage: .separation, reference: "ndpr-oxide", inputs: [RecipeTerm(material: "re-chloride", amount: 9)],
        outputs: [RecipeTerm(material: "ndpr-oxide", amount: 1), RecipeTerm(material: "lace-carbonate", amount: 4.5)], losses: .rest, capacity: 600_000 * perYear,
        availability: Availability(ramp: [(ym(2026, 1), 0.6), (ym(2027, 12), 1)])),
      makeMagnet("jp-magnet", "jp-partner", 2_000_000, .always),
      makeMagnet("kr-magnet", "kr-partner", 1_000_000, .always),
      makeMagnet("in-magnet", "in-magnets", 1_500_000, Availability(commissioning: ym(2027, 1), ramp: [(ym(2027, 1), 0.1), (ym(2028, 12), 0.8)])),
      Process(id: "cn-supply", name: "Chinese magnet output", site: "cn-magnets", stage: .magnet, reference: "ndfeb", inputs: [], outputs: [RecipeTerm(material: "ndfeb", amount: 1)], losses: .none, capacity: 3_000_000 * perYear),
    ]
    let links = [
      Link(id: "mk-oscom", from: "irel-mk", to: "irel-oscom", leadTime: 0),
      Link(id: "oscom-jp", from: "irel-oscom", to: "jp-partner", materials: ["ndpr-oxide"], leadTime: 2),
      Link(id: "oscom-kr", from: "irel-oscom", to: "kr-partner", materials: ["ndpr-oxide"], leadTime: 2),
      Link(id: "oscom-in", from: "irel-oscom", to: "in-magnets", materials: ["ndpr-oxide"], leadTime: 1),
      Link(id: "jp-in", from: "jp-partner", to: "in-market", materials: ["ndfeb"], leadTime: 2),
      Link(id: "kr-in", from: "kr-partner", to: "in-market", materials: ["ndfeb"], leadTime: 2),
      Link(id: "cn-in", from: "cn-magnets", to: "in-market", materials: ["ndfeb"], leadTime: 2),
      Link(id: "in-in", from: "in-magnets", to: "in-market", materials: ["ndfeb"], leadTime: 0),
    ]
    return Scenario(
      name: "mini-india", description: "Illustrative India-shaped chain for report tests", start: ym(2026, 1), months: months,
      materials: [monazite, chloride, ndpr, lace, magnet], sites: sites, processes: processes, links: links,
      agreements: [
        TollingAgreement(id: "irel-jp-toll", principal: "irel-oscom", processor: "jp-partner", returnTo: "in-market", input: "ndpr-oxide", output: "ndfeb", inputRate: 60_000 * perYear, shareReturned: 0.85, start: ym(2026, 4))
      ],
      policies: [
        TradePolicy(id: "cn-licence", name: "China magnet licensing", kind: .licence(approval: licenceApproval, delay: 2), origin: "CN", elements: [.Nd], forms: [.magnet], from: ym(2026, 4)),
        TradePolicy(id: "in-oxide-halt", name: "India oxide export halt to Japan", kind: .ban, origin: "IN", destinations: ["JP"], materials: ["ndpr-oxide"], exemptAgreements: ["irel-jp-toll"], from: ym(2026, 6), until: ym(2026, 12)),
      ],
      demands: [
        Demand(id: "ev", sector: .evTraction, site: "in-market", material: "ndfeb", endUnit: "vehicle", rate: 200_000 * perYear, growth: 0.3, intensity: 1.5, priority: 2),
        Demand(id: "wind", sector: .wind, site: "in-market", material: "ndfeb", endUnit: "MW", rate: 1_000 * perYear, growth: 0.1, intensity: 600, priority: 2),
        Demand(id: "defence", sector: .defence, site: "in-market", material: "ndfeb", endUnit: "unit", rate: 2_000 * perYear, intensity: 25, priority: 1),
      ],
      reserves: [Reserve(id: "defence-reserve", site: "in-market", material: "ndfeb", target: 200_000, initial: 50_000, fillRate: 60_000 * perYear, releaseTo: [.defence])])
  }
}

/// The sector names the tables print (docs/reports.md), written out independently of the code.
let sectorLabel: [Sector: String] = [
  .evTraction: "EV traction motors", .twoThreeWheelers: "two- and three-wheelers", .wind: "wind", .electronics: "electronics",
  .defence: "defence", .industrialMotors: "industrial motors", .other: "other",
]
