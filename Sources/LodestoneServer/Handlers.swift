import Chemistry
import Foundation
import Hummingbird
import Magnets
import QualityControl
import Quantities
import Reports
import ScenarioFormat
import Simulation
import SupplyChain

/// Diagnostics as a JSON array: severity, code, message, location {file, line, column}, alternatives.
func diagnosticsJSON(_ d: Diagnostics) -> String {
  "[" + d.sorted.map { x in
    var f = ["\"severity\":\(jsonString(x.severity.rawValue))", "\"code\":\(jsonString(x.code))", "\"message\":\(jsonString(x.message))"]
    if let l = x.location { f.append("\"location\":{\"file\":\(jsonString(l.file)),\"line\":\(l.line),\"column\":\(l.column)}") }
    f.append("\"alternatives\":[" + x.alternatives.map(jsonString).joined(separator: ",") + "]")
    return "{" + f.joined(separator: ",") + "}"
  }.joined(separator: ",") + "]"
}

struct ValidateBody: Decodable { var yaml: String; var variant: String?; var file: String? }
struct SaveBody: Decodable { var name: String; var yaml: String }
struct MassBody: Decodable { var formula: String }
struct ConvertBody: Decodable { var amount: String; var to: String; var basis: String?; var unit: String? }
struct MagnetBody: Decodable {
  var temperature: String
  var pc: Double
  var grade: String?
  var opposing_field: String?
  var min_b: String?
}
struct QCBody: Decodable { var csv: String; var property: String; var chart: String? }

/// Validates scenario text: every variant when `variant` is nil.
func validateScenario(text: String, file: String, variant: String?) -> Diagnostics {
  if let variant, !variant.isEmpty, variant != "base" { return ScenarioDecoder().decode(text: text, file: file, variant: variant).1 }
  return ScenarioDecoder().diagnoseWithVariants(text: text, file: file)
}

extension ServerState {
  func job(_ context: LodestoneContext) throws -> Job {
    let id = context.parameters.get("id") ?? ""
    guard let j = jobs.job(id) else { throw APIError.notFound("no job '\(id)'; see /api/jobs") }
    return j
  }

  func finishedOutput(_ context: LodestoneContext) throws -> (Job, JobOutput) {
    let j = try job(context)
    guard let out = j.output else {
      throw APIError(.conflict, "not-finished", "job \(j.id) is \(j.state.rawValue); results exist only for succeeded jobs")
    }
    return (j, out)
  }

  /// Saves a scenario after checking its name and text; throws 4xx with diagnostics otherwise.
  func saveScenario(name: String, yaml: String) async throws -> Diagnostics {
    guard isValidName(name) else {
      throw APIError.badRequest("field 'name' must be 1–64 characters of a–z, 0–9 and '-', not starting with '-'; got '\(name)'")
    }
    guard name != ScenarioLibrary.builtInName else { throw APIError(.conflict, "read-only", "'\(name)' is built in; save the variant under another name") }
    let d = validateScenario(text: yaml, file: name + ".yaml", variant: nil)
    if d.hasErrors {
      let first = d.errors.first
      throw APIError(
        .unprocessableContent, "invalid-scenario", "\(d.errors.count) error(s); first: \(first?.message ?? "")",
        location: first?.location.map { ($0.file, $0.line, $0.column) })
    }
    try await scenarios.put(name: name, yaml: yaml)
    return d
  }

  /// `lodestone chem mass` as JSON.
  func chemMass(_ formula: String) throws -> String {
    let f: Formula
    do { f = try Formula(formula) } catch { throw APIError(.unprocessableContent, "invalid-formula", "\(error)") }
    let parts = f.massFractions.map {
      "{\"element\":\(jsonString($0.element.symbol)),\"atoms\":\(formatNumber(f.count(of: $0.element), significantDigits: 10)),\"mass_fraction\":\(formatNumber($0.fraction, significantDigits: 12))}"
    }
    return "{\"formula\":\(jsonString(f.text)),\"molar_mass_g_per_mol\":\(formatNumber(f.molarMass, significantDigits: 12)),\"elements\":[\(parts.joined(separator: ","))]}\n"
  }

  /// `lodestone chem convert` as JSON: value in `unit` (default: the input's unit).
  func chemConvert(_ b: ConvertBody) throws -> String {
    let words = b.amount.split(separator: " ").map(String.init)
    guard words.count >= 3 else { throw APIError.badRequest("field 'amount' must be '<number> <unit> <formula>' (e.g. \"450 t Nd2O3\"); got '\(b.amount)'") }
    do {
      let massText = words[0..<(words.count - 1)].joined(separator: " ")
      let mass = try Quantity.parse(massText, as: .mass)
      let source = try Formula(words[words.count - 1])
      let target = try Formula(b.to)
      let basis: Element
      if let s = b.basis {
        guard let e = Element(symbol: s) else { throw APIError.badRequest("field 'basis' must be an element symbol (e.g. Nd); got '\(s)'") }
        basis = e
      } else {
        basis = try BasisConversion.defaultBasis(from: source, to: target)
      }
      let unit = b.unit ?? words[words.count - 2]
      let kg = try BasisConversion.convert(mass: mass.si, from: source, to: target, basis: basis)
      let value = try Quantity.kilograms(kg).value(in: unit)
      return "{\"input\":\(jsonString("\(massText) \(source.text)")),\"target\":\(jsonString(target.text)),\"basis\":\(jsonString(basis.symbol)),\"value\":\(formatNumber(value, significantDigits: 12)),\"unit\":\(jsonString(unit))}\n"
    } catch let e as APIError { throw e } catch { throw APIError(.unprocessableContent, "invalid-input", "\(error)") }
  }

  /// The knee check of `lodestone magnet check` for a given Pc: the table and, for one grade, the working-point chart.
  func magnetCheck(_ b: MagnetBody) throws -> (Table, String?) {
    do {
      let duty = Duty(
        temperature: try parseMagneticQuantity(b.temperature, .temperature), permeanceCoefficient: b.pc,
        opposingField: try parseMagneticQuantity(b.opposing_field ?? "0", .fieldStrength), recoilPermeability: 1.05, squareness: 0.9, basis: .minimum)
      try duty.validate()
      let requiredB = try parseMagneticQuantity(b.min_b ?? "0", .fluxDensity)
      let cat = GradeCatalog.builtIn
      var candidates: [GradeCandidate]
      if let g = b.grade, !g.isEmpty {
        let names = g.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let chosen = try GradeCatalog(grades: names.map { try cat.require($0) })
        let ranked = chosen.rank(for: duty, families: Set(chosen.grades.map(\.family)), process: .bulk, requiredFluxDensity: requiredB)
        candidates = chosen.grades.compactMap { g in ranked.first { $0.grade.name == g.name } }
      } else {
        candidates = cat.rank(for: duty, families: [.ndFeB], process: .bulk, requiredFluxDensity: requiredB)
      }
      let title = "Duty: \(formatNumber(duty.temperature, significantDigits: 6)) °C, Pc \(formatNumber(b.pc, significantDigits: 4)), opposing \(formatNumber(duty.opposingField / 1000, significantDigits: 6)) kA/m"
        + ((b.grade ?? "").isEmpty ? (candidates.first?.survives == true ? "; cheapest survivor: \(candidates[0].grade.id)" : "; no grade survives") : "")
      let chart = candidates.count == 1 ? MagnetCharts.demagnetisation(workingPoint: candidates[0].workingPoint, permeanceCoefficient: b.pc) : nil
      return (MagnetCharts.checkTable(candidates, title: title), chart)
    } catch let e as MagnetError {
      throw APIError(.unprocessableContent, "invalid-duty", e.description)
    } catch let e as GradeTableError {
      throw APIError(.unprocessableContent, "invalid-grade", e.description)
    }
  }

  /// An X̄-R, X̄-S or I-MR chart of one column of a specimen CSV.
  func qcChart(_ b: QCBody, source: String = "upload.csv") throws -> (Table, [(String, String)]) {
    let chart = b.chart ?? "xbar-r"
    guard ["xbar-r", "xbar-s", "i-mr"].contains(chart) else { throw APIError.badRequest("field 'chart' must be one of xbar-r, xbar-s, i-mr; got '\(chart)'") }
    let table: SpecimenTable
    do { table = try SpecimenCSV.parse(b.csv, source: source) } catch {
      throw APIError(.unprocessableContent, "invalid-csv", error.description, location: error.line.map { (source, $0, 1) })
    }
    guard let c = table.columnIndex(named: b.property) else {
      throw APIError.badRequest("field 'property' must name a numeric column: \(table.columns.map(\.name).joined(separator: ", ")); got '\(b.property)'")
    }
    let individuals = chart == "i-mr"
    let (groups, missing): ([Subgroup], Int) = individuals ? table.individuals(column: c) : { let g = table.subgroups(column: c); return (g, g.reduce(0) { $0 + $1.missing }) }()
    let opts = ChartOptions()
    do {
      let pair = individuals
        ? try individualsChart(groups.map { $0.values[0] }, labels: groups.map(\.label), options: opts)
        : try xbarChart(groups, dispersion: chart == "xbar-r" ? .range : .standardDeviation, options: opts)
      let r = QCCharts.shewhartReport(pair, chart: chart, individuals: individuals, column: table.columns[c], source: source, options: opts, note: missing > 0 ? "; \(missing) empty cells not charted" : "")
      return (r.table, r.svgs)
    } catch { throw APIError(.unprocessableContent, "chart", "column '\(table.columns[c].header)': \(error.message)") }
  }
}

func apiHandlers(_ state: ServerState) -> [String: Handler] {
  var h: [String: Handler] = [:]
  h["GET /health"] = { _, _ in
    jsonResponse("{\"status\":\"ok\",\"jobs_running\":\(state.jobs.running)}\n")
  }
  h["GET /metrics"] = { _, _ in textResponse(state.metrics.exposition(), type: "text/plain; version=0.0.4; charset=utf-8") }
  h["GET /openapi.json"] = { _, _ in jsonResponse(openAPIDocument) }
  h["GET /api/scenarios"] = { _, _ in
    let list = await state.scenarios.list().map { e in
      "{\"name\":\(jsonString(e.name)),\"origin\":\(jsonString(e.origin)),\"stored_at\":\(jsonString(e.storedAt)),\"variants\":["
        + variantNames(e.yaml).map(jsonString).joined(separator: ",") + "],\"url\":\(jsonString("/api/scenarios/\(e.name)"))}"
    }
    return jsonResponse("[" + list.joined(separator: ",") + "]\n")
  }
  h["GET /api/scenarios/:name"] = { req, ctx in
    let name = ctx.parameters.get("name") ?? ""
    guard isValidName(name), let e = await state.scenarios.get(name) else { throw APIError.notFound("no scenario '\(name)'; see /api/scenarios") }
    switch req.uri.queryParameters.get("format") ?? "json" {
    case "yaml": return textResponse(e.yaml, type: "application/yaml; charset=utf-8")
    case "json":
      let d = validateScenario(text: e.yaml, file: name + ".yaml", variant: nil)
      return jsonResponse(
        "{\"name\":\(jsonString(e.name)),\"origin\":\(jsonString(e.origin)),\"stored_at\":\(jsonString(e.storedAt)),\"variants\":["
          + variantNames(e.yaml).map(jsonString).joined(separator: ",") + "],\"valid\":\(!d.hasErrors),\"diagnostics\":\(diagnosticsJSON(d)),\"yaml\":\(jsonString(e.yaml))}\n")
    case let f: throw APIError.badRequest("query 'format' must be json or yaml; got '\(f)'")
    }
  }
  h["POST /api/scenarios/validate"] = { req, _ in
    let b = try await state.decode(ValidateBody.self, req)
    let d = validateScenario(text: b.yaml, file: b.file ?? "scenario.yaml", variant: b.variant)
    return jsonResponse("{\"valid\":\(!d.hasErrors),\"errors\":\(d.errors.count),\"warnings\":\(d.warnings.count),\"diagnostics\":\(diagnosticsJSON(d))}\n")
  }
  h["POST /api/scenarios"] = { req, _ in
    let b = try await state.decode(SaveBody.self, req)
    let d = try await state.saveScenario(name: b.name, yaml: b.yaml)
    return jsonResponse("{\"name\":\(jsonString(b.name)),\"url\":\(jsonString("/api/scenarios/\(b.name)")),\"warnings\":\(d.warnings.count)}\n", status: .created)
  }
  h["DELETE /api/scenarios/:name"] = { _, ctx in
    let name = ctx.parameters.get("name") ?? ""
    guard isValidName(name), try await state.scenarios.delete(name: name) else { throw APIError.notFound("no stored scenario '\(name)'") }
    return Response(status: .noContent)
  }
  h["GET /api/jobs"] = { _, _ in jsonResponse("[" + state.jobs.all().map { $0.statusJSON() }.joined(separator: ",") + "]\n") }
  h["POST /api/jobs"] = { req, _ in
    let job = try await state.startJob(try await state.decode(JobRequest.self, req))
    var r = jsonResponse(job.statusJSON() + "\n", status: .accepted)
    r.headers[.location] = "/api/jobs/\(job.id)"
    return r
  }
  h["GET /api/jobs/:id"] = { _, ctx in jsonResponse(try state.job(ctx).statusJSON() + "\n") }
  h["DELETE /api/jobs/:id"] = { _, ctx in
    let j = try state.job(ctx)
    state.jobs.cancel(j)
    return jsonResponse(j.statusJSON() + "\n")
  }
  h["GET /api/jobs/:id/result"] = { _, ctx in
    // A run of an earlier server process: its stored result.
    if let id = ctx.parameters.get("id"), state.jobs.job(id) == nil, id.hasPrefix("job-"), let store = state.store,
      let doc = try await store.document(kind: "run", name: id),
      let o = try? JSONSerialization.jsonObject(with: Data(doc.body.utf8)) as? [String: Any], let r = o["result"],
      let data = try? JSONSerialization.data(withJSONObject: r, options: [.sortedKeys])
    {
      return jsonResponse(String(decoding: data, as: UTF8.self) + "\n")
    }
    return jsonResponse(try state.finishedOutput(ctx).1.json)
  }
  h["GET /api/jobs/:id/charts/:chart"] = { _, ctx in
    let (j, out) = try state.finishedOutput(ctx)
    let name = (ctx.parameters.get("chart") ?? "").replacingOccurrences(of: ".svg", with: "")
    guard let c = out.charts.first(where: { $0.name == name }) else {
      throw APIError.notFound("job \(j.id) has no chart '\(name)'; it has: \(out.charts.map(\.name).joined(separator: ", "))")
    }
    return textResponse(c.svg, type: "image/svg+xml")
  }
  h["GET /api/compare"] = { req, _ in
    let (a, b) = try state.comparePair(req)
    let report = CompareReport(a: a, b: b)
    return jsonResponse(tablesJSON(report.tables(), headlines: []))
  }
  h["POST /api/chem/mass"] = { req, _ in jsonResponse(try state.chemMass(try await state.decode(MassBody.self, req).formula)) }
  h["POST /api/chem/convert"] = { req, _ in jsonResponse(try state.chemConvert(try await state.decode(ConvertBody.self, req))) }
  h["POST /api/magnets/check"] = { req, _ in
    let (t, chart) = try state.magnetCheck(try await state.decode(MagnetBody.self, req))
    return jsonResponse("{\"title\":\(jsonString(t.title ?? "")),\"rows\":\(t.renderJSON().trimmingCharacters(in: .whitespacesAndNewlines))" + (chart.map { ",\"chart\":\(jsonString($0))" } ?? "") + "}\n")
  }
  h["POST /api/qc/chart"] = { req, _ in
    let (t, svgs) = try state.qcChart(try await state.decode(QCBody.self, req))
    return jsonResponse(
      "{\"title\":\(jsonString(t.title ?? "")),\"rows\":\(t.renderJSON().trimmingCharacters(in: .whitespacesAndNewlines)),\"charts\":{"
        + svgs.map { jsonString($0.0) + ":" + jsonString($0.1) }.joined(separator: ",") + "}}\n")
  }
  return h
}

extension ServerState {
  /// The two finished simulation jobs named by `?a=` and `?b=`.
  func comparePair(_ req: Request) throws -> ((Scenario, SimulationResult), (Scenario, SimulationResult)) {
    func sim(_ key: String) throws -> (Scenario, SimulationResult) {
      let id = req.uri.queryParameters.get(key) ?? ""
      guard let j = jobs.job(id) else { throw APIError.badRequest("query '\(key)' must name a job from /api/jobs; got '\(id)'") }
      guard let s = j.output?.simulation else { throw APIError(.conflict, "not-comparable", "job \(id) is not a finished simulation (\(j.kind.rawValue), \(j.state.rawValue))") }
      return (s.scenario, s.result)
    }
    return (try sim("a"), try sim("b"))
  }
}
