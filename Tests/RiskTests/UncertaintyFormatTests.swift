import Foundation
import Quantities
import Risk
import SupplyChain
import Testing

@Suite struct UncertaintyFormatTests {
  @Test func readsTheDemoFile() throws {
    let spec = try UncertaintyDecoder().decode(text: RiskExamples.indiaMagnetsUncertainty, file: "demo.yaml")
    #expect(spec.inputs.count == 9)
    // "12 months" → 12, "24 months" → 24 (Quantity.parse, converted to months).
    #expect(spec.inputs[1].distribution == .uniform(min: 12, max: 24))
    #expect(spec.inputs[5].target == .processOutage("in-plant", repair: .lognormal(median: 2, sigma: 0.5)))
    try spec.check(against: RiskExamples.indiaMagnets())
  }

  /// Errors name the file, line and column, the rule and the valid choices.
  @Test(arguments: [
    ("uncertainty:\n  - name: a\n    target: policies/x/approval\n    distribution: {kind: gamma, p: 1}\n", "f.yaml, line 4, column 26", "'fixed', 'uniform'"),
    ("uncertainty:\n  - name: a\n    target: policy/x/approval\n    distribution: 1\n", "f.yaml, line 3, column 13", "'policies', 'processes'"),
    ("uncertainty:\n  - name: a\n    target: policies/x/speed\n    distribution: 1\n", "line 3", "'approval', 'delay'"),
    ("uncertainty:\n  - name: a\n    target: links/l/delay\n    distribution: {kind: triangular, min: 5, mode: 2, max: 3}\n", "line 4", "min ≤ mode ≤ max"),
    ("uncertainty:\n  - name: a\n    target: policies/x/approval\n    distribution: {kind: uniform, min: 0.5, max: 1.5}\n", "line 4", "0...1"),
    ("uncertainty:\n  - name: a\n    target: links/l/delay\n    distribution: {kind: fixed, value: soon}\n", "line 4", "a duration in months"),
    ("uncertainty:\n  - name: a\n    target: processes/p/outage\n    distribution: {kind: exponential, mean: 5}\n", "line 2", "needs 'repair'"),
    ("uncertainty: 3\n", "line 1", "must be a list"),
    ("uncertainty:\n  - name: freeze length\n    target: links/l/delay\n    distribution: 1\n", "line 2, column 11", "letters, digits"),
    ("uncertainty: []\ncorrelation: {inputs: [], matrix: []}\ncolour: red\n", "line 3", "'schema-version'"),
  ])
  func locatedErrors(text: String, location: String, mention: String) {
    do {
      _ = try UncertaintyDecoder().decode(text: text, file: "f.yaml")
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains(location), "\(error.description)")
      #expect(error.description.contains(mention), "\(error.description)")
    }
  }

  @Test func unknownReferenceListsKnownIDs() throws {
    let spec = try UncertaintyDecoder().decode(text: "uncertainty:\n  - {name: a, target: policies/cn-frieze/duration, distribution: 12}\n", file: "f.yaml")
    do {
      try spec.check(against: RiskExamples.indiaMagnets())
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains("line 2"))
      #expect(error.description.contains("'cn-freeze', 'cn-licence'"))
    }
  }

  /// A zero time between failures and zero repair time still terminates (one failure a day at most)
  /// and takes nothing down; a fixed 12-month TBF with a 2-month repair takes months 12–13, 26–27, 40–41
  /// and 54–55 (by hand: failure at 12.0, back at 14.0, next failure at 26.0, …): 8 of the 60 months.
  @Test func outageRenewalProcess() {
    let base = RiskExamples.indiaMagnets()
    let none = setParameter(.processOutage("in-plant", repair: .fixed(0)), to: 0, in: base)
    #expect(none.processes[1].availability.outages.isEmpty)
    let spec = UncertaintySpec(inputs: [UncertainInput(name: "o", target: .processOutage("in-plant", repair: .fixed(2)), distribution: .fixed(12))])
    let (s, v) = Perturbation(spec: spec, seed: 1).apply(to: base, replication: 0)
    let o = s.processes[1].availability.outages.map { ($0.from.months(since: base.start), $0.to.months(since: base.start)) }
    #expect(o.map(\.0) == [12, 26, 40, 54] && o.map(\.1) == [13, 27, 41, 55])
    #expect(v == [8])
  }

  /// Perturbations change exactly what they name (hand-checked values).
  @Test func perturbationsApply() throws {
    let base = RiskExamples.indiaMagnets()
    let s1 = setParameter(.policyDuration("cn-freeze"), to: 6, in: base)
    #expect(s1.policies.first { $0.id == "cn-freeze" }?.until == YearMonth(year: 2027, month: 6))
    let s2 = setParameter(.linkDelay("cn-in"), to: 2, in: base)
    #expect(s2.links.first { $0.id == "cn-in" }?.leadTime == 4)
    let s3 = setParameter(.policyOccurs("cn-freeze"), to: 0, in: base)
    #expect(!s3.policies.contains { $0.id == "cn-freeze" })
    let s4 = setParameter(.demandMultiplier("*"), to: 1.5, in: base)
    #expect(abs(s4.demands[0].rate / base.demands[0].rate - 1.5) < 1e-12)
    let s5 = setParameter(.processCommissioningDelay("in-plant"), to: 6, in: base)
    #expect(s5.processes[1].availability.commissioning == YearMonth(year: 2028, month: 1))
    let s6 = setParameter(.policyApproval("cn-licence"), to: 0.4, in: base)
    if case .licence(let a, let d) = s6.policies[0].kind { #expect(a == 0.4 && d == 0) } else { Issue.record("not a licence") }
  }

  /// Grid sweeps are the Cartesian product; a Latin hypercube puts exactly one point in each stratum.
  @Test func sweepDesigns() {
    let a = SweepParameter(target: .policyApproval("x"), values: [0.2, 0.5])
    let b = SweepParameter(target: .linkDelay("l"), values: [0, 1, 2])
    let grid = sweepPoints([a, b], design: .grid, seed: 1)
    #expect(grid.count == 6 && grid[0] == [0.2, 0] && grid[5] == [0.5, 2])
    let lhs = sweepPoints([SweepParameter(target: .policyApproval("x"), values: [0, 1]), SweepParameter(target: .linkDelay("l"), values: [0, 10])], design: .latinHypercube(points: 8), seed: 1)
    #expect(Set(lhs.map { Int($0[0] * 8) }) == Set(0..<8))
    #expect(Set(lhs.map { Int($0[1] / 10 * 8) }) == Set(0..<8))
  }
}

@Suite struct UncertaintySectionTests {
  /// Inside a scenario file the section is read with the file's own line numbers; other keys are ignored.
  @Test func sectionOfAScenarioFile() throws {
    let text = "schema-version: 3\nname: demo\nsites: []\nuncertainty:\n  - name: a\n    target: links/cn-in/delay\n    distribution: {kind: poisson, mean: 1}\n"
    do {
      _ = try UncertaintyDecoder().decodeSection(scenarioText: text, file: "s.yaml")
      Issue.record("expected an error")
    } catch {
      #expect(error.description.hasPrefix("s.yaml, line 7, column 26: Distribution kind must be one of"))
    }
    #expect(try UncertaintyDecoder().decodeSection(scenarioText: "name: demo\nsites: []\n", file: "s.yaml") == nil)
    let ok = try UncertaintyDecoder().decodeSection(scenarioText: "name: demo\nuncertainty:\n  - {name: a, target: links/cn-in/delay, distribution: 2 months}\n", file: "s.yaml")
    #expect(ok?.inputs.first?.distribution == .fixed(2))
  }
}
