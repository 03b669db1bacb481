// Organisations, roles, lots and EPCIS 2.0 events with Lodestone's extensions.
import Chemistry

/// A party to the ledger: IREL, a tolling partner, a regulator. Its `id` names its hash chain.
public struct Organisation: Sendable, Hashable {
  /// Kebab-case identifier (`irel`, `jp-partner`); the chain name of its events.
  public var id: String
  public var name: String
  /// ISO 3166-1 alpha-2 country code.
  public var country: String
  public init(id: String, name: String, country: String) {
    self.id = id
    self.name = name
    self.country = country
  }
}

/// What an actor may do, in the ledger (`LedgerOperation.allowedRoles`) and in the server's route
/// table alike. The roles form a lattice, not a line: `viewer` reads; `operator` also records and
/// runs jobs; `auditor` also verifies and reads the access log but changes nothing; `admin` does
/// everything. They are not ordered: use `grants` to decide access.
public enum Role: String, Sendable, CaseIterable {
  case viewer, `operator`, auditor, admin

  /// Whether this role may do what `need` may: admin grants everything, every role grants viewer,
  /// operator and auditor grant only themselves (an auditor starts no jobs; an operator does not audit).
  public func grants(_ need: Role) -> Bool {
    self == need || self == .admin || need == .viewer
  }
}

/// Someone acting on the ledger: an organisation in a role.
public struct Actor: Sendable, Hashable, CustomStringConvertible {
  public var organisation: String
  public var role: Role
  public init(organisation: String, role: Role) {
    self.organisation = organisation
    self.role = role
  }

  /// Parses `ORG:ROLE` (`irel:operator`).
  public static func parse(_ text: String) throws(LedgerError) -> Actor {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    let roles = Role.allCases.map(\.rawValue).joined(separator: ", ")
    guard parts.count == 2, !parts[0].isEmpty else {
      throw .invalidInput("--as must be ORGANISATION:ROLE with ROLE one of \(roles); got '\(text)'.")
    }
    guard let role = Role(rawValue: String(parts[1])) else {
      throw .invalidInput("role must be one of \(roles); got '\(parts[1])' in '\(text)'.")
    }
    return Actor(organisation: String(parts[0]), role: role)
  }

  public var description: String { "\(organisation):\(role.rawValue)" }
}

/// A lot as an event creates it: commissioned (ADD) or the output of a transformation.
public struct LotSpec: Sendable, Hashable {
  public var id: String
  /// Scenario material id (`ndpr-oxide`, `ndfeb-n`).
  public var material: String
  /// Mass in kg.
  public var mass: Double
  /// Element mass fractions (kg element per kg lot), sorted by atomic number.
  public var assay: [Element: Double]
  /// Magnet grade (`N42`), for magnet lots.
  public var grade: String?
  /// Country (ISO alpha-2) where a commissioned lot's elements were mined; transformation
  /// outputs inherit their inputs' origins instead.
  public var origin: String?
  /// The owner (title holder); by default the recording organisation for a commissioned lot,
  /// and the owner of the inputs for a transformation output.
  public var owner: String?

  public init(
    id: String, material: String, mass: Double, assay: [Element: Double], grade: String? = nil,
    origin: String? = nil, owner: String? = nil
  ) {
    self.id = id
    self.material = material
    self.mass = mass
    self.assay = assay
    self.grade = grade
    self.origin = origin
    self.owner = owner
  }
}

/// A mass taken from a lot.
public struct LotQuantity: Sendable, Hashable {
  public var lot: String
  /// kg.
  public var mass: Double
  public init(lot: String, mass: Double) {
    self.lot = lot
    self.mass = mass
  }
}

/// One EPCIS 2.0 event with Lodestone's extensions (`lodestone:` members).
public struct LedgerEvent: Sendable, Hashable {
  public enum Kind: String, Sendable, CaseIterable {
    case object = "ObjectEvent"
    case transformation = "TransformationEvent"
  }
  public enum Action: String, Sendable, CaseIterable {
    case add = "ADD", observe = "OBSERVE", delete = "DELETE"
  }
  /// The CBV business steps Lodestone interprets.
  public enum BizStep: String, Sendable, CaseIterable {
    case commissioning, shipping, receiving, inspecting, decommissioning, transforming
  }

  public var kind: Kind
  public var eventID: String
  /// ISO 8601 UTC (`2027-01-15T08:00:00Z`).
  public var eventTime: String
  public var eventTimeZoneOffset: String
  /// Object events only.
  public var action: Action?
  public var bizStep: BizStep
  /// CBV disposition (`active`, `in_transit`, `in_progress`, …), kept as given.
  public var disposition: String?
  public var readPoint: String?
  /// Where the event happened (a scenario site id such as `jp-partner`).
  public var bizLocation: String?
  /// Lots an OBSERVE or DELETE object event concerns (EPCIS `epcList`, lot ids without the URN
  /// prefix); empty for an ADD, whose lots are `created`.
  public var lots: [String]
  /// Lots created: by an ADD (commissioning) or as a transformation's outputs.
  public var created: [LotSpec]
  /// Masses consumed by a transformation (EPCIS `inputQuantityList`, kg).
  public var inputs: [LotQuantity]
  /// The consignee organisation of a shipment.
  public var consignee: String?
  /// The tolling agreement the event belongs to (a scenario agreement id).
  public var agreement: String?
  /// The event this one corrects: it replaces that event in the replay.
  public var corrects: String?
  /// The organisation that records the event (its chain); nil = the recording actor's.
  public var organisation: String?

  public init(
    kind: Kind, eventID: String, eventTime: String, eventTimeZoneOffset: String = "+00:00", action: Action? = nil,
    bizStep: BizStep, disposition: String? = nil, readPoint: String? = nil, bizLocation: String? = nil,
    lots: [String] = [], created: [LotSpec] = [], inputs: [LotQuantity] = [], consignee: String? = nil,
    agreement: String? = nil, corrects: String? = nil, organisation: String? = nil
  ) {
    self.kind = kind
    self.eventID = eventID
    self.eventTime = eventTime
    self.eventTimeZoneOffset = eventTimeZoneOffset
    self.action = action
    self.bizStep = bizStep
    self.disposition = disposition
    self.readPoint = readPoint
    self.bizLocation = bizLocation
    self.lots = lots
    self.created = created
    self.inputs = inputs
    self.consignee = consignee
    self.agreement = agreement
    self.corrects = corrects
    self.organisation = organisation
  }
}

/// Everything the ledger refuses, in the project's message grammar.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Malformed input: a bad event, document, actor or option.
  case invalidInput(String)
  /// An event would take more from a lot than it holds.
  case overdraw(event: String, lot: String, held: Double, requested: Double)
  /// A transformation would create `element` beyond the tolerance.
  case elementCreated(event: String, element: Element, input: Double, output: Double, tolerance: Double)
  /// An event breaks custody or identity rules (unknown lot, not the holder, a lot id reused…).
  case refused(event: String, reason: String)
  /// The actor may not do this.
  case denied(actor: String, action: String, target: String, reason: String)

  public var description: String {
    switch self {
    case .invalidInput(let m): return m
    case let .overdraw(event, lot, held, requested):
      return
        "event '\(event)' takes \(LedgerError.kg(requested)) from lot '\(lot)', which holds \(LedgerError.kg(held)); refused (mass cannot be created)."
    case let .elementCreated(event, element, input, output, tolerance):
      return
        "transformation '\(event)' puts \(LedgerError.kg(output)) of \(element.symbol) into its outputs but its inputs hold \(LedgerError.kg(input)) of \(element.symbol) (tolerance \(LedgerError.percent(tolerance)) of input); refused (an element cannot be created)."
    case let .refused(event, reason): return "event '\(event)' refused: \(reason)"
    case let .denied(actor, action, target, reason):
      return "access denied: \(actor) may not \(action)\(target.isEmpty ? "" : " '\(target)'"): \(reason)."
    }
  }

  static func kg(_ x: Double) -> String {
    let r = (x * 1000).rounded() / 1000
    return "\(JSONValue.format(r)) kg"
  }

  static func percent(_ x: Double) -> String { "\(JSONValue.format(x * 100)) %" }
}
