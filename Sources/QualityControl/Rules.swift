/// Run rules for Shewhart charts: Western Electric (WE1–WE4) and Nelson (N1–N8), each
/// switchable with a configurable K, flagging points the way R's qcc 3.0 does.

/// The pattern a rule looks for.
public enum RulePattern: String, Sendable, CaseIterable, Codable {
  /// One point beyond K σ (the control limits when K = 3).
  case beyondLimits
  /// K of K+1 consecutive points beyond 2σ on the same side (the flagged point is itself beyond).
  case zoneA
  /// K of K+1 consecutive points beyond 1σ on the same side (the flagged point is itself beyond).
  case zoneB
  /// K points in a row strictly on one side of the centre line.
  case sameSide
  /// K points in a row strictly increasing or strictly decreasing (ties break the run).
  case trend
  /// K points in a row alternating up and down.
  case alternating
  /// K points in a row within 1σ of the centre line (inclusive).
  case hugging
  /// K points in a row beyond 1σ, with points on both sides.
  case mixture
}

/// One rule: a pattern, its K and its label (e.g. "WE2", "N5").
public struct Rule: Sendable, Equatable, Codable {
  /// Short label used in flags, e.g. "WE2" or "N5".
  public var label: String
  /// The pattern the rule detects.
  public var pattern: RulePattern
  /// The run length (or, for `beyondLimits`, the number of σ; for zone rules, the number of
  /// points out of K+1 that must lie beyond the zone).
  public var k: Double
  /// A rule with its label, pattern and K.
  public init(label: String, pattern: RulePattern, k: Double) {
    self.label = label
    self.pattern = pattern
    self.k = k
  }

  /// A plain-words description, e.g. "8 points in a row on one side of the centre line".
  public var summary: String {
    let n = k == k.rounded() ? String(Int(k)) : String(k)
    switch pattern {
    case .beyondLimits: return "1 point beyond \(n)σ"
    case .zoneA: return "\(n) of \(Int(k) + 1) points beyond 2σ on one side"
    case .zoneB: return "\(n) of \(Int(k) + 1) points beyond 1σ on one side"
    case .sameSide: return "\(n) points in a row on one side of the centre line"
    case .trend: return "\(n) points in a row steadily increasing or decreasing"
    case .alternating: return "\(n) points in a row alternating up and down"
    case .hugging: return "\(n) points in a row within 1σ of the centre line"
    case .mixture: return "\(n) points in a row beyond 1σ on both sides"
    }
  }
}

/// An ordered set of rules; the first rule a point violates is its primary flag (qcc reports
/// the most serious, i.e. lowest-numbered, rule).
public struct RuleSet: Sendable, Equatable, Codable {
  /// Rules in priority order (most serious first).
  public var rules: [Rule]
  /// A rule set from `rules`.
  public init(rules: [Rule]) { self.rules = rules }

  /// Western Electric rules 1–4 (Minitab K defaults: 3σ, 2 of 3, 4 of 5, 8 in a row).
  public static let westernElectricAll: [Rule] = [
    Rule(label: "WE1", pattern: .beyondLimits, k: 3), Rule(label: "WE2", pattern: .zoneA, k: 2),
    Rule(label: "WE3", pattern: .zoneB, k: 4), Rule(label: "WE4", pattern: .sameSide, k: 8),
  ]
  /// Nelson rules 1–8 (K defaults 3σ, 9, 6, 14, 2 of 3, 4 of 5, 15, 8).
  public static let nelsonAll: [Rule] = [
    Rule(label: "N1", pattern: .beyondLimits, k: 3), Rule(label: "N2", pattern: .sameSide, k: 9),
    Rule(label: "N3", pattern: .trend, k: 6), Rule(label: "N4", pattern: .alternating, k: 14),
    Rule(label: "N5", pattern: .zoneA, k: 2), Rule(label: "N6", pattern: .zoneB, k: 4),
    Rule(label: "N7", pattern: .hugging, k: 15), Rule(label: "N8", pattern: .mixture, k: 8),
  ]

  /// qcc's default: Western Electric rules 1 and 4.
  public static let qccDefault = westernElectric([1, 4])
  /// Only points beyond the control limits.
  public static let limitsOnly = RuleSet(rules: [westernElectricAll[0]])

  /// Western Electric rules by number (1…4).
  public static func westernElectric(_ numbers: [Int]) -> RuleSet {
    RuleSet(rules: westernElectricAll.enumerated().filter { numbers.contains($0.offset + 1) }.map(\.element))
  }
  /// Nelson rules by number (1…8).
  public static func nelson(_ numbers: [Int]) -> RuleSet {
    RuleSet(rules: nelsonAll.enumerated().filter { numbers.contains($0.offset + 1) }.map(\.element))
  }

  /// Sets K of the rule with `label`; returns false if no enabled rule has that label.
  public mutating func setK(_ k: Double, for label: String) -> Bool {
    guard let i = rules.firstIndex(where: { $0.label.lowercased() == label.lowercased() }) else { return false }
    rules[i].k = k
    return true
  }
}

/// What the rules need of a chart: the plotted statistics, the centre line, and the control
/// limits at any multiple of the statistic's σ (zones), point by point.
public struct RuleInput: Sendable {
  /// The plotted statistics, in time order.
  public var statistics: [Double]
  /// Centre line.
  public var center: Double
  /// Limits at `sigmas` standard errors of the plotted statistic, per point.
  public var limitsAt: @Sendable (_ sigmas: Double) -> (lower: [Double], upper: [Double])
  /// Rule input from statistics, centre and a zone-limit function.
  public init(statistics: [Double], center: Double, limitsAt: @escaping @Sendable (Double) -> (lower: [Double], upper: [Double])) {
    self.statistics = statistics
    self.center = center
    self.limitsAt = limitsAt
  }
}

/// Indices (0-based) of the points flagged by `rule`, ascending.
public func violations(of rule: Rule, in input: RuleInput, nsigmas: Double = 3) -> [Int] {
  let s = input.statistics
  let n = s.count
  var flagged = [Bool](repeating: false, count: n)
  // Marks every point of a run of true values from its K-th point on (qcc's convention).
  func runs(_ cond: [Bool], _ k: Int, offset: Int) {
    guard k >= 1 else { return }
    var len = 0
    for (i, c) in cond.enumerated() {
      len = c ? len + 1 : 0
      if len >= k { flagged[i + offset] = true }
    }
  }
  switch rule.pattern {
  case .beyondLimits:
    // K is in units of a 3σ chart: with nsigmas ≠ 3 the limit scales the same way qcc's zones do.
    let (lo, hi) = input.limitsAt(rule.k * nsigmas / 3)
    for i in 0..<n where s[i] > hi[i] || s[i] < lo[i] { flagged[i] = true }
  case .zoneA, .zoneB:
    // qcc compares the whole window with the zone limits at the window's last point and
    // flags that last point, which must itself be beyond the zone.
    let zone = rule.pattern == .zoneA ? nsigmas * 2 / 3 : nsigmas / 3
    let m = Int(rule.k)
    let w = m + 1
    let (lo, hi) = input.limitsAt(zone)
    if n >= w {
      for j in (w - 1)..<n {
        var above = 0
        var below = 0
        for t in (j - w + 1)...j {
          if s[t] > hi[j] { above += 1 }
          if s[t] < lo[j] { below += 1 }
        }
        if (above >= m && s[j] > hi[j]) || (below >= m && s[j] < lo[j]) { flagged[j] = true }
      }
    }
  case .sameSide:
    runs(s.map { $0 - input.center > 0 }, Int(rule.k), offset: 0)
    runs(s.map { $0 - input.center < 0 }, Int(rule.k), offset: 0)
  case .trend:
    if n >= 2 {
      let d = (1..<n).map { s[$0] - s[$0 - 1] }
      runs(d.map { $0 > 0 }, Int(rule.k) - 1, offset: 1)
      runs(d.map { $0 < 0 }, Int(rule.k) - 1, offset: 1)
    }
  case .alternating:
    if n >= 3 {
      let d = (1..<n).map { s[$0] - s[$0 - 1] }
      let alt = (1..<d.count).map { d[$0] * d[$0 - 1] < 0 }
      runs(alt, Int(rule.k) - 2, offset: 2)
    }
  case .hugging:
    let (lo, hi) = input.limitsAt(nsigmas / 3)
    runs((0..<n).map { s[$0] >= lo[$0] && s[$0] <= hi[$0] }, Int(rule.k), offset: 0)
  case .mixture:
    let k = Int(rule.k)
    let (lo, hi) = input.limitsAt(nsigmas / 3)
    if k >= 1 && n >= k {
      for j in (k - 1)..<n {
        var all = true
        var anyAbove = false
        var anyBelow = false
        for t in (j - k + 1)...j {
          let a = s[t] > hi[t]
          let b = s[t] < lo[t]
          if !(a || b) { all = false; break }
          anyAbove = anyAbove || a
          anyBelow = anyBelow || b
        }
        if all && anyAbove && anyBelow { flagged[j] = true }
      }
    }
  }
  return flagged.indices.filter { flagged[$0] }
}

/// For every point, the labels of the rules it violates, in rule-set order.
public func evaluate(_ rules: RuleSet, on input: RuleInput, nsigmas: Double = 3) -> [[String]] {
  var out = [[String]](repeating: [], count: input.statistics.count)
  for r in rules.rules {
    for i in violations(of: r, in: input, nsigmas: nsigmas) { out[i].append(r.label) }
  }
  return out
}
