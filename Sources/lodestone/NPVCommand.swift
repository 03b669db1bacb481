import ArgumentParser
import Economics
import Quantities
import Reports

struct NPV: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "npv",
    abstract: "NPV, IRR and payback of an investment from a cash-flow CSV (columns: period, cash_flow[, currency]).",
    discussion: "The first row is at time 0 and is not discounted. Example: lodestone npv plant.csv --rate \"8 %\"")

  @Argument(help: "CSV with a header containing cash_flow (one row per period).") var file: String
  @Option(help: "Discount rate per year, e.g. \"8 %\" or 0.08.") var rate: String = "8 %"
  @Option(help: "Periods per year in the file (1 = yearly, 12 = monthly).") var periodsPerYear: Int = 1
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

  func validate() throws {
    guard (1...365).contains(periodsPerYear) else {
      throw ValidationError("--periods-per-year must be in 1...365; got \(periodsPerYear).")
    }
  }

  func run() throws {
    try reportingErrors {
      let r = try Quantity.parse(rate, as: .dimensionless).si
      let table = try CashFlowTable.parse(csv: try readText(file), file: file)
      let npv = Investment.npv(rate: r, flows: table.flows, periodsPerYear: periodsPerYear)
      let irr = Investment.irr(flows: table.flows, periodsPerYear: periodsPerYear)
      let roots = Investment.irrRoots(flows: table.flows, periodsPerYear: periodsPerYear)
      let payback = Investment.payback(flows: table.flows, periodsPerYear: periodsPerYear)
      let discounted = Investment.payback(flows: table.flows, rate: r, periodsPerYear: periodsPerYear)
      let unit = periodsPerYear == 1 ? "years" : "periods"
      var t = Table(title: "Investment appraisal of \(file) (\(table.flows.count) periods, \(periodsPerYear)/yr)", columns: ["measure", "value", "unit"])
      t.append(["npv", fixedFormat(npv, decimals: 2), table.currency])
      t.append(["discount_rate", formatNumber(r * 100, significantDigits: 6), "%/yr"])
      t.append(["irr", irr.map { formatNumber($0 * 100, significantDigits: 8) } ?? "none", "%/yr"])
      t.append(["payback", payback.map { formatNumber($0, significantDigits: 6) } ?? "never", unit])
      t.append(["discounted_payback", discounted.map { formatNumber($0, significantDigits: 6) } ?? "never", unit])
      switch format {
      case .table:
        print(t.renderText(), terminator: "")
        if roots.count > 1 {
          print("note: the cash flows change sign more than once; IRRs: " + roots.map { formatNumber($0 * 100, significantDigits: 6) + " %" }.joined(separator: ", "))
        }
      case .csv: print(t.renderCSV(), terminator: "")
      case .json: print(t.renderJSON(), terminator: "")
      }
    }
  }
}
