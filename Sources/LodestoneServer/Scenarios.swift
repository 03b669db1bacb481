import Foundation
import ScenarioFormat
import SupplyChain

/// A scenario the server knows: the built-in India scenario or one a user saved.
public struct ScenarioEntry: Sendable {
  public var name: String
  public var yaml: String
  /// `built-in` or `stored`.
  public var origin: String
  /// ISO 8601 UTC; empty for the built-in one.
  public var storedAt: String
}

/// The outcome of decoding a scenario text: the scenario when it has no errors, and every diagnostic.
public struct DecodedScenario: Sendable {
  public var scenario: Scenario?
  public var diagnostics: Diagnostics
  public var file: String
  public var text: String
}

/// Scenario names are path-safe by construction: lowercase letters, digits and '-', 1–64 characters.
public func isValidName(_ name: String) -> Bool {
  guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64 else { return false }
  let ok = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
  return ok && first != "-"
}

/// Built-in and stored scenarios. Stored ones live in memory and, with `--data DIR`, as
/// `DIR/scenarios/NAME.yaml` (NAME is checked by `isValidName`, so no request reaches a file outside DIR).
public actor ScenarioLibrary {
  public static let builtInName = "india-2026"
  let directory: URL?
  var stored: [String: ScenarioEntry] = [:]

  public init(dataDirectory: String?) throws {
    if let d = dataDirectory {
      let dir = URL(fileURLWithPath: d, isDirectory: true).appendingPathComponent("scenarios", isDirectory: true)
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      directory = dir
      for f in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where f.hasSuffix(".yaml") {
        let name = String(f.dropLast(5))
        guard isValidName(name), let data = FileManager.default.contents(atPath: dir.appendingPathComponent(f).path),
          let text = String(data: data, encoding: .utf8)
        else { continue }
        let attrs = try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(f).path)
        let date = (attrs?[.modificationDate] as? Date).map(iso8601) ?? ""
        stored[name] = ScenarioEntry(name: name, yaml: text, origin: "stored", storedAt: date)
      }
    } else {
      directory = nil
    }
  }

  /// Every scenario, the built-in one first, then stored ones by name.
  public func list() -> [ScenarioEntry] {
    [ScenarioEntry(name: Self.builtInName, yaml: BuiltinScenarios.india2026, origin: "built-in", storedAt: "")]
      + stored.keys.sorted().compactMap { stored[$0] }
  }

  public func get(_ name: String) -> ScenarioEntry? {
    if name == Self.builtInName { return ScenarioEntry(name: name, yaml: BuiltinScenarios.india2026, origin: "built-in", storedAt: "") }
    return stored[name]
  }

  /// Saves (or replaces) a stored scenario. The caller has checked the name and the text.
  public func put(name: String, yaml: String) throws {
    let entry = ScenarioEntry(name: name, yaml: yaml, origin: "stored", storedAt: iso8601(Date()))
    if let directory {
      try Data(yaml.utf8).write(to: directory.appendingPathComponent(name + ".yaml"), options: .atomic)
    }
    stored[name] = entry
  }

  /// Removes a stored scenario; false when there is none of that name.
  public func delete(name: String) throws -> Bool {
    guard stored.removeValue(forKey: name) != nil else { return false }
    if let directory { try? FileManager.default.removeItem(at: directory.appendingPathComponent(name + ".yaml")) }
    return true
  }
}

/// Decodes `text` as scenario `file`, applying `variant`.
public func decodeScenario(text: String, file: String, variant: String?) -> DecodedScenario {
  let (s, d) = ScenarioDecoder().decode(text: text, file: file, variant: variant)
  return DecodedScenario(scenario: d.hasErrors ? nil : s, diagnostics: d, file: file, text: text)
}

/// The names of the variants a scenario text defines.
public func variantNames(_ text: String) -> [String] { ScenarioDecoder.variantNames(text: text) }

func iso8601(_ d: Date) -> String { d.formatted(.iso8601) }
