import ArgumentParser
import Chemistry
import Foundation
import Quantities
import Reports
import ScenarioFormat
import Separation
import SupplyChain

struct SX: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sx",
    abstract: "Solvent-extraction cascades: separation factors, Xu design, rigorous simulation, flowsheets.",
    subcommands: [Factors.self, Design.self, Simulate.self, Flowsheet.self])

  /// Options shared by the commands that use separation factors.
  struct FactorOptions: ParsableArguments {
    @Option(help: "Extractant system id (see `lodestone sx factors`).") var system: String = "p507-hcl"
    @Option(help: "CSV file of overrides: system,pair,beta[,source[,confidence]], e.g. 'p507-hcl,Nd/Pr,1.45'.") var factors: String?

    func table() throws -> FactorTable {
      var t = FactorTable.builtIn
      if let path = factors { try t.applyOverrides(csv: try readText(path), source: path) }
      return t
    }
  }

  struct Factors: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List adjacent-pair separation factors with source and confidence.")
    @OptionGroup var factorOptions: FactorOptions
    @Flag(help: "List every system, not only --system.") var all = false
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

    func run() throws {
      try reportingErrors {
        let table = try factorOptions.table()
        let systems = all ? table.systems : [try table.system(factorOptions.system)]
        var t = Table(title: "Separation factors β = D_more/D_less", columns: ["system", "pair", "beta", "range", "confidence", "source"])
        for s in systems {
          if s.factors.isEmpty { t.append([s.id, "-", "-", "-", "-", s.note]) }
          for f in s.factors {
            let range = f.range.map { "\(formatNumber($0.lowerBound, significantDigits: 3))-\(formatNumber($0.upperBound, significantDigits: 3))" } ?? ""
            t.append([s.id, f.pairName, formatNumber(f.beta, significantDigits: 4), range, f.confidence.rawValue, f.source])
          }
        }
        printTable(t, format)
      }
    }
  }

  /// Feed options shared by design and simulate.
  struct FeedOptions: ParsableArguments {
    @Option(help: "Feed: 'monazite' (Indian monazite REO distribution) or mole amounts 'Pr:25,Nd:75'.") var feed: String?
    @Option(help: "Feed phase: aqueous or organic.") var feedPhase: FeedPhase = .aqueous

    func parse() throws -> (elements: [Element], amounts: [Double]) {
      guard let feed else { throw ValidationError("--feed is required (or a FILE.yaml with 'feed:'), e.g. --feed monazite or --feed 'Pr:25,Nd:75'.") }
      do { return try CutText.feed(feed, name: "--feed") } catch { throw ValidationError(error.description) }
    }
  }

  struct Design: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Design a cut: Xu's flows and stage counts, then the smallest n + m meeting the targets in the rigorous model.")
    @OptionGroup var feedOptions: FeedOptions
    @OptionGroup var factorOptions: FactorOptions
    @Option(help: "The cut, light|heavy, e.g. 'Pr|Nd', 'LaCe|PrNd', 'Nd|Sm'; light|middle|heavy (e.g. 'Sm|Eu|Gd') designs a three-outlet cascade with a side draw.") var cut: String?
    @Option(help: "Purity target for both outlets, e.g. '99.5%' or 0.995.") var purity: String?
    @Option(help: "Purity target of the organic product (heavy side).") var purityOrganic: String?
    @Option(help: "Purity target of the raffinate (light side).") var purityAqueous: String?
    @Option(help: "Recovery target of the heavy group into the organic product, e.g. '99%'.") var recoveryOrganic: String?
    @Option(help: "Recovery target of the light group into the raffinate, e.g. '99%'.") var recoveryAqueous: String?
    @Option(help: "Scrub flow W in mol RE per mol feed RE (default: Xu's optimum).") var scrubFlow: Double?
    @Option(help: "Largest total stage count to try.") var maxStages: Int = 600
    @Option(help: "Three-outlet: purity target of the middle group in the side draw, e.g. '40%'.") var purityDraw: String?
    @Option(help: "Three-outlet: organic RE flow S, mol per mol feed RE.") var organicFlow: Double?
    @Option(name: .customLong("extraction-stages"), help: "Three-outlet: extraction stages n.") var n: Int?
    @Option(name: .customLong("scrub-stages"), help: "Three-outlet: scrub stages m.") var m: Int?
    @Option(help: "Directory for profile.csv/json, outlets.csv, composition.svg and mccabe-thiele.svg.") var out: String?
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
    @Argument(help: "A YAML file whose keys are these flags (e.g. cut: 'Pr|Nd'); flags given here override it.") var file: String?

    static let fileKeys = [
      "feed", "feed-phase", "system", "factors", "cut", "purity", "purity-organic", "purity-aqueous", "recovery-organic",
      "recovery-aqueous", "scrub-flow", "max-stages", "purity-draw", "organic-flow", "extraction-stages", "scrub-stages", "out", "format",
    ]

    func run() throws {
      if let file { return try runWithInputFile(Self.self, file: file, command: "design", keys: Self.fileKeys) }
      try reportingErrors {
        let (els, amounts) = try feedOptions.parse()
        guard let cut else { throw ValidationError("--cut is required (or a FILE.yaml with 'cut:'), e.g. --cut 'Pr|Nd'.") }
        let system = try factorOptions.table().system(factorOptions.system)
        let alpha = try system.extractabilities(for: els)
        if cut.split(separator: "|", omittingEmptySubsequences: false).count == 3 {
          try runThreeOutlet(els, amounts, alpha, system)
          return
        }
        let (_, heavyKey) = try parseCut(cut, elements: els, alpha: alpha)
        let pO = try (purityOrganic ?? purity).map { try parsePurity($0, flag: "--purity-organic") }
        let pA = try (purityAqueous ?? purity).map { try parsePurity($0, flag: "--purity-aqueous") }
        let rO = try recoveryOrganic.map { try parsePurity($0, flag: "--recovery-organic") }
        let rA = try recoveryAqueous.map { try parsePurity($0, flag: "--recovery-aqueous") }
        guard [pO, pA, rO, rA].compactMap({ $0 }).count >= 2 else {
          throw ValidationError("sx design needs two targets or more: --purity, or --purity-organic/--purity-aqueous/--recovery-organic/--recovery-aqueous (e.g. --purity-organic 99.9% --recovery-organic 99%).")
        }
        let req = try CutRequest(
          elements: els, extractabilities: alpha, feed: amounts, firstHeavy: heavyKey, purityOrganic: pO, purityAqueous: pA,
          recoveryOrganic: rO, recoveryAqueous: rA, feedPhase: feedOptions.feedPhase, scrubFlow: scrubFlow, maxStages: maxStages)
        let d = try designCut(req)
        let t = SeparationCharts.designTable(d, system: system)
        printTable(t, format)
        if let out {
          try writeCascadeFiles(d.result, heavy: d.request.heavyKey ?? 0, light: d.request.lightKey ?? 0, title: "\(cut) cut", to: out)
          try writeOutput(t.renderCSV(), to: out, name: "design.csv")
          try writeOutput(t.renderJSON(), to: out, name: "design.json")
        }
      }
    }

    /// light|middle|heavy: choose the draw stage and flows for given S, n, m.
    func runThreeOutlet(_ els: [Element], _ amounts: [Double], _ alpha: [Double], _ system: ExtractantSystem) throws {
      let cut = self.cut ?? ""
      let parts = cut.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
      let (_, middleKey) = try parseCut(parts[0] + "|" + parts[1], elements: els, alpha: alpha)
      let (_, heavyKey) = try parseCut(parts[1] + "|" + parts[2], elements: els, alpha: alpha)
      guard let organicFlow, let n, let m else {
        throw ValidationError("A three-outlet design ('light|middle|heavy') needs --organic-flow, --extraction-stages and --scrub-stages.")
      }
      guard let draw = purityDraw, let pO = purityOrganic ?? purity, let pA = purityAqueous ?? purity else {
        throw ValidationError("A three-outlet design needs --purity-draw and the outlet purities (--purity, or --purity-organic and --purity-aqueous).")
      }
      let req = try ThreeOutletRequest(
        elements: els, extractabilities: alpha, feed: amounts, firstMiddle: middleKey, firstHeavy: heavyKey,
        purityOrganic: try parsePurity(pO, flag: "--purity-organic"), purityAqueous: try parsePurity(pA, flag: "--purity-aqueous"),
        recoveryAqueous: try recoveryAqueous.map { try parsePurity($0, flag: "--recovery-aqueous") },
        purityDraw: try parsePurity(draw, flag: "--purity-draw"), organicFlow: organicFlow, extractionStages: n, scrubStages: m)
      let d = try designThreeOutlet(req)
      let t = SeparationCharts.threeOutletTable(d, system: system)
      printTable(t, format)
      if let out {
        try writeCascadeFiles(d.result, heavy: els.firstIndex(of: heavyKey) ?? 0, light: els.firstIndex(of: middleKey) ?? 0, title: "\(cut) three-outlet", to: out)
        try writeOutput(t.renderCSV(), to: out, name: "design.csv")
        try writeOutput(t.renderJSON(), to: out, name: "design.json")
      }
    }
  }

  struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Simulate a given cascade at steady state: stage profile and outlets.")
    @OptionGroup var feedOptions: FeedOptions
    @OptionGroup var factorOptions: FactorOptions
    @Option(help: "Relative extractabilities instead of a system, e.g. 'Gd:2.8,Eu:2,Sm:1'.") var alpha: String?
    @Option(name: .customLong("extraction-stages"), help: "Extraction stages n.") var n: Int?
    @Option(name: .customLong("scrub-stages"), help: "Scrub stages m.") var m: Int?
    @Option(help: "Organic RE flow S, mol per mol feed RE.") var organicFlow: Double?
    @Option(help: "Scrub RE flow W, mol per mol feed RE.") var scrubFlow: Double?
    @Option(help: "Aqueous side draw 'stage:flow' (repeatable), e.g. 30:0.2492.") var draw: [String] = []
    @Option(help: "Key pair for the McCabe–Thiele plot, light|heavy (default: the pair across the largest outlet split).") var keys: String?
    @Flag(help: "Print the stage profile instead of the outlets.") var profile = false
    @Option(help: "Directory for profile.csv/json, outlets.csv, composition.svg and mccabe-thiele.svg.") var out: String?
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
    @Argument(help: "A YAML file whose keys are these flags (e.g. extraction-stages: 18, draw: ['30:0.2492']); flags given here override it.") var file: String?

    static let fileKeys = [
      "feed", "feed-phase", "system", "factors", "alpha", "extraction-stages", "scrub-stages", "organic-flow", "scrub-flow", "draw",
      "keys", "profile", "out", "format",
    ]

    func run() throws {
      if let file { return try runWithInputFile(Self.self, file: file, command: "simulate", keys: Self.fileKeys) }
      try reportingErrors {
        let (els, amounts) = try feedOptions.parse()
        guard let n, let m, let organicFlow, let scrubFlow else {
          throw ValidationError("sx simulate needs --extraction-stages, --scrub-stages, --organic-flow and --scrub-flow (or a FILE.yaml with them).")
        }
        var al: [Double]
        if let alpha {
          var map: [Element: Double] = [:]
          for part in alpha.split(separator: ",") {
            let kv = part.split(separator: ":").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, let e = Element(symbol: kv[0]), let v = Double(kv[1]) else {
              throw ValidationError("--alpha entries must be 'Symbol:value' (e.g. 'Gd:2.8,Eu:2,Sm:1'); got '\(part)'.")
            }
            map[e] = v
          }
          al = try els.map { e in
            guard let v = map[e] else { throw DataError("--alpha must give every feed element; got none for '\(e.symbol)'.") }
            return v
          }
        } else {
          al = try factorOptions.table().system(factorOptions.system).extractabilities(for: els)
        }
        var draws: [SideDraw] = []
        for d in draw {
          let kv = d.split(separator: ":")
          guard kv.count == 2, let st = Int(kv[0]), let fl = Double(kv[1]) else {
            throw ValidationError("--draw must be 'stage:flow' (e.g. 30:0.2492); got '\(d)'.")
          }
          draws.append(SideDraw(stage: st, flow: fl))
        }
        let spec = try CascadeSpec(
          elements: els, extractabilities: al, feed: amounts, extractionStages: n, scrubStages: m, feedPhase: feedOptions.feedPhase,
          organicFlow: organicFlow, scrubFlow: scrubFlow, draws: draws)
        let r = try simulateCascade(spec)
        let t = profile ? SeparationCharts.profileTable(r) : SeparationCharts.outletTable(r)
        printTable(t, format)
        if format == .table {
          print("solver: \(r.iterations) sweeps; max stage element-balance residual \(formatNumber(r.balanceResidual, significantDigits: 3)); max |Σx − 1| \(formatNumber(r.closureResidual, significantDigits: 3))")
        }
        if let out {
          var h = 0
          var l = 0
          if let keys {
            let (_, hk) = try parseCut(keys, elements: els, alpha: al)
            h = els.firstIndex(of: hk) ?? 0
            l = els.indices.filter { al[$0] < al[h] }.max { al[$0] < al[$1] } ?? 0
          } else {
            let order = els.indices.sorted { al[$0] < al[$1] }
            // The adjacent pair across which the organic product and raffinate differ most.
            var best = -1.0
            for j in 0..<(order.count - 1) {
              let a = order[j + 1]
              let b = order[j]
              let score = abs(r.organicProduct.elementFlows[a] - r.raffinate.elementFlows[a]) + abs(r.raffinate.elementFlows[b] - r.organicProduct.elementFlows[b])
              if score > best {
                best = score
                h = a
                l = b
              }
            }
          }
          try writeCascadeFiles(r, heavy: h, light: l, title: "cascade \(n)+\(m)", to: out)
        }
      }
    }
  }

  struct Flowsheet: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Design a train of cascades for a full feed and size the plant (stages, organic inventory, mixer-settler volume).")
    @OptionGroup var factorOptions: FactorOptions
    @Option(help: "Mixed RE chloride throughput, e.g. '5500 t/yr' (IREL Aluva).") var chloride: String?
    @Option(help: "REO fraction of the chloride (default 0.4545: 11,000 t MRECl ≈ 5,000 t REO, PIB 2015).") var reoFraction: Double = SeparationFeeds.irelChlorideREOFraction
    @Option(help: "REO throughput instead of --chloride, e.g. '2500 t/yr'.") var reo: String?
    @Option(help: "Cuts as light|heavy[@purity], comma-separated (default: Nd|Sm,Ce|Pr,La|Ce,Pr|Nd@99.5%).") var cuts: String?
    @Option(help: "Organic RE loading in mol/L.") var organicLoading: Double = 0.17
    @Option(help: "Aqueous RE concentration in mol/L.") var aqueousConcentration: Double = 1.0
    @Option(help: "Mixer residence time in minutes.") var mixerMinutes: Double = 5
    @Option(help: "Settler residence time in minutes.") var settlerMinutes: Double = 20
    @Option(help: "Directory for cascades.csv/json and products.csv/json.") var out: String?
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
    @Argument(help: "A YAML file whose keys are these flags (e.g. cuts: ['Nd|Sm', 'Pr|Nd@99.5%']); flags given here override it.") var file: String?

    static let fileKeys = [
      "system", "factors", "chloride", "reo-fraction", "reo", "cuts", "organic-loading", "aqueous-concentration", "mixer-minutes",
      "settler-minutes", "out", "format",
    ]

    func run() throws {
      if let file { return try runWithInputFile(Self.self, file: file, command: "flowsheet", keys: Self.fileKeys) }
      try reportingErrors {
        let system = try factorOptions.table().system(factorOptions.system)
        let reoFlow: Double
        if let reo {
          reoFlow = try Quantity.parse(reo, as: .massRate).si
        } else {
          guard reoFraction > 0, reoFraction <= 1 else { throw ValidationError("--reo-fraction must be in (0, 1]; got \(reoFraction).") }
          reoFlow = try Quantity.parse(chloride ?? "5500 t/yr", as: .massRate).si * reoFraction
        }
        let feed = SeparationFeeds.indianMonaziteREO
        let elements = try system.sortedByExtractability(feed.map(\.element))
        let alpha = try system.extractabilities(for: elements)
        var cutList = FlowsheetCut.monaziteTrain
        if let cuts {
          cutList = []
          for c in cuts.split(separator: ",") {
            let parts = c.split(separator: "@").map(String.init)
            let (_, hk) = try parseCut(parts[0], elements: elements, alpha: alpha)
            let p = parts.count > 1 ? try parsePurity(parts[1], flag: "--cuts") : 0.999
            cutList.append(FlowsheetCut(firstHeavy: hk, purityOrganic: p, purityAqueous: p))
          }
        }
        let plant = PlantParameters(
          reoMassFlow: reoFlow, organicLoading: organicLoading * 1000, aqueousConcentration: aqueousConcentration * 1000,
          mixerResidenceTime: mixerMinutes * 60, settlerResidenceTime: settlerMinutes * 60)
        let f = try designFlowsheet(feed: feed, system: system, cuts: cutList, plant: plant)
        let ct = flowsheetCascadeTable(f)
        let pt = flowsheetProductTable(f)
        switch format {
        case .table:
          print(ct.renderText())
          print(pt.renderText())
          print(
            "Total: \(f.totalStages) stages (extraction + scrub; stripping not included), organic inventory \(formatNumber(f.organicInventory, significantDigits: 4)) m³, mixer-settler volume \(formatNumber(f.mixerSettlerVolume, significantDigits: 4)) m³ for \(formatNumber(reoFlow * secondsPerYear / 1000, significantDigits: 5)) t/yr REO."
          )
        case .csv: print(ct.renderCSV(), terminator: "")
        case .json:
          print(
            "{\"total_stages\":\(f.totalStages),\"organic_inventory_m3\":\(formatNumber(f.organicInventory, significantDigits: 8)),\"mixer_settler_volume_m3\":\(formatNumber(f.mixerSettlerVolume, significantDigits: 8)),\"reo_t_per_yr\":\(formatNumber(reoFlow * secondsPerYear / 1000, significantDigits: 8)),\"cascades\":\(ct.renderJSON().trimmingCharacters(in: .whitespacesAndNewlines)),\"products\":\(pt.renderJSON().trimmingCharacters(in: .whitespacesAndNewlines))}"
          )
        }
        if let out {
          try writeOutput(ct.renderCSV(), to: out, name: "cascades.csv")
          try writeOutput(ct.renderJSON(), to: out, name: "cascades.json")
          try writeOutput(pt.renderCSV(), to: out, name: "products.csv")
          try writeOutput(pt.renderJSON(), to: out, name: "products.json")
        }
      }
    }
  }
}

extension FeedPhase: ExpressibleByArgument {}

/// Runs `C` with the flags a YAML input file stands for (``CommandInputFile``), followed by the
/// flags given on the command line (which win). Shape errors, and value errors that name a flag,
/// are reported at the key's file:line:column with the offending line; exit 65.
private func runWithInputFile<C: ParsableCommand>(_: C.Type, file: String, command: String, keys: [String]) throws {
  let text = try readText(file)
  let (entries, diagnostics) = CommandInputFile.read(text: text, file: file, keys: keys)
  let renderer = DiagnosticRenderer(sources: [file: text])
  func located(_ message: String) -> Error {
    // The longest key the message names (--purity-organic before --purity).
    guard let e = entries.filter({ message.contains("--\($0.key)") }).max(by: { $0.key.count < $1.key.count }) else {
      return DataError("\(file): " + message)
    }
    // A flag given on the command line, not in the file, has no place in it.
    if CommandLine.arguments.contains(where: { $0 == "--\(e.key)" || $0.hasPrefix("--\(e.key)=") }) {
      return DataError(message)
    }
    printError(renderer.render(Diagnostics([Diagnostic(.error, "bad-value", message, location: e.location)])))
    return Exit.data
  }
  try reportingErrors {
    if diagnostics.hasErrors {
      printError(renderer.render(diagnostics))
      throw DataError("\(file): \(diagnostics.errors.count) error(s); nothing was run.")
    }
    var argv: [String] = []
    for e in entries {
      // A list given to a comma-separated option (flowsheet cuts) is one value; a flag is bare.
      if e.key == "cuts" {
        argv += ["--cuts", e.values.joined(separator: ",")]
      } else if e.key == "profile" {
        if e.values == ["true"] { argv.append("--profile") }
      } else {
        for v in e.values { argv += ["--\(e.key)", v] }
      }
    }
    let given = Array(CommandLine.arguments.drop { $0 != command }.dropFirst()).filter { $0 != file }
    var cmd: C
    do {
      cmd = try C.parse(argv + given)
    } catch {
      throw located(C.message(for: error))
    }
    do {
      try InputFileRun.$active.withValue(true) { try cmd.run() }
    } catch let e as ValidationError {
      throw located(e.message)
    } catch let e as DataError where !e.message.hasPrefix(file) {
      throw located(e.message)
    }
  }
}

/// Parses "99.5%", "99.5 %" or "0.995" into a fraction in (0, 1), as a usage error naming the flag.
private func parsePurity(_ text: String, flag: String) throws -> Double {
  do { return try CutText.purity(text, name: flag) } catch { throw ValidationError(error.description) }
}

/// Parses a cut "light|heavy" against the feed: malformed text is a usage error, elements that do not fit the feed a data error.
private func parseCut(_ text: String, elements: [Element], alpha: [Double]) throws -> ([Element], Element) {
  let (light, heavy): ([Element], [Element])
  do { (light, heavy) = try CutText.sides(text, name: "--cut") } catch { throw ValidationError(error.description) }
  do { return (light, try CutText.heavyKey(text, light: light, heavy: heavy, elements: elements, alpha: alpha)) } catch { throw DataError("--cut: \(error.description)") }
}

private func g(_ x: Double, _ d: Int = 6) -> String { formatNumber(x, significantDigits: d) }
private func pct(_ x: Double) -> String { fixedFormat(x * 100, decimals: 4) }

private func writeCascadeFiles(_ r: CascadeResult, heavy: Int, light: Int, title: String, to dir: String) throws {
  let p = SeparationCharts.profileTable(r)
  let o = SeparationCharts.outletTable(r)
  try writeOutput(p.renderCSV(), to: dir, name: "profile.csv")
  try writeOutput(p.renderJSON(), to: dir, name: "profile.json")
  try writeOutput(o.renderCSV(), to: dir, name: "outlets.csv")
  try writeOutput(o.renderJSON(), to: dir, name: "outlets.json")
  try writeOutput(SeparationCharts.compositionProfile(r, title: "Aqueous composition, \(title)").render(), to: dir, name: "composition.svg")
  if heavy != light {
    try writeOutput(SeparationCharts.mcCabeThiele(r, heavy: heavy, light: light, title: "McCabe–Thiele, \(title)").render(), to: dir, name: "mccabe-thiele.svg")
  }
}

private func flowsheetCascadeTable(_ f: FlowsheetResult) -> Table {
  var t = Table(
    title: "Cascades (flows per mol feed RE of each cascade; volumes in m³)",
    columns: ["cascade", "feed", "cut", "beta", "S", "W", "n", "m", "stages", "purity_organic_pct", "purity_raffinate_pct", "organic_inventory_m3", "mixer_settler_m3"])
  for (j, c) in f.cascades.enumerated() {
    let d = c.design
    t.append([
      String(j + 1), c.feed.name, "\(c.raffinate.name)|\(c.organicProduct.name)", g(d.xu.input.beta, 4), g(d.xu.organicFlow, 5), g(d.xu.scrubFlow, 5),
      String(d.extractionStages), String(d.scrubStages), String(d.totalStages), pct(d.purityOrganic), pct(d.purityAqueous),
      g(c.organicInventory, 5), g(c.mixerSettlerVolume, 5),
    ])
  }
  return t
}

private func flowsheetProductTable(_ f: FlowsheetResult) -> Table {
  var t = Table(title: "Products (as reference oxide)", columns: ["product", "oxide_t_per_yr", "member_purity_pct"])
  for p in f.products {
    t.append([p.name, g(f.oxideMassFlow(p) * secondsPerYear / 1000, 5), pct(f.purity(p))])
  }
  return t
}
