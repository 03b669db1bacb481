// The ledger's PostgreSQL store (postgres-nio). An I/O target: it talks to a server over the
// network, and nothing else (no files, no stdout).
//
// Locking design (docs/ledger-postgres.md): every chain has a row in `chains`. An append runs in
// one transaction that first makes sure the row of each chain it touches exists, then locks those
// rows `FOR UPDATE` in sorted order (so two batches touching the same chains cannot deadlock),
// then reads each chain's real head from `events` and checks the batch's first sequence and
// previous hash against it. Writers of the same chain therefore run one after another; a writer
// that built its record on a stale head gets `StoreError.chainConflict` and nothing is written.
// UNIQUE(chain, sequence) and UNIQUE(event_id) back the check up inside the database.
import Foundation
import Ledger
import Logging
import PostgresNIO
import Synchronization

/// A `LedgerStore` kept in a PostgreSQL database, for teams sharing one ledger.
///
/// Open with `PostgresStore.open("postgres://user@host:5432/db")`, then `migrate()`. The store owns
/// a connection pool and the task that runs it; `close()` cancels that task. Safe to share
/// between tasks.
public final class PostgresStore: LedgerStore {
  /// The newest schema version this build knows.
  public static let supportedSchemaVersion = migrations.count

  public let url: PostgresURL
  public var location: String { url.location }

  private let client: PostgresClient
  private let runTask: Task<Void, Never>
  private let logger: Logger

  private init(url: PostgresURL, client: PostgresClient, runTask: Task<Void, Never>, logger: Logger) {
    self.url = url
    self.client = client
    self.runTask = runTask
    self.logger = logger
  }

  deinit { runTask.cancel() }

  /// Parses `urlText` and connects. Throws `PostgresURLError` for a malformed URL and
  /// `StoreError.unavailable` when the server cannot be reached or refuses the login within the
  /// URL's `connect_timeout`. Does not migrate.
  public static func open(_ urlText: String) async throws -> PostgresStore {
    try await open(PostgresURL(urlText))
  }

  /// Connects to `url`; see `open(_:)`.
  public static func open(_ url: PostgresURL) async throws -> PostgresStore {
    let logger = Logger(label: "lodestone.ledger.postgres", factory: { _ in SilentLogHandler() })
    // One direct connection first: its failure says why (refused, unknown host, bad password,
    // no such database) instead of the pool's retrying in the background.
    try await probe(url, logger: logger)
    let client = PostgresClient(configuration: try clientConfiguration(url), backgroundLogger: logger)
    let runTask = Task { await client.run() }
    return PostgresStore(url: url, client: client, runTask: runTask, logger: logger)
  }

  public func close() async throws {
    runTask.cancel()
    await runTask.value
  }

  // MARK: Migrations

  /// Each entry is one schema version: the statements that take the previous version to it.
  static let migrations: [[String]] = [
    [
      #"CREATE TABLE chains (chain TEXT COLLATE "C" PRIMARY KEY)"#,
      #"""
      CREATE TABLE events (
        chain TEXT COLLATE "C" NOT NULL REFERENCES chains (chain),
        sequence BIGINT NOT NULL CHECK (sequence >= 1),
        event_id TEXT COLLATE "C" NOT NULL,
        recorded_at TEXT NOT NULL,
        body TEXT NOT NULL,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        CONSTRAINT events_chain_sequence_key UNIQUE (chain, sequence),
        CONSTRAINT events_event_id_key UNIQUE (event_id)
      )
      """#,
      // Appends in one statement: lock each chain's row (sorted: no deadlocks), check each chain's
      // first record against the real head (in batch order), insert. Each statement of a
      // plpgsql function sees what was committed before it ran, so after waiting for the lock the
      // head read is current. A conflict raises SQLSTATE LD001 with "chain\nsequence\nhead".
      #"""
      CREATE FUNCTION lodestone_append(
        p_chain text[], p_sequence int8[], p_event_id text[], p_recorded_at text[], p_body text[],
        p_previous_hash text[], p_hash text[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        head_seq int8;
        head_hash text;
      BEGIN
        INSERT INTO chains (chain) SELECT DISTINCT c FROM unnest(p_chain) AS c ORDER BY 1 ON CONFLICT DO NOTHING;
        PERFORM 1 FROM chains WHERE chain = ANY(p_chain) ORDER BY chain FOR UPDATE;
        FOR i IN 1..coalesce(array_length(p_chain, 1), 0) LOOP
          CONTINUE WHEN p_chain[i] = ANY(p_chain[1:i-1]);
          SELECT sequence, hash INTO head_seq, head_hash FROM events
            WHERE chain = p_chain[i] ORDER BY sequence DESC LIMIT 1;
          IF NOT FOUND THEN
            head_seq := 0;
            head_hash := repeat('0', 64);
          END IF;
          IF p_sequence[i] <> head_seq + 1 OR p_previous_hash[i] <> head_hash THEN
            RAISE EXCEPTION 'chain % moved on', p_chain[i] USING ERRCODE = 'LD001',
              DETAIL = p_chain[i] || E'\n' || p_sequence[i] || E'\n' || head_seq;
          END IF;
        END LOOP;
        INSERT INTO events (chain, sequence, event_id, recorded_at, body, previous_hash, hash)
          SELECT * FROM unnest(p_chain, p_sequence, p_event_id, p_recorded_at, p_body, p_previous_hash, p_hash);
      END
      $$
      """#,
      #"""
      CREATE TABLE access_log (
        id BIGSERIAL PRIMARY KEY,
        at TEXT NOT NULL,
        organisation TEXT NOT NULL,
        role TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        allowed BOOLEAN NOT NULL,
        reason TEXT NOT NULL
      )
      """#,
      #"""
      CREATE TABLE documents (
        kind TEXT COLLATE "C" NOT NULL,
        name TEXT COLLATE "C" NOT NULL,
        body TEXT NOT NULL,
        stored_at TEXT NOT NULL,
        PRIMARY KEY (kind, name)
      )
      """#,
    ]
  ]

  public func migrate() async throws -> Int {
    let schema = url.schema
    let location = self.location
    let lockKey = "lodestone.migrate." + (schema ?? "")
    return try await transaction { conn, logger in
      // Serialise concurrent migrators of the same schema.
      try await conn.exec("SELECT pg_advisory_xact_lock(hashtext(\(lockKey)))", logger: logger)
      if let schema {  // a plain identifier (checked by PostgresURL), so safe to splice
        try await conn.exec(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
      }
      try await conn.exec(
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
        """, logger: logger)
      var found = 0
      for try await v in try await conn.query(
        "SELECT coalesce(max(version), 0)::int8 FROM schema_migrations", logger: logger
      ).decode(Int64.self) {
        found = Int(v)
      }
      let supported = Self.migrations.count
      if found > supported {
        throw StoreError.schemaTooNew(location: location, found: found, supported: supported)
      }
      for version in (found + 1)..<(supported + 1) {
        for statement in Self.migrations[version - 1] {
          try await conn.exec(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
        try await conn.exec("INSERT INTO schema_migrations (version) VALUES (\(version))", logger: logger)
      }
      return supported
    }
  }

  public func schemaVersion() async throws -> Int {
    try await connection { conn, logger in
      var exists = false
      for try await present in try await conn.query(
        "SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger
      ).decode(Bool.self) {
        exists = present
      }
      guard exists else { return 0 }
      var found = 0
      for try await v in try await conn.query(
        "SELECT coalesce(max(version), 0)::int8 FROM schema_migrations", logger: logger
      ).decode(Int64.self) {
        found = Int(v)
      }
      return found
    }
  }

  // MARK: Records

  public func append(_ records: [EventRecord]) async throws {
    guard !records.isEmpty else { return }
    var ids: Set<String> = []
    for r in records where !ids.insert(r.eventID).inserted {
      throw StoreError.duplicateEvent(eventID: r.eventID)
    }
    // Within the batch, each chain's records must follow on.
    var firsts: [EventRecord] = []  // each chain's first record, in batch order
    var lastOf: [String: EventRecord] = [:]
    for r in records {
      if let last = lastOf[r.chain] {
        guard r.sequence == last.sequence + 1, r.previousHash == last.hash else {
          throw StoreError.chainConflict(chain: r.chain, expectedSequence: r.sequence, headSequence: last.sequence)
        }
      } else {
        firsts.append(r)
      }
      lastOf[r.chain] = r
    }
    // One statement, hence one round trip and its own transaction: lodestone_append locks,
    // checks and inserts (see the migration).
    _ = firsts
    try await connection { conn, logger in
      try await conn.exec(
        """
        SELECT lodestone_append(\(records.map(\.chain))::text[], \(records.map(\.sequence))::int8[],
          \(records.map(\.eventID))::text[], \(records.map(\.recordedAt))::text[], \(records.map(\.body))::text[],
          \(records.map(\.previousHash))::text[], \(records.map(\.hash))::text[])
        """, logger: logger)
    }
  }

  public func head(chain: String) async throws -> EventRecord? {
    try await fetchRecords(
      """
      SELECT chain, sequence, event_id, recorded_at, body, previous_hash, hash FROM events
      WHERE chain = \(chain) ORDER BY sequence DESC LIMIT 1
      """
    ).first
  }

  public func records(chain: String?) async throws -> [EventRecord] {
    if let chain {
      return try await fetchRecords(
        """
        SELECT chain, sequence, event_id, recorded_at, body, previous_hash, hash FROM events
        WHERE chain = \(chain) ORDER BY sequence
        """)
    }
    return try await fetchRecords(
      """
      SELECT chain, sequence, event_id, recorded_at, body, previous_hash, hash FROM events
      ORDER BY chain, sequence
      """)
  }

  public func chains() async throws -> [String] {
    try await connection { conn, logger in
      var names: [String] = []
      for try await name in try await conn.query(
        "SELECT DISTINCT chain FROM events ORDER BY chain", logger: logger
      ).decode(String.self) {
        names.append(name)
      }
      return names
    }
  }

  private func fetchRecords(_ query: PostgresQuery) async throws -> [EventRecord] {
    try await connection { conn, logger in
      var out: [EventRecord] = []
      for try await (chain, sequence, eventID, recordedAt, body, previousHash, hash) in try await conn.query(
        query, logger: logger
      ).decode((String, Int64, String, String, String, String, String).self) {
        out.append(
          EventRecord(
            chain: chain, sequence: sequence, eventID: eventID, recordedAt: recordedAt, body: body,
            previousHash: previousHash, hash: hash))
      }
      return out
    }
  }

  // MARK: Access log and documents

  public func logAccess(_ r: AccessRecord) async throws {
    try await connection { conn, logger in
      try await conn.exec(
        """
        INSERT INTO access_log (at, organisation, role, action, target, allowed, reason)
        VALUES (\(r.at), \(r.organisation), \(r.role), \(r.action), \(r.target), \(r.allowed), \(r.reason))
        """, logger: logger)
    }
  }

  public func accessLog() async throws -> [AccessRecord] {
    try await connection { conn, logger in
      var out: [AccessRecord] = []
      for try await (at, organisation, role, action, target, allowed, reason) in try await conn.query(
        "SELECT at, organisation, role, action, target, allowed, reason FROM access_log ORDER BY id",
        logger: logger
      ).decode((String, String, String, String, String, Bool, String).self) {
        out.append(
          AccessRecord(
            at: at, organisation: organisation, role: role, action: action, target: target, allowed: allowed,
            reason: reason))
      }
      return out
    }
  }

  public func putDocument(_ d: StoredDocument) async throws {
    try await connection { conn, logger in
      try await conn.exec(
        """
        INSERT INTO documents (kind, name, body, stored_at) VALUES (\(d.kind), \(d.name), \(d.body), \(d.storedAt))
        ON CONFLICT (kind, name) DO UPDATE SET body = EXCLUDED.body, stored_at = EXCLUDED.stored_at
        """, logger: logger)
    }
  }

  public func document(kind: String, name: String) async throws -> StoredDocument? {
    try await fetchDocuments(
      "SELECT kind, name, body, stored_at FROM documents WHERE kind = \(kind) AND name = \(name)"
    ).first
  }

  public func documents(kind: String) async throws -> [StoredDocument] {
    try await fetchDocuments("SELECT kind, name, body, stored_at FROM documents WHERE kind = \(kind) ORDER BY name")
  }

  private func fetchDocuments(_ query: PostgresQuery) async throws -> [StoredDocument] {
    try await connection { conn, logger in
      var out: [StoredDocument] = []
      for try await (kind, name, body, storedAt) in try await conn.query(query, logger: logger).decode(
        (String, String, String, String).self)
      {
        out.append(StoredDocument(kind: kind, name: name, body: body, storedAt: storedAt))
      }
      return out
    }
  }

  /// Runs one SQL statement as is, bypassing the store's checks. Not API: for tests that tamper
  /// with the tables the way someone with database access could.
  public func _executeUnchecked(_ sql: String) async throws {
    try await connection { conn, logger in
      try await conn.exec(PostgresQuery(unsafeSQL: sql), logger: logger)
    }
  }

  // MARK: Connections, transactions, errors

  /// Leases a pooled connection for `body`. If no connection can be had within the URL's
  /// connect timeout (server gone, pool exhausted), throws `StoreError.unavailable` instead of
  /// waiting on; once leased, `body` runs to completion.
  private func connection<R: Sendable>(
    _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> R
  ) async throws -> R {
    let client = self.client
    let logger = self.logger
    let leased = LeaseFlag()
    let timeout = url.connectTimeout
    do {
      return try await withThrowingTaskGroup(of: LeaseOutcome<R>.self) { group in
        group.addTask {
          try await client.withConnection { conn in
            leased.set()
            return LeaseOutcome.value(try await body(conn, logger))
          }
        }
        group.addTask {
          try await patientSleep(seconds: timeout)
          return leased.isSet ? .leasedInTime : .timedOut
        }
        while let outcome = try await group.next() {
          switch outcome {
          case .value(let v):
            group.cancelAll()
            return v
          case .leasedInTime:
            continue
          case .timedOut:
            group.cancelAll()
            throw StoreError.unavailable(
              location: location,
              reason: "no connection to the server within \(Self.seconds(timeout)) (connect_timeout)")
          }
        }
        throw StoreError.unavailable(location: location, reason: "the operation was cancelled")
      }
    } catch {
      throw mapError(error)
    }
  }

  /// Runs `body` in one transaction on one connection: committed if it returns, rolled back if it throws.
  private func transaction<R: Sendable>(
    _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> R
  ) async throws -> R {
    try await connection { conn, logger in
      try await conn.exec("BEGIN", logger: logger)
      do {
        let value = try await body(conn, logger)
        try await conn.exec("COMMIT", logger: logger)
        return value
      } catch {
        _ = try? await conn.query("ROLLBACK", logger: logger)
        throw error
      }
    }
  }

  /// StoreErrors pass through; database errors become the contract's errors.
  private func mapError(_ error: any Error) -> any Error {
    if error is StoreError { return error }
    if let e = error as? PSQLError, let info = e.serverInfo, let state = info[.sqlState] {
      if state == "LD001", let detail = info[.detail] {  // raised by lodestone_append
        let parts = detail.split(separator: "\n", omittingEmptySubsequences: false)
        if parts.count == 3, let expected = Int64(parts[1]), let head = Int64(parts[2]) {
          return StoreError.chainConflict(chain: String(parts[0]), expectedSequence: expected, headSequence: head)
        }
      }
      if state == "23505" {  // unique_violation
        if info[.constraintName] == "events_event_id_key" {
          return StoreError.duplicateEvent(eventID: Self.keyValue(info[.detail]) ?? "(unknown)")
        }
        // Not reachable while appends hold the chain's lock; kept so a writer that bypassed it
        // still sees a conflict rather than a server error.
        if info[.constraintName] == "events_chain_sequence_key", let key = Self.keyValue(info[.detail]),
          let comma = key.range(of: ", ", options: .backwards), let sequence = Int64(key[comma.upperBound...])
        {
          return StoreError.chainConflict(
            chain: String(key[..<comma.lowerBound]), expectedSequence: sequence, headSequence: sequence)
        }
      }
    }
    return StoreError.unavailable(location: location, reason: Self.reason(error))
  }

  /// `Key (event_id)=(abc) already exists.` → `abc`.
  private static func keyValue(_ detail: String?) -> String? {
    guard let detail, let open = detail.range(of: ")=("),
      let close = detail.range(of: ") already exists", range: open.upperBound..<detail.endIndex)
    else { return nil }
    return String(detail[open.upperBound..<close.lowerBound])
  }

  /// A readable reason, without the password (PostgreSQL's own messages never contain it).
  static func reason(_ error: any Error) -> String {
    if let e = error as? PSQLError {
      if let info = e.serverInfo, let message = info[.message] {
        let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
        return "server said: \(message)\(state)"
      }
      if let underlying = e.underlying { return "\(e.code): \(reason(underlying))" }
      return "\(e.code)"
    }
    if error is CancellationError { return "the operation was cancelled" }
    return String(describing: error)
  }

  static func seconds(_ s: Double) -> String {
    s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
  }

  // MARK: Opening

  private static func tls(_ url: PostgresURL) -> PostgresClient.Configuration.TLS {
    switch url.sslMode {
    case .disable: return .disable
    case .prefer:
      var c = TLSConfiguration.makeClientConfiguration()
      c.certificateVerification = .none  // as libpq's sslmode=prefer: encrypt if offered, no certificate check
      return .prefer(c)
    case .require: return .require(.makeClientConfiguration())
    }
  }

  private static func startupParameters(_ url: PostgresURL) -> [(String, String)] {
    url.schema.map { [("search_path", $0)] } ?? []
  }

  private static func clientConfiguration(_ url: PostgresURL) throws -> PostgresClient.Configuration {
    var c = PostgresClient.Configuration(
      host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
      tls: tls(url))
    c.options.connectTimeout = .milliseconds(Int64(url.connectTimeout * 1000))
    c.options.additionalStartupParameters = startupParameters(url)
    c.options.maximumConnections = 16
    return c
  }

  private static func probe(_ url: PostgresURL, logger: Logger) async throws {
    let tlsConfig: PostgresConnection.Configuration.TLS
    do {
      switch url.sslMode {
      case .disable: tlsConfig = .disable
      case .prefer:
        var c = TLSConfiguration.makeClientConfiguration()
        c.certificateVerification = .none
        tlsConfig = .prefer(try NIOSSLContext(configuration: c))
      case .require: tlsConfig = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
      }
    } catch {
      throw StoreError.unavailable(location: url.location, reason: "cannot set up TLS: \(reason(error))")
    }
    var config = PostgresConnection.Configuration(
      host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
      tls: tlsConfig)
    config.options.connectTimeout = .milliseconds(Int64(url.connectTimeout * 1000))
    config.options.additionalStartupParameters = startupParameters(url)
    let timeout = url.connectTimeout
    let configuration = config
    do {
      try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
          let conn = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
          try? await conn.close()
          return true
        }
        group.addTask {
          try await patientSleep(seconds: timeout)
          return false
        }
        let connected = try await group.next() ?? false
        group.cancelAll()
        if !connected {
          throw StoreError.unavailable(
            location: url.location,
            reason: "no answer from the server within \(seconds(timeout)) (connect_timeout)")
        }
      }
    } catch let e as StoreError {
      throw e
    } catch {
      throw StoreError.unavailable(location: url.location, reason: reason(error))
    }
  }
}

extension PostgresConnection {
  /// Runs a statement and reads its result to the end before returning.
  fileprivate func exec(_ query: PostgresQuery, logger: Logger) async throws {
    for try await _ in try await self.query(query, logger: logger) {}
  }
}

/// Sleeps until `seconds` have passed during which this process could run. A 100 ms step that
/// took over a second means the task was starved (a loaded machine, a thread pool blocked by
/// someone else) rather than the server being slow, so it counts as 100 ms: a timeout then fires
/// only when the server really kept us waiting.
func patientSleep(seconds: Double) async throws {
  let step = Duration.milliseconds(100)
  var counted = Duration.zero
  while counted < .seconds(seconds) {
    let start = ContinuousClock.now
    try await Task.sleep(for: step)
    let took = ContinuousClock.now - start
    counted += took > .seconds(1) ? step : took
  }
}

private enum LeaseOutcome<R: Sendable>: Sendable {
  case value(R)
  case leasedInTime
  case timedOut
}

/// Set once a pooled connection has been leased.
private final class LeaseFlag: Sendable {
  private let flag = Atomic<Bool>(false)
  func set() { flag.store(true, ordering: .releasing) }
  var isSet: Bool { flag.load(ordering: .acquiring) }
}

/// postgres-nio logs through swift-log; a library prints nothing, so its messages go nowhere.
struct SilentLogHandler: LogHandler {
  var logLevel: Logger.Level = .critical
  var metadata: Logger.Metadata = [:]
  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }
  func log(event: LogEvent) {}
}
