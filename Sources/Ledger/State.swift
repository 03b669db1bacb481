// State by replay: every lot's mass, owner, holder and location follow from the events alone.
import Chemistry

/// A lot as the replay leaves it.
public struct LotState: Sendable, Hashable {
  public enum Status: String, Sendable {
    case active
    /// Shipped, not yet received by the consignee.
    case inTransit = "in-transit"
    /// Used up by transformations.
    case consumed
    /// Written off by a DELETE event.
    case decommissioned
  }
  public var id: String
  public var material: String
  /// kg held now.
  public var mass: Double
  /// kg when created.
  public var initialMass: Double
  /// Element mass fractions.
  public var assay: [Element: Double]
  public var grade: String?
  public var owner: String
  public var holder: String
  public var location: String?
  /// The organisation a shipment is addressed to, while in transit.
  public var consignee: String?
  public var status: Status
  /// Share (0…1) of each element's mass by country of origin.
  public var origins: [Element: [String: Double]]
  /// The event that created the lot.
  public var createdBy: String
  /// kg taken from each input lot by the transformation that created this lot.
  public var parents: [LotQuantity]
  /// The tolling agreement of the transformation that created the lot.
  public var agreement: String?
  /// Every organisation that has owned, held or been consigned the lot.
  public var parties: Set<String>
}

/// One shipment of a lot (for reconciliation).
public struct Shipment: Sendable, Hashable {
  public var event: String
  /// ISO 8601 UTC.
  public var time: String
  public var from: String
  public var to: String
  public var agreement: String?
  public var lot: String
  /// kg shipped.
  public var mass: Double
}

/// One transformation as applied (for reconciliation and genealogy).
public struct Transformation: Sendable, Hashable {
  public var event: String
  public var time: String
  public var organisation: String
  public var agreement: String?
  public var inputs: [LotQuantity]
  public var outputs: [String]
}

/// The ledger's state after replaying accepted events.
public struct LedgerState: Sendable {
  /// Lots by id.
  public var lots: [String: LotState] = [:]
  public var shipments: [Shipment] = []
  public var transformations: [Transformation] = []
  /// For each lot, the transformations that consumed from it (event id, kg).
  public var uses: [String: [(event: String, mass: Double, outputs: [String])]] = [:]
  /// Event ids applied, in replay order, with their organisation.
  public var applied: [(event: String, organisation: String)] = []

  /// Relative tolerance on element balance through a transformation (0.5 % of input).
  public static let elementTolerance = 0.005
  /// Elements whose creation is refused (the rare earths; Fe, B, Co are bulk and untracked).
  public static let trackedElements: Set<Element> = Set(Element.rareEarths)

  public init() {}

  /// True when `organisation` may see `lot`: it owns or holds it, or it was consigned to it.
  public func isVisible(_ lot: String, to organisation: String) -> Bool {
    lots[lot]?.parties.contains(organisation) ?? false
  }

  /// Applies one event recorded by `organisation`, or throws without changing anything.
  public mutating func apply(_ e: LedgerEvent, by organisation: String) throws {
    var next = self
    try next.applyUnchecked(e, by: organisation)
    self = next
  }

  private func heldLot(_ id: String, _ e: LedgerEvent, by org: String) throws -> LotState {
    guard let lot = lots[id] else { throw LedgerError.refused(event: e.eventID, reason: "lot '\(id)' does not exist.") }
    guard lot.status == .active else {
      throw LedgerError.refused(event: e.eventID, reason: "lot '\(id)' is \(lot.status.rawValue), not active.")
    }
    guard lot.holder == org else {
      throw LedgerError.refused(
        event: e.eventID, reason: "lot '\(id)' is held by '\(lot.holder)', not by '\(org)' who recorded the event.")
    }
    return lot
  }

  mutating func applyUnchecked(_ e: LedgerEvent, by org: String) throws {
    switch (e.kind, e.action) {
    case (.object, .add?):
      for s in e.created {
        try create(s, e, by: org, owner: s.owner ?? org, origins: s.assay.mapValues { _ in [s.origin ?? "unrecorded": 1] }, parents: [])
      }
    case (.object, .delete?):
      for id in e.lots {
        var lot = try heldLot(id, e, by: org)
        lot.mass = 0
        lot.status = .decommissioned
        lots[id] = lot
      }
    case (.object, _):
      switch e.bizStep {
      case .shipping:
        guard let to = e.consignee else {
          throw LedgerError.refused(event: e.eventID, reason: "a shipment must name its consignee.")
        }
        for id in e.lots {
          var lot = try heldLot(id, e, by: org)
          lot.status = .inTransit
          lot.consignee = to
          lot.parties.insert(to)
          lots[id] = lot
          shipments.append(
            Shipment(event: e.eventID, time: e.eventTime, from: org, to: to, agreement: e.agreement, lot: id, mass: lot.mass))
        }
      case .receiving:
        for id in e.lots {
          guard var lot = lots[id] else {
            throw LedgerError.refused(event: e.eventID, reason: "lot '\(id)' does not exist.")
          }
          guard lot.status == .inTransit, lot.consignee == org else {
            throw LedgerError.refused(
              event: e.eventID, reason: "lot '\(id)' is not in transit to '\(org)' (it is \(lot.status.rawValue), held by '\(lot.holder)').")
          }
          lot.holder = org
          lot.location = e.bizLocation ?? lot.location
          lot.status = .active
          lot.consignee = nil
          lots[id] = lot
        }
      default:
        for id in e.lots {
          guard let lot = lots[id] else { throw LedgerError.refused(event: e.eventID, reason: "lot '\(id)' does not exist.") }
          guard lot.holder == org || lot.owner == org else {
            throw LedgerError.refused(event: e.eventID, reason: "lot '\(id)' is neither owned nor held by '\(org)'.")
          }
        }
      }
    case (.transformation, _):
      try transform(e, by: org)
    }
    applied.append((e.eventID, org))
  }

  private mutating func create(
    _ s: LotSpec, _ e: LedgerEvent, by org: String, owner: String, origins: [Element: [String: Double]], parents: [LotQuantity]
  ) throws {
    guard lots[s.id] == nil else { throw LedgerError.refused(event: e.eventID, reason: "lot '\(s.id)' already exists.") }
    guard s.mass > 0, s.mass.isFinite else {
      throw LedgerError.refused(event: e.eventID, reason: "lot '\(s.id)' mass must be positive; got \(s.mass) kg.")
    }
    lots[s.id] = LotState(
      id: s.id, material: s.material, mass: s.mass, initialMass: s.mass, assay: s.assay, grade: s.grade, owner: owner,
      holder: org, location: e.bizLocation, consignee: nil, status: .active, origins: origins, createdBy: e.eventID,
      parents: parents, agreement: e.agreement, parties: [owner, org])
  }

  private mutating func transform(_ e: LedgerEvent, by org: String) throws {
    // Total taken from each lot (a lot may appear twice in the list).
    var taken: [String: Double] = [:]
    var order: [String] = []
    for q in e.inputs {
      if taken[q.lot] == nil { order.append(q.lot) }
      taken[q.lot, default: 0] += q.mass
    }
    var inputLots: [LotState] = []
    for id in order {
      let lot = try heldLot(id, e, by: org)
      let want = taken[id] ?? 0
      if want > lot.mass * (1 + 1e-12) + 1e-9 {
        throw LedgerError.overdraw(event: e.eventID, lot: id, held: lot.mass, requested: want)
      }
      inputLots.append(lot)
    }
    // Element balance: no tracked element may leave in the outputs beyond its input + tolerance.
    var elementIn: [Element: Double] = [:]
    var byCountry: [Element: [String: Double]] = [:]
    for lot in inputLots {
      let m = taken[lot.id] ?? 0
      for (el, f) in lot.assay {
        elementIn[el, default: 0] += m * f
        for (country, share) in lot.origins[el] ?? ["unrecorded": 1] {
          byCountry[el, default: [:]][country, default: 0] += m * f * share
        }
      }
    }
    var elementOut: [Element: Double] = [:]
    for s in e.created { for (el, f) in s.assay { elementOut[el, default: 0] += s.mass * f } }
    for el in elementOut.keys.sorted() where LedgerState.trackedElements.contains(el) {
      let input = elementIn[el] ?? 0
      let output = elementOut[el] ?? 0
      if output > input * (1 + LedgerState.elementTolerance) + 1e-9 {
        throw LedgerError.elementCreated(
          event: e.eventID, element: el, input: input, output: output, tolerance: LedgerState.elementTolerance)
      }
    }
    let owners = Set(inputLots.map(\.owner))
    for id in order {
      guard var lot = lots[id] else { continue }
      lot.mass = max(0, lot.mass - (taken[id] ?? 0))
      if lot.mass <= 1e-9 {
        lot.mass = 0
        lot.status = .consumed
      }
      lots[id] = lot
    }
    var origins: [Element: [String: Double]] = [:]
    for (el, shares) in byCountry {
      let total = shares.values.reduce(0, +)
      if total > 0 { origins[el] = shares.mapValues { $0 / total } }
    }
    let parents = order.map { LotQuantity(lot: $0, mass: taken[$0] ?? 0) }
    for s in e.created {
      guard let owner = s.owner ?? (owners.count == 1 ? owners.first : nil) else {
        throw LedgerError.refused(
          event: e.eventID,
          reason: "output lot '\(s.id)' must name its owner: the inputs belong to \(owners.sorted().joined(separator: ", ")).")
      }
      let o = s.assay.keys.reduce(into: [Element: [String: Double]]()) { acc, el in acc[el] = origins[el] ?? ["unrecorded": 1] }
      try create(s, e, by: org, owner: owner, origins: o, parents: parents)
    }
    for id in order {
      uses[id, default: []].append((e.eventID, taken[id] ?? 0, e.created.map(\.id)))
    }
    transformations.append(
      Transformation(
        event: e.eventID, time: e.eventTime, organisation: org, agreement: e.agreement, inputs: parents,
        outputs: e.created.map(\.id)))
  }

  /// Replays `events` (each with the organisation whose chain holds it) in business order:
  /// by event time, then record time, chain and sequence. An event named by a later event's
  /// `corrects` is skipped: the correction takes its place.
  public static func replay(_ events: [(record: EventRecord, event: LedgerEvent)]) throws -> LedgerState {
    let superseded = Set(events.compactMap(\.event.corrects))
    let ordered = events.filter { !superseded.contains($0.event.eventID) }.sorted { a, b in
      (a.event.eventTime, a.record.recordedAt, a.record.chain, a.record.sequence)
        < (b.event.eventTime, b.record.recordedAt, b.record.chain, b.record.sequence)
    }
    var state = LedgerState()
    // No copy per event: on a refusal the partial state is discarded with the error.
    for x in ordered { try state.applyUnchecked(x.event, by: x.record.chain) }
    return state
  }
}
