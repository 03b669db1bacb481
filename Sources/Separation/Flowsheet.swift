import Chemistry
import Quantities

/// Feeds with published compositions.
public enum SeparationFeeds {
  /// Indicative REO distribution of Indian (Kerala/Odisha) monazite, mass % of TREO, as the
  /// mid-points of the ranges in `domain/supply-chain.md` §3.1 (⚠ literature values, no
  /// primary source; CeO₂ 45–47, La₂O₃ 22–24, Nd₂O₃ 18–20, Pr₆O₁₁ 4.5–5.5, Sm₂O₃ 2.5–3,
  /// Gd₂O₃ 1–2, Y₂O₃ 0.5–2, Dy₂O₃ 0.2–0.6, Eu₂O₃ ~0.1, Tb₄O₇ ≤ 0.05). Oxide basis = `ReferenceOxide`.
  public static let indianMonaziteREO: [(element: Element, oxidePercent: Double)] = [
    (.La, 23), (.Ce, 46), (.Pr, 5), (.Nd, 19), (.Sm, 2.75), (.Eu, 0.1), (.Gd, 1.5), (.Tb, 0.05), (.Dy, 0.4), (.Y, 1.25),
  ]

  /// REO mass fraction of IREL's mixed rare-earth chloride: 11,000 t MRECl ≈ 5,000 t REO
  /// (PIB 2015, OSCOM MoPP), i.e. 0.4545 kg REO per kg chloride (dimensionless).
  public static let irelChlorideREOFraction = 5_000.0 / 11_000.0

  /// Moles of each element per kilogram of total REO (mol/kg) for an oxide mass distribution
  /// (any scale; normalised to 1 kg of REO).
  public static func molesPerKilogramREO(_ oxide: [(element: Element, oxidePercent: Double)]) -> [Double] {
    let total = oxide.reduce(0) { $0 + $1.oxidePercent }
    return oxide.map { e in
      let w = e.oxidePercent / total
      let mf = ReferenceOxide.formula(for: e.element).massFraction(of: e.element)
      return w * mf / (e.element.atomicWeight / 1000)
    }
  }
}

/// Plant-sizing assumptions for a flowsheet. All SI.
public struct PlantParameters: Sendable, Hashable {
  /// Total REO fed to the train, kg/s.
  public var reoMassFlow: Double
  /// RE loading of the organic, mol/m³ (default 170 mol/m³ = 0.17 M, typical for ~1.5 M
  /// P507 partly saponified ⚠ assumption).
  public var organicLoading: Double
  /// RE concentration of every aqueous stream, mol/m³ (default 1,000 mol/m³ = 1 M ⚠ assumption).
  public var aqueousConcentration: Double
  /// Mixer residence time, s (default 300 s = 5 min ⚠ assumption).
  public var mixerResidenceTime: Double
  /// Settler residence time, s (default 1,200 s = 20 min ⚠ assumption).
  public var settlerResidenceTime: Double

  public init(reoMassFlow: Double, organicLoading: Double = 170, aqueousConcentration: Double = 1_000, mixerResidenceTime: Double = 300, settlerResidenceTime: Double = 1_200) {
    self.reoMassFlow = reoMassFlow
    self.organicLoading = organicLoading
    self.aqueousConcentration = aqueousConcentration
    self.mixerResidenceTime = mixerResidenceTime
    self.settlerResidenceTime = settlerResidenceTime
  }
}

/// One cut of a flowsheet: split the stream holding `firstHeavy` and the element below it.
public struct FlowsheetCut: Sendable, Hashable {
  /// Least-extractable element of the heavy (organic) side.
  public var firstHeavy: Element
  /// Target group purity of the organic product (0…1).
  public var purityOrganic: Double
  /// Target group purity of the raffinate (0…1).
  public var purityAqueous: Double
  /// Optional recovery target of the heavy group into the organic product (0…1).
  public var recoveryOrganic: Double?
  /// Optional recovery target of the light group into the raffinate (0…1).
  public var recoveryAqueous: Double?
  /// Largest total stage count the cut's design may use.
  public var maxStages: Int = 600
  public init(firstHeavy: Element, purityOrganic: Double, purityAqueous: Double, recoveryOrganic: Double? = nil, recoveryAqueous: Double? = nil) {
    self.firstHeavy = firstHeavy
    self.purityOrganic = purityOrganic
    self.purityAqueous = purityAqueous
    self.recoveryOrganic = recoveryOrganic
    self.recoveryAqueous = recoveryAqueous
  }

  /// The default monazite train: Nd|Sm (middle-heavy group off), Ce|Pr, La|Ce, Pr|Nd (99.5 %).
  public static let monaziteTrain: [FlowsheetCut] = [
    FlowsheetCut(firstHeavy: .Sm, purityOrganic: 0.999, purityAqueous: 0.999),
    FlowsheetCut(firstHeavy: .Pr, purityOrganic: 0.999, purityAqueous: 0.999),
    FlowsheetCut(firstHeavy: .Ce, purityOrganic: 0.999, purityAqueous: 0.999),
    FlowsheetCut(firstHeavy: .Nd, purityOrganic: 0.995, purityAqueous: 0.995),
  ]
}

/// A stream of the train: its intended member elements and its actual element flows.
public struct FlowsheetStream: Sendable, Hashable {
  /// Intended members, least to most extractable.
  public var members: [Element]
  /// Flow of every train element (same order as `FlowsheetResult.elements`), mol/s.
  public var flows: [Double]
  /// Name: the member symbols joined ("PrNd"), or "Sm–Y" for groups of more than two.
  public var name: String {
    guard let f = members.first, let l = members.last else { return "empty" }
    return members.count <= 2 ? members.map(\.symbol).joined() : "\(f.symbol)–\(l.symbol)"
  }
  /// Total RE flow, mol/s.
  public var total: Double { flows.reduce(0, +) }
}

/// One designed cascade of the train with its plant size.
public struct FlowsheetCascade: Sendable {
  /// The stream fed to it.
  public var feed: FlowsheetStream
  /// The cut.
  public var cut: FlowsheetCut
  /// The refined design (on the elements present in the feed).
  public var design: CutDesign
  /// Raffinate and organic-product streams.
  public var raffinate: FlowsheetStream
  public var organicProduct: FlowsheetStream
  /// Organic volume held in mixers and settlers, m³.
  public var organicInventory: Double
  /// Mixer-settler working volume (both phases, mixer + settler), m³.
  public var mixerSettlerVolume: Double
  /// Largest organic volumetric flow in any stage, m³/s.
  public var maxOrganicFlow: Double
}

/// A designed train of cascades.
public struct FlowsheetResult: Sendable {
  /// Train elements, least to most extractable.
  public var elements: [Element]
  /// The cascades in order.
  public var cascades: [FlowsheetCascade]
  /// The final products (streams not split further), least to most extractable.
  public var products: [FlowsheetStream]
  /// The plant assumptions.
  public var plant: PlantParameters
  /// Total stages of all cascades (extraction + scrub; stripping not included).
  public var totalStages: Int { cascades.reduce(0) { $0 + $1.design.totalStages } }
  /// Total organic inventory, m³.
  public var organicInventory: Double { cascades.reduce(0) { $0 + $1.organicInventory } }
  /// Total mixer-settler volume, m³.
  public var mixerSettlerVolume: Double { cascades.reduce(0) { $0 + $1.mixerSettlerVolume } }

  /// Member purity of a product stream (0…1).
  public func purity(_ s: FlowsheetStream) -> Double {
    let t = s.total
    return t > 0 ? elements.indices.filter { s.members.contains(elements[$0]) }.reduce(0) { $0 + s.flows[$1] } / t : 0
  }
  /// Product output as reference oxide, kg/s.
  public func oxideMassFlow(_ s: FlowsheetStream) -> Double {
    elements.indices.reduce(0) { acc, i in
      let e = elements[i]
      let ox = ReferenceOxide.formula(for: e)
      return acc + s.flows[i] * e.atomicWeight / 1000 / ox.massFraction(of: e)
    }
  }
}

/// Designs a train of cuts on a feed (element oxide distribution) and sizes the plant.
/// Each cut splits the current stream containing its key pair; each cascade is designed by
/// `designCut` on all elements present in its feed, so upstream impurities are carried.
public func designFlowsheet(
  feed oxide: [(element: Element, oxidePercent: Double)], system: ExtractantSystem, cuts: [FlowsheetCut], plant: PlantParameters,
  options: SolverOptions = SolverOptions()
) throws(SeparationError) -> FlowsheetResult {
  guard plant.reoMassFlow > 0, plant.organicLoading > 0, plant.aqueousConcentration > 0,
    plant.mixerResidenceTime >= 0, plant.settlerResidenceTime >= 0, plant.mixerResidenceTime + plant.settlerResidenceTime > 0
  else {
    throw .invalidInput("Plant throughput, loading and concentrations must be > 0 and residence times >= 0; got \(plant).")
  }
  let elements = try system.sortedByExtractability(oxide.map(\.element))
  let perKg = SeparationFeeds.molesPerKilogramREO(oxide)
  var flows = [Double](repeating: 0, count: elements.count)
  for (j, o) in oxide.enumerated() {
    if let i = elements.firstIndex(of: o.element) { flows[i] += perKg[j] * plant.reoMassFlow }
  }
  let alpha = try system.extractabilities(for: elements)
  var streams = [FlowsheetStream(members: elements, flows: flows)]
  var cascades: [FlowsheetCascade] = []
  let residence = plant.mixerResidenceTime + plant.settlerResidenceTime
  for cut in cuts {
    guard let si = streams.firstIndex(where: { s in
      guard let k = s.members.firstIndex(of: cut.firstHeavy) else { return false }
      return k > 0
    }) else {
      throw .invalidInput(
        "Cut '|\(cut.firstHeavy.symbol)' must split a current stream with an element below \(cut.firstHeavy.symbol); streams are \(streams.map { "'\($0.name)'" }.joined(separator: ", ")).")
    }
    let s = streams[si]
    let present = elements.indices.filter { s.flows[$0] > 1e-12 * s.total }
    let req = try CutRequest(
      elements: present.map { elements[$0] }, extractabilities: present.map { alpha[$0] }, feed: present.map { s.flows[$0] },
      firstHeavy: cut.firstHeavy, purityOrganic: cut.purityOrganic, purityAqueous: cut.purityAqueous,
      recoveryOrganic: cut.recoveryOrganic, recoveryAqueous: cut.recoveryAqueous, maxStages: cut.maxStages)
    let d = try designCut(req, options: options)
    let scale = s.total
    var raff = [Double](repeating: 0, count: elements.count)
    var prod = raff
    for (j, i) in present.enumerated() {
      raff[i] = d.result.raffinate.elementFlows[j] * scale
      prod[i] = d.result.organicProduct.elementFlows[j] * scale
    }
    guard let k = s.members.firstIndex(of: cut.firstHeavy) else { continue }
    let light = FlowsheetStream(members: Array(s.members[..<k]), flows: raff)
    let heavy = FlowsheetStream(members: Array(s.members[k...]), flows: prod)
    var inventory = 0.0
    var volume = 0.0
    var maxQo = 0.0
    for st in 0..<d.result.spec.stageCount {
      let qo = d.result.organicFlow[st] * scale / plant.organicLoading
      let qa = d.result.aqueousFlow[st] * scale / plant.aqueousConcentration
      inventory += qo * residence
      volume += (qo + qa) * residence
      maxQo = max(maxQo, qo)
    }
    cascades.append(
      FlowsheetCascade(
        feed: s, cut: cut, design: d, raffinate: light, organicProduct: heavy, organicInventory: inventory,
        mixerSettlerVolume: volume, maxOrganicFlow: maxQo))
    streams.replaceSubrange(si...si, with: [light, heavy])
  }
  return FlowsheetResult(elements: elements, cascades: cascades, products: streams, plant: plant)
}
