import ArgumentParser
import Foundation
import LodestoneServer
import Logging

/// `lodestone serve`: the HTTP API and dashboard.
struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Serve the HTTP API and web dashboard (see docs/server.md).",
    discussion: """
      Every option may also come from the environment: LODESTONE_HOST, LODESTONE_PORT, LODESTONE_DATA,
      LODESTONE_TOKENS, LODESTONE_MAX_BODY, LODESTONE_JOB_TIMEOUT, LODESTONE_REQUIRE_TOKEN=1 (options win).
      On an address other than loopback every route but /health needs a token from --tokens.
      SIGTERM or SIGINT: stop accepting, cancel unfinished jobs, exit 0.
      """)

  @Option(help: "Address to bind.") var host: String?
  @Option(help: "TCP port (0: any free port).") var port: Int?
  @Option(help: "Directory for the server's history: DIR/lodestone.db (stored scenarios and run results).") var data: String?
  @Option(help: "Tokens file: one 'TOKEN ORGANISATION:ROLE' per line (role viewer, operator or admin).") var tokens: String?
  @Option(name: .customLong("max-body"), help: "Largest request body, e.g. 1MB, 512kB.") var maxBody: String?
  @Option(name: .customLong("job-timeout"), help: "Wall-clock limit of one job, e.g. 300s, 10m.") var jobTimeout: String?
  @Flag(name: .customLong("require-token"), help: "Require a token even on loopback.") var requireToken = false

  func run() async throws {
    let env = ProcessInfo.processInfo.environment
    var config = ServerConfig()
    config.host = host ?? env["LODESTONE_HOST"] ?? config.host
    if let p = port ?? env["LODESTONE_PORT"].flatMap({ Int($0) }) {
      guard (0...65535).contains(p) else { throw ValidationError("--port must be in 0…65535; got \(p).") }
      config.port = p
    } else if let raw = env["LODESTONE_PORT"] {
      throw ValidationError("LODESTONE_PORT must be a port number; got '\(raw)'.")
    }
    config.dataDirectory = data ?? env["LODESTONE_DATA"]
    if let m = maxBody ?? env["LODESTONE_MAX_BODY"] {
      guard let b = parseByteSize(m) else { throw ValidationError("--max-body must be a size such as 1MB, 512kB or 1048576; got '\(m)'.") }
      config.maxBodyBytes = b
    }
    if let t = jobTimeout ?? env["LODESTONE_JOB_TIMEOUT"] {
      guard let s = parseSeconds(t) else { throw ValidationError("--job-timeout must be a duration such as 300s, 10m or 1h; got '\(t)'.") }
      config.jobTimeout = s
    }
    config.requireTokenFlag = requireToken || env["LODESTONE_REQUIRE_TOKEN"] == "1"
    try reportingErrors {
      if let path = tokens ?? env["LODESTONE_TOKENS"] {
        config.tokens = try TokenTable(text: try readText(path), file: path)
      }
      if config.requiresToken, config.tokens.count == 0 {
        throw DataError("The server on \(config.host) needs tokens (every route but /health requires one); give --tokens FILE.")
      }
    }
    var logger = Logger(label: "lodestone.server")
    logger.logLevel = .info
    let state: ServerState
    do { state = try await ServerState(config: config, logger: logger) } catch { throw DataError("cannot use --data \(config.dataDirectory ?? ""): \(error.localizedDescription)") }
    let host = config.host
    let note = "\(config.tokens.count) token(s); tokens \(config.requiresToken ? "required" : "optional on loopback")"
    let app = try buildApplication(state: state) { port in
      printError("lodestone serve: listening on http://\(host):\(port)/ (\(note))")
    }
    try await app.runService()
  }
}
