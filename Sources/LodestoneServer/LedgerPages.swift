// Dashboard pages of the tolling ledger: lots, verify status, EPCIS import and a lot's genealogy.
import Foundation
import Hummingbird
import Ledger
import Quantities
import Reports

extension ServerState {
  /// `?as=…` to carry on links and forms (only on a loopback server without tokens).
  func asQuery(_ req: Request) -> String {
    guard let a = req.uri.queryParameters.get("as"), !a.isEmpty else { return "" }
    return "?as=" + pathEscape(String(a))
  }

  /// The ledger overview: who is acting, verify status, the lots visible, the import form.
  func ledgerPage(_ req: Request, _ ctx: LodestoneContext, message: String = "") async throws -> Response {
    let actor = try ledgerActor(req, ctx)
    let q = asQuery(req)
    var s = "<p>Acting as <b id=\"actor\">\(h(actor.description))</b>."
    if ctx.identity == .local && !config.requiresToken {
      s += " <form class=\"inline\" method=\"get\" action=\"/ui/ledger\"><label>Act as <input name=\"as\" value=\"\(h(actor.description))\" placeholder=\"irel:viewer\"></label><button type=\"submit\">Switch</button></form>"
    }
    s += "</p>"
    if ledgerIsTemporary { s += "<p class=\"warning\">No --data directory: this ledger is a throwaway store, lost when the server stops.</p>" }
    s += message
    if LedgerOperation.verify.allowedRoles.contains(actor.role) {
      let r = try await ledgerCall { try await ledger.verify(as: actor) }
      s += r.ok
        ? "<p class=\"ok\" id=\"verify\">Verified: \(r.chains.count) chain(s) intact, \(r.chains.reduce(0) { $0 + $1.records }) record(s); the history replays.</p>"
        : "<p class=\"error\" id=\"verify\">Verification failed: \(r.problems.count) problem(s).</p><ul>" + r.problems.map { "<li>\(h($0.description))</li>" }.joined() + "</ul>"
    } else {
      s += "<p id=\"verify\">Verification needs the auditor or admin role.</p>"
    }
    let lots = try await ledgerLots(actor)
    s += "<h2>Lots visible to \(h(actor.organisation)) (\(lots.count))</h2><table id=\"lots\"><tr><th>lot</th><th>material</th><th>grade</th><th>mass_kg</th><th>owner</th><th>holder</th><th>location</th><th>status</th></tr>"
    for l in lots {
      s += "<tr><td><a href=\"/ui/ledger/lots/\(pathEscape(l.id))\(q)\">\(h(l.id))</a></td><td>\(h(l.material))</td><td>\(h(l.grade ?? ""))</td><td class=\"n\">\(fixedFormat(l.mass, decimals: 3))</td>"
        + "<td>\(h(l.owner))</td><td>\(h(l.holder))</td><td>\(h(l.location ?? ""))</td><td>\(h(l.status.rawValue))</td></tr>"
    }
    s += "</table>"
    s += """
      <h2>Import an EPCIS 2.0 document</h2>
      <form method="post" action="/ui/ledger/import\(q)" enctype="multipart/form-data">
      <label>File <input type="file" name="file" accept=".json,application/json,application/ld+json"></label>
      <p>or paste it:</p><textarea name="document" rows="12"></textarea>
      <button type="submit">Import</button></form>
      """
    return page("Ledger", s)
  }

  /// One lot: summary, sources (ancestors) and uses (descendants) indented by depth, origins by element.
  func lotPage(_ req: Request, _ ctx: LodestoneContext) async throws -> Response {
    let id = (ctx.parameters.get("id") ?? "").removingPercentEncoding ?? ""
    let actor = try ledgerActor(req, ctx)
    let t = try await ledgerTrace(id, actor)
    let q = asQuery(req)
    let l = t.lot
    var s = "<p><a href=\"/ui/ledger\(q)\">← all lots</a> · acting as \(h(actor.description))</p>"
    s += "<table id=\"lot\"><tr><th>material</th><th>grade</th><th>mass_kg</th><th>initial_mass_kg</th><th>owner</th><th>holder</th><th>location</th><th>status</th><th>created by</th></tr>"
    s += "<tr><td>\(h(l.material))</td><td>\(h(l.grade ?? ""))</td><td class=\"n\">\(fixedFormat(l.mass, decimals: 3))</td><td class=\"n\">\(fixedFormat(l.initialMass, decimals: 3))</td>"
      + "<td>\(h(l.owner))</td><td>\(h(l.holder))</td><td>\(h(l.location ?? ""))</td><td>\(h(l.status.rawValue))</td><td>\(h(l.createdBy))</td></tr></table>"
    func tree(_ title: String, _ id: String, _ lines: [TraceLine], mass: String) -> String {
      var x = "<h2>\(title)</h2>"
      if lines.isEmpty { return x + "<p id=\"\(id)\">None.</p>" }
      x += "<table id=\"\(id)\"><tr><th>lot</th><th>depth</th><th>material</th><th>\(mass)</th><th>owner</th><th>event</th></tr>"
      for ln in lines {
        let pad = "<span style=\"padding-left:\(ln.depth - 1)em\"></span>" + (ln.depth > 1 ? "└ " : "")
        let name = ln.withheld ? "<i>(withheld)</i>" : "<a href=\"/ui/ledger/lots/\(pathEscape(ln.lot))\(q)\">\(h(ln.lot))</a>"
        x += "<tr><td>\(pad)\(name)</td><td class=\"n\">\(ln.depth)</td><td>\(h(ln.material))</td><td class=\"n\">\(fixedFormat(ln.mass, decimals: 3))</td><td>\(h(ln.owner))</td><td>\(h(ln.withheld ? "" : ln.event))</td></tr>"
      }
      return x + "</table>"
    }
    s += tree("Sources (ancestors)", "sources", t.sources, mass: "kg_used")
    s += tree("Uses (descendants)", "uses", t.uses, mass: "kg_made")
    s += "<h2>Origin of each element</h2><table id=\"origins\"><tr><th>element</th><th>country</th><th>share_pct</th></tr>"
    for o in t.origins {
      s += "<tr><td>\(o.element.symbol)</td><td>\(h(o.country))</td><td class=\"n\">\(fixedFormat(o.share * 100, decimals: 2))</td></tr>"
    }
    return page("Lot \(l.id)", s + "</table>")
  }
}

func ledgerPageHandlers(_ state: ServerState) -> [String: Handler] {
  var p: [String: Handler] = [:]
  p["GET /ui/ledger"] = { req, ctx in try await state.ledgerPage(req, ctx) }
  p["POST /ui/ledger/import"] = { req, ctx in
    let f = try await state.form(req)
    let text = [f["file"], f["document"]].compactMap { $0 }.first { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? ""
    var message: String
    var status = HTTPResponse.Status.ok
    if text.isEmpty {
      message = "<p class=\"error\" id=\"import\">Choose a file or paste an EPCIS document.</p>"
    } else {
      do {
        let records = try await state.ledgerImport(text, source: "upload.json", try state.ledgerActor(req, ctx))
        message = "<p class=\"ok\" id=\"import\">Imported \(records.count) event(s) into "
          + Set(records.map(\.chain)).sorted().map(h).joined(separator: ", ") + ".</p>"
      } catch let e as APIError {
        status = e.status
        let loc = e.location.map { " (\($0.file):\($0.line):\($0.column))" } ?? ""
        message = "<p class=\"error\" id=\"import\">Not imported: \(h(e.message))\(h(loc))</p>"
      }
    }
    var r = try await state.ledgerPage(req, ctx, message: message)
    r.status = status
    return r
  }
  p["GET /ui/ledger/lots/:id"] = { req, ctx in try await state.lotPage(req, ctx) }
  return p
}
