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

  /// Compiles `scenario`; refuses one whose validation has errors.
  public init(scenario: Scenario) throws(SimulationError) {
    let d = scenario.validate()
    guard !d.hasErrors else { throw SimulationError(diagnostics: d) }
    self.scenario = scenario
    self.c = Compiled(scenario)
  }

  /// Runs the whole horizon. `checkBalance` computes the element balance of every site-month.
  public func run(variant: String? = nil, checkBalance: Bool = true) -> SimulationResult {
    var state = State(c)
    return state.run(scenario: scenario, variant: variant, checkBalance: checkBalance)
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

// MARK: - Mutable state of one run

struct State {
  let c: Compiled
  var stock: [Double]  // S × M
  var pipe: [Double]  // channel × ring
  var inTransit: [Double]  // S × M
  var reserveLevel: [Double]
  var tollInput: [Double]  // principal's input held at the processor
  var tollOwed: [Double]  // output owed to the principal, held at the processor

  init(_ c: Compiled) {
    self.c = c
    stock = Array(repeating: 0, count: c.S * c.M)
    pipe = Array(repeating: 0, count: c.channels.count * c.ring)
    inTransit = Array(repeating: 0, count: c.S * c.M)
    reserveLevel = c.reserves.map(\.initial)
    tollInput = Array(repeating: 0, count: c.agreements.count)
    tollOwed = Array(repeating: 0, count: c.agreements.count)
    linkTotal = Array(repeating: 0, count: c.linkCapacity.count)
  }

  /// kg at site `s` of material `m` that belong to a tolling principal (not the site's to sell or use freely).
  func held(_ s: Int, _ m: Int) -> Double {
    guard c.isProcessor[s] else { return 0 }
    var h = 0.0
    for (a, ag) in c.agreements.enumerated() where ag.processor == s {
      if ag.output == m { h += tollOwed[a] }
      if ag.input == m { h += tollInput[a] }
    }
    return h
  }

  mutating func run(scenario: Scenario, variant: String?, checkBalance: Bool) -> SimulationResult {
    let T = c.T, S = c.S, M = c.M, E = c.E
    let nCh = c.channels.count
    for (si, site) in scenario.sites.enumerated() {
      for st in site.initialStocks {
        if let m = scenario.materials.firstIndex(where: { $0.id == st.material }) { stock[si * M + m] += st.mass }
      }
    }
    // Result arrays.
    var activity = Array(repeating: 0.0, count: T * c.procs.count)
    var lossRec = Array(repeating: 0.0, count: T * E * c.procs.count)
    var shipped = Array(repeating: 0.0, count: T * nCh)
    var delivered = Array(repeating: 0.0, count: T * nCh)
    var blocked = Array(repeating: 0.0, count: T * nCh)
    var stockRec = Array(repeating: 0.0, count: T * S * M)
    var reqRec = Array(repeating: 0.0, count: T * S * M)
    var met = Array(repeating: 0.0, count: T * c.demands.count)
    var fromReserve = Array(repeating: 0.0, count: T * c.demands.count)
    var resLevel = Array(repeating: 0.0, count: T * c.reserves.count)
    var resFill = resLevel, resRelease = resLevel
    let zerosA = Array(repeating: 0.0, count: T * c.agreements.count)
    var tInShip = zerosA, tConv = zerosA, tMade = zerosA, tOwed = zerosA, tFee = zerosA, tRet = zerosA

    // Balance bookkeeping per month (material level, converted to elements at month end).
    var flowIn = Array(repeating: 0.0, count: S * M)  // arrivals + production
    var flowOut = Array(repeating: 0.0, count: S * M)  // shipments + consumption + demand served
    var opening = Array(repeating: 0.0, count: S * M)
    var resOpen = Array(repeating: 0.0, count: c.reserves.count)
    var maxAbs = 0.0, maxRel = 0.0, checked = 0
    var worst: (Int, Int, Int)?

    var req = Array(repeating: 0.0, count: S * M)
    var surplus = Array(repeating: 0.0, count: S * M)
    var request = Array(repeating: 0.0, count: nCh)
    var allowed = Array(repeating: 0.0, count: nCh)
    var delayOf = Array(repeating: 0, count: nCh)
    var outgoing = Array(repeating: 0.0, count: S * M)

    for t in 0..<T {
      if checkBalance {
        opening = stock
        for r in c.reserves.indices { resOpen[r] = reserveLevel[r] }
        for i in flowIn.indices { flowIn[i] = 0; flowOut[i] = 0 }
      }
      // 1. Arrivals.
      let slot = t % c.ring
      for k in 0..<nCh {
        let x = pipe[k * c.ring + slot]
        guard x != 0 else { continue }
        pipe[k * c.ring + slot] = 0
        let i = c.chTo[k] * M + c.chM[k]
        stock[i] += x
        inTransit[i] -= x
        delivered[k * T + t] += x
        if checkBalance { flowIn[i] += x }
        if c.chAgreementIn[k] >= 0 { tollInput[c.chAgreementIn[k]] += x }
      }
      // 2. Requirements this month.
      for i in req.indices { req[i] = 0 }
      for pi in 0..<c.procSite.count {
        let avail = c.availFlat[pi * T + t]
        guard avail > 0 else { continue }
        let base = c.procSite[pi] * M
        for j in c.inStart[pi]..<c.inStart[pi + 1] { req[base + c.inM[j]] += avail * c.inA[j] }
      }
      for k in 0..<c.demKey.count { req[c.demKey[k]] += c.demReq[k * T + t] }
      for (r, rc) in c.reserves.enumerated() where t >= rc.fillFromIndex {
        req[rc.site * M + rc.m] += min(max(0, rc.target - reserveLevel[r]), rc.fillPerMonth)
      }
      for i in req.indices { reqRec[i * T + t] = req[i] }
      // Surplus at origins: stock beyond this month's own requirement and what belongs to principals.
      for s in 0..<S {
        let isProcessor = c.isProcessor[s]
        for x in c.siteMatStart[s]..<c.siteMatStart[s + 1] {
          let m = c.siteMatList[x]
          let i = s * M + m
          surplus[i] = max(0, stock[i] - req[i] - (isProcessor ? held(s, m) : 0))
        }
      }
      // 3a. Contractual tolling inputs (agreements with an input rate) ship first.
      for a in c.agreements.indices where c.agreements[a].active[t] && c.agreements[a].inputPerMonth != nil {
        let ag = c.agreements[a]
        shipTolling(a, ag, t, &surplus, &shipped, &blocked, &tInShip, &flowOut, checkBalance)
      }
      // 3b. Trade: each destination pulls a base stock covering its longest inbound lead time,
      // from its preferred links first (priority tiers), pro rata within a tier to what each
      // origin may ship after policy.
      for k in c.tradeChannels {
        var f = 1.0
        var delay = 0
        for j in c.polStart[k]..<c.polStart[k + 1] where c.policyOn[c.polList[j] * T + t] {
          switch c.policyKinds[c.polList[j]] {
          case .ban: f = 0
          case .licence(let approval, let d):
            f *= approval
            delay = max(delay, d)
          case .quota: break
          }
        }
        delayOf[k] = delay
        allowed[k] = f
        request[k] = 0
      }
      for g in 0..<c.inKey.count {
        let di = c.inKey[g]
        let tiers = c.inTier[g]..<c.inTier[g + 1]
        // The base stock covers the longest inbound pipeline, licence delays included.
        var lead = c.inLead[g]
        for j in tiers {
          for x in c.tierStart[j]..<c.tierStart[j + 1] {
            let k = c.tierList[x]
            if delayOf[k] > 0 { lead = max(lead, c.chLead[k] + delayOf[k]) }
          }
        }
        var remaining = max(0, req[di] * Double(lead + 1) - stock[di] - inTransit[di])
        for j in tiers {
          guard remaining > 0 else { break }
          let members = c.tierStart[j]..<c.tierStart[j + 1]
          var potSum = 0.0, rawSum = 0.0
          for x in members {
            let k = c.tierList[x]
            let raw = surplus[c.chFrom[k] * M + c.chM[k]]
            potSum += raw * allowed[k]
            rawSum += raw
          }
          var taken = 0.0
          for x in members {
            let k = c.tierList[x]
            let raw = surplus[c.chFrom[k] * M + c.chM[k]]
            let pot = raw * allowed[k]
            request[k] = potSum > 0 ? min(pot, remaining * pot / potSum) : 0
            taken += request[k]
            // What the destination would have asked of this origin without policy.
            if allowed[k] < 1, c.polStart[k + 1] > c.polStart[k] {
              let wanted = rawSum > 0 ? min(raw, remaining * raw / rawSum) : 0
              blocked[k * T + t] = max(0, wanted - request[k])
            }
          }
          remaining = max(0, remaining - taken)
        }
      }
      applyQuotasAndCapacity(t, &request, &blocked)
      // Origins cannot ship more than their surplus.
      for k in c.tradeChannels { outgoing[c.chFrom[k] * M + c.chM[k]] = 0 }
      for k in c.tradeChannels { outgoing[c.chFrom[k] * M + c.chM[k]] += request[k] }
      for k in c.tradeChannels {
        let oi = c.chFrom[k] * M + c.chM[k]
        let x = outgoing[oi] > surplus[oi] && outgoing[oi] > 0 ? request[k] * surplus[oi] / outgoing[oi] : request[k]
        guard x > 0 else { continue }
        dispatch(k, x, t, delay: delayOf[k])
        shipped[(k) * c.T + t] += x
        if checkBalance { flowOut[oi] += x }
      }
      for k in c.tradeChannels {
        let oi = c.chFrom[k] * M + c.chM[k]
        if outgoing[oi] > 0 {
          surplus[oi] = max(0, surplus[oi] - outgoing[oi])
          outgoing[oi] = 0
        }
      }
      // 3c. Tolling inputs without a contract rate take what surplus is left.
      for a in c.agreements.indices where c.agreements[a].active[t] && c.agreements[a].inputPerMonth == nil {
        let ag = c.agreements[a]
        shipTolling(a, ag, t, &surplus, &shipped, &blocked, &tInShip, &flowOut, checkBalance)
      }
      // 3d. Tolling returns: what is owed ships back.
      for (a, ag) in c.agreements.enumerated() {
        guard let k = ag.returnChannel, tollOwed[a] > 0 else { continue }
        let oi = ag.processor * M + ag.output
        let (x, delay) = throughPolicies(k, t, min(tollOwed[a], stock[oi]), &blocked)
        guard x > 0 else { continue }
        tollOwed[a] -= x
        dispatch(k, x, t, delay: delay)
        shipped[(k) * c.T + t] += x
        tRet[(a) * c.T + t] += x
        if checkBalance { flowOut[oi] += x }
      }
      // Same-month deliveries (lead time 0, no licence delay).
      for (k, x) in pendingSameMonth {
        let ch = c.channels[k]
        stock[c.chTo[k] * M + c.chM[k]] += x
        delivered[(k) * c.T + t] += x
        if checkBalance { flowIn[c.chTo[k] * M + c.chM[k]] += x }
        if case .tollingInput = ch.purpose, let a = c.agreements.firstIndex(where: { $0.inChannel == k }) { tollInput[a] += x }
      }
      pendingSameMonth.removeAll(keepingCapacity: true)
      // 4. Production, upstream first.
      for pi in c.order {
        var x = c.availFlat[pi * T + t]
        guard x > 0 else { continue }
        let base = c.procSite[pi] * M
        let ins = c.inStart[pi]..<c.inStart[pi + 1], outs = c.outStart[pi]..<c.outStart[pi + 1]
        for j in ins {
          let i = base + c.inM[j]
          x = min(x, max(0, stock[i] - (c.agreements.isEmpty ? 0 : heldInput(c.procSite[pi], c.inM[j], pi))) / c.inA[j])
        }
        guard x > 0 else { continue }
        if c.procTolls[pi] {
          // Tolled share of this run: pro rata to the principal's share of each tolled input.
          for a in c.agreements.indices where c.agreements[a].procs.contains(pi) && tollInput[a] > 0 {
            let ag = c.agreements[a]
            guard let jIn = ins.first(where: { c.inM[$0] == ag.input }), let jOut = outs.first(where: { c.outM[$0] == ag.output }) else { continue }
            let i = base + ag.input
            let used = x * c.inA[jIn]
            let principal = min(tollInput[a], stock[i] > 0 ? used * tollInput[a] / stock[i] : 0)
            tollInput[a] -= principal
            let made = principal / c.inA[jIn] * c.outA[jOut]
            tConv[a * T + t] += principal
            tMade[a * T + t] += made
            tOwed[a * T + t] += made * ag.share
            tFee[a * T + t] += made * (1 - ag.share)
            tollOwed[a] += made * ag.share
          }
        }
        for j in ins {
          let i = base + c.inM[j]
          stock[i] = max(0, stock[i] - x * c.inA[j])
          if checkBalance { flowOut[i] += x * c.inA[j] }
        }
        for j in outs {
          let i = base + c.outM[j]
          stock[i] += x * c.outA[j]
          if checkBalance { flowIn[i] += x * c.outA[j] }
        }
        activity[pi * T + t] = x
        for e in 0..<E {
          let l = c.lossFlat[pi * E + e]
          if l != 0 { lossRec[(pi * E + e) * T + t] = x * l }
        }
      }
      // 5. Demand by priority, then pro rata; 6. reserves release, then fill.
      serveDemand(t, &met, &fromReserve, &resRelease, &flowOut, checkBalance)
      for (r, rc) in c.reserves.enumerated() where t >= rc.fillFromIndex {
        let i = rc.site * M + rc.m
        let room = max(0, rc.target - reserveLevel[r])
        let x = min(room, rc.fillPerMonth, max(0, stock[i] - held(rc.site, rc.m)))
        guard x > 0 else { continue }
        stock[i] -= x
        reserveLevel[r] += x
        resFill[(r) * c.T + t] += x
      }
      for i in stock.indices { stockRec[i * T + t] = stock[i] }
      for r in c.reserves.indices { resLevel[r * T + t] = reserveLevel[r] }
      // 7. Element balance of every site this month.
      if checkBalance {
        for s in 0..<S {
          let mats = c.siteMatStart[s]..<c.siteMatStart[s + 1]
          for e in 0..<E {
            var delta = 0.0, through = 0.0, net = 0.0
            for x in mats {
              let m = c.siteMatList[x]
              let wv = c.w[m * E + e]
              guard wv != 0 else { continue }
              let i = s * M + m
              delta += wv * (stock[i] - opening[i])
              net += wv * (flowIn[i] - flowOut[i])
              through += wv * (flowIn[i] + flowOut[i] + opening[i])
            }
            for r in c.reservesAt[s] {
              let wv = c.w[c.reserves[r].m * E + e]
              delta += wv * (reserveLevel[r] - resOpen[r])
              through += wv * resOpen[r]
            }
            // Process losses leave the site: production − consumption already nets them out.
            let residual = delta - net
            let rel = through > 0 ? abs(residual) / through : 0
            checked += 1
            if abs(residual) > maxAbs { maxAbs = abs(residual) }
            if rel > maxRel {
              maxRel = rel
              worst = (s, t, e)
            }
          }
        }
      }
    }

    // Assemble the result.
    let sc = scenario
    let procSeries: [ProcessSeries] = sc.processes.enumerated().map { pi, p in
      let cp = c.procs[pi]
      return ProcessSeries(
        process: p.id, name: p.name, site: p.site, country: sc.sites[cp.site].country, stage: p.stage, reference: p.reference,
        activity: Array(activity[(pi) * T..<(pi + 1) * T]), available: cp.available,
        inputs: p.inputs.map { t in (t.material, Array(activity[(pi) * T..<(pi + 1) * T]).map { $0 * t.amount }) },
        outputs: p.outputs.map { t in (t.material, Array(activity[(pi) * T..<(pi + 1) * T]).map { $0 * t.amount }) },
        losses: (0..<E).map { e in Array(lossRec[(pi * E + e) * T..<(pi * E + e + 1) * T]) })
    }
    let shipSeries: [ShipmentSeries] = c.channels.enumerated().map { k, ch in
      ShipmentSeries(
        link: sc.links[c.chLink[k]].id, from: sc.sites[c.chFrom[k]].id, to: sc.sites[c.chTo[k]].id, fromCountry: sc.sites[c.chFrom[k]].country,
        toCountry: sc.sites[c.chTo[k]].country, material: sc.materials[c.chM[k]].id, purpose: ch.purpose, shipped: Array(shipped[(k) * T..<(k + 1) * T]),
        delivered: Array(delivered[(k) * T..<(k + 1) * T]), blocked: Array(blocked[(k) * T..<(k + 1) * T]))
    }
    var stockSeries: [StockSeries] = []
    for s in 0..<S {
      for m in 0..<M {
        let i = s * M + m
        let level = Array(stockRec[(i) * T..<(i + 1) * T]), required = Array(reqRec[(i) * T..<(i + 1) * T])
        guard level.contains(where: { $0 != 0 }) || required.contains(where: { $0 != 0 }) else { continue }
        let cover = zip(level, required).map { $1 > 0 ? $0 / $1 : Double.infinity }
        stockSeries.append(StockSeries(site: sc.sites[s].id, material: sc.materials[m].id, level: level, monthsOfCover: cover))
      }
    }
    let demandSeries: [DemandSeries] = sc.demands.enumerated().map { k, d in
      DemandSeries(
        demand: d.id, sector: d.sector, site: d.site, material: d.material, endUnit: d.endUnit, intensity: d.intensity,
        required: c.demands[k].required, met: Array(met[(k) * T..<(k + 1) * T]), fromReserve: Array(fromReserve[(k) * T..<(k + 1) * T]))
    }
    let reserveSeries: [ReserveSeries] = sc.reserves.enumerated().map { r, x in
      ReserveSeries(reserve: x.id, site: x.site, material: x.material, level: Array(resLevel[(r) * T..<(r + 1) * T]), filled: Array(resFill[(r) * T..<(r + 1) * T]), released: Array(resRelease[(r) * T..<(r + 1) * T]))
    }
    var tollSeries: [TollingSeries] = []
    var ai = 0
    for ag in sc.agreements {
      guard ai < c.agreements.count else { break }
      tollSeries.append(
        TollingSeries(
          agreement: ag.id, input: ag.input, output: ag.output, inputShipped: Array(tInShip[(ai) * T..<(ai + 1) * T]), inputConverted: Array(tConv[(ai) * T..<(ai + 1) * T]),
          outputMade: Array(tMade[(ai) * T..<(ai + 1) * T]), outputOwed: Array(tOwed[(ai) * T..<(ai + 1) * T]), feeInKind: Array(tFee[(ai) * T..<(ai + 1) * T]), returned: Array(tRet[(ai) * T..<(ai + 1) * T])))
      ai += 1
    }
    let worstTuple = worst.map { (sc.sites[$0.0].id, c.months[$0.1], sc.elements[$0.2]) }
    return SimulationResult(
      scenario: sc.name, variant: variant, months: c.months, elements: sc.elements, processes: procSeries, shipments: shipSeries,
      stocks: stockSeries, demands: demandSeries, reserves: reserveSeries, tolling: tollSeries,
      balance: BalanceReport(maxAbsolute: maxAbs, maxRelative: maxRel, worst: worstTuple, checked: checked))
  }

  /// Principal-owned input at a processor that process `pi` may not use (it may: it is the tolling process).
  func heldInput(_ s: Int, _ m: Int, _ pi: Int) -> Double {
    var h = 0.0
    for (a, ag) in c.agreements.enumerated() where ag.processor == s && ag.input == m && !ag.procs.contains(pi) { h += tollInput[a] }
    return h
  }

  /// Moves `x` kg out of the channel's origin and into the pipeline (or, with no delay, into
  /// `pendingSameMonth`, delivered after this month's shipping round).
  mutating func dispatch(_ k: Int, _ x: Double, _ t: Int, delay: Int) {
    let ch = c.channels[k]
    stock[c.chFrom[k] * c.M + c.chM[k]] -= x
    if c.chLead[k] + delay == 0 {
      pendingSameMonth.append((k, x))
      return
    }
    pipe[k * c.ring + (t + c.chLead[k] + delay) % c.ring] += x
    inTransit[c.chTo[k] * c.M + c.chM[k]] += x
  }

  var pendingSameMonth: [(Int, Double)] = []
  /// Scratch: requested kg per link this month (capacity check).
  var linkTotal: [Double]

  /// What of `amount` kg on channel `k` the policies in force in month `t` let through, and the
  /// licence delay in months; what they withhold is added to `blocked`.
  func throughPolicies(_ k: Int, _ t: Int, _ amount: Double, _ blocked: inout [Double]) -> (Double, Int) {
    var x = amount
    var delay = 0
    for j in c.polStart[k]..<c.polStart[k + 1] where c.policyOn[c.polList[j] * c.T + t] {
      switch c.policyKinds[c.polList[j]] {
      case .ban:
        blocked[k * c.T + t] += x
        x = 0
      case .licence(let approval, let d):
        blocked[k * c.T + t] += x * (1 - approval)
        x *= approval
        delay = max(delay, d)
      case .quota(let q):
        let cap = q * secondsPerMonth
        if x > cap {
          blocked[k * c.T + t] += x - cap
          x = cap
        }
      }
    }
    return (x, delay)
  }

  mutating func shipTolling(
    _ a: Int, _ ag: Compiled.AgreementC, _ t: Int, _ surplus: inout [Double], _ shipped: inout [Double],
    _ blocked: inout [Double], _ tInShip: inout [Double], _ flowOut: inout [Double], _ checkBalance: Bool
  ) {
    guard let k = ag.inChannel else { return }
    let oi = ag.principal * c.M + ag.input
    let wanted = min(surplus[oi], ag.inputPerMonth ?? .infinity)
    guard wanted > 0 else { return }
    var (x, delay) = throughPolicies(k, t, wanted, &blocked)
    if let cap = c.linkCapacity[c.channels[k].link] { x = min(x, cap) }
    guard x > 0 else { return }
    surplus[oi] -= x
    dispatch(k, x, t, delay: delay)
    shipped[(k) * c.T + t] += x
    tInShip[(a) * c.T + t] += x
    if checkBalance { flowOut[oi] += x }
  }

  /// Quotas cap the total of the flows they cover; link capacity caps each link's total.
  mutating func applyQuotasAndCapacity(_ t: Int, _ request: inout [Double], _ blocked: inout [Double]) {
    for (p, kind) in c.policyKinds.enumerated() where c.policyOn[p * c.T + t] {
      guard case .quota(let q) = kind else { continue }
      let cap = q * secondsPerMonth
      let members = c.quotaStart[p]..<c.quotaStart[p + 1]
      var total = 0.0
      for x in members { total += request[c.quotaList[x]] }
      guard total > cap, total > 0 else { continue }
      let f = cap / total
      for x in members {
        let k = c.quotaList[x]
        blocked[k * c.T + t] += request[k] * (1 - f)
        request[k] *= f
      }
    }
    guard !c.cappedTrade.isEmpty else { return }
    for k in c.cappedTrade { linkTotal[c.chLink[k]] = 0 }
    for k in c.cappedTrade { linkTotal[c.chLink[k]] += request[k] }
    for k in c.cappedTrade {
      if let cap = c.linkCapacity[c.chLink[k]], linkTotal[c.chLink[k]] > cap, linkTotal[c.chLink[k]] > 0 {
        request[k] *= cap / linkTotal[c.chLink[k]]
      }
    }
  }

  mutating func serveDemand(
    _ t: Int, _ met: inout [Double], _ fromReserve: inout [Double], _ resRelease: inout [Double], _ flowOut: inout [Double],
    _ checkBalance: Bool
  ) {
    let M = c.M
    for (key, ks) in c.demandGroups {
      let site = key / M, m = key % M
      var available = max(0, stock[key] - held(site, m))
      // Priority tiers in ascending order; pro rata within a tier (no allocation on this path).
      var tierStart = 0
      let order = ks
      while tierStart < order.count {
        let p = c.demands[order[tierStart]].priority
        var tierEnd = tierStart
        var want = 0.0
        while tierEnd < order.count && c.demands[order[tierEnd]].priority == p {
          want += c.demands[order[tierEnd]].required[t]
          tierEnd += 1
        }
        let f = want > 0 ? min(1, available / want) : 0
        for j in tierStart..<tierEnd {
          let k = order[j]
          let x = c.demands[k].required[t] * f
          met[(k) * c.T + t] += x
          stock[key] -= x
          if checkBalance { flowOut[key] += x }
        }
        available = max(0, available - want * f)
        tierStart = tierEnd
      }
      // Reserves at this site release to cover what is still short.
      for (r, rc) in c.reserves.enumerated() where rc.site == site && rc.m == m {
        let covered = ks.filter { rc.covers.contains($0) }
        let short = covered.map { max(0, c.demands[$0].required[t] - met[($0) * c.T + t]) }
        let can = max(0, reserveLevel[r] - rc.floor)
        guard can > 0, short.contains(where: { $0 > 0 }) else { continue }
        let rel = allocate(short, priorities: covered.map { c.demands[$0].priority }, available: can)
        for (j, k) in covered.enumerated() where rel[j] > 0 {
          met[(k) * c.T + t] += rel[j]
          fromReserve[(k) * c.T + t] += rel[j]
          reserveLevel[r] -= rel[j]
          resRelease[(r) * c.T + t] += rel[j]
          if checkBalance { flowOut[key] += rel[j] }
        }
      }
    }
  }
}

/// Serves `required` amounts from `available`: highest priority (lowest number) first, pro rata within a priority.
func allocate(_ required: [Double], priorities: [Int], available: Double) -> [Double] {
  var out = Array(repeating: 0.0, count: required.count)
  var left = max(0, available)
  for p in Set(priorities).sorted() {
    let idx = required.indices.filter { priorities[$0] == p }
    let want = idx.reduce(0.0) { $0 + max(0, required[$1]) }
    guard want > 0 else { continue }
    let f = min(1, left / want)
    for i in idx { out[i] = max(0, required[i]) * f }
    left = max(0, left - want * f)
  }
  return out
}
