// Infeasibility diagnosis: find a small set of constraints and bounds that cannot all hold,
// and report it in the words the model's builder attached to them.
//
// Method (Chinneck, "Feasibility and Infeasibility in Optimization", 2008, ch. 6), on the
// linear relaxation, with repeated CLP solves:
// 1. Elastic filter: give every row an elastic slack, minimise the total slack, make the rows
//    that needed slack hard, repeat until the hard rows alone are infeasible (tested with a
//    small LP over just those rows after each round). The hard rows
//    (with all bounds) contain an irreducible infeasible subsystem (IIS).
// 2. Deletion filter over those rows and the non-default bounds of their variables: drop each
//    member in turn and keep it out if the rest stays infeasible. What remains is an IIS:
//    infeasible, and feasible as soon as any one member is removed.

/// One constraint or bound in a ``Conflict``.
public struct ConflictMember: Sendable, Equatable {
  /// What the member is.
  public enum Kind: Sendable, Equatable {
    /// A row of the model.
    case constraint(Constraint)
    /// The lower bound of a variable.
    case lowerBound(Variable)
    /// The upper bound of a variable.
    case upperBound(Variable)
  }
  /// What the member is.
  public var kind: Kind
  /// The constraint's or variable's name.
  public var name: String
  /// The user-facing description given when the row or variable was added, if any.
  public var userDescription: String?
  /// The member as maths, e.g. `"Plant-hours[3]: 3 x + 2 y ≤ 18"` or `"Link-flow[cn→in] ≤ 0"`.
  public var mathematics: String
  /// The description if there is one, else the maths.
  public var text: String { userDescription ?? mathematics }
}

/// A set of constraints and bounds that cannot all hold at once.
public struct Conflict: Sendable {
  /// The members: rows first (in model order), then bounds (in variable order).
  public var members: [ConflictMember]
  /// True when the deletion filter finished, so removing any single member makes the rest feasible.
  public var isIrreducible: Bool
  /// True when the linear relaxation is feasible: the model is infeasible only through
  /// integrality, and ``members`` is empty.
  public var isIntegralityConflict: Bool
  /// Number of LP solves the diagnosis used.
  public var linearSolves: Int

  /// One sentence naming the conflict in the user's words.
  public var summary: String {
    if isIntegralityConflict {
      return "The linear relaxation is feasible: no integer solution satisfies all constraints, but every constraint can hold with fractional values."
    }
    if members.isEmpty { return "The model is feasible; there is no conflict." }
    let texts = members.map(\.text)
    return "These cannot all hold: " + texts.joined(separator: "; ") + "."
  }
}

extension CBCSolver {
  /// Finds a small set of constraints and bounds of `model` that cannot all hold together
  /// (an irreducible infeasible subsystem of its linear relaxation).
  ///
  /// Costs one LP solve per elastic round plus one per candidate member; the candidates are
  /// only the rows the elastic filter kept, so this stays cheap for big models with a local
  /// conflict. For a feasible model the result has no members.
  public func findConflict(in model: Model) throws -> Conflict {
    let lp = CBCSolver(options: SolverOptions(timeLimit: options.timeLimit, logLevel: 0))
    var solves = 0
    // Set when an LP stopped on a limit or error: it counts as feasible, so the result may keep a member it need not.
    var uncertain = false
    func isInfeasible(_ m: Model) throws -> Bool {
      solves += 1
      let reason = try lp.solve(m).termination.reason
      if reason != .infeasible && reason != .optimal && reason != .unbounded { uncertain = true }
      return reason == .infeasible
    }
    let allRows = Array(0..<model.constraintCount)
    // The relaxation keeps the model's objective: CLP proves infeasibility of a big model far
    // faster with it than with a zero objective (0.1 s against 6 s on the benchmark's model).
    var relaxation = model
    relaxation.variableKinds = Array(repeating: .continuous, count: model.variableCount)
    if try !isInfeasible(relaxation) {
      let mipInfeasible = model.hasIntegerVariables
      return Conflict(members: [], isIrreducible: !mipInfeasible, isIntegralityConflict: mipInfeasible, linearSolves: solves)
    }

    // 1. Elastic filter.
    var hard = Set<Int>()
    var elastic = Set(allRows)
    while true {
      let m = model.diagnosisModel(rows: allRows, relaxedLower: [], relaxedUpper: [], elastic: elastic.sorted())
      solves += 1
      let r = try lp.solve(m)
      if r.termination.reason == .infeasible { break }
      guard r.termination.reason == .optimal, let s = r.solution else {
        throw OptimizationError.solverFailure("The elastic filter's LP must solve; got \(r.termination).")
      }
      let stretched = m.elasticRows.filter { k in
        let (row, slacks) = k
        return slacks.contains { s.values[$0] > 1e-9 } && elastic.contains(row)
      }.map(\.0)
      if stretched.isEmpty { break }
      for row in stretched {
        hard.insert(row)
        elastic.remove(row)
      }
      // Usually the first round already isolates the conflict: test the hard rows on their
      // own (a small LP) before paying for another elastic solve of the whole model.
      if try isInfeasible(model.diagnosisModel(rows: hard.sorted(), relaxedLower: [], relaxedUpper: [], elastic: [])) {
        break
      }
    }

    // 2. Deletion filter over the hard rows and the bounds of their variables. Should the
    // elastic filter stop on a feasible set (numerical trouble), start from every row instead.
    var rows = hard.sorted()
    if try !isInfeasible(model.diagnosisModel(rows: rows, relaxedLower: [], relaxedUpper: [], elastic: [])) {
      rows = allRows
    }
    var used = Set<Int>()
    for i in rows { for k in model.rowStarts[i]..<model.rowStarts[i + 1] { used.insert(Int(model.entryColumns[k])) } }
    var lowers = used.sorted().filter { model.variableLower[$0].isFinite && model.variableLower[$0] != 0 }
    var uppers = used.sorted().filter { model.variableUpper[$0].isFinite }
    let unrelaxedLower = Set(lowers)
    let unrelaxedUpper = Set(uppers)
    func infeasibleWith(_ rows: [Int], _ lowers: [Int], _ uppers: [Int]) throws -> Bool {
      try isInfeasible(
        model.diagnosisModel(
          rows: rows, relaxedLower: unrelaxedLower.subtracting(lowers), relaxedUpper: unrelaxedUpper.subtracting(uppers),
          elastic: []))
    }
    var k = 0
    while k < rows.count {
      var trial = rows
      trial.remove(at: k)
      if try infeasibleWith(trial, lowers, uppers) { rows = trial } else { k += 1 }
    }
    k = 0
    while k < lowers.count {
      var trial = lowers
      trial.remove(at: k)
      if try infeasibleWith(rows, trial, uppers) { lowers = trial } else { k += 1 }
    }
    k = 0
    while k < uppers.count {
      var trial = uppers
      trial.remove(at: k)
      if try infeasibleWith(rows, lowers, trial) { uppers = trial } else { k += 1 }
    }

    var members: [ConflictMember] = rows.map { i in
      ConflictMember(
        kind: .constraint(Constraint(index: i)), name: model.constraintNames[i],
        userDescription: model.constraintDescriptions[i],
        mathematics: "\(model.constraintNames[i]): " + model.rowText(i))
    }
    for j in lowers {
      members.append(
        ConflictMember(
          kind: .lowerBound(Variable(index: j)), name: model.variableNames[j],
          userDescription: model.variableDescriptions[j],
          mathematics: "\(model.variableNames[j]) ≥ \(formatNumber(model.variableLower[j]))"))
    }
    for j in uppers {
      members.append(
        ConflictMember(
          kind: .upperBound(Variable(index: j)), name: model.variableNames[j],
          userDescription: model.variableDescriptions[j],
          mathematics: "\(model.variableNames[j]) ≤ \(formatNumber(model.variableUpper[j]))"))
    }
    // Bounds sorted by variable so the report reads in model order.
    let boundMembers = members.dropFirst(rows.count).sorted { a, b in
      a.boundVariableIndex < b.boundVariableIndex
    }
    members = Array(members.prefix(rows.count)) + boundMembers
    return Conflict(members: members, isIrreducible: !uncertain, isIntegralityConflict: false, linearSolves: solves)
  }
}

extension ConflictMember {
  var boundVariableIndex: Int {
    switch kind {
    case .constraint(let c): return -1 - c.index
    case .lowerBound(let v), .upperBound(let v): return v.index
    }
  }
}

extension Model {
  /// Row `i` as maths without its name, showing at most `maxTerms` terms.
  func rowText(_ i: Int, maxTerms: Int = 8) -> String {
    let terms = (rowStarts[i]..<rowStarts[i + 1]).map { (Int(entryColumns[$0]), entryValues[$0]) }
    let e = expressionText(terms, maxTerms: maxTerms)
    let lo = constraintLower[i]
    let hi = constraintUpper[i]
    if lo == hi { return "\(e) = \(formatNumber(lo))" }
    if lo == -.infinity && hi == .infinity { return "\(e) free" }
    if lo == -.infinity { return "\(e) ≤ \(formatNumber(hi))" }
    if hi == .infinity { return "\(e) ≥ \(formatNumber(lo))" }
    return "\(formatNumber(lo)) ≤ \(e) ≤ \(formatNumber(hi))"
  }

  /// The continuous relaxation restricted to `rows`, with the listed bounds relaxed (an upper
  /// bound to +∞, a positive lower bound to 0 and a negative one to −∞) and an elastic slack
  /// on each finite side of each row in `elastic`; the objective is the sum of the slacks.
  /// Built directly into the arrays (no name checks), since only the indices matter.
  /// Without elastic rows, only the variables the rows use are kept (renumbered), so the
  /// deletion filter's many solves stay small however big the model is.
  func diagnosisModel(rows: [Int], relaxedLower: Set<Int>, relaxedUpper: Set<Int>, elastic: [Int]) -> Model {
    var m = Model(name: name + "-diagnosis")
    // Column map: original index → index in the diagnosis model.
    var columns: [Int32]
    var kept: [Int]
    if elastic.isEmpty {
      columns = [Int32](repeating: -1, count: variableCount)
      kept = []
      for i in rows {
        for k in rowStarts[i]..<rowStarts[i + 1] where columns[Int(entryColumns[k])] < 0 {
          columns[Int(entryColumns[k])] = Int32(kept.count)
          kept.append(Int(entryColumns[k]))
        }
      }
    } else {
      columns = (0..<variableCount).map { Int32($0) }
      kept = Array(0..<variableCount)
    }
    let n = kept.count
    m.variableNames = kept.map { variableNames[$0] }
    m.variableLower = kept.map { variableLower[$0] }
    m.variableUpper = kept.map { variableUpper[$0] }
    for j in relaxedLower where columns[j] >= 0 {
      m.variableLower[Int(columns[j])] = variableLower[j] > 0 ? 0 : -.infinity
    }
    for j in relaxedUpper where columns[j] >= 0 { m.variableUpper[Int(columns[j])] = .infinity }
    m.variableKinds = Array(repeating: .continuous, count: n)
    m.variableDescriptions = Array(repeating: nil, count: n)
    m.objectiveCoefficients = Array(repeating: 0, count: n)
    let elasticSet = Set(elastic)
    // Slack columns: for each elastic row, one per finite side.
    var slackOf: [Int: (plus: Int?, minus: Int?)] = [:]
    for i in elastic {
      var plus: Int? = nil
      var minus: Int? = nil
      if constraintLower[i].isFinite {
        plus = m.variableNames.count
        m.appendDiagnosisSlack()
      }
      if constraintUpper[i].isFinite {
        minus = m.variableNames.count
        m.appendDiagnosisSlack()
      }
      slackOf[i] = (plus, minus)
    }
    for i in rows {
      m.constraintNames.append(constraintNames[i])
      m.constraintLower.append(constraintLower[i])
      m.constraintUpper.append(constraintUpper[i])
      m.constraintDescriptions.append(nil)
      for k in rowStarts[i]..<rowStarts[i + 1] {
        m.entryColumns.append(columns[Int(entryColumns[k])])
        m.entryValues.append(entryValues[k])
      }
      if elasticSet.contains(i), let s = slackOf[i] {
        if let p = s.plus {
          m.entryColumns.append(Int32(p))
          m.entryValues.append(1)
        }
        if let q = s.minus {
          m.entryColumns.append(Int32(q))
          m.entryValues.append(-1)
        }
        m.elasticRows.append((i, [s.plus, s.minus].compactMap { $0 }))
      }
      m.rowStarts.append(m.entryValues.count)
    }
    return m
  }

  mutating func appendDiagnosisSlack() {
    variableNames.append("#elastic[\(variableNames.count)]")
    variableLower.append(0)
    variableUpper.append(.infinity)
    variableKinds.append(.continuous)
    variableDescriptions.append(nil)
    objectiveCoefficients.append(1)
  }
}
