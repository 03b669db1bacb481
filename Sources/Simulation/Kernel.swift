import Chemistry
import Quantities
import SupplyChain

/// Mass removed from one slot without a recorded flow: a deliberate imbalance for testing that
/// the balance check catches one (internal; never set by the public API).
struct Leak: Sendable {
  var site: Int
  var material: Int
  var month: Int
  /// kg removed at the end of `month`.
  var mass: Double
}

/// A run's mutable state and result buffers: one zeroed allocation, carved into pointers.
private struct Arena {
  let base: UnsafeMutablePointer<Double>
  private(set) var used = 0
  let capacity: Int
  init(capacity: Int) {
    self.capacity = max(1, capacity)
    base = UnsafeMutablePointer<Double>.allocate(capacity: self.capacity)
    base.initialize(repeating: 0, count: self.capacity)
  }
  mutating func take(_ n: Int) -> UnsafeMutablePointer<Double> {
    let p = base + used
    used += n
    return p
  }
}

extension Plan {
  /// Runs the whole horizon (see `SimulationEngine` for the monthly order). Every floating-point
  /// operation that reaches a result happens in the same order as in the original array-based loop,
  /// so results are bit-for-bit those of that loop.
  func run(_ c: Compiled, scenario sc: Scenario, variant: String?, checkBalance: Bool, leak: Leak? = nil) -> SimulationResult {
    let T = self.T, E = self.E, P = self.P, nCh = self.nCh, nSlots = self.nSlots, D = self.D, R = self.R, A = self.A
    let ring = self.ring
    // Sizes of the arena's parts, in order.
    let sizes = [
      nSlots, nSlots, ring * nCh, nSlots, nCh, nSlots, nLinks, R, A, A,  // state
      nSlots, nSlots, R, max(1, nResSlots), maxCovered, maxCovered, nCh,  // scratch
      T * P, T * nCh, T * nCh, T * nCh, T * nSlots, T * max(1, nResSlots), T * D, T * D, T * R, T * R, T * R,  // records
      T * A, T * A, T * A, T * A, T * A, T * A,
    ]
    var arena = Arena(capacity: sizes.reduce(0, +))
    defer { arena.base.deallocate() }
    let stock = arena.take(nSlots), inTransit = arena.take(nSlots), pipe = arena.take(ring * nCh), surplus = arena.take(nSlots)
    let request = arena.take(nCh), outgoing = arena.take(nSlots), linkTotal = arena.take(nLinks), reserveLevel = arena.take(R)
    let tollInput = arena.take(A), tollOwed = arena.take(A)
    let flowIn = arena.take(nSlots), flowOut = arena.take(nSlots), resOpen = arena.take(R), reqNow = arena.take(max(1, nResSlots))
    let short = arena.take(maxCovered), rel = arena.take(maxCovered), pendX = arena.take(nCh)
    let activity = arena.take(T * P), shipped = arena.take(T * nCh), delivered = arena.take(T * nCh), blocked = arena.take(T * nCh)
    let stockRec = arena.take(T * nSlots), reqRes = arena.take(T * max(1, nResSlots))
    let met = arena.take(T * D), fromReserve = arena.take(T * D)
    let resLevel = arena.take(T * R), resFill = arena.take(T * R), resRelease = arena.take(T * R)
    let tInShip = arena.take(T * A), tConv = arena.take(T * A), tMade = arena.take(T * A), tOwed = arena.take(T * A)
    let tFee = arena.take(T * A), tRet = arena.take(T * A)
    let pendK = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, nCh))
    defer { pendK.deallocate() }

    stock.update(from: stock0, count: nSlots)
    for r in 0..<R { reserveLevel[r] = rInitial[r] }
    var maxAbs = 0.0, maxRel = 0.0
    var worst: (Int, Int, Int)?
    var nPend = 0

    /// Principal-owned kg at slot `x` (not the site's to sell or use freely).
    @inline(__always) func held(_ x: Int) -> Double {
      var h = 0.0
      for j in Int(heldStart[x])..<Int(heldStart[x + 1]) {
        let code = Int(heldCode[j])
        h += code & 1 == 0 ? tollOwed[code >> 1] : tollInput[code >> 1]
      }
      return h
    }

    /// Moves `x` kg out of channel `k`'s origin into the pipeline (or, with no delay, onto the
    /// same-month list delivered after this month's shipping round).
    @inline(__always) func dispatch(_ k: Int, _ x: Double, _ tSlot: Int, _ delay: Int) {
      stock[Int(chFrom[k])] -= x
      let lag = Int(chLead[k]) + delay
      if lag == 0 {
        pendK[nPend] = Int32(truncatingIfNeeded: k)
        pendX[nPend] = x
        nPend += 1
        return
      }
      var sl = tSlot + lag
      if sl >= ring { sl -= ring }
      pipe[sl * nCh + k] += x
      inTransit[Int(chTo[k])] += x
    }

    /// What of `amount` kg on channel `k` the policies in force in month `t` let through, and the
    /// licence delay; what they withhold is added to `blocked`.
    @inline(__always) func throughPolicies(_ k: Int, _ t: Int, _ amount: Double) -> (Double, Int) {
      var x = amount
      var delay = 0
      for j in Int(chPolStart[k])..<Int(chPolStart[k + 1]) {
        let p = Int(chPolList[j])
        guard polOn[p * T + t] != 0 else { continue }
        switch polKind[p] {
        case 0:
          blocked[k * T + t] += x
          x = 0
        case 1:
          blocked[k * T + t] += x * (1 - polApproval[p])
          x *= polApproval[p]
          delay = max(delay, Int(polDelay[p]))
        default:
          let cap = polQuota[p]
          if x > cap {
            blocked[k * T + t] += x - cap
            x = cap
          }
        }
      }
      return (x, delay)
    }

    @inline(__always) func shipTolling(_ a: Int, _ t: Int, _ tSlot: Int) {
      let k = Int(agIn[a])
      guard k >= 0 else { return }
      let oi = Int(agInSlot[a])
      let wanted = min(surplus[oi], agRate[a])
      guard wanted > 0 else { return }
      var (x, delay) = throughPolicies(k, t, wanted)
      if agInCap[a] < .infinity { x = min(x, agInCap[a]) }
      guard x > 0 else { return }
      surplus[oi] -= x
      shipLeg(k, x, delay, oi, t, tSlot, tInShip + a * T)
    }

    /// Ships `x` kg of a tolling leg on channel `k` from slot `oi`, recording it in `leg[t]` too.
    @inline(__always) func shipLeg(_ k: Int, _ x: Double, _ delay: Int, _ oi: Int, _ t: Int, _ tSlot: Int, _ leg: UnsafeMutablePointer<Double>) {
      dispatch(k, x, tSlot, delay)
      shipped[k * T + t] += x
      leg[t] += x
      if checkBalance { flowOut[oi] += x }
    }

    /// kg required at slot `x` this month (reserve fills included).
    @inline(__always) func req(_ row: UnsafePointer<Double>, _ x: Int) -> Double {
      let ri = Int(slotResIdx[x])
      return ri < 0 ? row[x] : reqNow[ri]
    }

    for t in 0..<T {
      let tSlot = t % ring
      let ep = Int(epochOf[t])
      let reqRow = reqBase + t * nSlots
      let opening = t == 0 ? stock0 : UnsafePointer(stockRec + (t - 1) * nSlots)
      if checkBalance {
        for r in 0..<R { resOpen[r] = reserveLevel[r] }
        flowIn.update(repeating: 0, count: nSlots)
        flowOut.update(repeating: 0, count: nSlots)
      }
      // 1. Arrivals.
      let arriving = pipe + tSlot * nCh
      for k in 0..<nCh {
        let x = arriving[k]
        guard x != 0 else { continue }
        arriving[k] = 0
        let i = Int(chTo[k])
        stock[i] += x
        inTransit[i] -= x
        delivered[k * T + t] += x
        if checkBalance { flowIn[i] += x }
        let a = Int(chAgIn[k])
        if a >= 0 { tollInput[a] += x }
      }
      // 2. Requirements: the state-free part is tabulated; reserve fills are added here.
      if nResSlots > 0 {
        for x in 0..<nResSlots { reqNow[x] = reqRow[Int(resSlots[x])] }
        for r in 0..<R where t >= Int(rFillFrom[r]) {
          reqNow[Int(rResIdx[r])] += min(max(0, rTarget[r] - reserveLevel[r]), rFill[r])
        }
        for x in 0..<nResSlots { reqRes[x * T + t] = reqNow[x] }
      }
      // Surplus at origins: stock beyond this month's own requirement and what belongs to principals.
      for j in 0..<nOrigin {
        let i = Int(originSlots[j])
        surplus[i] = max(0, stock[i] - req(reqRow, i) - held(i))
      }
      // 3a. Contractual tolling inputs (agreements with an input rate) ship first.
      for a in 0..<A where agActive[a * T + t] != 0 && agHasRate[a] != 0 { shipTolling(a, t, tSlot) }
      // 3b. Trade: each destination pulls a base stock covering its longest inbound pipeline,
      // from its preferred links first, pro rata within a tier to what each origin may ship after policy.
      let allow = allowed + ep * nCh, delays = delayOf + ep * nCh, leads = leadFactor + ep * G
      for j in 0..<nTrade { request[Int(trade[j])] = 0 }
      for g in 0..<G {
        let di = Int(gKey[g])
        var remaining = max(0, req(reqRow, di) * leads[g] - stock[di] - inTransit[di])
        for j in Int(gTier[g])..<Int(gTier[g + 1]) {
          guard remaining > 0 else { break }
          let members = Int(tierStart[j])..<Int(tierStart[j + 1])
          var potSum = 0.0, rawSum = 0.0
          for x in members {
            let raw = surplus[Int(memFrom[x])]
            potSum += raw * allow[Int(memCh[x])]
            rawSum += raw
          }
          var taken = 0.0
          for x in members {
            let k = Int(memCh[x])
            let raw = surplus[Int(memFrom[x])]
            let f = allow[k]
            let pot = raw * f
            let rq = potSum > 0 ? min(pot, remaining * pot / potSum) : 0
            request[k] = rq
            taken += rq
            // What the destination would have asked of this origin without policy.
            if f < 1 {
              let wanted = rawSum > 0 ? min(raw, remaining * raw / rawSum) : 0
              blocked[k * T + t] = max(0, wanted - rq)
            }
          }
          remaining = max(0, remaining - taken)
        }
      }
      // Quotas cap the total of the flows they cover; link capacity caps each link's total.
      for p in 0..<nPol where polKind[p] == 2 && polOn[p * T + t] != 0 {
        let cap = polQuota[p]
        let members = Int(quotaStart[p])..<Int(quotaStart[p + 1])
        var total = 0.0
        for x in members { total += request[Int(quotaList[x])] }
        guard total > cap, total > 0 else { continue }
        let f = cap / total
        for x in members {
          let k = Int(quotaList[x])
          blocked[k * T + t] += request[k] * (1 - f)
          request[k] *= f
        }
      }
      if nCapped > 0 {
        for j in 0..<nCapped { linkTotal[Int(chLink[Int(capped[j])])] = 0 }
        for j in 0..<nCapped {
          let k = Int(capped[j])
          linkTotal[Int(chLink[k])] += request[k]
        }
        for j in 0..<nCapped {
          let k = Int(capped[j]), l = Int(chLink[k])
          let cap = linkCap[l]
          if linkTotal[l] > cap, linkTotal[l] > 0 { request[k] *= cap / linkTotal[l] }
        }
      }
      // Origins cannot ship more than their surplus.
      for j in 0..<nTrade {
        let k = Int(trade[j]), oi = Int(chFrom[k])
        if firstOfOrigin[k] != 0 { outgoing[oi] = 0 }
        outgoing[oi] += request[k]
      }
      for j in 0..<nTrade {
        let k = Int(trade[j]), oi = Int(chFrom[k])
        let out = outgoing[oi]
        let x = out > surplus[oi] && out > 0 ? request[k] * surplus[oi] / out : request[k]
        if x > 0 {
          dispatch(k, x, tSlot, Int(delays[k]))
          shipped[k * T + t] += x
          if checkBalance { flowOut[oi] += x }
        }
        if lastOfOrigin[k] != 0, out > 0 {
          surplus[oi] = max(0, surplus[oi] - out)
          outgoing[oi] = 0
        }
      }
      // 3c. Tolling inputs without a contract rate take what surplus is left.
      for a in 0..<A where agActive[a * T + t] != 0 && agHasRate[a] == 0 { shipTolling(a, t, tSlot) }
      // 3d. Tolling returns: what is owed ships back.
      for a in 0..<A {
        let k = Int(agRet[a])
        guard k >= 0, tollOwed[a] > 0 else { continue }
        let oi = Int(agOutSlot[a])
        let (x, delay) = throughPolicies(k, t, min(tollOwed[a], stock[oi]))
        guard x > 0 else { continue }
        tollOwed[a] -= x
        shipLeg(k, x, delay, oi, t, tSlot, tRet + a * T)
      }
      // Same-month deliveries (lead time 0, no licence delay).
      for n in 0..<nPend {
        let k = Int(pendK[n]), x = pendX[n]
        let i = Int(chTo[k])
        stock[i] += x
        delivered[k * T + t] += x
        if checkBalance { flowIn[i] += x }
        let a = Int(chAgIn[k])
        if a >= 0 { tollInput[a] += x }
      }
      nPend = 0
      // 4. Production, upstream first.
      let availRow = avail + t * P
      for j in 0..<P {
        let pi = Int(order[j])
        var x = availRow[pi]
        guard x > 0 else { continue }
        let ins = Int(inStart[pi])..<Int(inStart[pi + 1]), outs = Int(outStart[pi])..<Int(outStart[pi + 1])
        for jj in ins {
          let i = Int(inSlot[jj])
          var h = 0.0
          for q in Int(heldInStart[jj])..<Int(heldInStart[jj + 1]) { h += tollInput[Int(heldInList[q])] }
          x = min(x, max(0, stock[i] - h) / inA[jj])
        }
        guard x > 0 else { continue }
        // Tolled share of this run: pro rata to the principal's share of each tolled input.
        for q in Int(tollStart[pi])..<Int(tollStart[pi + 1]) {
          let a = Int(tollAg[q])
          guard tollInput[a] > 0 else { continue }
          let jIn = Int(tollIn[q]), jOut = Int(tollOut[q])
          let i = Int(inSlot[jIn])
          let used = x * inA[jIn]
          let principal = min(tollInput[a], stock[i] > 0 ? used * tollInput[a] / stock[i] : 0)
          tollInput[a] -= principal
          let made = principal / inA[jIn] * outA[jOut]
          let share = agShare[a]
          tConv[a * T + t] += principal
          tMade[a * T + t] += made
          tOwed[a * T + t] += made * share
          tFee[a * T + t] += made * (1 - share)
          tollOwed[a] += made * share
        }
        for jj in ins {
          let i = Int(inSlot[jj])
          stock[i] = max(0, stock[i] - x * inA[jj])
          if checkBalance { flowOut[i] += x * inA[jj] }
        }
        for jj in outs {
          let i = Int(outSlot[jj])
          stock[i] += x * outA[jj]
          if checkBalance { flowIn[i] += x * outA[jj] }
        }
        activity[pi * T + t] = x
      }
      // 5. Demand by priority, then pro rata; reserves release to cover what is still short.
      let dRow = dReq + t * D
      for g in 0..<DG {
        let key = Int(dgKey[g])
        var available = max(0, stock[key] - held(key))
        let list = Int(dgStart[g]), end = Int(dgStart[g + 1])
        var tierBegin = list
        while tierBegin < end {
          let p = dPriority[Int(dgList[tierBegin])]
          var tierEnd = tierBegin
          var want = 0.0
          while tierEnd < end && dPriority[Int(dgList[tierEnd])] == p {
            want += dRow[Int(dgList[tierEnd])]
            tierEnd += 1
          }
          let f = want > 0 ? min(1, available / want) : 0
          for j in tierBegin..<tierEnd {
            let k = Int(dgList[j])
            let x = dRow[k] * f
            met[k * T + t] += x
            stock[key] -= x
            if checkBalance { flowOut[key] += x }
          }
          available = max(0, available - want * f)
          tierBegin = tierEnd
        }
        for q in Int(dgResStart[g])..<Int(dgResStart[g + 1]) {
          let r = Int(dgRes[q])
          let cov = Int(covStart[q])..<Int(covStart[q + 1])
          var anyShort = false
          for j in cov {
            let k = Int(covList[j])
            let s = max(0, dRow[k] - met[k * T + t])
            short[j - cov.lowerBound] = s
            if s > 0 { anyShort = true }
          }
          let can = max(0, reserveLevel[r] - rFloor[r])
          guard can > 0, anyShort else { continue }
          // Highest priority first, pro rata within a priority (covered demands are in priority order).
          var left = max(0, can)
          var runBegin = cov.lowerBound
          while runBegin < cov.upperBound {
            let p = dPriority[Int(covList[runBegin])]
            var runEnd = runBegin
            var want = 0.0
            while runEnd < cov.upperBound && dPriority[Int(covList[runEnd])] == p {
              want += max(0, short[runEnd - cov.lowerBound])
              runEnd += 1
            }
            for j in runBegin..<runEnd { rel[j - cov.lowerBound] = 0 }
            if want > 0 {
              let f = min(1, left / want)
              for j in runBegin..<runEnd { rel[j - cov.lowerBound] = max(0, short[j - cov.lowerBound]) * f }
              left = max(0, left - want * f)
            }
            runBegin = runEnd
          }
          for j in cov {
            let x = rel[j - cov.lowerBound]
            guard x > 0 else { continue }
            let k = Int(covList[j])
            met[k * T + t] += x
            fromReserve[k * T + t] += x
            reserveLevel[r] -= x
            resRelease[r * T + t] += x
            if checkBalance { flowOut[key] += x }
          }
        }
      }
      // 6. Reserves fill from what is left.
      for r in 0..<R where t >= Int(rFillFrom[r]) {
        let i = Int(rSlot[r])
        let room = max(0, rTarget[r] - reserveLevel[r])
        let x = min(room, rFill[r], max(0, stock[i] - held(i)))
        guard x > 0 else { continue }
        stock[i] -= x
        reserveLevel[r] += x
        resFill[r * T + t] += x
      }
      if let leak, leak.month == t {
        let x = Int(siteSlotStart[leak.site])..<Int(siteSlotStart[leak.site + 1])
        for i in x where Int(slotMat[i]) == leak.material { stock[i] -= leak.mass }
      }
      (stockRec + t * nSlots).update(from: stock, count: nSlots)
      for r in 0..<R { resLevel[r * T + t] = reserveLevel[r] }
      // 7. Element balance of every site this month: closing − opening − (in − out), per element.
      if checkBalance {
        if E <= 8 {
          // Eight elements at a time: the same products and sums, in the same order, as the scalar form below.
          for s in 0..<S {
            let mats = Int(siteSlotStart[s])..<Int(siteSlotStart[s + 1])
            let rs = Int(siteResStart[s])..<Int(siteResStart[s + 1])
            guard !mats.isEmpty || !rs.isEmpty else { continue }
            var delta = SIMD8<Double>(), net = SIMD8<Double>(), through = SIMD8<Double>()
            for i in mats {
              let wv = slotW8[i]
              delta += wv * SIMD8(repeating: stock[i] - opening[i])
              net += wv * SIMD8(repeating: flowIn[i] - flowOut[i])
              through += wv * SIMD8(repeating: flowIn[i] + flowOut[i] + opening[i])
            }
            for q in rs {
              let r = Int(siteResList[q])
              let wv = slotW8[Int(rSlot[r])]
              delta += wv * SIMD8(repeating: reserveLevel[r] - resOpen[r])
              through += wv * SIMD8(repeating: resOpen[r])
            }
            // Most site-months cannot beat the largest residual so far: a product instead of a
            // quotient, with slack so it never misses one, skips the exact relative residual.
            let cut = maxRel * 0.999_999_9
            for e in 0..<E {
              let a = abs(delta[e] - net[e])
              if a > maxAbs { maxAbs = a }
              let th = through[e]
              guard a > th * cut else { continue }
              let rel = th > 0 ? a / th : 0
              if rel > maxRel {
                maxRel = rel
                worst = (s, t, e)
              }
            }
          }
        } else {
          for s in 0..<S {
            let mats = Int(siteSlotStart[s])..<Int(siteSlotStart[s + 1])
            let rs = Int(siteResStart[s])..<Int(siteResStart[s + 1])
            guard !mats.isEmpty || !rs.isEmpty else { continue }
            for e in 0..<E {
              var delta = 0.0, through = 0.0, net = 0.0
              for i in mats {
                let wv = slotW[i * E + e]
                delta += wv * (stock[i] - opening[i])
                net += wv * (flowIn[i] - flowOut[i])
                through += wv * (flowIn[i] + flowOut[i] + opening[i])
              }
              for q in rs {
                let r = Int(siteResList[q])
                let wv = slotW[Int(rSlot[r]) * E + e]
                delta += wv * (reserveLevel[r] - resOpen[r])
                through += wv * resOpen[r]
              }
              // Process losses leave the site: production − consumption already nets them out.
              let residual = abs(delta - net)
              let rel = through > 0 ? residual / through : 0
              if residual > maxAbs { maxAbs = residual }
              if rel > maxRel {
                maxRel = rel
                worst = (s, t, e)
              }
            }
          }
        }
      }
    }

    // Assemble the result. Series that stay +0.0 throughout share one array.
    let zeros = [Double](repeating: 0, count: T)
    func series(_ p: UnsafeMutablePointer<Double>) -> [Double] {
      var allZero = true
      for t in 0..<T where p[t].bitPattern != 0 {
        allZero = false
        break
      }
      return allZero ? zeros : Array(UnsafeBufferPointer(start: p, count: T))
    }
    /// `activity` × `a`, month by month.
    func scaled(_ act: UnsafeMutablePointer<Double>, _ a: Double) -> [Double] {
      [Double](unsafeUninitializedCapacity: T) { b, n in
        for t in 0..<T { b[t] = act[t] * a }
        n = T
      }
    }
    let procSeries: [ProcessSeries] = sc.processes.enumerated().map { pi, p in
      let cp = c.procs[pi]
      let act = series(activity + pi * T)
      let actP = activity + pi * T
      return ProcessSeries(
        process: p.id, name: p.name, site: p.site, country: siteCountry[cp.site], stage: p.stage, reference: p.reference,
        activity: act, available: cp.available,
        inputs: p.inputs.map { t in (t.material, scaled(actP, t.amount)) },
        outputs: p.outputs.map { t in (t.material, scaled(actP, t.amount)) },
        losses: (0..<E).map { e in
          let l = lossPerRef[pi * E + e]
          return l == 0 ? zeros : scaled(actP, l)
        })
    }
    let shipSeries: [ShipmentSeries] = c.channels.enumerated().map { k, ch in
      ShipmentSeries(
        link: linkIDs[ch.link], from: siteIDs[ch.from], to: siteIDs[ch.to], fromCountry: siteCountry[ch.from],
        toCountry: siteCountry[ch.to], material: materialIDs[ch.m], purpose: ch.purpose, shipped: series(shipped + k * T),
        delivered: series(delivered + k * T), blocked: series(blocked + k * T))
    }
    var stockSeries: [StockSeries] = []
    var level = [Double](repeating: 0, count: T)
    for x in 0..<nSlots {
      var any = false
      for t in 0..<T {
        level[t] = stockRec[t * nSlots + x]
        if level[t] != 0 { any = true }
      }
      let ri = Int(slotResIdx[x])
      let required = ri < 0 ? reqSeries[x] : Array(UnsafeBufferPointer(start: reqRes + ri * T, count: T))
      guard any || required.contains(where: { $0 != 0 }) else { continue }
      let cover = [Double](unsafeUninitializedCapacity: T) { b, n in
        for t in 0..<T { b[t] = required[t] > 0 ? level[t] / required[t] : Double.infinity }
        n = T
      }
      stockSeries.append(StockSeries(site: siteIDs[Int(slotSite[x])], material: materialIDs[Int(slotMat[x])], level: level, monthsOfCover: cover))
    }
    let demandSeries: [DemandSeries] = sc.demands.enumerated().map { k, d in
      DemandSeries(
        demand: d.id, sector: d.sector, site: d.site, material: d.material, endUnit: d.endUnit, intensity: d.intensity,
        required: c.demands[k].required, met: series(met + k * T), fromReserve: series(fromReserve + k * T))
    }
    let reserveSeries: [ReserveSeries] = sc.reserves.enumerated().map { r, x in
      ReserveSeries(reserve: x.id, site: x.site, material: x.material, level: series(resLevel + r * T), filled: series(resFill + r * T), released: series(resRelease + r * T))
    }
    var tollSeries: [TollingSeries] = []
    var ai = 0
    for ag in sc.agreements {
      guard ai < A else { break }
      tollSeries.append(
        TollingSeries(
          agreement: ag.id, input: ag.input, output: ag.output, inputShipped: series(tInShip + ai * T), inputConverted: series(tConv + ai * T),
          outputMade: series(tMade + ai * T), outputOwed: series(tOwed + ai * T), feeInKind: series(tFee + ai * T), returned: series(tRet + ai * T)))
      ai += 1
    }
    let worstTuple = worst.map { (sc.sites[$0.0].id, c.months[$0.1], sc.elements[$0.2]) }
    return SimulationResult(
      scenario: sc.name, variant: variant, months: c.months, elements: sc.elements, processes: procSeries, shipments: shipSeries,
      stocks: stockSeries, demands: demandSeries, reserves: reserveSeries, tolling: tollSeries,
      balance: BalanceReport(maxAbsolute: maxAbs, maxRelative: maxRel, worst: worstTuple, checked: checkBalance ? S * T * E : 0))
  }
}
