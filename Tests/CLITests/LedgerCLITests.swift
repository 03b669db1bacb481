import Foundation
import Simulation
import TestSupport
import Testing

/// The fields of one CSV data row (no quoted commas in these tables).
private func csvRows(_ text: String) -> [[String: String]] {
  let lines = text.split(separator: "\n").map(String.init)
  guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
  return lines.dropFirst().map { line in
    Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
  }
}

/// A temporary directory with the demo imported into `ledger.db`.
private func importedDemo() throws -> URL {
  let dir = try temporaryDirectory("ledger-cli")
  let demo = packageRoot.appendingPathComponent("Scenarios/ledger/irel-tolling-2026.json").path
  let r = try runLodestone(["ledger", "import", demo, "--db", "ledger.db", "--as", "irel:admin"], in: dir)
  #expect(r.status == 0, "\(r.stderr)")
  #expect(r.stdout.contains("Imported 71 events"), "\(r.stdout)")
  return dir
}

@Suite("lodestone ledger")
struct LedgerCLITests {
  @Test("the demo imports, verifies, reconciles and traces")
  func demoFlow() throws {
    let dir = try importedDemo()
    let v = try runLodestone(["ledger", "verify", "--db", "ledger.db", "--as", "irel:auditor"], in: dir)
    #expect(v.status == 0, "\(v.stderr)")
    #expect(v.stdout.contains("verified: 2 chains intact"), "\(v.stdout)")

    // August 2027: 16,500 kg oxide at Nd 0.6810 and Pr 0.1703 kg/kg. The scenario's ndpr-oxide is
    // 79.43 % Nd2O3 + 20.57 % Pr6O11: Nd 0.7943 × 288.484 / 336.481, Pr 0.2057 × 845.44596 / 1021.43496
    // (IUPAC weights); the recipe takes 0.4637 kg oxide per kg magnet; expected magnets are limited by
    // the scarcer element. Made: 0.93 × 16500 / 0.4637, as the demo writes it (33,092.5 kg).
    let fNd = 0.7943 * 288.484 / 336.481
    let fPr = 0.2057 * 845.44596 / 1021.43496
    let expected = 16500 * min(0.6810 / fNd, 0.1703 / fPr) / 0.4637
    let r = try runLodestone(
      ["ledger", "reconcile", "--db", "ledger.db", "--as", "irel:operator", "--period", "2027-08", "--agreement", "tolling-jp", "--format", "csv"],
      in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    let row = try #require(csvRows(r.stdout).first)
    #expect(approx(Double(row["expected_output"] ?? "") ?? 0, expected, rel: 1e-6), "\(row)")
    #expect(approx(Double(row["made"] ?? "") ?? 0, 33092.5, abs: 1e-3))
    #expect(approx(Double(row["expected_return"] ?? "") ?? 0, 0.7 * expected, rel: 1e-6))
    #expect(approx(Double(row["returned"] ?? "") ?? 0, 23164.8, abs: 1e-3))
    #expect(row["status"] == "yield-short return-short")

    // June's magnets mix 16,500 kg Indian and 2,000 kg Australian oxide of equal assay:
    // Nd is 16500 / 18500 = 89.19 % IN. The Australian lot is jp-partner's: withheld from irel.
    let t = try runLodestone(["ledger", "trace", "jp-mag-2027-06-irel", "--db", "ledger.db", "--as", "irel:viewer"], in: dir)
    #expect(t.status == 0, "\(t.stderr)")
    #expect(t.stdout.contains("Nd       IN              89.19"), "\(t.stdout)")
    #expect(t.stdout.contains("(withheld)"))
    #expect(!t.stdout.contains("jp-ox-au-2027-06"))
  }

  @Test("export: an EPCIS document that imports into an empty ledger and verifies; CSV for auditors")
  func exportRoundTrip() throws {
    let dir = try importedDemo()
    // irel's view leaves out every event touching a lot that is only jp-partner's: the
    // commissioning of its Australian oxide and the 12 transformations, whose fee-in-kind
    // outputs are jp-partner's: 71 − 1 − 12 = 58.
    let e = try runLodestone(["ledger", "export", "--db", "ledger.db", "--as", "irel:auditor", "--format", "csv"], in: dir)
    #expect(e.status == 0, "\(e.stderr)")
    let rows = csvRows(e.stdout)
    #expect(Set(rows.compactMap { $0["event_id"] }).count == 58)
    #expect(!rows.contains { $0["lot"] == "jp-ox-au-2027-06" })
    // jp-partner was party to every lot: its export is the whole history, and it replays.
    let out = dir.appendingPathComponent("out")
    let j = try runLodestone(
      ["ledger", "export", "--db", "ledger.db", "--as", "jp-partner:auditor", "--format", "json", "--out", out.path], in: dir)
    #expect(j.status == 0, "\(j.stderr)")
    let doc = out.appendingPathComponent("ledger.epcis.json").path
    let fresh = try temporaryDirectory("ledger-cli")
    let i = try runLodestone(["ledger", "import", doc, "--db", "copy.db", "--as", "jp-partner:admin"], in: fresh)
    #expect(i.stdout.contains("Imported 71 events"), "\(i.stdout) \(i.stderr)")
    let v = try runLodestone(["ledger", "verify", "--db", "copy.db", "--as", "jp-partner:auditor"], in: fresh)
    #expect(v.status == 0, "\(v.stderr)")
  }

  @Test("denials exit 77 and name the rule; --as is required and lists the roles")
  func accessErrors() throws {
    let dir = try importedDemo()
    let v = try runLodestone(["ledger", "verify", "--db", "ledger.db", "--as", "irel:viewer"], in: dir)
    #expect(v.status == 77)
    #expect(v.stderr.contains("role viewer cannot verify (allowed: auditor, admin)"), "\(v.stderr)")
    let t = try runLodestone(["ledger", "trace", "jp-ox-au-2027-06", "--db", "ledger.db", "--as", "irel:operator"], in: dir)
    #expect(t.status == 77)
    let log = try runLodestone(["ledger", "access-log", "--db", "ledger.db", "--as", "irel:auditor", "--format", "csv"], in: dir)
    let denied = csvRows(log.stdout).filter { $0["allowed"] == "no" }
    #expect(denied.map { $0["action"] ?? "" } == ["verify", "trace"])
    let missing = try runLodestone(["ledger", "balance", "--db", "ledger.db"], in: dir)
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("viewer, operator, auditor, admin"), "\(missing.stderr)")
    let badRole = try runLodestone(["ledger", "balance", "--db", "ledger.db", "--as", "irel:boss"], in: dir)
    #expect(badRole.status == 64)
    #expect(badRole.stderr.contains("got 'boss'"))
  }

  @Test("bad event input is a data error with file, line and column")
  func badInput() throws {
    let dir = try temporaryDirectory("ledger-cli")
    let r = try runLodestone(
      ["ledger", "record", "-", "--db", "ledger.db", "--as", "irel:operator"], in: dir,
      stdin: "{\n  \"type\": \"ObjectEvent\",\n  \"eventID\" \"x\"\n}")
    #expect(r.status == 65)
    #expect(r.stderr.contains("stdin:3:13: expected ':' after member name 'eventID'"), "\(r.stderr)")
    // Shipping more than a lot holds: refused with lot, held and requested.
    let ok = try runLodestone(
      ["ledger", "record", "-", "--db", "ledger.db", "--as", "irel:operator"], in: dir,
      stdin: #"{"type":"ObjectEvent","eventID":"c1","eventTime":"2027-01-01T00:00:00Z","action":"ADD","bizStep":"commissioning","lodestone:lots":[{"id":"ox","material":"ndpr-oxide","quantity":1,"uom":"TNE","assay":{"Nd":0.68}}]}"#)
    #expect(ok.status == 0, "\(ok.stderr)")
    let over = try runLodestone(
      ["ledger", "record", "-", "--db", "ledger.db", "--as", "irel:operator"], in: dir,
      stdin: #"{"type":"TransformationEvent","eventID":"t1","eventTime":"2027-01-02T00:00:00Z","inputQuantityList":[{"epcClass":"urn:lodestone:lot:ox","quantity":1500}],"lodestone:lots":[{"id":"m","material":"ndfeb-n","quantity":10,"assay":{"Nd":0.24}}]}"#)
    #expect(over.status == 65)
    #expect(over.stderr.contains("takes 1500 kg from lot 'ox', which holds 1000 kg"), "\(over.stderr)")
    let pg = try runLodestone(["ledger", "balance", "--db", "postgres://u:secret@localhost/x", "--as", "irel:viewer"], in: dir)
    #expect(pg.status == 65)
    #expect(pg.stderr.contains("PostgreSQL store not linked") && !pg.stderr.contains("secret"), "\(pg.stderr)")
  }

  @Test("SIGKILL at 20 seeded moments: no committed event lost, no half event, the chain verifies")
  func killTest() throws {
    let dir = try temporaryDirectory("ledger-kill")
    var rng = SplitMix64(seed: 20_261_123)
    var lastAcknowledged: Int64 = 0
    for round in 1...20 {
      let p = Process()
      p.executableURL = lodestoneBinary()
      p.arguments = ["ledger", "stress-writer", "--db", "ledger.db"]
      p.currentDirectoryURL = dir
      let out = Pipe()
      p.standardOutput = out
      p.standardError = FileHandle.nullDevice
      try p.run()
      Thread.sleep(forTimeInterval: Double.random(in: 0.15...0.9, using: &rng))
      kill(p.processIdentifier, SIGKILL)
      p.waitUntilExit()
      #expect(p.terminationReason == .uncaughtSignal, "round \(round): the writer ended before it was killed")
      let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      // Only whole lines are acknowledgements (a line cut by the kill is not).
      let acks = printed.split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap { Int64($0) }
      if let a = acks.last { lastAcknowledged = a }
      let v = try runLodestone(["ledger", "verify", "--db", "ledger.db", "--as", "audit:auditor"], in: dir)
      #expect(v.status == 0, "round \(round): \(v.stdout) \(v.stderr)")
      let info = try runLodestone(["ledger", "init", "--db", "ledger.db", "--as", "audit:admin", "--format", "csv"], in: dir)
      let stored = Int64(csvRows(info.stdout).first?["records"] ?? "") ?? -1
      #expect(stored >= lastAcknowledged, "round \(round): \(stored) stored < \(lastAcknowledged) acknowledged")
    }
    #expect(lastAcknowledged > 0)
  }
}
