import Chemistry
import Foundation
import Ledger
import TestSupport
import Testing

/// A ledger where irel's 1000 kg lot `ox-1` (80 % Nd) was shipped to and received by jp.
func oxideAtJP() async throws -> Ledger {
  let (ledger, _) = try await makeLedger()
  try await ledger.record(
    [
      commission("c1", lot: "ox-1", kg: 1000, time: "2027-01-05T08:00:00Z"),
      ship("s1", lots: ["ox-1"], to: "jp", time: "2027-01-06T08:00:00Z"),
    ], as: irelOp)
  try await ledger.record([receive("r1", lots: ["ox-1"], at: "jp-plant", time: "2027-01-20T08:00:00Z")], as: jpOp)
  return ledger
}

@Suite("Ledger core: canonical form, hashing, custody and conservation")
struct LedgerCoreTests {
  @Test("SHA-256 matches the FIPS 180-2 test vectors")
  func sha256Vectors() {
    // FIPS 180-2 appendix B.1 and B.2.
    #expect(RecordHash.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      RecordHash.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test("canonical JSON sorts keys, drops whitespace and fixes number forms")
  func canonicalJSON() throws {
    let v = try JSONParser.parse(
      #"{ "b": [1.0, 2.5e0, -0.0, 1e-7], "a": "x\ny\u00e9\"", "c": {"z": true, "y": null} }"#, source: "t")
    #expect(v.canonical == #"{"a":"x\nyé\"","b":[1,2.5,0,1e-07],"c":{"y":null,"z":true}}"#)
    // Re-parsing the canonical text gives the same text (a fixed point).
    #expect(try JSONParser.parse(v.canonical, source: "t").canonical == v.canonical)
  }

  @Test("JSON syntax errors name line and column")
  func jsonErrors() {
    #expect(throws: JSONSyntaxError(source: "f.json", line: 3, column: 10, message: "expected ',' or '}' in an object; got '\"'")) {
      _ = try JSONParser.parse("{\n  \"a\": 1,\n  \"b\": 2 \"c\": 3}", source: "f.json")
    }
  }

  @Test("event times are normalised to UTC", arguments: [
    ("2027-01-15T13:30:00+05:30", "2027-01-15T08:00:00Z"),
    ("2028-03-01T02:00:00+05:30", "2028-02-29T20:30:00Z"),  // leap day
    ("2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00Z"),
    ("2027-06-01T00:00:00.250Z", "2027-06-01T00:00:00.250Z"),
  ])
  func times(input: String, expected: String) throws {
    var e = commission("e", lot: "l", kg: 1, time: "2027-01-01T00:00:00Z")
    e.eventTime = input
    let back = try EPCIS.event(EPCIS.json(e), at: "t")
    #expect(back.eventTime == expected)
  }

  @Test("an event survives EPCIS JSON and back unchanged")
  func epcisRoundTrip() throws {
    let events = [
      commission("c1", lot: "ox-1", kg: 1000, time: "2027-01-05T08:00:00Z"),
      ship("s1", lots: ["ox-1"], to: "jp", time: "2027-01-06T08:00:00Z"),
      transform("t1", inputs: [("ox-1", 1000)], outputs: [magnet("m-1", kg: 1000, owner: "irel")], time: "2027-02-01T00:00:00Z"),
    ]
    let doc = EPCIS.document(events, creationDate: "2027-06-30T12:00:00Z").pretty
    #expect(try EPCIS.parseEvents(doc, source: "doc") == events)
  }

  @Test("records chain by hash: each record's hash is SHA-256 of its canonical preimage")
  func hashChain() async throws {
    let (ledger, _) = try await makeLedger()
    let rs = try await ledger.record(
      [
        commission("c1", lot: "ox-1", kg: 1000, time: "2027-01-05T08:00:00Z"),
        commission("c2", lot: "ox-2", kg: 500, time: "2027-01-06T08:00:00Z"),
      ], as: irelOp)
    #expect(rs.map(\.sequence) == [1, 2])
    #expect(rs[0].previousHash == String(repeating: "0", count: 64))
    #expect(rs[1].previousHash == rs[0].hash)
    // Independent recomputation of the preimage, written out by hand.
    let pre = "{\"body\":" + JSONValue.string(rs[1].body).canonical + ",\"chain\":\"irel\",\"eventID\":\"c2\",\"previousHash\":\""
      + rs[0].hash + "\",\"recordedAt\":\"2027-06-30T12:00:00Z\",\"sequence\":2}"
    #expect(RecordHash.sha256(pre) == rs[1].hash)
    #expect(try await ledger.verify(as: Actor(organisation: "irel", role: .auditor)).ok)
  }

  @Test("taking more than a lot holds is refused, naming lot, held and requested mass")
  func overdraw() async throws {
    let ledger = try await oxideAtJP()
    let tooMuch = transform(
      "t1", inputs: [("ox-1", 600), ("ox-1", 600)], outputs: [magnet("m-1", kg: 100, owner: "irel")],
      time: "2027-02-01T00:00:00Z")
    await #expect(throws: LedgerError.overdraw(event: "t1", lot: "ox-1", held: 1000, requested: 1200)) {
      try await ledger.record([tooMuch], as: jpOp)
    }
    do {
      try await ledger.record([tooMuch], as: jpOp)
    } catch let e as LedgerError {
      #expect(e.description.contains("takes 1200 kg from lot 'ox-1', which holds 1000 kg"))
    }
    // Nothing was written for the refused event.
    #expect(try await ledger.store.records(chain: "jp").count == 1)
  }

  @Test("creating Nd from nothing beyond 0.5 % is refused; within it is accepted")
  func elementBalance() async throws {
    let ledger = try await oxideAtJP()
    // Input Nd = 1000 kg × 0.8 = 800 kg; limit 800 × 1.005 = 804 kg. 2700 kg × 0.3 = 810 kg: refused.
    await #expect(throws: LedgerError.elementCreated(event: "t1", element: .Nd, input: 800, output: 810, tolerance: 0.005)) {
      try await ledger.record(
        [transform("t1", inputs: [("ox-1", 1000)], outputs: [magnet("m-1", kg: 2700, owner: "irel")], time: "2027-02-01T00:00:00Z")],
        as: jpOp)
    }
    // 2676 kg × 0.3 = 802.8 kg ≤ 804 kg: accepted. Fe (untracked) appears from nothing and is allowed.
    try await ledger.record(
      [transform("t2", inputs: [("ox-1", 1000)], outputs: [magnet("m-1", kg: 2676, owner: "irel")], time: "2027-02-01T00:00:00Z")],
      as: jpOp)
    let s = try await ledger.state()
    #expect(s.lots["ox-1"]?.status == .consumed)
    #expect(s.lots["ox-1"]?.mass == 0)
    #expect(s.lots["m-1"]?.holder == "jp")
    #expect(s.lots["m-1"]?.owner == "irel")
  }

  @Test("custody: only the holder ships, only the consignee receives")
  func custody() async throws {
    let (ledger, _) = try await makeLedger()
    try await ledger.record([commission("c1", lot: "ox-1", kg: 1000, time: "2027-01-05T08:00:00Z")], as: irelOp)
    await #expect(throws: LedgerError.refused(event: "s1", reason: "lot 'ox-1' is held by 'irel', not by 'jp' who recorded the event.")) {
      try await ledger.record([ship("s1", lots: ["ox-1"], to: "kr", time: "2027-01-06T08:00:00Z")], as: jpOp)
    }
    try await ledger.record([ship("s2", lots: ["ox-1"], to: "jp", time: "2027-01-06T08:00:00Z")], as: irelOp)
    let kr = Actor(organisation: "kr", role: .operator)
    await #expect(throws: LedgerError.self) {
      try await ledger.record([receive("r1", lots: ["ox-1"], at: "kr-plant", time: "2027-01-20T08:00:00Z")], as: kr)
    }
    try await ledger.record([receive("r2", lots: ["ox-1"], at: "jp-plant", time: "2027-01-20T08:00:00Z")], as: jpOp)
    let s = try await ledger.state()
    #expect(s.lots["ox-1"]?.holder == "jp")
    #expect(s.lots["ox-1"]?.owner == "irel")
    #expect(s.lots["ox-1"]?.location == "jp-plant")
  }

  @Test("origin shares are mass-weighted through transformations")
  func origins() async throws {
    let (ledger, _) = try await makeLedger()
    try await ledger.record(
      [
        commission("c1", lot: "ox-in", kg: 1000, nd: 0.8, origin: "IN", time: "2027-01-05T08:00:00Z"),
        ship("s1", lots: ["ox-in"], to: "jp", time: "2027-01-06T08:00:00Z"),
      ], as: irelOp)
    var own = commission("c2", lot: "ox-au", kg: 500, nd: 0.6, origin: "AU", time: "2027-01-07T08:00:00Z")
    own.bizLocation = "jp-plant"
    try await ledger.record([own, receive("r1", lots: ["ox-in"], at: "jp-plant", time: "2027-01-20T08:00:00Z")], as: jpOp)
    // Nd in: IN 600 × 0.8 = 480 kg (of 1000 kg, 600 used), AU 500 × 0.6 = 300 kg → IN 480/780, AU 300/780.
    try await ledger.record(
      [
        transform(
          "t1", inputs: [("ox-in", 600), ("ox-au", 500)], outputs: [magnet("m-1", kg: 2000, owner: "jp")],
          time: "2027-02-01T00:00:00Z")
      ], as: jpOp)
    let t = try await ledger.trace(lot: "m-1", as: jpOp)
    let nd = t.origins.filter { $0.element == .Nd }
    #expect(nd.map(\.country) == ["IN", "AU"])
    #expect(approx(nd[0].share, 480.0 / 780.0, rel: 1e-12))
    #expect(approx(nd[1].share, 300.0 / 780.0, rel: 1e-12))
    // Fe came from no recorded lot.
    #expect(t.origins.filter { $0.element == .Fe }.map(\.country) == ["unrecorded"])
    #expect(t.sources.map(\.lot) == ["ox-in", "ox-au"])
    #expect(t.sources.map(\.mass) == [600, 500])
    let s = try await ledger.state()
    #expect(s.lots["ox-in"]?.mass == 400)
  }

  @Test("a correction replaces the event it corrects")
  func correction() async throws {
    let (ledger, _) = try await makeLedger()
    try await ledger.record([commission("c1", lot: "ox-1", kg: 1000, time: "2027-01-05T08:00:00Z")], as: irelOp)
    var fix = commission("c1-fix", lot: "ox-1", kg: 980, time: "2027-01-05T08:00:00Z")
    fix.corrects = "c1"
    try await ledger.record([fix], as: irelOp)
    let s = try await ledger.state()
    #expect(s.lots["ox-1"]?.mass == 980)
    #expect(s.lots["ox-1"]?.createdBy == "c1-fix")
    // Both records stay in the chain.
    #expect(try await ledger.store.records(chain: "irel").map(\.eventID) == ["c1", "c1-fix"])
    // Another organisation cannot correct irel's event.
    var foreign = commission("c1-jp", lot: "ox-9", kg: 1, time: "2027-01-05T08:00:00Z")
    foreign.corrects = "c1"
    await #expect(throws: LedgerError.refused(event: "c1-jp", reason: "it corrects event 'c1' of 'irel'; only 'irel' may correct its events.")) {
      try await ledger.record([foreign], as: jpOp)
    }
  }

  @Test("bad events are refused with the field, the rule and the choices")
  func badEvents() {
    let text = #"{"type":"ObjectEvent","eventID":"x1","eventTime":"2027-01-01T00:00:00Z","action":"OBSERVE","bizStep":"shiping","epcList":["urn:lodestone:lot:a"]}"#
    #expect(throws: LedgerError.invalidInput("f.json (x1): bizStep must be one of commissioning, shipping, receiving, inspecting, decommissioning, transforming; got 'shiping'.")) {
      _ = try EPCIS.parseEvents(text, source: "f.json")
    }
    #expect(throws: LedgerError.invalidInput("--as must be ORGANISATION:ROLE with ROLE one of viewer, operator, auditor, admin; got 'irel'.")) {
      _ = try Actor.parse("irel")
    }
  }
}
