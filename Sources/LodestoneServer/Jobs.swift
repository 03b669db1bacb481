import Dispatch
import Foundation
import Ledger
import Quantities
import Reports
import Simulation
import SupplyChain
import Synchronization

/// The kinds of background job.
public enum JobKind: String, Sendable, CaseIterable, Codable {
  case simulation, montecarlo, reserve, plan, cascade
}

/// Where a job is in its life.
public enum JobState: String, Sendable, Codable {
  case queued, running, succeeded, failed, cancelled
  case timedOut = "timed-out"
  public var isFinished: Bool { self != .queued && self != .running }
}

/// What a finished job produced: headline lines, named tables, named SVG charts and a JSON document.
public struct JobOutput: Sendable {
  public var headlines: [String] = []
  public var tables: [(name: String, table: Table)] = []
  /// Charts by name (without `.svg`), in display order.
  public var charts: [(name: String, svg: String)] = []
  /// The result as one JSON object.
  public var json: String = "{}"
  /// For simulations: the scenario and result, so two runs can be compared.
  public var simulation: (scenario: Scenario, result: SimulationResult)?
  public init() {}
}

/// Thrown by job work that noticed it was cancelled.
public struct JobStopped: Error, Sendable {}

/// The job's side of cooperative cancellation and progress.
public final class JobControl: Sendable {
  let cancelledFlag = Atomic<Bool>(false)
  let progressPermille = Atomic<Int>(0)

  /// True once the job was cancelled or ran out of time; work should stop soon after.
  public var isCancelled: Bool { cancelledFlag.load(ordering: .acquiring) }
  /// Throws `JobStopped` when cancelled.
  public func check() throws(JobStopped) { if isCancelled { throw JobStopped() } }
  /// Progress as a fraction 0…1.
  public func progress(_ fraction: Double) {
    progressPermille.store(Int((min(max(fraction, 0), 1) * 1000).rounded()), ordering: .relaxed)
  }
  var fraction: Double { Double(progressPermille.load(ordering: .relaxed)) / 1000 }
}

/// One background job.
public final class Job: Sendable {
  public let id: String
  public let kind: JobKind
  /// What was asked, e.g. `india-2026 / long-ban`.
  public let title: String
  /// The request parameters as given (JSON object text).
  public let parameters: String
  public let createdAt: String
  let control = JobControl()
  struct Status: Sendable {
    var state: JobState = .queued
    var error: String?
    var output: JobOutput?
    var startedAt: String?
    var finishedAt: String?
    var seconds: Double?
  }
  let status = Mutex(Status())
  /// The run page's HTML once the job has finished (it no longer changes).
  let renderedPage = Mutex<String?>(nil)

  init(id: String, kind: JobKind, title: String, parameters: String) {
    self.id = id
    self.kind = kind
    self.title = title
    self.parameters = parameters
    self.createdAt = iso8601(Date())
  }

  public var state: JobState { status.withLock { $0.state } }
  public var output: JobOutput? { status.withLock { $0.output } }
  public var progress: Double { state == .succeeded ? 1 : control.fraction }

  /// Moves to a finished state unless already finished; returns whether it did.
  @discardableResult
  func finish(_ state: JobState, error: String? = nil, output: JobOutput? = nil) -> Bool {
    status.withLock { s in
      guard !s.state.isFinished else { return false }
      s.state = state
      s.error = error
      s.output = output
      s.finishedAt = iso8601(Date())
      return true
    }
  }

  /// The status document of `GET /api/jobs/{id}`.
  public func statusJSON() -> String {
    let s = status.withLock { $0 }
    var f = [
      "\"id\":\(jsonString(id))", "\"kind\":\(jsonString(kind.rawValue))", "\"title\":\(jsonString(title))",
      "\"state\":\(jsonString(s.state.rawValue))", "\"progress\":\(fixedFormat(progress, decimals: 3, trimZeros: true))",
      "\"created_at\":\(jsonString(createdAt))", "\"parameters\":\(parameters)",
      "\"result_url\":\(jsonString("/api/jobs/\(id)/result"))",
      "\"page_url\":\(jsonString("/ui/runs/\(id)"))",
    ]
    if let t = s.startedAt { f.append("\"started_at\":\(jsonString(t))") }
    if let t = s.finishedAt { f.append("\"finished_at\":\(jsonString(t))") }
    if let e = s.error { f.append("\"error\":\(jsonString(e))") }
    if let o = s.output { f.append("\"charts\":[" + o.charts.map { jsonString($0.name) }.joined(separator: ",") + "]") }
    return "{" + f.joined(separator: ",") + "}"
  }
}

/// Runs each job on a thread of its own, off the server's event loops and Swift's cooperative pool,
/// at most `concurrent` at a time, each within `timeout` seconds.
public final class JobManager: Sendable {
  let jobs = Mutex<[String: Job]>([:])
  let counter = Atomic<Int>(0)
  let slots: DispatchSemaphore
  let timeout: Double
  let metrics: ServerMetrics

  let store: (any LedgerStore)?

  /// Job numbers start at `firstNumber`, so ids stay unique across restarts that keep their runs in `store`.
  init(concurrent: Int, timeout: Double, metrics: ServerMetrics, store: (any LedgerStore)? = nil, firstNumber: Int = 1) {
    slots = DispatchSemaphore(value: max(1, concurrent))
    self.timeout = timeout
    self.metrics = metrics
    self.store = store
    counter.store(firstNumber - 1, ordering: .relaxed)
  }

  /// Queues `work`; returns at once with the job (state `queued`).
  public func submit(kind: JobKind, title: String, parameters: String, work: @escaping @Sendable (JobControl) throws -> JobOutput) -> Job {
    let n = counter.add(1, ordering: .relaxed).newValue
    let job = Job(id: String(format: "job-%06d", n), kind: kind, title: title, parameters: parameters)
    jobs.withLock { $0[job.id] = job }
    metrics.jobStarted(kind)
    let timeout = self.timeout
    let slots = self.slots
    let metrics = self.metrics
    let store = self.store
    DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + timeout) {
      job.control.cancelledFlag.store(true, ordering: .releasing)
      if job.finish(.timedOut, error: "the job ran longer than the limit of \(formatNumber(timeout, significantDigits: 4)) s and was stopped") {
        metrics.jobFinished(kind, .timedOut)
      }
    }
    // A thread of its own per job: CPU-bound work on Dispatch's shared pool would starve the
    // time-limit timers and other jobs (the pool keeps about one busy thread per core).
    let thread = Thread {
      slots.wait()
      defer { slots.signal() }
      guard !job.control.isCancelled else { return }
      let start = ContinuousClock.now
      job.status.withLock { s in
        s.state = .running
        s.startedAt = iso8601(Date())
      }
      do {
        let out = try work(job.control)
        let d = ContinuousClock.now - start
        job.status.withLock { $0.seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        if job.finish(.succeeded, output: out) {
          metrics.jobFinished(kind, .succeeded)
          if let store {
            // History: the status and result as one document of kind `run`, named by the job id.
            let body = "{\"status\":\(job.statusJSON()),\"result\":\(out.json.trimmingCharacters(in: .whitespacesAndNewlines))}\n"
            let doc = StoredDocument(kind: "run", name: job.id, body: body, storedAt: iso8601(Date()))
            Task { try? await store.putDocument(doc) }
          }
        }
      } catch is JobStopped {
        // cancel() or the timer already recorded why.
      } catch {
        if job.finish(.failed, error: "\(error)") { metrics.jobFinished(kind, .failed) }
      }
    }
    thread.stackSize = 16 << 20
    thread.start()
    return job
  }

  public func job(_ id: String) -> Job? { jobs.withLock { $0[id] } }

  /// Every job, newest first.
  public func all() -> [Job] { jobs.withLock { Array($0.values) }.sorted { $0.id > $1.id } }

  /// Cancels a queued or running job; false when it had already finished.
  @discardableResult
  public func cancel(_ job: Job) -> Bool {
    job.control.cancelledFlag.store(true, ordering: .releasing)
    let did = job.finish(.cancelled, error: "cancelled")
    if did { metrics.jobFinished(job.kind, .cancelled) }
    return did
  }

  /// Cancels every unfinished job (graceful shutdown).
  public func cancelAll() { for j in all() where !j.state.isFinished { cancel(j) } }

  public var running: Int { all().filter { $0.state == .running }.count }
}
