import Foundation
import Quantities
import Risk
import Simulation
import SupplyChain
import Testing

/// A single supplier (CN, ample stock, no production) ships to one user (IN) over a link with no
/// lead time; the user holds no stock; one sector demands `d` kg per month. A ban policy on the
/// link is perturbed; a reserve of `level` kg at the user covers the sector.
func singleSupplier(months: Int, level: Double, fillRate: Double?, banFrom: Int = 0, banUntil: Int? = nil) -> Scenario {
  let start = YearMonth(ordinal: 2026 * 12)
  let m = Material(id: "magnet", name: "Magnet", form: .magnet, composition: .init([.Nd: 0.3]))
  let d = 1000.0 / secondsPerMonth  // 1 t/month in kg/s
  return Scenario(
    name: "single-supplier", start: start, months: months, materials: [m],
    sites: [
      Site(id: "sup", name: "Supplier", country: "CN", owner: "market", initialStocks: [("magnet", 1e9)]),
      Site(id: "user", name: "User", country: "IN", owner: "market"),
    ],
    links: [Link(id: "l", from: "sup", to: "user", materials: ["magnet"], leadTime: 0)],
    policies: [TradePolicy(id: "ban", name: "Ban", kind: .ban, origin: "CN", materials: ["magnet"], from: start.adding(months: banFrom), until: banUntil.map { start.adding(months: $0) })],
    demands: [Demand(id: "ev", sector: .evTraction, site: "user", material: "magnet", endUnit: "vehicle", rate: d / 1.5, intensity: 1.5, valuePerUnit: 10_000)],
    reserves: level > 0 || fillRate != nil ? [Reserve(id: "r", site: "user", material: "magnet", target: level, initial: level, fillRate: fillRate.map { $0 / secondsPerMonth })] : [])
}

@Suite struct ClosedFormTests {
  /// Monthly Bernoulli ban with probability q, a reserve of k months of demand that refills in one
  /// open month. Month t is short iff months t−k…t are all banned: P = q^(k+1) for t ≥ k, 0 before.
  /// Expected shortfall months over T months = (T − k)·q^(k+1).
  /// q = 0.3, k = 1, T = 24: P = 0.09 per month from month 1; E = 23 × 0.09 = 2.07.
  /// N = 4000: binomial sd of a month's frequency = √(0.09·0.91/4000) = 0.0045, tolerance 0.02 (4.4 sd).
  @Test func bernoulliMonthlyBanWithReserve() throws {
    let s = singleSupplier(months: 24, level: 1000, fillRate: nil)
    let spec = UncertaintySpec(inputs: [UncertainInput(name: "ban", target: .policyMonthly("ban"), distribution: .bernoulli(p: 0.3))])
    let p = try MonteCarlo(study: RiskStudy(base: s, spec: spec, seed: 11), threads: 2).run(MonteCarlo.replications(runs: 4000))
    let total = try #require(p.seriesNames.firstIndex(of: "unmet-kg:total"))
    #expect(p.series[total][0].probabilityPositive == 0)
    for t in 1..<24 { #expect(abs(p.series[total][t].probabilityPositive - 0.09) < 0.02, "month \(t)") }
    // Shortfall months: mean 2.07; sd of one replication's count ≈ √(23·0.09·0.91·(1+…)) < 2, so sd of the mean < 0.032; tolerance 0.12.
    let months = try #require(p.scalar("shortfall-months"))
    #expect(abs(months.mean - 2.07) < 0.12)
    // A short month is short by exactly one month's demand (1000 kg): the reserve is empty.
    #expect(abs(p.series[total][5].mean - 0.09 * 1000) < 20)
  }

  /// Without a reserve, month t is short iff it is banned: P = q. q = 0.25, N = 4000, sd 0.0068, tolerance 0.03.
  @Test(arguments: [0.1, 0.25, 0.5]) func bernoulliMonthlyBanNoReserve(q: Double) throws {
    let s = singleSupplier(months: 12, level: 0, fillRate: nil)
    let spec = UncertaintySpec(inputs: [UncertainInput(name: "ban", target: .policyMonthly("ban"), distribution: .bernoulli(p: q))])
    let p = try MonteCarlo(study: RiskStudy(base: s, spec: spec, seed: 3), threads: 2).run(MonteCarlo.replications(runs: 4000))
    let any = try #require(p.scalar("shortfall-any"))
    // P(any short month in 12) = 1 − (1 − q)^12.
    #expect(abs(any.mean - (1 - pow(1 - q, 12))) < 0.03)
    let months = try #require(p.scalar("shortfall-months"))
    #expect(abs(months.mean - 12 * q) < 0.12)
  }

  /// A freeze happens with p = 0.5 from month 0 and lasts D months, D uniform on {1,…,6}; the reserve
  /// holds k = 3 months and cannot refill during the freeze. Short iff it happens and D > 3:
  /// P = 0.5 × 3/6 = 0.25. Unmet = (D − 3)⁺ t: E = 0.5 × (1+2+3)/6 = 0.5 t = 500 kg.
  /// Value: 1 t = 1000/1.5 vehicles × 10 000 USD, so E[value] = 500/1.5 × 10 000 = 3.333e6 USD.
  /// Recovery after the freeze ends: 0 months (lead time 0, ample supply).
  /// N = 4000: sd(P̂) = 0.0068 → tolerance 0.03; sd(unmet) ≈ 0.76 t → sd of mean 12 kg → tolerance 50 kg.
  @Test func freezeWithFixedReserve() throws {
    let s = singleSupplier(months: 24, level: 3000, fillRate: 0, banFrom: 0, banUntil: 0)
    let spec = UncertaintySpec(inputs: [
      UncertainInput(name: "happens", target: .policyOccurs("ban"), distribution: .bernoulli(p: 0.5)),
      UncertainInput(name: "length", target: .policyDuration("ban"), distribution: .empirical([1, 2, 3, 4, 5, 6])),
    ])
    let p = try MonteCarlo(study: RiskStudy(base: s, spec: spec, seed: 5), threads: 2).run(MonteCarlo.replications(runs: 4000))
    #expect(abs((p.scalar("shortfall-any")?.mean ?? -1) - 0.25) < 0.03)
    #expect(abs((p.scalar("unmet-kg")?.mean ?? -1) - 500) < 50)
    #expect(abs((p.scalar("unmet-value-usd")?.mean ?? -1) - 500 / 1.5 * 10_000) < 50 / 1.5 * 10_000)
    let rec = try #require(p.scalar("recovery-months"))
    #expect(rec.count > 1500 && rec.count < 2500)  // only futures where the freeze happens (≈ 2000)
    #expect(rec.mean == 0)
  }

  /// Reserve sizing for the freeze case at 90 % service: P(no shortfall | L) = 0.5 + 0.5·P(D ≤ L/1 t).
  /// L = 4 t gives 0.833 < 0.9, L = 5 t gives 0.917 ≥ 0.9: the answer is 5 t (less the 0.1 % shortfall
  /// tolerance of the last month: 4.999 t), to the bisection tolerance of 5 kg. Holding cost at
  /// 2 USD/kg/yr over 2 years: 5000 × 2 × 2 = 20 000 USD (±1 %).
  @Test func reserveSizingMatchesClosedForm() throws {
    let s = singleSupplier(months: 24, level: 0, fillRate: 0, banFrom: 0, banUntil: 0)
    let spec = UncertaintySpec(inputs: [
      UncertainInput(name: "happens", target: .policyOccurs("ban"), distribution: .bernoulli(p: 0.5)),
      UncertainInput(name: "length", target: .policyDuration("ban"), distribution: .empirical([1, 2, 3, 4, 5, 6])),
    ])
    let sizing = try ReserveSizing(study: RiskStudy(base: s, spec: spec, seed: 9), material: "magnet", holdingCost: 2, runs: 2000, threads: 2)
    let r = try #require(try sizing.size(service: 0.9, tolerance: 5))
    #expect(r.level >= 4998 && r.level <= 5006)
    #expect(abs(r.holdingCost - 20_000) < 200)
    #expect(abs(r.withoutReserve - 0.5) < 0.035)  // no freeze: p = 0.5, sd 0.011
  }

  /// On common random numbers the sized level never falls as the service target rises.
  @Test func reserveSizingMonotoneInService() throws {
    let s = RiskExamples.indiaMagnets()
    let spec = try UncertaintyDecoder().decode(text: RiskExamples.indiaMagnetsUncertainty, file: "demo")
    let sizing = try ReserveSizing(study: RiskStudy(base: s, spec: spec, seed: 2, horizon: 36), material: "ndfeb-magnet", runs: 60, threads: 2)
    var last = -1.0
    for service in [0.5, 0.7, 0.9, 0.95] {
      let r = try #require(try sizing.size(service: service))
      #expect(r.level >= last, "service \(service)")
      #expect(r.achieved >= service)
      last = r.level
    }
  }
}

@Suite struct PathwiseTests {
  /// Replication by replication (not only on average): with a reserve of one month that refills in
  /// any open month, month t ≥ 1 is short exactly when months t−1 and t are both banned (read from the
  /// perturbed scenario's policy windows), and short by the whole month's demand of 1 t.
  @Test func monthlyBanShortfallsMatchTheRulePathByPath() throws {
    let toy = RiskStudy(
      base: RiskExamples.singleSupplier(months: 36, reserveMonths: 1),
      spec: UncertaintySpec(inputs: [UncertainInput(name: "ban", target: .policyMonthly("ban"), distribution: .bernoulli(p: 0.4))]), seed: 8)
    var checked = 0
    for r in 0..<150 {
      let s = toy.perturbation(replication: r)
      var banned = Array(repeating: false, count: 36)
      for p in s.policies {
        let a = p.from.map { $0.months(since: s.start) } ?? 0, b = p.until.map { $0.months(since: s.start) } ?? 35
        for t in a...b { banned[t] = true }
      }
      let o = try toy.outcome(replication: r)
      for t in 1..<36 {
        let expected = banned[t] && banned[t - 1] ? 1000.0 : 0
        #expect(abs(o.series[1][t] - expected) < 1e-6, "replication \(r) month \(t)")
        checked += 1
      }
      #expect(Double(banned.filter { $0 }.count) == o.inputs[0])
    }
    #expect(checked == 150 * 35)
  }
}

@Suite struct ComparisonTests {
  /// Freeze case of `freezeWithFixedReserve` (p = 0.5, D uniform on 1…6 months, 3-month reserve) against
  /// a 6-month reserve on the same futures: the variant is never short, so the paired difference in
  /// unmet demand is −E[(D − 3)⁺]·p = −500 kg (±50) and the variant is better exactly in the futures
  /// where the freeze happens and lasts more than 3 months (0.25 ± 0.03), never worse.
  @Test func largerReserveOnCommonRandomNumbers() throws {
    let s = singleSupplier(months: 24, level: 3000, fillRate: 0, banFrom: 0, banUntil: 0)
    let spec = UncertaintySpec(inputs: [
      UncertainInput(name: "happens", target: .policyOccurs("ban"), distribution: .bernoulli(p: 0.5)),
      UncertainInput(name: "length", target: .policyDuration("ban"), distribution: .empirical([1, 2, 3, 4, 5, 6])),
    ])
    let study = RiskStudy(base: s, spec: spec, seed: 5)
    let rows = try study.compare(changes: [(.reserveTarget("r"), 6000)], replications: Array(0..<4000), confidence: 0.9, threads: 2)
    let unmet = try #require(rows.first { $0.kpi == "unmet-kg" })
    #expect(unmet.variant == 0)
    #expect(abs(unmet.difference + 500) < 50)
    #expect(abs(unmet.better - 0.25) < 0.03 && unmet.worse == 0)
    // Same rows for another thread count.
    #expect(try study.compare(changes: [(.reserveTarget("r"), 6000)], replications: Array(0..<4000), confidence: 0.9, threads: 3) == rows)
  }

  /// A change to nothing (the reserve's own level) gives zero differences in every KPI.
  @Test func nullChangeGivesZeroDifferences() throws {
    let rows = try demoStudy().compare(changes: [(.reserveTarget("ev-reserve"), 200_000)], replications: Array(0..<12), confidence: 0.9, threads: 2)
    #expect(!rows.isEmpty)
    for r in rows { #expect(r.difference == 0 && r.better == 0 && r.worse == 0, "\(r.kpi)") }
  }
}
