/// An error building, writing or solving a model. Messages follow "<thing> must be <rule>; got <value>."
public enum OptimizationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A variable or constraint name was used twice.
  case duplicateName(kind: String, name: String)
  /// A variable or constraint was given an empty name.
  case emptyName(kind: String, index: Int)
  /// Bounds are NaN, inverted (lower > upper), or a lower bound is +∞ / an upper bound −∞.
  case invalidBounds(what: String, lower: Double, upper: Double)
  /// A coefficient, objective coefficient or constant is NaN or infinite.
  case invalidNumber(what: String, value: Double)
  /// A term refers to a variable index the model does not have.
  case unknownVariable(index: Int, constraint: String?, variableCount: Int)
  /// The model is inconsistent in some other way (message says how).
  case invalidModel(String)
  /// The solver library failed (message says how).
  case solverFailure(String)

  public var description: String {
    switch self {
    case .duplicateName(let kind, let name):
      return "The \(kind) name must be unique in the model; got '\(name)' a second time."
    case .emptyName(let kind, let index):
      return "The name of \(kind) #\(index) must not be empty; got ''."
    case .invalidBounds(let what, let lo, let hi):
      return "The bounds of \(what) must satisfy lower ≤ upper, lower < +∞, upper > −∞ and not NaN; got [\(formatNumber(lo)), \(formatNumber(hi))]."
    case .invalidNumber(let what, let v):
      return "The \(what) must be a finite number; got \(formatNumber(v))."
    case .unknownVariable(let index, let constraint, let count):
      let place = constraint.map { " in constraint '\($0)'" } ?? ""
      return "A variable index\(place) must be in 0..<\(count); got \(index)."
    case .invalidModel(let message), .solverFailure(let message):
      return message
    }
  }
}

/// Shortest round-trip text for `x`: integers without ".0", infinities as "inf"/"-inf".
func formatNumber(_ x: Double) -> String {
  if x == .infinity { return "inf" }
  if x == -.infinity { return "-inf" }
  if x.isNaN { return "nan" }
  if x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int64(x)) }
  return "\(x)"
}
