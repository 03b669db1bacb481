// The solver protocol and what a solve returns: a termination report and a solution.

/// Something that solves a ``Model``.
///
/// Conforming types must be safe to call from several tasks; the CBC backend serialises
/// its calls into the C libraries.
public protocol Solver: Sendable {
  /// Solves `model`. Infeasible, unbounded and limit-reached outcomes are *results*
  /// (see ``Termination``), not errors; errors are for models the backend cannot accept.
  func solve(_ model: Model) throws -> SolveResult
}

/// Why the solver stopped.
public enum TerminationReason: String, Sendable, CaseIterable, Codable {
  /// A solution was found and proven optimal (for a MIP: within the solver's default gap
  /// tolerance, which is below 1e-9 relative for CBC).
  case optimal
  /// The model has no feasible point (for a MIP: no integer-feasible point).
  case infeasible
  /// The objective can improve without limit.
  case unbounded
  /// The time limit was reached; ``Termination/hasSolution`` says whether a feasible point was found.
  case timeLimit = "time-limit"
  /// The solver stopped with a feasible solution whose gap to the best bound is within the
  /// requested ``SolverOptions/relativeGap`` but not proven optimal.
  case gapLimit = "gap-limit"
  /// The solver stopped on some other limit (nodes, iterations, solutions) or was
  /// interrupted; a solution may or may not exist.
  case otherLimit = "other-limit"
  /// The solver failed (numerical trouble, abandoned); ``Termination/detail`` says how.
  case error
}

/// How a solve ended: the reason, the objective and bound, and the time spent.
public struct Termination: Sendable, CustomStringConvertible {
  /// Why the solver stopped.
  public var reason: TerminationReason
  /// The objective value of the returned solution, in objective units, including the model's offset; nil without a solution.
  public var objectiveValue: Double?
  /// The best proven bound on the optimum (a lower bound when minimising, an upper bound when maximising), in objective units; nil when unknown.
  public var bestBound: Double?
  /// `|objective − bound| / max(|objective|, 1e-10)`, dimensionless; nil without both numbers.
  public var relativeGap: Double?
  /// Wall-clock seconds spent in the solver, excluding building the model and loading it into the solver (s).
  public var solveTime: Double
  /// Simplex iterations (LP) or total LP iterations (MIP).
  public var iterations: Int
  /// Branch-and-bound nodes (0 for an LP).
  public var nodes: Int
  /// Free text from the backend: which algorithm ran and its status codes.
  public var detail: String

  /// True when a feasible solution is available.
  public var hasSolution: Bool { objectiveValue != nil }

  /// Makes a termination report.
  public init(
    reason: TerminationReason, objectiveValue: Double?, bestBound: Double?, relativeGap: Double?,
    solveTime: Double, iterations: Int = 0, nodes: Int = 0, detail: String = ""
  ) {
    self.reason = reason
    self.objectiveValue = objectiveValue
    self.bestBound = bestBound
    self.relativeGap = relativeGap
    self.solveTime = solveTime
    self.iterations = iterations
    self.nodes = nodes
    self.detail = detail
  }

  public var description: String {
    var s = reason.rawValue
    // Ten significant digits: enough to compare, without round-off noise such as 4.999999999999995.
    if let o = objectiveValue { s += ", objective \(formatNumber(Model.roundSignificant(o, 10)))" }
    if let b = bestBound { s += ", bound \(formatNumber(Model.roundSignificant(b, 10)))" }
    if let g = relativeGap { s += ", gap \(formatPercent(g))" }
    s += ", \(formatSeconds(solveTime))"
    if !detail.isEmpty { s += " (\(detail))" }
    return s
  }
}

/// Primal values, and for a pure LP the duals and reduced costs.
///
/// Sign convention (independent of the objective sense): a **dual** (shadow price) is the rate
/// of change of the optimal objective per unit increase of the constraint's binding bound
/// (objective units per row unit); a **reduced cost** is the rate of change of the objective
/// per unit increase of a variable held at a bound (objective units per variable unit).
/// So in a cost-minimising plan the dual of a demand row `supply ≥ demand` is the positive
/// marginal cost of one more unit of demand, and in a profit-maximising plan the dual of a
/// capacity row is the positive value of one more unit of capacity.
public struct Solution: Sendable {
  /// Value of each variable, indexed by ``Variable/index``, in the variable's unit.
  public var values: [Double]
  /// Activity (left-hand side value) of each constraint, indexed by ``Constraint/index``, in the row's unit.
  public var activities: [Double]
  /// Shadow price of each constraint (objective units per row unit); nil for a MIP unless
  /// ``SolverOptions/mipDuals`` asked for the duals of the LP with integers fixed.
  public var duals: [Double]?
  /// Reduced cost of each variable (objective units per variable unit); nil for a MIP unless
  /// ``SolverOptions/mipDuals`` is set (then integer variables, being fixed, carry the cost of moving their bound).
  public var reducedCosts: [Double]?

  /// Makes a solution.
  public init(values: [Double], activities: [Double], duals: [Double]? = nil, reducedCosts: [Double]? = nil) {
    self.values = values
    self.activities = activities
    self.duals = duals
    self.reducedCosts = reducedCosts
  }

  /// The value of `v`, in its unit.
  public subscript(_ v: Variable) -> Double { values[v.index] }
  /// The value of `e` at this solution.
  public func value(of e: LinearExpression) -> Double { e.evaluate(values) }
  /// The activity of `c` (its left-hand side), in the row's unit.
  public func activity(of c: Constraint) -> Double { activities[c.index] }
  /// The shadow price of `c` (objective units per row unit), nil for a MIP.
  public func dual(of c: Constraint) -> Double? { duals?[c.index] }
  /// The reduced cost of `v` (objective units per variable unit), nil for a MIP.
  public func reducedCost(of v: Variable) -> Double? { reducedCosts?[v.index] }
}

/// The result of ``Solver/solve(_:)``: how it ended and, when one exists, the solution.
public struct SolveResult: Sendable {
  /// How the solve ended.
  public var termination: Termination
  /// The best solution found; nil when none was (infeasible, unbounded, limit without incumbent).
  public var solution: Solution?

  /// Makes a result.
  public init(termination: Termination, solution: Solution?) {
    self.termination = termination
    self.solution = solution
  }
}

/// Options every backend understands.
public struct SolverOptions: Sendable {
  /// Wall-clock limit on the solve (s); nil for none.
  public var timeLimit: Double?
  /// Stop a MIP when `|incumbent − bound| / |incumbent|` is at most this (dimensionless, e.g. 0.01 = 1 %); nil for the solver's default.
  public var relativeGap: Double?
  /// Threads the MIP search may use; nil for the solver's default (1 for CBC).
  public var threads: Int?
  /// Solver log verbosity: 0 silent (default), 1 summary, higher is chattier. The log goes to the process's stdout.
  public var logLevel: Int
  /// After a MIP solve with a solution, fix the integer and binary variables at their
  /// (rounded) values, re-solve the remaining LP and return its duals and reduced costs: the
  /// shadow prices of the plan with its investment decisions taken as given. Default false.
  public var mipDuals: Bool

  /// Options with the given limits; all default to none and a silent log.
  public init(
    timeLimit: Double? = nil, relativeGap: Double? = nil, threads: Int? = nil, logLevel: Int = 0, mipDuals: Bool = false
  ) {
    self.timeLimit = timeLimit
    self.relativeGap = relativeGap
    self.threads = threads
    self.logLevel = logLevel
    self.mipDuals = mipDuals
  }
}

func formatPercent(_ x: Double) -> String {
  let p = (x * 1e6).rounded() / 1e4
  return "\(formatNumber(p)) %"
}

func formatSeconds(_ s: Double) -> String {
  let ms = (s * 1e4).rounded() / 10
  return "\(formatNumber(ms)) ms"
}
