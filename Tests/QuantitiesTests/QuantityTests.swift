import Quantities
import Testing
import TestSupport

@Suite struct QuantityParsing {
  struct Case: Sendable, CustomTestStringConvertible {
    let text: String
    let dimension: Dimension
    let si: Double
    var testDescription: String { text }
  }

  // SI values by hand: 1 t = 1000 kg; 1 yr = 365.25 d = 31 557 600 s; 1 month = yr/12.
  static let cases: [Case] = [
    Case(text: "450 t", dimension: .mass, si: 450_000),
    Case(text: "2.5 kt", dimension: .mass, si: 2.5e6),
    Case(text: "12 g", dimension: .mass, si: 0.012),
    Case(text: "450 t/yr", dimension: .massRate, si: 450_000 / 31_557_600),
    Case(text: "5,500 t/yr", dimension: .massRate, si: 5_500_000 / 31_557_600),
    Case(text: "5_500 t/yr", dimension: .massRate, si: 5_500_000 / 31_557_600),
    Case(text: "40 t/month", dimension: .massRate, si: 40_000 / 2_629_800),
    Case(text: "3 kg/day", dimension: .massRate, si: 3 / 86_400),
    Case(text: "1.5 kg/vehicle", dimension: .massPerCount, si: 1.5),
    Case(text: "0.6 t/MW", dimension: .massPerPower, si: 600 / 1e6),
    Case(text: "2 kg/unit", dimension: .massPerCount, si: 2),
    Case(text: "60 USD/kg", dimension: .moneyPerMass, si: 60),
    Case(text: "110 USD/kg", dimension: .moneyPerMass, si: 110),
    Case(text: "2.5 MUSD", dimension: .money, si: 2.5e6),
    Case(text: "95 %", dimension: .dimensionless, si: 0.95),
    Case(text: "95%", dimension: .dimensionless, si: 0.95),
    Case(text: "0.95", dimension: .dimensionless, si: 0.95),
    Case(text: "500 ppm", dimension: .dimensionless, si: 5e-4),
    Case(text: "18 months", dimension: .time, si: 18 * 2_629_800),
    Case(text: "2 yr", dimension: .time, si: 2 * 31_557_600),
    Case(text: "1e3 kg", dimension: .mass, si: 1000),
    Case(text: "120000 vehicle/yr", dimension: .countRate, si: 120_000 / 31_557_600),
    Case(text: "2000 MW/yr", dimension: .powerRate, si: 2e9 / 31_557_600),
  ]

  @Test(arguments: cases) func parses(_ c: Case) throws {
    let q = try Quantity.parse(c.text)
    #expect(q.dimension == c.dimension)
    #expect(approx(q.si, c.si, rel: 1e-12), "\(c.text): \(q.si) vs \(c.si)")
  }

  @Test func currencyAndNounAreKept() throws {
    #expect(try Quantity.parse("60 USD/kg").currency == "USD")
    #expect(try Quantity.parse("7 INR/kg").currency == "INR")
    #expect(try Quantity.parse("1.5 kg/vehicle").noun == "vehicle")
  }

  @Test func roundTripsThroughUnits() throws {
    let q = try Quantity.parse("450 t/yr")
    #expect(approx(try q.value(in: "t/month"), 37.5, rel: 1e-12))
    #expect(approx(try q.value(in: "kg/day"), 450_000 / 365.25, rel: 1e-12))
    #expect(try q.formatted(in: "t/yr") == "450 t/yr")
  }

  @Test func unknownUnitListsKnownOnes() {
    do {
      _ = try Quantity.parse("450 tonnes/yr")
      Issue.record("expected an error")
    } catch {
      #expect(error == .unknownUnit(text: "tonnes"))
      #expect(error.description.contains("Known units:"))
      #expect(error.description.contains("t/yr"))
      #expect(error.description.contains("kt"))
    }
  }

  @Test func wrongDimensionIsNamed() {
    #expect(throws: QuantityError.self) { try Quantity.parse("450 t", as: .massRate) }
    do {
      _ = try Quantity.parse("450 t", as: .massRate)
    } catch {
      #expect(error.description == "Expected a mass rate (e.g. 450 t/yr); got '450 t'.")
    }
  }

  @Test(arguments: ["", "t/yr", "abc", "4.5.6 t"]) func rejectsNonNumbers(_ text: String) {
    #expect(throws: QuantityError.self) { try Quantity.parse(text) }
  }
}

@Suite struct CalendarMonths {
  @Test func parsesAndCounts() throws {
    let a = try YearMonth.parse("2026-04")
    #expect(a.year == 2026 && a.month == 4)
    #expect(a.description == "2026-04")
    #expect(a.adding(months: 9).description == "2027-01")
    #expect(try YearMonth.parse("2030-12").months(since: a) == 56)
    #expect(a < a.adding(months: 1))
  }

  @Test(arguments: ["2026-4", "2026-13", "26-04", "2026/04", "april"]) func rejects(_ t: String) {
    #expect(throws: QuantityError.badMonth(text: t)) { try YearMonth.parse(t) }
  }
}

@Suite struct NumberFormatting {
  @Test func significantDigits() {
    #expect(formatNumber(385.8104, significantDigits: 4) == "385.8")
    #expect(formatNumber(0.000123456, significantDigits: 3) == "0.000123")
    #expect(formatNumber(-2.5, significantDigits: 3) == "-2.5")
    #expect(formatNumber(1_234_567.4, significantDigits: 3) == "1234567")  // integer digits are never dropped
    #expect(formatNumber(0) == "0")
    #expect(fixedFormat(1.005, decimals: 1) == "1.0")
    #expect(fixedFormat(2.25, decimals: 1) == "2.3")
  }
}
