import Optimization
import Testing
import TestSupport

// All Optimization tests run in one serialised suite: some call CBC's C reader directly,
// outside the library's lock.
@Suite(.serialized) struct OptimizationTests {}

/// Wyndor Glass (Hillier & Lieberman, Introduction to Operations Research, §3.1 and §4.7):
/// max 3x + 5y  s.t.  x ≤ 4 (plant 1),  2y ≤ 12 (plant 2),  3x + 2y ≤ 18 (plant 3),  x, y ≥ 0.
/// Published optimum x = 2, y = 6, Z = 36; shadow prices y₁ = 0, y₂ = 3/2, y₃ = 1.
/// An extra product z (profit 2, uses 3 h of plant 3) stays at 0 with reduced cost 2 − 3·y₃ = −1.
func wyndor() throws -> (Model, [Variable], [Constraint]) {
  var m = Model(name: "wyndor")
  let x = try m.addVariable("Product-x[doors]", objective: 3)
  let y = try m.addVariable("Product-x[windows]", objective: 5)
  let z = try m.addVariable("Product-x[frames]", objective: 2)
  let c1 = try m.addConstraint("Plant-hours[1]", 1 * x, .lessEqual, 4, description: "hours of plant 1")
  let c2 = try m.addConstraint("Plant-hours[2]", 2 * y, .lessEqual, 12, description: "hours of plant 2")
  let c3 = try m.addConstraint("Plant-hours[3]", 3 * x + 2 * y + 3 * z, .lessEqual, 18, description: "hours of plant 3")
  m.objectiveSense = .maximize
  return (m, [x, y, z], [c1, c2, c3])
}

/// min 2x + 3y  s.t.  x + y ≥ 4 (a),  x + 3y ≥ 6 (b),  x, y ≥ 0.
/// By hand: vertices (0, 4) → 12, (3, 1) → 9, (6, 0) → 12, so the optimum is 9 at (3, 1).
/// Duals from cᵀ = yᵀA on the two binding rows: y_a + y_b = 2, y_a + 3y_b = 3 → y_b = 1/2, y_a = 3/2.
func diet() throws -> (Model, [Variable], [Constraint]) {
  var m = Model(name: "diet")
  let x = try m.addVariable("Food-x[rice]", objective: 2)
  let y = try m.addVariable("Food-x[beans]", objective: 3)
  let a = try m.addConstraint("Nutrient-min[energy]", x + y, .greaterEqual, 4)
  let b = try m.addConstraint("Nutrient-min[protein]", x + 3 * y, .greaterEqual, 6)
  return (m, [x, y], [a, b])
}

/// max 5x + 4y  s.t.  6x + 4y ≤ 24,  x + 2y ≤ 6,  x, y ≥ 0 integer.
/// LP relaxation: (3, 1.5) → 21. Integer points by hand: (4, 0) → 20, (3, 1) → 19,
/// (2, 2) → 18, (0, 3) → 12; optimum 20 at (4, 0).
func integerProgram() throws -> (Model, Variable, Variable) {
  var m = Model()
  let x = try m.addVariable("x", kind: .integer, objective: 5)
  let y = try m.addVariable("y", kind: .integer, objective: 4)
  try m.addConstraint("c1", 6 * x + 4 * y, .lessEqual, 24)
  try m.addConstraint("c2", x + 2 * y, .lessEqual, 6)
  m.objectiveSense = .maximize
  return (m, x, y)
}

extension OptimizationTests {
  @Suite struct LinearPrograms {
    @Test func wyndorOptimumAndShadowPrices() throws {
      let (m, v, c) = try wyndor()
      let r = try CBCSolver().solve(m)
      #expect(r.termination.reason == .optimal)
      let s = try #require(r.solution)
      #expect(approx(r.termination.objectiveValue ?? .nan, 36, abs: 1e-9))
      #expect(approx(s[v[0]], 2, abs: 1e-9))
      #expect(approx(s[v[1]], 6, abs: 1e-9))
      #expect(approx(s[v[2]], 0, abs: 1e-9))
      let duals = try #require(s.duals)
      #expect(approx(duals[c[0].index], 0, abs: 1e-9))
      #expect(approx(duals[c[1].index], 1.5, abs: 1e-9))
      #expect(approx(duals[c[2].index], 1, abs: 1e-9))
      #expect(approx(s.reducedCost(of: v[2]) ?? .nan, -1, abs: 1e-9))
      #expect(approx(s.activity(of: c[2]), 18, abs: 1e-9))
    }

    @Test func minimisationDuals() throws {
      let (m, v, c) = try diet()
      let r = try CBCSolver().solve(m)
      #expect(r.termination.reason == .optimal)
      let s = try #require(r.solution)
      #expect(approx(r.termination.objectiveValue ?? .nan, 9, abs: 1e-9))
      #expect(approx(s[v[0]], 3, abs: 1e-9))
      #expect(approx(s[v[1]], 1, abs: 1e-9))
      #expect(approx(s.dual(of: c[0]) ?? .nan, 1.5, abs: 1e-9))
      #expect(approx(s.dual(of: c[1]) ?? .nan, 0.5, abs: 1e-9))
    }

    /// The dual is the objective's rate of change: re-solving with the rhs raised by δ moves
    /// the objective by dual·δ (valid while the basis stays optimal).
    @Test(arguments: [0, 1, 2]) func dualsMatchFiniteDifferences(row: Int) throws {
      let (m, _, c) = try wyndor()
      let base = try CBCSolver().solve(m)
      var bumped = m
      let delta = 0.01
      let b = m.bounds(of: c[row])
      try bumped.setBounds(of: c[row], lower: b.lower, upper: b.upper + delta)
      let r = try CBCSolver().solve(bumped)
      let slope = ((r.termination.objectiveValue ?? .nan) - (base.termination.objectiveValue ?? .nan)) / delta
      #expect(approx(slope, base.solution?.dual(of: c[row]) ?? .nan, abs: 1e-6))
    }

    @Test func equalityAndRangedRowsAndOffset() throws {
      // min x + y + 10  s.t.  x − y = 1,  2 ≤ x + y ≤ 5.  By hand: x + y = 2 is cheapest,
      // with x − y = 1 → x = 1.5, y = 0.5, objective 2 + 10 = 12.
      var m = Model()
      let x = try m.addVariable("x")
      let y = try m.addVariable("y")
      try m.addConstraint("diff", x - y, .equal, 1)
      let r2 = try m.addConstraint("sum", x + y, in: 2...5)
      try m.setObjective(x + y + 10, sense: .minimize)
      let r = try CBCSolver().solve(m)
      #expect(r.termination.reason == .optimal)
      #expect(approx(r.termination.objectiveValue ?? .nan, 12, abs: 1e-9))
      #expect(approx(r.solution?[x] ?? .nan, 1.5, abs: 1e-9))
      // Raising the binding lower side of the range by 1 costs 1.
      #expect(approx(r.solution?.dual(of: r2) ?? .nan, 1, abs: 1e-9))
    }

    /// Degenerate inputs: no rows, and no variables at all. By hand: min x + 3 over x ≥ 0 is 3
    /// at x = 0; an empty model's objective is its constant, 7.
    @Test func modelsWithoutRowsOrVariables() throws {
      var m = Model()
      let x = try m.addVariable("x")
      try m.setObjective(x + 3, sense: .minimize)
      let r = try CBCSolver().solve(m)
      #expect(r.termination.reason == .optimal)
      #expect(approx(r.termination.objectiveValue ?? .nan, 3, abs: 1e-12))
      var empty = Model()
      empty.objectiveOffset = 7
      let e = try CBCSolver().solve(empty)
      #expect(e.termination.reason == .optimal)
      #expect(approx(e.termination.objectiveValue ?? .nan, 7, abs: 1e-12))
    }

    @Test func infeasibleLP() throws {
      var m = Model()
      let x = try m.addVariable("x", upper: 2)
      try m.addConstraint("need", 1 * x, .greaterEqual, 3)
      let r = try CBCSolver().solve(m)
      #expect(r.termination.reason == .infeasible)
      #expect(r.solution == nil)
    }

    @Test(arguments: [false, true]) func unboundedLPAndMIP(integer: Bool) throws {
      // max x + y  s.t.  x − y ≤ 1: y can grow without limit.
      var m = Model()
      let x = try m.addVariable("x", kind: integer ? .integer : .continuous, objective: 1)
      let y = try m.addVariable("y", objective: 1)
      try m.addConstraint("c", x - y, .lessEqual, 1)
      m.objectiveSense = .maximize
      let r = try CBCSolver().solve(m)
      #expect(r.termination.reason == .unbounded)
    }
  }

  @Suite struct MixedIntegerPrograms {
    @Test func integerProgramOptimum() throws {
      let (m, x, y) = try integerProgram()
      let r = try CBCSolver().solve(m)
      #expect(r.termination.reason == .optimal)
      #expect(approx(r.termination.objectiveValue ?? .nan, 20, abs: 1e-6))
      #expect(approx(r.termination.bestBound ?? .nan, 20, abs: 1e-6))
      #expect(approx(r.solution?[x] ?? .nan, 4, abs: 1e-6))
      #expect(approx(r.solution?[y] ?? .nan, 0, abs: 1e-6))
      #expect(r.solution?.duals == nil)
    }

    /// The thread option reaches CBC and the answer is unchanged (hand optimum 20 at (4, 0)).
    @Test(arguments: [1, 2]) func threadsGiveSameOptimum(threads: Int) throws {
      let (m, _, _) = try integerProgram()
      let r = try CBCSolver(options: SolverOptions(threads: threads)).solve(m)
      #expect(r.termination.reason == .optimal)
      #expect(approx(r.termination.objectiveValue ?? .nan, 20, abs: 1e-6))
    }

    /// Facility: open (binary, fixed cost 10) allows up to 100 t of flow at 2 per t; demand 30 t.
    /// By hand: open = 1, flow = 30, cost 10 + 60 = 70. With open fixed at 1 the LP is
    /// min 2·flow, flow ≥ 30, flow ≤ 100: one more t of demand costs 2 (dual 2), the capacity
    /// row is slack (dual 0).
    @Test func mipDualsPriceTheFixedLP() throws {
      var m = Model()
      let open = try m.addVariable("Plant-open[a]", kind: .binary, objective: 10)
      let flow = try m.addVariable("Link-flow[a]", objective: 2)
      let demand = try m.addConstraint("demand", 1 * flow, .greaterEqual, 30)
      let capacity = try m.addConstraint("capacity", flow - 100 * open, .lessEqual, 0)
      let plain = try CBCSolver().solve(m)
      #expect(plain.solution?.duals == nil)
      let r = try CBCSolver(options: SolverOptions(mipDuals: true)).solve(m)
      #expect(r.termination.reason == .optimal)
      #expect(approx(r.termination.objectiveValue ?? .nan, 70, abs: 1e-6))
      #expect(approx(r.solution?.dual(of: demand) ?? .nan, 2, abs: 1e-9))
      #expect(approx(r.solution?.dual(of: capacity) ?? .nan, 0, abs: 1e-9))
    }

    @Test func binaryKnapsack() throws {
      // Values 10, 13, 7, 9; weights 5, 6, 4, 3; capacity 10. Feasible pairs by hand:
      // {1,3} 17, {1,4} 19, {2,3} 20, {2,4} 22, {3,4} 16; no triple fits (least is 4+3+5 = 12).
      // Optimum 22 with items 2 and 4.
      var m = Model()
      let values = [10.0, 13, 7, 9]
      let weights = [5.0, 6, 4, 3]
      let items = try m.addVariables(count: 4, name: { "Item-take[\($0 + 1)]" }, kind: .binary)
      for (v, c) in zip(items, values) { try m.setObjectiveCoefficient(of: v, c) }
      try m.addConstraint("capacity", .sum(items, weights), .lessEqual, 10)
      m.objectiveSense = .maximize
      let r = try CBCSolver().solve(m)
      #expect(r.termination.reason == .optimal)
      #expect(approx(r.termination.objectiveValue ?? .nan, 22, abs: 1e-6))
      let taken = items.map { (r.solution?[$0] ?? -1).rounded() }
      #expect(taken == [0, 1, 0, 1])
    }

    @Test func infeasibleMIP() throws {
      // 2x = 1 has no integer solution, though its LP relaxation (x = 0.5) is feasible.
      var m = Model()
      let x = try m.addVariable("x", upper: 10, kind: .integer)
      try m.addConstraint("odd", 2 * x, .equal, 1)
      let r = try CBCSolver().solve(m)
      #expect(r.termination.reason == .infeasible)
      #expect(r.solution == nil)
    }
  }
}
