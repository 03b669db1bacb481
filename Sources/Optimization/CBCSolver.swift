// The COIN-OR backend: CLP for pure LPs (so duals and reduced costs are available) and
// CBC's branch and cut for models with integer variables. Both through their C APIs.
import CCoinOR
import Foundation

/// Serialises every call into the COIN-OR libraries: their C interfaces share global
/// parameter tables, and Swift Testing and servers call from several threads.
let coinLock = NSLock()

/// Runs `body` while holding the lock that serialises calls into COIN-OR, for callers (tests that
/// read a written model back with CBC's own reader) that use the C interface directly.
public func withCOINLock<T>(_ body: () throws -> T) rethrows -> T {
  try coinLock.withLock { try body() }
}

/// COIN-OR's "infinity" for bounds (`COIN_DBL_MAX`).
private func coin(_ x: Double) -> Double {
  if x == .infinity { return .greatestFiniteMagnitude }
  if x == -.infinity { return -.greatestFiniteMagnitude }
  return x
}

/// The constraint matrix in compressed sparse columns, and the bounds with COIN-OR's
/// infinity, as CLP and CBC load them.
struct ColumnMajorMatrix {
  var starts: [Int32]
  var rows: [Int32]
  var values: [Double]
  var columnLower: [Double]
  var columnUpper: [Double]
  var rowLower: [Double]
  var rowUpper: [Double]
}

extension Model {
  /// The matrix in CSC form (a counting-sort transpose of the CSR rows, O(nonzeros)).
  func columnMajor() throws -> ColumnMajorMatrix {
    guard nonzeroCount < Int(Int32.max), variableCount < Int(Int32.max), constraintCount < Int(Int32.max) else {
      throw OptimizationError.invalidModel(
        "The model must have fewer than 2^31 nonzeros, variables and constraints for CBC; got \(nonzeroCount) nonzeros.")
    }
    var starts = [Int32](repeating: 0, count: variableCount + 1)
    for j in entryColumns { starts[Int(j) + 1] += 1 }
    for j in 0..<variableCount { starts[j + 1] += starts[j] }
    var next = starts
    var rows = [Int32](repeating: 0, count: nonzeroCount)
    var values = [Double](repeating: 0, count: nonzeroCount)
    for i in 0..<constraintCount {
      for k in rowStarts[i]..<rowStarts[i + 1] {
        let j = Int(entryColumns[k])
        let p = Int(next[j])
        rows[p] = Int32(truncatingIfNeeded: i)
        values[p] = entryValues[k]
        next[j] += 1
      }
    }
    return ColumnMajorMatrix(
      starts: starts, rows: rows, values: values, columnLower: variableLower.map(coin),
      columnUpper: variableUpper.map(coin), rowLower: constraintLower.map(coin), rowUpper: constraintUpper.map(coin))
  }

  /// Row activities `A·x` for `x` indexed by variable.
  func rowActivities(_ x: [Double]) -> [Double] {
    (0..<constraintCount).map { i in
      var s = 0.0
      for k in rowStarts[i]..<rowStarts[i + 1] { s += entryValues[k] * x[Int(entryColumns[k])] }
      return s
    }
  }
}

/// Solves models with COIN-OR: CLP (dual simplex) for pure LPs, CBC (branch and cut) for MIPs.
///
/// ```swift
/// let result = try CBCSolver(options: .init(timeLimit: 60, relativeGap: 0.001)).solve(model)
/// print(result.termination)   // optimal, objective 36, bound 36, gap 0 %, 0.4 ms (clp status 0)
/// ```
///
/// Calls into COIN-OR are serialised process-wide (the C libraries are not re-entrant), so
/// concurrent solves queue rather than run in parallel; use ``SolverOptions/threads`` for
/// parallel branch and bound inside one solve.
public struct CBCSolver: Solver {
  /// Limits and verbosity.
  public var options: SolverOptions
  /// Solve models without integer variables with CLP, which also yields duals and reduced
  /// costs (default true). When false, CBC solves them and no duals are returned.
  public var useCLPForLinearPrograms: Bool

  /// A solver with `options`.
  public init(options: SolverOptions = SolverOptions(), useCLPForLinearPrograms: Bool = true) {
    self.options = options
    self.useCLPForLinearPrograms = useCLPForLinearPrograms
  }

  /// CBC's version string, e.g. "2.10.8".
  public static var version: String {
    coinLock.withLock { Cbc_getVersion().map { String(cString: $0) } ?? "unknown" }
  }

  public func solve(_ model: Model) throws -> SolveResult {
    let matrix = try model.columnMajor()
    if let t = options.timeLimit, !(t > 0) {
      throw OptimizationError.invalidModel("The time limit must be a positive number of seconds; got \(formatNumber(t)).")
    }
    if let g = options.relativeGap, !(g >= 0 && g.isFinite) {
      throw OptimizationError.invalidModel("The relative gap must be a finite number ≥ 0; got \(formatNumber(g)).")
    }
    if let n = options.threads, n < 1 {
      throw OptimizationError.invalidModel("The thread count must be ≥ 1; got \(n).")
    }
    return try coinLock.withLock {
      if !model.hasIntegerVariables && useCLPForLinearPrograms {
        return solveLP(model, matrix)
      }
      return try solveMIP(model, matrix)
    }
  }

  // MARK: CLP

  func solveLP(_ model: Model, _ a: ColumnMajorMatrix) -> SolveResult {
    guard let clp = Clp_newModel() else {
      return SolveResult(
        termination: Termination(reason: .error, objectiveValue: nil, bestBound: nil, relativeGap: nil, solveTime: 0, detail: "Clp_newModel failed"),
        solution: nil)
    }
    defer { Clp_deleteModel(clp) }
    Clp_setLogLevel(clp, Int32(clamping: options.logLevel))
    loadCLP(clp, model, a)
    Clp_setObjSense(clp, model.objectiveSense == .maximize ? -1 : 1)
    if let t = options.timeLimit { Clp_setMaximumSeconds(clp, t) }

    let clock = ContinuousClock()
    let started = clock.now
    _ = Clp_initialSolve(clp)
    let seconds = (clock.now - started).seconds

    let status = Clp_status(clp)
    let iterations = Int(Clp_numberIterations(clp))
    let detail = "clp status \(status)"
    func report(_ reason: TerminationReason, _ objective: Double? = nil) -> Termination {
      Termination(
        reason: reason, objectiveValue: objective, bestBound: reason == .optimal ? objective : nil,
        relativeGap: reason == .optimal ? 0 : nil, solveTime: seconds, iterations: iterations, detail: detail)
    }
    switch status {
    case 0:
      let n = model.variableCount
      let m = model.constraintCount
      let x = Array(UnsafeBufferPointer(start: Clp_getColSolution(clp), count: n))
      // CLP reports row prices and reduced costs as derivatives of the objective in the
      // model's own sense (checked against Wyndor's published shadow prices and by finite
      // differences in the tests), which is this module's convention.
      let y = UnsafeBufferPointer(start: Clp_getRowPrice(clp), count: m).map { $0 + 0 }
      let d = UnsafeBufferPointer(start: Clp_getReducedCost(clp), count: n).map { $0 + 0 }
      let objective = LinearExpression.dot(model.objectiveCoefficients, x) + model.objectiveOffset
      let solution = Solution(values: x, activities: model.rowActivities(x), duals: y, reducedCosts: d)
      return SolveResult(termination: report(.optimal, objective), solution: solution)
    case 1:
      return SolveResult(termination: report(.infeasible), solution: nil)
    case 2:
      return SolveResult(termination: report(.unbounded), solution: nil)
    case 3:
      let timedOut = options.timeLimit.map { seconds >= $0 * 0.99 } ?? false
      return SolveResult(termination: report(timedOut ? .timeLimit : .otherLimit), solution: nil)
    default:
      return SolveResult(termination: report(.error), solution: nil)
    }
  }

  private func loadCLP(_ clp: UnsafeMutableRawPointer, _ model: Model, _ a: ColumnMajorMatrix) {
    Clp_loadProblem(
      clp, Int32(model.variableCount), Int32(model.constraintCount), a.starts, a.rows, a.values,
      a.columnLower, a.columnUpper, model.objectiveCoefficients, a.rowLower, a.rowUpper)
  }

  // MARK: CBC

  func solveMIP(_ model: Model, _ a: ColumnMajorMatrix) throws -> SolveResult {
    guard let cbc = Cbc_newModel() else { throw OptimizationError.solverFailure("Cbc_newModel failed.") }
    defer { Cbc_deleteModel(cbc) }
    Cbc_setLogLevel(cbc, Int32(clamping: options.logLevel))
    Cbc_loadProblem(
      cbc, Int32(model.variableCount), Int32(model.constraintCount), a.starts, a.rows, a.values,
      a.columnLower, a.columnUpper, model.objectiveCoefficients, a.rowLower, a.rowUpper)
    for (j, k) in model.variableKinds.enumerated() where k != .continuous { Cbc_setInteger(cbc, Int32(j)) }
    Cbc_setObjSense(cbc, model.objectiveSense == .maximize ? -1 : 1)
    if let t = options.timeLimit {
      // CBC counts CPU seconds by default; the limit is documented as wall-clock.
      Cbc_setParameter(cbc, "timeMode", "elapsed")
      Cbc_setMaximumSeconds(cbc, t)
    }
    if let g = options.relativeGap { Cbc_setAllowableFractionGap(cbc, g) }
    if let n = options.threads { Cbc_setParameter(cbc, "threads", String(n)) }

    let clock = ContinuousClock()
    let started = clock.now
    let rc = Cbc_solve(cbc)
    let seconds = (clock.now - started).seconds

    let status = Cbc_status(cbc)
    let secondary = Cbc_secondaryStatus(cbc)
    let detail = "cbc status \(status), secondary \(secondary), return \(rc)"
    let n = model.variableCount
    var x: [Double]? = nil
    if let best = Cbc_bestSolution(cbc) {
      x = Array(UnsafeBufferPointer(start: best, count: n))
    }
    let objective = x.map { LinearExpression.dot(model.objectiveCoefficients, $0) + model.objectiveOffset }
    let rawBound = Cbc_getBestPossibleObjValue(cbc)
    var bound: Double? = rawBound.isFinite && Swift.abs(rawBound) < 1e40 ? rawBound + model.objectiveOffset : nil
    if let o = objective, let b = bound {
      // CBC's bound can pass the incumbent by round-off; a bound never beats a feasible point.
      bound = model.objectiveSense == .minimize ? Swift.min(b, o) : Swift.max(b, o)
    }
    let gap: Double? = {
      guard let o = objective, let b = bound else { return nil }
      return Swift.abs(o - b) / Swift.max(Swift.abs(o), 1e-10)
    }()

    let reason: TerminationReason
    if Cbc_isContinuousUnbounded(cbc) != 0 || secondary == 7 {
      reason = .unbounded
    } else if Cbc_isProvenOptimal(cbc) != 0 && x != nil {
      if let g = gap, options.relativeGap != nil, g > 1e-7 { reason = .gapLimit } else { reason = .optimal }
    } else if Cbc_isProvenInfeasible(cbc) != 0 || Cbc_isInitialSolveProvenPrimalInfeasible(cbc) != 0 {
      reason = .infeasible
    } else if Cbc_isSecondsLimitReached(cbc) != 0 || secondary == 4 {
      reason = .timeLimit
    } else if Cbc_isNodeLimitReached(cbc) != 0 || Cbc_isSolutionLimitReached(cbc) != 0 || status == 1 || status == 5 {
      reason = .otherLimit
    } else {
      reason = .error
    }
    let keep = reason == .optimal || reason == .gapLimit || reason == .timeLimit || reason == .otherLimit
    var solution = keep ? x.map { Solution(values: $0, activities: model.rowActivities($0)) } : nil
    if options.mipDuals, let s = solution {
      // Fix the integers where the MIP put them and price the remaining LP.
      var fixed = model
      for j in 0..<model.variableCount where model.variableKinds[j] != .continuous {
        let v = s.values[j].rounded()
        fixed.variableLower[j] = v
        fixed.variableUpper[j] = v
        fixed.variableKinds[j] = .continuous
      }
      let lp = solveLP(fixed, try fixed.columnMajor())
      if lp.termination.reason == .optimal, let priced = lp.solution {
        solution?.duals = priced.duals
        solution?.reducedCosts = priced.reducedCosts
      }
    }
    let termination = Termination(
      reason: reason, objectiveValue: solution == nil ? nil : objective,
      bestBound: reason == .infeasible || reason == .unbounded ? nil : bound,
      relativeGap: solution == nil ? nil : gap, solveTime: seconds,
      iterations: Int(Cbc_getIterationCount(cbc)), nodes: Int(Cbc_getNodeCount(cbc)), detail: detail)
    return SolveResult(termination: termination, solution: solution)
  }
}

extension LinearExpression {
  /// `Σ a[i]·b[i]`.
  static func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in 0..<Swift.min(a.count, b.count) { s += a[i] * b[i] }
    return s
  }
}

extension Duration {
  /// The duration in seconds (s).
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) * 1e-18
  }
}
