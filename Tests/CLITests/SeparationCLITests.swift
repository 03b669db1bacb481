import Foundation
import TestSupport
import Testing

// End-to-end tests of `lodestone sx …` against the published cases in
// ../shared/domain/separation.md (V1, V2) and the exit-code contract (0, 64, 65).

@Suite struct SeparationCLITests {
  @Test func factorsListsProvenance() throws {
    let r = try runLodestone(["sx", "factors", "--format", "csv"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("system,pair,beta,range,confidence,source"))
    // Note §2.1: Gd/Eu 1.40 used in Zhang et al. 2016's design example.
    #expect(r.stdout.contains("p507-hcl,Gd/Eu,1.4,1.4-1.5,published,"))
  }

  /// V1 through the CLI: a user system with β = 2 from a factor file; 46 refined stages
  /// (the note's exact minimum, published 45 ± 1).
  @Test func designV1WithUserFactors() throws {
    let file = fixtureURL("separation/beta2.csv").path
    let r = try runLodestone([
      "sx", "design", "--feed", "Pr:0.5,Nd:0.5", "--cut", "Pr|Nd", "--purity-organic", "99.9%", "--purity-aqueous", "99.99%",
      "--system", "beta2", "--factors", file, "--format", "csv",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("refined total n+m,46,stages"))
    #expect(r.stdout.contains("controlling section,scrub,"))
    #expect(r.stdout.contains("feasible n at this total,24 25 26 27,stages"))
  }

  /// Design writes the profile, outlets and both charts.
  @Test func designWritesFiles() throws {
    let dir = try temporaryDirectory("sx-design")
    let r = try runLodestone([
      "sx", "design", "--feed", "Pr:25,Nd:75", "--cut", "Pr|Nd", "--purity", "99.5%", "--out", dir.path, "--format", "json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    for name in ["profile.csv", "profile.json", "outlets.csv", "composition.svg", "mccabe-thiele.svg", "design.csv", "design.json"] {
      #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), "\(name)")
    }
    let svg = try String(contentsOf: dir.appendingPathComponent("mccabe-thiele.svg"), encoding: .utf8)
    #expect(svg.hasPrefix("<svg") && svg.contains("equilibrium (β = 1.5)"))
    // The profile has one row per stage: header + n + m rows; n+m is in design.csv.
    let design = try String(contentsOf: dir.appendingPathComponent("design.csv"), encoding: .utf8)
    let totalLine = design.split(separator: "\n").first { $0.hasPrefix("refined total n+m,") }
    let total = totalLine.flatMap { Int($0.split(separator: ",")[1]) } ?? -1
    let profile = try String(contentsOf: dir.appendingPathComponent("profile.csv"), encoding: .utf8)
    #expect(profile.split(separator: "\n").count == total + 1)
  }

  /// V2 through `simulate` with explicit α and a side draw: Eu draw 40.0 % (±0.05 %).
  @Test func simulateThreeOutlet() throws {
    let r = try runLodestone([
      "sx", "simulate", "--feed", "Gd:0.39,Eu:0.10,Sm:0.51", "--alpha", "Gd:2.8,Eu:2,Sm:1", "--extraction-stages", "18",
      "--scrub-stages", "42", "--organic-flow", "2", "--scrub-flow", "1.7588", "--draw", "30:0.2492", "--format", "csv",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let draw = r.stdout.split(separator: "\n").first { $0.hasPrefix("side-draw,30,") }
    let eu = draw.flatMap { Double($0.split(separator: ",")[4]) } ?? -1
    #expect(abs(eu * 100 - 40.0) < 0.05)
  }

  @Test func flowsheetIREL() throws {
    let dir = try temporaryDirectory("sx-flowsheet")
    let r = try runLodestone(["sx", "flowsheet", "--chloride", "5500 t/yr", "--format", "json", "--out", dir.path])
    #expect(r.status == 0, "\(r.stderr)")
    // 5,500 t/yr MRECl × (5,000/11,000) = 2,500 t/yr REO (PIB 2015 ratio).
    #expect(r.stdout.contains("\"reo_t_per_yr\":2500"))
    #expect(r.stdout.contains("\"total_stages\":"))
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("products.csv").path))
  }

  @Test(arguments: [
    ["sx", "design", "--feed", "Pr:1,Nd:1", "--cut", "Pr-Nd", "--purity", "99%"],
    ["sx", "design", "--feed", "Pr:1,Nd:1", "--cut", "Pr|Nd", "--purity", "150%"],
    ["sx", "simulate", "--feed", "Pr", "--extraction-stages", "3", "--scrub-stages", "3", "--organic-flow", "1", "--scrub-flow", "1"],
    ["sx", "factors", "--format", "xml"],
  ])
  func usageErrorsExit64(_ args: [String]) throws {
    let r = try runLodestone(args)
    #expect(r.status == 64)
  }

  @Test func badFactorFileExit65() throws {
    let file = fixtureURL("separation/bad-beta.csv").path
    let r = try runLodestone(["sx", "factors", "--factors", file])
    #expect(r.status == 65)
    #expect(r.stderr.contains("bad-beta.csv line 2, column 16: Separation factor beta must be a number > 1"))
    #expect(r.stderr.contains("got '0.7'"))
  }

  @Test func pinchExit65() throws {
    let file = fixtureURL("separation/beta2.csv").path
    let r = try runLodestone([
      "sx", "design", "--feed", "Pr:0.5,Nd:0.5", "--cut", "Pr|Nd", "--purity", "99.9%", "--system", "beta2", "--factors", file,
      "--scrub-flow", "0.9",
    ])
    #expect(r.status == 65)
    #expect(r.stderr.contains("pinch") && r.stderr.contains("W_min = 1"))
  }

  @Test func unknownSystemExit65() throws {
    let r = try runLodestone(["sx", "factors", "--system", "p508"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("got 'p508'") && r.stderr.contains("'tbp-nitrate'"))
  }

  @Test func deterministicOutput() throws {
    let args = ["sx", "design", "--feed", "monazite", "--cut", "LaCe|PrNd", "--purity", "99.9%", "--format", "json"]
    let a = try runLodestone(args)
    let b = try runLodestone(args)
    #expect(a.status == 0)
    #expect(a.stdout == b.stdout)
  }

  // YAML input files (issue 3): the same keys as the flags.
  @Test func yamlSimulateMatchesFlags() throws {
    let file = fixtureURL("separation/v2-simulate.yaml").path
    let a = try runLodestone(["sx", "simulate", file, "--format", "csv"])
    let b = try runLodestone([
      "sx", "simulate", "--feed", "Gd:0.39,Eu:0.10,Sm:0.51", "--alpha", "Gd:2.8,Eu:2,Sm:1", "--extraction-stages", "18",
      "--scrub-stages", "42", "--organic-flow", "2", "--scrub-flow", "1.7588", "--draw", "30:0.2492", "--format", "csv",
    ])
    #expect(a.status == 0, "\(a.stderr)")
    #expect(a.stdout == b.stdout)
    #expect(!a.stdout.isEmpty)
  }

  @Test func yamlThreeOutletDesign() throws {
    // V2 from its specifications: the published draw stage is I = 30 (../shared/domain/separation.md).
    let file = fixtureURL("separation/v2-three-outlet.yaml").path
    let r = try runLodestone(["sx", "design", file, "--format", "csv"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("draw stage I,30,stage"), "\(r.stdout)")
  }

  @Test(arguments: [
    ("bad-design.yaml", "bad-design.yaml:4:1: error[unknown-key]: Unknown key 'scrub-flw'. Valid keys: scrub-flow"),
    ("bad-value.yaml", "bad-value.yaml:3:9: error[bad-value]: --purity-organic must be a purity in (0, 1)"),
    ("bad-cut.yaml", "bad-cut.yaml:3:6: error[bad-value]: --cut: Cut element must be one of the feed elements (Pr, Nd); got 'Sm'."),
  ])
  func yamlErrorsAreLocated(_ name: String, _ expected: String) throws {
    let r = try runLodestone(["sx", "design", fixtureURL("separation/\(name)").path])
    #expect(r.status == 65)
    #expect(r.stderr.contains(expected), "\(r.stderr)")
  }
}
