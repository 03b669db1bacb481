// The model printed as mathematics, truncated for big models.

extension Model: CustomStringConvertible {
  /// The model as maths (at most 20 constraints, 8 terms per row and 20 bound lines).
  public var description: String { description(maxConstraints: 20, maxTerms: 8, maxBounds: 20) }

  /// The model as maths, showing at most `maxConstraints` rows, `maxTerms` terms per
  /// expression and `maxBounds` non-default bound lines; the rest is counted, not printed.
  ///
  /// ```
  /// Model 'wyndor': 3 variables (3 continuous), 3 constraints, 5 nonzeros
  /// maximize 3 Product-x[doors] + 5 Product-x[windows] + 2 Product-x[frames]
  /// subject to
  ///   Plant-hours[1]: Product-x[doors] ≤ 4   # hours of plant 1
  /// ```
  public func description(maxConstraints: Int, maxTerms: Int, maxBounds: Int) -> String {
    let integers = variableKinds.filter { $0 == .integer }.count
    let binaries = variableKinds.filter { $0 == .binary }.count
    var kinds = ["\(variableCount - integers - binaries) continuous"]
    if integers > 0 { kinds.append("\(integers) integer") }
    if binaries > 0 { kinds.append("\(binaries) binary") }
    var lines = [
      "Model '\(name)': \(variableCount) variables (\(kinds.joined(separator: ", "))), \(constraintCount) constraints, \(nonzeroCount) nonzeros"
    ]
    let objTerms = objectiveCoefficients.enumerated().filter { $0.element != 0 }.map { ($0.offset, $0.element) }
    var obj = expressionText(objTerms, maxTerms: maxTerms)
    if objectiveOffset != 0 {
      obj = (objTerms.isEmpty ? "" : obj + (objectiveOffset < 0 ? " - " : " + "))
        + formatNumber(objTerms.isEmpty ? objectiveOffset : Swift.abs(objectiveOffset))
    }
    lines.append("\(objectiveSense.rawValue) \(obj)")
    if constraintCount > 0 { lines.append("subject to") }
    for i in 0..<Swift.min(constraintCount, maxConstraints) {
      var row = rowText(i, maxTerms: maxTerms)
      row = "  \(constraintNames[i]): \(row)"
      if let d = constraintDescriptions[i] { row += "   # \(d)" }
      lines.append(row)
    }
    if constraintCount > maxConstraints { lines.append("  … \(constraintCount - maxConstraints) more constraints") }
    var boundLines: [String] = []
    var defaultCount = 0
    for j in 0..<variableCount {
      let lo = variableLower[j]
      let hi = variableUpper[j]
      let n = variableNames[j]
      let text: String
      switch variableKinds[j] {
      case .binary where lo == 0 && hi == 1: text = "\(n) binary"
      case .continuous where lo == 0 && hi == .infinity:
        defaultCount += 1
        continue
      default:
        let suffix = variableKinds[j] == .continuous ? "" : ", \(variableKinds[j].rawValue)"
        if lo == hi {
          text = "\(n) = \(formatNumber(lo))\(suffix)"
        } else if lo == -.infinity && hi == .infinity {
          text = "\(n) free\(suffix)"
        } else if lo == -.infinity {
          text = "\(n) ≤ \(formatNumber(hi))\(suffix)"
        } else if hi == .infinity {
          text = "\(n) ≥ \(formatNumber(lo))\(suffix)"
        } else {
          text = "\(formatNumber(lo)) ≤ \(n) ≤ \(formatNumber(hi))\(suffix)"
        }
      }
      boundLines.append("  " + text)
    }
    lines.append("bounds")
    lines.append(contentsOf: boundLines.prefix(maxBounds))
    if boundLines.count > maxBounds { lines.append("  … \(boundLines.count - maxBounds) more bounds") }
    if defaultCount > 0 {
      lines.append(
        defaultCount == variableCount ? "  all variables ≥ 0" : "  the other \(defaultCount) variables ≥ 0")
    }
    return lines.joined(separator: "\n")
  }

  func expressionText(_ terms: [(Int, Double)], maxTerms: Int) -> String {
    if terms.isEmpty { return "0" }
    var s = ""
    for (k, (j, c)) in terms.prefix(maxTerms).enumerated() {
      let mag = Swift.abs(c)
      let coef = mag == 1 ? "" : formatNumber(mag) + " "
      if k == 0 {
        s += (c < 0 ? "-" : "") + coef + variableNames[j]
      } else {
        s += (c < 0 ? " - " : " + ") + coef + variableNames[j]
      }
    }
    if terms.count > maxTerms { s += " + … (\(terms.count - maxTerms) more terms)" }
    return s
  }
}
