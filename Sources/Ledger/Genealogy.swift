// Genealogy: a lot back to its sources and forward to its uses, and the share of each
// element by country of origin (mass-weighted through every transformation).
import Chemistry

/// One line of a trace: a lot reached through `event`, `depth` steps away.
public struct TraceLine: Sendable, Hashable {
  public var depth: Int
  public var lot: String
  /// Empty when the lot is withheld (not visible to the actor).
  public var material: String
  /// kg of this lot that went into (backward) or was taken by (forward) the step.
  public var mass: Double
  public var owner: String
  public var event: String
  public var withheld: Bool
}

/// Where a lot came from and where it went.
public struct LotTrace: Sendable {
  public var lot: LotState
  /// Ancestors, depth first, each lot once.
  public var sources: [TraceLine]
  /// Descendants, depth first, each lot once.
  public var uses: [TraceLine]
  /// (element, country, share 0…1) sorted by element, then share descending, then country.
  public var origins: [(element: Element, country: String, share: Double)]
}

extension LedgerState {
  /// Traces `id` for `organisation`; lots it cannot see appear as withheld, without details.
  public func trace(_ id: String, for organisation: String) -> LotTrace? {
    guard let lot = lots[id] else { return nil }
    func line(_ lotID: String, depth: Int, mass: Double, event: String) -> TraceLine {
      let visible = isVisible(lotID, to: organisation)
      let l = lots[lotID]
      return TraceLine(
        depth: depth, lot: visible ? lotID : "(withheld)", material: visible ? (l?.material ?? "") : "", mass: mass,
        owner: visible ? (l?.owner ?? "") : "", event: event, withheld: !visible)
    }
    var sources: [TraceLine] = []
    var seen: Set<String> = [id]
    // Iterative depth-first walk (deep genealogies must not overflow the stack).
    var stack: [(String, Int, Double, String)] = lot.parents.reversed().map { ($0.lot, 1, $0.mass, lot.createdBy) }
    while let (l, depth, mass, event) = stack.popLast() {
      guard seen.insert(l).inserted else { continue }
      sources.append(line(l, depth: depth, mass: mass, event: event))
      if let p = lots[l], isVisible(l, to: organisation) {
        stack.append(contentsOf: p.parents.reversed().map { ($0.lot, depth + 1, $0.mass, p.createdBy) })
      }
    }
    var usesOut: [TraceLine] = []
    seen = [id]
    var fwd: [(String, Int, Double, String)] = []
    func push(from l: String, depth: Int) {
      for u in (uses[l] ?? []).reversed() {
        for o in u.outputs.reversed() { fwd.append((o, depth, lots[o]?.initialMass ?? 0, u.event)) }
      }
    }
    push(from: id, depth: 1)
    while let (l, depth, mass, event) = fwd.popLast() {
      guard seen.insert(l).inserted else { continue }
      usesOut.append(line(l, depth: depth, mass: mass, event: event))
      if isVisible(l, to: organisation) { push(from: l, depth: depth + 1) }
    }
    var origins: [(element: Element, country: String, share: Double)] = []
    for el in lot.origins.keys.sorted() {
      for (c, s) in (lot.origins[el] ?? [:]).sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
        origins.append((el, c, s))
      }
    }
    return LotTrace(lot: lot, sources: sources, uses: usesOut, origins: origins)
  }
}

extension Ledger {
  /// Traces a lot the actor can see; denies (and logs) a lot it cannot.
  public func trace(lot id: String, as actor: Actor) async throws -> LotTrace {
    let s = try await state()
    // The same words whether the lot is missing or another's, so a denial leaks nothing.
    let scope: String? =
      s.isVisible(id, to: actor.organisation)
      ? nil : "lot '\(id)' does not exist or is not \(actor.organisation)'s and was not consigned to it"
    try await authorize(actor, .trace, target: id, scope: scope)
    guard let t = s.trace(id, for: actor.organisation) else {
      throw LedgerError.invalidInput("lot '\(id)' does not exist.")
    }
    return t
  }
}
