import Chemistry
import Quantities

let chemistryBenchmark = Benchmark(name: "chem", summary: "formula parsing and quantity parsing throughput") {
  let formulas = ["Nd2O3", "(Nd0.8Pr0.2)2O3", "NdCl3·6H2O", "Nd2Fe14B", "Pr6O11", "Tb4O7"]
  var sink = 0.0
  let n = 20_000
  let t = bestSeconds {
    for i in 0..<n {
      if let f = try? Formula(formulas[i % formulas.count]) { sink += f.molarMass }
    }
  }
  print("formula parse + molar mass: \(formatNumber(Double(n) / t, significantDigits: 3)) formulas/s")
  let texts = ["450 t/yr", "1.5 kg/vehicle", "60 USD/kg", "95 %", "18 months"]
  let tq = bestSeconds {
    for i in 0..<n {
      if let q = try? Quantity.parse(texts[i % texts.count]) { sink += q.si }
    }
  }
  print("quantity parse: \(formatNumber(Double(n) / tq, significantDigits: 3)) quantities/s  (checksum \(formatNumber(sink, significantDigits: 3)))")
}
