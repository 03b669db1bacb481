import Chemistry
import Quantities
import SupplyChain
import Yams

/// Reads a scenario file (YAML text) into a ``Scenario``, collecting every problem at once.
///
/// Each diagnostic carries a code from `DiagnosticCode.all`, the file, line and column, and the
/// valid alternatives for unknown names. After decoding, `Scenario.validate()` runs and its
/// findings are located in the file through the model path of each.
///
/// ```swift
/// let (scenario, diagnostics) = ScenarioDecoder().decode(text: text, file: "india.yaml", variant: "long-ban")
/// ```
public struct ScenarioDecoder: Sendable {
  public init() {}

  /// Decodes `text` (named `file` in messages), after applying `variant` when given.
  /// Returns the scenario only when there are no errors (warnings are allowed).
  public func decode(text: String, file: String, variant: String? = nil) -> (Scenario?, Diagnostics) {
    let reader = Reader(file: file)
    guard var root = parse(text, reader) else { return (nil, Diagnostics(reader.diagnostics)) }
    if let variant {
      root = VariantEditor(reader: reader).apply(variant, to: root)
    }
    let scenario = decodeDocument(root, reader)
    var all = Diagnostics(reader.diagnostics)
    guard let scenario else { return (nil, all) }
    let findings = scenario.validate().items
    let index = PathIndex(root: root, file: file)
    let errorLocations = Set(reader.diagnostics.compactMap(\.location))
    for var d in findings {
      if d.location == nil { d.location = locate(d, index) ?? SourceLocation(file: file, line: 1, column: 1) }
      if suppressed(d, scenario, reader.tainted, reader.brokenSections, index, errorLocations) { continue }
      all.append(d)
    }
    all = Diagnostics(all.sorted)
    return (all.hasErrors ? nil : scenario, all)
  }

  /// The names of the variants a scenario defines, in file order (empty if the text does not parse).
  public static func variantNames(text: String) -> [String] {
    guard let root = (try? YNode.parse(text)) ?? nil else { return [] }
    return root["variants"]?.items?.compactMap { $0["name"]?.scalar } ?? []
  }

  /// Decodes the base scenario and each of its variants, and returns every distinct diagnostic
  /// (what `lodestone validate` reports when no variant is named).
  public func diagnoseWithVariants(text: String, file: String) -> Diagnostics {
    var (_, all) = decode(text: text, file: file)
    var seen = Set(all.items.map(key))
    if !all.items.contains(where: { $0.code == "yaml-syntax" }) {
      for v in ScenarioDecoder.variantNames(text: text) {
        let (_, d) = decode(text: text, file: file, variant: v)
        for var x in d.items where !seen.contains(key(x)) {
          seen.insert(key(x))
          x.message = "In variant '\(v)': " + x.message
          all.append(x)
        }
      }
    }
    return Diagnostics(all.sorted)
  }

  private func key(_ d: Diagnostic) -> String {
    "\(d.location?.description ?? "")|\(d.code)|\(d.message)"
  }

  // MARK: Parsing

  func parse(_ text: String, _ reader: Reader) -> YNode? {
    do {
      guard let node = try YNode.parse(text) else {
        reader.diagnostics.append(
          Diagnostic(.error, "yaml-syntax", "The file must hold a YAML mapping (schema-version, name, …); it is empty.",
                     location: SourceLocation(file: reader.file, line: 1, column: 1)))
        return nil
      }
      return node
    } catch let e as YamlError {
      reader.diagnostics.append(yamlDiagnostic(e, file: reader.file, text: text))
      return nil
    } catch {
      reader.diagnostics.append(
        Diagnostic(.error, "yaml-syntax", "The file is not valid YAML: \(error).", location: SourceLocation(file: reader.file, line: 1, column: 1)))
      return nil
    }
  }

  func yamlDiagnostic(_ e: YamlError, file: String, text: String) -> Diagnostic {
    func d(_ problem: String, _ line: Int, _ column: Int, _ context: YamlError.Context?) -> Diagnostic {
      let ctx = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
      return Diagnostic(
        .error, "yaml-syntax", "The file must be valid YAML; \(problem)\(ctx).",
        location: SourceLocation(file: file, line: line, column: column))
    }
    switch e {
    case .scanner(let c, let p, let m, _), .parser(let c, let p, let m, _), .composer(let c, let p, let m, _):
      return d(p, m.line, m.column, c)
    case .duplicatedKeysInMapping(let dups, let c):
      // Yams marks the first occurrence; point at the repeat (same column, later line).
      var line = c.mark.line
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      if let key = dups.sorted().first {
        for k in c.mark.line..<lines.count {
          let l = lines[k].unicodeScalars
          if l.count >= c.mark.column, String(String.UnicodeScalarView(l.dropFirst(c.mark.column - 1))).hasPrefix(key + ":") {
            line = k + 1
            break
          }
        }
      }
      return Diagnostic(
        .error, "yaml-syntax",
        "Keys in a mapping must be unique; " + dups.sorted().map { "'\($0)'" }.joined(separator: ", ")
          + " appears more than once (first at line \(c.mark.line)).",
        location: SourceLocation(file: file, line: line, column: c.mark.column))
    case .reader(let problem, _, _, _):
      return d(problem, 1, 1, nil)
    default:
      return d("\(e)", 1, 1, nil)
    }
  }

  // MARK: Locating validation findings

  /// Validation paths that name a model field rather than a file key.
  static let pathAliases: [String: [String]] = ["composition": ["assay", "formula"]]

  func locate(_ d: Diagnostic, _ index: PathIndex) -> SourceLocation? {
    var path = d.path
    if let i = path.firstIndex(where: { ScenarioDecoder.pathAliases[$0] != nil }) {
      for alt in ScenarioDecoder.pathAliases[path[i]] ?? [] {
        var p = Array(path.prefix(i + 1))
        p[i] = alt
        if index.exact(p) != nil {
          path = p
          break
        }
      }
    }
    return index.location(of: path, preferLast: d.code == "duplicate-id")
  }

  /// Validation findings that only restate a decoding error already reported. For an entity
  /// that failed to decode: findings at the place of a decoding error, about a key the file
  /// does not write (a default stood in for a missing or bad value), its warnings, and its
  /// recipe balance; and any recipe balance over a material that failed to decode.
  func suppressed(
    _ d: Diagnostic, _ s: Scenario, _ tainted: Set<String>, _ brokenSections: Set<String>, _ index: PathIndex,
    _ errorLocations: Set<SourceLocation>
  ) -> Bool {
    if d.code == "duplicate-id" { return false }  // never a consequence of a bad value
    // Every reference to a section that is missing or not a list would be unknown; the one
    // error about the section says it.
    for section in brokenSections {
      let kind = section == "processes" ? "process" : String(section.dropLast())
      if d.code == "unknown-reference", d.message.hasPrefix("Unknown \(kind) '") { return true }
    }
    if d.path.count >= 2, tainted.contains(d.path[0] + "/" + d.path[1]) {
      if d.code == "recipe-unbalanced" || d.severity == .warning || index.exact(d.path) == nil { return true }
      // An empty name is the default that stood in for a missing reference (which can happen
      // at a written path when two entities share the id).
      if d.message.contains("''") { return true }
      if let l = d.location, errorLocations.contains(l) { return true }
    }
    if d.code == "recipe-unbalanced", d.path.count >= 2, let p = s.processes.first(where: { $0.id.rawValue == d.path[1] }) {
      return (p.inputs + p.outputs).contains { tainted.contains("materials/" + $0.material.rawValue) }
    }
    return false
  }

  // MARK: The document

  func decodeDocument(_ root: YNode, _ r: Reader) -> Scenario? {
    let spec = FormatSpec.document
    guard root.pairs != nil else {
      r.error("wrong-type", "The scenario must be a mapping of keys (schema-version, name, start, …); got \(root.kindName).", at: root)
      return nil
    }
    // schema-version first: a wrong version makes every other finding doubtful.
    if let v = root["schema-version"] {
      if v.scalar != String(FormatSpec.schemaVersion) {
        r.error(
          "schema-version", "schema-version must be \(FormatSpec.schemaVersion) (the only version this Lodestone reads); got \(v.scalar.map { "'\($0)'" } ?? v.kindName).",
          at: v, alternatives: [String(FormatSpec.schemaVersion)])
        return nil
      }
    } else {
      r.error("schema-version", "The scenario must start with 'schema-version: \(FormatSpec.schemaVersion)'; it is missing.", at: root)
    }
    // (its absence is reported above as schema-version, not again as missing-key)
    let checkedSpec = Section(
      spec.name, spec.description,
      spec.attributes.map { $0.name == "schema-version" ? Attribute($0.name, $0.kind, required: false, $0.description) : $0 })
    guard let o = r.object(root, checkedSpec, thing: "the scenario") else { return nil }

    if let u = o.node("units"), let uo = r.object(u, FormatSpec.units, thing: "the units block") {
      for (key, dim) in FormatSpec.unitDimensions {
        guard let n = uo.node(key), let text = r.scalar(n, "units \(key)", expected: "a unit") else { continue }
        do {
          let e = try UnitExpression.parse(text)
          guard e.dimension == dim else {
            r.error("bad-quantity", "Units \(key) must be a unit of \(dim); got '\(text)'.", at: n)
            continue
          }
          r.defaults.append((dim, e, text))
        } catch {
          r.error("bad-quantity", "Units \(key): \(error.description)", at: n)
        }
      }
    }

    let name = o.identifier("name") ?? ""
    let description = o.text("description") ?? ""
    let start = o.month("start") ?? YearMonth(ordinal: 2026 * 12)
    let months = o.integer("months") ?? 1
    var elements: [Element]? = nil
    if o.has("elements") { elements = o.strings("elements").compactMap { Element(symbol: $0) } }

    let materials = entities(o, "materials", FormatSpec.material, r, material)
    let sites = entities(o, "sites", FormatSpec.site, r, site)
    let processes = entities(o, "processes", FormatSpec.process, r, process)
    let links = entities(o, "links", FormatSpec.link, r, link)
    let agreements = entities(o, "agreements", FormatSpec.agreement, r, agreement)
    let policies = entities(o, "policies", FormatSpec.policy, r, policy)
    let demands = entities(o, "demands", FormatSpec.demand, r, demand)
    let reserves = entities(o, "reserves", FormatSpec.reserve, r, reserve)
    let prices = entities(o, "prices", FormatSpec.priceSeries, r, price)
    let candidates = entities(o, "candidates", FormatSpec.candidate, r, candidate)
    if let v = o.node("variants"), let items = r.list(v, "variants") {
      for (i, item) in items.enumerated() {
        r.current = nil
        if let vo = r.object(item, FormatSpec.variant, thing: "variant \(item["name"]?.scalar.map { "'\($0)'" } ?? "#\(i + 1)")") {
          _ = vo.identifier("name")
          _ = vo.text("description")
          _ = vo.map("set")
          if let n = vo.node("remove") { _ = r.list(n, "variant remove") }
          for e in vo.map("add") { _ = r.choice(e.keyNode, "variant add section", FormatSpec.entitySections) }
        }
      }
    }
    r.current = nil

    return Scenario(
      name: name, description: description, start: start, months: months, elements: elements, materials: materials,
      sites: sites, processes: processes, links: links, agreements: agreements, policies: policies, demands: demands,
      reserves: reserves, prices: prices, candidates: candidates)
  }

  /// Decodes each item of a list section with `body`; items without a usable id are skipped.
  func entities<T>(
    _ o: Obj, _ key: String, _ section: Section, _ r: Reader, _ body: (Obj, String, Reader) -> T?
  ) -> [T] {
    guard let n = o.node(key), let items = r.list(n, key) else {
      if o.has(key) || section.name == "material" || section.name == "site" { r.brokenSections.insert(key) }
      return []
    }
    var out: [T] = []
    for (i, item) in items.enumerated() {
      let idKey = key == "prices" ? "material" : "id"
      let id = item[idKey]?.scalar
      r.current = id.map { key + "/" + $0 }
      let thing = "\(section.name) " + (id.map { "'\($0)'" } ?? "#\(i + 1)")
      guard let obj = r.object(item, section, thing: thing) else { continue }
      guard let id = obj.identifier(idKey) else { continue }
      if let v = body(obj, id, r) { out.append(v) }
    }
    r.current = nil
    return out
  }

  // MARK: Sections

  func material(_ o: Obj, _ id: String, _ r: Reader) -> Material? {
    let form = o.choice("form").flatMap(MaterialForm.init(rawValue:)) ?? .intermediate
    var composition = Composition([:])
    var formula: Formula?
    if o.has("formula") && o.has("assay") {
      r.error("wrong-type", "Material '\(id)' must give either formula or assay, not both.", at: o.entries["assay"]?.key ?? o.node)
    } else if let f = o.formula("formula") {
      formula = f
      composition = Composition(formula: f)
    } else if o.has("assay") {
      var assay: [(species: Formula, fraction: Double)] = []
      for e in o.map("assay") {
        guard let species = r.formula(e.keyNode, "material '\(id)' assay species") else { continue }
        guard let f = r.fraction(e.value, "material '\(id)' assay of \(e.key)") else { continue }
        assay.append((species, f))
      }
      composition = Composition(assay: assay)
    } else if !o.has("formula") {
      r.error("missing-key", "Material '\(id)' must have 'formula' or 'assay' (its element composition); both are missing.", at: o.node)
    }
    return Material(
      id: MaterialID(id), name: o.text("name") ?? id, form: form, composition: composition, formula: formula,
      source: o.text("source"))
  }

  func site(_ o: Obj, _ id: String, _ r: Reader) -> Site? {
    let stocks = o.quantityMap("stocks").map { (material: MaterialID($0.key), mass: $0.value.si) }
    return Site(
      id: SiteID(id), name: o.text("name") ?? id, country: o.country("country") ?? "", owner: o.text("owner") ?? id,
      initialStocks: stocks, source: o.text("source"))
  }

  func recipe(_ o: Obj, _ key: String, _ id: String, _ r: Reader) -> [RecipeTerm] {
    o.map(key).compactMap { e in
      r.number(e.value, "process '\(id)' \(key) '\(e.key)'").map { RecipeTerm(material: MaterialID(e.key), amount: $0) }
    }
  }

  func process(_ o: Obj, _ id: String, _ r: Reader) -> Process? {
    let inputs = recipe(o, "inputs", id, r)
    let outputs = recipe(o, "outputs", id, r)
    if !o.has("inputs") && !o.has("outputs") {
      r.error("missing-key", "Process '\(id)' must have 'inputs' or 'outputs' (its recipe); both are missing.", at: o.node)
    }
    let basis = o.identifier("capacity-basis") ?? inputs.first?.material.rawValue ?? outputs.first?.material.rawValue ?? ""
    var losses = Losses.none
    if let n = o.node("losses") {
      if n.scalar != nil {
        if let c = r.choice(n, "process '\(id)' losses", FormatSpec.lossChoices) { losses = c == "rest" ? .rest : .none }
      } else if let m = r.map(n, "process '\(id)' losses") {
        var fs: [(element: Element, fraction: Double)] = []
        for e in m {
          guard let el = r.element(e.keyNode, "process '\(id)' loss element") else { continue }
          if let f = r.fraction(e.value, "process '\(id)' loss of \(e.key)") { fs.append((el, f)) }
        }
        losses = .fractions(fs)
      }
    }
    var outages: [(from: YearMonth, to: YearMonth, fraction: Double)] = []
    if let n = o.node("outages"), let items = r.list(n, "process '\(id)' outages") {
      for (k, it) in items.enumerated() {
        guard let oo = r.object(it, FormatSpec.outage, thing: "process '\(id)' outage #\(k + 1)") else { continue }
        if let f = oo.month("from"), let t = oo.month("to"), let a = oo.fraction("availability") { outages.append((f, t, a)) }
      }
    }
    let ramp = o.monthSeries("ramp") { r.fraction($0, $1) }
    let (commissioning, decommissioning) = (o.month("commissioning"), o.month("decommissioning"))
    o.ordered("commissioning", commissioning, "decommissioning", decommissioning)
    let availability = Availability(
      commissioning: commissioning, decommissioning: decommissioning,
      ramp: ramp.map { ($0.month, $0.value) }, outages: outages)
    return Process(
      id: ProcessID(id), name: o.text("name") ?? id, site: SiteID(o.identifier("site") ?? ""),
      stage: o.choice("stage").flatMap(Stage.init(rawValue:)) ?? .mining, reference: MaterialID(basis), inputs: inputs,
      outputs: outputs, losses: losses, capacity: o.quantity("capacity")?.si ?? 0, availability: availability,
      source: o.text("source"), cascade: o.node("cascade").flatMap { cascadeLink($0, id, r) })
  }

  func link(_ o: Obj, _ id: String, _ r: Reader) -> Link? {
    Link(
      id: LinkID(id), from: SiteID(o.identifier("from") ?? ""), to: SiteID(o.identifier("to") ?? ""),
      materials: o.strings("materials").map { MaterialID($0) }, leadTime: o.months("lead-time") ?? 0,
      capacity: o.quantity("capacity")?.si, cost: o.quantity("cost")?.si ?? 0, priority: o.integer("priority") ?? 1,
      source: o.text("source"))
  }

  func agreement(_ o: Obj, _ id: String, _ r: Reader) -> TollingAgreement? {
    let principal = SiteID(o.identifier("principal") ?? "")
    let (start, end) = (o.month("start"), o.month("end"))
    o.ordered("start", start, "end", end)
    return TollingAgreement(
      id: AgreementID(id), principal: principal, processor: SiteID(o.identifier("processor") ?? ""),
      returnTo: o.identifier("return-to").map { SiteID($0) }, input: MaterialID(o.identifier("input") ?? ""),
      output: MaterialID(o.identifier("output") ?? ""), inputRate: o.quantity("input-rate")?.si,
      shareReturned: o.fraction("share-returned") ?? 0, cashFee: o.quantity("cash-fee")?.si ?? 0, start: start,
      end: end, source: o.text("source"))
  }

  func policy(_ o: Obj, _ id: String, _ r: Reader) -> TradePolicy? {
    var kind = TradePolicy.Kind.ban
    let kindName = o.choice("kind")
    func require(_ key: String) {
      if !o.has(key) {
        r.error("missing-key", "Policy '\(id)' of kind \(kindName ?? "") must have '\(key)'; it is missing.", at: o.entries["kind"]?.value ?? o.node)
      }
    }
    switch kindName {
    case "quota":
      require("quota")
      kind = .quota(o.quantity("quota")?.si ?? 0)
    case "licence":
      require("approval")
      kind = .licence(approval: o.fraction("approval") ?? 0, delay: o.months("delay") ?? 0)
    default: break  // a ban ignores quota, approval and delay (variants often turn a licence into a ban)
    }
    let (from, until) = (o.month("from"), o.month("until"))
    o.ordered("from", from, "until", until)
    return TradePolicy(
      id: PolicyID(id), name: o.text("name") ?? id, kind: kind, origin: o.country("origin") ?? "",
      destinations: o.strings("destinations"), elements: o.strings("elements").compactMap { Element(symbol: $0) },
      materials: o.strings("materials").map { MaterialID($0) },
      forms: o.strings("forms").compactMap { MaterialForm(rawValue: $0) }, deMinimis: o.fraction("de-minimis") ?? 0,
      exemptAgreements: o.strings("exempt-agreements").map { AgreementID($0) }, from: from,
      until: until, source: o.text("source"))
  }

  /// End units per second and the end unit's name, from a count rate (vehicle/yr) or a power rate (MW/yr).
  static func endRate(_ q: Quantity) -> (rate: Double, unit: String) {
    if q.dimension == .powerRate { return (q.si / 1e6, "MW") }
    return (q.si, q.noun ?? "unit")
  }

  func demand(_ o: Obj, _ id: String, _ r: Reader) -> Demand? {
    let units = o.quantity("units")
    let end: (rate: Double, unit: String) = units.map(ScenarioDecoder.endRate) ?? (0, "unit")
    var series: [(month: YearMonth, rate: Double)] = []
    for p in o.monthSeries("series", { n, thing in
      r.quantity(n, thing, [.countRate, .powerRate])
    }) {
      let e = ScenarioDecoder.endRate(p.value)
      if units != nil, e.unit != end.unit {
        r.error("bad-quantity", "Demand '\(id)' series must count the same end unit as units ('\(end.unit)'); got '\(e.unit)' at \(p.month).", at: o.entries["series"]?.key ?? o.node)
      }
      series.append((p.month, e.rate))
    }
    var intensity = 0.0
    if let q = o.quantity("intensity"), let n = o.node("intensity") {
      let perMW = q.dimension == .massPerPower
      intensity = perMW ? q.si * 1e6 : q.si
      let unit = perMW ? "MW" : (q.noun ?? "unit")
      if units != nil, unit != end.unit {
        r.error(
          "bad-quantity", "Demand '\(id)' intensity must be per '\(end.unit)' like its units; got '\(n.scalar ?? "")'.", at: n,
          alternatives: [end.unit == "MW" ? "t/MW" : "kg/\(end.unit)"])
      }
    }
    var value: Double?
    if let q = o.quantity("value") {
      value = q.dimension.power == -1 ? q.si * 1e6 : q.si
    }
    return Demand(
      id: DemandID(id), sector: o.choice("sector").flatMap(Sector.init(rawValue:)) ?? .other,
      site: SiteID(o.identifier("site") ?? ""), material: MaterialID(o.identifier("material") ?? ""), endUnit: end.unit,
      rate: end.rate, growth: o.fraction("growth") ?? 0, series: series, intensity: intensity,
      priority: o.integer("priority") ?? 1, valuePerUnit: value, source: o.text("source"))
  }

  func reserve(_ o: Obj, _ id: String, _ r: Reader) -> Reserve? {
    Reserve(
      id: ReserveID(id), site: SiteID(o.identifier("site") ?? ""), material: MaterialID(o.identifier("material") ?? ""),
      target: o.quantity("target")?.si ?? 0, initial: o.quantity("initial")?.si ?? 0, fillRate: o.quantity("fill-rate")?.si,
      floor: o.quantity("floor")?.si ?? 0, releaseTo: o.strings("release-to").compactMap(Sector.init(rawValue:)),
      fillFrom: o.month("fill-from"), holdingCost: o.quantity("holding-cost")?.si ?? 0, source: o.text("source"))
  }

  func candidate(_ o: Obj, _ id: String, _ r: Reader) -> Candidate? {
    func usd(_ key: String) -> Double? {
      guard let q = o.quantity(key) else { return nil }
      if let c = q.currency, c != "USD", let n = o.node(key) {
        r.error("bad-quantity", "Candidate '\(id)' \(key) must be in USD (plans are costed in USD); got \(c).", at: n, alternatives: ["USD", "MUSD"])
        return nil
      }
      return q.si
    }
    return Candidate(
      id: CandidateID(id), name: o.text("name") ?? id, process: ProcessID(o.identifier("process") ?? ""),
      moduleCapacity: o.quantity("module")?.si ?? 0, maxModules: o.integer("max-modules") ?? 1, capexPerModule: usd("capex") ?? 0,
      fixedOpexPerModule: usd("fixed-opex") ?? 0, leadTime: o.months("lead-time") ?? 0, earliestStart: o.month("earliest-start"),
      source: o.text("source"))
  }

  func price(_ o: Obj, _ id: String, _ r: Reader) -> PriceSeries? {
    var currency: String?
    let points = o.monthSeries("points") { n, thing -> Double? in
      guard let q = r.quantity(n, thing, [.moneyPerMass]) else { return nil }
      let c = q.currency ?? "USD"
      if let cur = currency, cur != c {
        r.error("bad-quantity", "\(cap(thing)) must be in \(cur) like the rest of the series (one currency per series); got \(c).", at: n)
        return nil
      }
      currency = c
      return q.si
    }
    return PriceSeries(
      material: MaterialID(id), currency: currency ?? "USD", points: points.map { ($0.month, $0.value) },
      source: o.text("source"))
  }
}
