// Tolling reconciliation: for each agreement and period, the magnets that the oxide shipped
// should have made (element balance through the processor's recipe) and the share due back,
// against what was made, returned, awaiting return and retained.
import Chemistry
import Quantities
import SupplyChain

/// A span of whole months, inclusive.
public struct Period: Sendable, Hashable, CustomStringConvertible {
  public var from: YearMonth
  public var to: YearMonth
  public var label: String

  public init(from: YearMonth, to: YearMonth, label: String) {
    self.from = from
    self.to = to
    self.label = label
  }

  /// Parses `2027`, `2027-Q2` or `2027-03`.
  public static func parse(_ text: String) throws(LedgerError) -> Period {
    let bad = LedgerError.invalidInput("period must be YYYY, YYYY-Qn or YYYY-MM (2027, 2027-Q2, 2027-03); got '\(text)'.")
    let parts = text.split(separator: "-")
    guard let y = Int(parts.first ?? ""), (1000...9999).contains(y), parts.first?.count == 4 else { throw bad }
    if parts.count == 1, let a = YearMonth(year: y, month: 1), let b = YearMonth(year: y, month: 12) {
      return Period(from: a, to: b, label: text)
    }
    guard parts.count == 2 else { throw bad }
    if parts[1].hasPrefix("Q"), let q = Int(parts[1].dropFirst()), (1...4).contains(q),
      let a = YearMonth(year: y, month: 3 * q - 2), let b = YearMonth(year: y, month: 3 * q)
    {
      return Period(from: a, to: b, label: text)
    }
    if parts[1].count == 2, let m = Int(parts[1]), let a = YearMonth(year: y, month: m) {
      return Period(from: a, to: a, label: text)
    }
    throw bad
  }

  /// True when an ISO time (`2027-03-15T…`) falls in the period.
  public func contains(time: String) -> Bool {
    guard let m = try? YearMonth.parse(String(time.prefix(7))) else { return false }
    return m >= from && m <= to
  }

  public var description: String { label }
}

/// One agreement × period of reconciliation. Masses in kg.
public struct ReconciliationRow: Sendable, Hashable {
  public var agreement: String
  public var period: String
  public var principal: String
  public var processor: String
  /// Input shipped under the agreement in the period.
  public var shipped: Double
  /// Of it, consumed by the processor's transformations so far.
  public var consumed: Double
  /// Shipped but not yet transformed (in transit or held at the processor).
  public var inProcess: Double
  /// Output the consumed input should make (element balance through the recipe).
  public var expectedOutput: Double
  /// Output made from it (attributed by input mass share of each transformation).
  public var made: Double
  /// `shareReturned × expectedOutput`.
  public var expectedReturn: Double
  /// Principal-owned output shipped back.
  public var returned: Double
  /// Principal-owned output made but not yet shipped back.
  public var awaitingReturn: Double
  /// `(1 − shareReturned) × expectedOutput`.
  public var expectedRetained: Double
  /// Output made and not the principal's (the fee in kind): `made − returned − awaitingReturn`.
  public var retained: Double
  /// `expectedReturn − returned − awaitingReturn` (positive = short).
  public var shortfall: Double
  /// `ok`, or the flags raised (`yield-short`, `return-short`, `over-retained`).
  public var status: String
  /// Lots involved: input lots shipped, then output lots.
  public var lots: [String]
}

public enum Reconciliation {
  /// Default relative tolerance before a difference is flagged (2 %).
  public static let defaultTolerance = 0.02

  /// kg of `agreement.output` that `inputs` (lot, kg consumed, assay) should make through the
  /// processor's recipe: the least over rare-earth elements of (element mass in) /
  /// (recipe kg input per kg output × the scenario input's fraction of that element),
  /// counting only elements the output contains.
  public static func expectedOutput(
    consumed inputs: [(mass: Double, assay: [Element: Double])], agreement: TollingAgreement, scenario: Scenario
  ) throws -> Double {
    guard
      let process = scenario.processes.first(where: { p in
        p.site == agreement.processor && p.inputs.contains { $0.material == agreement.input }
          && p.outputs.contains { $0.material == agreement.output }
      }),
      let inputTerm = process.inputs.first(where: { $0.material == agreement.input }),
      let outputTerm = process.outputs.first(where: { $0.material == agreement.output }),
      let inMat = scenario.materials.first(where: { $0.id == agreement.input }),
      let outMat = scenario.materials.first(where: { $0.id == agreement.output })
    else {
      throw LedgerError.invalidInput(
        "agreement '\(agreement.id)': the scenario has no process at '\(agreement.processor)' turning '\(agreement.input)' into '\(agreement.output)'.")
    }
    // kg input per kg output.
    let perOutput = inputTerm.amount / outputTerm.amount
    var best = Double.infinity
    for (el, fOut) in outMat.composition.fractions where fOut > 0 && LedgerState.trackedElements.contains(el) {
      let fIn = inMat.composition.fraction(of: el)
      guard fIn > 0 else { continue }
      let elementIn = inputs.reduce(0) { $0 + $1.mass * ($1.assay[el] ?? 0) }
      best = min(best, elementIn / (perOutput * fIn))
    }
    guard best.isFinite else {
      throw LedgerError.invalidInput(
        "agreement '\(agreement.id)': '\(agreement.input)' and '\(agreement.output)' share no rare-earth element to balance.")
    }
    return best
  }

  /// Reconciles each agreement over `period` from the replayed `state`. `principal` and
  /// `processor` organisations are read from the shipments under the agreement.
  public static func reconcile(
    state: LedgerState, scenario: Scenario, agreements: [TollingAgreement], period: Period,
    tolerance: Double = defaultTolerance
  ) throws -> [ReconciliationRow] {
    var rows: [ReconciliationRow] = []
    for a in agreements.sorted(by: { $0.id < $1.id }) {
      let shipped = state.shipments.filter {
        $0.agreement == a.id.rawValue && state.lots[$0.lot]?.material == a.input.rawValue && period.contains(time: $0.time)
      }
      guard let principal = shipped.first?.from, let processor = shipped.first?.to else {
        rows.append(
          ReconciliationRow(
            agreement: a.id.rawValue, period: period.label, principal: "", processor: "", shipped: 0, consumed: 0,
            inProcess: 0, expectedOutput: 0, made: 0, expectedReturn: 0, returned: 0, awaitingReturn: 0,
            expectedRetained: 0, retained: 0, shortfall: 0, status: "no shipments", lots: []))
        continue
      }
      let cohort = Set(shipped.map(\.lot))
      var consumedInputs: [(mass: Double, assay: [Element: Double])] = []
      var made = 0.0
      var returned = 0.0
      var awaiting = 0.0
      var retained: Double
      var outputLots: [String] = []
      for t in state.transformations where t.organisation == processor {
        let fromCohort = t.inputs.filter { cohort.contains($0.lot) }
        if fromCohort.isEmpty { continue }
        // Attribution: the cohort's share of this transformation's agreement input (for all
        // output), and of the principal's agreement input (for principal-owned output), so
        // that the processor's own material mixed in is not counted against the principal.
        let ofKind = t.inputs.filter { state.lots[$0.lot]?.material == a.input.rawValue }
        let cohortIn = fromCohort.reduce(0) { $0 + $1.mass }
        let allIn = ofKind.reduce(0) { $0 + $1.mass }
        let principalIn = ofKind.filter { state.lots[$0.lot]?.owner == principal }.reduce(0) { $0 + $1.mass }
        for q in fromCohort { consumedInputs.append((q.mass, state.lots[q.lot]?.assay ?? [:])) }
        for o in t.outputs {
          guard let lot = state.lots[o], lot.material == a.output.rawValue else { continue }
          outputLots.append(o)
          let m = allIn > 0 ? lot.initialMass * cohortIn / allIn : 0
          made += m
          guard lot.owner == principal else { continue }
          let p = principalIn > 0 ? lot.initialMass * cohortIn / principalIn : 0
          if state.shipments.contains(where: { $0.lot == o && $0.from == processor }) {
            returned += p
          } else {
            awaiting += p
          }
        }
      }
      retained = max(0, made - returned - awaiting)
      let shippedMass = shipped.reduce(0) { $0 + $1.mass }
      let consumed = consumedInputs.reduce(0) { $0 + $1.mass }
      let expected = consumed > 0 ? try expectedOutput(consumed: consumedInputs, agreement: a, scenario: scenario) : 0
      let expectedReturn = a.shareReturned * expected
      let expectedRetained = (1 - a.shareReturned) * expected
      var flags: [String] = []
      if made < expected * (1 - tolerance) - 1e-9 { flags.append("yield-short") }
      if returned + awaiting < expectedReturn * (1 - tolerance) - 1e-9 { flags.append("return-short") }
      if retained > expectedRetained * (1 + tolerance) + 1e-9 { flags.append("over-retained") }
      rows.append(
        ReconciliationRow(
          agreement: a.id.rawValue, period: period.label, principal: principal, processor: processor,
          shipped: shippedMass, consumed: consumed, inProcess: max(0, shippedMass - consumed), expectedOutput: expected,
          made: made, expectedReturn: expectedReturn, returned: returned, awaitingReturn: awaiting,
          expectedRetained: expectedRetained, retained: retained, shortfall: expectedReturn - returned - awaiting,
          status: flags.isEmpty ? "ok" : flags.joined(separator: " "),
          lots: cohort.sorted() + Array(Set(outputLots)).sorted()))
    }
    return rows
  }
}

extension Ledger {
  /// Reconciles `agreements` over `period` for a party to them (principal or processor).
  public func reconcile(
    scenario: Scenario, agreements: [TollingAgreement], period: Period, tolerance: Double = Reconciliation.defaultTolerance,
    as actor: Actor
  ) async throws -> [ReconciliationRow] {
    let s = try await state()
    let rows = try Reconciliation.reconcile(
      state: s, scenario: scenario, agreements: agreements, period: period, tolerance: tolerance)
    let foreign = rows.filter { !$0.principal.isEmpty && $0.principal != actor.organisation && $0.processor != actor.organisation }
    try await authorize(
      actor, .reconcile, target: agreements.map(\.id.rawValue).sorted().joined(separator: ","),
      scope: foreign.isEmpty
        ? nil : "\(actor.organisation) is party to neither side of agreement '\(foreign[0].agreement)'")
    return rows
  }
}
