// The tolling ledger over HTTP: lots, trace, verify, import and reconcile, on behalf of the
// caller's organisation and role. The ledger's own role matrix and data scope apply on top of
// the route table's role; every call is written to the ledger's access log, allowed or denied.
import Foundation
import Hummingbird
import Ledger
import Quantities
import Reports
import SupplyChain

extension ServerState {
  /// The ledger actor of a request. With a token: its organisation and role. For the local user
  /// of a loopback server without tokens: `?as=ORG:ROLE` (any ledger role, including auditor),
  /// else `local:admin` (which sees no lots but its own). `?as=` is refused when a token is used.
  func ledgerActor(_ req: Request, _ ctx: LodestoneContext) throws -> Actor {
    let asked = req.uri.queryParameters.get("as").flatMap { $0.isEmpty ? nil : $0 }
    let isLocal = ctx.identity == .local && !config.requiresToken
    if let asked {
      guard isLocal else {
        throw APIError.badRequest("query 'as' is honoured only on a loopback server without tokens; this request acts as its token's \(ctx.identity.organisation):\(ctx.identity.role.rawValue)")
      }
      do { return try Actor.parse(asked) } catch { throw APIError.badRequest("query 'as': \(error.description)") }
    }
    return Actor(organisation: ctx.identity.organisation, role: ctx.identity.role)
  }

  /// Runs a ledger call, mapping its failures to JSON errors: denied → 403, malformed → 400,
  /// refused by custody or conservation → 422, an event recorded already → 409.
  func ledgerCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let e as LedgerError {
      switch e {
      case .denied: throw APIError(.forbidden, "forbidden", e.description)
      case .invalidInput: throw APIError.badRequest(e.description)
      case .overdraw, .elementCreated, .refused: throw APIError(.unprocessableContent, "refused", e.description)
      }
    } catch let e as JSONSyntaxError {
      throw APIError(.badRequest, "invalid-json", e.message, location: (e.source, e.line, e.column))
    } catch let e as StoreError {
      if case .duplicateEvent = e { throw APIError(.conflict, "duplicate-event", e.description) }
      throw e
    }
  }

  /// Lots visible to the actor.
  func ledgerLots(_ actor: Actor) async throws -> [LotState] {
    try await ledgerCall { try await ledger.lots(as: actor) }
  }

  /// A lot's trace. A lot the actor may not see answers 404 with the same words as a missing lot
  /// (the denial is still access-logged), so a partner learns nothing of another's lots.
  func ledgerTrace(_ id: String, _ actor: Actor) async throws -> LotTrace {
    try await ledgerCall {
      do {
        return try await ledger.trace(lot: id, as: actor)
      } catch LedgerError.denied(_, _, _, let reason) {
        throw APIError.notFound(reason)
      }
    }
  }

  /// Parses an EPCIS document (or one event) and records it as one import.
  func ledgerImport(_ text: String, source: String, _ actor: Actor) async throws -> [EventRecord] {
    try await ledgerCall {
      let events = try EPCIS.parseEvents(text, source: source)
      return try await ledger.record(events, as: actor, operation: .importDocument)
    }
  }

  /// Reconciles every agreement of a scenario (default the built-in one) over `period`.
  func ledgerReconcile(_ req: Request, _ actor: Actor) async throws -> [ReconciliationRow] {
    guard let p = req.uri.queryParameters.get("period"), !p.isEmpty else {
      throw APIError.badRequest("query 'period' is required: YYYY, YYYY-Qn or YYYY-MM (e.g. ?period=2027)")
    }
    let tolerance = try req.uri.queryParameters.get("tolerance").map { t -> Double in
      guard let v = Double(t), v >= 0, v < 1 else { throw APIError.badRequest("query 'tolerance' must be a number in 0..<1; got '\(t)'") }
      return v
    } ?? Reconciliation.defaultTolerance
    let name = req.uri.queryParameters.get("scenario") ?? ScenarioLibrary.builtInName
    guard isValidName(name), let entry = await scenarios.get(name) else { throw APIError.notFound("no scenario '\(name)'; see /api/scenarios") }
    guard let scenario = decodeScenario(text: entry.yaml, file: name + ".yaml", variant: nil).scenario else {
      throw APIError(.unprocessableContent, "invalid-scenario", "scenario '\(name)' has errors; see /api/scenarios/\(name)")
    }
    return try await ledgerCall {
      let period = try Period.parse(p)
      return try await ledger.reconcile(scenario: scenario, agreements: scenario.agreements, period: period, tolerance: tolerance, as: actor)
    }
  }
}

/// A number for JSON (12 significant digits).
private func num(_ x: Double) -> String { formatNumber(x, significantDigits: 12) }

func lotJSON(_ l: LotState) -> String {
  "{\"id\":\(jsonString(l.id)),\"material\":\(jsonString(l.material)),\"grade\":\(l.grade.map(jsonString) ?? "null"),\"mass_kg\":\(num(l.mass)),"
    + "\"initial_mass_kg\":\(num(l.initialMass)),\"owner\":\(jsonString(l.owner)),\"holder\":\(jsonString(l.holder)),"
    + "\"location\":\(l.location.map(jsonString) ?? "null"),\"status\":\(jsonString(l.status.rawValue)),\"url\":\(jsonString("/api/ledger/lots/\(pathEscape(l.id))/trace"))}"
}

func traceJSON(_ t: LotTrace) -> String {
  func lines(_ ls: [TraceLine]) -> String {
    "[" + ls.map { l in
      "{\"depth\":\(l.depth),\"lot\":\(jsonString(l.lot)),\"material\":\(jsonString(l.material)),\"mass_kg\":\(num(l.mass)),\"owner\":\(jsonString(l.owner)),\"event\":\(jsonString(l.withheld ? "" : l.event)),\"withheld\":\(l.withheld)}"
    }.joined(separator: ",") + "]"
  }
  let origins = t.origins.map { "{\"element\":\(jsonString($0.element.symbol)),\"country\":\(jsonString($0.country)),\"share\":\(num($0.share))}" }
  return "{\"lot\":\(lotJSON(t.lot)),\"sources\":\(lines(t.sources)),\"uses\":\(lines(t.uses)),\"origins\":[\(origins.joined(separator: ","))]}\n"
}

func verifyJSON(_ r: VerificationReport) -> String {
  let chains = r.chains.map {
    "{\"chain\":\(jsonString($0.chain)),\"records\":\($0.records),\"head_sequence\":\($0.headSequence),\"head_hash\":\(jsonString($0.headHash)),\"intact\":\($0.intact)}"
  }
  let problems = r.problems.map {
    "{\"kind\":\(jsonString($0.kind.rawValue)),\"chain\":\(jsonString($0.chain)),\"sequence\":\($0.sequence),\"event_id\":\(jsonString($0.eventID)),\"detail\":\(jsonString($0.detail))}"
  }
  return "{\"ok\":\(r.ok),\"chains\":[\(chains.joined(separator: ","))],\"problems\":[\(problems.joined(separator: ","))]}\n"
}

func recordsJSON(_ records: [EventRecord]) -> String {
  let chains = Dictionary(grouping: records, by: \.chain).sorted { $0.key < $1.key }.map { c, rs in
    "{\"chain\":\(jsonString(c)),\"events\":\(rs.count),\"head_sequence\":\(rs.map(\.sequence).max() ?? 0)}"
  }
  let rs = records.map { "{\"chain\":\(jsonString($0.chain)),\"sequence\":\($0.sequence),\"event_id\":\(jsonString($0.eventID)),\"hash\":\(jsonString($0.hash))}" }
  return "{\"recorded\":\(records.count),\"chains\":[\(chains.joined(separator: ","))],\"records\":[\(rs.joined(separator: ","))]}\n"
}

func reconcileJSON(_ rows: [ReconciliationRow]) -> String {
  "[" + rows.map { r in
    "{\"agreement\":\(jsonString(r.agreement)),\"period\":\(jsonString(r.period)),\"principal\":\(jsonString(r.principal)),\"processor\":\(jsonString(r.processor)),"
      + "\"shipped_kg\":\(num(r.shipped)),\"consumed_kg\":\(num(r.consumed)),\"in_process_kg\":\(num(r.inProcess)),\"expected_output_kg\":\(num(r.expectedOutput)),"
      + "\"made_kg\":\(num(r.made)),\"expected_return_kg\":\(num(r.expectedReturn)),\"returned_kg\":\(num(r.returned)),\"awaiting_return_kg\":\(num(r.awaitingReturn)),"
      + "\"expected_retained_kg\":\(num(r.expectedRetained)),\"retained_kg\":\(num(r.retained)),\"shortfall_kg\":\(num(r.shortfall)),\"status\":\(jsonString(r.status)),"
      + "\"lots\":[\(r.lots.map(jsonString).joined(separator: ","))]}"
  }.joined(separator: ",") + "]\n"
}

/// Percent-escapes a path segment (lot ids may hold ':' and '/').
func pathEscape(_ s: String) -> String {
  s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
}

func ledgerAPIHandlers(_ state: ServerState) -> [String: Handler] {
  var h: [String: Handler] = [:]
  h["GET /api/ledger/lots"] = { req, ctx in
    let lots = try await state.ledgerLots(try state.ledgerActor(req, ctx))
    return jsonResponse("[" + lots.map(lotJSON).joined(separator: ",") + "]\n")
  }
  h["GET /api/ledger/lots/:id/trace"] = { req, ctx in
    let id = (ctx.parameters.get("id") ?? "").removingPercentEncoding ?? ""
    return jsonResponse(traceJSON(try await state.ledgerTrace(id, try state.ledgerActor(req, ctx))))
  }
  h["GET /api/ledger/verify"] = { req, ctx in
    let actor = try state.ledgerActor(req, ctx)
    return jsonResponse(verifyJSON(try await state.ledgerCall { try await state.ledger.verify(as: actor) }))
  }
  h["POST /api/ledger/events"] = { req, ctx in
    let actor = try state.ledgerActor(req, ctx)
    let records = try await state.ledgerImport(try await state.body(req), source: "request body", actor)
    return jsonResponse(recordsJSON(records), status: .created)
  }
  h["GET /api/ledger/reconcile"] = { req, ctx in
    jsonResponse(reconcileJSON(try await state.ledgerReconcile(req, try state.ledgerActor(req, ctx))))
  }
  return h
}
