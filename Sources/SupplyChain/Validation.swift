import Chemistry
import Quantities

/// Relative tolerance for recipe element balances.
public let recipeBalanceTolerance = 1e-6

extension Scenario {
  /// Checks references, ranges and the element balance of every recipe. Returns every finding
  /// at once; a scenario with errors must not be simulated or optimised.
  public func validate() -> Diagnostics {
    var d = Diagnostics()
    let materialIDs = materials.map(\.id.rawValue)
    let siteIDs = sites.map(\.id.rawValue)
    let agreementIDs = agreements.map(\.id.rawValue)
    let materialSet = Set(materialIDs), siteSet = Set(siteIDs)

    func dup(_ kind: String, _ section: String, _ ids: [String]) {
      var seen = Set<String>()
      for id in ids where !seen.insert(id).inserted {
        d.append(Diagnostic(.error, "duplicate-id", "\(kind.prefix(1).uppercased() + kind.dropFirst()) id '\(id)' is used more than once; ids must be unique.", path: [section, id]))
      }
    }
    dup("material", "materials", materialIDs)
    dup("site", "sites", siteIDs)
    dup("process", "processes", processes.map(\.id.rawValue))
    dup("link", "links", links.map(\.id.rawValue))
    dup("agreement", "agreements", agreementIDs)
    dup("policy", "policies", policies.map(\.id.rawValue))
    dup("demand", "demands", demands.map(\.id.rawValue))
    dup("reserve", "reserves", reserves.map(\.id.rawValue))

    func ref(_ kind: String, _ value: String, known: Set<String>, names: [String], path: ModelPath) {
      guard !known.contains(value) else { return }
      let alts = closestNames(to: value, in: names)
      let known = alts.isEmpty ? "The scenario defines no \(kind)s." : "Known \(kind)s: " + alts.map { "'\($0)'" }.joined(separator: ", ") + "."
      d.append(
        Diagnostic(
          .error, "unknown-reference",
          "Unknown \(kind) '\(value)'. " + known,
          path: path, alternatives: alts))
    }
    func material(_ id: MaterialID, _ path: ModelPath) { ref("material", id.rawValue, known: materialSet, names: materialIDs, path: path) }
    func site(_ id: SiteID, _ path: ModelPath) { ref("site", id.rawValue, known: siteSet, names: siteIDs, path: path) }
    func range(_ ok: Bool, _ message: String, _ path: ModelPath) {
      if !ok { d.append(Diagnostic(.error, "out-of-range", message, path: path)) }
    }

    range(months > 0 && months <= 1200, "Scenario months must be in 1...1200; got \(months).", ["months"])
    for m in materials {
      let total = m.composition.total
      if total > 1 + 1e-9 {
        d.append(
          Diagnostic(
            .error, "composition-over-one",
            "Material '\(m.id)' element mass fractions must sum to at most 100 %; they sum to \(formatNumber(total * 100, significantDigits: 6)) %.",
            path: ["materials", m.id.rawValue, "composition"]))
      }
      for (e, f) in m.composition.fractions where f < 0 {
        range(false, "Material '\(m.id)' fraction of \(e.symbol) must be ≥ 0; got \(f).", ["materials", m.id.rawValue, "composition", e.symbol])
      }
    }
    for s in sites {
      for (k, st) in s.initialStocks.enumerated() {
        material(st.material, ["sites", s.id.rawValue, "stocks", st.material.rawValue])
        range(st.mass >= 0, "Site '\(s.id)' stock of '\(st.material)' must be ≥ 0; got \(st.mass) kg.", ["sites", s.id.rawValue, "stocks", "\(k)"])
      }
    }
    for p in processes {
      let base: ModelPath = ["processes", p.id.rawValue]
      site(p.site, base + ["site"])
      for t in p.inputs { material(t.material, base + ["inputs", t.material.rawValue]) }
      for t in p.outputs { material(t.material, base + ["outputs", t.material.rawValue]) }
      for (key, terms) in [("inputs", p.inputs), ("outputs", p.outputs)] {
        for t in terms {
          range(t.amount > 0 && t.amount.isFinite, "Process '\(p.id)' amount of '\(t.material)' must be > 0; got \(t.amount).", base + [key, t.material.rawValue])
        }
      }
      if !(p.inputs + p.outputs).contains(where: { $0.material == p.reference }) {
        d.append(
          Diagnostic(
            .error, "unknown-reference",
            "Process '\(p.id)' capacity-basis '\(p.reference)' must be one of its inputs or outputs: "
              + (p.inputs + p.outputs).map { "'\($0.material)'" }.joined(separator: ", ") + ".",
            path: base + ["capacity-basis"], alternatives: (p.inputs + p.outputs).map(\.material.rawValue)))
      }
      range(p.capacity >= 0 && p.capacity.isFinite, "Process '\(p.id)' capacity must be ≥ 0; got \(tonnesPerYear(p.capacity)) t/yr.", base + ["capacity"])
      for (k, r) in p.availability.ramp.enumerated() {
        range((0...1).contains(r.fraction), "Process '\(p.id)' ramp fraction must be in 0...100 %; got \(formatNumber(r.fraction * 100)) %.", base + ["ramp", "\(k)"])
      }
      for (k, o) in p.availability.outages.enumerated() {
        range((0...1).contains(o.fraction) && o.from <= o.to, "Process '\(p.id)' outage must have from ≤ to and availability in 0...100 %.", base + ["outages", "\(k)"])
      }
      if case .fractions(let fs) = p.losses {
        for (e, f) in fs {
          range((0...1).contains(f), "Process '\(p.id)' loss of \(e.symbol) must be in 0...100 %; got \(formatNumber(f * 100)) %.", base + ["losses", e.symbol])
        }
      }
      d.append(contentsOf: recipeBalance(p))
    }
    for l in links {
      let base: ModelPath = ["links", l.id.rawValue]
      site(l.from, base + ["from"])
      site(l.to, base + ["to"])
      for m in l.materials { material(m, base + ["materials", m.rawValue]) }
      range(l.leadTime >= 0 && l.leadTime <= 120, "Link '\(l.id)' lead time must be in 0...120 months; got \(l.leadTime).", base + ["lead-time"])
      if let c = l.capacity { range(c >= 0, "Link '\(l.id)' capacity must be ≥ 0; got \(tonnesPerYear(c)) t/yr.", base + ["capacity"]) }
      range(l.priority >= 1, "Link '\(l.id)' priority must be ≥ 1; got \(l.priority).", base + ["priority"])
      if l.from == l.to { range(false, "Link '\(l.id)' must join two different sites; both ends are '\(l.from)'.", base + ["to"]) }
    }
    for a in agreements {
      let base: ModelPath = ["agreements", a.id.rawValue]
      site(a.principal, base + ["principal"])
      site(a.processor, base + ["processor"])
      site(a.returnTo, base + ["return-to"])
      material(a.input, base + ["input"])
      material(a.output, base + ["output"])
      range((0...1).contains(a.shareReturned), "Agreement '\(a.id)' share-returned must be in 0...100 %; got \(formatNumber(a.shareReturned * 100)) %.", base + ["share-returned"])
      if !processes.contains(where: { $0.site == a.processor && $0.inputs.contains { $0.material == a.input } && $0.outputs.contains { $0.material == a.output } }) {
        d.append(Diagnostic(.warning, "no-route", "Agreement '\(a.id)': no process at '\(a.processor)' turns '\(a.input)' into '\(a.output)', so nothing will be returned.", path: base + ["processor"]))
      }
      if siteSet.contains(a.principal.rawValue), siteSet.contains(a.processor.rawValue), !hasLink(a.principal, a.processor, a.input) {
        d.append(Diagnostic(.warning, "no-route", "Agreement '\(a.id)': no link carries '\(a.input)' from '\(a.principal)' to '\(a.processor)'.", path: base + ["principal"]))
      }
      if siteSet.contains(a.processor.rawValue), siteSet.contains(a.returnTo.rawValue), !hasLink(a.processor, a.returnTo, a.output) {
        d.append(Diagnostic(.warning, "no-route", "Agreement '\(a.id)': no link carries '\(a.output)' from '\(a.processor)' back to '\(a.returnTo)'.", path: base + ["return-to"]))
      }
    }
    for p in policies {
      let base: ModelPath = ["policies", p.id.rawValue]
      for m in p.materials { material(m, base + ["materials", m.rawValue]) }
      for a in p.exemptAgreements {
        ref("agreement", a.rawValue, known: Set(agreementIDs), names: agreementIDs, path: base + ["exempt-agreements", a.rawValue])
      }
      switch p.kind {
      case .ban: break
      case .quota(let q): range(q >= 0, "Policy '\(p.id)' quota must be ≥ 0; got \(tonnesPerYear(q)) t/yr.", base + ["quota"])
      case .licence(let approval, let delay):
        range((0...1).contains(approval), "Policy '\(p.id)' approval must be in 0...100 %; got \(formatNumber(approval * 100)) %.", base + ["approval"])
        range(delay >= 0, "Policy '\(p.id)' delay must be ≥ 0 months; got \(delay).", base + ["delay"])
      }
      if p.elements.isEmpty && p.materials.isEmpty && p.forms.isEmpty {
        range(false, "Policy '\(p.id)' must name elements, materials or forms it covers; it names none.", base)
      }
    }
    for dm in demands {
      let base: ModelPath = ["demands", dm.id.rawValue]
      site(dm.site, base + ["site"])
      material(dm.material, base + ["material"])
      range(dm.intensity > 0 && dm.intensity.isFinite, "Demand '\(dm.id)' intensity must be > 0; got \(dm.intensity).", base + ["intensity"])
      range(dm.rate >= 0, "Demand '\(dm.id)' rate must be ≥ 0; got \(dm.rate).", base + ["units"])
      range(dm.growth > -1, "Demand '\(dm.id)' growth must be > -100 %/yr; got \(formatNumber(dm.growth * 100)) %.", base + ["growth"])
      range(dm.priority >= 1, "Demand '\(dm.id)' priority must be ≥ 1; got \(dm.priority).", base + ["priority"])
    }
    for r in reserves {
      let base: ModelPath = ["reserves", r.id.rawValue]
      site(r.site, base + ["site"])
      material(r.material, base + ["material"])
      range(r.target >= 0 && r.initial >= 0 && r.floor >= 0, "Reserve '\(r.id)' target, initial and floor must be ≥ 0.", base + ["target"])
      range(r.floor <= max(r.target, r.initial), "Reserve '\(r.id)' floor must not exceed its target.", base + ["floor"])
    }
    for p in prices { material(p.material, ["prices", p.material.rawValue]) }
    dup("candidate", "candidates", candidates.map(\.id.rawValue))
    let processIDs = processes.map(\.id.rawValue)
    let last = start.adding(months: months - 1)
    for c in candidates {
      let base: ModelPath = ["candidates", c.id.rawValue]
      ref("process", c.process.rawValue, known: Set(processIDs), names: processIDs, path: base + ["process"])
      range(c.moduleCapacity > 0 && c.moduleCapacity.isFinite, "Candidate '\(c.id)' module must be > 0; got \(tonnesPerYear(c.moduleCapacity)) t/yr.", base + ["module"])
      range(c.maxModules >= 1, "Candidate '\(c.id)' max-modules must be ≥ 1; got \(c.maxModules).", base + ["max-modules"])
      range(c.capexPerModule >= 0 && c.capexPerModule.isFinite, "Candidate '\(c.id)' capex must be ≥ 0 USD; got \(c.capexPerModule).", base + ["capex"])
      range(c.fixedOpexPerModule >= 0 && c.fixedOpexPerModule.isFinite, "Candidate '\(c.id)' fixed-opex must be ≥ 0 USD/yr.", base + ["fixed-opex"])
      range(c.leadTime >= 0 && c.leadTime <= 240, "Candidate '\(c.id)' lead-time must be in 0...240 months; got \(c.leadTime).", base + ["lead-time"])
      let first = max(c.earliestStart ?? start, start).adding(months: max(0, c.leadTime))
      if first > last {
        d.append(
          Diagnostic(
            .warning, "candidate-unbuildable",
            "Candidate '\(c.id)' can never operate within the scenario: construction from \(max(c.earliestStart ?? start, start)) plus \(c.leadTime) months lead time ends after the last month \(last).",
            path: base + [c.earliestStart == nil ? "lead-time" : "earliest-start"]))
      }
    }
    return d
  }

  /// A rate in kg/s written in t/yr for messages (files state rates in t/yr).
  func tonnesPerYear(_ kgPerSecond: Double) -> String { formatNumber(kgPerSecond * secondsPerYear / 1000) }

  func hasLink(_ from: SiteID, _ to: SiteID, _ material: MaterialID) -> Bool {
    links.contains { $0.from == from && $0.to == to && ($0.materials.isEmpty || $0.materials.contains(material)) }
  }

  /// The element balance of one recipe per kg of reference material, for each tracked element.
  public func recipeTable(_ p: Process) -> [(element: Element, input: Double, output: Double, lost: Double, statedLoss: Double?)] {
    var rows: [(Element, Double, Double, Double, Double?)] = []
    for e in elements {
      var input = 0.0, output = 0.0
      for t in p.inputs { input += t.amount * (material(t.material)?.composition.fraction(of: e) ?? 0) }
      for t in p.outputs { output += t.amount * (material(t.material)?.composition.fraction(of: e) ?? 0) }
      if input == 0 && output == 0 { continue }
      var stated: Double?
      switch p.losses {
      case .none: stated = 0
      case .rest: stated = nil
      case .fractions(let fs): stated = (fs.first { $0.element == e }?.fraction ?? 0) * input
      }
      rows.append((e, input, output, input - output, stated))
    }
    return rows
  }

  func recipeBalance(_ p: Process) -> [Diagnostic] {
    // A process without inputs is a source: it extracts material across the system boundary.
    guard !p.inputs.isEmpty else { return [] }
    let rows = recipeTable(p)
    var bad: [String] = []
    for r in rows {
      let scale = max(r.input, r.output, 1e-30)
      if r.output > r.input + recipeBalanceTolerance * scale {
        bad.append("\(r.element.symbol) is created")
      } else if let s = r.statedLoss, abs(r.lost - s) > recipeBalanceTolerance * scale {
        bad.append(s == 0 ? "\(r.element.symbol) is lost without a stated loss" : "\(r.element.symbol) loss differs from the stated loss")
      }
    }
    guard !bad.isEmpty else { return [] }
    var table = "element      in (kg/kg)     out (kg/kg)    lost (kg/kg)   stated loss"
    for r in rows {
      func c(_ x: Double) -> String {
        let s = formatNumber(x, significantDigits: 6)
        return s + String(repeating: " ", count: max(1, 15 - s.count))
      }
      let e = r.element.symbol + String(repeating: " ", count: 13 - r.element.symbol.count)
      table += "\n" + e + c(r.input) + c(r.output) + c(r.lost) + (r.statedLoss.map { formatNumber($0, significantDigits: 6) } ?? "rest")
    }
    return [
      Diagnostic(
        .error, "recipe-unbalanced",
        "Recipe of process '\(p.id)' does not conserve elements (" + bad.joined(separator: "; ")
          + "). State the losses (losses: rest, or losses per element) or correct the amounts. Per kg of '\(p.reference)':\n" + table,
        path: ["processes", p.id.rawValue, "outputs"])
    ]
  }
}
