import Chemistry
import Quantities
import SupplyChain

/// Writes a ``Scenario`` as scenario-format YAML: quantities with units, keys in the order the
/// format declares them, entities in model order. `ScenarioDecoder().decode(text:file:)` of the
/// result reproduces the scenario (numbers to 15 significant digits).
public struct ScenarioEncoder: Sendable {
  /// Significant digits written for numbers.
  public var digits: Int

  public init(digits: Int = 15) { self.digits = digits }

  public func encode(_ s: Scenario) -> String {
    var w = Writer()
    w.line(0, "schema-version: \(FormatSpec.schemaVersion)")
    w.line(0, "name: \(text(s.name))")
    if !s.description.isEmpty { w.line(0, "description: \(text(s.description))") }
    w.line(0, "start: \(s.start)")
    w.line(0, "months: \(s.months)")
    if s.elements != Scenario.defaultElements(s.materials) {
      w.line(0, "elements: [" + s.elements.map(\.symbol).joined(separator: ", ") + "]")
    }

    w.section("materials", s.materials) { w, m in
      w.item("id: \(text(m.id.rawValue))")
      w.field("name", text(m.name))
      w.field("form", m.form.rawValue)
      if let f = m.formula {
        w.field("formula", text(f.text))
      } else {
        w.field("assay", "{" + m.composition.fractions.map { "\($0.element.symbol): \(percent($0.fraction))" }.joined(separator: ", ") + "}")
      }
      w.optional("source", m.source.map(text))
    }
    w.section("sites", s.sites) { w, x in
      w.item("id: \(text(x.id.rawValue))")
      w.field("name", text(x.name))
      w.field("country", x.country)
      w.field("owner", text(x.owner))
      if !x.initialStocks.isEmpty {
        w.field("stocks", "{" + x.initialStocks.map { "\(text($0.material.rawValue)): \(num($0.mass / 1000)) t" }.joined(separator: ", ") + "}")
      }
      w.optional("source", x.source.map(text))
    }
    w.section("processes", s.processes) { w, p in
      w.item("id: \(text(p.id.rawValue))")
      w.field("name", text(p.name))
      w.field("site", text(p.site.rawValue))
      w.field("stage", p.stage.rawValue)
      w.field("capacity", "\(num(p.capacity * secondsPerYear / 1000)) t/yr")
      w.field("capacity-basis", text(p.reference.rawValue))
      w.field("inputs", recipe(p.inputs))
      w.field("outputs", recipe(p.outputs))
      switch p.losses {
      case .none: w.field("losses", "none")
      case .rest: w.field("losses", "rest")
      case .fractions(let fs): w.field("losses", "{" + fs.map { "\($0.element.symbol): \(percent($0.fraction))" }.joined(separator: ", ") + "}")
      }
      w.optional("commissioning", p.availability.commissioning?.description)
      w.optional("decommissioning", p.availability.decommissioning?.description)
      if !p.availability.ramp.isEmpty {
        w.field("ramp", "{" + p.availability.ramp.map { "\($0.month): \(percent($0.fraction))" }.joined(separator: ", ") + "}")
      }
      if !p.availability.outages.isEmpty {
        w.field("outages", "")
        for o in p.availability.outages {
          w.line(3, "- {from: \(o.from), to: \(o.to), availability: \(percent(o.fraction))}")
        }
      }
      w.optional("source", p.source.map(text))
    }
    w.section("links", s.links) { w, l in
      w.item("id: \(text(l.id.rawValue))")
      w.field("from", text(l.from.rawValue))
      w.field("to", text(l.to.rawValue))
      if !l.materials.isEmpty { w.field("materials", list(l.materials.map(\.rawValue))) }
      w.field("lead-time", "\(l.leadTime) months")
      w.optional("capacity", l.capacity.map { "\(num($0 * secondsPerYear / 1000)) t/yr" })
      if l.cost != 0 { w.field("cost", "\(num(l.cost)) USD/kg") }
      if l.priority != 1 { w.field("priority", "\(l.priority)") }
      w.optional("source", l.source.map(text))
    }
    w.section("agreements", s.agreements) { w, a in
      w.item("id: \(text(a.id.rawValue))")
      w.field("principal", text(a.principal.rawValue))
      w.field("processor", text(a.processor.rawValue))
      w.field("return-to", text(a.returnTo.rawValue))
      w.field("input", text(a.input.rawValue))
      w.field("output", text(a.output.rawValue))
      w.optional("input-rate", a.inputRate.map { "\(num($0 * secondsPerYear / 1000)) t/yr" })
      w.field("share-returned", percent(a.shareReturned))
      if a.cashFee != 0 { w.field("cash-fee", "\(num(a.cashFee)) USD/kg") }
      w.optional("start", a.start?.description)
      w.optional("end", a.end?.description)
      w.optional("source", a.source.map(text))
    }
    w.section("policies", s.policies) { w, p in
      w.item("id: \(text(p.id.rawValue))")
      w.field("name", text(p.name))
      w.field("origin", p.origin)
      if !p.destinations.isEmpty { w.field("destinations", list(p.destinations)) }
      switch p.kind {
      case .ban: w.field("kind", "ban")
      case .quota(let q):
        w.field("kind", "quota")
        w.field("quota", "\(num(q * secondsPerYear / 1000)) t/yr")
      case .licence(let approval, let delay):
        w.field("kind", "licence")
        w.field("approval", percent(approval))
        w.field("delay", "\(delay) months")
      }
      if !p.elements.isEmpty { w.field("elements", list(p.elements.map(\.symbol))) }
      if !p.materials.isEmpty { w.field("materials", list(p.materials.map(\.rawValue))) }
      if !p.forms.isEmpty { w.field("forms", list(p.forms.map(\.rawValue))) }
      if p.deMinimis != 0 { w.field("de-minimis", percent(p.deMinimis)) }
      if !p.exemptAgreements.isEmpty { w.field("exempt-agreements", list(p.exemptAgreements.map(\.rawValue))) }
      w.optional("from", p.from?.description)
      w.optional("until", p.until?.description)
      w.optional("source", p.source.map(text))
    }
    w.section("demands", s.demands) { w, d in
      let mw = d.endUnit == "MW"
      func rate(_ r: Double) -> String { "\(num(r * secondsPerYear)) \(mw ? "MW" : d.endUnit)/yr" }
      w.item("id: \(text(d.id.rawValue))")
      w.field("sector", d.sector.rawValue)
      w.field("site", text(d.site.rawValue))
      w.field("material", text(d.material.rawValue))
      w.field("units", rate(d.rate))
      if d.growth != 0 { w.field("growth", percent(d.growth)) }
      if !d.series.isEmpty { w.field("series", "{" + d.series.map { "\($0.month): \(rate($0.rate))" }.joined(separator: ", ") + "}") }
      w.field("intensity", "\(num(d.intensity)) kg/\(mw ? "MW" : d.endUnit)")
      w.field("priority", "\(d.priority)")
      w.optional("value", d.valuePerUnit.map { "\(num($0)) USD/\(mw ? "MW" : d.endUnit)" })
      w.optional("source", d.source.map(text))
    }
    w.section("reserves", s.reserves) { w, r in
      w.item("id: \(text(r.id.rawValue))")
      w.field("site", text(r.site.rawValue))
      w.field("material", text(r.material.rawValue))
      w.field("target", "\(num(r.target / 1000)) t")
      w.field("initial", "\(num(r.initial / 1000)) t")
      w.optional("fill-rate", r.fillRate.map { "\(num($0 * secondsPerMonth / 1000)) t/month" })
      w.field("floor", "\(num(r.floor / 1000)) t")
      if !r.releaseTo.isEmpty { w.field("release-to", list(r.releaseTo.map(\.rawValue))) }
      w.optional("fill-from", r.fillFrom?.description)
      if r.holdingCost != 0 { w.field("holding-cost", "\(num(r.holdingCost)) USD/kg") }
      w.optional("source", r.source.map(text))
    }
    w.section("prices", s.prices) { w, p in
      w.item("material: \(text(p.material.rawValue))")
      w.field("points", "{" + p.points.map { "\($0.month): \(num($0.perKg)) \(p.currency)/kg" }.joined(separator: ", ") + "}")
      w.optional("source", p.source.map(text))
    }
    w.section("candidates", s.candidates) { w, c in
      w.item("id: \(text(c.id.rawValue))")
      w.field("name", text(c.name))
      w.field("process", text(c.process.rawValue))
      w.field("module", "\(num(c.moduleCapacity * secondsPerYear / 1000)) t/yr")
      w.field("max-modules", "\(c.maxModules)")
      w.field("capex", "\(num(c.capexPerModule)) USD")
      if c.fixedOpexPerModule != 0 { w.field("fixed-opex", "\(num(c.fixedOpexPerModule * secondsPerYear)) USD/yr") }
      w.field("lead-time", "\(c.leadTime) months")
      w.optional("earliest-start", c.earliestStart?.description)
      w.optional("source", c.source.map(text))
    }
    return w.out
  }

  func num(_ x: Double) -> String { formatNumber(x, significantDigits: digits) }
  func percent(_ f: Double) -> String { num(f * 100) + " %" }
  func recipe(_ terms: [RecipeTerm]) -> String {
    "{" + terms.map { "\(text($0.material.rawValue)): \(num($0.amount))" }.joined(separator: ", ") + "}"
  }
  func list(_ xs: [String]) -> String { "[" + xs.map(text).joined(separator: ", ") + "]" }

  /// A plain scalar when it is safe in flow and block context, else a double-quoted one.
  func text(_ s: String) -> String {
    let safe = !s.isEmpty && s.unicodeScalars.allSatisfy { u in
      ("a"..."z").contains(u) || ("A"..."Z").contains(u) || ("0"..."9").contains(u) || u == "-" || u == "_" || u == "."
    } && s.first != "-" && Double(s) == nil
      && !["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"].contains(s.lowercased())
    return safe ? s : quoted(s)
  }
}

/// Accumulates indented YAML lines.
struct Writer {
  var out = ""
  mutating func line(_ indent: Int, _ s: String) { out += String(repeating: "  ", count: indent) + s + "\n" }
  mutating func item(_ s: String) { line(1, "- " + s) }
  mutating func field(_ key: String, _ value: String) { line(2, value.isEmpty ? "\(key):" : "\(key): \(value)") }
  mutating func optional(_ key: String, _ value: String?) { if let value { field(key, value) } }
  mutating func section<T>(_ name: String, _ items: [T], _ body: (inout Writer, T) -> Void) {
    guard !items.isEmpty else { return }
    out += "\n"
    line(0, "\(name):")
    for x in items { body(&self, x) }
  }
}
