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
