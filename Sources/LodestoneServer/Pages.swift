import Foundation
import Hummingbird
import Magnets
import Quantities
import Reports
import ScenarioFormat
import SupplyChain

/// HTML escaping for text and attribute values.
func h(_ s: String) -> String { xmlEscape(s) }

/// One dashboard page: header navigation, content, print CSS; no scripts, no external resources.
func page(_ title: String, _ body: String, refresh: Int? = nil) -> Response {
  textResponse(pageHTML(title, body, refresh: refresh), type: "text/html; charset=utf-8")
}

func pageHTML(_ title: String, _ body: String, refresh: Int? = nil) -> String {
  """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
    \(refresh.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? "")
    <title>\(h(title)) · Lodestone</title>
    <style>
    body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
    header{background:#1d3557;color:#fff;padding:.6em 1.2em}header a{color:#fff;margin-right:1.2em;text-decoration:none}
    main{max-width:1200px;margin:1em auto;padding:0 1.2em}
    table{border-collapse:collapse;margin:.6em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.2em .5em}
    td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#eef}
    .charts{display:flex;flex-wrap:wrap;gap:1em}.charts figure{margin:0;background:#fff;border:1px solid #ddd;max-width:100%}
    .charts svg{max-width:100%;height:auto}.side>div{min-width:0}
    .side{display:grid;grid-template-columns:1fr 1fr;gap:1em}
    textarea{width:100%;font-family:monospace;font-size:.85em}
    .error{color:#b00020}.warning{color:#8a5a00}.ok{color:#1b5e20}
    form.inline{display:inline}label{display:inline-block;margin:.3em 1em .3em 0}
    @media print{header,form,nav{display:none}body{background:#fff}main{max-width:none}}
    </style></head><body>
    <header><strong>Lodestone</strong> &nbsp; <a href="/">Home</a><a href="/ui/scenarios">Scenarios</a><a href="/ui/runs">Runs</a><a href="/ui/compare">Compare</a><a href="/ui/reserve">Reserve</a><a href="/ui/cascade">Cascade</a><a href="/ui/magnets">Magnets</a><a href="/ui/qc">QC</a><a href="/ui/ledger">Ledger</a></header>
    <main><h1>\(h(title))</h1>
    \(body)
    </main></body></html>
    """
}

/// A Table as HTML; numeric cells right-aligned.
func htmlTable(_ t: Table) -> String {
  var s = t.title.map { "<h3>\(h($0))</h3>" } ?? ""
  s += "<table><tr>" + t.columns.map { "<th>\(h($0))</th>" }.joined() + "</tr>"
  for r in t.rows {
    s += "<tr>" + r.map { looksNumeric($0) ? "<td class=\"n\">\(h($0))</td>" : "<td>\(h($0))</td>" }.joined() + "</tr>"
  }
  return s + "</table>"
}

/// Decodes an `application/x-www-form-urlencoded` body.
func formFields(_ body: String) -> [String: String] {
  var out: [String: String] = [:]
  for pair in body.split(separator: "&") {
    let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
    func dec(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
    out[dec(kv[0])] = kv.count > 1 ? dec(kv[1]) : ""
  }
  return out
}

/// Decodes a `multipart/form-data` body into field → text (files as their text content).
func multipartFields(_ body: String, contentType: String) throws -> [String: String] {
  guard let b = contentType.components(separatedBy: "boundary=").last, contentType.contains("boundary=") else {
    throw APIError.badRequest("multipart/form-data needs a boundary")
  }
  let boundary = "--" + b.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
  var out: [String: String] = [:]
  for part in body.components(separatedBy: boundary).dropFirst() {
    guard let split = part.range(of: "\r\n\r\n") else { continue }
    let head = part[..<split.lowerBound]
    var value = String(part[split.upperBound...])
    if value.hasSuffix("\r\n") { value.removeLast(2) }
    guard let n = head.range(of: "name=\"") else { continue }
    let rest = head[n.upperBound...]
    guard let end = rest.firstIndex(of: "\"") else { continue }
    out[String(rest[..<end])] = value
  }
  return out
}

extension ServerState {
  func form(_ req: Request) async throws -> [String: String] {
    let text = try await body(req)
    let type = req.headers[.contentType] ?? ""
    return type.hasPrefix("multipart/form-data") ? try multipartFields(text, contentType: type) : formFields(text)
  }

  func scenarioOptions(selected: String?) async -> String {
    await scenarios.list().map { "<option\($0.name == selected ? " selected" : "")>\(h($0.name))</option>" }.joined()
  }

  func variantOptions(_ yaml: String, selected: String?) -> String {
    (["base"] + variantNames(yaml)).map { "<option\($0 == (selected ?? "base") ? " selected" : "")>\(h($0))</option>" }.joined()
  }

  func editor(name: String, yaml: String, diagnostics: Diagnostics?) -> String {
    var s = ""
    if let d = diagnostics {
      if d.items.isEmpty {
        s += "<p class=\"ok\" id=\"diagnostics\">No problems found (base and every variant).</p>"
      } else {
        s += "<ul id=\"diagnostics\">" + d.sorted.map { x in
          let loc = x.location.map { "\($0.line):\($0.column)" } ?? "-"
          let alt = x.alternatives.isEmpty ? "" : " (valid: \(x.alternatives.joined(separator: ", ")))"
          return "<li class=\"\(x.severity.rawValue)\"><code>\(loc)</code> \(x.severity.rawValue)[\(h(x.code))]: \(h(x.message))\(h(alt))</li>"
        }.joined() + "</ul>"
      }
    }
    s += """
      <form method="post" action="/ui/scenarios/validate">
      <label>Name <input name="name" value="\(h(name))" pattern="[a-z0-9][a-z0-9-]{0,63}"></label>
      <textarea name="yaml" rows="30">\(h(yaml))</textarea>
      <button type="submit">Validate</button>
      <button type="submit" formaction="/ui/scenarios/save">Save as this name</button>
      </form>
      """
    return s
  }

  func runForm(kind: String) async -> String {
    let scen = await scenarioOptions(selected: ScenarioLibrary.builtInName)
    let india = BuiltinScenarios.india2026
    switch kind {
    case "reserve":
      return """
        <form method="post" action="/ui/runs"><input type="hidden" name="kind" value="reserve">
        <label>Scenario <select name="scenario">\(scen)</select></label>
        <label>Variant <select name="variant">\(variantOptions(india, selected: "licence-freeze"))</select></label>
        <label>Material <input name="material" value="ndfeb-ev"></label>
        <label>Service (share of futures) <input name="service" value="0.95"></label>
        <label>Horizon <input name="horizon" value="2030-12"></label>
        <label>Futures <input name="runs" value="200"></label><label>Seed <input name="seed" value="1"></label>
        <p>Uncertain inputs (YAML):</p><textarea name="uncertainty" rows="14">\(h(indiaLicenceFreezeUncertainty))</textarea>
        <button type="submit">Size the reserve</button></form>
        """
    case "cascade":
      return """
        <form method="post" action="/ui/runs"><input type="hidden" name="kind" value="cascade">
        <label>Feed <input name="feed" value="Pr:25,Nd:75"></label>
        <label>Cut (light|heavy) <input name="cut" value="Pr|Nd"></label>
        <label>Purity <input name="purity" value="99.5%"></label>
        <label>Extractant system <input name="system" value="p507-hcl"></label>
        <button type="submit">Design the cascade</button></form>
        """
    default:
      return """
        <form method="post" action="/ui/runs">
        <label>Kind <select name="kind"><option value="simulation">simulation</option><option value="montecarlo">Monte Carlo</option><option value="plan">plan (LP)</option></select></label>
        <label>Scenario <select name="scenario">\(scen)</select></label>
        <label>Variant <select name="variant">\(variantOptions(india, selected: nil))</select></label>
        <label>Futures (Monte Carlo) <input name="runs" value="200"></label>
        <label>Objective (plan) <input name="objective" value="cost"></label>
        <button type="submit">Start</button></form>
        """
    }
  }

  func jobList() -> String {
    let rows = jobs.all().map { j in
      "<tr><td><a href=\"/ui/runs/\(j.id)\">\(j.id)</a></td><td>\(j.kind.rawValue)</td><td>\(h(j.title))</td><td>\(j.state.rawValue)</td><td class=\"n\">\(Int(j.progress * 100)) %</td></tr>"
    }
    return rows.isEmpty ? "<p>No runs yet.</p>" : "<table><tr><th>id</th><th>kind</th><th>what</th><th>state</th><th>progress</th></tr>" + rows.joined() + "</table>"
  }

  func jobOptions(selected: String?) -> String {
    jobs.all().filter { $0.output?.simulation != nil }.map { "<option value=\"\($0.id)\"\($0.id == selected ? " selected" : "")>\($0.id): \(h($0.title))</option>" }.joined()
  }
}

func charts(_ list: [(name: String, svg: String)]) -> String {
  "<div class=\"charts\">" + list.map { "<figure id=\"chart-\(h($0.name))\">\($0.svg)</figure>" }.joined() + "</div>"
}

func pageHandlers(_ state: ServerState) -> [String: Handler] {
  var p: [String: Handler] = [:]
  p["GET /"] = { _, ctx in
    page(
      "Dashboard",
      """
      <p>Signed in as <b>\(h(ctx.identity.organisation))</b> (\(ctx.identity.role.rawValue)).</p>
      <ul>
      <li><a href="/ui/scenarios">Scenarios</a>: the built-in India scenario and stored variants; edit and validate.</li>
      <li><a href="/ui/runs">Runs</a>: simulate a scenario or variant, Monte Carlo, optimised plan.</li>
      <li><a href="/ui/compare">Compare</a> two runs side by side (e.g. base vs long-ban).</li>
      <li><a href="/ui/reserve">Reserve sizing</a>, <a href="/ui/cascade">cascade design</a>, <a href="/ui/magnets">magnet checker</a>, <a href="/ui/qc">QC chart</a>.</li>
      <li><a href="/ui/ledger">Ledger</a>: tolling lots, genealogy and origin shares, verify, EPCIS import.</li>
      </ul>
      <h2>Recent runs</h2>\(state.jobList())
      """)
  }
  p["GET /ui/login"] = { _, _ in
    page("Sign in", "<form method=\"post\" action=\"/ui/login\"><label>Token <input type=\"password\" name=\"token\"></label><button type=\"submit\">Sign in</button></form>")
  }
  p["POST /ui/login"] = { req, _ in
    let f = try await state.form(req)
    guard let t = f["token"], state.config.tokens.identity(forToken: t) != nil else {
      return page("Sign in", "<p class=\"error\">That token is not valid.</p><form method=\"post\" action=\"/ui/login\"><label>Token <input type=\"password\" name=\"token\"></label><button type=\"submit\">Sign in</button></form>")
    }
    var r = redirect("/")
    r.headers[.setCookie] = "lodestone_token=\(t.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""); Path=/; HttpOnly; SameSite=Strict"
    return r
  }
  p["GET /ui/scenarios"] = { _, _ in
    let rows = await state.scenarios.list().map { e in
      "<tr><td><a href=\"/ui/scenarios/\(e.name)\">\(h(e.name))</a></td><td>\(e.origin)</td><td>\(h(variantNames(e.yaml).joined(separator: ", ")))</td><td>\(h(e.storedAt))</td></tr>"
    }
    return page("Scenarios", "<table><tr><th>name</th><th>origin</th><th>variants</th><th>stored</th></tr>" + rows.joined() + "</table>")
  }
  p["GET /ui/scenarios/:name"] = { _, ctx in
    let name = ctx.parameters.get("name") ?? ""
    guard isValidName(name), let e = await state.scenarios.get(name) else { throw APIError.notFound("no scenario '\(name)'") }
    let editName = e.origin == "built-in" ? name + "-variant" : name
    return page("Scenario \(name)", state.editor(name: editName, yaml: e.yaml, diagnostics: nil))
  }
  p["POST /ui/scenarios/validate"] = { req, _ in
    let f = try await state.form(req)
    let name = f["name"] ?? "scenario", yaml = f["yaml"] ?? ""
    let d = validateScenario(text: yaml, file: name + ".yaml", variant: nil)
    return page("Validate \(name)", state.editor(name: name, yaml: yaml, diagnostics: d))
  }
  p["POST /ui/scenarios/save"] = { req, _ in
    let f = try await state.form(req)
    let name = f["name"] ?? "", yaml = f["yaml"] ?? ""
    do {
      _ = try await state.saveScenario(name: name, yaml: yaml)
    } catch let e as APIError {
      let d = validateScenario(text: yaml, file: name + ".yaml", variant: nil)
      return page("Not saved", "<p class=\"error\">\(h(e.message))</p>" + state.editor(name: name, yaml: yaml, diagnostics: d), refresh: nil)
    }
    return redirect("/ui/scenarios/\(name)")
  }
  p["GET /ui/runs"] = { _, _ in page("Runs", await state.runForm(kind: "run") + "<h2>All runs</h2>" + state.jobList()) }
  p["POST /ui/runs"] = { req, _ in
    let job = try await state.startJob(try JobRequest(form: try await state.form(req)))
    return redirect("/ui/runs/\(job.id)")
  }
  p["GET /ui/runs/:id"] = { _, ctx in
    let j = try state.job(ctx)
    // A finished job's page never changes: render it once.
    if let html = j.renderedPage.withLock({ $0 }) { return textResponse(html, type: "text/html; charset=utf-8") }
    var s = "<p>\(j.kind.rawValue): <b>\(h(j.title))</b> — state <b id=\"state\">\(j.state.rawValue)</b>, progress \(Int(j.progress * 100)) %</p>"
    if !j.state.isFinished {
      s += "<progress max=\"100\" value=\"\(Int(j.progress * 100))\"></progress><form method=\"post\" action=\"/ui/runs/\(j.id)/cancel\" class=\"inline\"><button>Cancel</button></form>"
    }
    if let e = j.status.withLock({ $0.error }) { s += "<p class=\"error\">\(h(e))</p>" }
    if let out = j.output {
      s += "<ul id=\"headlines\">" + out.headlines.map { "<li>\(h($0))</li>" }.joined() + "</ul>"
      s += charts(out.charts)
      s += out.tables.map { "<section id=\"table-\(h($0.name))\">" + htmlTable($0.table) + "</section>" }.joined()
      s += "<p><a href=\"/api/jobs/\(j.id)/result\">JSON</a></p>"
    }
    let finished = j.state.isFinished
    let html = pageHTML("Run \(j.id)", s, refresh: finished ? nil : 2)
    if finished { j.renderedPage.withLock { $0 = html } }
    return textResponse(html, type: "text/html; charset=utf-8")
  }
  p["POST /ui/runs/:id/cancel"] = { _, ctx in
    let j = try state.job(ctx)
    state.jobs.cancel(j)
    return redirect("/ui/runs/\(j.id)")
  }
  p["GET /ui/compare"] = { req, _ in
    let a: String? = req.uri.queryParameters.get("a"), b: String? = req.uri.queryParameters.get("b")
    var s = """
      <form method="get" action="/ui/compare"><label>A <select name="a">\(state.jobOptions(selected: a))</select></label>
      <label>B <select name="b">\(state.jobOptions(selected: b))</select></label><button type="submit">Compare</button></form>
      """
    if a != nil, b != nil {
      let (x, y) = try state.comparePair(req)
      let report = CompareReport(a: x, b: y)
      let ra = RunReport(scenario: x.0, result: x.1), rb = RunReport(scenario: y.0, result: y.1)
      s += report.tables().map { htmlTable($0.table) }.joined()
      s += charts(report.svgs().map { (String($0.fileName.dropLast(4)), $0.svg) })
      s += "<div class=\"side\"><div><h2>A</h2>\(charts([("a-sankey", ra.sankey().render()), ("a-dependence", ra.dependenceChart().render())]))</div>"
      s += "<div><h2>B</h2>\(charts([("b-sankey", rb.sankey().render()), ("b-dependence", rb.dependenceChart().render())]))</div></div>"
    }
    return page("Compare runs", s)
  }
  p["GET /ui/reserve"] = { _, _ in page("Reserve sizing", await state.runForm(kind: "reserve")) }
  p["GET /ui/cascade"] = { _, _ in page("Cascade design", await state.runForm(kind: "cascade")) }
  let magnetForm = """
    <form method="post" action="/ui/magnets">
    <label>Temperature <input name="temperature" value="150"></label><label>Permeance coefficient Pc <input name="pc" value="2"></label>
    <label>Opposing field <input name="opposing_field" value="300 kA/m"></label><label>Grade(s) (blank: rank all) <input name="grade"></label>
    <button type="submit">Check</button></form>
    """
  p["GET /ui/magnets"] = { _, _ in page("Magnet checker", magnetForm) }
  p["POST /ui/magnets"] = { req, _ in
    let f = try await state.form(req)
    guard let pc = Double(f["pc"] ?? "") else { throw APIError.badRequest("field 'pc' must be a number") }
    let (t, chart) = try state.magnetCheck(MagnetBody(temperature: f["temperature"] ?? "", pc: pc, grade: f["grade"], opposing_field: f["opposing_field"], min_b: nil))
    return page("Magnet checker", magnetForm + htmlTable(t) + (chart.map { charts([("working-point", $0)]) } ?? ""))
  }
  let qcForm = """
    <form method="post" action="/ui/qc" enctype="multipart/form-data">
    <label>Specimen CSV <input type="file" name="csv" accept=".csv,text/csv"></label>
    <label>Property <input name="property" value="Br"></label>
    <label>Chart <select name="chart"><option>xbar-r</option><option>xbar-s</option><option>i-mr</option></select></label>
    <button type="submit">Chart</button></form>
    """
  p["GET /ui/qc"] = { _, _ in page("QC chart", qcForm) }
  p["POST /ui/qc"] = { req, _ in
    let f = try await state.form(req)
    let (t, svgs) = try state.qcChart(QCBody(csv: f["csv"] ?? "", property: f["property"] ?? "", chart: f["chart"]))
    return page("QC chart", qcForm + charts(svgs.map { (String($0.0.dropLast(4)), $0.1) }) + htmlTable(t))
  }
  return p
}
