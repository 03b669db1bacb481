import Chemistry

/// How much a separation factor can be trusted.
public enum FactorConfidence: String, Sendable, CaseIterable, Codable {
  /// Used in a retrieved published design example or stated in a retrieved abstract.
  case published
  /// Mid-point of a textbook range that was not re-read (⚠ in the research note).
  case consensus
  /// Computed from published distribution ratios.
  case derived
  /// A rule of thumb (e.g. "β ≈ 2.5 per ΔZ").
  case rule
  /// Supplied by the user in a factor file.
  case user
}

/// One adjacent-pair separation factor β = D_more / D_less (dimensionless, ≥ 1).
public struct SeparationFactor: Sendable, Hashable {
  /// The more-extractable element (goes to the loaded organic).
  public var more: Element
  /// The less-extractable element (stays in the raffinate).
  public var less: Element
  /// β = D_more / D_less, dimensionless.
  public var beta: Double
  /// The range quoted in the literature, if any (dimensionless).
  public var range: ClosedRange<Double>?
  /// Where the value comes from.
  public var source: String
  /// How much it can be trusted.
  public var confidence: FactorConfidence

  public init(more: Element, less: Element, beta: Double, range: ClosedRange<Double>? = nil, source: String, confidence: FactorConfidence) {
    self.more = more
    self.less = less
    self.beta = beta
    self.range = range
    self.source = source
    self.confidence = confidence
  }

  /// "Nd/Pr": the more-extractable element first.
  public var pairName: String { "\(more.symbol)/\(less.symbol)" }
}

/// An extractant system: its extraction order and adjacent-pair separation factors.
public struct ExtractantSystem: Sendable, Hashable {
  /// Short identifier used on the command line, e.g. "p507-hcl".
  public var id: String
  /// Human-readable description of extractant and medium.
  public var name: String
  /// Elements from least to most extractable.
  public var order: [Element]
  /// `factors[i]` is β(order[i+1] / order[i]); `factors.count == order.count - 1`.
  public var factors: [SeparationFactor]
  /// Caveats that apply to the whole system.
  public var note: String

  public init(id: String, name: String, order: [Element], factors: [SeparationFactor], note: String = "") {
    self.id = id
    self.name = name
    self.order = order
    self.factors = factors
    self.note = note
  }

  /// Relative extractabilities α (dimensionless) of `elements`, normalised so the least
  /// extractable element of the whole system has α = 1. Throws if an element is not covered.
  public func extractabilities(for elements: [Element]) throws(SeparationError) -> [Double] {
    var alpha: [Double] = []
    var chain = [1.0]
    for f in factors { chain.append(chain[chain.count - 1] * f.beta) }
    for e in elements {
      guard let i = order.firstIndex(of: e) else {
        throw .invalidInput(
          "Element must be one covered by system '\(id)' (\(order.map(\.symbol).joined(separator: ", "))); got '\(e.symbol)'.")
      }
      alpha.append(chain[i])
    }
    return alpha
  }

  /// β(a/b) = α_a / α_b (dimensionless) for any two covered elements.
  public func beta(_ a: Element, over b: Element) throws(SeparationError) -> Double {
    let al = try extractabilities(for: [a, b])
    return al[0] / al[1]
  }

  /// Covered elements sorted from least to most extractable.
  public func sortedByExtractability(_ elements: [Element]) throws(SeparationError) -> [Element] {
    for e in elements where !order.contains(e) {
      throw .invalidInput(
        "Element must be one covered by system '\(id)' (\(order.map(\.symbol).joined(separator: ", "))); got '\(e.symbol)'.")
    }
    return order.filter { elements.contains($0) }
  }
}

/// The table of extractant systems Lodestone ships, with user overrides applied.
public struct FactorTable: Sendable {
  /// Systems in a fixed order (the built-in ones first, then user systems in file order).
  public private(set) var systems: [ExtractantSystem]

  public init(systems: [ExtractantSystem]) { self.systems = systems }

  /// The built-in table (see docs/separation.md for provenance).
  public static let builtIn = FactorTable(systems: [p507, d2ehpaLactic, d2ehpaRule, tbpNitrate, cyanex272, naphthenic])

  /// The identifiers of all systems, in table order.
  public var ids: [String] { systems.map(\.id) }

  /// The system named `id`.
  public func system(_ id: String) throws(SeparationError) -> ExtractantSystem {
    guard let s = systems.first(where: { $0.id == id }) else {
      throw .invalidInput("Extractant system must be one of \(ids.map { "'\($0)'" }.joined(separator: ", ")); got '\(id)'.")
    }
    return s
  }

  /// Applies a CSV override file (text, not a path). Columns: `system,pair,beta[,source[,confidence]]`;
  /// `pair` is "More/Less" (e.g. "Nd/Pr"), `beta` > 1 is β = D_more/D_less. Lines starting with
  /// `#` and blank lines are ignored; a header line starting with `system` is skipped.
  /// An existing system's adjacent pair is replaced; a new system id is built from pairs that
  /// must form one chain (each pair's less-extractable element is the previous pair's more-extractable one).
  public mutating func applyOverrides(csv text: String, source: String) throws(SeparationError) {
    var newSystems: [(id: String, factors: [SeparationFactor], line: Int)] = []
    var lineNo = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNo += 1
      let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
      let trimmed = line.trimmingSpaces
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let fields = try splitCSV(line, source: source, line: lineNo)
      if fields[0].text.trimmingSpaces.lowercased() == "system" { continue }
      guard fields.count >= 3, fields.count <= 5 else {
        throw .factorFile(
          source: source, line: lineNo, column: 1,
          message: "A factor line must have 3 to 5 fields (system,pair,beta[,source[,confidence]]); got \(fields.count).")
      }
      let sysID = fields[0].text.trimmingSpaces
      guard !sysID.isEmpty else {
        throw .factorFile(source: source, line: lineNo, column: fields[0].column, message: "System id must not be empty; got ''.")
      }
      let pairText = fields[1].text.trimmingSpaces
      let parts = pairText.split(separator: "/").map { String($0).trimmingSpaces }
      guard parts.count == 2, let more = Element(symbol: parts[0]), let less = Element(symbol: parts[1]) else {
        throw .factorFile(
          source: source, line: lineNo, column: fields[1].column,
          message: "Pair must be 'More/Less' with two element symbols (e.g. 'Nd/Pr'); got '\(pairText)'.")
      }
      guard more != less else {
        throw .factorFile(source: source, line: lineNo, column: fields[1].column, message: "Pair must name two different elements; got '\(pairText)'.")
      }
      let betaText = fields[2].text.trimmingSpaces
      guard let beta = Double(betaText), beta.isFinite, beta > 1 else {
        throw .factorFile(
          source: source, line: lineNo, column: fields[2].column,
          message: "Separation factor beta must be a number > 1 (write the pair the other way round if it is < 1); got '\(betaText)'.")
      }
      let src = fields.count > 3 ? fields[3].text.trimmingSpaces : "user file \(source) line \(lineNo)"
      var conf = FactorConfidence.user
      if fields.count > 4 {
        let c = fields[4].text.trimmingSpaces
        guard let cc = FactorConfidence(rawValue: c) else {
          throw .factorFile(
            source: source, line: lineNo, column: fields[4].column,
            message: "Confidence must be one of \(FactorConfidence.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")); got '\(c)'.")
        }
        conf = cc
      }
      let factor = SeparationFactor(more: more, less: less, beta: beta, source: src.isEmpty ? "user file \(source)" : src, confidence: conf)
      if let si = systems.firstIndex(where: { $0.id == sysID }) {
        var s = systems[si]
        guard let li = s.order.firstIndex(of: less), li + 1 < s.order.count, s.order[li + 1] == more else {
          let pairs = s.factors.map { "'\($0.pairName)'" }.joined(separator: ", ")
          throw .factorFile(
            source: source, line: lineNo, column: fields[1].column,
            message: "Pair for system '\(sysID)' must be one of its adjacent pairs (\(pairs)); got '\(pairText)'.")
        }
        s.factors[li] = factor
        systems[si] = s
      } else if let ni = newSystems.firstIndex(where: { $0.id == sysID }) {
        newSystems[ni].factors.append(factor)
      } else {
        newSystems.append((sysID, [factor], lineNo))
      }
    }
    for ns in newSystems {
      // Chain the pairs: start from the pair whose `less` is nobody's `more`.
      let mores = Set(ns.factors.map(\.more))
      let starts = ns.factors.filter { !mores.contains($0.less) }
      guard starts.count == 1 else {
        throw .factorFile(
          source: source, line: ns.line, column: 2,
          message: "Pairs of new system '\(ns.id)' must form one chain from least to most extractable (e.g. 'Ce/La', 'Pr/Ce', 'Nd/Pr'); got \(ns.factors.map { "'\($0.pairName)'" }.joined(separator: ", ")).")
      }
      var order = [starts[0].less]
      var chain: [SeparationFactor] = []
      var remaining = ns.factors
      while let i = remaining.firstIndex(where: { $0.less == order[order.count - 1] }) {
        chain.append(remaining[i])
        order.append(remaining[i].more)
        remaining.remove(at: i)
      }
      guard remaining.isEmpty, Set(order).count == order.count else {
        throw .factorFile(
          source: source, line: ns.line, column: 2,
          message: "Pairs of new system '\(ns.id)' must form one chain without branches or repeats; got \(ns.factors.map { "'\($0.pairName)'" }.joined(separator: ", ")).")
      }
      systems.append(ExtractantSystem(id: ns.id, name: "user system from \(source)", order: order, factors: chain))
    }
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" { s.removeLast() }
    return String(s)
  }
}

/// Splits one CSV line (RFC 4180 quoting) into fields with their 1-based start columns.
func splitCSV(_ line: String, source: String, line lineNo: Int) throws(SeparationError) -> [(text: String, column: Int)] {
  var fields: [(String, Int)] = []
  var current = ""
  var start = 1
  var col = 0
  var inQuotes = false
  var chars = Array(line)
  var i = 0
  while i < chars.count {
    let c = chars[i]
    col = i + 1
    if inQuotes {
      if c == "\"" {
        if i + 1 < chars.count, chars[i + 1] == "\"" {
          current.append("\"")
          i += 1
        } else {
          inQuotes = false
        }
      } else {
        current.append(c)
      }
    } else if c == "\"" {
      inQuotes = true
    } else if c == "," {
      fields.append((current, start))
      current = ""
      start = col + 1
    } else {
      current.append(c)
    }
    i += 1
  }
  if inQuotes {
    throw .factorFile(source: source, line: lineNo, column: start, message: "A quoted field must end with '\"'; got an unterminated quote.")
  }
  fields.append((current, start))
  chars.removeAll()
  return fields
}

// MARK: - Built-in data (research note docs: ../shared/domain/separation.md §2)

private let xuRange = "Xu (ed.) Rare Earths 1995; Li 2019 review; Zhang et al. 2016 ch. 4 (textbook range, not re-read)"
private let zhangExample = "Zhang, Zhao & Schreiner 2016, ch. 5 design example"

private func f(_ more: Element, _ less: Element, _ beta: Double, _ lo: Double?, _ hi: Double?, _ source: String, _ c: FactorConfidence) -> SeparationFactor {
  var r: ClosedRange<Double>? = nil
  if let lo, let hi { r = lo...hi }
  return SeparationFactor(more: more, less: less, beta: beta, range: r, source: source, confidence: c)
}

let p507 = ExtractantSystem(
  id: "p507-hcl",
  name: "P507 (PC88A, HEH/EHP) 1-1.5 M in kerosene, saponified, HCl medium",
  order: [.La, .Ce, .Pr, .Nd, .Sm, .Eu, .Gd, .Tb, .Dy, .Ho, .Y, .Er, .Tm, .Yb, .Lu],
  factors: [
    f(.Ce, .La, 5.0, 3, 7, xuRange, .consensus),
    f(.Pr, .Ce, 2.0, 1.9, 2.2, xuRange, .consensus),
    f(.Nd, .Pr, 1.5, 1.35, 1.6, xuRange, .consensus),
    f(.Sm, .Nd, 8.0, 6, 10, xuRange, .consensus),
    f(.Eu, .Sm, 2.0, 1.9, 2.2, zhangExample, .published),
    f(.Gd, .Eu, 1.4, 1.4, 1.5, zhangExample, .published),
    f(.Tb, .Gd, 5.0, 4, 6, xuRange, .consensus),
    f(.Dy, .Tb, 2.2, 2.0, 2.5, xuRange, .consensus),
    f(.Ho, .Dy, 2.0, 1.8, 2.3, xuRange, .consensus),
    f(.Y, .Ho, 1.4, 1.2, 1.5, xuRange + "; Y moves with conditions", .consensus),
    f(.Er, .Y, 1.5, 1.2, 1.8, xuRange, .consensus),
    f(.Tm, .Er, 3.2, 2.9, 3.5, xuRange, .consensus),
    f(.Yb, .Tm, 3.0, 2.5, 3.6, xuRange, .consensus),
    f(.Lu, .Yb, 1.8, 1.5, 2.0, xuRange, .consensus),
  ],
  note: "Every beta is conditional on medium, loading, acidity and temperature (Tanaka et al. 2021).")

let d2ehpaLactic = ExtractantSystem(
  id: "d2ehpa-lactic",
  name: "D2EHPA with lactic acid, chloride medium",
  order: [.La, .Ce, .Pr, .Nd],
  factors: [
    f(.Ce, .La, 3.24, nil, nil, "Yin, Li, Xie, Zhang, Peng 2015, RSC Adv. c5ra09928e (abstract)", .published),
    f(.Pr, .Ce, 2.04, nil, nil, "Yin et al. 2015, RSC Adv. c5ra09928e (abstract)", .published),
    f(.Nd, .Pr, 1.58, nil, nil, "Yin et al. 2015, RSC Adv. c5ra09928e (abstract)", .published),
  ])

private let peppard = "Peppard et al. 1957, J. Inorg. Nucl. Chem. 4:334 (mean 2.5 per ΔZ rule)"

let d2ehpaRule = ExtractantSystem(
  id: "d2ehpa-hcl",
  name: "D2EHPA (HDEHP) in HCl, generic mean factors",
  order: [.La, .Ce, .Pr, .Nd, .Sm, .Eu, .Gd, .Tb, .Dy],
  factors: [
    f(.Ce, .La, 2.5, nil, nil, peppard, .rule),
    f(.Pr, .Ce, 2.5, nil, nil, peppard, .rule),
    f(.Nd, .Pr, 1.45, 1.3, 1.6, "Pr/Nd is low with D2EHPA (range quoted second-hand)", .rule),
    f(.Sm, .Nd, 6.25, nil, nil, peppard + " (ΔZ = 2 across Pm)", .rule),
    f(.Eu, .Sm, 2.5, nil, nil, peppard, .rule),
    f(.Gd, .Eu, 2.5, nil, nil, peppard, .rule),
    f(.Tb, .Gd, 2.5, nil, nil, peppard, .rule),
    f(.Dy, .Tb, 2.5, nil, nil, peppard, .rule),
  ],
  note: "Rule-of-thumb values only; override with measured data.")

private let kraikaew = "Kraikaew et al. 2005, J. Met. Mater. Miner. 15(2):89, Table 1 (D at 35 °C, refitted in difflow extractants.yaml)"

let tbpNitrate = ExtractantSystem(
  id: "tbp-nitrate",
  name: "TBP, neutral-salt nitrate medium, 35 °C",
  order: [.La, .Ce, .Pr, .Nd, .Sm, .Eu, .Gd, .Y, .Dy],
  factors: [
    f(.Ce, .La, 0.032 / 0.023, nil, nil, kraikaew, .derived),
    f(.Pr, .Ce, 0.060 / 0.032, nil, nil, kraikaew, .derived),
    f(.Nd, .Pr, 0.072 / 0.060, nil, nil, kraikaew, .derived),
    f(.Sm, .Nd, 0.120 / 0.072, nil, nil, kraikaew, .derived),
    f(.Eu, .Sm, 0.138 / 0.120, nil, nil, kraikaew, .derived),
    f(.Gd, .Eu, 0.174 / 0.138, nil, nil, kraikaew, .derived),
    f(.Y, .Gd, 0.214 / 0.174, nil, nil, kraikaew, .derived),
    f(.Dy, .Y, 0.240 / 0.214, nil, nil, kraikaew, .derived),
  ])

let cyanex272 = ExtractantSystem(
  id: "cyanex272",
  name: "Cyanex 272 (phosphinic acid)",
  order: [], factors: [],
  note: "No verified numbers; selectivity like P507, larger for heavy REs (Liu & Chen 2021). Supply values with --factors.")

let naphthenic = ExtractantSystem(
  id: "naphthenic",
  name: "Naphthenic acid / alcohol / kerosene, pH 3.8-5",
  order: [], factors: [],
  note: "Y has the lowest D of all REEs (Zhang et al. 2016 Table 4.36); adjacent betas not retrieved. Supply values with --factors.")
