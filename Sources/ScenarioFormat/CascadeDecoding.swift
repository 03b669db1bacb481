import Chemistry
import SupplyChain

extension ScenarioDecoder {
  /// Reads a process's `cascade:` block into plain data (``CascadeLink``). The design itself is
  /// run by `ScenarioLink`; here only the shape and the values' kinds are checked, and each part
  /// keeps its file location for the design's own errors.
  func cascadeLink(_ node: YNode, _ id: String, _ r: Reader) -> CascadeLink? {
    let thing = "process '\(id)' cascade"
    guard let o = r.object(node, FormatSpec.cascade, thing: thing) else { return nil }
    let system = o.text("system") ?? ""
    var feed = CascadeLink.Feed.composition(Composition([:]))
    if let f = o.node("feed") {
      if f.scalar != nil {
        if let m = r.identifier(f, "\(thing) feed") { feed = .material(MaterialID(m)) }
      } else if let entries = r.map(f, "\(thing) feed", kind: .map(key: .formula, value: .fraction)) {
        var assay: [(species: Formula, fraction: Double)] = []
        for e in entries {
          guard let species = r.formula(e.keyNode, "\(thing) feed species") else { continue }
          if let x = r.fraction(e.value, "\(thing) feed \(e.key)") { assay.append((species, x)) }
        }
        feed = .composition(Composition(assay: assay))
      }
    }
    var cuts: [CascadeLink.Cut] = []
    if o.has("cut") && o.has("cuts") {
      r.error("wrong-type", "\(cap(thing)) must give either 'cut' or 'cuts', not both.", at: o.entries["cuts"]?.key ?? node)
    } else if let n = o.node("cut") {
      if let t = r.scalar(n, "\(thing) cut", expected: "a cut such as 'Pr|Nd'") { cuts.append(.init(text: t, location: r.location(n))) }
    } else if let n = o.node("cuts"), let items = r.list(n, "\(thing) cuts") {
      for it in items {
        if let t = r.scalar(it, "\(thing) cuts item", expected: "a cut such as 'Pr|Nd'") { cuts.append(.init(text: t, location: r.location(it))) }
      }
    }
    if cuts.isEmpty && !o.has("cut") && !o.has("cuts") {
      r.error("missing-key", "\(cap(thing)) must have 'cut' (e.g. 'Pr|Nd') or 'cuts' (a train); both are missing.", at: node)
    }
    var pO = 0.999
    var pA = 0.999
    var rO: Double?
    var rA: Double?
    var targetsLocation: SourceLocation?
    if let t = o.node("targets"), let to = r.object(t, FormatSpec.cascadeTargets, thing: "\(thing) targets") {
      targetsLocation = r.location(t)
      if let p = to.fraction("purity") {
        pO = p
        pA = p
      }
      if let p = to.fraction("purity-organic") { pO = p }
      if let p = to.fraction("purity-aqueous") { pA = p }
      rO = to.fraction("recovery-organic")
      rA = to.fraction("recovery-aqueous")
    }
    var products: [CascadeLink.Product] = []
    for e in o.map("products") {
      if let s = r.scalar(e.value, "\(thing) product '\(e.key)'", expected: "a product stream such as PrNd") {
        products.append(.init(material: MaterialID(e.key), stream: s, location: r.location(e.value)))
      }
    }
    var link = CascadeLink(
      system: system, feed: feed, cuts: cuts, purityOrganic: pO, purityAqueous: pA, recoveryOrganic: rO, recoveryAqueous: rA,
      products: products, yield: o.fraction("yield") ?? 1, systemLocation: o.node("system").map { r.location($0) },
      feedLocation: o.node("feed").map { r.location($0) }, targetsLocation: targetsLocation, location: r.location(node))
    if let m = o.integer("max-stages") { link.maxStages = m }
    return link
  }
}
