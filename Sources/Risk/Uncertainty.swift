import Foundation
import Quantities
import SupplyChain

/// What an uncertain input perturbs, addressed by a path `<collection>/<id>/<attribute>` (the same
/// names `lodestone sweep --param` takes). The unit of each target's value is stated per case.
public enum UncertainTarget: Sendable, Equatable, CustomStringConvertible {
  /// Licence approval fraction (0…1) of a licence policy.
  case policyApproval(PolicyID)
  /// Licence processing delay of a licence policy, months (rounded to whole months).
  case policyDelay(PolicyID)
  /// Shift of the policy's first month, months (rounded; may be negative).
  case policyStartShift(PolicyID)
  /// Length of the policy in months: `until = from + duration − 1` (rounded; ≤ 0 removes the policy).
  case policyDuration(PolicyID)
  /// Whether the policy happens at all (≥ 0.5 = yes); use a Bernoulli.
  case policyOccurs(PolicyID)
  /// Each month independently: the policy applies in that month when the month's value ≥ 0.5
  /// (use a Bernoulli); a fresh draw per month within the policy's own window.
  case policyMonthly(PolicyID)
  /// Plant failures: time between failures (this distribution) and time to repair (`repair`), both months.
  case processOutage(ProcessID, repair: Distribution)
  /// Delay of a process's commissioning month (or of its ramp), months (rounded).
  case processCommissioningDelay(ProcessID)
  /// Capacity multiplier of a process (dimensionless).
  case processCapacity(ProcessID)
  /// Extra lead time of a link, months (rounded, ≥ 0).
  case linkDelay(LinkID)
  /// Multiplier on a demand's rate (dimensionless); id `*` = every demand.
  case demandMultiplier(DemandID)
  /// Multiplier on a material's price series (dimensionless).
  case priceMultiplier(MaterialID)
  /// A reserve's target level, kg (the initial level is raised to match).
  case reserveTarget(ReserveID)

  public var description: String { path }

  /// The path form, e.g. `policies/cn-ban/duration`.
  public var path: String {
    switch self {
    case .policyApproval(let id): "policies/\(id)/approval"
    case .policyDelay(let id): "policies/\(id)/delay"
    case .policyStartShift(let id): "policies/\(id)/start-shift"
    case .policyDuration(let id): "policies/\(id)/duration"
    case .policyOccurs(let id): "policies/\(id)/occurs"
    case .policyMonthly(let id): "policies/\(id)/monthly"
    case .processOutage(let id, _): "processes/\(id)/outage"
    case .processCommissioningDelay(let id): "processes/\(id)/commissioning-delay"
    case .processCapacity(let id): "processes/\(id)/capacity"
    case .linkDelay(let id): "links/\(id)/delay"
    case .demandMultiplier(let id): "demands/\(id)/multiplier"
    case .priceMultiplier(let id): "prices/\(id)/multiplier"
    case .reserveTarget(let id): "reserves/\(id)/target"
    }
  }

  /// Attributes accepted after each collection, for error messages.
  public static let attributes: [(collection: String, attributes: [String])] = [
    ("policies", ["approval", "delay", "start-shift", "duration", "occurs", "monthly"]),
    ("processes", ["outage", "commissioning-delay", "capacity"]),
    ("links", ["delay"]),
    ("demands", ["multiplier"]),
    ("prices", ["multiplier"]),
    ("reserves", ["target"]),
  ]

  /// Parses a path; `nil` with a message naming the valid choices when it is not one.
  public static func parse(path: String, repair: Distribution? = nil) -> Result<UncertainTarget, RiskInputError.Reason> {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    let collections = attributes.map(\.collection)
    guard parts.count == 3, !parts[1].isEmpty else {
      return .failure(.init("target must be '<collection>/<id>/<attribute>' with collection one of " + collections.map { "'\($0)'" }.joined(separator: ", ") + "; got '\(path)'."))
    }
    let (col, id, attr) = (parts[0], parts[1], parts[2])
    guard let attrs = attributes.first(where: { $0.collection == col })?.attributes else {
      return .failure(.init("target collection must be one of " + collections.map { "'\($0)'" }.joined(separator: ", ") + "; got '\(col)'."))
    }
    guard attrs.contains(attr) else {
      return .failure(.init("attribute of '\(col)/\(id)' must be one of " + attrs.map { "'\($0)'" }.joined(separator: ", ") + "; got '\(attr)'."))
    }
    switch (col, attr) {
    case ("policies", "approval"): return .success(.policyApproval(PolicyID(id)))
    case ("policies", "delay"): return .success(.policyDelay(PolicyID(id)))
    case ("policies", "start-shift"): return .success(.policyStartShift(PolicyID(id)))
    case ("policies", "duration"): return .success(.policyDuration(PolicyID(id)))
    case ("policies", "occurs"): return .success(.policyOccurs(PolicyID(id)))
    case ("policies", "monthly"): return .success(.policyMonthly(PolicyID(id)))
    case ("processes", "outage"): return .success(.processOutage(ProcessID(id), repair: repair ?? .fixed(1)))
    case ("processes", "commissioning-delay"): return .success(.processCommissioningDelay(ProcessID(id)))
    case ("processes", "capacity"): return .success(.processCapacity(ProcessID(id)))
    case ("links", "delay"): return .success(.linkDelay(LinkID(id)))
    case ("demands", "multiplier"): return .success(.demandMultiplier(DemandID(id)))
    case ("prices", "multiplier"): return .success(.priceMultiplier(MaterialID(id)))
    default: return .success(.reserveTarget(ReserveID(id)))
    }
  }

  /// The id the target refers to and the scenario's ids of that kind (for reference checks).
  func reference(in s: Scenario) -> (kind: String, id: String, known: [String]) {
    switch self {
    case .policyApproval(let id), .policyDelay(let id), .policyStartShift(let id), .policyDuration(let id), .policyOccurs(let id), .policyMonthly(let id):
      ("policy", id.rawValue, s.policies.map(\.id.rawValue))
    case .processOutage(let id, _), .processCommissioningDelay(let id), .processCapacity(let id):
      ("process", id.rawValue, s.processes.map(\.id.rawValue))
    case .linkDelay(let id): ("link", id.rawValue, s.links.map(\.id.rawValue))
    case .demandMultiplier(let id): ("demand", id.rawValue, ["*"] + s.demands.map(\.id.rawValue))
    case .priceMultiplier(let id): ("price series", id.rawValue, s.prices.map(\.material.rawValue))
    case .reserveTarget(let id): ("reserve", id.rawValue, s.reserves.map(\.id.rawValue))
    }
  }
}

// Locations use SupplyChain's `SourceLocation` (file, 1-based line and column).

/// An error in an uncertainty file or a parameter, with its location when it has one.
public struct RiskInputError: Error, Sendable, CustomStringConvertible {
  public struct Reason: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
  }
  public var location: SourceLocation?
  public var message: String
  public init(_ message: String, at location: SourceLocation? = nil) {
    self.message = message
    self.location = location
  }
  public var description: String {
    guard let l = location else { return message }
    return "\(l.file), line \(l.line), column \(l.column): \(message)"
  }
}

/// One uncertain input: a named distribution applied to a target, optionally driven by a shared driver.
public struct UncertainInput: Sendable, Equatable {
  public var name: String
  public var target: UncertainTarget
  public var distribution: Distribution
  /// Inputs with the same driver use the same uniform draw (perfect rank correlation: one ban hits several policies).
  public var driver: String?
  public var location: SourceLocation?

  public init(name: String, target: UncertainTarget, distribution: Distribution, driver: String? = nil, location: SourceLocation? = nil) {
    self.name = name
    self.target = target
    self.distribution = distribution
    self.driver = driver
    self.location = location
  }
}

/// The uncertain inputs of a study and their dependence.
public struct UncertaintySpec: Sendable, Equatable {
  public var inputs: [UncertainInput]
  /// Gaussian copula over these inputs (names), with a symmetric positive-definite correlation matrix.
  public var copula: (inputs: [String], matrix: [[Double]])? {
    get { copulaStorage.map { ($0.inputs, $0.matrix) } }
    set { copulaStorage = newValue.map { Copula(inputs: $0.inputs, matrix: $0.matrix) } }
  }
  struct Copula: Sendable, Equatable {
    var inputs: [String]
    var matrix: [[Double]]
  }
  var copulaStorage: Copula?

  public init(inputs: [UncertainInput], copula: (inputs: [String], matrix: [[Double]])? = nil) {
    self.inputs = inputs
    self.copulaStorage = copula.map { Copula(inputs: $0.inputs, matrix: $0.matrix) }
  }

  /// Checks every target refers to something in `scenario`; errors name the known ids.
  public func check(against scenario: Scenario) throws(RiskInputError) {
    for i in inputs {
      let r = i.target.reference(in: scenario)
      if !r.known.contains(r.id) {
        throw RiskInputError(
          "Uncertain input '\(i.name)' refers to unknown \(r.kind) '\(r.id)'. Known: " + (r.known.isEmpty ? "(none)" : r.known.sorted().map { "'\($0)'" }.joined(separator: ", ")) + ".",
          at: i.location)
      }
    }
  }
}
