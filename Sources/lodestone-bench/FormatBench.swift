import Chemistry
import Quantities
import Reports
import ScenarioFormat
import SupplyChain

/// A generated chain of `n` plants: each converts oxide k into oxide k+1's site stock, with links,
/// demands and policies in proportion, so decode + validate work scales with `n`.
func generatedScenario(plants n: Int) -> Scenario {
  let oxide = (try? Formula("Nd2O3")).map { Composition(formula: $0) } ?? Composition([:])
  var materials: [Material] = []
  var sites: [Site] = []
  var processes: [Process] = []
  var links: [Link] = []
  var demands: [Demand] = []
  var policies: [TradePolicy] = []
  let countries = ["IN", "CN", "JP", "KR", "US", "AU"]
  for k in 0..<n {
    materials.append(Material(id: MaterialID("m\(k)"), name: "Material \(k)", form: .oxide, composition: oxide))
    sites.append(
      Site(id: SiteID("s\(k)"), name: "Site \(k)", country: countries[k % countries.count], owner: "owner-\(k % 7)",
           initialStocks: [(MaterialID("m\(k)"), 1000 * Double(k + 1))]))
  }
  for k in 0..<n {
    let next = (k + 1) % n
    processes.append(
      Process(
        id: ProcessID("p\(k)"), name: "Plant \(k)", site: SiteID("s\(k)"), stage: .separation, reference: MaterialID("m\(k)"),
        inputs: [RecipeTerm(material: MaterialID("m\(k)"), amount: 1)],
        outputs: [RecipeTerm(material: MaterialID("m\(next)"), amount: 0.95)], losses: .rest, capacity: 1e7 / secondsPerYear,
        availability: Availability(ramp: [(YearMonth(ordinal: 2026 * 12), 0.4), (YearMonth(ordinal: 2027 * 12 + 3), 0.8)])))
    links.append(Link(id: LinkID("l\(k)"), from: SiteID("s\(k)"), to: SiteID("s\(next)"), materials: [MaterialID("m\(next)")], leadTime: 2, cost: 2))
    if k % 4 == 0 {
      demands.append(
        Demand(id: DemandID("d\(k)"), sector: .evTraction, site: SiteID("s\(k)"), material: MaterialID("m\(k)"), endUnit: "vehicle",
               rate: 150_000 / secondsPerYear, growth: 0.25, intensity: 1.5, priority: 1 + k % 3))
    }
    if k % 10 == 0 {
      policies.append(
        TradePolicy(id: PolicyID("pol\(k)"), name: "Policy \(k)", kind: .licence(approval: 0.4, delay: 2), origin: "CN",
                    elements: [.Nd, .Dy], deMinimis: 0.001, from: YearMonth(ordinal: 2025 * 12 + 3)))
    }
  }
  return Scenario(
    name: "generated-\(n)", start: YearMonth(ordinal: 2026 * 12), months: 60, materials: materials, sites: sites,
    processes: processes, links: links, policies: policies, demands: demands)
}

let formatBenchmark = Benchmark(name: "format", summary: "scenario YAML decode (parse + decode + validate + locate) and encode") {
  for n in [10, 100, 1000] {
    let text = ScenarioEncoder().encode(generatedScenario(plants: n))
    let lines = text.split(separator: "\n").count
    let bytes = text.utf8.count
    var diagnostics = 0
    let td = bestSeconds(repeats: 3) {
      let (_, d) = ScenarioDecoder().decode(text: text, file: "generated.yaml")
      diagnostics += d.items.count
    }
    let scenario = generatedScenario(plants: n)
    var sink = 0
    // Breakdown: YAML parse into the located tree alone, and model validation alone.
    let tp = bestSeconds(repeats: 3) { sink += ScenarioDecoder.variantNames(text: text).count }
    let tv = bestSeconds(repeats: 3) { sink += scenario.validate().items.count }
    // With one finding (an unknown site) the path index is built to locate it.
    let broken = text.replacingAll("    site: s0\n", with: "    site: nowhere\n")
    let tf = bestSeconds(repeats: 3) { diagnostics += ScenarioDecoder().decode(text: broken, file: "g.yaml").1.items.count }
    let te = bestSeconds(repeats: 3) { sink += ScenarioEncoder().encode(scenario).utf8.count }
    print(
      "plants \(n): \(lines) lines, \(formatNumber(Double(bytes) / 1024, significantDigits: 3)) KiB; decode "
        + "\(formatNumber(td * 1000, significantDigits: 3)) ms (\(formatNumber(Double(lines) / td, significantDigits: 3)) lines/s, "
        + "\(formatNumber(Double(bytes) / td / 1_048_576, significantDigits: 3)) MiB/s; of which YAML parse "
        + "\(formatNumber(tp * 1000, significantDigits: 3)) ms, validate \(formatNumber(tv * 1000, significantDigits: 3)) ms); with one finding "
        + "\(formatNumber(tf * 1000, significantDigits: 3)) ms; encode "
        + "\(formatNumber(te * 1000, significantDigits: 3)) ms  (diagnostics \(diagnostics), bytes \(sink))")
  }
}
