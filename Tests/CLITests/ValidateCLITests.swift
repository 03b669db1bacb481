import Foundation
import Testing
import TestSupport

/// `lodestone validate` and `lodestone schema`, run as the built binary.
@Suite struct ValidateCLI {
  let fixtures = fixtureURL("")

  /// The summary row for `file`, split into its cells (file, errors, warnings, status).
  func summary(_ out: String, _ file: String) -> [String] {
    out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }.first { $0.first == file } ?? []
  }

  @Test func validFilesExitZero() throws {
    let r = try runLodestone(["validate", "valid/minimal.yaml", "valid/small-chain.yaml"], in: fixtures)
    #expect(r.status == 0, "\(r.stderr)")
    // The summary table: one row per file, no errors, no warnings.
    #expect(summary(r.stdout, "valid/minimal.yaml") == ["valid/minimal.yaml", "0", "0", "ok"])
    #expect(summary(r.stdout, "valid/small-chain.yaml") == ["valid/small-chain.yaml", "0", "0", "ok"])
  }

  @Test func errorsExit65WithLocationExcerptAndCaret() throws {
    let r = try runLodestone(["validate", "invalid/bad-quantity.yaml"], in: fixtures)
    #expect(r.status == 65)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "invalid/bad-quantity.yaml:21:15: error[bad-quantity]: Process 'reduction' capacity: Expected a mass rate (e.g. 450 t/yr); got '500'.")
    #expect(lines.count > 2 && lines[1] == "   21 |     capacity: 500" && lines[2] == "      |               ^")
    #expect(summary(r.stdout, "invalid/bad-quantity.yaml") == ["invalid/bad-quantity.yaml", "1", "0", "invalid"])
  }

  @Test func unknownNamesListValidChoices() throws {
    let r = try runLodestone(["validate", "invalid/bad-enum.yaml"], in: fixtures)
    #expect(r.status == 65)
    #expect(r.stdout.contains("invalid/bad-enum.yaml:7:11: error[bad-enum]"))
    #expect(r.stdout.contains("  valid choices: 'oxide', 'ore', "))
  }

  @Test func warningsPassUnlessStrict() throws {
    let plain = try runLodestone(["validate", "invalid/no-route.yaml"], in: fixtures)
    #expect(plain.status == 0)
    #expect(plain.stdout.contains("invalid/no-route.yaml:27:16: warning[no-route]"))
    let strict = try runLodestone(["validate", "--strict", "invalid/no-route.yaml"], in: fixtures)
    #expect(strict.status == 65)
    #expect(strict.stdout.contains("invalid/no-route.yaml:27:16: error[no-route]"))
  }

  @Test func variantOptionAndUnknownVariant() throws {
    let ok = try runLodestone(["validate", "valid/small-chain.yaml", "--variant", "long-ban"], in: fixtures)
    #expect(ok.status == 0)
    let bad = try runLodestone(["validate", "invalid/unknown-variant.yaml", "--variant", "lnog"], in: fixtures)
    #expect(bad.status == 65)
    #expect(bad.stdout.contains("invalid/unknown-variant.yaml:25:1: error[unknown-variant]: Variant 'lnog' is not defined. Known variants: 'long'."))
  }

  @Test func jsonAndCSVCarryTheSameRows() throws {
    let json = try runLodestone(["validate", "invalid/unknown-reference.yaml", "--format", "json"], in: fixtures)
    #expect(json.status == 65)
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(rows.count == 1)
    #expect(rows.first?["line"] as? Int == 19 && rows.first?["column"] as? Int == 11)
    #expect(rows.first?["code"] as? String == "unknown-reference" && rows.first?["alternatives"] as? String == "plant")
    let csv = try runLodestone(["validate", "invalid/unknown-reference.yaml", "--format", "csv"], in: fixtures)
    #expect(csv.status == 65)
    #expect(csv.stdout == """
      file,line,column,severity,code,message,alternatives
      invalid/unknown-reference.yaml,19,11,error,unknown-reference,Unknown site 'plnt'. Known sites: 'plant'.,plant

      """)
  }

  @Test func everyFileIsReportedAndAnyErrorFails() throws {
    let r = try runLodestone(["validate", "valid/minimal.yaml", "invalid/bad-month.yaml", "invalid/bad-formula.yaml"], in: fixtures)
    #expect(r.status == 65)
    #expect(r.stdout.contains("invalid/bad-month.yaml:3:8: error[bad-month]"))
    #expect(r.stdout.contains("invalid/bad-formula.yaml:8:17: error[bad-formula]"))
    #expect(summary(r.stdout, "valid/minimal.yaml") == ["valid/minimal.yaml", "0", "0", "ok"])
    #expect(summary(r.stdout, "invalid/bad-month.yaml") == ["invalid/bad-month.yaml", "1", "0", "invalid"])
  }

  @Test func missingFileIsDataErrorAndNoFileIsUsage() throws {
    let missing = try runLodestone(["validate", "no-such.yaml"], in: fixtures)
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("File 'no-such.yaml' does not exist."))
    let none = try runLodestone(["validate"], in: fixtures)
    #expect(none.status == 64)
    let badFormat = try runLodestone(["validate", "valid/minimal.yaml", "--format", "xml"], in: fixtures)
    #expect(badFormat.status == 64)
  }

  @Test func schemaPrintsJSONSchema() throws {
    let r = try runLodestone(["schema"])
    #expect(r.status == 0)
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(obj["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    #expect((obj["required"] as? [String])?.contains("schema-version") == true)
    let table = try runLodestone(["schema", "--format", "csv"])
    #expect(table.status == 0 && table.stdout.hasPrefix("section,key,required,description\n"))
    #expect(table.stdout.contains("process,capacity,yes,"))
  }

  static let hasJSONSchema: Bool = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import jsonschema, yaml"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }()

  /// An independent check of the schema: Python's jsonschema (Draft 2020-12) validates the valid
  /// fixtures and the spec's example (YAML → JSON with PyYAML) and rejects a misspelt key.
  @Test(.enabled(if: hasJSONSchema, "needs python3 with jsonschema and PyYAML"))
  func pythonJSONSchemaAcceptsValidFixtures() throws {
    let dir = try temporaryDirectory("schema")
    let schema = try runLodestone(["schema"])
    try Data(schema.stdout.utf8).write(to: dir.appendingPathComponent("schema.json"))
    let doc = try String(contentsOf: packageRoot.appendingPathComponent("docs/scenario-format.md"), encoding: .utf8)
    let start = try #require(doc.range(of: "```yaml\n"))
    let end = try #require(doc.range(of: "\n```", range: start.upperBound..<doc.endIndex))
    try Data(doc[start.upperBound..<end.lowerBound].utf8).write(to: dir.appendingPathComponent("spec.yaml"))
    let bad = try fixtureText("valid/minimal.yaml").replacingOccurrences(of: "country: IN", with: "contry: IN")
    try Data(bad.utf8).write(to: dir.appendingPathComponent("bad.yaml"))
    let script = """
      import json, sys, yaml, jsonschema
      schema = json.load(open(sys.argv[1]))
      jsonschema.Draft202012Validator.check_schema(schema)
      v = jsonschema.Draft202012Validator(schema)
      for path in sys.argv[2:]:
          errors = list(v.iter_errors(yaml.safe_load(open(path))))
          print(path, len(errors))
      """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [
      "python3", "-c", script, dir.appendingPathComponent("schema.json").path,
      fixtureURL("valid/minimal.yaml").path, fixtureURL("valid/small-chain.yaml").path,
      dir.appendingPathComponent("spec.yaml").path, dir.appendingPathComponent("bad.yaml").path,
    ]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    let counts = text.split(separator: "\n").compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
    // Three valid documents, then one with a misspelt key ('contry' unknown, 'country' missing).
    #expect(counts.count == 4 && counts.prefix(3).allSatisfy { $0 == 0 } && (counts.last ?? 0) >= 1, "\(text)")
  }
}
