import Chemistry
import Quantities
import SupplyChain

/// Why a scenario cannot be simulated.
public struct SimulationError: Error, Sendable, CustomStringConvertible {
  public let diagnostics: Diagnostics
  public var description: String {
    "The scenario has \(diagnostics.errors.count) error(s) and cannot be simulated:\n" + diagnostics.errors.map(\.description).joined(separator: "\n")
  }
}

/// The deterministic monthly engine.
///
/// Each month, in order: shipments due arrive; contractual tolling inputs ship; links ship what
/// destinations pull (process inputs at available capacity, demand, reserve targets — a base-stock
/// rule over each link's lead time), split across origins by their surplus and capped by trade
/// policies and link capacity; tolling returns ship; processes run upstream-to-downstream at the
/// lesser of available capacity and inputs; demand is served by priority, then pro rata; reserves
/// release to cover shortfalls of the sectors they serve and then fill from what is left.
public struct SimulationEngine: Sendable {
  public let scenario: Scenario
  let c: Compiled
  let plan: Plan

  /// Compiles `scenario`; refuses one whose validation has errors.
  public init(scenario: Scenario) throws(SimulationError) {
    let d = scenario.validate()
    guard !d.hasErrors else { throw SimulationError(diagnostics: d) }
    self.scenario = scenario
    self.c = Compiled(scenario)
    self.plan = Plan(c, scenario)
  }

  /// Runs the whole horizon. `checkBalance` computes the element balance of every site-month.
  public func run(variant: String? = nil, checkBalance: Bool = true) -> SimulationResult {
    plan.run(c, scenario: scenario, variant: variant, checkBalance: checkBalance)
  }

  /// A run with `leak` kg removed from one site's stock without a recorded flow (tests of the balance check).
  func run(leak: Leak) -> SimulationResult {
    plan.run(c, scenario: scenario, variant: nil, checkBalance: true, leak: leak)
  }
}

// MARK: - Compiled form: dense indices and per-month tables

struct Compiled: Sendable {
  struct Proc: Sendable {
    var site: Int
    var inputs: [(m: Int, a: Double)]
    var outputs: [(m: Int, a: Double)]
    /// kg of reference per month available, per month.
    var available: [Double]
    /// kg of each element lost per kg of reference.
    var lossPerRef: [Double]
  }

  struct Channel: Sendable {
    var link: Int
    var from: Int
    var to: Int
    var m: Int
    var lead: Int
    var purpose: ShipmentSeries.Purpose
    /// Indices of policies that cover this flow (countries and material), ignoring dates.
    var policies: [Int]
  }

  struct DemandC: Sendable {
    var site: Int
    var m: Int
    var priority: Int
    /// kg required per month.
    var required: [Double]
  }

  struct ReserveC: Sendable {
    var site: Int
    var m: Int
    var target: Double
    var initial: Double
    var fillPerMonth: Double
    var floor: Double
    var fillFromIndex: Int
    var covers: [Int]  // demand indices
  }

  struct AgreementC: Sendable {
    var principal: Int
    var processor: Int
    var input: Int
    var output: Int
    var inputPerMonth: Double?
    var share: Double
    var active: [Bool]
    var inChannel: Int?
    var returnChannel: Int?
    /// Processes at the processor that turn input into output.
    var procs: [Int]
  }

  let T: Int, S: Int, M: Int, E: Int
  let months: [YearMonth]
  let w: [Double]  // M × E
  let procs: [Proc]
  let order: [Int]
  let channels: [Channel]
  let demands: [DemandC]
  let reserves: [ReserveC]
  let agreements: [AgreementC]
  let policyKinds: [TradePolicy.Kind]
  let policyActive: [[Bool]]  // policy × month
  let linkCapacity: [Double?]  // kg per month
  let ring: Int
  /// Demands grouped by (site, material) in first-appearance order: (site × M + material,
  /// demand indices sorted by priority, stable).
  let demandGroups: [(key: Int, demands: [Int])]
  /// For each site, the materials that can ever be stocked or flow there (for the balance check).
  let siteMaterials: [[Int]]
  /// True for sites that process a tolling agreement (where principal-owned stock is held).
  let isProcessor: [Bool]
  // Channel fields as flat arrays (the hot loops read these, not `channels`).
  let chFrom: [Int], chTo: [Int], chM: [Int], chLead: [Int], chLink: [Int]
  let chPolicies: [[Int]]
  /// The agreement whose tolling input a channel carries, or -1.
  let chAgreementIn: [Int]
  /// Indices of market (trade) channels.
  let tradeChannels: [Int]
  /// For each destination (site × M + material) that trade channels serve: its inbound trade
  /// channels in priority tiers (ascending link priority) and the longest inbound lead time.
  let inbound: [(key: Int, maxLead: Int, tiers: [[Int]])]
  /// policy × month, flat.
  let policyOn: [Bool]
  /// Policies covering channel k: polList[polStart[k]..<polStart[k + 1]] (CSR, no nested arrays in the hot loop).
  let polStart: [Int], polList: [Int]
  /// Trade channels under each quota policy p: quotaList[quotaStart[p]..<quotaStart[p + 1]].
  let quotaStart: [Int], quotaList: [Int]
  /// Inbound groups flattened: group g has key inKey[g], lead inLead[g] and tiers
  /// tierStart[inTier[g]..<inTier[g + 1]]; tier j holds tierList[tierStart[j]..<tierStart[j + 1]].
  let inKey: [Int], inLead: [Int], inTier: [Int], tierStart: [Int], tierList: [Int]
  /// Trade channels whose link has a capacity.
  let cappedTrade: [Int]
  /// `siteMaterials` flattened: siteMatList[siteMatStart[s]..<siteMatStart[s + 1]].
  let siteMatStart: [Int], siteMatList: [Int]
  // Processes as flat arrays: inputs of process p are inM/inA[inStart[p]..<inStart[p+1]], likewise outputs.
  let procSite: [Int], inStart: [Int], inM: [Int], inA: [Double], outStart: [Int], outM: [Int], outA: [Double]
  /// kg of reference available, process × month.
  let availFlat: [Double]
  /// kg of element lost per kg reference, process × element.
  let lossFlat: [Double]
  /// True for processes that convert a tolling input.
  let procTolls: [Bool]
  /// kg required per month, demand × month; and each demand's site × M + material.
  let demReq: [Double], demKey: [Int]
  /// Reserves at each site.
  let reservesAt: [[Int]]

  init(_ s: Scenario) {
    let months = s.calendar
    T = months.count
    self.months = months
    S = s.sites.count
    M = s.materials.count
    E = s.elements.count
    var siteIndex: [SiteID: Int] = [:]
    for (i, x) in s.sites.enumerated() { siteIndex[x.id] = i }
    var matIndex: [MaterialID: Int] = [:]
    for (i, x) in s.materials.enumerated() { matIndex[x.id] = i }
    var w = Array(repeating: 0.0, count: M * E)
    for (i, m) in s.materials.enumerated() {
      for (k, e) in s.elements.enumerated() { w[i * E + k] = m.composition.fraction(of: e) }
    }
    self.w = w
    let E = self.E, M = self.M
    let procs: [Proc] = s.processes.map { p in
      let cap = p.capacity * secondsPerMonth
      let ins = p.inputs.compactMap { t in matIndex[t.material].map { ($0, t.amount) } }
      let outs = p.outputs.compactMap { t in matIndex[t.material].map { ($0, t.amount) } }
      var loss = Array(repeating: 0.0, count: E)
      if !ins.isEmpty {
        for k in 0..<E {
          let i = ins.reduce(0.0) { $0 + $1.1 * w[$1.0 * E + k] }
          let o = outs.reduce(0.0) { $0 + $1.1 * w[$1.0 * E + k] }
          loss[k] = max(0, i - o)
        }
      }
      return Proc(
        site: siteIndex[p.site] ?? 0, inputs: ins, outputs: outs,
        available: months.map { cap * p.availability.factor(at: $0) }, lossPerRef: loss)
    }
    self.procs = procs
    // Upstream-to-downstream order (Kahn), ties and cycles in file order.
    var producers: [Int: [Int]] = [:]
    for (i, p) in procs.enumerated() { for o in p.outputs { producers[o.m, default: []].append(i) } }
    var indegree = Array(repeating: 0, count: procs.count)
    var succ = Array(repeating: [Int](), count: procs.count)
    for (j, p) in procs.enumerated() {
      var preds = Set<Int>()
      for inp in p.inputs { for i in producers[inp.m, default: []] where i != j { preds.insert(i) } }
      for i in preds.sorted() {
        succ[i].append(j)
        indegree[j] += 1
      }
    }
    var order: [Int] = []
    var done = Array(repeating: false, count: procs.count)
    while order.count < procs.count {
      if let next = (0..<procs.count).first(where: { !done[$0] && indegree[$0] == 0 }) {
        done[next] = true
        order.append(next)
        for j in succ[next] { indegree[j] -= 1 }
      } else if let next = (0..<procs.count).first(where: { !done[$0] }) {
        done[next] = true  // a cycle: break it in file order
        order.append(next)
        for j in succ[next] { indegree[j] -= 1 }
      }
    }
    self.order = order

    // Which materials each site needs (inputs, demand, reserves) and has (outputs, stocks).
    var needs = Array(repeating: Set<Int>(), count: S)
    var has = Array(repeating: Set<Int>(), count: S)
    for p in procs {
      for i in p.inputs { needs[p.site].insert(i.m) }
      for o in p.outputs { has[p.site].insert(o.m) }
    }
    for d in s.demands { if let si = siteIndex[d.site], let m = matIndex[d.material] { needs[si].insert(m) } }
    for r in s.reserves { if let si = siteIndex[r.site], let m = matIndex[r.material] { needs[si].insert(m) } }
    for (si, x) in s.sites.enumerated() { for st in x.initialStocks { if let m = matIndex[st.material] { has[si].insert(m) } } }
    // Materials reaching a site by links also count as "has" (transit hubs), to a fixed point.
    var changed = true
    while changed {
      changed = false
      for l in s.links {
        guard let a = siteIndex[l.from], let b = siteIndex[l.to] else { continue }
        for m in has[a] where (l.materials.isEmpty || l.materials.contains(s.materials[m].id)) && !has[b].contains(m) {
          has[b].insert(m)
          changed = true
        }
      }
    }
    var linkIndex: [LinkID: Int] = [:]
    for (i, l) in s.links.enumerated() { linkIndex[l.id] = i }
    let countries = s.sites.map(\.country)
    func policiesFor(from: Int, to: Int, m: Int, agreement: AgreementID?) -> [Int] {
      s.policies.indices.filter { k in
        let p = s.policies[k]
        if let a = agreement, p.exemptAgreements.contains(a) { return false }
        return p.appliesTo(origin: countries[from], destination: countries[to]) && p.covers(s.materials[m])
      }
    }
    var channels: [Channel] = []
    for (li, l) in s.links.enumerated() {
      guard let a = siteIndex[l.from], let b = siteIndex[l.to] else { continue }
      let carried = l.materials.isEmpty ? Array(0..<M) : l.materials.compactMap { matIndex[$0] }
      // A principal does not also sell a tolling input to its processor: that flow is the agreement's.
      let tolled = Set(s.agreements.compactMap { ag -> Int? in
        siteIndex[ag.principal] == a && siteIndex[ag.processor] == b ? matIndex[ag.input] : nil
      })
      for m in carried.sorted() where needs[b].contains(m) && has[a].contains(m) && !tolled.contains(m) {
        channels.append(Channel(link: li, from: a, to: b, m: m, lead: l.leadTime, purpose: .trade, policies: policiesFor(from: a, to: b, m: m, agreement: nil)))
      }
    }
    var agreements: [AgreementC] = []
    for ag in s.agreements {
      guard let pr = siteIndex[ag.principal], let pc = siteIndex[ag.processor], let rt = siteIndex[ag.returnTo],
        let mi = matIndex[ag.input], let mo = matIndex[ag.output]
      else { continue }
      func channelFor(_ from: Int, _ to: Int, _ m: Int, _ purpose: ShipmentSeries.Purpose) -> Int? {
        guard let li = s.links.firstIndex(where: { siteIndex[$0.from] == from && siteIndex[$0.to] == to && ($0.materials.isEmpty || $0.materials.contains(s.materials[m].id)) }) else { return nil }
        channels.append(Channel(link: li, from: from, to: to, m: m, lead: s.links[li].leadTime, purpose: purpose, policies: policiesFor(from: from, to: to, m: m, agreement: ag.id)))
        return channels.count - 1
      }
      let inC = channelFor(pr, pc, mi, .tollingInput(ag.id))
      let retC = pc == rt ? nil : channelFor(pc, rt, mo, .tollingReturn(ag.id))
      let ps = procs.indices.filter { procs[$0].site == pc && procs[$0].inputs.contains { $0.m == mi } && procs[$0].outputs.contains { $0.m == mo } }
      agreements.append(
        AgreementC(
          principal: pr, processor: pc, input: mi, output: mo, inputPerMonth: ag.inputRate.map { $0 * secondsPerMonth },
          share: ag.shareReturned, active: months.map { ag.isActive(at: $0) }, inChannel: inC, returnChannel: retC, procs: ps))
    }
    self.channels = channels
    self.agreements = agreements
    demands = s.demands.map { d in
      let kgPerUnitSecond = d.intensity * secondsPerMonth
      return DemandC(
        site: siteIndex[d.site] ?? 0, m: matIndex[d.material] ?? 0, priority: d.priority,
        required: months.enumerated().map { k, ym in d.units(at: ym, monthIndex: k) * kgPerUnitSecond })
    }
    reserves = s.reserves.map { r in
      let si = siteIndex[r.site] ?? 0, m = matIndex[r.material] ?? 0
      let covers = s.demands.indices.filter { k in
        let d = s.demands[k]
        return siteIndex[d.site] == si && matIndex[d.material] == m && (r.releaseTo.isEmpty || r.releaseTo.contains(d.sector))
      }
      let from = r.fillFrom.map { max(0, $0.months(since: s.start)) } ?? 0
      return ReserveC(
        site: si, m: m, target: r.target, initial: r.initial, fillPerMonth: r.fillRate.map { $0 * secondsPerMonth } ?? .infinity,
        floor: r.floor, fillFromIndex: from, covers: covers)
    }
    policyKinds = s.policies.map(\.kind)
    policyActive = s.policies.map { p in months.map { p.isActive(at: $0) } }
    linkCapacity = s.links.map { $0.capacity.map { $0 * secondsPerMonth } }
    var maxDelay = 0
    for k in policyKinds { if case .licence(_, let d) = k { maxDelay = max(maxDelay, d) } }
    ring = (s.links.map(\.leadTime).max() ?? 0) + maxDelay + 2
    var groups: [(key: Int, demands: [Int])] = []
    for (k, d) in demands.enumerated() {
      let key = d.site * M + d.m
      if let g = groups.firstIndex(where: { $0.key == key }) { groups[g].demands.append(k) } else { groups.append((key, [k])) }
    }
    let demandsLocal = self.demands
    demandGroups = groups.map { g in
      (g.key, g.demands.enumerated().sorted { (demandsLocal[$0.element].priority, $0.offset) < (demandsLocal[$1.element].priority, $1.offset) }.map(\.element))
    }
    var touched = Array(repeating: Set<Int>(), count: S)
    for si in 0..<S { touched[si] = needs[si].union(has[si]) }
    for ch in channels {
      touched[ch.from].insert(ch.m)
      touched[ch.to].insert(ch.m)
    }
    siteMaterials = touched.map { $0.sorted() }
    var isProc = Array(repeating: false, count: S)
    for a in agreements { isProc[a.processor] = true }
    isProcessor = isProc
    chFrom = channels.map(\.from)
    chTo = channels.map(\.to)
    chM = channels.map(\.m)
    chLead = channels.map(\.lead)
    chLink = channels.map(\.link)
    chPolicies = channels.map(\.policies)
    chAgreementIn = channels.indices.map { k in agreements.firstIndex { $0.inChannel == k } ?? -1 }
    let trade = channels.indices.filter { channels[$0].purpose == .trade }
    tradeChannels = trade
    var inboundKeys: [Int] = []
    var inboundMap: [Int: [Int]] = [:]
    for k in trade {
      let key = channels[k].to * M + channels[k].m
      if inboundMap[key] == nil { inboundKeys.append(key) }
      inboundMap[key, default: []].append(k)
    }
    inbound = inboundKeys.map { key in
      let ks = inboundMap[key, default: []]
      let priorities = Set(ks.map { s.links[channels[$0].link].priority }).sorted()
      let tiers = priorities.map { p in ks.filter { s.links[channels[$0].link].priority == p } }
      return (key, ks.map { channels[$0].lead }.max() ?? 0, tiers)
    }
    policyOn = policyActive.flatMap { $0 }
    var ps = [0], pl: [Int] = []
    for ch in channels {
      pl += ch.policies
      ps.append(pl.count)
    }
    polStart = ps
    polList = pl
    var qs = [0], ql: [Int] = []
    for (p, kind) in s.policies.map(\.kind).enumerated() {
      if case .quota = kind { ql += trade.filter { channels[$0].policies.contains(p) } }
      qs.append(ql.count)
    }
    quotaStart = qs
    quotaList = ql
    var ik: [Int] = [], ild: [Int] = [], it = [0], ts = [0], tl: [Int] = []
    for g in inbound {
      ik.append(g.key)
      ild.append(g.maxLead)
      for tier in g.tiers {
        tl += tier
        ts.append(tl.count)
      }
      it.append(ts.count - 1)
    }
    inKey = ik
    inLead = ild
    inTier = it
    tierStart = ts
    tierList = tl
    cappedTrade = trade.filter { s.links[channels[$0].link].capacity != nil }
    var sms = [0], sml: [Int] = []
    for l in siteMaterials {
      sml += l
      sms.append(sml.count)
    }
    siteMatStart = sms
    siteMatList = sml
    procSite = procs.map(\.site)
    var ins = [0], inm: [Int] = [], ina: [Double] = [], outs = [0], outm: [Int] = [], outa: [Double] = []
    for p in procs {
      for i in p.inputs { inm.append(i.m); ina.append(i.a) }
      for o in p.outputs { outm.append(o.m); outa.append(o.a) }
      ins.append(inm.count)
      outs.append(outm.count)
    }
    inStart = ins
    inM = inm
    inA = ina
    outStart = outs
    outM = outm
    outA = outa
    availFlat = procs.flatMap(\.available)
    lossFlat = procs.flatMap(\.lossPerRef)
    procTolls = procs.indices.map { pi in agreements.contains { $0.procs.contains(pi) } }
    demReq = demands.flatMap(\.required)
    demKey = demands.map { $0.site * M + $0.m }
    var at = Array(repeating: [Int](), count: S)
    for (r, rc) in reserves.enumerated() { at[rc.site].append(r) }
    reservesAt = at
  }
}
