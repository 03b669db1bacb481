import Foundation
import Quantities
import SupplyChain
import Yams

/// Reads the uncertainty file (or the `uncertainty:` section of a scenario):
///
/// ```yaml
/// schema-version: 1
/// uncertainty:
///   - name: cn-freeze-length
///     target: policies/cn-freeze/duration
///     distribution: {kind: triangular, min: 12 months, mode: 18 months, max: 24 months}
///     driver: cn            # optional: inputs with one driver share one draw
///   - name: sx-outages
///     target: processes/sx/outage
///     distribution: {kind: exponential, mean: 36 months}     # time between failures
///     repair: {kind: lognormal, median: 2 months, sigma: 0.5} # time to repair
/// correlation:              # optional Gaussian copula
///   inputs: [a, b]
///   matrix: [[1, 0.6], [0.6, 1]]
/// ```
///
/// Takes text, opens no files. Errors carry file, line and column and list the valid choices.
public struct UncertaintyDecoder: Sendable {
  public init() {}

  /// Reads the `uncertainty:` (and `correlation:`) section of a whole scenario file, ignoring the
  /// scenario's own keys; `nil` when the file has no `uncertainty:` section. Line numbers are the file's.
  public func decodeSection(scenarioText text: String, file: String) throws(RiskInputError) -> UncertaintySpec? {
    try decode(text: text, file: file, section: true)
  }

  public func decode(text: String, file: String) throws(RiskInputError) -> UncertaintySpec {
    // `section: false` always returns a spec or throws.
    guard let spec = try decode(text: text, file: file, section: false) else { throw RiskInputError("\(file) has no 'uncertainty:' list.") }
    return spec
  }

  func decode(text: String, file: String, section: Bool) throws(RiskInputError) -> UncertaintySpec? {
    let root: Node
    do {
      guard let n = try Yams.compose(yaml: text) else { throw RiskInputError("\(file) is empty; expected a mapping with an 'uncertainty:' list.") }
      root = n
    } catch let e as RiskInputError {
      throw e
    } catch {
      throw RiskInputError("\(file) is not valid YAML: \(error)")
    }
    let p = Parser(file: file)
    guard let top = root.mapping else { throw p.error("the top level must be a mapping with an 'uncertainty:' list; got \(p.kind(root)).", root) }
    if section {
      guard top["uncertainty"] != nil else { return nil }
    } else {
      try p.keys(top, allowed: ["schema-version", "description", "uncertainty", "correlation"], what: "top-level key")
    }
    if !section, let v = top["schema-version"] {
      guard v.int == 1 else { throw p.error("schema-version must be 1; got '\(v.string ?? p.kind(v))'.", v) }
    }
    guard let list = top["uncertainty"] else { throw p.error("missing key 'uncertainty' (a list of uncertain inputs).", root) }
    guard let seq = list.sequence else { throw p.error("'uncertainty' must be a list; got \(p.kind(list)).", list) }
    var inputs: [UncertainInput] = []
    for item in seq {
      let input = try p.input(item)
      if inputs.contains(where: { $0.name == input.name }) {
        throw p.error("uncertain input name must be unique; got '\(input.name)' twice.", item)
      }
      inputs.append(input)
    }
    var spec = UncertaintySpec(inputs: inputs)
    if let c = top["correlation"] {
      guard let m = c.mapping else { throw p.error("'correlation' must be a mapping with 'inputs' and 'matrix'; got \(p.kind(c)).", c) }
      try p.keys(m, allowed: ["inputs", "matrix"], what: "correlation key")
      guard let namesNode = m["inputs"], let names = namesNode.sequence?.map({ $0.string ?? "" }) else { throw p.error("correlation needs 'inputs', a list of input names.", c) }
      for (k, n) in names.enumerated() where !inputs.contains(where: { $0.name == n }) {
        throw p.error("correlation input must be one of " + inputs.map { "'\($0.name)'" }.joined(separator: ", ") + "; got '\(n)'.", namesNode.sequence?[k] ?? namesNode)
      }
      guard let matNode = m["matrix"], let rows = matNode.sequence, rows.count == names.count else {
        throw p.error("correlation 'matrix' must be a list of \(names.count) rows.", m["matrix"] ?? c)
      }
      var matrix: [[Double]] = []
      for r in rows {
        guard let cells = r.sequence, cells.count == names.count else { throw p.error("each correlation row must have \(names.count) numbers.", r) }
        var row: [Double] = []
        for cell in cells {
          guard let x = cell.float, x >= -1, x <= 1 else { throw p.error("a correlation must be a number in -1...1; got '\(cell.string ?? p.kind(cell))'.", cell) }
          row.append(x)
        }
        matrix.append(row)
      }
      for i in 0..<names.count {
        guard matrix[i][i] == 1 else { throw p.error("the correlation matrix diagonal must be 1; got \(matrix[i][i]) at row \(i + 1).", matNode) }
        for j in 0..<names.count where matrix[i][j] != matrix[j][i] {
          throw p.error("the correlation matrix must be symmetric; got \(matrix[i][j]) at (\(i + 1), \(j + 1)) and \(matrix[j][i]) at (\(j + 1), \(i + 1)).", matNode)
        }
      }
      guard cholesky(matrix) != nil else { throw p.error("the correlation matrix must be positive definite; it is not.", matNode) }
      spec.copula = (names, matrix)
    }
    return spec
  }

  struct Parser {
    let file: String

    func location(_ n: Node) -> SourceLocation? {
      n.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    func error(_ message: String, _ n: Node) -> RiskInputError {
      var m = message
      if let f = m.first { m = f.uppercased() + m.dropFirst() }
      return RiskInputError(m, at: location(n))
    }

    func kind(_ n: Node) -> String {
      switch n {
      case .scalar(let s): "'\(s.string)'"
      case .mapping: "a mapping"
      case .sequence: "a list"
      default: "an alias"
      }
    }

    func keys(_ m: Node.Mapping, allowed: [String], what: String) throws(RiskInputError) {
      for (k, _) in m {
        let key = k.string ?? ""
        if !allowed.contains(key) {
          throw error("\(what) must be one of " + allowed.map { "'\($0)'" }.joined(separator: ", ") + "; got '\(key)'.", k)
        }
      }
    }

    func input(_ n: Node) throws(RiskInputError) -> UncertainInput {
      guard let m = n.mapping else { throw error("each uncertain input must be a mapping with 'name', 'target' and 'distribution'; got \(kind(n)).", n) }
      try keys(m, allowed: ["name", "target", "distribution", "repair", "driver", "description", "source"], what: "uncertain input key")
      guard let nameNode = m["name"], let name = nameNode.string, !name.isEmpty else { throw error("uncertain input is missing 'name'.", n) }
      guard name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }) else {
        throw error("an input name must be letters, digits, '-', '_' or '.'; got '\(name)'.", nameNode)
      }
      guard let targetNode = m["target"], let path = targetNode.string else { throw error("uncertain input '\(name)' is missing 'target' (e.g. 'policies/cn-ban/duration').", n) }
      let isOutage = path.hasSuffix("/outage")
      var repair: Distribution?
      if let r = m["repair"] {
        guard isOutage else { throw error("'repair' only applies to a 'processes/<id>/outage' target; got target '\(path)'.", r) }
        repair = try distribution(r, time: true)
      } else if isOutage {
        throw error("outage input '\(name)' needs 'repair' (the time-to-repair distribution, months).", n)
      }
      let target: UncertainTarget
      switch UncertainTarget.parse(path: path, repair: repair) {
      case .success(let t): target = t
      case .failure(let r): throw error(r.message, targetNode)
      }
      guard let dNode = m["distribution"] else { throw error("uncertain input '\(name)' is missing 'distribution'.", n) }
      let d = try distribution(dNode, time: target.isDuration)
      try checkRange(d, for: target, at: dNode)
      return UncertainInput(name: name, target: target, distribution: d, driver: m["driver"]?.string, location: location(n))
    }

    /// Reads a number, or for durations a quantity string such as "18 months" (converted to months).
    func number(_ n: Node, key: String, time: Bool) throws(RiskInputError) -> Double {
      if let x = n.float, n.string.map({ Double($0) != nil }) ?? false { return x }
      let text = n.string ?? ""
      if time, let q = try? Quantity.parse(text, as: .time) { return q.si / secondsPerMonth }
      if !time, let q = try? Quantity.parse(text, as: .dimensionless) { return q.si }
      throw error("'\(key)' must be \(time ? "a duration in months (e.g. 18 or '18 months')" : "a number"); got '\(text)'.", n)
    }

    func distribution(_ n: Node, time: Bool) throws(RiskInputError) -> Distribution {
      if n.mapping == nil, n.string != nil { return .fixed(try number(n, key: "distribution", time: time)) }
      guard let m = n.mapping else { throw error("a distribution must be a mapping such as {kind: triangular, min: 12, mode: 18, max: 24}; got \(kind(n)).", n) }
      guard let kNode = m["kind"], let k = kNode.string else {
        throw error("a distribution needs 'kind', one of " + Distribution.kindNames.map { "'\($0)'" }.joined(separator: ", ") + ".", n)
      }
      let params: [String: [String]] = [
        "fixed": ["value"], "uniform": ["min", "max"], "triangular": ["min", "mode", "max"], "pert": ["min", "mode", "max"],
        "normal": ["mean", "sd"], "lognormal": ["median", "sigma"], "exponential": ["mean"], "bernoulli": ["p"], "empirical": ["values"],
      ]
      guard let names = params[k] else {
        throw error("distribution kind must be one of " + Distribution.kindNames.map { "'\($0)'" }.joined(separator: ", ") + "; got '\(k)'.", kNode)
      }
      try keys(m, allowed: ["kind"] + names, what: "'\(k)' distribution key")
      var v: [Double] = []
      if k == "empirical" {
        guard let s = m["values"]?.sequence, !s.isEmpty else { throw error("an empirical distribution needs 'values', a non-empty list.", n) }
        for x in s { v.append(try number(x, key: "values", time: time)) }
        return .empirical(v)
      }
      for p in names {
        guard let x = m[p] else { throw error("a '\(k)' distribution needs " + names.map { "'\($0)'" }.joined(separator: ", ") + "; '\(p)' is missing.", n) }
        // Shape parameters are plain numbers even for durations.
        v.append(try number(x, key: p, time: time && !["sigma", "p"].contains(p)))
      }
      switch k {
      case "fixed": return .fixed(v[0])
      case "uniform":
        guard v[0] <= v[1] else { throw error("uniform min must be ≤ max; got min \(v[0]), max \(v[1]).", n) }
        return .uniform(min: v[0], max: v[1])
      case "triangular", "pert":
        guard v[0] <= v[1], v[1] <= v[2], v[0] < v[2] else { throw error("\(k) must have min ≤ mode ≤ max and min < max; got \(v[0]), \(v[1]), \(v[2]).", n) }
        return k == "pert" ? .pert(min: v[0], mode: v[1], max: v[2]) : .triangular(min: v[0], mode: v[1], max: v[2])
      case "normal":
        guard v[1] >= 0 else { throw error("normal sd must be ≥ 0; got \(v[1]).", n) }
        return .normal(mean: v[0], sd: v[1])
      case "lognormal":
        guard v[0] > 0, v[1] >= 0 else { throw error("lognormal median must be > 0 and sigma ≥ 0; got median \(v[0]), sigma \(v[1]).", n) }
        return .lognormal(median: v[0], sigma: v[1])
      case "exponential":
        guard v[0] > 0 else { throw error("exponential mean must be > 0; got \(v[0]).", n) }
        return .exponential(mean: v[0])
      default:
        guard v[0] >= 0, v[0] <= 1 else { throw error("bernoulli p must be in 0...1; got \(v[0]).", n) }
        return .bernoulli(p: v[0])
      }
    }

    func checkRange(_ d: Distribution, for t: UncertainTarget, at n: Node) throws(RiskInputError) {
      if case .policyApproval = t {
        let lo = d.quantile(1e-12), hi = d.quantile(1 - 1e-12)
        guard lo >= 0, hi <= 1 else { throw error("a licence approval fraction must stay in 0...1; this \(d.kindName) distribution reaches \(lo < 0 ? lo : hi).", n) }
      }
    }
  }
}

extension UncertainTarget {
  /// True when the target's values are durations in months.
  var isDuration: Bool {
    switch self {
    case .policyDelay, .policyStartShift, .policyDuration, .processOutage, .processCommissioningDelay, .linkDelay: true
    default: false
    }
  }
}

/// Lower Cholesky factor of a symmetric matrix, or nil when it is not positive definite.
func cholesky(_ a: [[Double]]) -> [[Double]]? {
  let n = a.count
  var l = Array(repeating: Array(repeating: 0.0, count: n), count: n)
  for i in 0..<n {
    for j in 0...i {
      var s = a[i][j]
      for k in 0..<j { s -= l[i][k] * l[j][k] }
      if i == j {
        guard s > 1e-12 else { return nil }
        l[i][i] = s.squareRoot()
      } else {
        l[i][j] = s / l[j][j]
      }
    }
  }
  return l
}
