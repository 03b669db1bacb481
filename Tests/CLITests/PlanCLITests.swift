import Foundation
import Testing
import TestSupport

/// `lodestone plan` end to end on the hand-solved chain of Tests/PlanningTests
/// (Tests/Fixtures/valid/plan-chain.yaml: one 3 MUSD module in 2026-01, 28 t unmet, 31,220,440 USD).
@Suite struct PlanCLITests {
  static let chain = fixtureURL("valid/plan-chain.yaml").path

  @Test func buildsTheModuleTheHandSolutionBuilds() throws {
    let r = try runLodestone(["plan", Self.chain, "--stress"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("cost over the horizon: total 31220440 USD"), "\(r.stdout)")
    #expect(r.stdout.contains("demand met: 61.11 % (44 of 72 t)"))
    // The engine delivers the same service; it also ships in the last month (12 t more freight).
    #expect(r.stdout.contains("service promised 61.11 %, simulated 61.11 %; freight promised 220000 USD, simulated 280000 USD"))
    let csv = try runLodestone(["plan", Self.chain, "--format", "csv"])
    #expect(csv.stdout.contains("mine-expansion,mine,a,1,2026-01,2026-03,24,3000000"), "\(csv.stdout)")
  }

  @Test func hardDemandExplainsAndExits65() throws {
    // Nothing can reach b in 2026-01 (one month's lead time, no opening stock).
    let r = try runLodestone(["plan", Self.chain, "--hard-demand"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("The plan is infeasible: demand of use in 2026-01 cannot be met: supply cannot reach b in time"), "\(r.stderr)")
    #expect(r.stderr.contains("demand of use in 2026-01 must be met in full (12 t)"))
  }

  @Test func paretoWritesCSVAndSVG() throws {
    // The chain has no second country: the share of metal from IN to other countries is 0 at every
    // point, so cost is the same 31,220,440 USD at each of the 3 points.
    let dir = try temporaryDirectory("plan-pareto")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try runLodestone(["plan", Self.chain, "--max-share", "IN:metal:100%", "--pareto", "3", "--out", dir.path])
    #expect(r.status == 0, "\(r.stderr)")
    let csv = try String(contentsOf: dir.appendingPathComponent("pareto.csv"), encoding: .utf8)
    let rows = csv.split(separator: "\n").dropFirst()
    #expect(rows.count == 3)
    #expect(rows.allSatisfy { $0.split(separator: ",")[3] == "31220440" }, "\(csv)")
    let svg = try String(contentsOf: dir.appendingPathComponent("pareto.svg"), encoding: .utf8)
    #expect(svg.hasPrefix("<svg") && svg.contains("share from IN (%)"))
  }

  @Test(arguments: [
    (["--max-share", "CN:150%"], "--max-share share must be in 0...100 % (e.g. 50%); got '150%'."),
    (["--pareto", "3"], "--pareto needs a country: give --max-share CC:SHARE (e.g. CN:100%) or --objective dependence:CC."),
    (["--sectors", "ev"], "--sectors must list sectors among ev-traction, two-three-wheelers, wind, electronics, defence, industrial-motors, other; got 'ev'."),
    (["--hard-demand-from", "2027-1"], "--hard-demand-from must be a month written YYYY-MM (e.g. 2027-01); got '2027-1'."),
  ])
  func usageErrorsExit64(_ args: [String], _ message: String) throws {
    let r = try runLodestone(["plan", Self.chain] + args)
    #expect(r.status == 64)
    #expect(r.stderr.contains(message), "\(r.stderr)")
  }
}
