import ArgumentParser
import Chemistry
import Quantities

struct Chem: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chem",
    abstract: "Chemistry: molar masses, element fractions and element-basis conversions.",
    subcommands: [Mass.self, Convert.self])

  struct Mass: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Molar mass (g/mol) and element mass fractions of a formula, e.g. 'Nd2Fe14B'.")
    @Argument(help: "A chemical formula: (Nd0.8Pr0.2)2O3, NdCl3·6H2O, Nd2Fe14B.") var formula: String
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

    func run() throws {
      try reportingErrors {
        let f = try Formula(formula)
        switch format {
        case .table:
          print("\(f.text): molar mass \(fixedFormat(f.molarMass, decimals: 4)) g/mol")
          print("element  atoms      mass fraction")
          for (e, w) in f.massFractions {
            let n = formatNumber(f.count(of: e), significantDigits: 6)
            print(pad(e.symbol, 9) + pad(n, 11) + fixedFormat(w * 100, decimals: 4) + " %")
          }
        case .csv:
          print("formula,element,atoms,mass_fraction")
          for (e, w) in f.massFractions {
            print("\(f.text),\(e.symbol),\(formatNumber(f.count(of: e), significantDigits: 10)),\(formatNumber(w, significantDigits: 12))")
          }
        case .json:
          let parts = f.massFractions.map {
            "{\"element\":\"\($0.element.symbol)\",\"atoms\":\(formatNumber(f.count(of: $0.element), significantDigits: 10)),\"mass_fraction\":\(formatNumber($0.fraction, significantDigits: 12))}"
          }
          print("{\"formula\":\"\(f.text)\",\"molar_mass_g_per_mol\":\(formatNumber(f.molarMass, significantDigits: 12)),\"elements\":[\(parts.joined(separator: ","))]}")
        }
      }
    }
  }

  struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Convert a mass of one compound to another on an element basis, e.g. \"450 t Nd2O3\" --to Nd.")
    @Argument(help: "A mass and a formula, e.g. \"450 t Nd2O3\".") var amount: String
    @Option(help: "The target element or compound (e.g. Nd, NdF3, Pr6O11).") var to: String
    @Option(help: "The basis element (default: the one metal both share).") var basis: String?
    @Option(help: "Unit for the result (default: the input's unit).") var unit: String?
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

    func run() throws {
      try reportingErrors {
        let words = amount.split(separator: " ").map(String.init)
        guard words.count >= 3 else {
          throw DataError("The amount must be '<number> <unit> <formula>' (e.g. \"450 t Nd2O3\"); got '\(amount)'.")
        }
        let formulaText = words[words.count - 1]
        let massText = words[0..<(words.count - 1)].joined(separator: " ")
        let mass = try Quantity.parse(massText, as: .mass)
        let source = try Formula(formulaText)
        let target = try Formula(to)
        let basisElement: Element
        if let basis {
          guard let e = Element(symbol: basis) else {
            throw DataError("Basis must be an element symbol (e.g. Nd); got '\(basis)'.")
          }
          basisElement = e
        } else {
          basisElement = try BasisConversion.defaultBasis(from: source, to: target)
        }
        let outUnit = unit ?? words[words.count - 2]
        let kg = try BasisConversion.convert(mass: mass.si, from: source, to: target, basis: basisElement)
        let value = try Quantity.kilograms(kg).value(in: outUnit)
        let text = formatNumber(value, significantDigits: 6)
        switch format {
        case .table: print("\(massText) \(source.text) = \(text) \(outUnit) \(target.text) (basis \(basisElement.symbol))")
        case .csv:
          print("input,target,basis,value,unit")
          print("\(massText) \(source.text),\(target.text),\(basisElement.symbol),\(text),\(outUnit)")
        case .json:
          print("{\"input\":\"\(massText) \(source.text)\",\"target\":\"\(target.text)\",\"basis\":\"\(basisElement.symbol)\",\"value\":\(text),\"unit\":\"\(outUnit)\"}")
        }
      }
    }
  }
}

/// Left-aligns `s` in a column of `width` characters.
func pad(_ s: String, _ width: Int) -> String {
  s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
}

/// Right-aligns `s` in a column of `width` characters.
func padLeft(_ s: String, _ width: Int) -> String {
  s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}
