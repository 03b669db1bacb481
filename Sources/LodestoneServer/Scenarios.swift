import Foundation
import Ledger
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

/// Built-in and stored scenarios. Stored ones live in memory and, with `--data DIR`, in the ledger
/// store `DIR/lodestone.db` as documents of kind `scenario` (a document with an empty body marks a
/// deleted scenario: the store contract replaces documents but has no delete). Names are checked by
/// `isValidName`, and no name is ever used as a file path.
public actor ScenarioLibrary {
  public static let builtInName = "india-2026"
  let store: (any LedgerStore)?
  var stored: [String: ScenarioEntry] = [:]

  public init(store: (any LedgerStore)?) async throws {
    self.store = store
    if let store {
      for d in try await store.documents(kind: "scenario") where !d.body.isEmpty && isValidName(d.name) {
        stored[d.name] = ScenarioEntry(name: d.name, yaml: d.body, origin: "stored", storedAt: d.storedAt)
      }
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
  public func put(name: String, yaml: String) async throws {
    let entry = ScenarioEntry(name: name, yaml: yaml, origin: "stored", storedAt: iso8601(Date()))
    try await store?.putDocument(StoredDocument(kind: "scenario", name: name, body: yaml, storedAt: entry.storedAt))
    stored[name] = entry
  }

  /// Removes a stored scenario; false when there is none of that name.
  public func delete(name: String) async throws -> Bool {
    guard stored[name] != nil else { return false }
    try await store?.putDocument(StoredDocument(kind: "scenario", name: name, body: "", storedAt: iso8601(Date())))
    stored.removeValue(forKey: name)
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
