import Foundation
import Ledger
import Testing

/// One cell of the role matrix: may `role` perform `operation`? (The expected answers are the
/// table in docs/ledger.md, written out here independently of `LedgerOperation.allowedRoles`.)
struct AccessCase: Sendable, CustomTestStringConvertible {
  let role: Role
  let operation: LedgerOperation
  let allowed: Bool
  var testDescription: String { "\(role.rawValue) \(allowed ? "may" : "may not") \(operation.rawValue)" }
}

let accessMatrix: [AccessCase] = {
  // operation: viewer, operator, auditor, admin
  let table: [(LedgerOperation, [Bool])] = [
    (.initialise, [false, false, false, true]),
    (.record, [false, true, false, true]),
    (.importDocument, [false, true, false, true]),
    (.export, [true, true, true, true]),
    (.verify, [false, false, true, true]),
    (.trace, [true, true, true, true]),
    (.reconcile, [false, true, true, true]),
    (.balance, [true, true, true, true]),
    (.accessLog, [false, false, true, true]),
  ]
  return table.flatMap { op, cells in zip(Role.allCases, cells).map { AccessCase(role: $0, operation: op, allowed: $1) } }
}()

@Suite("Ledger access: every role × every operation, data scope, and the access log")
struct AccessTests {
  @Test("the matrix covers every role and operation")
  func complete() {
    #expect(accessMatrix.count == Role.allCases.count * LedgerOperation.allCases.count)
  }

  /// Performs `operation` as `actor` through the ledger's public API on a small tolling history.
  func perform(_ operation: LedgerOperation, as actor: Actor, on ledger: Ledger) async throws {
    switch operation {
    case .initialise: try await ledger.authorize(actor, .initialise, target: ledger.store.location)
    case .record, .importDocument:
      var e = commission("new-\(actor.role.rawValue)-\(operation.rawValue)", lot: "lot-\(actor.role.rawValue)-\(operation.rawValue)", kg: 10, time: "2027-03-01T00:00:00Z")
      e.organisation = actor.organisation
      try await ledger.record([e], as: actor, operation: operation)
    case .export: _ = try await ledger.exportEvents(as: actor)
    case .verify: _ = try await ledger.verify(as: actor)
    case .trace: _ = try await ledger.trace(lot: "ox-1", as: actor)
    case .reconcile:
      _ = try await ledger.reconcile(
        scenario: tollingScenario(), agreements: tollingScenario().agreements, period: try Period.parse("2027"), as: actor)
    case .balance: _ = try await ledger.lots(as: actor)
    case .accessLog: _ = try await ledger.accessLog(as: actor)
    }
  }

  @Test("role matrix", arguments: accessMatrix)
  func matrix(_ c: AccessCase) async throws {
    let (ledger, _) = try await makeLedger()
    try await ledger.record([commission("c1", lot: "ox-1", kg: 1000, time: "2027-01-05T08:00:00Z"), ship("s1", lots: ["ox-1"], to: "jp", time: "2027-01-06T08:00:00Z")], as: irelOp)
    let actor = Actor(organisation: "irel", role: c.role)
    let before = try await ledger.store.accessLog().count
    if c.allowed {
      try await perform(c.operation, as: actor, on: ledger)
    } else {
      await #expect(throws: LedgerError.self) { try await perform(c.operation, as: actor, on: ledger) }
      do {
        try await perform(c.operation, as: actor, on: ledger)
      } catch let e as LedgerError {
        guard case .denied(let who, let action, _, let reason) = e else {
          Issue.record("expected a denial, got \(e)")
          return
        }
        #expect(who == "irel:\(c.role.rawValue)")
        #expect(action == c.operation.rawValue)
        #expect(reason.hasPrefix("role \(c.role.rawValue) cannot \(c.operation.rawValue)"))
      }
    }
    // The attempt is in the access log, allowed or denied, as the last entry for this action.
    let log = try await ledger.store.accessLog()
    #expect(log.count > before)
    let mine = log.last { $0.action == c.operation.rawValue && $0.role == c.role.rawValue }
    #expect(mine?.allowed == c.allowed)
    #expect(mine?.organisation == "irel")
  }

  @Test("a partner sees its own and consigned lots, never another's")
  func visibility() async throws {
    let (ledger, _) = try await makeLedger()
    try await ledger.record(
      [
        commission("c1", lot: "ox-1", kg: 1000, time: "2027-01-05T08:00:00Z"),
        commission("c2", lot: "ox-2", kg: 1000, time: "2027-01-05T09:00:00Z"),
        ship("s1", lots: ["ox-1"], to: "jp", time: "2027-01-06T08:00:00Z"),
      ], as: irelOp)
    let jpViewer = Actor(organisation: "jp", role: .viewer)
    // Consigned to jp: visible even before it is received.
    #expect(try await ledger.lots(as: jpViewer).map(\.id) == ["ox-1"])
    #expect(try await ledger.trace(lot: "ox-1", as: jpViewer).lot.id == "ox-1")
    // Not consigned: denied with the same words as a lot that does not exist, and logged.
    await #expect(
      throws: LedgerError.denied(
        actor: "jp:viewer", action: "trace", target: "ox-2",
        reason: "lot 'ox-2' does not exist or is not jp's and was not consigned to it")
    ) { _ = try await ledger.trace(lot: "ox-2", as: jpViewer) }
    await #expect(
      throws: LedgerError.denied(
        actor: "jp:viewer", action: "trace", target: "nope",
        reason: "lot 'nope' does not exist or is not jp's and was not consigned to it")
    ) { _ = try await ledger.trace(lot: "nope", as: jpViewer) }
    let denied = try await ledger.store.accessLog().filter { !$0.allowed }
    #expect(denied.map(\.target) == ["ox-2", "nope"])
    // Export: jp gets the commissioning and shipment of its consigned lot, not irel's other lot.
    #expect(try await ledger.exportEvents(as: jpViewer).map(\.event.eventID) == ["c1", "s1"])
    // The access log an auditor reads is its own organisation's.
    let jpAuditor = Actor(organisation: "jp", role: .auditor)
    #expect(try await ledger.accessLog(as: jpAuditor).allSatisfy { $0.organisation == "jp" })
  }

  @Test("an operator cannot write another organisation's chain; an admin importing a history can")
  func foreignChains() async throws {
    let (ledger, _) = try await makeLedger()
    var e = commission("c1", lot: "ox-1", kg: 1000, time: "2027-01-05T08:00:00Z")
    e.organisation = "jp"
    await #expect(throws: LedgerError.self) { try await ledger.record([e], as: irelOp, operation: .importDocument) }
    let rs = try await ledger.record([e], as: Actor(organisation: "irel", role: .admin), operation: .importDocument)
    #expect(rs.map(\.chain) == ["jp"])
  }
}
