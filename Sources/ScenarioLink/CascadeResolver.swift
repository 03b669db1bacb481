import Chemistry
import Quantities
import ScenarioFormat
import Separation
import SupplyChain

/// One process whose outputs were designed: the train and what each output became.
public struct CascadeResolution: Sendable {
  /// One output of the process.
  public struct Output: Sendable {
    public var material: MaterialID
    /// The product stream of the train (e.g. "PrNd").
    public var stream: String
    /// kg of the material per kg of the process's capacity basis (dimensionless).
    public var amount: Double
    /// Member purity of the stream (mole fraction, 0…1).
    public var purity: Double
    /// Fraction of the process's input of the stream's member elements that reaches this
    /// output, as material of the scenario's stated composition (0…1).
    public var recovery: Double
  }

  public var process: ProcessID
  /// The designed train (products in mol/s at the process's nameplate REO throughput).
  public var flowsheet: FlowsheetResult
  public var outputs: [Output]

  /// One line for the terminal: the train's size and each output's yield, purity and recovery.
  public var summary: String {
    let parts = outputs.map { o in
      "\(o.material) \(formatNumber(o.amount, significantDigits: 4)) kg/kg (\(o.stream) \(fixedFormat(o.purity * 100, decimals: 2)) %, recovery \(fixedFormat(o.recovery * 100, decimals: 1)) %)"
    }
    return "\(process): outputs from a \(flowsheet.cascades.count)-cascade design, \(flowsheet.totalStages) ideal stages: "
      + parts.joined(separator: "; ")
  }
}

/// Resolves the `cascade:` blocks of a scenario's processes into recipe outputs.
///
/// For each such process the train of cuts is designed on the feed composition with
/// ``designFlowsheet(feed:system:cuts:plant:options:)``; each element's split over the product
/// streams (its recovery into each) is applied to what the recipe's inputs bring per kg of the
/// capacity basis. An output material of stated composition c takes, from its stream, the
/// largest amount whose every rare-earth element the stream can supply:
/// amount = yield × min_e (in_e · r_e,stream) / c_e. Whatever the outputs do not carry (the
/// stream's impurities, unmapped streams, the yield loss) is lost, so the process must state
/// `losses: rest`; the recipe then balances every element by construction.
public struct CascadeResolver: Sendable {
  /// Separation factors to design with (the built-in table unless overridden).
  public var factors: FactorTable
  public var options: SolverOptions

  public init(factors: FactorTable = .builtIn, options: SolverOptions = SolverOptions()) {
    self.factors = factors
    self.options = options
  }

  /// The scenario with each cascade process's outputs replaced, what was designed, and the
  /// problems found (code `cascade-design` or `unknown-reference`, located in the file).
  public func resolve(_ scenario: Scenario) -> (Scenario, [CascadeResolution], Diagnostics) {
    var out = scenario
    var resolutions: [CascadeResolution] = []
    var diagnostics = Diagnostics()
    for (k, p) in scenario.processes.enumerated() {
      guard let link = p.cascade else { continue }
      do {
        let (outputs, resolution) = try resolve(p, link, scenario)
        out.processes[k].outputs = outputs
        resolutions.append(resolution)
      } catch {
        diagnostics.append(
          Diagnostic(
            .error, error.code, "Process '\(p.id)' cascade: " + error.message, path: ["processes", p.id.rawValue, "cascade"],
            location: error.location ?? link.location, alternatives: error.alternatives))
      }
    }
    return (out, resolutions, diagnostics)
  }

  struct Failure: Error {
    var code = "cascade-design"
    var message: String
    var location: SourceLocation?
    var alternatives: [String] = []
  }

  func resolve(_ p: Process, _ link: CascadeLink, _ scenario: Scenario) throws(Failure) -> ([RecipeTerm], CascadeResolution) {
    guard case .rest = p.losses else {
      throw Failure(
        message: "the process must state 'losses: rest' (impurities, unmapped streams and the yield loss leave the recipe); got other losses.",
        location: link.location)
    }
    guard link.yield > 0, link.yield <= 1 else {
      throw Failure(message: "yield must be in (0 %, 100 %]; got \(formatNumber(link.yield * 100)) %.", location: link.location)
    }
    let system: ExtractantSystem
    do {
      system = try factors.system(factors.ids.first { $0.lowercased() == link.system.lowercased() } ?? link.system)
    } catch {
      throw Failure(message: error.description, location: link.systemLocation ?? link.location, alternatives: factors.ids)
    }
    // Feed: the rare earths of a material or of an assay, as oxide mass shares.
    let composition: Composition
    switch link.feed {
    case .material(let id):
      guard let m = scenario.material(id) else {
        throw Failure(
          code: "unknown-reference", message: "feed must be a material of the scenario; got '\(id)'.",
          location: link.feedLocation, alternatives: closestNames(to: id.rawValue, in: scenario.materials.map(\.id.rawValue)))
      }
      composition = m.composition
    case .composition(let c): composition = c
    }
    let known = Set(system.order)
    var oxide: [(element: Element, oxidePercent: Double)] = []
    for f in composition.fractions where f.element.isRareEarth && f.fraction > 0 {
      guard known.contains(f.element) else {
        throw Failure(
          message: "every rare earth of the feed must have a separation factor in system '\(system.id)' (\(system.order.map(\.symbol).joined(separator: ", "))); got \(f.element.symbol).",
          location: link.feedLocation)
      }
      oxide.append((f.element, f.fraction / ReferenceOxide.formula(for: f.element).massFraction(of: f.element) * 100))
    }
    guard oxide.count >= 2 else {
      throw Failure(message: "the feed must hold at least two rare earths; got \(oxide.count).", location: link.feedLocation)
    }
    let elements: [Element]
    let alpha: [Double]
    do {
      elements = try system.sortedByExtractability(oxide.map(\.element))
      alpha = try system.extractabilities(for: elements)
    } catch {
      throw Failure(message: error.description, location: link.feedLocation)
    }
    // Cuts.
    var cuts: [FlowsheetCut] = []
    for c in link.cuts {
      let parts = c.text.split(separator: "@", maxSplits: 1).map(String.init)
      guard let first = parts.first, let (light, heavy) = CutText.sides(first) else {
        throw Failure(message: "a cut must be 'light|heavy' element symbols, e.g. 'Pr|Nd' or 'LaCe|PrNd@99.5%'; got '\(c.text)'.", location: c.location)
      }
      var pO = link.purityOrganic
      var pA = link.purityAqueous
      if parts.count == 2 {
        guard let v = CutText.fraction(parts[1]) else {
          throw Failure(message: "a cut's purity after '@' must be in (0 %, 100 %), e.g. '99.5%'; got '\(parts[1])'.", location: c.location)
        }
        pO = v
        pA = v
      }
      do {
        let hk = try CutText.heavyKey(first, light: light, heavy: heavy, elements: elements, alpha: alpha)
        var cut = FlowsheetCut(
          firstHeavy: hk, purityOrganic: pO, purityAqueous: pA, recoveryOrganic: link.recoveryOrganic,
          recoveryAqueous: link.recoveryAqueous)
        cut.maxStages = link.maxStages
        cuts.append(cut)
      } catch {
        throw Failure(message: error.description, location: c.location)
      }
    }
    // What the inputs bring per kg of the capacity basis, kg element (SI: kg/kg).
    var inflow: [Element: Double] = [:]
    var reoPerKg = 0.0
    for t in p.inputs {
      guard let m = scenario.material(t.material) else { continue }
      for f in m.composition.fractions where f.element.isRareEarth {
        inflow[f.element, default: 0] += t.amount * f.fraction
        reoPerKg += t.amount * f.fraction / ReferenceOxide.formula(for: f.element).massFraction(of: f.element)
      }
    }
    let reoFlow = p.capacity * reoPerKg > 0 ? p.capacity * reoPerKg : 1
    let plant = PlantParameters(reoMassFlow: reoFlow)
    let flowsheet: FlowsheetResult
    do {
      flowsheet = try designFlowsheet(feed: oxide, system: system, cuts: cuts, plant: plant, options: options)
    } catch {
      // Find the first cut that cannot be designed, to point at it.
      var at = link.location
      for k in 1...max(1, cuts.count) where k <= cuts.count {
        if (try? designFlowsheet(feed: oxide, system: system, cuts: Array(cuts.prefix(k)), plant: plant, options: options)) == nil {
          at = link.cuts[k - 1].location ?? link.targetsLocation ?? link.location
          break
        }
      }
      throw Failure(message: error.description, location: at)
    }
    // Each element's split over the product streams.
    let fe = flowsheet.elements
    var total = [Double](repeating: 0, count: fe.count)
    for s in flowsheet.products { for i in fe.indices { total[i] += s.flows[i] } }
    let streamNames = flowsheet.products.map { $0.name.replacingOccurrences(of: "–", with: "-") }
    var used = Set<Int>()
    var terms: [RecipeTerm] = []
    var outs: [CascadeResolution.Output] = []
    for prod in link.products {
      guard let named = CutText.symbols(prod.stream), let first = named.first, let last = named.last,
        let si = flowsheet.products.firstIndex(where: { $0.members.first == first && $0.members.last == last })
      else {
        throw Failure(
          message: "product '\(prod.material)' must name a product stream of the train (\(streamNames.joined(separator: ", "))); got '\(prod.stream)'.",
          location: prod.location, alternatives: streamNames)
      }
      guard !used.contains(si) else {
        throw Failure(message: "each product stream may feed one output; got '\(prod.stream)' twice.", location: prod.location)
      }
      used.insert(si)
      guard let m = scenario.material(prod.material) else {
        throw Failure(
          code: "unknown-reference", message: "product must be a material of the scenario; got '\(prod.material)'.",
          location: prod.location, alternatives: closestNames(to: prod.material.rawValue, in: scenario.materials.map(\.id.rawValue)))
      }
      let stream = flowsheet.products[si]
      var amount = Double.infinity
      for f in m.composition.fractions where f.element.isRareEarth && f.fraction > 0 {
        guard let i = fe.firstIndex(of: f.element), total[i] > 0 else {
          amount = 0
          break
        }
        let supplied = (inflow[f.element] ?? 0) * stream.flows[i] / total[i]
        amount = min(amount, supplied / f.fraction)
      }
      guard amount.isFinite else {
        throw Failure(message: "output '\(prod.material)' must contain a rare earth to be made by the cascade; it has none.", location: prod.location)
      }
      amount *= link.yield
      // Recovery of the stream's members into the output, as the material's composition.
      var memberIn = 0.0
      var memberOut = 0.0
      for e in stream.members {
        memberIn += inflow[e] ?? 0
        memberOut += amount * m.composition.fraction(of: e)
      }
      terms.append(RecipeTerm(material: prod.material, amount: amount))
      outs.append(
        .init(
          material: prod.material, stream: streamNames[si], amount: amount, purity: flowsheet.purity(stream),
          recovery: memberIn > 0 ? memberOut / memberIn : 0))
    }
    let mapped = Set(link.products.map(\.material))
    let kept = p.outputs.filter { !mapped.contains($0.material) }
    return (kept + terms, CascadeResolution(process: p.id, flowsheet: flowsheet, outputs: outs))
  }
}

/// Reading a scenario file the way the command line does: decode (with the variant), then
/// design every `cascade:` block and re-validate the resolved recipes.
public enum ScenarioLoader {
  /// Decodes `text` (named `file` in messages) and resolves its cascades. The scenario is nil
  /// when there is any error.
  public static func load(
    text: String, file: String, variant: String? = nil, resolver: CascadeResolver = CascadeResolver()
  ) -> (scenario: Scenario?, cascades: [CascadeResolution], diagnostics: Diagnostics) {
    let (decoded, diagnostics) = ScenarioDecoder().decode(text: text, file: file, variant: variant)
    guard let decoded, decoded.processes.contains(where: { $0.cascade != nil }) else { return (decoded, [], diagnostics) }
    let (resolved, cascades, found) = resolver.resolve(decoded)
    var all = diagnostics
    all.append(contentsOf: found.items)
    if !found.hasErrors {
      for d in resolved.validate().items where d.severity == .error {
        var x = d
        x.location = x.location ?? resolved.processes.first { $0.id.rawValue == d.path.dropFirst().first }?.cascade?.location
        all.append(x)
      }
    }
    all = Diagnostics(all.sorted)
    return (all.hasErrors ? nil : resolved, cascades, all)
  }

  /// What `lodestone validate` reports without a variant: the decoder's findings for the base
  /// scenario and every variant, plus the cascade designs' findings of each (deduplicated).
  public static func diagnoseWithVariants(text: String, file: String, resolver: CascadeResolver = CascadeResolver()) -> Diagnostics {
    var all = ScenarioDecoder().diagnoseWithVariants(text: text, file: file)
    guard !all.hasErrors || !all.items.contains(where: { $0.code == "yaml-syntax" }) else { return all }
    var seen = Set(all.items.map { "\($0.location?.description ?? "")|\($0.code)|\($0.message)" })
    for v in [nil] + ScenarioDecoder.variantNames(text: text).map(Optional.some) {
      let d = load(text: text, file: file, variant: v, resolver: resolver).diagnostics
      for var x in d.items where x.path.count >= 3 && x.path[2] == "cascade" || x.code == "cascade-design" {
        if let v { x.message = "In variant '\(v)': " + x.message }
        let key = "\(x.location?.description ?? "")|\(x.code)|\(x.message)"
        if seen.insert(key).inserted { all.append(x) }
      }
    }
    return Diagnostics(all.sorted)
  }
}
