/// The physical dimension of a quantity as integer exponents over Lodestone's base
/// dimensions: mass (kg), time (s), money (one currency unit), count of end units
/// (vehicles, motors, units) and power (W, for wind capacity in MW).
///
/// `t/yr` is mass¹·time⁻¹; `kg/vehicle` is mass¹·count⁻¹; `t/MW` is mass¹·power⁻¹.
public struct Dimension: Hashable, Sendable, CustomStringConvertible {
  public var mass: Int8
  public var time: Int8
  public var money: Int8
  public var count: Int8
  public var power: Int8

  public init(mass: Int8 = 0, time: Int8 = 0, money: Int8 = 0, count: Int8 = 0, power: Int8 = 0) {
    self.mass = mass
    self.time = time
    self.money = money
    self.count = count
    self.power = power
  }

  public static let dimensionless = Dimension()
  public static let mass = Dimension(mass: 1)
  public static let time = Dimension(time: 1)
  public static let money = Dimension(money: 1)
  public static let count = Dimension(count: 1)
  public static let power = Dimension(power: 1)
  public static let massRate = Dimension(mass: 1, time: -1)
  public static let countRate = Dimension(time: -1, count: 1)
  public static let powerRate = Dimension(time: -1, power: 1)
  public static let massPerCount = Dimension(mass: 1, count: -1)
  public static let massPerPower = Dimension(mass: 1, power: -1)
  public static let moneyPerMass = Dimension(mass: -1, money: 1)
  public static let moneyRate = Dimension(time: -1, money: 1)

  public static func * (a: Dimension, b: Dimension) -> Dimension {
    Dimension(
      mass: a.mass + b.mass, time: a.time + b.time, money: a.money + b.money,
      count: a.count + b.count, power: a.power + b.power)
  }

  public static func / (a: Dimension, b: Dimension) -> Dimension {
    Dimension(
      mass: a.mass - b.mass, time: a.time - b.time, money: a.money - b.money,
      count: a.count - b.count, power: a.power - b.power)
  }

  /// A plain-English name with an example, used in error messages.
  public var description: String {
    switch self {
    case .dimensionless: return "a fraction or plain number (e.g. 0.95 or 95 %)"
    case .mass: return "a mass (e.g. 450 t)"
    case .time: return "a duration (e.g. 18 months)"
    case .money: return "an amount of money (e.g. 2.5 MUSD)"
    case .count: return "a count of end units (e.g. 1000 vehicle)"
    case .power: return "a power (e.g. 500 MW)"
    case .massRate: return "a mass rate (e.g. 450 t/yr)"
    case .countRate: return "a rate of end units (e.g. 120000 vehicle/yr)"
    case .powerRate: return "a rate of installed power (e.g. 2000 MW/yr)"
    case .massPerCount: return "a mass per end unit (e.g. 1.5 kg/vehicle)"
    case .massPerPower: return "a mass per unit of power (e.g. 0.6 t/MW)"
    case .moneyPerMass: return "a price per mass (e.g. 60 USD/kg)"
    case .moneyRate: return "money per time (e.g. 4 MUSD/yr)"
    default:
      let parts: [(String, Int8)] = [("kg", mass), ("s", time), ("money", money), ("unit", count), ("W", power)]
      let text = parts.filter { $0.1 != 0 }.map { $0.1 == 1 ? $0.0 : "\($0.0)^\($0.1)" }
      return "a quantity in " + text.joined(separator: "·")
    }
  }
}
