import Chemistry
import Foundation

/// A three-outlet cascade to design: the light group leaves in the raffinate, the heavy group in
/// the organic product, and a middle group is drawn from the aqueous phase of one stage
/// (research note V2). The stage counts and the organic flow are given; the design chooses the
/// draw stage and the draw, product and scrub flows.
public struct ThreeOutletRequest: Sendable {
  /// Components, any order.
  public var elements: [Element]
  /// Relative extractabilities α_i (dimensionless).
  public var extractabilities: [Double]
  /// Feed, mol per mol feed RE (normalised).
  public var feed: [Double]
  /// Least-extractable element of the middle group (drawn).
  public var firstMiddle: Element
  /// Least-extractable element of the heavy group (organic product).
  public var firstHeavy: Element
  /// Target group purity of the organic product (0…1).
  public var purityOrganic: Double
  /// Target group purity of the raffinate (0…1).
  public var purityAqueous: Double
  /// Target recovery of the light group into the raffinate (0…1); sets the raffinate flow
  /// R = f_light·Y/P (default: equal to `purityAqueous`).
  public var recoveryAqueous: Double?
  /// Target group purity of the middle group in the side draw (0…1).
  public var purityDraw: Double
  /// Organic RE flow S, mol per mol feed RE.
  public var organicFlow: Double
  /// Extraction stages n (aqueous feed enters stage n) and scrub stages m.
  public var extractionStages: Int
  public var scrubStages: Int

  public init(
    elements: [Element], extractabilities: [Double], feed: [Double], firstMiddle: Element, firstHeavy: Element,
    purityOrganic: Double, purityAqueous: Double, recoveryAqueous: Double? = nil, purityDraw: Double, organicFlow: Double,
    extractionStages: Int, scrubStages: Int
  ) throws(SeparationError) {
    guard elements.count == extractabilities.count, elements.count == feed.count, elements.count >= 3 else {
      throw .invalidInput("A three-outlet cascade needs at least three elements with one extractability and feed each; got \(elements.count).")
    }
    guard let mi = elements.firstIndex(of: firstMiddle), let hi = elements.firstIndex(of: firstHeavy) else {
      throw .invalidInput(
        "The middle and heavy keys must be feed elements (\(elements.map(\.symbol).joined(separator: ", "))); got '\(firstMiddle.symbol)', '\(firstHeavy.symbol)'.")
    }
    guard extractabilities[mi] < extractabilities[hi] else {
      throw .invalidInput("The heavy key must be more extractable than the middle key; got \(firstHeavy.symbol) ≤ \(firstMiddle.symbol).")
    }
    for (name, v) in [("purity of the organic product", purityOrganic), ("purity of the raffinate", purityAqueous),
                      ("purity of the draw", purityDraw), ("recovery into the raffinate", recoveryAqueous ?? 0.5)] {
      guard v > 0, v < 1 else { throw .invalidInput("Target \(name) must be in (0, 1); got \(v).") }
    }
    guard organicFlow.isFinite, organicFlow > 0 else { throw .invalidInput("Organic flow S must be > 0; got \(organicFlow).") }
    guard extractionStages >= 1, scrubStages >= 2 else {
      throw .invalidInput("A three-outlet cascade needs n >= 1 and m >= 2 stages; got n = \(extractionStages), m = \(scrubStages).")
    }
    let t = feed.reduce(0, +)
    guard t > 0 else { throw .invalidInput("Feed total must be > 0; got \(t).") }
    self.elements = elements
    self.extractabilities = extractabilities
    self.feed = feed.map { $0 / t }
    self.firstMiddle = firstMiddle
    self.firstHeavy = firstHeavy
    self.purityOrganic = purityOrganic
    self.purityAqueous = purityAqueous
    self.recoveryAqueous = recoveryAqueous
    self.purityDraw = purityDraw
    self.organicFlow = organicFlow
    self.extractionStages = extractionStages
    self.scrubStages = scrubStages
    guard !lightIndices.isEmpty, !middleIndices.isEmpty, !heavyIndices.isEmpty else {
      throw .invalidInput("Each of the three groups (light, middle, heavy) must hold at least one feed element; got an empty group.")
    }
  }

  private func group(_ lo: Double, _ hi: Double) -> [Int] {
    elements.indices.filter { extractabilities[$0] >= lo && extractabilities[$0] < hi }
  }
  private var alphaMiddle: Double { elements.firstIndex(of: firstMiddle).map { extractabilities[$0] } ?? 0 }
  private var alphaHeavy: Double { elements.firstIndex(of: firstHeavy).map { extractabilities[$0] } ?? 0 }
  /// Indices of the light (raffinate), middle (draw) and heavy (organic-product) groups.
  public var lightIndices: [Int] { group(-.infinity, alphaMiddle) }
  public var middleIndices: [Int] { group(alphaMiddle, alphaHeavy) }
  public var heavyIndices: [Int] { group(alphaHeavy, .infinity) }
}

/// A designed three-outlet cascade.
public struct ThreeOutletDesign: Sendable {
  public var request: ThreeOutletRequest
  /// The chosen draw stage I (counted from the raffinate end).
  public var drawStage: Int
  /// Side-draw RE flow D, mol per mol feed RE.
  public var drawFlow: Double
  /// Raffinate RE flow R, mol per mol feed RE (from the light group's targets).
  public var raffinateFlow: Double
  /// Organic-product RE flow P = 1 − R − D, mol per mol feed RE.
  public var organicProductFlow: Double
  /// Scrub RE flow W = S − P, mol per mol feed RE.
  public var scrubFlow: Double
  /// Every draw stage at which some draw flow meets all targets, with the range of feasible D
  /// (mol per mol feed RE) found there.
  public var feasibleDraws: [(stage: Int, flows: ClosedRange<Double>)]
  /// The rigorous result at the design.
  public var result: CascadeResult
  /// Worst target margin at the design, in log-odds (≥ 0: every target met).
  public var margin: Double

  /// Group purities (0…1) of the organic product, raffinate and draw, and the heavy group's
  /// recovery into the organic product.
  public var purityOrganic: Double { result.organicProduct.purity(request.heavyIndices) }
  public var purityAqueous: Double { result.raffinate.purity(request.lightIndices) }
  public var purityDraw: Double { result.sideDraws.first?.purity(request.middleIndices) ?? 0 }
  public var recoveryOrganic: Double { result.recovery(request.heavyIndices, in: result.organicProduct) }
  public var recoveryAqueous: Double { result.recovery(request.lightIndices, in: result.raffinate) }
  public var recoveryDraw: Double { result.sideDraws.first.map { result.recovery(request.middleIndices, in: $0) } ?? 0 }
}

/// Designs a three-outlet cascade: the raffinate flow follows from the light group's purity and
/// recovery (R = f_light·Y/P); for every draw stage I the draw flow D is chosen to maximise the
/// worst target margin (log-odds of purity, golden-section search on D up to f_middle/P_draw,
/// where even a perfect draw would fall below its purity); the stage with the largest margin is
/// the design. Throws `pinch` when no stage and flow meet every target.
public func designThreeOutlet(_ req: ThreeOutletRequest, options: SolverOptions = SolverOptions()) throws(SeparationError) -> ThreeOutletDesign {
  let light = req.lightIndices
  let middle = req.middleIndices
  let heavy = req.heavyIndices
  let fLight = light.reduce(0) { $0 + req.feed[$1] }
  let fMiddle = middle.reduce(0) { $0 + req.feed[$1] }
  let raffinate = fLight * (req.recoveryAqueous ?? req.purityAqueous) / req.purityAqueous
  let dMax = min(fMiddle / req.purityDraw, 1 - raffinate)
  guard raffinate < 1, dMax > 0 else {
    throw .invalidInput("The light group's targets leave no flow for the draw and the product; got a raffinate flow R = \(formatG(raffinate)).")
  }
  let logit = logOdds
  let targets = [req.purityOrganic, req.purityAqueous, req.purityDraw].map(logit)
  let recoveryTarget = req.recoveryAqueous.map(logit)
  let n = req.extractionStages + req.scrubStages
  func run(_ stage: Int, _ d: Double) -> (margin: Double, result: CascadeResult?) {
    let p = 1 - raffinate - d
    let w = req.organicFlow - p
    guard p > 0, w > 0,
      let spec = try? CascadeSpec(
        elements: req.elements, extractabilities: req.extractabilities, feed: req.feed, extractionStages: req.extractionStages,
        scrubStages: req.scrubStages, organicFlow: req.organicFlow, scrubFlow: w, draws: [SideDraw(stage: stage, flow: d)]),
      let r = try? simulateCascade(spec, options: options), let draw = r.sideDraws.first
    else { return (-.infinity, nil) }
    let achieved = [r.organicProduct.purity(heavy), r.raffinate.purity(light), draw.purity(middle)]
    var m = zip(achieved, targets).map { logit($0) - $1 }.min() ?? -.infinity
    if let t = recoveryTarget { m = min(m, logit(r.recovery(light, in: r.raffinate)) - t) }
    return (m, r)
  }
  // Golden-section search for the draw flow with the best margin at one stage.
  func bestDraw(_ stage: Int) -> (d: Double, margin: Double) {
    let phi = (sqrt(5.0) - 1) / 2
    var a = 0.02 * dMax
    var b = dMax
    var c = b - phi * (b - a)
    var e = a + phi * (b - a)
    var mc = run(stage, c).margin
    var me = run(stage, e).margin
    for _ in 0..<40 where b - a > 1e-5 * dMax {
      if mc >= me {
        b = e
        e = c
        me = mc
        c = b - phi * (b - a)
        mc = run(stage, c).margin
      } else {
        a = c
        c = e
        mc = me
        e = a + phi * (b - a)
        me = run(stage, e).margin
      }
    }
    return mc >= me ? (c, mc) : (e, me)
  }
  // Largest and smallest feasible draw around a feasible one (bisection to 1e-4 of D_max).
  func edge(_ stage: Int, from inside: Double, to outside: Double) -> Double {
    var lo = inside
    var hi = outside
    for _ in 0..<30 where abs(hi - lo) > 1e-4 * dMax {
      let mid = (lo + hi) / 2
      if run(stage, mid).margin >= 0 { lo = mid } else { hi = mid }
    }
    return lo
  }
  var best: (stage: Int, d: Double, margin: Double)?
  var feasible: [(stage: Int, flows: ClosedRange<Double>)] = []
  for stage in 2...n where stage != req.extractionStages {
    let (d, m) = bestDraw(stage)
    if m >= 0 {
      let lo = edge(stage, from: d, to: 0.02 * dMax)
      let hi = edge(stage, from: d, to: dMax)
      feasible.append((stage, lo...hi))
    }
    if m > (best?.margin ?? -.infinity) { best = (stage, d, m) }
  }
  guard let b = best, b.margin >= 0, let r = run(b.stage, b.d).result else {
    let m = best.map { formatG($0.margin) } ?? "none"
    throw .pinch(
      "the targets (organic \(formatG(req.purityOrganic)), raffinate \(formatG(req.purityAqueous)), draw \(formatG(req.purityDraw))) must be met at some draw stage and flow with S = \(formatG(req.organicFlow)), n = \(req.extractionStages), m = \(req.scrubStages); got a best worst-target margin of \(m) (log-odds). Raise S or the stage counts.")
  }
  let p = 1 - raffinate - b.d
  return ThreeOutletDesign(
    request: req, drawStage: b.stage, drawFlow: b.d, raffinateFlow: raffinate, organicProductFlow: p,
    scrubFlow: req.organicFlow - p, feasibleDraws: feasible, result: r, margin: b.margin)
}
