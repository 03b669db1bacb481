import Foundation
import Risk
import SupplyChain
import Testing

func demoStudy(seed: UInt64 = 42, horizon: Int? = nil) throws -> RiskStudy {
  let spec = try UncertaintyDecoder().decode(text: RiskExamples.indiaMagnetsUncertainty, file: "demo")
  return RiskStudy(base: RiskExamples.indiaMagnets(), spec: spec, seed: seed, horizon: horizon)
}

@Suite struct ReproducibilityTests {
  /// The partial result (every statistic and row) is byte-identical for 1, 2 and 4 threads.
  @Test func identicalAcrossThreadCounts() throws {
    let study = try demoStudy()
    let reps = MonteCarlo.replications(runs: 48)
    let one = try MonteCarlo(study: study, threads: 1).run(reps).encoded()
    for threads in [2, 4] {
      #expect(try MonteCarlo(study: study, threads: threads).run(reps).encoded() == one, "threads \(threads)")
    }
  }

  /// N shards merged in any order equal the single-machine result byte for byte.
  @Test(arguments: [2, 3, 5]) func shardsMergeExactly(shards: Int) throws {
    let study = try demoStudy()
    let runs = 40
    let single = try MonteCarlo(study: study, threads: 2).run(MonteCarlo.replications(runs: runs)).encoded()
    var parts: [RiskPartial] = []
    for i in 0..<shards {
      let p = try MonteCarlo(study: study, threads: 1).run(MonteCarlo.replications(runs: runs, shard: i, of: shards))
      // Through the file format, as `lodestone merge` does.
      parts.append(try RiskPartial(decoding: p.encoded(), file: "part\(i)"))
    }
    var merged = parts[0].emptyCopy()
    for p in parts.reversed() { try merged.merge(p) }
    #expect(merged.encoded() == single)
  }

  /// A replication is a pure function of (seed, replication): running it alone gives the same KPIs.
  @Test func replicationIndependentOfBatch() throws {
    let study = try demoStudy()
    let all = try MonteCarlo(study: study, threads: 2).run(Array(0..<10))
    let alone = try MonteCarlo(study: study, threads: 1).run([7])
    #expect(alone.rows[0] == all.rows[7])
  }

  /// Merging the same shard twice or partials of another study is refused.
  @Test func mergeRefusesOverlapAndMismatch() throws {
    let a = try MonteCarlo(study: demoStudy(), threads: 1).run([0, 1])
    var m = a.emptyCopy()
    try m.merge(a)
    #expect(throws: RiskMergeError.self) { try m.merge(a) }
    let other = try MonteCarlo(study: demoStudy(seed: 43), threads: 1).run([2])
    #expect(throws: RiskMergeError.self) { try m.merge(other) }
  }

  /// The adaptive stopping rule stops at a batch boundary once the half-width target is met, and
  /// the result equals a fixed run of that many replications. With p̂ near 0.5 and batch 100,
  /// the 90 % half-width 1.645·√(p(1−p)/n) ≤ 0.1 needs n ≥ 68, so it stops after the first batch.
  @Test func stoppingRuleIsDeterministic() throws {
    let s = singleSupplier(months: 12, level: 0, fillRate: nil)
    let spec = UncertaintySpec(inputs: [UncertainInput(name: "ban", target: .policyOccurs("ban"), distribution: .bernoulli(p: 0.5))])
    let mc = MonteCarlo(study: RiskStudy(base: s, spec: spec, seed: 1), threads: 2)
    let p = try mc.runUntil(kpi: "shortfall-any", halfWidth: 0.1, confidence: 0.9, maxRuns: 1000, batch: 100)
    #expect(p.replications == 100)
    #expect(p.encoded() == (try mc.run(Array(0..<100))).encoded())
    let tight = try mc.runUntil(kpi: "shortfall-any", halfWidth: 0.03, confidence: 0.9, maxRuns: 1000, batch: 100)
    // 1.645·0.5/√n ≤ 0.03 needs n ≥ 752 → 800.
    #expect(tight.replications == 800)
  }
}
