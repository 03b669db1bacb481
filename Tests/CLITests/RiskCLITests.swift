import Foundation
import TestSupport
import Testing

@Suite(.serialized) struct RiskCLITests {
  /// `risk --shard I/3` three times then `merge` gives the same files, byte for byte, as one run.
  @Test func shardsMergeToTheSingleRunByteForByte() throws {
    let dir = try temporaryDirectory("risk-cli")
    let single = dir.appendingPathComponent("single").path
    let r = try runLodestone(["risk", "--runs", "30", "--seed", "7", "--horizon", "2028-12", "--out", single, "--format", "csv"])
    #expect(r.status == 0, "\(r.stderr)")
    var parts: [String] = []
    for i in 0..<3 {
      let p = dir.appendingPathComponent("part\(i)").path
      let s = try runLodestone(["risk", "--runs", "30", "--seed", "7", "--horizon", "2028-12", "--shard", "\(i)/3", "--threads", "1", "--out", p])
      #expect(s.status == 0, "\(s.stderr)")
      parts.append(p)
    }
    let merged = dir.appendingPathComponent("merged").path
    let m = try runLodestone(["merge"] + parts.reversed() + ["--out", merged, "--format", "csv"])
    #expect(m.status == 0, "\(m.stderr)")
    // Same summary rows on stdout (the CSV has no title line).
    #expect(m.stdout == r.stdout)
    for name in ["partial.txt", "summary.csv", "summary.json", "monthly.csv", "rank-correlation.csv", "fan-total.svg", "fan-ev-traction.svg", "fan-wind.svg"] {
      let a = try Data(contentsOf: URL(fileURLWithPath: single + "/" + name))
      let b = try Data(contentsOf: URL(fileURLWithPath: merged + "/" + name))
      #expect(a == b, "\(name) differs")
    }
  }

  /// The summary lists every KPI with its unit, and 30 futures; --threads does not change the output.
  @Test func riskSummaryAndThreads() throws {
    let a = try runLodestone(["risk", "--runs", "30", "--threads", "1", "--format", "csv"])
    let b = try runLodestone(["risk", "--runs", "30", "--threads", "3", "--format", "csv"])
    #expect(a.status == 0 && b.status == 0)
    #expect(a.stdout == b.stdout)
    let lines = a.stdout.split(separator: "\n")
    #expect(lines.first == "kpi,unit,n,mean,sd,ci_half_width,p5,p50,p95,p_positive")
    #expect(lines.contains { $0.hasPrefix("shortfall-any,probability,30,") })
    #expect(lines.contains { $0.hasPrefix("unmet-kg:ev-traction,kg,30,") })
  }

  /// Usage errors exit 64; data errors exit 65 with file, line, column and the valid choices.
  @Test(arguments: [
    (["risk", "--shard", "3/3", "--out", "/tmp/x"], Int32(64), "0 ≤ I < N"),
    (["risk", "--shard", "0/2"], 64, "--shard needs --out"),
    (["risk", "--runs", "0"], 64, "--runs must be ≥ 1"),
    (["risk", "--horizon", "2040-01"], 64, "--horizon must be within the scenario"),
    (["reserve", "--material", "ndfeb-magnet", "--service", "1.5"], 64, "--service must be in (0, 1]"),
    (["reserve", "--material", "unobtainium", "--runs", "5"], 65, "'ndfeb-magnet'"),
    (["sweep", "--param", "policies/cn-licence/colour=1"], 64, "'approval', 'delay'"),
    (["merge", "/nonexistent/partial.txt", "--out", "/tmp/x"], 65, "does not exist"),
    (["risk", "--compare", "reserves/nope/target=1"], 64, "Known: 'ev-reserve'"),
  ])
  func exitCodes(args: [String], status: Int32, message: String) throws {
    let r = try runLodestone(args)
    #expect(r.status == status, "\(args): \(r.stderr)")
    #expect(r.stderr.contains(message), "\(r.stderr)")
  }

  @Test func badUncertaintyFileIsLocated() throws {
    let r = try runLodestone(["risk", "--runs", "2", "--uncertainty", fixtureURL("risk/bad-kind.yaml").path])
    #expect(r.status == 65)
    #expect(r.stderr.contains("bad-kind.yaml, line 5, column 26: Distribution kind must be one of 'fixed', 'uniform'"))
    #expect(r.stderr.contains("got 'weibull'"))
  }

  /// Merging partial results of different seeds is refused with exit 65.
  @Test func mergeRefusesDifferentStudies() throws {
    let dir = try temporaryDirectory("risk-merge")
    let a = dir.appendingPathComponent("a").path, b = dir.appendingPathComponent("b").path
    _ = try runLodestone(["risk", "--runs", "4", "--seed", "1", "--shard", "0/2", "--out", a])
    _ = try runLodestone(["risk", "--runs", "4", "--seed", "2", "--shard", "1/2", "--out", b])
    let m = try runLodestone(["merge", a, b, "--out", dir.appendingPathComponent("m").path])
    #expect(m.status == 65)
    #expect(m.stderr.contains("different studies"))
  }

  /// On the same futures (common random numbers), approving only 20 % of licence requests cannot leave
  /// less demand unmet than approving all of them; the swept parameter overrides its uncertain input.
  @Test func sweepOnCommonRandomNumbers() throws {
    let r = try runLodestone(["sweep", "--param", "policies/cn-licence/approval=0.2,1", "--runs", "20", "--horizon", "2027-12", "--format", "csv"])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = r.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
    #expect(rows.count == 2)
    let unmetLow = Double(rows[0][3]) ?? -1, unmetHigh = Double(rows[1][3]) ?? -1
    #expect(unmetLow > unmetHigh && unmetHigh >= 0)
  }

  /// A bigger EV reserve on the same futures cannot leave more EV demand unmet on average.
  @Test func compareOnTheSameFutures() throws {
    let r = try runLodestone(["risk", "--runs", "20", "--horizon", "2028-12", "--compare", "reserves/ev-reserve/target=2000000", "--format", "csv"])
    #expect(r.status == 0, "\(r.stderr)")
    let ev = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("unmet-kg:ev-traction,") }).split(separator: ",").map { Double($0) ?? .nan }
    // base_mean, variant_mean, difference
    #expect(ev[2] <= ev[1] && ev[3] <= 0)
  }

  /// Adaptive stopping in batches of 500: the run stops at the first n where the 90 % half-width
  /// 1.645·sd/√n is ≤ 0.5, so with the reported sd the previous batch must still have been too wide.
  @Test func precisionStopsAtTheExpectedBatch() throws {
    let r = try runLodestone(["risk", "--runs", "5000", "--precision", "0.5", "--stop-kpi", "shortfall-months", "--format", "csv"])
    #expect(r.status == 0, "\(r.stderr)")
    let row = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("shortfall-months,") }).split(separator: ",").map(String.init)
    let n = try #require(Double(row[2])), sd = try #require(Double(row[4])), half = try #require(Double(row[5]))
    #expect(n < 5000 && n.truncatingRemainder(dividingBy: 500) == 0)
    #expect(abs(half - 1.645 * sd / n.squareRoot()) < 1e-3)
    #expect(half <= 0.5)
    #expect(1.645 * sd / (n - 500).squareRoot() > 0.5)
  }

  /// A Latin hypercube of 4 points puts one approval value in each quarter of [0.2, 1].
  @Test func latinHypercubeSweep() throws {
    let r = try runLodestone(["sweep", "--param", "policies/cn-licence/approval=0.2:1", "--lhs", "4", "--runs", "5", "--horizon", "2026-12", "--format", "csv"])
    #expect(r.status == 0, "\(r.stderr)")
    let values = r.stdout.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",")[1]) }
    #expect(Set(values.map { Int((($0 - 0.2) / 0.8 * 4).rounded(.down)) }) == Set(0..<4))
  }

  /// Reserve sizing prints the level and writes the fan charts of the sized reserve.
  @Test func reserveCommand() throws {
    let dir = try temporaryDirectory("risk-reserve")
    let r = try runLodestone(["reserve", "--material", "ndfeb-magnet", "--service", "0.9", "--horizon", "2027-12", "--runs", "20", "--out", dir.path, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("\"reserve\": \"ev-reserve\""))
    let achieved = try #require(r.stdout.range(of: "\"achieved\": "))
    let value = Double(r.stdout[achieved.upperBound...].prefix { "0123456789.".contains($0) }) ?? 0
    #expect(value >= 0.9)
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("fan-ev-traction.svg").path))
  }
}
