/// Kinds of magnetic quantity that appear in grade tables and CLI options.
public enum MagneticUnitKind: Sendable {
  /// B, Br, J in tesla (bare numbers: T).
  case fluxDensity
  /// H, HcJ, HcB in A/m (bare numbers in tables: kA/m).
  case fieldStrength
  /// (BH)max in J/m³ (bare numbers in tables: kJ/m³).
  case energyDensity
  /// Temperature in °C (bare numbers: °C).
  case temperature
  /// Temperature coefficient in %/K (bare numbers: %/K).
  case coefficient

  var noun: String {
    switch self {
    case .fluxDensity: return "A flux density"
    case .fieldStrength: return "A field strength"
    case .energyDensity: return "An energy density"
    case .temperature: return "A temperature"
    case .coefficient: return "A temperature coefficient"
    }
  }
  var example: String {
    switch self {
    case .fluxDensity: return "'1.28 T', '12.8 kG' or '1280 mT'"
    case .fieldStrength: return "'955 kA/m', '12 kOe' or '955000 A/m'"
    case .energyDensity: return "'318 kJ/m3' or '40 MGOe'"
    case .temperature: return "'150 C', '150 °C', '423.15 K' or '302 F'"
    case .coefficient: return "'-0.12 %/K'"
    }
  }
  /// (unit text, factor to SI or to °C / %/K); the first is the default for bare numbers.
  var units: [(String, Double)] {
    switch self {
    case .fluxDensity: return [("T", 1), ("mT", 1e-3), ("kG", 0.1), ("G", 1e-4)]
    case .fieldStrength: return [("kA/m", 1e3), ("A/m", 1), ("MA/m", 1e6), ("kOe", 1e6 / (4 * Double.pi)), ("Oe", 1e3 / (4 * Double.pi))]
    case .energyDensity: return [("kJ/m3", 1e3), ("kJ/m³", 1e3), ("J/m3", 1), ("J/m³", 1), ("MGOe", 1e5 / (4 * Double.pi))]
    case .temperature: return [("C", 1), ("°C", 1), ("degC", 1)]
    case .coefficient: return [("%/K", 1), ("%/°C", 1), ("%/C", 1)]
    }
  }
}

/// Parses "1.28 T", "12 kOe", "150 °C", "-0.12 %/K" or a bare number (in the kind's table
/// unit: T, kA/m, kJ/m³, °C, %/K). Returns SI (T, A/m, J/m³), or °C and %/K for temperatures
/// and coefficients. Kelvin and Fahrenheit temperatures are converted to °C.
/// 1 kOe = 10⁶/(4π) A/m = 79.577 kA/m; 1 MGOe = 10⁵/(4π) J/m³ = 7.9577 kJ/m³.
public func parseMagneticQuantity(_ text: String, _ kind: MagneticUnitKind) throws(MagnetError) -> Double {
  let t = text.trimmingCharacters(in: .whitespaces)
  var numberEnd = t.startIndex
  for i in t.indices {
    let c = t[i]
    if c.isNumber || c == "." || c == "-" || c == "+" || ((c == "e" || c == "E") && i != t.startIndex) {
      numberEnd = t.index(after: i)
    } else {
      break
    }
  }
  let numText = String(t[..<numberEnd])
  let unit = t[numberEnd...].trimmingCharacters(in: .whitespaces)
  let bad = MagnetError.invalid("\(kind.noun) must be a number with an optional unit, e.g. \(kind.example); got '\(text)'.")
  guard let v = Double(numText), v.isFinite else { throw bad }
  if unit.isEmpty { return v * kind.units[0].1 }
  if case .temperature = kind {
    switch unit {
    case "K": return v - 273.15
    case "F", "°F", "degF": return (v - 32) * 5 / 9
    default: break
    }
  }
  guard let f = kind.units.first(where: { $0.0 == unit }) else {
    var known = kind.units.map { "'\($0.0)'" }
    if case .temperature = kind { known += ["'K'", "'F'"] }
    throw .invalid("\(kind.noun) must use one of the units \(known.joined(separator: ", ")); got '\(text)'.")
  }
  return v * f.1
}
