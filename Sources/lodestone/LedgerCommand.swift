import ArgumentParser
import Foundation
import Ledger
import Quantities
import Reports
import SupplyChain

struct LedgerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ledger",
    abstract: "The tolling ledger: record, import, export, verify, trace, reconcile and balance lots (EPCIS 2.0).",
    discussion: """
      Every command acts on behalf of --as ORGANISATION:ROLE (roles: viewer, operator, auditor, admin)
      on the database --db (a path or sqlite:PATH, created on first use; default lodestone-ledger.db).
      Walkthrough: docs/ledger.md. Exit codes: 64 usage, 65 data (refused event, tampered ledger),
      77 access denied, 70 internal.
      """,
    subcommands: [
      LedgerInit.self, LedgerRecord.self, LedgerImport.self, LedgerExport.self, LedgerVerify.self, LedgerTrace.self,
      LedgerReconcile.self, LedgerBalance.self, LedgerAccessLog.self, LedgerStressWriter.self,
    ])
}

/// Options every ledger command takes.
struct LedgerOptions: ParsableArguments {
  @Option(help: "Ledger database: a file path or sqlite:PATH (created on first use).") var db = "lodestone-ledger.db"
  @Option(name: .customLong("as"), help: "Act as ORGANISATION:ROLE; ROLE is viewer, operator, auditor or admin.")
  var actor: String?
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
  @Option(help: "Also write the tables as CSV and JSON into this directory.") var out: String?

  func parsedActor() throws -> Actor {
    guard let actor else {
      throw ValidationError("--as ORGANISATION:ROLE is required; ROLE is one of viewer, operator, auditor, admin.")
    }
    do { return try Actor.parse(actor) } catch { throw ValidationError(error.description) }
  }

  /// The store and the ledger over it, with the clock (`LODESTONE_NOW` fixes it for tests).
  func open() async throws -> Ledger {
    let store = try await openLedgerStore(db)
    let fixed = ProcessInfo.processInfo.environment["LODESTONE_NOW"]
    return Ledger(store: store, now: { fixed ?? Date().formatted(.iso8601) })
  }

  /// Runs `body` as the --as actor on the opened ledger, then closes it; failures exit as `runLedger`.
  func withLedger(_ body: (Actor, Ledger) async throws -> Void) async throws {
    try await runLedger {
      let actor = try parsedActor()
      let ledger = try await open()
      do {
        try await body(actor, ledger)
      } catch {
        try? await ledger.store.close()
        throw error
      }
      try await ledger.store.close()
    }
  }

  /// Prints `tables` in the chosen format and writes them to --out when given.
  func emit(_ tables: [Table], name: String) throws {
    switch format {
    case .table: print(tables.map { $0.renderText() }.joined(separator: "\n"), terminator: "")
    case .csv: print(tables.map { $0.renderCSV() }.joined(separator: "\n"), terminator: "")
    case .json: print("[" + tables.map { $0.renderJSON() }.joined(separator: ",") + "]")
    }
    if let out {
      try writeOutput(tables.map { $0.renderCSV() }.joined(separator: "\n"), to: out, name: name + ".csv")
      try writeOutput("[" + tables.map { $0.renderJSON() }.joined(separator: ",") + "]\n", to: out, name: name + ".json")
    }
  }
}

/// Runs a ledger command: access denials exit 77 (EX_NOPERM), other failures as `reportingErrors`.
func runLedger(_ body: () async throws -> Void) async throws {
  try await reportingErrors {
    do {
      try await body()
    } catch let e as LedgerError {
      if case .denied = e {
        printError("error: \(e.description)")
        throw ExitCode(77)
      }
      throw e
    }
  }
}

/// kg with three decimals.
func kgText(_ x: Double) -> String { fixedFormat(x, decimals: 3) }

/// `readEvents` with its failures reported and mapped to exit codes.
func readEventsReporting(_ path: String) throws -> [LedgerEvent] {
  var events: [LedgerEvent] = []
  try reportingErrors { events = try readEvents(path) }
  return events
}

/// Reads events (an EPCIS document or one event) from a file or standard input (`-`).
func readEvents(_ path: String) throws -> [LedgerEvent] {
  let text: String
  if path == "-" {
    text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
  } else {
    text = try readText(path)
  }
  do {
    return try EPCIS.parseEvents(text, source: path == "-" ? "stdin" : path)
  } catch let e as JSONSyntaxError {
    throw DataError(e.description)
  }
}

func recordsTable(_ records: [EventRecord]) -> Table {
  var t = Table(title: "Recorded", columns: ["chain", "sequence", "event_id", "hash"])
  for r in records { t.append([r.chain, "\(r.sequence)", r.eventID, r.hash]) }
  return t
}

struct LedgerInit: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init", abstract: "Create the ledger database (or migrate it) and print its schema version.")
  @OptionGroup var options: LedgerOptions

  func run() async throws {
    try await options.withLedger { actor, ledger in
      try await ledger.authorize(actor, .initialise, target: ledger.store.location)
      var t = Table(title: "Ledger", columns: ["location", "schema_version", "chains", "records"])
      t.append([
        ledger.store.location, "\(try await ledger.store.schemaVersion())", "\(try await ledger.store.chains().count)",
        "\(try await ledger.store.records(chain: nil).count)",
      ])
      try options.emit([t], name: "init")
    }
  }
}

struct LedgerRecord: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record",
    abstract: "Record EPCIS events (one event object or an EPCISDocument) from a file or standard input.")
  @OptionGroup var options: LedgerOptions
  @Argument(help: "A JSON file, or - for standard input.") var file: String = "-"

  func run() async throws {
    let events = try readEventsReporting(file)
    try await options.withLedger { actor, ledger in
      let records = try await ledger.record(events, as: actor)
      try options.emit([recordsTable(records)], name: "record")
    }
  }
}

struct LedgerImport: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import an EPCIS 2.0 JSON document: every event is checked and all are recorded in one transaction.",
    discussion: "Events naming another organisation (lodestone:organisation) need --as ORG:admin.")
  @OptionGroup var options: LedgerOptions
  @Argument(help: "An EPCIS 2.0 JSON document, or - for standard input.") var file: String

  func run() async throws {
    let events = try readEventsReporting(file)
    try await options.withLedger { actor, ledger in
      let records = try await ledger.record(events, as: actor, operation: .importDocument)
      var t = Table(title: "Imported \(records.count) events from \(file)", columns: ["chain", "events", "head_sequence"])
      for (chain, rs) in Dictionary(grouping: records, by: \.chain).sorted(by: { $0.key < $1.key }) {
        t.append([chain, "\(rs.count)", "\(rs.map(\.sequence).max() ?? 0)"])
      }
      try options.emit([t], name: "import")
    }
  }
}

struct LedgerExport: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export the events visible to you: --format json gives an EPCIS 2.0 document, csv one row per event and lot.")
  @OptionGroup var options: LedgerOptions

  func run() async throws {
    try await options.withLedger { actor, ledger in
      let events = try await ledger.exportEvents(as: actor)
      let state = try await ledger.state()
      let table = AuditExport.table(events, state: state)
      let document = EPCIS.document(events.map(\.event), creationDate: ledger.now()).pretty + "\n"
      switch options.format {
      case .json: print(document, terminator: "")
      case .csv: print(table.renderCSV(), terminator: "")
      case .table: print(table.renderText(), terminator: "")
      }
      if let out = options.out {
        try writeOutput(document, to: out, name: "ledger.epcis.json")
        try writeOutput(table.renderCSV(), to: out, name: "ledger.csv")
      }
    }
  }
}

/// The auditors' CSV: one row per event and lot.
enum AuditExport {
  static func table(_ events: [(record: EventRecord, event: LedgerEvent)], state: LedgerState) -> Table {
    var t = Table(
      title: "Ledger events",
      columns: [
        "chain", "sequence", "event_id", "event_time", "recorded_at", "type", "action", "biz_step", "lot", "material",
        "mass_kg", "consignee", "agreement", "corrects", "hash",
      ])
    for (r, e) in events {
      var lines: [(String, Double)] = []
      switch e.kind {
      case .transformation:
        lines = e.inputs.map { ($0.lot, -$0.mass) } + e.created.map { ($0.id, $0.mass) }
      case .object:
        lines = e.action == .add ? e.created.map { ($0.id, $0.mass) } : e.lots.map { ($0, state.lots[$0]?.initialMass ?? 0) }
      }
      for (lot, mass) in lines {
        t.append([
          r.chain, "\(r.sequence)", e.eventID, e.eventTime, r.recordedAt, e.kind.rawValue, e.action?.rawValue ?? "",
          e.bizStep.rawValue, lot, state.lots[lot]?.material ?? "", kgText(mass), e.consignee ?? "", e.agreement ?? "",
          e.corrects ?? "", r.hash,
        ])
      }
    }
    return t
  }
}

struct LedgerVerify: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Recompute every hash chain and replay the history; name each altered, removed, reordered or inserted record.")
  @OptionGroup var options: LedgerOptions

  func run() async throws {
    try await options.withLedger { actor, ledger in
      let report = try await ledger.verify(as: actor)
      var chains = Table(title: "Chains", columns: ["chain", "records", "head_sequence", "head_hash", "intact"])
      for c in report.chains {
        chains.append([c.chain, "\(c.records)", "\(c.headSequence)", c.headHash, c.intact ? "yes" : "NO"])
      }
      var problems = Table(title: "Problems", columns: ["kind", "chain", "sequence", "event_id", "detail"])
      for p in report.problems { problems.append([p.kind.rawValue, p.chain, "\(p.sequence)", p.eventID, p.detail]) }
      try options.emit(report.ok ? [chains] : [chains, problems], name: "verify")
      if !report.ok {
        throw DataError("ledger verification failed: \(report.problems.count) problem(s); see the table above.")
      }
      if options.format == .table { print("verified: \(report.chains.count) chains intact, history replays") }
    }
  }
}

struct LedgerTrace: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Trace a lot back to its sources and forward to its uses, with each element's share by country of origin.")
  @OptionGroup var options: LedgerOptions
  @Argument(help: "The lot id.") var lot: String

  func run() async throws {
    try await options.withLedger { actor, ledger in
      let t = try await ledger.trace(lot: lot, as: actor)
      var summary = Table(
        title: "Lot \(t.lot.id)",
        columns: ["lot", "material", "grade", "mass_kg", "initial_mass_kg", "owner", "holder", "location", "status"])
      summary.append([
        t.lot.id, t.lot.material, t.lot.grade ?? "", kgText(t.lot.mass), kgText(t.lot.initialMass), t.lot.owner,
        t.lot.holder, t.lot.location ?? "", t.lot.status.rawValue,
      ])
      func lines(_ title: String, _ ls: [TraceLine], massColumn: String) -> Table {
        var tab = Table(title: title, columns: ["depth", "lot", "material", massColumn, "owner", "event"])
        for l in ls { tab.append(["\(l.depth)", l.lot, l.material, kgText(l.mass), l.owner, l.withheld ? "" : l.event]) }
        return tab
      }
      var origins = Table(title: "Origin of each element", columns: ["element", "country", "share_pct"])
      for o in t.origins { origins.append([o.element.symbol, o.country, fixedFormat(o.share * 100, decimals: 2)]) }
      try options.emit(
        [summary, lines("Sources", t.sources, massColumn: "kg_used"), lines("Uses", t.uses, massColumn: "kg_made"), origins],
        name: "trace")
    }
  }
}

struct LedgerReconcile: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reconcile",
    abstract: "Reconcile tolling agreements: expected magnets from the oxide shipped vs made, returned and retained.")
  @OptionGroup var options: LedgerOptions
  @Option(help: "A scenario YAML file with the agreements; omit for the built-in India scenario.") var scenario: String?
  @Option(help: "A variant of the scenario.") var variant: String?
  @Option(help: "Agreement id (repeatable; default every agreement of the scenario).") var agreement: [String] = []
  @Option(help: "Period: YYYY, YYYY-Qn or YYYY-MM (repeatable).") var period: [String] = []
  @Option(help: "Relative tolerance before a shortfall is flagged (0.02 = 2 %).") var tolerance: Double = Reconciliation
    .defaultTolerance

  func run() async throws {
    try await options.withLedger { actor, ledger in
      guard !period.isEmpty else { throw ValidationError("--period is required (YYYY, YYYY-Qn or YYYY-MM).") }
      guard tolerance >= 0, tolerance < 1 else { throw ValidationError("--tolerance must be in 0..<1; got \(tolerance).") }
      let periods = try period.map { p in
        do { return try Period.parse(p) } catch { throw ValidationError("\(error)") }
      }
      let s = try loadScenario(path: scenario, variant: variant)
      let agreements: [TollingAgreement]
      if agreement.isEmpty {
        agreements = s.agreements
      } else {
        agreements = try agreement.map { id in
          guard let a = s.agreements.first(where: { $0.id.rawValue == id }) else {
            throw DataError(
              "--agreement must be one of \(s.agreements.map(\.id.rawValue).sorted().joined(separator: ", ")); got '\(id)'.")
          }
          return a
        }
      }
      var t = Table(
        title: "Tolling reconciliation (tolerance \(fixedFormat(tolerance * 100, decimals: 2, trimZeros: true)) %; kg)",
        columns: [
          "agreement", "period", "principal", "processor", "shipped", "consumed", "in_process", "expected_output", "made",
          "expected_return", "returned", "awaiting_return", "expected_retained", "retained", "shortfall", "status",
        ])
      var flaggedLots = Table(title: "Lots involved in flagged rows", columns: ["agreement", "period", "status", "lots"])
      var flagged = 0
      for p in periods {
        for r in try await ledger.reconcile(
          scenario: s, agreements: agreements, period: p, tolerance: tolerance, as: actor)
        {
          if r.status != "ok" && r.status != "no shipments" {
            flagged += 1
            flaggedLots.append([r.agreement, r.period, r.status, r.lots.joined(separator: " ")])
          }
          t.append([
            r.agreement, r.period, r.principal, r.processor, kgText(r.shipped), kgText(r.consumed), kgText(r.inProcess),
            kgText(r.expectedOutput), kgText(r.made), kgText(r.expectedReturn), kgText(r.returned),
            kgText(r.awaitingReturn), kgText(r.expectedRetained), kgText(r.retained), kgText(r.shortfall), r.status,
          ])
        }
      }
      try options.emit(flagged > 0 ? [t, flaggedLots] : [t], name: "reconcile")
      if options.format == .table && flagged > 0 { print("\(flagged) row(s) flagged beyond tolerance") }
    }
  }
}

struct LedgerBalance: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "balance", abstract: "Lots you own, hold or were consigned: mass, owner, holder, location, status.")
  @OptionGroup var options: LedgerOptions

  func run() async throws {
    try await options.withLedger { actor, ledger in
      var t = Table(
        title: "Lots visible to \(actor.organisation)",
        columns: ["lot", "material", "grade", "mass_kg", "owner", "holder", "location", "status"])
      var totals: [String: Double] = [:]
      for l in try await ledger.lots(as: actor) {
        t.append([l.id, l.material, l.grade ?? "", kgText(l.mass), l.owner, l.holder, l.location ?? "", l.status.rawValue])
        if l.owner == actor.organisation { totals[l.material, default: 0] += l.mass }
      }
      var sum = Table(title: "Owned by \(actor.organisation), by material", columns: ["material", "mass_kg"])
      for (m, kg) in totals.sorted(by: { $0.key < $1.key }) { sum.append([m, kgText(kg)]) }
      try options.emit([t, sum], name: "balance")
    }
  }
}

struct LedgerAccessLog: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "access-log", abstract: "Your organisation's reads and writes, allowed and denied (auditors, admins).")
  @OptionGroup var options: LedgerOptions

  func run() async throws {
    try await options.withLedger { actor, ledger in
      var t = Table(title: "Access log of \(actor.organisation)", columns: ["at", "organisation", "role", "action", "target", "allowed", "reason"])
      for a in try await ledger.accessLog(as: actor) {
        t.append([a.at, a.organisation, a.role, a.action, a.target, a.allowed ? "yes" : "no", a.reason])
      }
      try options.emit([t], name: "access-log")
    }
  }
}

/// Records commissioning events in a loop, printing each committed sequence (the kill test).
struct LedgerStressWriter: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stress-writer", abstract: "Write events in a loop for the kill test.", shouldDisplay: false)
  @Option var db: String
  @Option var organisation = "stress"
  @Option var count = 1_000_000

  func run() async throws {
    try await runLedger {
      let store = try await openLedgerStore(db)
      let ledger = Ledger(store: store, now: { Date().formatted(.iso8601) })
      let actor = Actor(organisation: organisation, role: .operator)
      let start = try await store.head(chain: organisation)?.sequence ?? 0
      for k in 1...max(1, count) {
        let n = start + Int64(k)
        let e = LedgerEvent(
          kind: .object, eventID: "\(organisation)-\(n)-\(UUID().uuidString)", eventTime: "2027-01-01T00:00:00Z",
          action: .add, bizStep: .commissioning, bizLocation: "irel-aluva",
          created: [LotSpec(id: "\(organisation)-lot-\(n)", material: "ndpr-oxide", mass: 1000, assay: [.Nd: 0.681, .Pr: 0.17])])
        let r = try await ledger.record([e], as: actor)
        // Unbuffered: a line printed is a commit acknowledged.
        FileHandle.standardOutput.write(Data("\(r[0].sequence)\n".utf8))
      }
    }
  }
}
