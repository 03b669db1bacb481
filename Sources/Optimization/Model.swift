// The model: named variables with bounds and kinds, named sparse rows, a linear objective.
//
// Storage is columnar: one array per attribute of the variables, and the constraint matrix
// in compressed sparse rows (CSR). Adding a variable or a row appends to these arrays, so a
// model with 100,000 variables and a few hundred thousand nonzeros builds in milliseconds.

/// Whether a variable takes any real value in its bounds, only integers, or only 0 and 1.
public enum VariableKind: String, Sendable, CaseIterable {
  /// Any real value within the bounds.
  case continuous
  /// An integer within the bounds.
  case integer
  /// 0 or 1 (bounds are clamped to [0, 1]).
  case binary
}

/// Whether the objective is minimised or maximised.
public enum ObjectiveSense: String, Sendable, CaseIterable {
  /// Find the least objective value.
  case minimize
  /// Find the greatest objective value.
  case maximize
}

/// The relation of a single-sided or equality constraint: `expr ≤ rhs`, `expr ≥ rhs`, `expr = rhs`.
public enum ConstraintSense: String, Sendable, CaseIterable {
  /// `expression ≤ rhs`.
  case lessEqual = "<="
  /// `expression ≥ rhs`.
  case greaterEqual = ">="
  /// `expression = rhs`.
  case equal = "="
}

/// A handle to a variable of one ``Model``: its position in the model's variable arrays.
public struct Variable: Hashable, Comparable, Sendable {
  /// Zero-based position of the variable in the model.
  public let index: Int
  /// Makes a handle for the variable at `index`; the model checks the index when it is used.
  public init(index: Int) { self.index = index }
  public static func < (a: Variable, b: Variable) -> Bool { a.index < b.index }
}

/// A handle to a constraint (row) of one ``Model``.
public struct Constraint: Hashable, Comparable, Sendable {
  /// Zero-based position of the constraint in the model.
  public let index: Int
  /// Makes a handle for the constraint at `index`.
  public init(index: Int) { self.index = index }
  public static func < (a: Constraint, b: Constraint) -> Bool { a.index < b.index }
}

/// A linear mixed-integer program, built incrementally and solved by a ``Solver``.
///
/// Units are the caller's: the model is domain-free, and every number in it is in whatever
/// unit the caller chose for that variable or row (Planning uses SI: kg, kg/s, USD).
///
/// ```swift
/// var m = Model(name: "wyndor")
/// let x = try m.addVariable("Plant-x[door]", objective: 3)
/// let y = try m.addVariable("Plant-x[window]", objective: 5)
/// try m.addConstraint("capacity[1]", 1 * x, .lessEqual, 4)
/// try m.addConstraint("capacity[3]", 3 * x + 2 * y, .lessEqual, 18, description: "plant 3 hours")
/// m.objectiveSense = .maximize
/// let result = try CBCSolver().solve(m)
/// ```
public struct Model: Sendable {
  /// The model's name (written to MPS/LP files after sanitising).
  public var name: String
  /// Whether the objective is minimised or maximised.
  public var objectiveSense: ObjectiveSense = .minimize
  /// A constant added to the objective (in objective units).
  public var objectiveOffset: Double = 0

  // Columns.
  var variableNames: [String] = []
  var variableLower: [Double] = []
  var variableUpper: [Double] = []
  var variableKinds: [VariableKind] = []
  var variableDescriptions: [String?] = []
  var objectiveCoefficients: [Double] = []
  var variableIndexByName: [String: Int] = [:]

  // Rows (CSR).
  var constraintNames: [String] = []
  var constraintLower: [Double] = []
  var constraintUpper: [Double] = []
  var constraintDescriptions: [String?] = []
  var rowStarts: [Int] = [0]
  var entryColumns: [Int32] = []
  var entryValues: [Double] = []
  var constraintIndexByName: [String: Int] = [:]

  // Scratch for merging repeated variables within one row: the row that last used each
  // variable (plus one) and the entry position it got there.
  var scratchRow: [Int32] = []
  var scratchPosition: [Int32] = []
  // For diagnosis models only: each elastic row and its slack columns.
  var elasticRows: [(Int, [Int])] = []

  /// An empty model.
  public init(name: String = "model") { self.name = name }

  /// Number of variables (columns).
  public var variableCount: Int { variableNames.count }
  /// Number of constraints (rows).
  public var constraintCount: Int { constraintNames.count }
  /// Number of stored nonzero coefficients in the constraint matrix.
  public var nonzeroCount: Int { entryValues.count }
  /// True when some variable is integer or binary.
  public var hasIntegerVariables: Bool { variableKinds.contains { $0 != .continuous } }
  /// Every variable handle, in order.
  public var variables: [Variable] { (0..<variableCount).map(Variable.init(index:)) }
  /// Every constraint handle, in order.
  public var constraints: [Constraint] { (0..<constraintCount).map(Constraint.init(index:)) }

  /// Reserves storage for `variables` more columns, `constraints` more rows and `nonzeros` more entries.
  public mutating func reserveCapacity(variables: Int = 0, constraints: Int = 0, nonzeros: Int = 0) {
    let v = variableCount + variables
    variableNames.reserveCapacity(v)
    variableLower.reserveCapacity(v)
    variableUpper.reserveCapacity(v)
    variableKinds.reserveCapacity(v)
    variableDescriptions.reserveCapacity(v)
    objectiveCoefficients.reserveCapacity(v)
    variableIndexByName.reserveCapacity(v)
    scratchRow.reserveCapacity(v)
    scratchPosition.reserveCapacity(v)
    let r = constraintCount + constraints
    constraintNames.reserveCapacity(r)
    constraintLower.reserveCapacity(r)
    constraintUpper.reserveCapacity(r)
    constraintDescriptions.reserveCapacity(r)
    constraintIndexByName.reserveCapacity(r)
    rowStarts.reserveCapacity(r + 1)
    entryColumns.reserveCapacity(nonzeroCount + nonzeros)
    entryValues.reserveCapacity(nonzeroCount + nonzeros)
  }

  // MARK: Variables

  /// Adds a variable.
  ///
  /// - Parameters:
  ///   - name: unique name, by convention `"<Component>-<attr>[index]"` (e.g. `"Link-flow[cn→in,2027-03]"`).
  ///   - lower: lower bound in the variable's unit; `-.infinity` for none. Default 0.
  ///   - upper: upper bound in the variable's unit; `.infinity` for none.
  ///   - kind: continuous, integer or binary (binary clamps the bounds to [0, 1]).
  ///   - objective: objective coefficient, in objective units per variable unit.
  ///   - description: what the variable's bounds mean to a user ("IREL Chavara capacity"),
  ///     used when a bound appears in an infeasibility diagnosis.
  /// - Throws: ``OptimizationError`` for a duplicate or empty name, NaN or inverted bounds, or a non-finite objective coefficient.
  @discardableResult
  public mutating func addVariable(
    _ name: String, lower: Double = 0, upper: Double = .infinity, kind: VariableKind = .continuous,
    objective: Double = 0, description: String? = nil
  ) throws -> Variable {
    guard !name.isEmpty else { throw OptimizationError.emptyName(kind: "variable", index: variableCount) }
    var lo = lower
    var hi = upper
    if kind == .binary {
      lo = Swift.max(lo, 0)
      hi = Swift.min(hi, 1)
    }
    try Model.checkBounds(lo, hi, of: "variable '\(name)'")
    guard objective.isFinite else {
      throw OptimizationError.invalidNumber(what: "objective coefficient of variable '\(name)'", value: objective)
    }
    let index = variableCount
    if variableIndexByName.updateValue(index, forKey: name) != nil {
      throw OptimizationError.duplicateName(kind: "variable", name: name)
    }
    variableNames.append(name)
    variableLower.append(lo)
    variableUpper.append(hi)
    variableKinds.append(kind)
    variableDescriptions.append(description)
    objectiveCoefficients.append(objective)
    scratchRow.append(0)
    scratchPosition.append(0)
    return Variable(index: index)
  }

  /// Adds `count` variables named `name(i)` for i in 0..<count, all with the same bounds, kind and objective coefficient.
  public mutating func addVariables(
    count: Int, name: (Int) -> String, lower: Double = 0, upper: Double = .infinity,
    kind: VariableKind = .continuous, objective: Double = 0
  ) throws -> [Variable] {
    reserveCapacity(variables: count)
    var result: [Variable] = []
    result.reserveCapacity(count)
    for i in 0..<count {
      result.append(try addVariable(name(i), lower: lower, upper: upper, kind: kind, objective: objective))
    }
    return result
  }

  /// The variable called `name`, if any.
  public func variable(named name: String) -> Variable? { variableIndexByName[name].map(Variable.init(index:)) }
  /// The name of `v`.
  public func name(of v: Variable) -> String { variableNames[v.index] }
  /// The kind of `v`.
  public func kind(of v: Variable) -> VariableKind { variableKinds[v.index] }
  /// The bounds of `v`, in the variable's unit (±infinity when absent).
  public func bounds(of v: Variable) -> (lower: Double, upper: Double) { (variableLower[v.index], variableUpper[v.index]) }
  /// The user-facing description of `v`'s bounds, if one was given.
  public func description(of v: Variable) -> String? { variableDescriptions[v.index] }
  /// The objective coefficient of `v`, in objective units per variable unit.
  public func objectiveCoefficient(of v: Variable) -> Double { objectiveCoefficients[v.index] }

  /// Changes the bounds of `v`.
  public mutating func setBounds(of v: Variable, lower: Double, upper: Double) throws {
    try checkVariable(v)
    try Model.checkBounds(lower, upper, of: "variable '\(variableNames[v.index])'")
    variableLower[v.index] = lower
    variableUpper[v.index] = upper
  }

  /// Changes the kind of `v` (binary also clamps its bounds to [0, 1]).
  public mutating func setKind(of v: Variable, _ kind: VariableKind) throws {
    try checkVariable(v)
    variableKinds[v.index] = kind
    if kind == .binary {
      variableLower[v.index] = Swift.max(variableLower[v.index], 0)
      variableUpper[v.index] = Swift.min(variableUpper[v.index], 1)
      try Model.checkBounds(variableLower[v.index], variableUpper[v.index], of: "variable '\(variableNames[v.index])'")
    }
  }

  // MARK: Objective

  /// Sets the objective coefficient of `v` (objective units per variable unit).
  public mutating func setObjectiveCoefficient(of v: Variable, _ c: Double) throws {
    try checkVariable(v)
    guard c.isFinite else {
      throw OptimizationError.invalidNumber(what: "objective coefficient of variable '\(variableNames[v.index])'", value: c)
    }
    objectiveCoefficients[v.index] = c
  }

  /// Replaces the objective by `expression` (its constant becomes ``objectiveOffset``) with `sense`.
  public mutating func setObjective(_ expression: LinearExpression, sense: ObjectiveSense) throws {
    for t in expression.terms { try checkVariable(t.variable) }
    guard expression.constant.isFinite else {
      throw OptimizationError.invalidNumber(what: "objective constant", value: expression.constant)
    }
    for i in objectiveCoefficients.indices { objectiveCoefficients[i] = 0 }
    for t in expression.terms {
      guard t.coefficient.isFinite else {
        throw OptimizationError.invalidNumber(
          what: "objective coefficient of variable '\(variableNames[t.variable.index])'", value: t.coefficient)
      }
      objectiveCoefficients[t.variable.index] += t.coefficient
    }
    objectiveOffset = expression.constant
    objectiveSense = sense
  }

  /// The objective as an expression (including ``objectiveOffset``).
  public var objective: LinearExpression {
    var e = LinearExpression(constant: objectiveOffset)
    for (i, c) in objectiveCoefficients.enumerated() where c != 0 { e.terms.append(.init(Variable(index: i), c)) }
    return e
  }

  // MARK: Constraints

  /// Adds `expression sense rhs`; the expression's constant is moved to the right-hand side.
  ///
  /// - Parameters:
  ///   - name: unique name, e.g. `"balance[Nd,chavara,2027-03]"`.
  ///   - description: what the constraint means to a user ("demand of india-ev in 2027-03"),
  ///     shown when the constraint is part of an infeasible set.
  @discardableResult
  public mutating func addConstraint(
    _ name: String, _ expression: LinearExpression, _ sense: ConstraintSense, _ rhs: Double,
    description: String? = nil
  ) throws -> Constraint {
    let r = rhs - expression.constant
    let (lo, hi): (Double, Double)
    switch sense {
    case .lessEqual: (lo, hi) = (-.infinity, r)
    case .greaterEqual: (lo, hi) = (r, .infinity)
    case .equal: (lo, hi) = (r, r)
    }
    return try appendRow(name, expression.terms.lazy.map { ($0.variable.index, $0.coefficient) }, lower: lo, upper: hi, description: description)
  }

  /// Adds the ranged constraint `lower ≤ expression ≤ upper` (either side may be infinite).
  @discardableResult
  public mutating func addConstraint(
    _ name: String, _ expression: LinearExpression, in range: ClosedRange<Double>, description: String? = nil
  ) throws -> Constraint {
    try appendRow(
      name, expression.terms.lazy.map { ($0.variable.index, $0.coefficient) },
      lower: range.lowerBound - expression.constant, upper: range.upperBound - expression.constant,
      description: description)
  }

  /// Adds `lower ≤ Σ coefficients[k]·variables[k] ≤ upper` from parallel arrays: the fast path for generated models.
  @discardableResult
  public mutating func addConstraint(
    _ name: String, variables: [Variable], coefficients: [Double], lower: Double, upper: Double,
    description: String? = nil
  ) throws -> Constraint {
    guard variables.count == coefficients.count else {
      throw OptimizationError.invalidModel(
        "Constraint '\(name)' must have as many coefficients as variables; got \(coefficients.count) coefficients for \(variables.count) variables.")
    }
    return try appendRow(
      name, zip(variables, coefficients).lazy.map { ($0.0.index, $0.1) }, lower: lower, upper: upper,
      description: description)
  }

  mutating func appendRow<S: Sequence>(
    _ name: String, _ terms: S, lower: Double, upper: Double, description: String?
  ) throws -> Constraint where S.Element == (Int, Double) {
    guard !name.isEmpty else { throw OptimizationError.emptyName(kind: "constraint", index: constraintCount) }
    guard constraintIndexByName[name] == nil else { throw OptimizationError.duplicateName(kind: "constraint", name: name) }
    try Model.checkBounds(lower, upper, of: "constraint '\(name)'")
    let row = constraintCount
    let start = entryValues.count
    let stamp = Int32(truncatingIfNeeded: row + 1)
    for (j, c) in terms {
      guard j >= 0 && j < variableCount else {
        discardEntries(from: start)
        throw OptimizationError.unknownVariable(index: j, constraint: name, variableCount: variableCount)
      }
      guard c.isFinite else {
        discardEntries(from: start)
        throw OptimizationError.invalidNumber(
          what: "coefficient of '\(variableNames[j])' in constraint '\(name)'", value: c)
      }
      if scratchRow[j] == stamp {
        entryValues[Int(scratchPosition[j])] += c
      } else {
        scratchRow[j] = stamp
        scratchPosition[j] = Int32(truncatingIfNeeded: entryValues.count)
        entryColumns.append(Int32(truncatingIfNeeded: j))
        entryValues.append(c)
      }
    }
    // Drop coefficients that are, or cancelled to, exactly zero.
    if entryValues[start...].contains(0) {
      var w = start
      for k in start..<entryValues.count where entryValues[k] != 0 {
        entryValues[w] = entryValues[k]
        entryColumns[w] = entryColumns[k]
        w += 1
      }
      entryValues.removeSubrange(w...)
      entryColumns.removeSubrange(w...)
    }
    constraintIndexByName[name] = row
    constraintNames.append(name)
    constraintLower.append(lower)
    constraintUpper.append(upper)
    constraintDescriptions.append(description)
    rowStarts.append(entryValues.count)
    return Constraint(index: row)
  }

  /// Removes the entries of a row that failed part-way, and clears their merge stamps.
  private mutating func discardEntries(from start: Int) {
    for k in start..<entryColumns.count { scratchRow[Int(entryColumns[k])] = 0 }
    entryColumns.removeSubrange(start...)
    entryValues.removeSubrange(start...)
  }

  /// The constraint called `name`, if any.
  public func constraint(named name: String) -> Constraint? { constraintIndexByName[name].map(Constraint.init(index:)) }
  /// The name of `c`.
  public func name(of c: Constraint) -> String { constraintNames[c.index] }
  /// The user-facing description of `c`, if one was given.
  public func description(of c: Constraint) -> String? { constraintDescriptions[c.index] }
  /// The row bounds `lower ≤ row ≤ upper` of `c` (±infinity when absent), in the row's unit.
  public func bounds(of c: Constraint) -> (lower: Double, upper: Double) { (constraintLower[c.index], constraintUpper[c.index]) }
  /// The nonzero terms of `c`, in the order they were added.
  public func terms(of c: Constraint) -> [LinearExpression.Term] {
    (rowStarts[c.index]..<rowStarts[c.index + 1]).map {
      .init(Variable(index: Int(entryColumns[$0])), entryValues[$0])
    }
  }
  /// The left-hand side of `c` as an expression.
  public func expression(of c: Constraint) -> LinearExpression { LinearExpression(terms: terms(of: c)) }

  /// Changes the row bounds of `c`.
  public mutating func setBounds(of c: Constraint, lower: Double, upper: Double) throws {
    guard c.index >= 0 && c.index < constraintCount else {
      throw OptimizationError.invalidModel("Constraint index must be in 0..<\(constraintCount); got \(c.index).")
    }
    try Model.checkBounds(lower, upper, of: "constraint '\(constraintNames[c.index])'")
    constraintLower[c.index] = lower
    constraintUpper[c.index] = upper
  }

  // MARK: Checks

  func checkVariable(_ v: Variable) throws {
    guard v.index >= 0 && v.index < variableCount else {
      throw OptimizationError.unknownVariable(index: v.index, constraint: nil, variableCount: variableCount)
    }
  }

  static func checkBounds(_ lo: Double, _ hi: Double, of what: String) throws {
    guard !lo.isNaN, !hi.isNaN, lo != .infinity, hi != -.infinity, lo <= hi else {
      throw OptimizationError.invalidBounds(what: what, lower: lo, upper: hi)
    }
  }
}
