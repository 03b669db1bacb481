import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import Testing
@testable import LodestoneServer

/// One token per role, for tests.
let roleTokens: [Role: String] = [
  .viewer: "viewer-token-0123456789", .operator: "operator-token-0123456789", .auditor: "auditor-token-0123456789", .admin: "admin-token-0123456789",
]

func makeState(requireToken: Bool = true, maxBody: Int = 1 << 20, timeout: Double = 120, data: String? = nil) async throws -> ServerState {
  var c = ServerConfig()
  c.requireTokenFlag = requireToken
  c.port = 0
  for (r, t) in roleTokens { c.tokens.add(token: t, organisation: "org-\(r.rawValue)", role: r) }
  c.maxBodyBytes = maxBody
  c.jobTimeout = timeout
  c.dataDirectory = data
  return try await ServerState(config: c)
}

func headers(_ role: Role?, json: Bool = true) -> HTTPFields {
  var h = HTTPFields()
  if let role, let t = roleTokens[role] { h[.authorization] = "Bearer \(t)" }
  if json { h[.contentType] = "application/json" }
  return h
}

func text(_ r: TestResponse) -> String { String(buffer: r.body) }

func jsonObject(_ r: TestResponse) -> [String: Any]? {
  (try? JSONSerialization.jsonObject(with: Data(text(r).utf8))) as? [String: Any]
}

/// Polls a job until it has finished (or `seconds` pass); returns its final status document.
func waitForJob(_ client: some TestClientProtocol, _ id: String, seconds: Double = 120) async throws -> [String: Any] {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    let s = try await client.execute(uri: "/api/jobs/\(id)", method: .get, headers: headers(.viewer)) { jsonObject($0) ?? [:] }
    if let state = s["state"] as? String, !["queued", "running"].contains(state) { return s }
    try await Task.sleep(for: .milliseconds(100))
  }
  return [:]
}

/// Starts a job through the API and returns its id.
func startJob(_ client: some TestClientProtocol, _ body: String) async throws -> String {
  try await client.execute(uri: "/api/jobs", method: .post, headers: headers(.operator), body: ByteBuffer(string: body)) { r in
    #expect(r.status == .accepted, "\(text(r))")
    return (jsonObject(r)?["id"] as? String) ?? ""
  }
}

/// A concrete URI for a route pattern (parameters filled with names that do not exist).
func sampleURI(_ spec: RouteSpec) -> String {
  spec.path.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? "zz-none" : String($0) }.joined(separator: "/")
}
