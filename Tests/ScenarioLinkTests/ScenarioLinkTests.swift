// The supply-chain link (issue 3 item 5): a separation process takes its yields from a cascade
// design. References: hand calculations from the scenario's assays and IUPAC atomic weights,
// the element balance of the monthly engine, and the located-diagnostics contract.
import Chemistry
import ScenarioFormat
import ScenarioLink
import Separation
import Simulation
import SupplyChain
import Testing
import TestSupport

@Suite("ScenarioLink") struct ScenarioLinkTests {
  /// A two-site chain: mixed chloride (Indian monazite REO distribution at 45.45 % TREO, the
  /// India scenario's `mrecl`) separated by a designed cascade.
  static func scenario(cascade: String, losses: String = "rest") -> String {
    """
    schema-version: 1
    name: link
    start: 2026-01
    months: 12
    materials:
      - id: mrecl
        form: intermediate
        assay: {CeO2: 20.91 %, La2O3: 10.45 %, Nd2O3: 8.636 %, Pr6O11: 2.273 %, Sm2O3: 1.25 %, Gd2O3: 0.6818 %, Y2O3: 0.5682 %, Dy2O3: 0.1818 %, Eu2O3: 0.04545 %, Tb4O7: 0.02273 %}
      - id: ndpr-oxide
        form: oxide
        assay: {Nd2O3: 79.43 %, Pr6O11: 20.57 %}
      - id: lace-oxide
        form: oxide
        assay: {La2O3: 33 %, CeO2: 67 %}
    sites:
      - id: aluva
        country: IN
    processes:
      - id: chloride
        site: aluva
        stage: cracking
        capacity: 5500 t/yr
        outputs: {mrecl: 1}
      - id: sx
        site: aluva
        stage: separation
        capacity: 5500 t/yr
        inputs: {mrecl: 1}
        losses: \(losses)
        cascade:
    \(cascade.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
    """
  }

  static let good = """
    system: P507-HCl
    feed: mrecl
    cuts: ["Nd|Sm", "Ce|Pr"]
    targets: {purity: 99.9 %}
    products: {ndpr-oxide: PrNd, lace-oxide: La-Ce}
    yield: 97 %
    """

  @Test("NdPr and LaCe yields from a designed train match the hand bound and the run balances")
  func endToEnd() throws {
    let (s, cascades, d) = ScenarioLoader.load(text: Self.scenario(cascade: Self.good), file: "link.yaml")
    #expect(!d.hasErrors, "\(d)")
    let scenario = try #require(s)
    let c = try #require(cascades.first)
    #expect(c.flowsheet.cascades.count == 2)
    let sx = try #require(scenario.processes.first { $0.id == "sx" })
    let nd = try #require(sx.outputs.first { $0.material == "ndpr-oxide" })
    // By hand: per kg MRECl, Nd = 0.08636 × 2·144.242/(2·144.242 + 3·15.999) = 0.074039 kg,
    // Pr = 0.02273 × 6·140.90766/(6·140.90766 + 11·15.999) = 0.018814 kg. ndpr-oxide holds
    // Nd 0.7943 × 0.857356 = 0.681 and Pr 0.2057 × 0.827703 = 0.170259 kg/kg, so Nd binds:
    // 0.074039 / 0.681 = 0.10872 kg oxide, × 97 % yield = 0.105461. The cascade can only lose
    // Nd, and at 99.9 % group purity on the Nd|Sm and Ce|Pr cuts it loses < 0.2 % of it.
    let bound = 0.97 * (0.08636 * 288.484 / 336.481) / (0.7943 * 288.484 / 336.481)
    #expect(nd.amount <= bound * (1 + 1e-9), "\(nd.amount) vs \(bound)")
    #expect(nd.amount >= bound * 0.998, "\(nd.amount) vs \(bound)")
    // The designed stream purities meet the targets of the cuts that made them.
    for cas in c.flowsheet.cascades {
      #expect(cas.design.purityOrganic >= 0.999 - 1e-12)
      #expect(cas.design.purityAqueous >= 0.999 - 1e-12)
    }
    // Every element balances at every site and month (engine residual, relative).
    let r = try SimulationEngine(scenario: scenario).run()
    #expect(r.balance.checked > 0)
    #expect(r.balance.maxRelative < 1e-9, "\(r.balance.maxRelative)")
  }

  @Test("the India scenario's sx-cascade variant keeps Aluva's NdPr within 1 % of the typed 97 % yield and balances")
  func indiaVariant() throws {
    let (s, cascades, d) = ScenarioLoader.load(text: BuiltinScenarios.india2026, file: "india-2026.yaml", variant: "sx-cascade")
    #expect(!d.hasErrors, "\(d)")
    let scenario = try #require(s)
    #expect(cascades.count == 1)
    let p = try #require(scenario.processes.first { $0.id == "aluva-sx" })
    let nd = try #require(p.outputs.first { $0.material == "ndpr-oxide" })
    // Typed figure: 97 % of the NdPr group = 0.1058 kg/kg (docs/india-scenario.md).
    #expect(abs(nd.amount / 0.1058 - 1) < 0.01, "\(nd.amount)")
    #expect(p.outputs.count == 5)
    let r = try SimulationEngine(scenario: scenario).run(variant: "sx-cascade")
    #expect(r.balance.maxRelative < 1e-9, "\(r.balance.maxRelative)")
  }

  @Test("design failures and bad names are reported at the file's line and column", arguments: [
    ("system: p508\nfeed: mrecl\ncut: 'Pr|Nd'\nproducts: {ndpr-oxide: Nd}", "cascade-design", 31, 15, "'p507-hcl'"),
    ("system: p507-hcl\nfeed: mrecl\ncut: 'Pr|Nd'\nproducts: {ndpr-oxide: PrNd}", "cascade-design", 34, 30, "got 'PrNd'"),
    ("system: p507-hcl\nfeed: mrec\ncut: 'Pr|Nd'\nproducts: {ndpr-oxide: Nd}", "unknown-reference", 32, 13, "got 'mrec'"),
    ("system: p507-hcl\nfeed: mrecl\ncut: 'Pr|Nd'\ntargets: {purity: 99.999 %}\nmax-stages: 10\nproducts: {ndpr-oxide: Nd}", "cascade-design", 33, 12, "within 10 stages"),
    ("system: p507-hcl\nfeed: mrecl\ncuts: ['Nd|Sm', 'Pr-Nd']\nproducts: {ndpr-oxide: Nd}", "cascade-design", 33, 23, "got 'Pr-Nd'"),
  ])
  func located(_ cascade: String, _ code: String, _ line: Int, _ column: Int, _ text: String) throws {
    let (s, _, d) = ScenarioLoader.load(text: Self.scenario(cascade: cascade), file: "link.yaml")
    #expect(s == nil)
    let x = try #require(d.errors.first, "\(d)")
    #expect(x.code == code)
    #expect(x.location == SourceLocation(file: "link.yaml", line: line, column: column), "\(x)")
    #expect(x.message.contains(text), "\(x.message)")
  }

  @Test("a cascade process must state losses: rest")
  func lossesRest() throws {
    let (s, _, d) = ScenarioLoader.load(text: Self.scenario(cascade: Self.good, losses: "none"), file: "link.yaml")
    #expect(s == nil)
    #expect(d.errors.contains { $0.message.contains("losses: rest") }, "\(d)")
  }
}
