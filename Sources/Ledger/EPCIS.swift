// EPCIS 2.0 JSON ⇄ LedgerEvent. Lot identifiers travel as `urn:lodestone:lot:<id>`; masses
// as quantities in KGM (kilogram; TNE, tonne, is accepted on input); Lodestone's extensions
// are `lodestone:`-prefixed members declared in the document's @context.
import Chemistry

/// EPCIS 2.0 JSON documents and events.
public enum EPCIS {
  /// The URN prefix of a lot identifier.
  public static let lotPrefix = "urn:lodestone:lot:"
  /// The JSON-LD context of documents Lodestone writes.
  public static let context: JSONValue = .array([
    .string("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"),
    .object(["lodestone": .string("https://lodestone.dev/epcis/")]),
  ])

  static func lotURN(_ id: String) -> JSONValue { .string(lotPrefix + id) }

  static func lotID(_ urn: String) -> String {
    urn.hasPrefix(lotPrefix) ? String(urn.dropFirst(lotPrefix.count)) : urn
  }

  static func assayJSON(_ assay: [Element: Double]) -> JSONValue {
    .object(Dictionary(uniqueKeysWithValues: assay.map { ($0.key.symbol, JSONValue.number($0.value)) }))
  }

  static func specJSON(_ s: LotSpec) -> JSONValue {
    var o: [String: JSONValue] = [
      "id": lotURN(s.id), "material": .string(s.material), "quantity": .number(s.mass), "uom": .string("KGM"),
      "assay": assayJSON(s.assay),
    ]
    if let g = s.grade { o["grade"] = .string(g) }
    if let c = s.origin { o["origin"] = .string(c) }
    if let w = s.owner { o["owner"] = .string(w) }
    return .object(o)
  }

  /// The event as an EPCIS 2.0 JSON object (its canonical text is the stored body).
  public static func json(_ e: LedgerEvent) -> JSONValue {
    var o: [String: JSONValue] = [
      "type": .string(e.kind.rawValue), "eventID": .string(e.eventID), "eventTime": .string(e.eventTime),
      "eventTimeZoneOffset": .string(e.eventTimeZoneOffset), "bizStep": .string(e.bizStep.rawValue),
    ]
    if let a = e.action { o["action"] = .string(a.rawValue) }
    if let d = e.disposition { o["disposition"] = .string(d) }
    if let r = e.readPoint { o["readPoint"] = .object(["id": .string(r)]) }
    if let b = e.bizLocation { o["bizLocation"] = .object(["id": .string(b)]) }
    switch e.kind {
    case .object:
      let ids = e.action == .add ? e.created.map(\.id) : e.lots
      o["epcList"] = .array(ids.map(lotURN))
    case .transformation:
      o["inputQuantityList"] = .array(
        e.inputs.map { .object(["epcClass": lotURN($0.lot), "quantity": .number($0.mass), "uom": .string("KGM")]) })
      o["outputEPCList"] = .array(e.created.map { lotURN($0.id) })
    }
    if !e.created.isEmpty { o["lodestone:lots"] = .array(e.created.map(specJSON)) }
    if let c = e.consignee { o["lodestone:consignee"] = .string(c) }
    if let a = e.agreement { o["lodestone:agreement"] = .string(a) }
    if let c = e.corrects { o["lodestone:corrects"] = .string(c) }
    if let w = e.organisation { o["lodestone:organisation"] = .string(w) }
    return .object(o)
  }

  /// An EPCISDocument holding `events` (in the order given).
  public static func document(_ events: [LedgerEvent], creationDate: String) -> JSONValue {
    .object([
      "@context": context, "type": .string("EPCISDocument"), "schemaVersion": .string("2.0"),
      "creationDate": .string(creationDate),
      "epcisBody": .object(["eventList": .array(events.map(json))]),
    ])
  }

  /// Parses an EPCISDocument (`epcisBody.eventList`) or a bare event object.
  /// - Parameter source: names the text in errors (a file name or `stdin`).
  public static func parseEvents(_ text: String, source: String) throws -> [LedgerEvent] {
    let root = try JSONParser.parse(text, source: source)
    if root["type"]?.stringValue == "EPCISDocument" || root["epcisBody"] != nil {
      guard let list = root["epcisBody"]?["eventList"]?.arrayValue else {
        throw LedgerError.invalidInput("\(source): an EPCISDocument must have epcisBody.eventList, an array of events.")
      }
      return try list.enumerated().map { i, v in
        try event(v, at: "\(source): epcisBody.eventList[\(i)]")
      }
    }
    return [try event(root, at: source)]
  }

  /// Reads one event object; `at` locates it in messages.
  public static func event(_ v: JSONValue, at: String) throws -> LedgerEvent {
    guard let o = v.objectValue else { throw LedgerError.invalidInput("\(at) must be a JSON object (an EPCIS event).") }
    var r = Reader(o: o, at: at)
    let kinds = LedgerEvent.Kind.allCases.map(\.rawValue)
    let kindText = try r.string("type")
    guard let kind = LedgerEvent.Kind(rawValue: kindText) else {
      throw LedgerError.invalidInput("\(at): type must be one of \(kinds.joined(separator: ", ")); got '\(kindText)'.")
    }
    r.at = "\(at) (\(try r.string("eventID")))"
    let eventID = try r.string("eventID")
    let time = try canonicalTime(try r.string("eventTime"), at: r.at)
    let offset = try r.optionalString("eventTimeZoneOffset") ?? "+00:00"
    let stepText = try r.optionalString("bizStep") ?? (kind == .transformation ? "transforming" : "")
    let step = try r.choice(stepText, field: "bizStep", LedgerEvent.BizStep.self)
    var action: LedgerEvent.Action?
    if kind == .object { action = try r.choice(try r.string("action"), field: "action", LedgerEvent.Action.self) }
    let created = try (r.optionalArray("lodestone:lots") ?? []).enumerated().map { i, s in
      try spec(s, at: "\(r.at) lodestone:lots[\(i)]")
    }
    var lots: [String] = []
    var inputs: [LotQuantity] = []
    switch kind {
    case .object:
      lots = try (r.optionalArray("epcList") ?? []).enumerated().map { i, x in
        guard let s = x.stringValue else { throw LedgerError.invalidInput("\(r.at): epcList[\(i)] must be a string.") }
        return lotID(s)
      }
      if action == .add {
        guard step == .commissioning, !created.isEmpty else {
          throw LedgerError.invalidInput(
            "\(r.at): an ADD event must have bizStep commissioning and describe its lots in lodestone:lots.")
        }
        guard lots.isEmpty || lots == created.map(\.id) else {
          throw LedgerError.invalidInput("\(r.at): epcList must list the lots of lodestone:lots, in the same order.")
        }
        lots = []  // an ADD's lots are `created`
      } else if lots.isEmpty {
        throw LedgerError.invalidInput("\(r.at): epcList must name at least one lot (urn:lodestone:lot:ID).")
      }
    case .transformation:
      inputs = try (r.optionalArray("inputQuantityList") ?? []).enumerated().map { i, q in
        let where_ = "\(r.at) inputQuantityList[\(i)]"
        guard let qo = q.objectValue else { throw LedgerError.invalidInput("\(where_) must be an object.") }
        var qr = Reader(o: qo, at: where_)
        let mass = try qr.mass()
        return LotQuantity(lot: lotID(try qr.string("epcClass")), mass: mass)
      }
      guard !inputs.isEmpty, !created.isEmpty else {
        throw LedgerError.invalidInput(
          "\(r.at): a TransformationEvent must consume lots (inputQuantityList) and create lots (lodestone:lots).")
      }
    }
    let consignee = try r.optionalString("lodestone:consignee")
    if step == .shipping && consignee == nil {
      throw LedgerError.invalidInput("\(r.at): a shipping event must name its consignee organisation in lodestone:consignee.")
    }
    return LedgerEvent(
      kind: kind, eventID: eventID, eventTime: time, eventTimeZoneOffset: offset, action: action, bizStep: step,
      disposition: try r.optionalString("disposition"), readPoint: try r.optionalString("readPoint", member: "id"),
      bizLocation: try r.optionalString("bizLocation", member: "id"), lots: lots, created: created, inputs: inputs,
      consignee: consignee, agreement: try r.optionalString("lodestone:agreement"),
      corrects: try r.optionalString("lodestone:corrects"), organisation: try r.optionalString("lodestone:organisation"))
  }

  static func spec(_ v: JSONValue, at: String) throws -> LotSpec {
    guard let o = v.objectValue else { throw LedgerError.invalidInput("\(at) must be an object describing a lot.") }
    var r = Reader(o: o, at: at)
    let id = lotID(try r.string("id"))
    r.at = "\(at) (lot \(id))"
    let mass = try r.mass()
    guard let a = o["assay"]?.objectValue, !a.isEmpty else {
      throw LedgerError.invalidInput("\(r.at): assay must be an object of element mass fractions, e.g. {\"Nd\": 0.68}.")
    }
    var assay: [Element: Double] = [:]
    for (symbol, f) in a.sorted(by: { $0.key < $1.key }) {
      guard let e = Element(symbol: symbol) else {
        throw LedgerError.invalidInput("\(r.at): assay key must be an element symbol; got '\(symbol)'.")
      }
      guard let x = f.numberValue, x >= 0, x <= 1 else {
        throw LedgerError.invalidInput("\(r.at): assay of \(symbol) must be a mass fraction in 0...1; got \(f.canonical).")
      }
      assay[e] = x
    }
    let total = assay.values.reduce(0, +)
    guard total <= 1 + 1e-9 else {
      throw LedgerError.invalidInput("\(r.at): assay fractions must sum to at most 1; got \(JSONValue.format(total)).")
    }
    return LotSpec(
      id: id, material: try r.string("material"), mass: mass, assay: assay, grade: try r.optionalString("grade"),
      origin: try r.optionalString("origin"), owner: try r.optionalString("owner"))
  }

  /// Normalises an ISO 8601 time to UTC `YYYY-MM-DDTHH:MM:SSZ` (fractions of a second kept).
  static func canonicalTime(_ text: String, at: String) throws -> String {
    // Accepts YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM).
    let bad = LedgerError.invalidInput(
      "\(at): eventTime must be ISO 8601 with a zone, e.g. 2027-01-15T08:00:00Z or 2027-01-15T13:30:00+05:30; got '\(text)'.")
    let u = Array(text.utf8)
    guard u.count >= 20, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T"),
      u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":")
    else { throw bad }
    func num(_ a: Int, _ b: Int) -> Int? { Int(String(decoding: u[a..<b], as: UTF8.self)) }
    guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16),
      let s = num(17, 19), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
    else { throw bad }
    var k = 19
    var fraction = ""
    if k < u.count, u[k] == UInt8(ascii: ".") {
      let start = k
      k += 1
      while k < u.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(u[k]) { k += 1 }
      guard k > start + 1 else { throw bad }
      fraction = String(decoding: u[start..<k], as: UTF8.self)
    }
    var offsetMinutes = 0
    let zone = String(decoding: u[k...], as: UTF8.self)
    if zone == "Z" {
      offsetMinutes = 0
    } else {
      let z = Array(zone.utf8)
      guard z.count == 6, z[0] == UInt8(ascii: "+") || z[0] == UInt8(ascii: "-"), z[3] == UInt8(ascii: ":"),
        let zh = Int(String(decoding: z[1..<3], as: UTF8.self)), let zm = Int(String(decoding: z[4..<6], as: UTF8.self))
      else { throw bad }
      offsetMinutes = (zh * 60 + zm) * (z[0] == UInt8(ascii: "-") ? -1 : 1)
    }
    // Days since 1970-01-01 (civil-from-days inverse, Howard Hinnant's algorithm).
    let yy = mo <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    let total = days * 86400 + h * 3600 + mi * 60 + s - offsetMinutes * 60
    return isoUTC(seconds: total) + fraction + "Z"
  }

  /// `YYYY-MM-DDTHH:MM:SS` (no zone) for seconds since 1970-01-01T00:00:00Z.
  public static func isoUTC(seconds: Int) -> String {
    let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
    let rem = seconds - days * 86400
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
    let yText = String(y)
    return String(repeating: "0", count: max(0, 4 - yText.count)) + yText + "-\(two(m))-\(two(d))T"
      + "\(two(rem / 3600)):\(two(rem % 3600 / 60)):\(two(rem % 60))"
  }
}

/// Reads typed members of one JSON object with located messages.
struct Reader {
  let o: [String: JSONValue]
  var at: String

  func string(_ key: String) throws -> String {
    guard let v = o[key] else { throw LedgerError.invalidInput("\(at): member '\(key)' is missing.") }
    guard let s = v.stringValue, !s.isEmpty else {
      throw LedgerError.invalidInput("\(at): member '\(key)' must be a non-empty string; got \(v.canonical).")
    }
    return s
  }

  func optionalString(_ key: String) throws -> String? {
    guard let v = o[key], v != .null else { return nil }
    return try string(key)
  }

  /// A string inside an object member (`readPoint.id`).
  func optionalString(_ key: String, member: String) throws -> String? {
    guard let v = o[key], v != .null else { return nil }
    guard let s = v[member]?.stringValue else {
      throw LedgerError.invalidInput("\(at): member '\(key)' must be an object with a string '\(member)'; got \(v.canonical).")
    }
    return s
  }

  func optionalArray(_ key: String) throws -> [JSONValue]? {
    guard let v = o[key], v != .null else { return nil }
    guard let a = v.arrayValue else { throw LedgerError.invalidInput("\(at): member '\(key)' must be an array.") }
    return a
  }

  func choice<E: RawRepresentable & CaseIterable>(_ text: String, field: String, _ type: E.Type) throws -> E
  where E.RawValue == String {
    // EPCIS also writes CBV values as URNs or URIs; the last path segment is the value.
    var bare = text.split(whereSeparator: { $0 == ":" || $0 == "/" }).last.map(String.init) ?? text
    if bare.hasPrefix("BizStep-") { bare = String(bare.dropFirst("BizStep-".count)) }
    guard let v = E(rawValue: bare) else {
      throw LedgerError.invalidInput(
        "\(at): \(field) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", ")); got '\(text)'.")
    }
    return v
  }

  /// `quantity` with `uom` KGM (default) or TNE, as kg; positive and finite.
  func mass() throws -> Double {
    guard let q = o["quantity"]?.numberValue else {
      throw LedgerError.invalidInput("\(at): quantity must be a number (kg with uom KGM, t with TNE).")
    }
    let uom = try optionalString("uom") ?? "KGM"
    let factor: Double
    switch uom {
    case "KGM": factor = 1
    case "TNE": factor = 1000
    default: throw LedgerError.invalidInput("\(at): uom must be one of KGM, TNE; got '\(uom)'.")
    }
    guard q > 0 else { throw LedgerError.invalidInput("\(at): quantity must be positive; got \(JSONValue.format(q)).") }
    return q * factor
  }
}
