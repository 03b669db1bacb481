import Chemistry
import Foundation

/// Which section of a cascade sets the flows (Xu's controlling section).
public enum ControllingSection: String, Sendable, Codable {
  case extraction, scrub
}

/// Fenske minimum total stages at total reflux: ln{[P_A/(1−P_A)]·[P_B/(1−P_B)]} / ln β.
/// - Parameters:
///   - beta: separation factor β > 1 (dimensionless).
///   - purityA: organic-product purity P_A (fraction, 0…1).
///   - purityB: raffinate purity P_B (fraction, 0…1).
/// - Returns: minimum number of ideal stages (real-valued).
public func fenskeMinimumStages(beta: Double, purityA: Double, purityB: Double) -> Double {
  log((purityA / (1 - purityA)) * (purityB / (1 - purityB))) / log(beta)
}

/// Kremser: number of countercurrent stages for a single solute to reach `recovery` with
/// extraction factor E = D·O/A ≠ 1 (both dimensionless). Returns a real number of stages.
public func kremserStages(extractionFactor e: Double, recovery r: Double) -> Double {
  log((1 - 1 / e) / (1 - r) + 1 / e) / log(e)
}

/// Kremser: recovery (fraction extracted, 0…1) of a single solute in `stages` countercurrent
/// stages with extraction factor E = D·O/A (dimensionless).
public func kremserRecovery(extractionFactor e: Double, stages: Int) -> Double {
  if abs(e - 1) < 1e-12 { return Double(stages) / Double(stages + 1) }
  let p = pow(e, Double(stages + 1))
  return (p - e) / (p - 1)
}

/// Inputs of Xu's binary (or key-pair) design.
public struct XuDesignInput: Sendable, Hashable {
  /// β in the extraction section (dimensionless, > 1).
  public var beta: Double
  /// β′ in the scrub section (dimensionless, > 1; usually = β).
  public var betaScrub: Double
  /// Feed mole fraction of the more-extractable part A (0…1).
  public var feedFractionA: Double
  /// Target purity of A in the organic product P_A (0…1).
  public var purityA: Double
  /// Target purity of B in the raffinate P_B (0…1).
  public var purityB: Double
  /// Feed phase.
  public var feedPhase: FeedPhase

  public init(beta: Double, betaScrub: Double? = nil, feedFractionA: Double, purityA: Double, purityB: Double, feedPhase: FeedPhase = .aqueous) {
    self.beta = beta
    self.betaScrub = betaScrub ?? beta
    self.feedFractionA = feedFractionA
    self.purityA = purityA
    self.purityB = purityB
    self.feedPhase = feedPhase
  }
}

/// Xu Guangxian's closed-form design (research note §4.1–4.4). Flows are mol RE per mol feed RE.
public struct XuDesign: Sendable, Hashable {
  public var input: XuDesignInput
  /// Fraction of the feed leaving in the organic product f′_A (dimensionless).
  public var productFractionA: Double
  /// Fraction of the feed leaving in the raffinate f′_B (dimensionless).
  public var productFractionB: Double
  /// Recovery of A in the organic product Y_A (0…1).
  public var recoveryA: Double
  /// Recovery of B in the raffinate Y_B (0…1).
  public var recoveryB: Double
  /// Purification factor of A, a = [P_A/(1−P_A)]/(f_A/f_B) (dimensionless).
  public var purificationA: Double
  /// Purification factor of B, b = [P_B/(1−P_B)]/(f_B/f_A) (dimensionless).
  public var purificationB: Double
  /// The section that sets the flows.
  public var controlling: ControllingSection
  /// Mixed extraction ratio of the extraction section E_M (dimensionless).
  public var extractionRatio: Double
  /// Mixed extraction ratio of the scrub section E′_M (dimensionless).
  public var scrubRatio: Double
  /// Organic RE flow S of the extraction section, mol per mol feed RE.
  public var organicFlow: Double
  /// Scrub RE flow W, mol per mol feed RE.
  public var scrubFlow: Double
  /// Minimum (pinch) organic flow S_min, mol per mol feed RE (sharp-split formula, §4.4).
  public var minimumOrganicFlow: Double
  /// Minimum (pinch) scrub flow W_min, mol per mol feed RE (sharp-split formula, §4.4).
  public var minimumScrubFlow: Double
  /// Fenske minimum total stages (real-valued).
  public var fenskeStages: Double
  /// Xu's short-formula extraction stage count n (real-valued).
  public var xuExtractionStages: Double
  /// Xu's short-formula scrub stage count m (real-valued).
  public var xuScrubStages: Double
}

/// Xu's design with optimum flows (E_M = 1/√β or E′_M = √β′, whichever section needs more
/// reflux controls), unless `scrubFlow` is given, in which case S follows from the balance.
public func xuDesign(_ input: XuDesignInput, scrubFlow override: Double? = nil) throws(SeparationError) -> XuDesign {
  let beta = input.beta
  let betaS = input.betaScrub
  guard beta.isFinite, beta > 1 else { throw .invalidInput("Separation factor β must be > 1; got \(beta).") }
  guard betaS.isFinite, betaS > 1 else { throw .invalidInput("Scrub separation factor β′ must be > 1; got \(betaS).") }
  let fA = input.feedFractionA
  let fB = 1 - fA
  guard fA > 0, fA < 1 else { throw .invalidInput("Feed fraction of A must be in (0, 1); got \(fA).") }
  let pA = input.purityA
  let pB = input.purityB
  guard pA > fA, pA < 1 else {
    throw .invalidInput("Organic-product purity P_A must be above the feed fraction \(fA) and below 1; got \(pA).")
  }
  guard pB > fB, pB < 1 else {
    throw .invalidInput("Raffinate purity P_B must be above the feed fraction \(fB) and below 1; got \(pB).")
  }
  let fpA = (fA - (1 - pB)) / (pA - (1 - pB))
  let fpB = 1 - fpA
  let a = (pA / (1 - pA)) / (fA / fB)
  let b = (pB / (1 - pB)) / (fB / fA)
  let rb = sqrt(beta)
  let rbs = sqrt(betaS)
  let betaMin = min(beta, betaS)
  var s: Double
  var w: Double
  var controlling: ControllingSection
  switch input.feedPhase {
  case .aqueous:
    let sExtraction = fpB / (rb - 1)
    let sScrub = rbs * fpA / (rbs - 1)
    controlling = sExtraction >= sScrub ? .extraction : .scrub
    s = max(sExtraction, sScrub)
    w = s - fpA
  case .organic:
    let sExtraction = fpB / (rb - 1)
    let sScrub = (1 - rbs * fpB) / (rbs - 1)
    controlling = sExtraction >= sScrub ? .extraction : .scrub
    s = max(sExtraction, sScrub)
    w = s + fpB
  }
  if let wo = override {
    guard wo.isFinite, wo > 0 else { throw .invalidInput("Scrub flow W must be > 0; got \(wo).") }
    w = wo
    s = input.feedPhase == .aqueous ? w + fpA : w - fpB
    guard s > 0 else { throw .invalidInput("Scrub flow W must exceed f′_B = \(fpB) for an organic feed; got \(wo).") }
  }
  let eM: Double
  let eMs: Double
  let sMin: Double
  let wMin: Double
  switch input.feedPhase {
  case .aqueous:
    eM = s / (w + 1)
    eMs = s / w
    wMin = 1 / (betaMin - 1)
    sMin = fpA + wMin
  case .organic:
    eM = s / w
    eMs = (s + 1) / w
    sMin = 1 / (betaMin - 1)
    wMin = sMin + fpB
  }
  var n = log10(b) / log10(beta * eM)
  var m = log10(a) / log10(betaS / eMs)
  if input.feedPhase == .aqueous { m -= 1 } else { n -= 1 }
  return XuDesign(
    input: input, productFractionA: fpA, productFractionB: fpB, recoveryA: fpA * pA / fA, recoveryB: fpB * pB / fB,
    purificationA: a, purificationB: b, controlling: controlling, extractionRatio: eM, scrubRatio: eMs,
    organicFlow: s, scrubFlow: w, minimumOrganicFlow: sMin, minimumScrubFlow: wMin,
    fenskeStages: fenskeMinimumStages(beta: betaMin, purityA: pA, purityB: pB),
    xuExtractionStages: n, xuScrubStages: m)
}

/// A cut of a (multi-component) feed between two groups, with purity and/or recovery targets
/// on its two outlets (at least two targets in all, e.g. both purities, or a purity and a recovery).
public struct CutRequest: Sendable {
  /// Components, any order.
  public var elements: [Element]
  /// Relative extractabilities α_i (dimensionless).
  public var extractabilities: [Double]
  /// Feed, mol per mol feed RE (normalised).
  public var feed: [Double]
  /// The least-extractable element of the heavy (organic) group; every element with α at least
  /// this one's goes to the organic product, the rest to the raffinate.
  public var firstHeavy: Element
  /// Target group purity of the organic product (0…1), if any.
  public var purityOrganic: Double?
  /// Target group purity of the raffinate (0…1), if any.
  public var purityAqueous: Double?
  /// Target recovery of the heavy group into the organic product (0…1), if any.
  public var recoveryOrganic: Double?
  /// Target recovery of the light group into the raffinate (0…1), if any.
  public var recoveryAqueous: Double?
  /// Feed phase.
  public var feedPhase: FeedPhase
  /// Scrub flow to use instead of Xu's optimum, mol per mol feed RE.
  public var scrubFlow: Double?
  /// Largest total stage count the refinement will try.
  public var maxStages: Int

  public init(
    elements: [Element], extractabilities: [Double], feed: [Double], firstHeavy: Element, purityOrganic: Double?,
    purityAqueous: Double?, recoveryOrganic: Double? = nil, recoveryAqueous: Double? = nil, feedPhase: FeedPhase = .aqueous,
    scrubFlow: Double? = nil, maxStages: Int = 600
  ) throws(SeparationError) {
    guard elements.count == extractabilities.count, elements.count == feed.count, elements.count >= 2 else {
      throw .invalidInput("A cut needs at least two elements with one extractability and feed each; got \(elements.count).")
    }
    guard let hi = elements.firstIndex(of: firstHeavy) else {
      throw .invalidInput(
        "The cut's heavy key must be one of the feed elements (\(elements.map(\.symbol).joined(separator: ", "))); got '\(firstHeavy.symbol)'.")
    }
    let t = feed.reduce(0, +)
    guard t > 0 else { throw .invalidInput("Feed total must be > 0; got \(t).") }
    self.elements = elements
    self.extractabilities = extractabilities
    self.feed = feed.map { $0 / t }
    self.firstHeavy = firstHeavy
    self.purityOrganic = purityOrganic
    self.purityAqueous = purityAqueous
    self.recoveryOrganic = recoveryOrganic
    self.recoveryAqueous = recoveryAqueous
    self.feedPhase = feedPhase
    self.scrubFlow = scrubFlow
    self.maxStages = maxStages
    for (name, v) in [("purity of the organic product", purityOrganic), ("purity of the raffinate", purityAqueous),
                      ("recovery into the organic product", recoveryOrganic), ("recovery into the raffinate", recoveryAqueous)] {
      if let v, !(v > 0 && v < 1) { throw .invalidInput("Target \(name) must be in (0, 1); got \(v).") }
    }
    let given = [purityOrganic, purityAqueous, recoveryOrganic, recoveryAqueous].compactMap { $0 }.count
    guard given >= 2 else {
      throw .invalidInput(
        "A cut needs at least two targets (purity and/or recovery of the outlets, e.g. both purities, or a purity and a recovery); got \(given).")
    }
    let heavy = heavyIndices
    guard !heavy.isEmpty, heavy.count < elements.count else {
      throw .invalidInput("A cut at '\(elements[hi].symbol)' must leave at least one element on each side; got none on one side.")
    }
    guard lightKey != nil else { throw .invalidInput("A cut needs a less-extractable key element; got none.") }
  }

  /// Indices of the heavy (organic-product) group.
  public var heavyIndices: [Int] {
    guard let hi = elements.firstIndex(of: firstHeavy) else { return [] }
    return elements.indices.filter { extractabilities[$0] >= extractabilities[hi] }
  }
  /// Indices of the light (raffinate) group.
  public var lightIndices: [Int] {
    let h = Set(heavyIndices)
    return elements.indices.filter { !h.contains($0) }
  }
  /// Index of the most extractable light element (the light key).
  public var lightKey: Int? { lightIndices.max { extractabilities[$0] < extractabilities[$1] } }
  /// Index of the heavy key.
  public var heavyKey: Int? { elements.firstIndex(of: firstHeavy) }

  /// The outlet purities (P_A, P_B) that Xu's closed form designs for: the purity targets when
  /// both are given, otherwise derived from the group balance of the binary cut with the given
  /// recoveries (f′_A·P_A = f_A·Y_A, f′_A·(1−P_A) = f_B·(1−Y_B), and likewise for the raffinate).
  public func designPurities() throws(SeparationError) -> (organic: Double, aqueous: Double) {
    let fA = heavyIndices.reduce(0) { $0 + feed[$1] }
    let fB = 1 - fA
    let pA = purityOrganic
    let pB = purityAqueous
    let yA = recoveryOrganic
    let yB = recoveryAqueous
    // f′_A, the fraction of the feed leaving in the organic product, from any two targets.
    var fpA: Double
    switch (pA, pB, yA, yB) {
    case (let a?, let b?, _, _): return (a, b)
    case (_, _, let ya?, let yb?): fpA = fA * ya + fB * (1 - yb)
    case (let a?, _, let ya?, _): fpA = fA * ya / a
    case (let a?, _, _, let yb?): fpA = fB * (1 - yb) / (1 - a)
    case (_, let b?, _, let yb?): fpA = 1 - fB * yb / b
    case (_, let b?, let ya?, _): fpA = 1 - fA * (1 - ya) / (1 - b)
    default: throw .invalidInput("A cut needs at least two targets; got fewer.")
    }
    guard fpA > 0, fpA < 1 else {
      throw .invalidInput("The targets must leave some feed in each outlet; got an organic-product share of \(formatG(fpA)).")
    }
    let fpB = 1 - fpA
    let a: Double
    if let pA { a = pA } else if let yA { a = fA * yA / fpA } else if let yB { a = 1 - fB * (1 - yB) / fpA } else {
      a = (fA - fpB * (1 - (pB ?? 0))) / fpA
    }
    let b: Double
    if let pB { b = pB } else if let yB { b = fB * yB / fpB } else if let yA { b = 1 - fA * (1 - yA) / fpB } else {
      b = (fB - fpA * (1 - (pA ?? 0))) / fpB
    }
    return (a, b)
  }
}

/// A designed cut: Xu's key-pair design and the refined stage counts from the rigorous model.
public struct CutDesign: Sendable {
  /// The request.
  public var request: CutRequest
  /// Xu's closed-form key-pair design (group feed fractions, key-pair β).
  public var xu: XuDesign
  /// The rigorous model at Xu's counts rounded up (ceil n, ceil m), for comparison.
  public var atXuCounts: CascadeResult
  /// Refined extraction stages n: the split with the largest margin at the smallest total n + m meeting both targets.
  public var extractionStages: Int
  /// Refined scrub stages m.
  public var scrubStages: Int
  /// All splits (n values) at the refined total that meet both targets.
  public var feasibleExtractionStages: [Int]
  /// The rigorous result at the refined counts.
  public var result: CascadeResult

  /// Total refined stages n + m.
  public var totalStages: Int { extractionStages + scrubStages }
  /// Organic-product group purity at the refined design (0…1).
  public var purityOrganic: Double { result.organicProduct.purity(request.heavyIndices) }
  /// Raffinate group purity at the refined design (0…1).
  public var purityAqueous: Double { result.raffinate.purity(request.lightIndices) }
  /// Recovery of the heavy group in the organic product (0…1).
  public var recoveryOrganic: Double { result.recovery(request.heavyIndices, in: result.organicProduct) }
  /// Recovery of the light group in the raffinate (0…1).
  public var recoveryAqueous: Double { result.recovery(request.lightIndices, in: result.raffinate) }
}

/// Designs a cut: Xu's closed form for the key pair with group fractions, then the smallest
/// total stage count whose best split meets both purity targets in the rigorous model.
/// Throws `SeparationError.pinch` when the flows are below minimum or no count up to
/// `maxStages` meets the targets.
public func designCut(_ req: CutRequest, options: SolverOptions = SolverOptions()) throws(SeparationError) -> CutDesign {
  guard let hk = req.heavyKey, let lk = req.lightKey else { throw .invalidInput("A cut needs two key elements; got fewer.") }
  let heavy = req.heavyIndices
  let light = req.lightIndices
  let fA = heavy.reduce(0) { $0 + req.feed[$1] }
  let beta = req.extractabilities[hk] / req.extractabilities[lk]
  let (designA, designB) = try req.designPurities()
  let xu = try xuDesign(
    XuDesignInput(beta: beta, feedFractionA: fA, purityA: designA, purityB: designB, feedPhase: req.feedPhase),
    scrubFlow: req.scrubFlow)
  if xu.scrubFlow <= xu.minimumScrubFlow * (1 + 1e-9) {
    throw .pinch(
      "scrub flow W must be above the minimum W_min = \(formatG(xu.minimumScrubFlow)) mol/mol feed for β = \(formatG(beta)); got \(formatG(xu.scrubFlow)). No number of stages meets the targets.")
  }
  func spec(_ n: Int, _ m: Int) throws(SeparationError) -> CascadeSpec {
    try CascadeSpec(
      elements: req.elements, extractabilities: req.extractabilities, feed: req.feed, extractionStages: n, scrubStages: m,
      feedPhase: req.feedPhase, organicFlow: xu.organicFlow, scrubFlow: xu.scrubFlow)
  }
  func run(_ n: Int, _ m: Int) throws(SeparationError) -> CascadeResult { try simulateCascade(spec(n, m), options: options) }
  let minM = 1  // at least one scrub stage
  let xn = max(1, Int(xu.xuExtractionStages.rounded(.up)))
  let xm = max(minM, Int(xu.xuScrubStages.rounded(.up)))
  let atXu = try run(xn, xm)

  // margin(r): how far the worst target is exceeded, in log-odds (≥ 0 means every purity and
  // recovery target is met). At a fixed total the best split maximises it; the margin is
  // unimodal in n (for a binary feed both purities are tied by the product split).
  let logit = logOdds
  let targets = [req.purityOrganic, req.purityAqueous, req.recoveryOrganic, req.recoveryAqueous].map { $0.map(logit) }
  func margin(_ r: CascadeResult) -> Double {
    let achieved = [
      r.organicProduct.purity(heavy), r.raffinate.purity(light), r.recovery(heavy, in: r.organicProduct),
      r.recovery(light, in: r.raffinate),
    ]
    var m = Double.infinity
    for (t, a) in zip(targets, achieved) { if let t { m = min(m, logit(a) - t) } }
    return m
  }
  let slack = 1e-9  // log-odds; about 1e-12 in purity at 99.9 %
  var cache: [Int: (Double, CascadeResult)] = [:]
  var cacheTotal = -1
  func eval(_ n: Int, _ total: Int) throws(SeparationError) -> (Double, CascadeResult) {
    if cacheTotal != total {
      cache = [:]
      cacheTotal = total
    }
    if let c = cache[n] { return c }
    let r = try run(n, total - n)
    let v = (margin(r), r)
    cache[n] = v
    return v
  }
  func feasible(_ total: Int) throws(SeparationError) -> (n: Int, result: CascadeResult)? {
    var lo = 1
    var hi = total - minM
    guard hi >= lo else { return nil }
    while hi - lo > 3 {
      let m1 = lo + (hi - lo) / 3
      let m2 = hi - (hi - lo) / 3
      if try eval(m1, total).0 < eval(m2, total).0 { lo = m1 + 1 } else { hi = m2 - 1 }
    }
    var bestN = lo
    var best = try eval(lo, total)
    for k in lo...hi {
      let e = try eval(k, total)
      if e.0 > best.0 {
        best = e
        bestN = k
      }
    }
    return best.0 >= -slack ? (bestN, best.1) : nil
  }
  // Grow the total until feasible, then bisect on the total.
  var upper = min(req.maxStages, max(3, Int(xu.fenskeStages.rounded(.down)) + 1, xn + xm))
  var lower = min(max(2, Int(xu.fenskeStages.rounded(.down))), upper - 1)
  var found: (n: Int, result: CascadeResult)?
  while true {
    if let f = try feasible(upper) {
      found = f
      break
    }
    if upper >= req.maxStages {
      throw .pinch(
        "the targets \(req.targetText) must be reachable within \(req.maxStages) stages at S = \(formatG(xu.organicFlow)), W = \(formatG(xu.scrubFlow)); got no feasible split (flows too close to the minimum W_min = \(formatG(xu.minimumScrubFlow)), or targets too tight).")
    }
    lower = upper
    upper = min(req.maxStages, upper * 2)
  }
  var bestTotal = upper
  var lo = lower
  var hi = upper
  while hi - lo > 1 {
    let mid = (lo + hi) / 2
    if let f = try feasible(mid) {
      found = f
      hi = mid
      bestTotal = mid
    } else {
      lo = mid
    }
  }
  guard var chosen = found else { throw .pinch("no feasible design found.") }
  if chosen.result.spec.stageCount != bestTotal, let f = try feasible(bestTotal) { chosen = f }
  // The other splits at the same total that also meet both targets.
  var splits = [chosen.n]
  var k = chosen.n - 1
  while k >= 1, try eval(k, bestTotal).0 >= -slack {
    splits.insert(k, at: 0)
    k -= 1
  }
  k = chosen.n + 1
  while k <= bestTotal - minM, try eval(k, bestTotal).0 >= -slack {
    splits.append(k)
    k += 1
  }
  return CutDesign(
    request: req, xu: xu, atXuCounts: atXu, extractionStages: chosen.n, scrubStages: bestTotal - chosen.n,
    feasibleExtractionStages: splits, result: chosen.result)
}

extension CutRequest {
  /// The targets for messages: "P_A = 0.999, Y_B = 0.95".
  var targetText: String {
    [("P_A", purityOrganic), ("P_B", purityAqueous), ("Y_A", recoveryOrganic), ("Y_B", recoveryAqueous)]
      .compactMap { n, v in v.map { "\(n) = \(formatG($0))" } }.joined(separator: ", ")
  }
}

/// Log-odds ln(p/(1−p)) of a fraction, with p clamped to [1e-300, 1 − 1e-16] so that purities
/// that round to 0 or 1 stay finite (the targets' margins are compared in this scale).
func logOdds(_ p: Double) -> Double {
  let q = min(max(p, 1e-300), 1 - 1e-16)
  return log(q / (1 - q))
}

/// Compact number text for messages (6 significant digits).
func formatG(_ x: Double) -> String {
  String(format: "%.6g", x)
}
