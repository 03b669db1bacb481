import Optimization
import Testing
import TestSupport

extension OptimizationTests {
  @Suite struct Building {
    @Test func repeatedVariablesInARowAreSummedAndZerosDropped() throws {
      // 2x + 3y − x + 0·z − 3y  =  x   (by hand), so the row has one term.
      var m = Model()
      let x = try m.addVariable("x")
      let y = try m.addVariable("y")
      let z = try m.addVariable("z")
      let c = try m.addConstraint("r", 2 * x + 3 * y - x + 0 * z - 3 * y, .lessEqual, 4)
      #expect(m.terms(of: c) == [LinearExpression.Term(x, 1)])
      #expect(m.nonzeroCount == 1)
      // The next row may use the same variables again without being merged into the first.
      let d = try m.addConstraint("s", x + y, .greaterEqual, 1)
      #expect(m.terms(of: d) == [.init(x, 1), .init(y, 1)])
    }

    @Test func expressionConstantsMoveToTheRightHandSide() throws {
      // x + 5 ≤ 7  ⇔  x ≤ 2;   3 ≤ x + 1 ≤ 4  ⇔  2 ≤ x ≤ 3.
      var m = Model()
      let x = try m.addVariable("x")
      let a = try m.addConstraint("a", x + 5, .lessEqual, 7)
      let b = try m.addConstraint("b", LinearExpression(x) + 1, in: 3...4)
      #expect(m.bounds(of: a) == (-.infinity, 2))
      #expect(m.bounds(of: b) == (2, 3))
    }

    @Test func binaryClampsBounds() throws {
      var m = Model()
      let b = try m.addVariable("b", lower: -3, upper: 7, kind: .binary)
      #expect(m.bounds(of: b) == (0, 1))
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
      let id: String
      let build: @Sendable (inout Model) throws -> Void
      let message: String
      var testDescription: String { id }
    }
    static let badCases: [BadCase] = [
      BadCase(
        id: "duplicate variable", build: { try $0.addVariable("x"); try $0.addVariable("x") },
        message: "The variable name must be unique in the model; got 'x' a second time."),
      BadCase(
        id: "duplicate constraint",
        build: { m in
          let x = try m.addVariable("x")
          try m.addConstraint("c", 1 * x, .lessEqual, 1)
          try m.addConstraint("c", 1 * x, .lessEqual, 2)
        }, message: "The constraint name must be unique in the model; got 'c' a second time."),
      BadCase(
        id: "inverted bounds", build: { try $0.addVariable("cap", lower: 5, upper: 3) },
        message: "The bounds of variable 'cap' must satisfy lower ≤ upper, lower < +∞, upper > −∞ and not NaN; got [5, 3]."),
      BadCase(
        id: "NaN coefficient",
        build: { m in
          let x = try m.addVariable("x")
          try m.addConstraint("c", Double.nan * x, .lessEqual, 1)
        }, message: "The coefficient of 'x' in constraint 'c' must be a finite number; got nan."),
      BadCase(
        id: "foreign variable",
        build: { m in try m.addConstraint("c", 1 * Variable(index: 3), .lessEqual, 1) },
        message: "A variable index in constraint 'c' must be in 0..<0; got 3."),
      BadCase(
        id: "empty name", build: { try $0.addVariable("") },
        message: "The name of variable #0 must not be empty; got ''."),
      BadCase(
        id: "infinite objective", build: { try $0.addVariable("x", objective: .infinity) },
        message: "The objective coefficient of variable 'x' must be a finite number; got inf."),
    ]

    @Test(arguments: badCases) func rejectsBadInput(_ c: BadCase) throws {
      var m = Model()
      do {
        try c.build(&m)
        Issue.record("expected an error")
      } catch let e as OptimizationError {
        #expect(e.description == c.message)
      }
    }

    @Test func failedRowLeavesModelUsable() throws {
      // A row rejected half-way (NaN in its 2nd term) must not leak entries or merge state.
      var m = Model()
      let x = try m.addVariable("x")
      let y = try m.addVariable("y")
      #expect(throws: OptimizationError.self) { try m.addConstraint("bad", x + Double.nan * y, .lessEqual, 1) }
      #expect(m.nonzeroCount == 0)
      #expect(m.constraintCount == 0)
      let c = try m.addConstraint("good", x + x, .lessEqual, 1)
      #expect(m.terms(of: c) == [.init(x, 2)])
    }

    @Test func badSolverOptionsAreRejected() throws {
      let m = try wyndor().0
      #expect(throws: OptimizationError.invalidModel("The time limit must be a positive number of seconds; got 0.")) {
        try CBCSolver(options: SolverOptions(timeLimit: 0)).solve(m)
      }
      #expect(throws: OptimizationError.invalidModel("The thread count must be ≥ 1; got 0.")) {
        try CBCSolver(options: SolverOptions(threads: 0)).solve(m)
      }
    }
  }

  @Suite struct Printing {
    @Test func descriptionPrintsTheModelAsMaths() throws {
      var (m, _, _) = try wyndor()
      _ = try m.addVariable("Plant-open[4]", kind: .binary)
      _ = try m.addVariable("Stock-level[nd]", lower: -2, upper: 5, kind: .integer)
      // Expected text written from the format documented in docs/optimization.md.
      let expected = """
        Model 'wyndor': 5 variables (3 continuous, 1 integer, 1 binary), 3 constraints, 5 nonzeros
        maximize 3 Product-x[doors] + 5 Product-x[windows] + 2 Product-x[frames]
        subject to
          Plant-hours[1]: Product-x[doors] ≤ 4   # hours of plant 1
          Plant-hours[2]: 2 Product-x[windows] ≤ 12   # hours of plant 2
          Plant-hours[3]: 3 Product-x[doors] + 2 Product-x[windows] + 3 Product-x[frames] ≤ 18   # hours of plant 3
        bounds
          Plant-open[4] binary
          -2 ≤ Stock-level[nd] ≤ 5, integer
          the other 3 variables ≥ 0
        """
      #expect(m.description == expected)
    }

    @Test func bigModelsAreTruncated() throws {
      var m = Model(name: "big")
      let xs = try m.addVariables(count: 50, name: { "x[\($0)]" })
      for i in 0..<30 { try m.addConstraint("c[\(i)]", .sum(xs), .lessEqual, 1) }
      let lines = m.description(maxConstraints: 2, maxTerms: 3, maxBounds: 2).split(separator: "\n")
      // header, objective, "subject to", 2 rows, "… 28 more constraints", "bounds", "all variables ≥ 0".
      #expect(lines.count == 8)
      #expect(lines[3] == "  c[0]: x[0] + x[1] + x[2] + … (47 more terms) ≤ 1")
      #expect(lines.contains("  … 28 more constraints"))
      #expect(lines.last == "  all variables ≥ 0")
    }

    @Test(arguments: ModelFileFormat.allCases) func exportIsDeterministic(_ f: ModelFileFormat) throws {
      let a = try featureModel().exportText(f)
      let b = try featureModel().exportText(f)
      #expect(a == b)
    }
  }
}
