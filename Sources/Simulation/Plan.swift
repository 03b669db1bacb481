import Quantities
import SupplyChain

/// The monthly loop's read-only tables, built once per engine from `Compiled`.
///
/// Mass lives in *slots*: one per site × material that can ever hold or move mass, numbered site
/// by site (materials ascending), so a site's slots are contiguous and the loop never touches the
/// site × material pairs that stay empty. Lists are CSR (`xStart[i]..<xStart[i + 1]` into `xList`);
/// requirements and availability that do not depend on the state are tabulated per month; trade
/// policy factors are tabulated per *policy epoch* (a run of months with the same policies in
/// force). Everything sits in raw buffers so the loop does no bounds, uniqueness or reference-count
/// work. `@unchecked Sendable`: the buffers are written only in `init` and freed in `deinit`;
/// nothing outside this module sees them.
final class Plan: @unchecked Sendable {
  let T: Int, S: Int, M: Int, E: Int
  /// Processes, channels, slots, demands, reserves, agreements, policies, links, trade channels,
  /// inbound groups, demand groups, origin slots, reserve slots, policy epochs.
  let P: Int, nCh: Int, nSlots: Int, D: Int, R: Int, A: Int, nPol: Int, nLinks: Int, nTrade: Int
  let G: Int, DG: Int, nOrigin: Int, nResSlots: Int, ring: Int
  /// Largest number of demands one reserve covers within one demand group (scratch size).
  let maxCovered: Int

  // Slots.
  /// Site and material of each slot; `slotW[slot × E + e]` kg of element e per kg.
  let slotSite: UnsafePointer<Int32>, slotMat: UnsafePointer<Int32>, slotW: UnsafePointer<Double>
  /// `slotW` rows padded with zeros to eight elements (used when E ≤ 8).
  let slotW8: UnsafePointer<SIMD8<Double>>
  let siteSlotStart: UnsafePointer<Int32>
  /// Principal-owned stock held at a slot: codes `2a` (output owed under agreement a) and `2a + 1`
  /// (input of agreement a), in the order `State.held` summed them.
  let heldStart: UnsafePointer<Int32>, heldCode: UnsafePointer<Int32>
  /// Slots that are the origin of some channel (surplus is needed only there).
  let originSlots: UnsafePointer<Int32>
  /// Index into the reserve-slot list, or −1.
  let slotResIdx: UnsafePointer<Int32>
  /// kg required per month from processes at full availability and demand, month × slot.
  let reqBase: UnsafePointer<Double>
  /// Initial stock per slot, kg.
  let stock0: UnsafePointer<Double>

  // Processes.
  /// Execution order (upstream first); kg of reference available, month × process.
  let order: UnsafePointer<Int32>, avail: UnsafePointer<Double>
  let inStart: UnsafePointer<Int32>, inSlot: UnsafePointer<Int32>, inA: UnsafePointer<Double>
  let outStart: UnsafePointer<Int32>, outSlot: UnsafePointer<Int32>, outA: UnsafePointer<Double>
  /// Agreements whose principal-owned input an input term may not use.
  let heldInStart: UnsafePointer<Int32>, heldInList: UnsafePointer<Int32>
  /// Tolling agreements a process converts for: agreement, its input term, its output term.
  let tollStart: UnsafePointer<Int32>, tollAg: UnsafePointer<Int32>, tollIn: UnsafePointer<Int32>, tollOut: UnsafePointer<Int32>

  // Channels.
  let chFrom: UnsafePointer<Int32>, chTo: UnsafePointer<Int32>, chLead: UnsafePointer<Int32>, chLink: UnsafePointer<Int32>
  let chAgIn: UnsafePointer<Int32>, chPolStart: UnsafePointer<Int32>, chPolList: UnsafePointer<Int32>
  let trade: UnsafePointer<Int32>
  /// 1 on the first (last) trade channel of each origin slot, in channel order.
  let firstOfOrigin: UnsafePointer<UInt8>, lastOfOrigin: UnsafePointer<UInt8>
  /// Policy epoch of each month; share let through and licence delay per epoch × channel; the
  /// base-stock multiplier (longest inbound pipeline + 1 months) per epoch × inbound group.
  let epochOf: UnsafePointer<Int32>, allowed: UnsafePointer<Double>, delayOf: UnsafePointer<Int32>, leadFactor: UnsafePointer<Double>
  /// Inbound groups: destination slot; tiers `gTier[g]..<gTier[g + 1]`; tier j members
  /// `tierStart[j]..<tierStart[j + 1]` of `memCh`/`memFrom`.
  let gKey: UnsafePointer<Int32>, gTier: UnsafePointer<Int32>, tierStart: UnsafePointer<Int32>
  let memCh: UnsafePointer<Int32>, memFrom: UnsafePointer<Int32>
  /// Trade channels whose link has a capacity; kg per month per link (∞ when none).
  let nCapped: Int, capped: UnsafePointer<Int32>, linkCap: UnsafePointer<Double>

  // Policies.
  /// 0 ban, 1 licence, 2 quota; licence approval share and delay; quota kg per month; on, policy × month.
  let polKind: UnsafePointer<Int32>, polApproval: UnsafePointer<Double>, polDelay: UnsafePointer<Int32>, polQuota: UnsafePointer<Double>
  let polOn: UnsafePointer<UInt8>
  let quotaStart: UnsafePointer<Int32>, quotaList: UnsafePointer<Int32>

  // Agreements.
  let agIn: UnsafePointer<Int32>, agRet: UnsafePointer<Int32>, agInSlot: UnsafePointer<Int32>, agOutSlot: UnsafePointer<Int32>
  /// kg per month (∞ when the input takes what surplus is left); 1 when a contract rate is set.
  let agRate: UnsafePointer<Double>, agHasRate: UnsafePointer<UInt8>, agShare: UnsafePointer<Double>, agInCap: UnsafePointer<Double>
  /// 1 when active, agreement × month.
  let agActive: UnsafePointer<UInt8>

  // Demand.
  /// kg required, month × demand; priority per demand.
  let dReq: UnsafePointer<Double>, dPriority: UnsafePointer<Int32>
  /// Demand groups: slot; members (priority order) `dgStart[g]..<dgStart[g + 1]` of `dgList`;
  /// reserves releasing to it `dgResStart[g]..<dgResStart[g + 1]` of `dgRes`, each covering
  /// `covStart[x]..<covStart[x + 1]` of `covList` (demands, priority order).
  let dgKey: UnsafePointer<Int32>, dgStart: UnsafePointer<Int32>, dgList: UnsafePointer<Int32>
  let dgResStart: UnsafePointer<Int32>, dgRes: UnsafePointer<Int32>, covStart: UnsafePointer<Int32>, covList: UnsafePointer<Int32>

  // Reserves.
  let rSlot: UnsafePointer<Int32>, rTarget: UnsafePointer<Double>, rInitial: UnsafePointer<Double>, rFill: UnsafePointer<Double>
  let rFloor: UnsafePointer<Double>, rFillFrom: UnsafePointer<Int32>, rResIdx: UnsafePointer<Int32>
  /// Reserves at each site (balance check).
  let siteResStart: UnsafePointer<Int32>, siteResList: UnsafePointer<Int32>
  /// Reserve slots (slots some reserve fills from).
  let resSlots: UnsafePointer<Int32>

  // For assembling results (not read in the loop).
  /// kg required per month at each slot without reserve fills, slot-major (shared by results).
  let reqSeries: [[Double]]
  /// kg of element lost per kg of reference, process × element.
  let lossPerRef: [Double]
  /// Identifiers and countries by dense index.
  let siteIDs: [SiteID], siteCountry: [String], materialIDs: [MaterialID], linkIDs: [LinkID]

  private let blocks: [UnsafeMutableRawPointer]

  init(_ c: Compiled, _ s: Scenario) {
    var blocks: [UnsafeMutableRawPointer] = []
    func tab<X>(_ a: [X]) -> UnsafePointer<X> {
      let p = UnsafeMutablePointer<X>.allocate(capacity: max(1, a.count))
      a.withUnsafeBufferPointer { b in
        if let base = b.baseAddress { p.initialize(from: base, count: b.count) }
      }
      blocks.append(UnsafeMutableRawPointer(p))
      return UnsafePointer(p)
    }
    func i32(_ a: [Int]) -> UnsafePointer<Int32> { tab(a.map { Int32(truncatingIfNeeded: $0) }) }
    func csr(_ lists: [[Int]]) -> (UnsafePointer<Int32>, UnsafePointer<Int32>) {
      var start = [0], list: [Int] = []
      for l in lists {
        list += l
        start.append(list.count)
      }
      return (i32(start), i32(list))
    }
    let T = c.T, S = c.S, M = c.M, E = c.E
    self.T = T
    self.S = S
    self.M = M
    self.E = E
    P = c.procs.count
    nCh = c.channels.count
    D = c.demands.count
    R = c.reserves.count
    A = c.agreements.count
    nPol = c.policyKinds.count
    nLinks = c.linkCapacity.count
    ring = c.ring

    // Slots: every site × material the loop can touch (the balance check's site materials, plus
    // anything a table below refers to), site by site, materials ascending.
    var siteMats = c.siteMaterials.map { Set($0) }
    for p in c.procs {
      for i in p.inputs { siteMats[p.site].insert(i.m) }
      for o in p.outputs { siteMats[p.site].insert(o.m) }
    }
    for ch in c.channels {
      siteMats[ch.from].insert(ch.m)
      siteMats[ch.to].insert(ch.m)
    }
    for d in c.demands { siteMats[d.site].insert(d.m) }
    for r in c.reserves { siteMats[r.site].insert(r.m) }
    for a in c.agreements {
      siteMats[a.principal].insert(a.input)
      siteMats[a.processor].insert(a.input)
      siteMats[a.processor].insert(a.output)
    }
    var slotOf = Array(repeating: -1, count: S * M)
    var sSite: [Int] = [], sMat: [Int] = [], sStart = [0]
    for si in 0..<S {
      for m in siteMats[si].sorted() {
        slotOf[si * M + m] = sSite.count
        sSite.append(si)
        sMat.append(m)
      }
      sStart.append(sSite.count)
    }
    let nSlots = sSite.count
    self.nSlots = nSlots
    func slot(_ si: Int, _ m: Int) -> Int { slotOf[si * M + m] }
    slotSite = i32(sSite)
    slotMat = i32(sMat)
    siteSlotStart = i32(sStart)
    var w: [Double] = []
    w.reserveCapacity(nSlots * E)
    for x in 0..<nSlots { for e in 0..<E { w.append(c.w[sMat[x] * E + e]) } }
    slotW = tab(w)
    slotW8 = tab(
      E <= 8
        ? (0..<nSlots).map { x in
          var v = SIMD8<Double>()
          for e in 0..<E { v[e] = w[x * E + e] }
          return v
        } : [])
    var held = Array(repeating: [Int](), count: nSlots)
    for x in 0..<nSlots where c.isProcessor[sSite[x]] {
      for (a, ag) in c.agreements.enumerated() where ag.processor == sSite[x] {
        if ag.output == sMat[x] { held[x].append(2 * a) }
        if ag.input == sMat[x] { held[x].append(2 * a + 1) }
      }
    }
    (heldStart, heldCode) = csr(held)
    let origins = Set(c.channels.map { slot($0.from, $0.m) }).sorted()
    nOrigin = origins.count
    originSlots = i32(origins)
    var resSlotList: [Int] = []
    var slotRes = Array(repeating: -1, count: nSlots)
    for r in c.reserves {
      let x = slot(r.site, r.m)
      if slotRes[x] < 0 {
        slotRes[x] = resSlotList.count
        resSlotList.append(x)
      }
    }
    nResSlots = resSlotList.count
    resSlots = i32(resSlotList)
    slotResIdx = i32(slotRes)
    var st0 = Array(repeating: 0.0, count: nSlots)
    for (si, site) in s.sites.enumerated() {
      for st in site.initialStocks {
        if let m = s.materials.firstIndex(where: { $0.id == st.material }) {
          let x = slot(si, m)
          if x >= 0 { st0[x] += st.mass }
        }
      }
    }
    stock0 = tab(st0)

    // Processes.
    order = i32(c.order)
    var av = Array(repeating: 0.0, count: T * P)
    for (pi, p) in c.procs.enumerated() { for t in 0..<T { av[t * P + pi] = p.available[t] } }
    avail = tab(av)
    var ins = [0], inS: [Int] = [], inAm: [Double] = [], outs = [0], outS: [Int] = [], outAm: [Double] = []
    var heldIn: [[Int]] = []
    var tolls: [[(Int, Int, Int)]] = []
    for (pi, p) in c.procs.enumerated() {
      let firstIn = inS.count, firstOut = outS.count
      for i in p.inputs {
        inS.append(slot(p.site, i.m))
        inAm.append(i.a)
        heldIn.append(c.agreements.indices.filter { a in
          let ag = c.agreements[a]
          return ag.processor == p.site && ag.input == i.m && !ag.procs.contains(pi)
        })
      }
      for o in p.outputs {
        outS.append(slot(p.site, o.m))
        outAm.append(o.a)
      }
      ins.append(inS.count)
      outs.append(outS.count)
      var tl: [(Int, Int, Int)] = []
      for (a, ag) in c.agreements.enumerated() where ag.procs.contains(pi) {
        guard let jIn = p.inputs.firstIndex(where: { $0.m == ag.input }), let jOut = p.outputs.firstIndex(where: { $0.m == ag.output }) else { continue }
        tl.append((a, firstIn + jIn, firstOut + jOut))
      }
      tolls.append(tl)
    }
    inStart = i32(ins)
    inSlot = i32(inS)
    inA = tab(inAm)
    outStart = i32(outs)
    outSlot = i32(outS)
    outA = tab(outAm)
    (heldInStart, heldInList) = csr(heldIn)
    var ts = [0], ta: [Int] = [], ti: [Int] = [], to: [Int] = []
    for tl in tolls {
      for (a, i, o) in tl {
        ta.append(a)
        ti.append(i)
        to.append(o)
      }
      ts.append(ta.count)
    }
    tollStart = i32(ts)
    tollAg = i32(ta)
    tollIn = i32(ti)
    tollOut = i32(to)

    // Requirements that do not depend on the state: processes at full availability (process
    // order), then demand (demand order) — the order the loop used to add them in.
    var rq = Array(repeating: 0.0, count: T * nSlots)
    for t in 0..<T {
      let row = t * nSlots
      for p in c.procs {
        let a = p.available[t]
        guard a > 0 else { continue }
        for i in p.inputs { rq[row + slot(p.site, i.m)] += a * i.a }
      }
      for d in c.demands { rq[row + slot(d.site, d.m)] += d.required[t] }
    }
    reqBase = tab(rq)
    reqSeries = (0..<nSlots).map { x in (0..<T).map { rq[$0 * nSlots + x] } }
    lossPerRef = c.lossFlat
    siteIDs = s.sites.map(\.id)
    siteCountry = s.sites.map(\.country)
    materialIDs = s.materials.map(\.id)
    linkIDs = s.links.map(\.id)

    // Channels.
    chFrom = i32(c.channels.map { slot($0.from, $0.m) })
    chTo = i32(c.channels.map { slot($0.to, $0.m) })
    chLead = i32(c.chLead)
    chLink = i32(c.chLink)
    chAgIn = i32(c.chAgreementIn)
    chPolStart = i32(c.polStart)
    chPolList = i32(c.polList)
    nTrade = c.tradeChannels.count
    trade = i32(c.tradeChannels)
    var first = Array(repeating: UInt8(0), count: nCh), last = first
    var seen = Set<Int>()
    for k in c.tradeChannels where seen.insert(slot(c.chFrom[k], c.chM[k])).inserted { first[k] = 1 }
    seen = []
    for k in c.tradeChannels.reversed() where seen.insert(slot(c.chFrom[k], c.chM[k])).inserted { last[k] = 1 }
    firstOfOrigin = tab(first)
    lastOfOrigin = tab(last)

    // Policy epochs: months with the same set of policies in force share one table.
    var epochKeys: [[Bool]] = []
    var epochIndex: [[Bool]: Int] = [:]
    var eo: [Int] = []
    for t in 0..<T {
      let key = c.policyActive.map { $0[t] }
      if let e = epochIndex[key] {
        eo.append(e)
      } else {
        epochIndex[key] = epochKeys.count
        eo.append(epochKeys.count)
        epochKeys.append(key)
      }
    }
    epochOf = i32(eo)
    G = c.inKey.count
    var al: [Double] = [], dl: [Int] = [], lf: [Double] = []
    for key in epochKeys {
      var fk = Array(repeating: 1.0, count: nCh), dk = Array(repeating: 0, count: nCh)
      for k in c.tradeChannels {
        var f = 1.0
        var delay = 0
        for j in c.polStart[k]..<c.polStart[k + 1] where key[c.polList[j]] {
          switch c.policyKinds[c.polList[j]] {
          case .ban: f = 0
          case .licence(let approval, let d):
            f *= approval
            delay = max(delay, d)
          case .quota: break
          }
        }
        fk[k] = f
        dk[k] = delay
      }
      al += fk
      dl += dk
      for g in 0..<G {
        var lead = c.inLead[g]
        for j in c.inTier[g]..<c.inTier[g + 1] {
          for x in c.tierStart[j]..<c.tierStart[j + 1] {
            let k = c.tierList[x]
            if dk[k] > 0 { lead = max(lead, c.chLead[k] + dk[k]) }
          }
        }
        lf.append(Double(lead + 1))
      }
    }
    allowed = tab(al)
    delayOf = i32(dl)
    leadFactor = tab(lf)
    gKey = i32(c.inKey.map { slot($0 / M, $0 % M) })
    gTier = i32(c.inTier)
    tierStart = i32(c.tierStart)
    memCh = i32(c.tierList)
    memFrom = i32(c.tierList.map { slot(c.chFrom[$0], c.chM[$0]) })
    nCapped = c.cappedTrade.count
    capped = i32(c.cappedTrade)
    linkCap = tab(c.linkCapacity.map { $0 ?? .infinity })

    // Policies.
    var kind: [Int] = [], appr: [Double] = [], pdel: [Int] = [], quota: [Double] = []
    for k in c.policyKinds {
      switch k {
      case .ban:
        kind.append(0); appr.append(0); pdel.append(0); quota.append(0)
      case .licence(let a, let d):
        kind.append(1); appr.append(a); pdel.append(d); quota.append(0)
      case .quota(let q):
        kind.append(2); appr.append(0); pdel.append(0); quota.append(q * secondsPerMonth)
      }
    }
    polKind = i32(kind)
    polApproval = tab(appr)
    polDelay = i32(pdel)
    polQuota = tab(quota)
    polOn = tab(c.policyOn.map { $0 ? UInt8(1) : 0 })
    quotaStart = i32(c.quotaStart)
    quotaList = i32(c.quotaList)

    // Agreements.
    agIn = i32(c.agreements.map { $0.inChannel ?? -1 })
    agRet = i32(c.agreements.map { $0.returnChannel ?? -1 })
    agInSlot = i32(c.agreements.map { slot($0.principal, $0.input) })
    agOutSlot = i32(c.agreements.map { slot($0.processor, $0.output) })
    agRate = tab(c.agreements.map { $0.inputPerMonth ?? .infinity })
    agHasRate = tab(c.agreements.map { $0.inputPerMonth == nil ? UInt8(0) : 1 })
    agShare = tab(c.agreements.map(\.share))
    agInCap = tab(c.agreements.map { ag in ag.inChannel.flatMap { c.linkCapacity[c.channels[$0].link] } ?? .infinity })
    agActive = tab(c.agreements.flatMap { $0.active.map { $0 ? UInt8(1) : 0 } })

    // Demand.
    var dr = Array(repeating: 0.0, count: T * D)
    for (k, d) in c.demands.enumerated() { for t in 0..<T { dr[t * D + k] = d.required[t] } }
    dReq = tab(dr)
    dPriority = i32(c.demands.map(\.priority))
    DG = c.demandGroups.count
    dgKey = i32(c.demandGroups.map { slot($0.key / M, $0.key % M) })
    (dgStart, dgList) = csr(c.demandGroups.map(\.demands))
    var dgr: [[Int]] = [], cov: [[Int]] = []
    var maxCov = 0
    for g in c.demandGroups {
      let site = g.key / M, m = g.key % M
      var here: [Int] = []
      for (r, rc) in c.reserves.enumerated() where rc.site == site && rc.m == m {
        here.append(r)
        let covered = g.demands.filter { rc.covers.contains($0) }
        maxCov = max(maxCov, covered.count)
        cov.append(covered)
      }
      dgr.append(here)
    }
    maxCovered = maxCov
    var drs = [0], drl: [Int] = []
    for h in dgr {
      drl += h
      drs.append(drl.count)
    }
    dgResStart = i32(drs)
    dgRes = i32(drl)
    (covStart, covList) = csr(cov)

    // Reserves.
    rSlot = i32(c.reserves.map { slot($0.site, $0.m) })
    rTarget = tab(c.reserves.map(\.target))
    rInitial = tab(c.reserves.map(\.initial))
    rFill = tab(c.reserves.map(\.fillPerMonth))
    rFloor = tab(c.reserves.map(\.floor))
    rFillFrom = i32(c.reserves.map(\.fillFromIndex))
    rResIdx = i32(c.reserves.map { slotRes[slot($0.site, $0.m)] })
    (siteResStart, siteResList) = csr(c.reservesAt)
    self.blocks = blocks
  }

  deinit {
    for b in blocks { b.deallocate() }
  }
}
