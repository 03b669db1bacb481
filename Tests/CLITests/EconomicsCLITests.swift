import Testing
import TestSupport

@Suite struct EconomicsCLI {
  @Test func npvOfTheNumpyFinancialExample() throws {
    // By hand at 10 %: −100 + 39/1.1 + 59/1.21 + 55/1.331 + 20/1.4641 = 39.20 USD;
    // IRR 28.0948 % (numpy-financial's documented value for these flows).
    let r = try runLodestone(["npv", fixtureURL("valid/cashflows.csv").path, "--rate", "10 %", "--format", "csv"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("npv,39.20,USD"), "\(r.stdout)")
    #expect(r.stdout.contains("irr,28.094842,%/yr"), "\(r.stdout)")
  }

  @Test func badRowIsLocated() throws {
    let dir = try temporaryDirectory("npv")
    let f = dir.appendingPathComponent("bad.csv")
    try "period,cash_flow\n0,-100\n1,ten\n".write(to: f, atomically: true, encoding: .utf8)
    let r = try runLodestone(["npv", f.path])
    #expect(r.status == 65)
    #expect(r.stderr.contains("bad.csv:3:2: cash_flow must be a number; got 'ten'."), "\(r.stderr)")
  }

  @Test func badRateIsDataError() throws {
    let r = try runLodestone(["npv", fixtureURL("valid/cashflows.csv").path, "--rate", "8 t"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("Expected a fraction"), "\(r.stderr)")
  }
}
