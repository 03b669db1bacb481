// Generated table: IUPAC/CIAAW standard atomic weights (2021, abridged conventional values),
// https://iupac.qmul.ac.uk/AtWt/ and https://www.ciaaw.org/atomic-weights.htm.
// Elements with no stable isotope carry the mass number of their longest-lived isotope
// (IUPAC convention, shown in brackets in the periodic table); `hasStandardWeight` is false for them.

/// A chemical element, Z = 1…118. Raw value is the IUPAC symbol.
public enum Element: String, CaseIterable, Sendable, Hashable, Comparable, Codable {
  case H, He, Li, Be, B, C, N, O, F, Ne, Na, Mg, Al, Si, P, S, Cl, Ar, K, Ca, Sc, Ti, V, Cr, Mn, Fe, Co, Ni, Cu, Zn
  case Ga, Ge, As, Se, Br, Kr, Rb, Sr, Y, Zr, Nb, Mo, Tc, Ru, Rh, Pd, Ag, Cd, In, Sn, Sb, Te, I, Xe, Cs, Ba, La, Ce, Pr, Nd
  case Pm, Sm, Eu, Gd, Tb, Dy, Ho, Er, Tm, Yb, Lu, Hf, Ta, W, Re, Os, Ir, Pt, Au, Hg, Tl, Pb, Bi, Po, At, Rn, Fr, Ra, Ac, Th
  case Pa, U, Np, Pu, Am, Cm, Bk, Cf, Es, Fm, Md, No, Lr, Rf, Db, Sg, Bh, Hs, Mt, Ds, Rg, Cn, Nh, Fl, Mc, Lv, Ts, Og

  /// Atomic number Z.
  public var atomicNumber: Int { Element.entry(self).z }
  /// Standard atomic weight in g/mol (numerically kg/kmol).
  public var atomicWeight: Double { Element.entry(self).weight }
  /// English name (IUPAC spelling).
  public var name: String { Element.entry(self).name }
  /// The IUPAC symbol.
  public var symbol: String { rawValue }
  /// False for elements without a stable isotope, whose weight is a mass number.
  public var hasStandardWeight: Bool { Element.entry(self).standard }

  public static func < (a: Element, b: Element) -> Bool { a.atomicNumber < b.atomicNumber }

  struct Entry: Sendable { let z: Int; let weight: Double; let name: String; let standard: Bool }

  static func entry(_ e: Element) -> Entry { entries[ordinal[e, default: 0]] }
  static let ordinal: [Element: Int] = Dictionary(uniqueKeysWithValues: Element.allCases.enumerated().map { ($1, $0) })

  /// Parses an element symbol, e.g. `"Nd"`.
  public init?(symbol: String) { self.init(rawValue: symbol) }

  static let entries: [Entry] = [
    Entry(z: 1, weight: 1.008, name: "Hydrogen", standard: true),
    Entry(z: 2, weight: 4.002602, name: "Helium", standard: true),
    Entry(z: 3, weight: 6.94, name: "Lithium", standard: true),
    Entry(z: 4, weight: 9.0121831, name: "Beryllium", standard: true),
    Entry(z: 5, weight: 10.81, name: "Boron", standard: true),
    Entry(z: 6, weight: 12.011, name: "Carbon", standard: true),
    Entry(z: 7, weight: 14.007, name: "Nitrogen", standard: true),
    Entry(z: 8, weight: 15.999, name: "Oxygen", standard: true),
    Entry(z: 9, weight: 18.998403162, name: "Fluorine", standard: true),
    Entry(z: 10, weight: 20.1797, name: "Neon", standard: true),
    Entry(z: 11, weight: 22.98976928, name: "Sodium", standard: true),
    Entry(z: 12, weight: 24.305, name: "Magnesium", standard: true),
    Entry(z: 13, weight: 26.9815384, name: "Aluminium", standard: true),
    Entry(z: 14, weight: 28.085, name: "Silicon", standard: true),
    Entry(z: 15, weight: 30.973761998, name: "Phosphorus", standard: true),
    Entry(z: 16, weight: 32.06, name: "Sulfur", standard: true),
    Entry(z: 17, weight: 35.45, name: "Chlorine", standard: true),
    Entry(z: 18, weight: 39.95, name: "Argon", standard: true),
    Entry(z: 19, weight: 39.0983, name: "Potassium", standard: true),
    Entry(z: 20, weight: 40.078, name: "Calcium", standard: true),
    Entry(z: 21, weight: 44.955907, name: "Scandium", standard: true),
    Entry(z: 22, weight: 47.867, name: "Titanium", standard: true),
    Entry(z: 23, weight: 50.9415, name: "Vanadium", standard: true),
    Entry(z: 24, weight: 51.9961, name: "Chromium", standard: true),
    Entry(z: 25, weight: 54.938043, name: "Manganese", standard: true),
    Entry(z: 26, weight: 55.845, name: "Iron", standard: true),
    Entry(z: 27, weight: 58.933194, name: "Cobalt", standard: true),
    Entry(z: 28, weight: 58.6934, name: "Nickel", standard: true),
    Entry(z: 29, weight: 63.546, name: "Copper", standard: true),
    Entry(z: 30, weight: 65.38, name: "Zinc", standard: true),
    Entry(z: 31, weight: 69.723, name: "Gallium", standard: true),
    Entry(z: 32, weight: 72.630, name: "Germanium", standard: true),
    Entry(z: 33, weight: 74.921595, name: "Arsenic", standard: true),
    Entry(z: 34, weight: 78.971, name: "Selenium", standard: true),
    Entry(z: 35, weight: 79.904, name: "Bromine", standard: true),
    Entry(z: 36, weight: 83.798, name: "Krypton", standard: true),
    Entry(z: 37, weight: 85.4678, name: "Rubidium", standard: true),
    Entry(z: 38, weight: 87.62, name: "Strontium", standard: true),
    Entry(z: 39, weight: 88.905838, name: "Yttrium", standard: true),
    Entry(z: 40, weight: 91.222, name: "Zirconium", standard: true),
    Entry(z: 41, weight: 92.90637, name: "Niobium", standard: true),
    Entry(z: 42, weight: 95.95, name: "Molybdenum", standard: true),
    Entry(z: 43, weight: 97, name: "Technetium", standard: false),
    Entry(z: 44, weight: 101.07, name: "Ruthenium", standard: true),
    Entry(z: 45, weight: 102.90549, name: "Rhodium", standard: true),
    Entry(z: 46, weight: 106.42, name: "Palladium", standard: true),
    Entry(z: 47, weight: 107.8682, name: "Silver", standard: true),
    Entry(z: 48, weight: 112.414, name: "Cadmium", standard: true),
    Entry(z: 49, weight: 114.818, name: "Indium", standard: true),
    Entry(z: 50, weight: 118.710, name: "Tin", standard: true),
    Entry(z: 51, weight: 121.760, name: "Antimony", standard: true),
    Entry(z: 52, weight: 127.60, name: "Tellurium", standard: true),
    Entry(z: 53, weight: 126.90447, name: "Iodine", standard: true),
    Entry(z: 54, weight: 131.293, name: "Xenon", standard: true),
    Entry(z: 55, weight: 132.90545196, name: "Caesium", standard: true),
    Entry(z: 56, weight: 137.327, name: "Barium", standard: true),
    Entry(z: 57, weight: 138.90547, name: "Lanthanum", standard: true),
    Entry(z: 58, weight: 140.116, name: "Cerium", standard: true),
    Entry(z: 59, weight: 140.90766, name: "Praseodymium", standard: true),
    Entry(z: 60, weight: 144.242, name: "Neodymium", standard: true),
    Entry(z: 61, weight: 145, name: "Promethium", standard: false),
    Entry(z: 62, weight: 150.36, name: "Samarium", standard: true),
    Entry(z: 63, weight: 151.964, name: "Europium", standard: true),
    Entry(z: 64, weight: 157.249, name: "Gadolinium", standard: true),
    Entry(z: 65, weight: 158.925354, name: "Terbium", standard: true),
    Entry(z: 66, weight: 162.500, name: "Dysprosium", standard: true),
    Entry(z: 67, weight: 164.930329, name: "Holmium", standard: true),
    Entry(z: 68, weight: 167.259, name: "Erbium", standard: true),
    Entry(z: 69, weight: 168.934219, name: "Thulium", standard: true),
    Entry(z: 70, weight: 173.045, name: "Ytterbium", standard: true),
    Entry(z: 71, weight: 174.96669, name: "Lutetium", standard: true),
    Entry(z: 72, weight: 178.486, name: "Hafnium", standard: true),
    Entry(z: 73, weight: 180.94788, name: "Tantalum", standard: true),
    Entry(z: 74, weight: 183.84, name: "Tungsten", standard: true),
    Entry(z: 75, weight: 186.207, name: "Rhenium", standard: true),
    Entry(z: 76, weight: 190.23, name: "Osmium", standard: true),
    Entry(z: 77, weight: 192.217, name: "Iridium", standard: true),
    Entry(z: 78, weight: 195.084, name: "Platinum", standard: true),
    Entry(z: 79, weight: 196.966570, name: "Gold", standard: true),
    Entry(z: 80, weight: 200.592, name: "Mercury", standard: true),
    Entry(z: 81, weight: 204.38, name: "Thallium", standard: true),
    Entry(z: 82, weight: 207.2, name: "Lead", standard: true),
    Entry(z: 83, weight: 208.98040, name: "Bismuth", standard: true),
    Entry(z: 84, weight: 209, name: "Polonium", standard: false),
    Entry(z: 85, weight: 210, name: "Astatine", standard: false),
    Entry(z: 86, weight: 222, name: "Radon", standard: false),
    Entry(z: 87, weight: 223, name: "Francium", standard: false),
    Entry(z: 88, weight: 226, name: "Radium", standard: false),
    Entry(z: 89, weight: 227, name: "Actinium", standard: false),
    Entry(z: 90, weight: 232.0377, name: "Thorium", standard: true),
    Entry(z: 91, weight: 231.03588, name: "Protactinium", standard: true),
    Entry(z: 92, weight: 238.02891, name: "Uranium", standard: true),
    Entry(z: 93, weight: 237, name: "Neptunium", standard: false),
    Entry(z: 94, weight: 244, name: "Plutonium", standard: false),
    Entry(z: 95, weight: 243, name: "Americium", standard: false),
    Entry(z: 96, weight: 247, name: "Curium", standard: false),
    Entry(z: 97, weight: 247, name: "Berkelium", standard: false),
    Entry(z: 98, weight: 251, name: "Californium", standard: false),
    Entry(z: 99, weight: 252, name: "Einsteinium", standard: false),
    Entry(z: 100, weight: 257, name: "Fermium", standard: false),
    Entry(z: 101, weight: 258, name: "Mendelevium", standard: false),
    Entry(z: 102, weight: 259, name: "Nobelium", standard: false),
    Entry(z: 103, weight: 262, name: "Lawrencium", standard: false),
    Entry(z: 104, weight: 267, name: "Rutherfordium", standard: false),
    Entry(z: 105, weight: 268, name: "Dubnium", standard: false),
    Entry(z: 106, weight: 269, name: "Seaborgium", standard: false),
    Entry(z: 107, weight: 270, name: "Bohrium", standard: false),
    Entry(z: 108, weight: 269, name: "Hassium", standard: false),
    Entry(z: 109, weight: 278, name: "Meitnerium", standard: false),
    Entry(z: 110, weight: 281, name: "Darmstadtium", standard: false),
    Entry(z: 111, weight: 282, name: "Roentgenium", standard: false),
    Entry(z: 112, weight: 285, name: "Copernicium", standard: false),
    Entry(z: 113, weight: 286, name: "Nihonium", standard: false),
    Entry(z: 114, weight: 289, name: "Flerovium", standard: false),
    Entry(z: 115, weight: 290, name: "Moscovium", standard: false),
    Entry(z: 116, weight: 293, name: "Livermorium", standard: false),
    Entry(z: 117, weight: 294, name: "Tennessine", standard: false),
    Entry(z: 118, weight: 294, name: "Oganesson", standard: false),
  ]
}
