import Chemistry
import Quantities
import SupplyChain

/// The JSON Schema (draft 2020-12) of the scenario format, generated from ``FormatSpec`` —
/// the same tables the decoder checks keys against. Point an editor at it for completion:
/// `# yaml-language-server: $schema=lodestone-scenario.schema.json` (VS Code YAML extension).
public enum ScenarioSchema {
  /// The schema as pretty-printed JSON text with a stable key order.
  public static let json: String = {
    var defs: [(String, JSON)] = []
    for s in FormatSpec.sections where s.name != FormatSpec.document.name {
      defs.append((s.name, object(s)))
    }
    var root = object(FormatSpec.document)
    guard case .object(var fields) = root else { return "" }
    fields.insert(("$schema", .string("https://json-schema.org/draft/2020-12/schema")), at: 0)
    fields.insert(("$id", .string("urn:lodestone:scenario-schema:1")), at: 1)
    fields.insert(("title", .string("Lodestone scenario (schema-version \(FormatSpec.schemaVersion))")), at: 2)
    fields.append(("$defs", .object(defs)))
    root = .object(fields)
    return root.render(indent: 0) + "\n"
  }()

  static func object(_ s: Section) -> JSON {
    var props: [(String, JSON)] = []
    for a in s.attributes {
      var schema = kindSchema(a.kind)
      schema = schema.adding("description", .string(a.description))
      props.append((a.name, schema))
    }
    var fields: [(String, JSON)] = [
      ("type", .string("object")),
      ("description", .string(s.description)),
      ("properties", .object(props)),
    ]
    let required = s.attributes.filter(\.required).map { JSON.string($0.name) }
    if !required.isEmpty { fields.append(("required", .array(required))) }
    fields.append(("additionalProperties", .bool(false)))
    return .object(fields)
  }

  static let monthPattern = "^[0-9]{4}-(0[1-9]|1[0-2])$"
  /// A number followed by an optional unit; the decoder checks the unit's dimension.
  static let quantityPattern = "^\\s*[-+]?[0-9][0-9_,]*(\\.[0-9]*)?([eE][-+]?[0-9]+)?\\s*[^\\s]*\\s*$"

  static func kindSchema(_ k: AttributeKind) -> JSON {
    switch k {
    case .text: return .object([("type", .string("string"))])
    case .identifier: return .object([("type", .string("string")), ("pattern", .string("^[^\\s/]+$"))])
    case .reference(let section):
      return .object([("type", .string("string")), ("$comment", .string("the id of an entry in \(section)"))])
    case .integer(let r):
      return .object([("type", .string("integer")), ("minimum", .number(Double(r.lowerBound))), ("maximum", .number(Double(r.upperBound)))])
    case .number: return .object([("type", .string("number"))])
    case .quantity(let dims):
      return .object([
        ("type", .array([.string("string"), .string("number")])),
        ("pattern", .string(quantityPattern)),
        ("examples", .array(dims.compactMap(example).map(JSON.string))),
      ])
    case .fraction:
      return .object([("type", .array([.string("string"), .string("number")])), ("pattern", .string(quantityPattern)), ("examples", .array([.string("95 %"), .string("0.95")]))])
    case .months:
      return .object([("type", .array([.string("string"), .string("integer")])), ("pattern", .string(quantityPattern)), ("examples", .array([.string("2 months"), .string("1 yr")]))])
    case .month: return .object([("type", .string("string")), ("pattern", .string(monthPattern)), ("examples", .array([.string("2026-04")]))])
    case .formula: return .object([("type", .string("string")), ("examples", .array([.string("Nd2O3"), .string("(Nd0.8Pr0.2)2O3")]))])
    case .element: return .object([("enum", .array(Element.allCases.map { .string($0.symbol) }))])
    case .country: return .object([("type", .string("string")), ("pattern", .string("^[A-Z]{2}$"))])
    case .choice(let c): return .object([("enum", .array(c.map(JSON.string)))])
    case .list(let item): return .object([("type", .string("array")), ("items", kindSchema(item))])
    case .map(let key, let value):
      var f: [(String, JSON)] = [("type", .string("object"))]
      switch key {
      case .month: f.append(("propertyNames", .object([("pattern", .string(monthPattern))])))
      case .element: f.append(("propertyNames", kindSchema(.element)))
      case .choice(let c): f.append(("propertyNames", .object([("enum", .array(c.map(JSON.string)))])))
      default: break
      }
      f.append(("additionalProperties", kindSchema(value)))
      return .object(f)
    case .object(let s): return .object([("$ref", .string("#/$defs/\(s.name)"))])
    case .objects(let s): return .object([("type", .string("array")), ("items", .object([("$ref", .string("#/$defs/\(s.name)"))]))])
    case .oneOf(let ks): return .object([("anyOf", .array(ks.map(kindSchema)))])
    case .any: return .object([])
    }
  }

  static func example(_ d: Dimension) -> String? {
    switch d {
    case .mass: return "450 t"
    case .massRate: return "450 t/yr"
    case .countRate: return "150000 vehicle/yr"
    case .powerRate: return "2000 MW/yr"
    case .massPerCount: return "1.5 kg/vehicle"
    case .massPerPower: return "0.6 t/MW"
    case .moneyPerMass: return "60 USD/kg"
    case .money: return "2.5 MUSD"
    case Dimension(money: 1, count: -1): return "20000 USD/vehicle"
    case Dimension(money: 1, power: -1): return "1 MUSD/MW"
    default: return nil
    }
  }
}

/// A minimal ordered JSON value for deterministic output.
enum JSON: Sendable {
  case string(String)
  case number(Double)
  case bool(Bool)
  case array([JSON])
  case object([(String, JSON)])

  func adding(_ key: String, _ value: JSON) -> JSON {
    guard case .object(var f) = self else { return self }
    f.append((key, value))
    return .object(f)
  }

  func render(indent: Int) -> String {
    let pad = String(repeating: "  ", count: indent + 1)
    let close = String(repeating: "  ", count: indent)
    switch self {
    case .string(let s): return quoted(s)
    case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : formatNumber(x, significantDigits: 15)
    case .bool(let b): return b ? "true" : "false"
    case .array(let items):
      if items.isEmpty { return "[]" }
      if items.allSatisfy({ if case .string = $0 { return true } else { return false } }) {
        return "[" + items.map { $0.render(indent: 0) }.joined(separator: ", ") + "]"
      }
      return "[\n" + items.map { pad + $0.render(indent: indent + 1) }.joined(separator: ",\n") + "\n" + close + "]"
    case .object(let fields):
      if fields.isEmpty { return "{}" }
      return "{\n" + fields.map { pad + quoted($0.0) + ": " + $0.1.render(indent: indent + 1) }.joined(separator: ",\n") + "\n" + close + "}"
    }
  }

}

/// `s` as a JSON string literal — also a valid YAML double-quoted scalar, so the encoder uses it too.
func quoted(_ s: String) -> String { jsonString(s) }
