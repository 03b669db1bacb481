import Foundation
import Hummingbird
import Ledger
import LedgerSQLite
import Logging
import NIOCore
import Quantities
import ServiceLifecycle

/// The request context: Hummingbird's core storage plus who is calling.
public struct LodestoneContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// Set by the authentication middleware before any handler runs.
  public var identity: Identity = .local
  public init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
}

/// A JSON error with a 4xx/5xx status: `{"error": code, "message": text, "location"?: {file, line, column}}`.
public struct APIError: Error, Sendable {
  public var status: HTTPResponse.Status
  public var code: String
  public var message: String
  public var location: (file: String, line: Int, column: Int)?

  public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, location: (file: String, line: Int, column: Int)? = nil) {
    self.status = status
    self.code = code
    self.message = message
    self.location = location
  }

  var json: String {
    var f = ["\"error\":\(jsonString(code))", "\"message\":\(jsonString(message))"]
    if let l = location { f.append("\"location\":{\"file\":\(jsonString(l.file)),\"line\":\(l.line),\"column\":\(l.column)}") }
    return "{" + f.joined(separator: ",") + "}\n"
  }

  static func badRequest(_ m: String) -> APIError { APIError(.badRequest, "bad-request", m) }
  static func notFound(_ m: String) -> APIError { APIError(.notFound, "not-found", m) }
}

/// One route: method, path pattern (`:name` parameters), the roles that may call it (nil: public)
/// and what it does.
public struct RouteSpec: Sendable {
  public var method: HTTPRequest.Method
  public var path: String
  /// The roles allowed, in `Role.allCases` order; nil for a public route.
  public var roles: [Role]?
  public var summary: String
  /// A route open to every role that `grants` `least` (nil: public).
  public init(_ method: HTTPRequest.Method, _ path: String, _ least: Role?, _ summary: String) {
    self.method = method
    self.path = path
    self.roles = least.map { need in Role.allCases.filter { $0.grants(need) } }
    self.summary = summary
  }
  /// A ledger route: open to exactly the roles the ledger's matrix allows for `operation`.
  public init(_ method: HTTPRequest.Method, _ path: String, ledger operation: LedgerOperation, _ summary: String) {
    self.method = method
    self.path = path
    self.roles = Role.allCases.filter { operation.allowedRoles.contains($0) }
    self.summary = summary
  }
  public var key: String { "\(method.rawValue) \(path)" }
  /// The path in OpenAPI's form: `/api/jobs/{id}`.
  public var openAPIPath: String {
    path.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
  }
}

typealias Handler = @Sendable (Request, LodestoneContext) async throws -> Response

/// Everything a handler needs.
public final class ServerState: Sendable {
  public let config: ServerConfig
  public let scenarios: ScenarioLibrary
  public let jobs: JobManager
  public let metrics: ServerMetrics
  let logger: Logger

  /// The ledger store under `--data` (`DIR/lodestone.db`), where scenarios and run results are kept.
  public let store: (any LedgerStore)?

  /// The tolling ledger served under `/api/ledger` and `/ui/ledger`: over `store` with `--data`,
  /// otherwise over a throwaway SQLite file in a fresh temporary directory (lost when the process ends).
  public let ledger: Ledger
  /// True when `ledger` is the throwaway store (no `--data`).
  public let ledgerIsTemporary: Bool

  /// Opens the store under `--data` (creating the directory and database, applying migrations).
  public init(config: ServerConfig, logger: Logger = Logger(label: "lodestone.server")) async throws {
    self.config = config
    if let d = config.dataDirectory {
      try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
      let s = try SQLiteStore(path: URL(fileURLWithPath: d).appendingPathComponent("lodestone.db").path)
      _ = try await s.migrate()
      store = s
    } else {
      store = nil
    }
    if let store {
      ledgerIsTemporary = false
      ledger = Ledger(store: store, now: { Date().formatted(.iso8601) })
    } else {
      let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("lodestone-ledger-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      let s = try SQLiteStore(path: dir.appendingPathComponent("lodestone.db").path)
      _ = try await s.migrate()
      ledgerIsTemporary = true
      ledger = Ledger(store: s, now: { Date().formatted(.iso8601) })
    }
    self.scenarios = try await ScenarioLibrary(store: store)
    self.metrics = ServerMetrics()
    var last = 0
    for d in try await store?.documents(kind: "run") ?? [] { last = max(last, Int(d.name.dropFirst(4)) ?? 0) }
    self.jobs = JobManager(concurrent: config.concurrentJobs, timeout: config.jobTimeout, metrics: metrics, store: store, firstNumber: last + 1)
    self.logger = logger
  }

  /// Reads the whole body, at most `--max-body` bytes (more → 413).
  func body(_ request: Request) async throws -> String {
    let buffer: ByteBuffer
    do { buffer = try await request.body.collect(upTo: config.maxBodyBytes) } catch let e as HTTPError where e.status == .contentTooLarge {
      throw APIError(.contentTooLarge, "too-large", "the request body is larger than the limit of \(config.maxBodyBytes) bytes")
    }
    guard let s = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) else {
      throw APIError.badRequest("the request body must be UTF-8 text")
    }
    return s
  }

  /// Decodes a JSON body into `T`, with a 400 naming the field when it does not fit.
  func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
    let text = try await body(request)
    do {
      return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    } catch let DecodingError.keyNotFound(k, _) {
      throw APIError.badRequest("the JSON body needs the field '\(k.stringValue)'")
    } catch let DecodingError.typeMismatch(t, c) {
      throw APIError.badRequest("field '\(c.codingPath.map(\.stringValue).joined(separator: "."))' must be \(t)")
    } catch let DecodingError.valueNotFound(t, c) {
      throw APIError.badRequest("field '\(c.codingPath.map(\.stringValue).joined(separator: "."))' must be \(t), not null")
    } catch {
      throw APIError.badRequest("the body must be a JSON object: \(error.localizedDescription)")
    }
  }
}

/// Turns every error into a JSON response; counts and logs requests.
struct ErrorAndMetricsMiddleware: RouterMiddleware {
  typealias Context = LodestoneContext
  let state: ServerState

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    let start = ContinuousClock.now
    var response: Response
    do {
      response = try await next(request, context)
    } catch let e as APIError {
      response = jsonResponse(e.json, status: e.status)
    } catch let e as HTTPResponseError {
      let code = e.status == .notFound ? "not-found" : e.status == .contentTooLarge ? "too-large" : "http-\(e.status.code)"
      let message = e.status == .notFound ? "no route \(request.method.rawValue) \(request.uri.path); see /openapi.json" : e.status.reasonPhrase
      response = jsonResponse(APIError(e.status, code, message).json, status: e.status)
    } catch {
      state.logger.error("internal error", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
      response = jsonResponse(APIError(.internalServerError, "internal", "internal error; see the server log").json, status: .internalServerError)
    }
    let d = ContinuousClock.now - start
    let ns = d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    state.metrics.request(method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: response.status.code, nanoseconds: ns)
    return response
  }
}

/// Resolves the caller from `Authorization: Bearer TOKEN` or the dashboard's `lodestone_token` cookie.
/// Refuses bodies whose declared length exceeds the limit (413) before reading them.
struct AuthMiddleware: RouterMiddleware {
  typealias Context = LodestoneContext
  let state: ServerState
  static let publicPaths: Set<String> = ["/health", "/ui/login"]

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    if let len = request.headers[.contentLength].flatMap({ Int($0) }), len > state.config.maxBodyBytes {
      throw APIError(.contentTooLarge, "too-large", "the request body (\(len) bytes) is larger than the limit of \(state.config.maxBodyBytes) bytes")
    }
    var context = context
    var token: String?
    if let h = request.headers[.authorization], h.hasPrefix("Bearer ") { token = String(h.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
    if token == nil, let c = request.headers[.cookie] {
      for part in c.split(separator: ";") {
        let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
        if kv.count == 2, kv[0] == "lodestone_token" { token = String(kv[1]).removingPercentEncoding }
      }
    }
    if let token {
      guard let id = state.config.tokens.identity(forToken: token) else {
        if Self.publicPaths.contains(request.uri.path) { return try await next(request, context) }
        throw APIError(.unauthorized, "unauthorized", "the token is not valid")
      }
      context.identity = id
    } else if state.config.requiresToken {
      guard Self.publicPaths.contains(request.uri.path) else {
        throw APIError(.unauthorized, "unauthorized", "this server requires a token: send 'Authorization: Bearer TOKEN' (or sign in at /ui/login)")
      }
      context.identity = Identity(organisation: "anonymous", role: .viewer, tokenID: "")
    }
    return try await next(request, context)
  }
}

func jsonResponse(_ json: String, status: HTTPResponse.Status = .ok) -> Response {
  Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: json)))
}

func textResponse(_ text: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
  Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
}

func redirect(_ location: String) -> Response {
  Response(status: .seeOther, headers: [.location: location])
}

/// Builds the router: every route of `routeTable` with its handler, behind the role check.
public func buildRouter(state: ServerState) throws -> Router<LodestoneContext> {
  let router = Router(context: LodestoneContext.self)
  router.add(middleware: ErrorAndMetricsMiddleware(state: state))
  router.add(middleware: AuthMiddleware(state: state))
  let handlers = apiHandlers(state).merging(pageHandlers(state)) { a, _ in a }.merging(ledgerAPIHandlers(state)) { a, _ in a }
    .merging(ledgerPageHandlers(state)) { a, _ in a }
  for spec in routeTable {
    guard let handler = handlers[spec.key] else { throw APIError(.internalServerError, "internal", "route \(spec.key) has no handler") }
    router.on(RouterPath(spec.path), method: spec.method) { request, context -> Response in
      if let roles = spec.roles, !roles.contains(context.identity.role) {
        throw APIError(
          .forbidden, "forbidden",
          "\(spec.key) needs one of the roles \(roles.map(\.rawValue).joined(separator: ", ")); this token (\(context.identity.organisation)) has \(context.identity.role.rawValue)")
      }
      return try await handler(request, context)
    }
  }
  return router
}

/// Cancels running jobs when the service group shuts down (SIGTERM/SIGINT).
struct JobsShutdownService: Service {
  let jobs: JobManager
  let logger: Logger
  func run() async throws {
    try? await gracefulShutdown()
    let n = jobs.all().filter { !$0.state.isFinished }.count
    jobs.cancelAll()
    logger.info("shutting down: cancelled \(n) unfinished job(s)")
  }
}

/// The whole server application; `runService()` serves until SIGTERM/SIGINT, then stops accepting,
/// cancels unfinished jobs and returns.
public func buildApplication(state: ServerState, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
  let router = try buildRouter(state: state)
  return Application(
    router: router,
    configuration: .init(address: .hostname(state.config.host, port: state.config.port), serverName: "lodestone"),
    services: [JobsShutdownService(jobs: state.jobs, logger: state.logger)],
    onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
    logger: state.logger)
}
