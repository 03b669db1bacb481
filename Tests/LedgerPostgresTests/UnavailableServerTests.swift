import Foundation
import Ledger
import LedgerPostgres
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A server that cannot be reached is reported as `StoreError.unavailable`, naming the location
/// without the password and saying why, and opening never hangs past `connect_timeout`.
/// These need no PostgreSQL.
@Suite struct UnavailableServerTests {
  @Test func refusedConnectionIsUnavailable() async throws {
    let (fd, port) = try listeningSocket(backlog: false)
    defer { close(fd) }  // bound but not listening: connecting to `port` is refused
    let url = try PostgresURL("postgres://irel:hunter2@127.0.0.1:\(port)/ledger?connect_timeout=5")
    do {
      _ = try await PostgresStore.open(url)
      Issue.record("opened a store on a closed port")
    } catch let StoreError.unavailable(location, reason) {
      #expect(location == "postgres://irel@127.0.0.1:\(port)/ledger")
      #expect(!reason.isEmpty)
      #expect(!reason.contains("hunter2") && !location.contains("hunter2"))
    }
  }

  /// A peer that accepts the TCP connection and then never answers (a hung server, a firewall
  /// black hole): opening gives up after `connect_timeout` (1 s here) instead of waiting for ever.
  /// The time limit only guards against a hang; the suite's other tests can starve this one of
  /// threads for a minute or more, so no wall-clock figure is asserted.
  @Test(.timeLimit(.minutes(10))) func silentServerTimesOut() async throws {
    let (fd, port) = try listeningSocket(backlog: true)
    defer { close(fd) }
    let url = try PostgresURL("postgres://irel:hunter2@127.0.0.1:\(port)/ledger?connect_timeout=1")
    do {
      _ = try await PostgresStore.open(url)
      Issue.record("opened a store on a server that never answers")
    } catch let StoreError.unavailable(location, reason) {
      #expect(location == "postgres://irel@127.0.0.1:\(port)/ledger")
      // Either postgres-nio's own connect timeout or the store's deadline ends it; both name the 1 s.
      #expect(reason.contains("within 1 s") || reason.contains("Connect timeout (1 s)"), "\(reason)")
    }
  }
}

struct SocketError: Error { let what: String }

/// A TCP socket bound to 127.0.0.1 on a free port chosen by the kernel. With `backlog`, it listens
/// (the kernel completes handshakes) but the test never accepts or answers.
func listeningSocket(backlog: Bool) throws -> (Int32, Int) {
  #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SocketError(what: "socket") }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw SocketError(what: "bind") }
    if backlog { guard listen(fd, 8) == 0 else { throw SocketError(what: "listen") } }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    guard named == 0 else { throw SocketError(what: "getsockname") }
    return (fd, Int(UInt16(bigEndian: addr.sin_port)))
  #else
    throw SocketError(what: "sockets are only set up on Linux here")
  #endif
}
