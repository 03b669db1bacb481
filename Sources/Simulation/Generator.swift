import Chemistry
import Quantities
import SupplyChain

/// SplitMix64: a small, fast, seedable generator (Steele, Lea & Flood 2014). Deterministic on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  public var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// A uniform double in [0, 1).
  public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}

/// Generates random but valid supply networks for property tests and benchmarks: layered chains
/// of sites (a source layer, then conversion layers), links between adjacent layers with random
/// lead times, demand at the last layer, and optionally policies, reserves and tolling.
public struct ScenarioGenerator: Sendable {
  public var sites: Int
  public var materials: Int
  public var months: Int
  public var policies: Bool
  public var reserves: Bool
  public var tolling: Bool

  public init(sites: Int, materials: Int, months: Int, policies: Bool = true, reserves: Bool = true, tolling: Bool = true) {
    self.sites = max(2, sites)
    self.materials = max(2, materials)
    self.months = months
    self.policies = policies
    self.reserves = reserves
    self.tolling = tolling
  }

  /// The scenario for `seed`; the same seed always gives the same scenario.
  public func make(seed: UInt64) -> Scenario {
    var rng = SplitMix64(seed: seed)
    let start = YearMonth(ordinal: 2026 * 12)
    let pool: [Element] = [.La, .Ce, .Pr, .Nd, .Sm, .Dy, .Tb]
    // Material k holds a random blend of rare earths (kg per kg), the rest untracked.
    var materials: [Material] = []
    for k in 0..<self.materials {
      var f: [Element: Double] = [:]
      var left = 0.3 + 0.6 * rng.uniform()
      for e in pool where rng.uniform() < 0.6 || e == .Nd {
        let x = left * (0.2 + 0.6 * rng.uniform())
        f[e] = x
        left -= x
      }
      materials.append(Material(id: MaterialID("m\(k)"), name: "Material \(k)", form: k == self.materials - 1 ? .magnet : .intermediate, composition: Composition(f)))
    }
    let layers = min(self.materials, self.sites)  // layer k makes material k
    let countries = ["IN", "CN", "JP", "KR", "US"]
    var sites: [Site] = []
    var layerOf: [Int] = []
    for i in 0..<self.sites {
      let layer = i < layers ? i : Int(rng.next() % UInt64(layers))
      layerOf.append(layer)
      let stock: [(material: MaterialID, mass: Double)] = rng.uniform() < 0.3 ? [(MaterialID("m\(layer)"), 1e5 * rng.uniform())] : []
      sites.append(Site(id: SiteID("s\(i)"), name: "Site \(i)", country: countries[Int(rng.next() % 5)], owner: "org\(i % 3)", initialStocks: stock))
    }
    var processes: [Process] = []
    for (i, layer) in layerOf.enumerated() {
      let out = materials[layer]
      let cap = (1e5 + 1e6 * rng.uniform()) / secondsPerYear
      if layer == 0 {
        processes.append(Process(id: ProcessID("p\(i)"), name: "Source \(i)", site: SiteID("s\(i)"), stage: .mining, reference: out.id, inputs: [], outputs: [RecipeTerm(material: out.id, amount: 1)], losses: .none, capacity: cap))
      } else {
        // Input material layer-1; amounts chosen so no element is created: the output's
        // element content per kg is covered by `a` kg of input for every element.
        let inp = materials[layer - 1]
        var a = 1.0
        for (e, f) in out.composition.fractions {
          let fi = inp.composition.fraction(of: e)
          if fi > 0 { a = max(a, f / fi) } else { a = .infinity }
        }
        if !a.isFinite {
          // Output holds an element the input lacks: make this a source too.
          processes.append(Process(id: ProcessID("p\(i)"), name: "Source \(i)", site: SiteID("s\(i)"), stage: .mining, reference: out.id, inputs: [], outputs: [RecipeTerm(material: out.id, amount: 1)], losses: .none, capacity: cap))
        } else {
          let ramp: [(month: YearMonth, fraction: Double)] = rng.uniform() < 0.5 ? [(start, 0.2 + 0.3 * rng.uniform()), (start.adding(months: 12 + Int(rng.next() % 24)), 1)] : []
          let outage: [(from: YearMonth, to: YearMonth, fraction: Double)] = rng.uniform() < 0.3 ? [(start.adding(months: 6), start.adding(months: 8), 0)] : []
          processes.append(
            Process(
              id: ProcessID("p\(i)"), name: "Convert \(i)", site: SiteID("s\(i)"), stage: Stage.allCases[min(layer + 2, Stage.allCases.count - 1)],
              reference: out.id, inputs: [RecipeTerm(material: inp.id, amount: a * (1 + 0.1 * rng.uniform()))],
              outputs: [RecipeTerm(material: out.id, amount: 1)], losses: .rest, capacity: cap,
              availability: Availability(ramp: ramp, outages: outage)))
        }
      }
    }
    var links: [Link] = []
    var byLayer = Array(repeating: [Int](), count: layers)
    for (i, l) in layerOf.enumerated() { byLayer[l].append(i) }
    for (i, li) in layerOf.enumerated() where li + 1 < layers {
      // Each site ships to up to three sites of the next layer (always including the first).
      let next = byLayer[li + 1]
      guard let firstNext = next.first else { continue }
      var targets = [firstNext]
      for _ in 0..<2 where next.count > 1 { targets.append(next[Int(rng.next() % UInt64(next.count))]) }
      if i + 1 < layerOf.count, layerOf[i + 1] == li + 1 { targets.append(i + 1) }
      for j in Set(targets).sorted() {
        let lj = li + 1
        let cap: Double? = rng.uniform() < 0.3 ? (2e5 * rng.uniform()) / secondsPerYear : nil
        links.append(Link(id: LinkID("l\(i)-\(j)"), from: SiteID("s\(i)"), to: SiteID("s\(j)"), materials: [MaterialID("m\(lj - 1)")], leadTime: Int(rng.next() % 4), capacity: cap))
      }
    }
    let last = layers - 1
    let demandSites = layerOf.indices.filter { layerOf[$0] == last }
    var demands: [Demand] = []
    for (k, s) in demandSites.enumerated() {
      for (q, sector) in [Sector.evTraction, .wind, .defence].enumerated() where rng.uniform() < 0.8 || q == 0 {
        demands.append(
          Demand(
            id: DemandID("d\(k)-\(q)"), sector: sector, site: SiteID("s\(s)"), material: MaterialID("m\(last)"), endUnit: "unit",
            rate: (1e4 + 1e5 * rng.uniform()) / secondsPerYear, growth: 0.2 * rng.uniform(), intensity: 0.5 + rng.uniform(),
            priority: 1 + Int(rng.next() % 3)))
      }
    }
    var policies: [TradePolicy] = []
    if self.policies {
      policies.append(TradePolicy(id: "ban", name: "Ban", kind: .ban, origin: "CN", elements: [.Dy, .Tb], from: start.adding(months: 6), until: start.adding(months: 18)))
      policies.append(TradePolicy(id: "licence", name: "Licence", kind: .licence(approval: 0.5, delay: 2), origin: "CN", elements: [.Nd], from: start.adding(months: 3)))
      policies.append(TradePolicy(id: "quota", name: "Quota", kind: .quota(5e4 / secondsPerYear), origin: "JP", elements: [.Pr]))
    }
    var reserves: [Reserve] = []
    if self.reserves, let s = demandSites.first {
      reserves.append(Reserve(id: "r", site: SiteID("s\(s)"), material: MaterialID("m\(last)"), target: 5e4, initial: 1e4, fillRate: 2e4 / secondsPerYear, releaseTo: [.defence, .evTraction]))
    }
    var agreements: [TollingAgreement] = []
    if tolling, layers >= 3 {
      // Principal: the first site of layer L-2; processor: the first of layer L-1; returns go to the last demand site.
      let converters = Set(processes.filter { !$0.inputs.isEmpty }.map(\.site))
      if let pcIndex = layerOf.indices.first(where: { layerOf[$0] == last && converters.contains(SiteID("s\($0)")) }), let prIndex = layerOf.indices.first(where: { layerOf[$0] == last - 1 }),
        let ret = demandSites.last, ret != pcIndex
      {
        let prID = SiteID("s\(prIndex)"), pcID = SiteID("s\(pcIndex)"), retID = SiteID("s\(ret)")
        if !links.contains(where: { $0.from == prID && $0.to == pcID }) {
          links.append(Link(id: LinkID("toll-in"), from: prID, to: pcID, materials: [MaterialID("m\(last - 1)")], leadTime: 1))
        }
        if !links.contains(where: { $0.from == pcID && $0.to == retID }) {
          links.append(Link(id: LinkID("toll-ret"), from: pcID, to: retID, materials: [MaterialID("m\(last)")], leadTime: 2))
        }
        agreements.append(
          TollingAgreement(
            id: "toll", principal: prID, processor: pcID, returnTo: retID, input: MaterialID("m\(last - 1)"), output: MaterialID("m\(last)"),
            inputRate: rng.uniform() < 0.5 ? 3e4 / secondsPerYear : nil, shareReturned: 0.5 + 0.4 * rng.uniform(), start: start.adding(months: 3)))
      }
    }
    return Scenario(
      name: "generated-\(seed)", start: start, months: months, materials: materials, sites: sites, processes: processes, links: links,
      agreements: agreements, policies: policies, demands: demands, reserves: reserves)
  }
}
