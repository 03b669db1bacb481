import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Simulation
import Testing
import TestSupport
@testable import LodestoneServer

/// A small JSON Schema checker for the subset the OpenAPI document uses
/// (type, required, properties, additionalProperties: false, enum, pattern, minimum, maximum, exclusiveMinimum).
func schemaErrors(_ value: Any?, _ schema: [String: Any], path: String = "$") -> [String] {
  var errs: [String] = []
  let types: [String] = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
  func isType(_ t: String) -> Bool {
    switch t {
    case "object": return value is [String: Any]
    case "string": return value is String
    case "integer": return (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } ?? false
    case "number": return value is NSNumber
    case "null": return value == nil || value is NSNull
    default: return false
    }
  }
  if !types.isEmpty, !types.contains(where: isType) { return ["\(path): expected \(types), got \(String(describing: value))"] }
  if let e = schema["enum"] as? [String], let s = value as? String, !e.contains(s) { errs.append("\(path): \(s) not in \(e)") }
  if let p = schema["pattern"] as? String, let s = value as? String, s.range(of: p, options: .regularExpression) == nil { errs.append("\(path): \(s) does not match \(p)") }
  if let n = (value as? NSNumber)?.doubleValue {
    if let m = schema["minimum"] as? Double, n < m { errs.append("\(path): below minimum") }
    if let m = schema["maximum"] as? Double, n > m { errs.append("\(path): above maximum") }
    if let m = schema["exclusiveMinimum"] as? Double, n <= m { errs.append("\(path): not above exclusiveMinimum") }
  }
  if let o = value as? [String: Any] {
    for r in schema["required"] as? [String] ?? [] where o[r] == nil { errs.append("\(path): missing \(r)") }
    let props = schema["properties"] as? [String: [String: Any]] ?? [:]
    for (k, v) in o {
      if let ps = props[k] { errs += schemaErrors(v is NSNull ? nil : v, ps, path: path + "." + k) } else if schema["additionalProperties"] as? Bool == false { errs.append("\(path): unexpected \(k)") }
    }
  }
  return errs
}

@Suite struct OpenAPITests {
  let doc = (try? JSONSerialization.jsonObject(with: Data(openAPIDocument.utf8))) as? [String: Any] ?? [:]

  @Test func everyRouteIsDocumentedAndEveryDocumentedPathExists() throws {
    #expect(doc["openapi"] as? String == "3.1.0")
    let paths = try #require(doc["paths"] as? [String: [String: Any]])
    let documented = Set(paths.flatMap { p, ops in ops.keys.map { "\($0.uppercased()) \(p)" } })
    let routed = Set(routeTable.map { "\($0.method.rawValue) \($0.openAPIPath)" })
    #expect(documented.subtracting(routed).sorted() == [], "documented but not routed")
    #expect(routed.subtracting(documented).sorted() == [], "routed but not documented")
    // The documented roles are the route's (an empty list: public).
    for spec in routeTable {
      let op = paths[spec.openAPIPath]?[spec.method.rawValue.lowercased()] as? [String: Any]
      #expect(op?["x-roles"] as? [String] == (spec.roles?.map(\.rawValue) ?? []), "\(spec.key)")
    }
  }

  @Test func examplesValidateAndAreAccepted() async throws {
    let paths = try #require(doc["paths"] as? [String: [String: Any]])
    let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
    var examples: [(String, String, Any)] = []
    for (p, ops) in paths {
      for (m, op) in ops {
        guard let content = ((op as? [String: Any])?["requestBody"] as? [String: Any])?["content"] as? [String: Any],
          let json = content["application/json"] as? [String: Any]
        else { continue }
        let ref = ((json["schema"] as? [String: Any])?["$ref"] as? String ?? "").split(separator: "/").last.map(String.init) ?? ""
        let schema = try #require(schemas[ref], "\(m) \(p) schema \(ref)")
        let example = try #require(json["example"], "\(m) \(p) has no example")
        #expect(schemaErrors(example, schema) == [], "\(m) \(p)")
        examples.append((m.uppercased(), p, example))
      }
    }
    #expect(examples.count >= 7)
    // Wrong bodies fail the checker (it can fail).
    #expect(!schemaErrors(["kind": "nope"], schemas["JobRequest"] ?? [:]).isEmpty)
    #expect(!schemaErrors(["formula": 3], schemas["ChemMass"] ?? [:]).isEmpty)
    // The server accepts each example (the scenario one is a placeholder text, refused as 422 with diagnostics).
    let bodies = try examples.map { ($0.0, $0.1, try JSONSerialization.data(withJSONObject: $0.2)) }
    let app = try buildApplication(state: try await makeState())
    try await app.test(.router) { client in
      for (m, p, body) in bodies {
        try await client.execute(uri: p, method: .init(m) ?? .post, headers: headers(.admin), body: ByteBuffer(bytes: body)) { r in
          if p == "/api/scenarios" { #expect(r.status == .unprocessableContent) } else { #expect(r.status.code < 300, "\(m) \(p): \(text(r))") }
        }
      }
    }
  }
}

@Suite struct FuzzTests {
  /// Thousands of seeded mutations of valid bodies: every answer is a JSON 2xx/4xx (never 5xx), and the server keeps answering.
  @Test func mutatedBodiesNeverBreakTheServer() async throws {
    let valid: [(String, String)] = [
      ("/api/chem/mass", #"{"formula":"Nd2Fe14B"}"#),
      ("/api/chem/convert", #"{"amount":"450 t Nd2O3","to":"Nd","unit":"kg"}"#),
      ("/api/magnets/check", #"{"temperature":"150","pc":2,"opposing_field":"300 kA/m","grade":"N42SH"}"#),
      ("/api/qc/chart", #"{"csv":"lot,Br [T]\nL1,1.30\nL1,1.31\nL2,1.29\nL2,1.30\nL3,1.31\nL3,1.32\n","property":"Br","chart":"xbar-r"}"#),
      ("/api/scenarios/validate", #"{"yaml":"schema-version: 1\nname: tiny\nstart: 2026-01\nmonths: 2\n"}"#),
      ("/api/jobs", #"{"kind":"cascade","feed":"Pr:25,Nd:75","cut":"Pr|Nd","purity":"99%"}"#),
      ("/api/ledger/events", #"{"type":"ObjectEvent","eventID":"fz-1","eventTime":"2027-01-02T08:00:00Z","eventTimeZoneOffset":"+00:00","action":"ADD","bizStep":"commissioning","epcList":["urn:lodestone:lot:fz-1"],"lodestone:lots":[{"id":"urn:lodestone:lot:fz-1","material":"ndpr-oxide","quantity":1000.0,"uom":"KGM","assay":{"Nd":0.681,"Pr":0.1703},"origin":"IN"}]}"#),
    ]
    let alphabet = Array(#"{}[]":,0123456789-.eE \ntruefalsnul\u{0}ÿ€Nd|%"#.unicodeScalars)
    var rng = SplitMix64(seed: 20_261_123)
    var cases: [(String, String)] = []
    for i in 0..<2400 {
      let (path, body) = valid[i % valid.count]
      var s = Array(body.unicodeScalars)
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let k = Int.random(in: 0..<max(1, s.count), using: &rng)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0 where !s.isEmpty: s.remove(at: k)
        case 1: s.insert(alphabet.randomElement(using: &rng) ?? "x", at: min(k, s.count))
        case 2 where !s.isEmpty: s[k] = alphabet.randomElement(using: &rng) ?? "x"
        default: s = Array(s.prefix(k))
        }
      }
      var text = ""
      text.unicodeScalars.append(contentsOf: s)
      cases.append((path, text))
    }
    let inputs = cases
    let app = try buildApplication(state: try await makeState())
    let statuses = try await app.test(.router) { client -> [Int: Int] in
      var statuses: [Int: Int] = [:]
      for (path, text) in inputs {
        let status = try await client.execute(uri: path, method: .post, headers: headers(.operator), body: ByteBuffer(string: text)) { r -> Int in
          if r.status.code >= 300 { #expect(jsonObject(r)?["error"] is String, "\(path) \(text.debugDescription) → \(r.status)") }
          return r.status.code
        }
        #expect(status < 500, "\(path) \(text.debugDescription)")
        statuses[status, default: 0] += 1
      }
      try await client.execute(uri: "/health", method: .get) { r in #expect(r.status == .ok) }
      return statuses
    }
    #expect((statuses[400] ?? 0) > 100)
    #expect((statuses[200] ?? 0) + (statuses[202] ?? 0) > 100)
  }
}
