import Chemistry
import Foundation
import Optimization
import Planning
import Quantities
import Reports
import Risk
import Separation
import Simulation
import SupplyChain

/// The body of `POST /api/jobs` (and the run forms). Which fields apply depends on `kind`.
public struct JobRequest: Codable, Sendable {
  /// simulation, montecarlo, reserve, plan or cascade.
  public var kind: String
  /// A scenario name from `/api/scenarios` (default `india-2026`).
  public var scenario: String?
  public var variant: String?
  /// Monte Carlo / reserve: replications (1…100000), seed, last month `YYYY-MM`, uncertainty spec (YAML).
  public var runs: Int?
  public var seed: UInt64?
  public var horizon: String?
  public var uncertainty: String?
  /// Reserve: material held and service target (0…1].
  public var material: String?
  public var service: Double?
  /// Plan: cost, unmet or dependence:CC.
  public var objective: String?
  /// Cascade: feed ("monazite" or "Pr:25,Nd:75"), cut ("Pr|Nd"), purity ("99.5%"), extractant system.
  public var feed: String?
  public var cut: String?
  public var purity: String?
  public var system: String?

  public init(kind: String) { self.kind = kind }

  /// From form fields (all text); empty fields count as absent.
  init(form f: [String: String]) throws {
    func s(_ k: String) -> String? { f[k].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
    func n<T: LosslessStringConvertible>(_ k: String) throws -> T? {
      guard let v = s(k) else { return nil }
      guard let x = T(v.trimmingCharacters(in: .whitespaces)) else { throw APIError.badRequest("field '\(k)' must be a number; got '\(v)'") }
      return x
    }
    kind = s("kind") ?? "simulation"
    scenario = s("scenario")
    variant = s("variant")
    runs = try n("runs")
    seed = try n("seed")
    horizon = s("horizon")
    uncertainty = s("uncertainty")
    material = s("material")
    service = try n("service")
    objective = s("objective")
    feed = s("feed")
    cut = s("cut")
    purity = s("purity")
    system = s("system")
  }

  /// The parameters as a JSON object (sorted keys), shown in the job's status.
  var json: String {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    return (try? e.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
  }
}

/// The uncertainty spec of the India scenario's licence-freeze variant: a copy of
/// `Scenarios/uncertainty/india-2026-licence-freeze.yaml` (a test keeps them equal), the default
/// of the reserve-sizing and Monte Carlo forms.
public let indiaLicenceFreezeUncertainty = #"""
schema-version: 1
description: >-
  Uncertain inputs for the India scenario's licence-freeze variant: when the freeze starts and
  how long it lasts, how many licences China approves otherwise, when India's EV-magnet line
  starts, shipping delays, and demand. Use with
  `lodestone reserve @india --variant licence-freeze --uncertainty Scenarios/uncertainty/india-2026-licence-freeze.yaml`.
uncertainty:
  - name: freeze-length
    target: policies/cn-licence-freeze/duration
    distribution: {kind: uniform, min: 12 months, max: 24 months}
  - name: freeze-start
    target: policies/cn-licence-freeze/start-shift
    distribution: {kind: triangular, min: -6 months, mode: 0 months, max: 12 months}
  - name: licence-approval
    target: policies/cn-announcement-18/approval
    distribution: {kind: pert, min: 0.4, mode: 0.65, max: 0.9}
  - name: ev-line-delay
    target: processes/scheme-magnet-ev/commissioning-delay
    distribution: {kind: pert, min: 0 months, mode: 6 months, max: 24 months}
  - name: china-shipping-delay
    target: links/cn-to-market/delay
    distribution: {kind: empirical, values: [0, 0, 0, 1, 2]}
  - name: ev-demand
    target: demands/in-ev-cars/multiplier
    distribution: {kind: normal, mean: 1, sd: 0.1}
  - name: wind-demand
    target: demands/in-wind/multiplier
    distribution: {kind: lognormal, median: 1, sigma: 0.15}
correlation:
  inputs: [ev-demand, wind-demand]
  matrix: [[1, 0.5], [0.5, 1]]

"""#

extension ServerState {
  /// Checks a job request and queues it; throws 4xx `APIError`s for bad input before anything runs.
  func startJob(_ r: JobRequest) async throws -> Job {
    guard let kind = JobKind(rawValue: r.kind) else {
      throw APIError.badRequest("field 'kind' must be one of \(JobKind.allCases.map(\.rawValue).joined(separator: ", ")); got '\(r.kind)'")
    }
    let params = r.json
    if kind == .cascade { return try startCascade(r, params: params) }
    let name = r.scenario ?? ScenarioLibrary.builtInName
    guard isValidName(name), let entry = await scenarios.get(name) else {
      throw APIError.notFound("no scenario '\(name)'; see /api/scenarios")
    }
    if let v = r.variant, !v.isEmpty, v != "base", !variantNames(entry.yaml).contains(v) {
      throw APIError.badRequest("field 'variant' must be one of \(["base"] + variantNames(entry.yaml)) for scenario '\(name)'; got '\(v)'")
    }
    let variant = r.variant.flatMap { $0.isEmpty || $0 == "base" ? nil : $0 }
    let decoded = decodeScenario(text: entry.yaml, file: name + ".yaml", variant: variant)
    guard let scenario = decoded.scenario else {
      let first = decoded.diagnostics.errors.first
      throw APIError(
        .unprocessableContent, "invalid-scenario", "scenario '\(name)' has \(decoded.diagnostics.errors.count) error(s): \(first?.message ?? "")",
        location: first?.location.map { ($0.file, $0.line, $0.column) })
    }
    let title = name + (variant.map { " / \($0)" } ?? "")
    switch kind {
    case .simulation:
      return jobs.submit(kind: kind, title: title, parameters: params) { control in
        control.progress(0.05)
        let engine: SimulationEngine
        do { engine = try SimulationEngine(scenario: scenario) } catch { throw APIError(.unprocessableContent, "invalid-scenario", "\(error)") }
        try control.check()
        let result = engine.run(variant: variant)
        control.progress(0.8)
        return simulationOutput(scenario, result)
      }
    case .montecarlo, .reserve:
      let runs = r.runs ?? (kind == .reserve ? 200 : 500)
      guard (1...100_000).contains(runs) else { throw APIError.badRequest("field 'runs' must be in 1…100000; got \(runs)") }
      var spec: UncertaintySpec
      do {
        spec = try UncertaintyDecoder().decode(text: r.uncertainty ?? indiaLicenceFreezeUncertainty, file: "uncertainty")
        if r.uncertainty == nil {
          // The default spec is the licence-freeze variant's; other variants keep the inputs they have.
          let applicable = spec.inputs.filter { (try? UncertaintySpec(inputs: [$0]).check(against: scenario)) != nil }
          if applicable.count < spec.inputs.count { spec = UncertaintySpec(inputs: applicable) }
        }
        try spec.check(against: scenario)
      } catch { throw APIError(.unprocessableContent, "invalid-uncertainty", "\(error)") }
      var horizon: Int?
      if let h = r.horizon {
        guard let ym = try? YearMonth.parse(h), ym.months(since: scenario.start) >= 0, ym.months(since: scenario.start) < scenario.months else {
          throw APIError.badRequest("field 'horizon' must be a month YYYY-MM within \(scenario.start) to \(scenario.start.adding(months: scenario.months - 1)); got '\(h)'")
        }
        horizon = ym.months(since: scenario.start) + 1
      }
      let study = RiskStudy(base: scenario, spec: spec, seed: r.seed ?? 1, horizon: horizon)
      if kind == .montecarlo {
        return jobs.submit(kind: kind, title: "\(title), \(runs) futures", parameters: params) { control in
          try monteCarloOutput(study, runs: runs, control: control)
        }
      }
      guard let material = r.material, !material.isEmpty else { throw APIError.badRequest("field 'material' is required for a reserve job (e.g. ndfeb-ev)") }
      guard scenario.materials.contains(where: { $0.id.rawValue == material }) else {
        throw APIError.badRequest("field 'material' must be one of \(scenario.materials.map(\.id.rawValue).sorted().joined(separator: ", ")); got '\(material)'")
      }
      let service = r.service ?? 0.95
      guard service > 0, service <= 1 else { throw APIError.badRequest("field 'service' must be in (0, 1]; got \(service)") }
      return jobs.submit(kind: kind, title: "\(title), reserve of \(material) at \(fixedFormat(service * 100, decimals: 1, trimZeros: true)) %", parameters: params) { control in
        try reserveOutput(study, material: material, service: service, runs: runs, control: control)
      }
    case .plan:
      let objectiveText = r.objective ?? "cost"
      guard let objective = PlanObjective.parse(objectiveText) else {
        throw APIError.badRequest("field 'objective' must be cost, unmet or dependence:CC; got '\(objectiveText)'")
      }
      let limit = config.jobTimeout
      return jobs.submit(kind: kind, title: "\(title), plan (\(objectiveText))", parameters: params) { control in
        let plan = try NetworkPlan(scenario: scenario, options: PlanOptions(objective: objective))
        try control.check()
        control.progress(0.2)
        let result = try plan.solve(with: CBCSolver(options: SolverOptions(timeLimit: limit, relativeGap: nil)))
        var out = JobOutput()
        out.tables = PlanReport.tables(scenario, result)
        out.headlines = [
          "\(result.termination)",
          "cost over the horizon: freight \(fixedFormat(result.freightCost, decimals: 0)) USD, holding \(fixedFormat(result.holdingCost, decimals: 0)) USD, unmet-demand penalty \(fixedFormat(result.unmetPenalty, decimals: 0)) USD",
          "max element balance residual of the plan: \(formatNumber(result.maxBalanceResidual, significantDigits: 2)) (relative)",
        ]
        out.json = tablesJSON(out.tables, headlines: out.headlines)
        return out
      }
    case .cascade:
      return try startCascade(r, params: params)
    }
  }

  func startCascade(_ r: JobRequest, params: String) throws -> Job {
    let cutText = r.cut ?? "Pr|Nd"
    let parsed: (CutRequest, ExtractantSystem, Double)
    do { parsed = try cascadeRequest(r, cut: cutText) } catch { throw APIError(.unprocessableContent, "invalid-cascade", error.description) }
    let (req, system, p) = parsed
    return jobs.submit(kind: .cascade, title: "cascade \(cutText) at \(fixedFormat(p * 100, decimals: 2, trimZeros: true)) %", parameters: params) { control in
      control.progress(0.1)
      let d = try designCut(req)
      var out = JobOutput()
      let t = SeparationCharts.designTable(d, system: system)
      out.tables = [("design", t), ("profile", SeparationCharts.profileTable(d.result)), ("outlets", SeparationCharts.outletTable(d.result))]
      out.headlines = ["\(d.extractionStages) extraction + \(d.scrubStages) scrub stages; purity organic \(fixedFormat(d.purityOrganic * 100, decimals: 3)) %, raffinate \(fixedFormat(d.purityAqueous * 100, decimals: 3)) %"]
      out.charts = [("composition", SeparationCharts.compositionProfile(d.result, title: "Aqueous composition, \(cutText) cut").render())]
      let h = d.request.heavyKey ?? 0, l = d.request.lightKey ?? 0
      if h != l { out.charts.append(("mccabe-thiele", SeparationCharts.mcCabeThiele(d.result, heavy: h, light: l, title: "McCabe–Thiele, \(cutText) cut").render())) }
      out.json = tablesJSON(out.tables, headlines: out.headlines)
      return out
    }
  }
}

/// A cut design request from the job's text fields (feed, cut, purity, extractant system).
func cascadeRequest(_ r: JobRequest, cut cutText: String) throws(SeparationError) -> (CutRequest, ExtractantSystem, Double) {
  let (els, amounts) = try CutText.feed(r.feed ?? "Pr:25,Nd:75", name: "feed")
  let system = try FactorTable.builtIn.system(r.system ?? "p507-hcl")
  let alpha = try system.extractabilities(for: els)
  let (_, heavyKey) = try CutText.cut(cutText, elements: els, extractabilities: alpha, name: "cut")
  let p = try CutText.purity(r.purity ?? "99.5%", name: "purity")
  let req = try CutRequest(elements: els, extractabilities: alpha, feed: amounts, firstHeavy: heavyKey, purityOrganic: p, purityAqueous: p, feedPhase: .aqueous, scrubFlow: nil, maxStages: 600)
  return (req, system, p)
}

/// A simulation's outputs: RunReport's headlines, tables, charts and JSON.
func simulationOutput(_ s: Scenario, _ r: SimulationResult) -> JobOutput {
  let report = RunReport(scenario: s, result: r)
  var out = JobOutput()
  out.headlines = report.headlines() + [report.balanceLine()]
  out.tables = report.tables()
  out.charts = report.svgs().map { (String($0.fileName.dropLast(4)), $0.svg) }
  out.json = report.json()
  out.simulation = (s, r)
  return out
}

/// Monte Carlo in chunks of at most 50 replications merged exactly (the merge is exact, so the result
/// equals one run of all of them), so progress is reported and cancellation is seen between chunks.
func monteCarloRun(_ study: RiskStudy, runs: Int, control: JobControl, from: Double = 0, to: Double = 1) throws -> RiskPartial {
  let all = MonteCarlo.replications(runs: runs)
  let chunk = max(1, min(50, (all.count + 19) / 20))
  var merged: RiskPartial?
  var done = 0
  let mc = MonteCarlo(study: study, threads: 1)
  while done < all.count {
    try control.check()
    let part = try mc.run(Array(all[done..<min(all.count, done + chunk)]))
    if merged == nil { merged = part.emptyCopy() }
    try merged?.merge(part)
    done += chunk
    control.progress(from + (to - from) * Double(min(done, all.count)) / Double(all.count))
  }
  guard let m = merged else { throw APIError.badRequest("no replications") }
  return m
}

func monteCarloOutput(_ study: RiskStudy, runs: Int, control: JobControl) throws -> JobOutput {
  let p = try monteCarloRun(study, runs: runs, control: control)
  var out = JobOutput()
  let s = RiskReport.summaryTable(p, confidence: 0.9, title: "Monte Carlo summary: \(study.base.name), \(p.replications) replications, seed \(study.seed)")
  out.tables = [("summary", s), ("monthly", RiskReport.monthlyTable(p))]
  out.charts = RiskReport.fanCharts(p).map { ("fan-" + $0.name, $0.svg) }
  if let shortfall = p.scalar("shortfall-any") {
    out.headlines = ["probability of any shortfall: \(fixedFormat(shortfall.mean * 100, decimals: 1)) % of \(p.replications) futures"]
  }
  out.json = tablesJSON(out.tables, headlines: out.headlines)
  return out
}

func reserveOutput(_ study: RiskStudy, material: String, service: Double, runs: Int, control: JobControl) throws -> JobOutput {
  control.progress(0.02)
  let sizing = try ReserveSizing(study: study, material: MaterialID(material), runs: runs, threads: 1)
  try control.check()
  guard let r = try sizing.size(service: service) else {
    throw APIError(.unprocessableContent, "no-reserve", "no reserve of '\(material)' up to 100 years of its covered demand reaches a service of \(service)")
  }
  control.progress(0.6)
  var out = JobOutput()
  let t = RiskReport.reserveTable(sizing, r, material: material, service: service, runs: runs)
  var s = sizing.study.base
  for k in s.reserves.indices where s.reserves[k].id == sizing.reserve.id {
    s.reserves[k].target = r.level
    s.reserves[k].initial = r.level
  }
  let sized = RiskStudy(base: s, spec: study.spec, seed: study.seed, horizon: study.horizon)
  let p = try monteCarloRun(sized, runs: runs, control: control, from: 0.6, to: 1)
  out.tables = [("reserve", t), ("summary-with-reserve", RiskReport.summaryTable(p, confidence: 0.9, title: "With the sized reserve"))]
  out.charts = RiskReport.fanCharts(p).map { ("fan-" + $0.name, $0.svg) }
  out.headlines = ["reserve \(sizing.reserve.id.rawValue): \(formatNumber(r.level / 1000, significantDigits: 4)) t of \(material) at \(sizing.reserve.site.rawValue); service \(fixedFormat(r.achieved * 100, decimals: 1)) % (without: \(fixedFormat(r.withoutReserve * 100, decimals: 1)) %)"]
  out.json = tablesJSON(out.tables, headlines: out.headlines)
  return out
}

/// `{"headlines": [...], "tables": {"name": [rows…]}}` with Table's JSON rows.
func tablesJSON(_ tables: [(name: String, table: Table)], headlines: [String]) -> String {
  "{\"headlines\":[" + headlines.map(jsonString).joined(separator: ",") + "],\"tables\":{"
    + tables.map { jsonString($0.name) + ":" + $0.table.renderJSON().trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ",") + "}}\n"
}
