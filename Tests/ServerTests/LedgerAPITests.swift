import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Quantities
import NIOCore
import Reports
import Testing
import TestSupport
@testable import LodestoneServer

/// Tokens of the demo's organisations.
private let ledgerTokens: [String: (String, Role)] = [
  "irel-admin-token-0123456789": ("irel", .admin), "irel-viewer-token-0123456789": ("irel", .viewer),
  "irel-operator-token-0123456789": ("irel", .operator), "jp-viewer-token-0123456789": ("jp-partner", .viewer),
  "jp-operator-token-0123456789": ("jp-partner", .operator), "irel-auditor-token-0123456789": ("irel", .auditor),
]

private func bearer(_ token: String) -> HTTPFields {
  var h = HTTPFields()
  h[.authorization] = "Bearer \(token)"
  h[.contentType] = "application/json"
  return h
}

/// A server over a fresh data directory with the demo's tokens (or loopback without tokens).
private func ledgerState(tokens: Bool = true) async throws -> ServerState {
  var c = ServerConfig()
  c.port = 0
  c.requireTokenFlag = tokens
  if tokens { for (t, (org, role)) in ledgerTokens { c.tokens.add(token: t, organisation: org, role: role) } }
  c.dataDirectory = try temporaryDirectory("server-ledger").path
  return try await ServerState(config: c)
}

/// The demo document (Scenarios/ledger/irel-tolling-2026.json).
private func demoDocument() throws -> String {
  try String(contentsOf: packageRoot.appendingPathComponent("Scenarios/ledger/irel-tolling-2026.json"), encoding: .utf8)
}

private func json(_ r: TestResponse) -> Any? { try? JSONSerialization.jsonObject(with: Data(text(r).utf8)) }

@Suite struct LedgerAPITests {
  /// Importing the demo through the API, then tracing the June Indian-Australian magnet lot:
  /// the origin shares equal the Ledger library's for the same store and docs/ledger.md's hand
  /// numbers (Nd and Pr 89.19 % IN, 10.81 % AU, to the 0.01 % printed).
  @Test func importAndTraceMatchTheLibraryAndTheHandNumbers() async throws {
    let state = try await ledgerState()
    let doc = try demoDocument()
    let expectedEvents = try EPCIS.parseEvents(doc, source: "demo").count
    try await buildApplication(state: state).test(.router) { client in
      try await client.execute(uri: "/api/ledger/events", method: .post, headers: bearer("irel-admin-token-0123456789"), body: ByteBuffer(string: doc)) { r in
        #expect(r.status == .created, "\(text(r))")
        #expect((json(r) as? [String: Any])?["recorded"] as? Int == expectedEvents)
      }
      // The same document again: every event is a duplicate (409), nothing recorded twice.
      try await client.execute(uri: "/api/ledger/events", method: .post, headers: bearer("irel-admin-token-0123456789"), body: ByteBuffer(string: doc)) { r in
        #expect(r.status == .conflict, "\(text(r))")
      }
      let lot = "jp-mag-2027-06-irel"
      let library = try await state.ledger.trace(lot: lot, as: Actor(organisation: "irel", role: .viewer))
      try await client.execute(uri: "/api/ledger/lots/\(lot)/trace", method: .get, headers: bearer("irel-viewer-token-0123456789")) { r in
        #expect(r.status == .ok, "\(text(r))")
        let o = try #require(json(r) as? [String: Any])
        let origins = try #require(o["origins"] as? [[String: Any]])
        #expect(origins.count == library.origins.count)
        for (api, lib) in zip(origins, library.origins) {
          #expect(api["element"] as? String == lib.element.symbol && api["country"] as? String == lib.country)
          #expect(abs((api["share"] as? Double ?? -1) - lib.share) < 1e-9)
        }
        for el in ["Nd", "Pr"] {
          let inShare = origins.first { $0["element"] as? String == el && $0["country"] as? String == "IN" }?["share"] as? Double
          let auShare = origins.first { $0["element"] as? String == el && $0["country"] as? String == "AU" }?["share"] as? Double
          #expect(abs((inShare ?? 0) - 0.8919) < 0.00005, "\(el) IN")
          #expect(abs((auShare ?? 0) - 0.1081) < 0.00005, "\(el) AU")
        }
        let sources = (o["sources"] as? [[String: Any]] ?? []).compactMap { $0["lot"] as? String }
        #expect(sources == library.sources.map(\.lot) && !sources.isEmpty)
        let uses = (o["uses"] as? [[String: Any]] ?? []).compactMap { $0["lot"] as? String }
        #expect(uses == library.uses.map(\.lot))
      }
      // The lot page shows the same shares as the CLI's table (two decimals).
      try await client.execute(uri: "/ui/ledger/lots/\(lot)", method: .get, headers: bearer("irel-viewer-token-0123456789")) { r in
        #expect(r.status == .ok)
        let html = text(r)
        #expect(html.contains("<td>Nd</td><td>IN</td><td class=\"n\">89.19</td>"))
        #expect(html.contains("<td>Nd</td><td>AU</td><td class=\"n\">10.81</td>"))
        for s in library.sources where !s.withheld { #expect(html.contains(">\(s.lot)</a>")) }
      }
      // Verify (admin): every chain intact, as the library says.
      let report = try await state.ledger.verify(as: Actor(organisation: "irel", role: .admin))
      try await client.execute(uri: "/api/ledger/verify", method: .get, headers: bearer("irel-admin-token-0123456789")) { r in
        let o = try #require(json(r) as? [String: Any])
        #expect(o["ok"] as? Bool == true && report.ok)
        #expect((o["chains"] as? [[String: Any]])?.compactMap { $0["records"] as? Int } == report.chains.map(\.records))
      }
      // Reconcile 2027 equals docs/ledger.md's table (kg, to the 0.001 kg printed).
      try await client.execute(uri: "/api/ledger/reconcile?period=2027", method: .get, headers: bearer("irel-operator-token-0123456789")) { r in
        #expect(r.status == .ok, "\(text(r))")
        let row = try #require((json(r) as? [[String: Any]])?.first { $0["agreement"] as? String == "tolling-jp" })
        #expect(abs((row["shipped_kg"] as? Double ?? 0) - 198000.000) < 0.0005)
        #expect(abs((row["made_kg"] as? Double ?? 0) - 420595.000) < 0.0005)
        #expect(abs((row["shortfall_kg"] as? Double ?? 0) - 4483.990) < 0.0005)
        #expect(row["status"] as? String == "ok")
      }
      // An auditor's token verifies and reconciles but records nothing and starts no jobs.
      try await client.execute(uri: "/api/ledger/verify", method: .get, headers: bearer("irel-auditor-token-0123456789")) { r in
        #expect((json(r) as? [String: Any])?["ok"] as? Bool == true)
      }
      try await client.execute(uri: "/api/ledger/reconcile?period=2027", method: .get, headers: bearer("irel-auditor-token-0123456789")) { r in
        #expect(r.status == .ok)
      }
      try await client.execute(uri: "/api/ledger/events", method: .post, headers: bearer("irel-auditor-token-0123456789"), body: ByteBuffer(string: "{}")) { r in
        #expect(r.status == .forbidden)
      }
      try await client.execute(uri: "/api/jobs", method: .post, headers: bearer("irel-auditor-token-0123456789"), body: ByteBuffer(string: #"{"kind":"simulation"}"#)) { r in
        #expect(r.status == .forbidden)
      }
    }
  }

  /// A partner sees only lots it owns, holds or was consigned; IREL-only lots are absent from its
  /// list and their trace is 404 (like a missing lot), with the denial in the access log; recording
  /// for IREL's chain is 403.
  @Test func aPartnerCannotSeeIRELOnlyLots() async throws {
    let state = try await ledgerState()
    _ = try await state.ledger.record(try EPCIS.parseEvents(try demoDocument(), source: "demo"), as: Actor(organisation: "irel", role: .admin))
    // Every demo lot of IREL's goes to the partner; IREL keeps one back, recorded through the API.
    let own = #"{"type":"ObjectEvent","eventID":"irel-stock-01","eventTime":"2027-12-01T08:00:00Z","eventTimeZoneOffset":"+00:00","action":"ADD","bizStep":"commissioning","epcList":["urn:lodestone:lot:irel-stock-2027-12"],"lodestone:lots":[{"id":"urn:lodestone:lot:irel-stock-2027-12","material":"ndpr-oxide","quantity":500.0,"uom":"KGM","assay":{"Nd":0.681,"Pr":0.1703},"origin":"IN"}]}"#
    let app = try buildApplication(state: state)
    try await app.test(.router) { client in
      try await client.execute(uri: "/api/ledger/events", method: .post, headers: bearer("irel-operator-token-0123456789"), body: ByteBuffer(string: own)) { r in
        #expect(r.status == .created, "\(text(r))")
      }
    }
    let s = try await state.ledger.state()
    let irelOnly = s.lots.keys.filter { s.isVisible($0, to: "irel") && !s.isVisible($0, to: "jp-partner") }.sorted()
    let hidden = try #require(irelOnly.first)
    let partnerLots = s.lots.keys.filter { s.isVisible($0, to: "jp-partner") }.sorted()
    let shown = try #require(partnerLots.first)
    try await app.test(.router) { client in
      try await client.execute(uri: "/api/ledger/lots", method: .get, headers: bearer("jp-viewer-token-0123456789")) { r in
        let ids = (json(r) as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids == partnerLots && !ids.isEmpty)
        #expect(Set(ids).isDisjoint(with: irelOnly))
      }
      try await client.execute(uri: "/api/ledger/lots/\(hidden)/trace", method: .get, headers: bearer("jp-viewer-token-0123456789")) { r in
        #expect(r.status == .notFound)
        #expect((json(r) as? [String: Any])?["error"] as? String == "not-found")
      }
      try await client.execute(uri: "/ui/ledger", method: .get, headers: bearer("jp-viewer-token-0123456789")) { r in
        #expect(!text(r).contains(">\(hidden)</a>") && text(r).contains(">\(shown)</a>"))
      }
      let event = #"{"type":"ObjectEvent","eventID":"jp-forged-01","eventTime":"2027-12-01T08:00:00Z","eventTimeZoneOffset":"+00:00","action":"ADD","bizStep":"commissioning","lodestone:organisation":"irel","epcList":["urn:lodestone:lot:forged"],"lodestone:lots":[{"id":"urn:lodestone:lot:forged","material":"ndpr-oxide","quantity":10.0,"uom":"KGM","assay":{"Nd":0.681},"origin":"IN"}]}"#
      try await client.execute(uri: "/api/ledger/events", method: .post, headers: bearer("jp-operator-token-0123456789"), body: ByteBuffer(string: event)) { r in
        #expect(r.status == .forbidden, "\(text(r))")
        #expect((json(r) as? [String: Any])?["error"] as? String == "forbidden")
      }
    }
    let log = try await state.ledger.store.accessLog()
    #expect(log.contains { $0.organisation == "jp-partner" && $0.action == "trace" && $0.target == hidden && !$0.allowed })
    #expect(log.contains { $0.organisation == "jp-partner" && $0.action == "import" && !$0.allowed })
  }

  /// On loopback without tokens `?as=ORG:ROLE` picks the actor and the ledger's matrix applies
  /// (a viewer may not verify: 403, logged); with a token `?as=` is refused.
  @Test func loopbackActsAsTheNamedActor() async throws {
    let state = try await ledgerState(tokens: false)
    try await buildApplication(state: state).test(.router) { client in
      try await client.execute(uri: "/api/ledger/events?as=irel:admin", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: try demoDocument())) { r in
        #expect(r.status == .created, "\(text(r))")
      }
      try await client.execute(uri: "/api/ledger/verify?as=irel:viewer", method: .get) { r in
        #expect(r.status == .forbidden)
      }
      try await client.execute(uri: "/api/ledger/verify?as=irel:auditor", method: .get) { r in
        #expect((json(r) as? [String: Any])?["ok"] as? Bool == true)
      }
      try await client.execute(uri: "/api/ledger/lots?as=irel", method: .get) { r in #expect(r.status == .badRequest) }
    }
    let log = try await state.ledger.store.accessLog()
    #expect(log.contains { $0.organisation == "irel" && $0.role == "viewer" && $0.action == "verify" && !$0.allowed })
    #expect(log.contains { $0.organisation == "irel" && $0.role == "auditor" && $0.action == "verify" && $0.allowed })
    let tokenState = try await ledgerState()
    try await buildApplication(state: tokenState).test(.router) { client in
      try await client.execute(uri: "/api/ledger/lots?as=irel:admin", method: .get, headers: bearer("jp-viewer-token-0123456789")) { r in
        #expect(r.status == .badRequest)
      }
    }
  }
}

@Suite(.enabled(if: chromiumBinary() != nil || chromiumRequired, "chromium not installed"))
struct LedgerPageChromiumTests {
  /// The lot page in a real browser shows the library's origin shares and the sources' lots.
  @Test func lotPageRendersTheLibrarysGenealogy() async throws {
    #expect(chromiumBinary() != nil, "LODESTONE_REQUIRE_CHROMIUM=1 but no chromium binary")
    try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
    let state = try await ledgerState(tokens: false)
    _ = try await state.ledger.record(try EPCIS.parseEvents(try demoDocument(), source: "demo"), as: Actor(organisation: "irel", role: .admin))
    let lot = "jp-mag-2027-06-irel"
    let library = try await state.ledger.trace(lot: lot, as: Actor(organisation: "irel", role: .viewer))
    try await buildApplication(state: state).test(.live) { client in
      let port = try #require(client.port)
      let url = "http://127.0.0.1:\(port)/ui/ledger/lots/\(lot)?as=irel:viewer"
      let dom = try await chromium(["--dump-dom", url])
      let origins = dom.components(separatedBy: "id=\"origins\"").last ?? ""
      #expect(!library.origins.isEmpty)
      for o in library.origins {
        #expect(origins.contains("<td>\(o.element.symbol)</td><td>\(o.country)</td><td class=\"n\">\(fixedFormat(o.share * 100, decimals: 2))</td>"))
      }
      let sources = (dom.components(separatedBy: "id=\"sources\"").last ?? "").components(separatedBy: "id=\"uses\"").first ?? ""
      for s in library.sources where !s.withheld { #expect(sources.contains(">\(s.lot)</a>"), "source \(s.lot)") }
      _ = try await chromium(["--screenshot=\(artefacts.appendingPathComponent("ledger-lot.png").path)", url])
    }
  }
}
