import Planning
import Quantities
import SupplyChain

/// Tables of an optimised plan, shared by `lodestone plan` and the server.
public enum PlanReport {
  /// Investments, unmet demand, shipments (with their purpose), production and reserves per year in t, and
  /// shadow prices in USD/t when the LP reports them.
  public static func tables(_ s: Scenario, _ r: PlanResult) -> [(name: String, table: Table)] {
    let years = Array(Set(r.months.map(\.year))).sorted()
    func perYear(_ v: [Double]) -> [String] {
      years.map { y in formatNumber(zip(r.months, v).filter { $0.0.year == y }.reduce(0) { $0 + $1.1 }, significantDigits: 5) }
    }
    var builds = Table(title: "Investments (modules started; capex in USD)", columns: ["candidate", "process", "site", "modules", "construction starts", "operating from", "capacity added (t/yr)", "capex (USD)"])
    for b in r.builds {
      let site = s.processes.first { $0.id == b.process }?.site.rawValue ?? ""
      builds.append([b.candidate.rawValue, b.process.rawValue, site, "\(b.modules)", "\(b.start)", "\(b.operating)", formatNumber(b.capacity * secondsPerYear / 1000, significantDigits: 5), fixedFormat(b.capex, decimals: 0)])
    }
    for c in s.candidates where !r.builds.contains(where: { $0.candidate == c.id }) {
      builds.append([c.id.rawValue, c.process.rawValue, s.processes.first { $0.id == c.process }?.site.rawValue ?? "", "0", "-", "-", "0", "0"])
    }
    var demand = Table(title: "Unmet demand (t per year)", columns: ["demand", "sector"] + years.map(String.init) + ["total", "met %"])
    for d in r.demand {
      let sector = s.demands.first { $0.id == d.demand }?.sector.rawValue ?? ""
      let req = d.required.reduce(0, +), un = d.unmet.reduce(0, +)
      demand.append([d.demand.rawValue, sector] + perYear(d.unmet) + [formatNumber(un, significantDigits: 5), formatNumber(req > 0 ? 100 * (1 - un / req) : 100, significantDigits: 4)])
    }
    var flows = Table(title: "Shipments (t per year)", columns: ["link", "material", "purpose"] + years.map(String.init) + ["total"])
    for (k, f) in r.flows.enumerated() where f.values.reduce(0, +) > 1e-9 {
      let purpose: String
      switch r.purposes[k] {
      case .trade: purpose = "trade"
      case .tollingInput(let a): purpose = "tolling input \(s.agreements[a].id)"
      case .tollingReturn(let a): purpose = "tolling return \(s.agreements[a].id)"
      }
      flows.append([f.link.rawValue, f.material.rawValue, purpose] + perYear(f.values) + [formatNumber(f.values.reduce(0, +), significantDigits: 5)])
    }
    var production = Table(title: "Production (t of capacity basis per year)", columns: ["process"] + years.map(String.init) + ["total"])
    for a in r.activity where a.values.reduce(0, +) > 1e-9 {
      production.append([a.process.rawValue] + perYear(a.values) + [formatNumber(a.values.reduce(0, +), significantDigits: 5)])
    }
    var tables = [("builds", builds), ("demand", demand), ("shipments", flows), ("production", production)]
    if !r.reserves.isEmpty {
      var res = Table(title: "Reserves (t at the end of each year; released per year)", columns: ["reserve"] + years.map { "\($0) level" } + ["released"])
      for x in r.reserves {
        let ends = years.map { y in x.level[(r.months.lastIndex { $0.year == y }) ?? 0] }
        res.append([x.reserve.rawValue] + ends.map { formatNumber($0, significantDigits: 5) } + [formatNumber(x.released.reduce(0, +), significantDigits: 5)])
      }
      tables.append(("reserves", res))
    }
    if let prices = r.shadowPrices {
      var sp = Table(title: "Shadow prices: value of one more tonne (USD/t, mean over each year)", columns: ["site", "material"] + years.map(String.init))
      for p in prices where p.values.contains(where: { abs($0) > 1e-6 }) {
        sp.append([p.site.rawValue, p.material.rawValue] + years.map { y in
          let v = zip(r.months, p.values).filter { $0.0.year == y }.map(\.1)
          return formatNumber(v.reduce(0, +) / Double(max(1, v.count)), significantDigits: 5)
        })
      }
      tables.append(("shadow-prices", sp))
    }
    return tables
  }
}
