// Linear expressions Σ cᵢ·xᵢ + constant, with a few operators for readable model code.

/// A linear expression `Σ coefficient·variable + constant` over the variables of one ``Model``.
///
/// Repeated variables are allowed; the model sums them when the expression becomes a row.
public struct LinearExpression: Sendable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
  /// One `coefficient·variable` term.
  public struct Term: Sendable, Equatable {
    /// The variable.
    public var variable: Variable
    /// Its coefficient, in row units per variable unit.
    public var coefficient: Double
    /// A term `coefficient·variable`.
    public init(_ variable: Variable, _ coefficient: Double) {
      self.variable = variable
      self.coefficient = coefficient
    }
  }

  /// The terms, in the order they were added.
  public var terms: [Term]
  /// The constant part, in row units.
  public var constant: Double

  /// An expression from terms and a constant.
  public init(terms: [Term] = [], constant: Double = 0) {
    self.terms = terms
    self.constant = constant
  }
  /// The expression `1·v`.
  public init(_ v: Variable) { self.init(terms: [Term(v, 1)]) }
  /// The constant expression `value`.
  public init(floatLiteral value: Double) { self.init(constant: value) }
  /// The constant expression `value`.
  public init(integerLiteral value: Int) { self.init(constant: Double(value)) }

  /// `Σ coefficients[k]·variables[k]` (the arrays must have equal length; extra elements are ignored).
  public static func sum(_ variables: [Variable], _ coefficients: [Double]) -> LinearExpression {
    LinearExpression(terms: zip(variables, coefficients).map { Term($0.0, $0.1) })
  }
  /// `Σ variables[k]`.
  public static func sum(_ variables: [Variable]) -> LinearExpression {
    LinearExpression(terms: variables.map { Term($0, 1) })
  }

  /// The value of the expression at `values` (indexed by variable index).
  public func evaluate(_ values: [Double]) -> Double {
    terms.reduce(constant) { $0 + $1.coefficient * values[$1.variable.index] }
  }

  /// Appends `coefficient·v`.
  public mutating func add(_ v: Variable, _ coefficient: Double = 1) { terms.append(Term(v, coefficient)) }

  /// The sum of two expressions (terms concatenated, constants added).
  public static func + (a: LinearExpression, b: LinearExpression) -> LinearExpression {
    LinearExpression(terms: a.terms + b.terms, constant: a.constant + b.constant)
  }
  /// The difference of two expressions.
  public static func - (a: LinearExpression, b: LinearExpression) -> LinearExpression {
    a + (-1) * b
  }
  /// The negated expression.
  public static prefix func - (a: LinearExpression) -> LinearExpression { (-1) * a }
  /// The expression scaled by `c`.
  public static func * (c: Double, a: LinearExpression) -> LinearExpression {
    LinearExpression(terms: a.terms.map { Term($0.variable, c * $0.coefficient) }, constant: c * a.constant)
  }
  /// The expression plus `1·v`.
  public static func + (a: LinearExpression, v: Variable) -> LinearExpression { a + LinearExpression(v) }
  /// The expression minus `1·v`.
  public static func - (a: LinearExpression, v: Variable) -> LinearExpression { a + (-1) * v }
  /// Appends the terms and constant of `b`.
  public static func += (a: inout LinearExpression, b: LinearExpression) {
    a.terms += b.terms
    a.constant += b.constant
  }
}

extension Variable {
  /// The term `c·v` as an expression.
  public static func * (c: Double, v: Variable) -> LinearExpression { LinearExpression(terms: [.init(v, c)]) }
  /// `1·a + 1·b`.
  public static func + (a: Variable, b: Variable) -> LinearExpression { LinearExpression(a) + LinearExpression(b) }
  /// `1·a − 1·b`.
  public static func - (a: Variable, b: Variable) -> LinearExpression { LinearExpression(a) - LinearExpression(b) }
  /// `1·a + b`.
  public static func + (a: Variable, b: LinearExpression) -> LinearExpression { LinearExpression(a) + b }
  /// `1·a − b`.
  public static func - (a: Variable, b: LinearExpression) -> LinearExpression { LinearExpression(a) - b }
}
