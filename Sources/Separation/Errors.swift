/// Errors raised by the `Separation` module. Every message follows Lodestone's grammar
/// ("<thing> must be <rule>; got <value>.") and names the valid choices where there are any.
public enum SeparationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// An input value is out of range or inconsistent.
  case invalidInput(String)
  /// A line of a separation-factor file is malformed; `source` is the file name, `line` and
  /// `column` are 1-based.
  case factorFile(source: String, line: Int, column: Int, message: String)
  /// The flows are at or below the minimum (pinch): no number of stages meets the target.
  case pinch(String)
  /// The stage-wise solver did not converge within its iteration limit.
  case notConverged(String)

  public var description: String {
    switch self {
    case .invalidInput(let m): return m
    case .factorFile(let s, let l, let c, let m): return "\(s) line \(l), column \(c): \(m)"
    case .pinch(let m): return "pinch: " + m
    case .notConverged(let m): return "not converged: " + m
    }
  }
}
