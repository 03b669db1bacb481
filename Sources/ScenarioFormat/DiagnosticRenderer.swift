import SupplyChain

/// Prints diagnostics the way Cantera and compilers do:
///
/// ```
/// demo.yaml:14:15: error[bad-quantity]: Process 'sx' capacity: Expected a mass rate (e.g. 450 t/yr); got '450'.
///    14 |     capacity: 450
///       |               ^
///   valid choices: 'a', 'b'
/// ```
///
/// Order is deterministic: by file, line and column, then code and message.
public struct DiagnosticRenderer: Sendable {
  /// Source text by file name, for the excerpts.
  public var sources: [String: String]

  public init(sources: [String: String] = [:]) { self.sources = sources }

  /// Renders every diagnostic, sorted, each followed by its excerpt and alternatives.
  public func render(_ diagnostics: Diagnostics) -> String {
    var lineCache: [String: [Substring]] = [:]
    var out = ""
    for d in diagnostics.sorted {
      var lines: [Substring] = []
      if let loc = d.location {
        if let l = lineCache[loc.file] {
          lines = l
        } else {
          lines = (sources[loc.file] ?? "").split(separator: "\n", omittingEmptySubsequences: false)
          lineCache[loc.file] = lines
        }
      }
      out += render(d, lines: lines)
    }
    return out
  }

  /// One diagnostic with its excerpt.
  public func render(_ d: Diagnostic) -> String {
    let lines = d.location.flatMap { sources[$0.file] }?.split(separator: "\n", omittingEmptySubsequences: false) ?? []
    return render(d, lines: lines)
  }

  func render(_ d: Diagnostic, lines: [Substring]) -> String {
    let messageLines = d.message.split(separator: "\n", omittingEmptySubsequences: false)
    var out = d.location.map { "\($0): " } ?? (d.path.isEmpty ? "" : d.path.joined(separator: "/") + ": ")
    out += "\(d.severity.rawValue)[\(d.code)]: \(messageLines.first ?? "")\n"
    if let loc = d.location, loc.line >= 1, loc.line <= lines.count {
      var text = String(lines[loc.line - 1])
      if text.hasSuffix("\r") { text.removeLast() }
      let number = String(loc.line)
      let gutter = String(repeating: " ", count: max(0, 5 - number.count))
      out += gutter + number + " | " + text + "\n"
      // The caret sits under the column, counted in Unicode scalars (as libyaml counts); tabs kept.
      var pad = ""
      for (i, u) in text.unicodeScalars.enumerated() where i < loc.column - 1 { pad.unicodeScalars.append(u == "\t" ? "\t" : " ") }
      if text.unicodeScalars.count < loc.column - 1 {
        pad += String(repeating: " ", count: loc.column - 1 - text.unicodeScalars.count)
      }
      out += String(repeating: " ", count: 5) + " | " + pad + "^\n"
    }
    for l in messageLines.dropFirst() { out += "  " + l + "\n" }
    if !d.alternatives.isEmpty {
      out += "  valid choices: " + d.alternatives.map { "'\($0)'" }.joined(separator: ", ") + "\n"
    }
    return out
  }

  /// "2 errors, 1 warning" style summary.
  public static func summary(_ diagnostics: Diagnostics) -> String {
    let e = diagnostics.errors.count, w = diagnostics.warnings.count
    return "\(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s")"
  }
}
