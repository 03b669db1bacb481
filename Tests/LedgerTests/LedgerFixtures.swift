import Chemistry
import Foundation
import Ledger
import LedgerSQLite
import Quantities
import SupplyChain
import TestSupport

/// A ledger over a fresh SQLite file with a fixed clock; returns the file path too.
func makeLedger() async throws -> (Ledger, String) {
  let dir = try temporaryDirectory("ledger-core")
  let path = dir.appendingPathComponent("ledger.db").path
  let store = try SQLiteStore(path: path)
  _ = try await store.migrate()
  return (Ledger(store: store, now: { "2027-06-30T12:00:00Z" }), path)
}

let irelOp = Actor(organisation: "irel", role: .operator)
let jpOp = Actor(organisation: "jp", role: .operator)

func commission(_ id: String, lot: String, kg: Double, nd: Double = 0.8, origin: String = "IN", time: String)
  -> LedgerEvent
{
  LedgerEvent(
    kind: .object, eventID: id, eventTime: time, action: .add, bizStep: .commissioning, bizLocation: "irel-aluva",
    created: [LotSpec(id: lot, material: "oxide", mass: kg, assay: [.Nd: nd], origin: origin)])
}

func ship(_ id: String, lots: [String], to: String, time: String, agreement: String? = "toll") -> LedgerEvent {
  LedgerEvent(
    kind: .object, eventID: id, eventTime: time, action: .observe, bizStep: .shipping, disposition: "in_transit",
    lots: lots, consignee: to, agreement: agreement)
}

func receive(_ id: String, lots: [String], at site: String, time: String) -> LedgerEvent {
  LedgerEvent(
    kind: .object, eventID: id, eventTime: time, action: .observe, bizStep: .receiving, bizLocation: site, lots: lots)
}

func transform(_ id: String, inputs: [(String, Double)], outputs: [LotSpec], time: String) -> LedgerEvent {
  LedgerEvent(
    kind: .transformation, eventID: id, eventTime: time, bizStep: .transforming, bizLocation: "jp-plant",
    created: outputs, inputs: inputs.map { LotQuantity(lot: $0.0, mass: $0.1) }, agreement: "toll")
}

/// A two-site scenario with round numbers for hand calculation: oxide is 80 % Nd, magnet 30 % Nd,
/// the processor uses 0.5 kg oxide per kg magnet (Nd yield 0.3 / (0.5 × 0.8) = 75 %),
/// 70 % of the magnets go back.
func tollingScenario() -> Scenario {
  guard let start = YearMonth(year: 2027, month: 1) else { preconditionFailure("valid month") }
  return Scenario(
    name: "toll-test", start: start, months: 12,
    materials: [
      Material(id: "oxide", name: "Nd oxide", form: .oxide, composition: Composition([.Nd: 0.8])),
      Material(id: "magnet", name: "Magnet", form: .magnet, composition: Composition([.Nd: 0.3, .Fe: 0.69])),
    ],
    sites: [
      Site(id: "irel-aluva", name: "IREL", country: "IN", owner: "IREL"),
      Site(id: "jp-plant", name: "JP", country: "JP", owner: "JP"),
    ],
    processes: [
      Process(
        id: "jp-make", name: "oxide to magnet", site: "jp-plant", stage: .magnet, reference: "magnet",
        inputs: [RecipeTerm(material: "oxide", amount: 0.5)], outputs: [RecipeTerm(material: "magnet", amount: 1)],
        losses: .rest, capacity: 1)
    ],
    agreements: [
      TollingAgreement(
        id: "toll", principal: "irel-aluva", processor: "jp-plant", input: "oxide", output: "magnet", shareReturned: 0.7)
    ])
}

func magnet(_ id: String, kg: Double, owner: String, nd: Double = 0.3) -> LotSpec {
  LotSpec(id: id, material: "magnet", mass: kg, assay: [.Nd: nd, .Fe: 0.69], grade: "N42", owner: owner)
}
