import Optimization
import Testing
import TestSupport

/// A planted conflict in the words Planning will use: India's EV magnet makers need 150 t of
/// NdPr oxide in 2027-03; China's exports are banned (upper bound 0) and IREL can make 100 t
/// (upper bound 100). Wind demand (10 t) can be met from Australia, and a port limit and a
/// loose budget are satisfiable, so the only irreducible conflict is
/// {EV demand, China export ban, IREL capacity}: 0 + 100 < 150, and dropping any one of the
/// three makes the rest feasible (no ban → import 50; no cap → IREL 150; no demand → 0).
func plantedSupplyConflict() throws -> Model {
  var m = Model(name: "planted")
  let cn = try m.addVariable("Link-flow[cn→india-ev,2027-03]", upper: 0, description: "China export ban")
  let irel = try m.addVariable("Process-level[irel,2027-03]", upper: 100, description: "IREL capacity")
  let au = try m.addVariable("Link-flow[au→india-wind,2027-03]", upper: 40, description: "Lynas allocation")
  try m.addConstraint("demand[india-ev,2027-03]", cn + irel, .greaterEqual, 150, description: "demand of india-ev in 2027-03")
  try m.addConstraint("demand[india-wind,2027-03]", 1 * au, .greaterEqual, 10, description: "demand of india-wind in 2027-03")
  try m.addConstraint("port[chennai,2027-03]", cn + au, .lessEqual, 500, description: "Chennai port throughput")
  try m.addConstraint("budget[2027-03]", 60 * cn + 55 * irel + 70 * au, .lessEqual, 1e6, description: "budget")
  return m
}

extension OptimizationTests {
  @Suite struct Diagnosis {
    @Test func plantedConflictIsFoundInUserWords() throws {
      let m = try plantedSupplyConflict()
      let r = try CBCSolver().solve(m)
      #expect(r.termination.reason == .infeasible)
      let conflict = try CBCSolver().findConflict(in: m)
      #expect(conflict.isIrreducible)
      #expect(!conflict.isIntegralityConflict)
      #expect(conflict.members.map(\.text) == ["demand of india-ev in 2027-03", "China export ban", "IREL capacity"])
      #expect(
        conflict.summary
          == "These cannot all hold: demand of india-ev in 2027-03; China export ban; IREL capacity.")
      #expect(conflict.members.first?.mathematics == "demand[india-ev,2027-03]: Link-flow[cn→india-ev,2027-03] + Process-level[irel,2027-03] ≥ 150")
    }

    /// Rows only: x + y ≥ 5 (a), x ≤ 2 (b), y ≤ 2 (c) conflict; x ≤ 3 (f) with (c) allows 5,
    /// and x + y ≤ 100, z ≥ 1 are unrelated, so the IIS is exactly {a, b, c}. Checked
    /// independently of the filter: removing any one member from the full model leaves it
    /// infeasible or not as the IIS property says (the members alone are infeasible, and
    /// each proper subset obtained by dropping one member is feasible).
    @Test func rowConflictIsIrreducible() throws {
      var m = Model(name: "rows")
      let x = try m.addVariable("x")
      let y = try m.addVariable("y")
      let z = try m.addVariable("z")
      try m.addConstraint("d", x + y, .lessEqual, 100)
      try m.addConstraint("a", x + y, .greaterEqual, 5)
      try m.addConstraint("f", 1 * x, .lessEqual, 3)
      try m.addConstraint("e", 1 * z, .greaterEqual, 1)
      try m.addConstraint("b", 1 * x, .lessEqual, 2)
      try m.addConstraint("c", 1 * y, .lessEqual, 2)
      let conflict = try CBCSolver().findConflict(in: m)
      let names = conflict.members.map(\.name)
      #expect(names == ["a", "b", "c"])
      // Independent check of irreducibility: rebuild models from the member rows only.
      func solveRows(_ keep: [String]) throws -> TerminationReason {
        var sub = Model()
        let x = try sub.addVariable("x")
        let y = try sub.addVariable("y")
        let rows: [String: (LinearExpression, ConstraintSense, Double)] = [
          "a": (x + y, .greaterEqual, 5), "b": (1 * x, .lessEqual, 2), "c": (1 * y, .lessEqual, 2),
        ]
        for k in keep { if let (e, s, r) = rows[k] { try sub.addConstraint(k, e, s, r) } }
        return try CBCSolver().solve(sub).termination.reason
      }
      #expect(try solveRows(names) == .infeasible)
      for drop in names { #expect(try solveRows(names.filter { $0 != drop }) == .optimal) }
      #expect(conflict.members.map(\.text) == ["a: x + y ≥ 5", "b: x ≤ 2", "c: y ≤ 2"])
    }

    @Test func integralityOnlyConflict() throws {
      // 2x = 1 with x integer: the relaxation (x = 0.5) is feasible.
      var m = Model()
      let x = try m.addVariable("x", upper: 10, kind: .integer)
      try m.addConstraint("odd", 2 * x, .equal, 1)
      let conflict = try CBCSolver().findConflict(in: m)
      #expect(conflict.isIntegralityConflict)
      #expect(conflict.members.isEmpty)
    }

    @Test func feasibleModelHasNoConflict() throws {
      let conflict = try CBCSolver().findConflict(in: try wyndor().0)
      #expect(conflict.members.isEmpty)
      #expect(!conflict.isIntegralityConflict)
    }
  }

  @Suite struct Limits {
    /// A market-split instance (Cornuéjols & Dawande 1999): 4 equality rows over 30 binaries
    /// with coefficients in 0...99 and right-hand sides ⌊Σ/2⌋, written with slack variables
    /// whose total is minimised. Such instances are notoriously hard for branch and bound
    /// (tens of millions of nodes), so a 1 s limit must stop it with an incumbent and a gap.
    func marketSplit() throws -> Model {
      var m = Model(name: "market-split")
      var seed: UInt64 = 20_260_523
      func next() -> Double {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double((seed >> 33) % 100)
      }
      let n = 30
      let xs = try m.addVariables(count: n, name: { "x[\($0)]" }, kind: .binary)
      for i in 0..<4 {
        let a = (0..<n).map { _ in next() }
        let rhs = (a.reduce(0, +) / 2).rounded(.down)
        let plus = try m.addVariable("slack+[\(i)]", objective: 1)
        let minus = try m.addVariable("slack-[\(i)]", objective: 1)
        try m.addConstraint("split[\(i)]", .sum(xs, a) + plus - minus, .equal, rhs)
      }
      return m
    }

    @Test func timeLimitIsHonouredAndGapReported() throws {
      let m = try marketSplit()
      let limit = 1.0
      let r = try CBCSolver(options: SolverOptions(timeLimit: limit)).solve(m)
      #expect(r.termination.reason == .timeLimit, "\(r.termination)")
      // Shared 2-core machine: allow 3 s beyond the limit for CBC to notice and unwind.
      #expect(r.termination.solveTime < limit + 3)
      #expect(r.termination.solveTime >= limit * 0.9)
      let objective = try #require(r.termination.objectiveValue)
      let bound = try #require(r.termination.bestBound)
      #expect(bound <= objective + 1e-9)
      #expect((r.termination.relativeGap ?? 0) > 0)
      // The incumbent is feasible: recompute its objective from the solution.
      let s = try #require(r.solution)
      #expect(approx(s.value(of: m.objective), objective, abs: 1e-6))
    }

    /// A 0-1 multidimensional knapsack (80 items, 5 resources, seeded coefficients): its LP
    /// bound is within a few per cent of good incumbents, so a 10 % gap is met long before
    /// optimality is proven.
    func knapsack() throws -> Model {
      var m = Model(name: "mkp")
      var seed: UInt64 = 42
      func next() -> Double {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double((seed >> 33) % 1000 + 1)
      }
      let n = 80
      let xs = try m.addVariables(count: n, name: { "take[\($0)]" }, kind: .binary)
      for v in xs { try m.setObjectiveCoefficient(of: v, next()) }
      for i in 0..<5 {
        let w = (0..<n).map { _ in next() }
        try m.addConstraint("resource[\(i)]", .sum(xs, w), .lessEqual, w.reduce(0, +) / 4)
      }
      m.objectiveSense = .maximize
      return m
    }

    @Test func gapLimitStopsWithinTheGap() throws {
      let m = try knapsack()
      let requested = 0.10
      let r = try CBCSolver(options: SolverOptions(timeLimit: 30, relativeGap: requested)).solve(m)
      #expect(r.termination.reason == .gapLimit, "\(r.termination)")
      let objective = try #require(r.termination.objectiveValue)
      let bound = try #require(r.termination.bestBound)
      // Maximising: the bound is above the incumbent, by at most the requested fraction.
      #expect(bound >= objective - 1e-9)
      #expect((bound - objective) / objective <= requested + 1e-9)
      #expect(approx(r.termination.relativeGap ?? .nan, (bound - objective) / objective, rel: 1e-9))
    }
  }
}
