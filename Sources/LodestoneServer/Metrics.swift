import Metrics
import Prometheus

/// The server's metrics, made through swift-metrics' API on a Prometheus registry of the server's own
/// (no global bootstrap, so several servers in one test process keep separate counts).
public final class ServerMetrics: Sendable {
  public let registry = PrometheusCollectorRegistry()
  let factory: PrometheusMetricsFactory

  init() {
    var f = PrometheusMetricsFactory(registry: registry)
    f.defaultDurationHistogramBuckets = [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)]
    factory = f
  }

  /// Counts a request and records its duration, labelled by method, route pattern and status.
  func request(method: String, route: String, status: Int, nanoseconds: Int64) {
    let dims = [("method", method), ("route", route), ("status", String(status))]
    Counter(label: "lodestone_http_requests_total", dimensions: dims, factory: factory).increment()
    Timer(label: "lodestone_http_request_duration_seconds", dimensions: [("route", route)], factory: factory).recordNanoseconds(nanoseconds)
  }

  func jobStarted(_ kind: JobKind) {
    Counter(label: "lodestone_jobs_submitted_total", dimensions: [("kind", kind.rawValue)], factory: factory).increment()
  }

  func jobFinished(_ kind: JobKind, _ state: JobState) {
    Counter(label: "lodestone_jobs_finished_total", dimensions: [("kind", kind.rawValue), ("state", state.rawValue)], factory: factory).increment()
  }

  /// Prometheus text exposition format 0.0.4.
  public func exposition() -> String { registry.emitToString() }
}
