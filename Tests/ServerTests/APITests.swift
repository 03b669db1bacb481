import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import Quantities
import Reports
import Risk
import ScenarioFormat
import Simulation
import Testing
import TestSupport
@testable import LodestoneServer

@Suite struct APITests {
  @Test func healthIsPublicAndEverythingElseNeedsAToken() async throws {
    let app = try buildApplication(state: try await makeState())
    try await app.test(.router) { client in
      try await client.execute(uri: "/health", method: .get) { r in
        #expect(r.status == .ok)
        #expect(jsonObject(r)?["status"] as? String == "ok")
      }
      try await client.execute(uri: "/api/scenarios", method: .get) { r in
        #expect(r.status == .unauthorized)
        #expect(jsonObject(r)?["error"] as? String == "unauthorized")
      }
      var bad = HTTPFields()
      bad[.authorization] = "Bearer not-a-real-token-at-all"
      try await client.execute(uri: "/api/scenarios", method: .get, headers: bad) { r in #expect(r.status == .unauthorized) }
    }
  }

  /// Every route × every role, derived from the route table: no token → 401 (except public routes),
  /// a role below the route's → 403, otherwise neither.
  @Test func authorisationForEveryRouteAndRole() async throws {
    let app = try buildApplication(state: try await makeState())
    try await app.test(.router) { client in
      for spec in routeTable {
        for role in [nil] + Role.allCases.map(Optional.some) {
          let isForm = spec.path.hasPrefix("/ui") || spec.path == "/"
          let body = spec.method == .post ? ByteBuffer(string: isForm ? "kind=none" : "{}") : nil
          var h = headers(role, json: !isForm)
          if isForm { h[.contentType] = "application/x-www-form-urlencoded" }
          let status = try await client.execute(uri: sampleURI(spec), method: spec.method, headers: h, body: body) { $0.status }
          switch (spec.roles, role) {
          case (nil, _): #expect(status != .unauthorized && status != .forbidden, "\(spec.key) as \(role?.rawValue ?? "nobody")")
          case (.some, nil): #expect(status == .unauthorized, "\(spec.key) without a token gave \(status)")
          case let (.some(allowed), .some(r)):
            if !allowed.contains(r) {
              #expect(status == .forbidden, "\(spec.key) as \(r) gave \(status)")
            } else {
              #expect(status != .forbidden && status != .unauthorized && status.code < 500, "\(spec.key) as \(r) gave \(status)")
            }
          }
        }
      }
    }
  }

  @Test func chemistryMatchesHandCalculation() async throws {
    let app = try buildApplication(state: try await makeState())
    try await app.test(.router) { client in
      // Nd2Fe14B: 2 × 144.242 + 14 × 55.845 + 10.81 = 1081.124 g/mol (IUPAC standard/conventional weights).
      try await client.execute(uri: "/api/chem/mass", method: .post, headers: headers(.viewer), body: ByteBuffer(string: #"{"formula":"Nd2Fe14B"}"#)) { r in
        #expect(r.status == .ok)
        let m = jsonObject(r)?["molar_mass_g_per_mol"] as? Double ?? 0
        #expect(approx(m, 1081.124, abs: 0.01))
      }
      // 450 t Nd2O3 × 288.484 / 336.481 = 385.81 t Nd (O 15.999).
      try await client.execute(uri: "/api/chem/convert", method: .post, headers: headers(.viewer), body: ByteBuffer(string: #"{"amount":"450 t Nd2O3","to":"Nd"}"#)) { r in
        #expect(r.status == .ok)
        #expect(approx(jsonObject(r)?["value"] as? Double ?? 0, 450 * 288.484 / 336.481, rel: 1e-4))
      }
      try await client.execute(uri: "/api/chem/mass", method: .post, headers: headers(.viewer), body: ByteBuffer(string: #"{"formula":"Xx2O3"}"#)) { r in
        #expect(r.status == .unprocessableContent)
        #expect(jsonObject(r)?["error"] as? String == "invalid-formula")
      }
    }
  }

  @Test func validationReportsLineAndColumn() async throws {
    let app = try buildApplication(state: try await makeState())
    // Break one quantity of the India scenario: the unit on that line becomes unknown.
    let lines = BuiltinScenarios.india2026.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let target = try #require(lines.firstIndex { $0.hasPrefix("    capacity: ") && $0.hasSuffix(" t/yr") })
    var broken = lines
    broken[target] = broken[target].replacingOccurrences(of: " t/yr", with: " tonnes-per-fortnight")
    let body = "{\"yaml\":\(jsonString(broken.joined(separator: "\n")))}"
    try await app.test(.router) { client in
      try await client.execute(uri: "/api/scenarios/validate", method: .post, headers: headers(.viewer), body: ByteBuffer(string: body)) { r in
        #expect(r.status == .ok)
        let o = try #require(jsonObject(r))
        #expect(o["valid"] as? Bool == false)
        let diags = o["diagnostics"] as? [[String: Any]] ?? []
        let lines = diags.compactMap { ($0["location"] as? [String: Any])?["line"] as? Int }
        #expect(lines.contains(target + 1), "diagnostics at lines \(lines), expected \(target + 1)")
      }
    }
  }

  @Test func simulationJobEqualsTheLibrarysRun() async throws {
    let app = try buildApplication(state: try await makeState())
    let (s, _) = ScenarioDecoder().decode(text: BuiltinScenarios.india2026, file: "india-2026.yaml", variant: "long-ban")
    let scenario = try #require(s)
    let expected = RunReport(scenario: scenario, result: try SimulationEngine(scenario: scenario).run(variant: "long-ban")).json()
    try await app.test(.router) { client in
      let id = try await startJob(client, #"{"kind":"simulation","scenario":"india-2026","variant":"long-ban"}"#)
      let status = try await waitForJob(client, id)
      #expect(status["state"] as? String == "succeeded")
      #expect(status["progress"] as? Double == 1)
      try await client.execute(uri: "/api/jobs/\(id)/result", method: .get, headers: headers(.viewer)) { r in
        #expect(r.status == .ok)
        #expect(text(r) == expected)
      }
      try await client.execute(uri: "/api/jobs/\(id)/charts/sankey", method: .get, headers: headers(.viewer)) { r in
        #expect(r.headers[.contentType] == "image/svg+xml")
        #expect(text(r).hasPrefix("<svg"))
      }
      try await client.execute(uri: "/api/jobs", method: .post, headers: headers(.operator), body: ByteBuffer(string: #"{"kind":"simulation","variant":"no-such"}"#)) { r in
        #expect(r.status == .badRequest)
        #expect((jsonObject(r)?["message"] as? String)?.contains("long-ban") == true)
      }
    }
  }

  @Test func monteCarloInChunksEqualsOneLibraryRun() async throws {
    let app = try buildApplication(state: try await makeState())
    let (s, _) = ScenarioDecoder().decode(text: BuiltinScenarios.india2026, file: "india-2026.yaml", variant: "licence-freeze")
    let scenario = try #require(s)
    let spec = try UncertaintyDecoder().decode(text: indiaLicenceFreezeUncertainty, file: "uncertainty")
    let study = RiskStudy(base: scenario, spec: spec, seed: 7, horizon: nil)
    let partial = try MonteCarlo(study: study, threads: 1).run(MonteCarlo.replications(runs: 120))
    let expected = RiskReport.summaryTable(partial, confidence: 0.9, title: "t").rows
    try await app.test(.router) { client in
      let id = try await startJob(client, #"{"kind":"montecarlo","variant":"licence-freeze","runs":120,"seed":7}"#)
      #expect(try await waitForJob(client, id)["state"] as? String == "succeeded")
      try await client.execute(uri: "/api/jobs/\(id)/result", method: .get, headers: headers(.viewer)) { r in
        let rows = ((jsonObject(r)?["tables"] as? [String: Any])?["summary"] as? [[String: Any]]) ?? []
        #expect(rows.count == expected.count)
        for (row, want) in zip(rows, expected) {
          #expect(row["kpi"] as? String == want[0])
          #expect("\(row["mean"] ?? "")" == want[3] || approx(Double("\(row["mean"] ?? "")") ?? .nan, Double(want[3]) ?? .nan, rel: 1e-12), "\(want[0])")
        }
      }
    }
  }

  @Test func cancelStopsMonteCarlo() async throws {
    let app = try buildApplication(state: try await makeState(timeout: 600))
    try await app.test(.router) { client in
      let a = try await startJob(client, #"{"kind":"montecarlo","variant":"licence-freeze","runs":100000}"#)
      try await client.execute(uri: "/api/jobs/\(a)", method: .delete, headers: headers(.operator)) { r in
        #expect(jsonObject(r)?["state"] as? String == "cancelled")
      }
      try await client.execute(uri: "/api/jobs/\(a)/result", method: .get, headers: headers(.viewer)) { r in #expect(r.status == .conflict) }
    }
  }

  @Test func timeLimitStopsMonteCarloWhileTheServerAnswers() async throws {
    let app = try buildApplication(state: try await makeState(timeout: 1.5))
    try await app.test(.router) { client in
      let b = try await startJob(client, #"{"kind":"montecarlo","variant":"licence-freeze","runs":100000}"#)
      try await client.execute(uri: "/health", method: .get) { r in #expect(r.status == .ok) }
      let status = try await waitForJob(client, b, seconds: 60)
      #expect(status["state"] as? String == "timed-out")
      try await client.execute(uri: "/api/jobs/\(b)/result", method: .get, headers: headers(.viewer)) { r in #expect(r.status == .conflict) }
    }
  }

  @Test func bodyLimitAndMalformedBodies() async throws {
    let app = try buildApplication(state: try await makeState(maxBody: 1000))
    try await app.test(.router) { client in
      let big = "{\"formula\":\"" + String(repeating: "H", count: 2000) + "\"}"
      try await client.execute(uri: "/api/chem/mass", method: .post, headers: headers(.viewer), body: ByteBuffer(string: big)) { r in
        #expect(r.status == .contentTooLarge)
        #expect(jsonObject(r)?["error"] as? String == "too-large")
      }
      for bad in ["", "{", "[1,2]", "{\"formula\":3}", "null", "\u{0}\u{1}"] {
        try await client.execute(uri: "/api/chem/mass", method: .post, headers: headers(.viewer), body: ByteBuffer(string: bad)) { r in
          #expect(r.status == .badRequest, "body \(bad.debugDescription)")
          #expect(jsonObject(r)?["message"] is String)
        }
      }
    }
  }

  @Test func noRequestReachesFilesOutsideTheDataDirectory() async throws {
    let dir = try temporaryDirectory("server-data")
    let app = try buildApplication(state: try await makeState(data: dir.path))
    try await app.test(.router) { client in
      for uri in ["/api/scenarios/..%2F..%2Fetc%2Fpasswd", "/api/scenarios/../../etc/passwd", "/api/scenarios/%2e%2e", "/ui/scenarios/..%2Fsecret"] {
        try await client.execute(uri: uri, method: .get, headers: headers(.admin)) { r in
          #expect(r.status == .notFound, "\(uri) gave \(r.status)")
        }
      }
      for name in ["../escape", "a/b", "..", "UPPER", ""] {
        let body = "{\"name\":\(jsonString(name)),\"yaml\":\(jsonString(BuiltinScenarios.india2026))}"
        try await client.execute(uri: "/api/scenarios", method: .post, headers: headers(.operator), body: ByteBuffer(string: body)) { r in
          #expect(r.status == .badRequest, "name \(name.debugDescription) gave \(r.status)")
        }
      }
      let body = "{\"name\":\"india-copy\",\"yaml\":\(jsonString(BuiltinScenarios.india2026))}"
      try await client.execute(uri: "/api/scenarios", method: .post, headers: headers(.operator), body: ByteBuffer(string: body)) { r in #expect(r.status == .created) }
    }
    let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path).sorted()
    #expect(files.allSatisfy { $0.hasPrefix("lodestone.db") }, "\(files)")
    // The stored scenario survives a restart (a new server on the same --data).
    let again = try await makeState(data: dir.path)
    #expect(await again.scenarios.get("india-copy")?.yaml == BuiltinScenarios.india2026)
    #expect(!FileManager.default.fileExists(atPath: dir.deletingLastPathComponent().appendingPathComponent("escape.yaml").path))
  }

  @Test func runResultsOutliveTheProcessInTheLedgerStore() async throws {
    let dir = try temporaryDirectory("server-history")
    let first = try await makeState(data: dir.path)
    let (id, result) = try await buildApplication(state: first).test(.router) { client -> (String, String) in
      let id = try await startJob(client, #"{"kind":"cascade","feed":"Pr:25,Nd:75","cut":"Pr|Nd","purity":"99%"}"#)
      #expect(try await waitForJob(client, id)["state"] as? String == "succeeded")
      try await Task.sleep(for: .milliseconds(500))  // the history write is asynchronous
      return (id, try await client.execute(uri: "/api/jobs/\(id)/result", method: .get, headers: headers(.viewer)) { text($0) })
    }
    let second = try await makeState(data: dir.path)
    try await buildApplication(state: second).test(.router) { client in
      try await client.execute(uri: "/api/jobs/\(id)/result", method: .get, headers: headers(.viewer)) { r in
        #expect(r.status == .ok)
        let a = try JSONSerialization.jsonObject(with: Data(text(r).utf8)) as? NSDictionary
        let b = try JSONSerialization.jsonObject(with: Data(result.utf8)) as? NSDictionary
        #expect(a != nil && a == b)
      }
      // New jobs do not reuse the old id.
      let next = try await startJob(client, #"{"kind":"cascade"}"#)
      #expect(next > id)
    }
  }

  @Test func qcChartMatchesQcc() async throws {
    let app = try buildApplication(state: try await makeState())
    // qcc's X̄-R chart of the first 25 piston-ring samples (Tests/Fixtures/qc/qcc-reference.csv):
    // centre 74.001176, UCL 74.014304.
    let csv = try fixtureText("qc/pistonrings.csv").split(separator: "\n").prefix(126).joined(separator: "\n") + "\n"
    let body = "{\"csv\":\(jsonString(csv)),\"property\":\"diameter\",\"chart\":\"xbar-r\"}"
    try await app.test(.router) { client in
      try await client.execute(uri: "/api/qc/chart", method: .post, headers: headers(.viewer), body: ByteBuffer(string: body)) { r in
        #expect(r.status == .ok, "\(text(r))")
        let rows = jsonObject(r)?["rows"] as? [[String: Any]] ?? []
        #expect(rows.count == 25)
        let cl = Double("\(rows.first?["mean_cl"] ?? "")") ?? 0, ucl = Double("\(rows.first?["mean_ucl"] ?? "")") ?? 0
        #expect(approx(cl, 74.001176, rel: 1e-6))
        #expect(approx(ucl, 74.014304, rel: 1e-6))
      }
    }
  }

  @Test func tokenFileErrorsAreLocated() throws {
    #expect(throws: TokenFileError(file: "t", line: 2, column: 21, message: "expected ORGANISATION:ROLE with ROLE one of viewer, operator, auditor, admin; got 'irel:boss'")) {
      _ = try TokenTable(text: "# tokens\n  0123456789abcdef0 irel:boss\n", file: "t")
    }
    let t = try TokenTable(text: "0123456789abcdef0 irel:operator # ok\nsha256:\(RecordHash.sha256("another-token-here")) ministry:viewer\n", file: "t")
    #expect(t.identity(forToken: "0123456789abcdef0")?.role == .operator)
    #expect(t.identity(forToken: "another-token-here")?.organisation == "ministry")
    // FIPS 180-2 test vector.
    #expect(RecordHash.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func embeddedUncertaintyEqualsTheFile() throws {
    let file = try String(contentsOf: packageRoot.appendingPathComponent("Scenarios/uncertainty/india-2026-licence-freeze.yaml"), encoding: .utf8)
    #expect(indiaLicenceFreezeUncertainty == file)
  }

  @Test func metricsCountRequests() async throws {
    let app = try buildApplication(state: try await makeState())
    try await app.test(.router) { client in
      for _ in 0..<3 { try await client.execute(uri: "/health", method: .get) { _ in } }
      try await client.execute(uri: "/metrics", method: .get, headers: headers(.viewer)) { r in
        let line = text(r).split(separator: "\n").first { $0.hasPrefix("lodestone_http_requests_total") && $0.contains("route=\"/health\"") }
        #expect(line.map { $0.hasSuffix(" 3") } == true, "\(line ?? "none")")
      }
    }
  }

  @Test func liveSocket() async throws {
    let app = try buildApplication(state: try await makeState())
    try await app.test(.live) { client in
      #expect(client.port != nil)
      try await client.execute(uri: "/health", method: .get) { r in #expect(r.status == .ok) }
      try await client.execute(uri: "/api/chem/mass", method: .post, headers: headers(.viewer), body: ByteBuffer(string: #"{"formula":"Dy2O3"}"#)) { r in
        // 2 × 162.500 + 3 × 15.999 = 372.997 g/mol.
        #expect(approx(jsonObject(r)?["molar_mass_g_per_mol"] as? Double ?? 0, 372.997, abs: 0.01))
      }
    }
  }
}
