import Chemistry
import Foundation

/// The text forms of cuts, purities and feeds shared by `lodestone sx`, the server's forms and the
/// scenario link: cuts `Pr|Nd`, `LaCe|PrNd`; purities `99.5%`, `0.995`; feeds `monazite`,
/// `Pr:25,Nd:75`; product streams `PrNd`, `Eu-Y`. Where a `name` is taken it is the option or
/// field named in error messages.
public enum CutText {
  /// Element symbols run together ("LaCe") split into elements; spaces, '-', '–' and '+' are
  /// separators. Nil when a piece is not an element symbol or nothing is named.
  public static func symbols(_ text: String) -> [Element]? {
    var out: [Element] = []
    var current = ""
    func flush() -> Bool {
      guard !current.isEmpty else { return true }
      guard let e = Element(symbol: current) else { return false }
      out.append(e)
      current = ""
      return true
    }
    for ch in text {
      if ch == " " || ch == "-" || ch == "–" || ch == "+" {
        guard flush() else { return nil }
        continue
      }
      if ch.isUppercase { guard flush() else { return nil } }
      current.append(ch)
    }
    guard flush() else { return nil }
    return out.isEmpty ? nil : out
  }

  /// Splits "light|heavy" into the elements named on each side; nil when the text is not of that form.
  public static func sides(_ text: String) -> (light: [Element], heavy: [Element])? {
    let parts = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 2, let light = symbols(parts[0]), let heavy = symbols(parts[1]) else { return nil }
    return (light, heavy)
  }

  /// `sides(_:)`, throwing a message that names the option when the text is not "light|heavy".
  public static func sides(_ text: String, name: String) throws(SeparationError) -> (light: [Element], heavy: [Element]) {
    guard let s = sides(text) else {
      throw .invalidInput("\(name) must be 'light|heavy' element symbols, e.g. 'Pr|Nd' or 'LaCe|PrNd'; got '\(text)'.")
    }
    return s
  }

  /// The heavy key of a cut (the least extractable element named on the heavy side), checked
  /// against `alpha` (the extractabilities of `elements`): every element must be in the feed and
  /// every heavy-side element more extractable than every light-side one. `text` is the cut as written.
  public static func heavyKey(
    _ text: String, light: [Element], heavy: [Element], elements: [Element], alpha: [Double]
  ) throws(SeparationError) -> Element {
    func a(_ e: Element) throws(SeparationError) -> Double {
      guard let i = elements.firstIndex(of: e) else {
        throw .invalidInput(
          "Cut element must be one of the feed elements (\(elements.map(\.symbol).joined(separator: ", "))); got '\(e.symbol)'.")
      }
      return alpha[i]
    }
    var lightMax = 0.0
    for e in light { lightMax = max(lightMax, try a(e)) }
    var hk = heavy[0]
    var hMin = Double.infinity
    for e in heavy {
      let v = try a(e)
      if v < hMin {
        hMin = v
        hk = e
      }
    }
    guard hMin > lightMax else {
      throw .invalidInput(
        "Cut '\(text)': every heavy-side element must be more extractable than every light-side element; got the sides overlapping.")
    }
    return hk
  }

  /// `sides` then `heavyKey`: the light-side elements and the heavy key of "Pr|Nd" for this feed.
  public static func cut(
    _ text: String, elements: [Element], extractabilities alpha: [Double], name: String
  ) throws(SeparationError) -> (light: [Element], heavyKey: Element) {
    let (light, heavy) = try sides(text, name: name)
    return (light, try heavyKey(text, light: light, heavy: heavy, elements: elements, alpha: alpha))
  }

  /// "99.5%", "99.5 %" or "0.995" as a fraction strictly between 0 and 1; nil otherwise.
  public static func fraction(_ text: String) -> Double? {
    let t = text.trimmingCharacters(in: .whitespaces)
    let v = t.hasSuffix("%") ? Double(t.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 } : Double(t)
    guard let p = v, p > 0, p < 1 else { return nil }
    return p
  }

  /// `fraction(_:)`, throwing a message that names the option when the text is not a purity.
  public static func purity(_ text: String, name: String) throws(SeparationError) -> Double {
    guard let p = fraction(text) else {
      throw .invalidInput("\(name) must be a purity in (0, 1) or (0 %, 100 %), e.g. '99.5%'; got '\(text)'.")
    }
    return p
  }

  /// Parses "monazite" (the Indian monazite REO distribution, mol per kg REO) or mole amounts
  /// "Pr:25,Nd:75" (at least two elements, each once, amounts ≥ 0).
  public static func feed(_ text: String, name: String) throws(SeparationError) -> (elements: [Element], amounts: [Double]) {
    if text.trimmingCharacters(in: .whitespaces).lowercased() == "monazite" {
      let m = SeparationFeeds.indianMonaziteREO
      return (m.map(\.element), SeparationFeeds.molesPerKilogramREO(m))
    }
    var els: [Element] = []
    var amounts: [Double] = []
    for part in text.split(separator: ",") {
      let kv = part.split(separator: ":").map { String($0).trimmingCharacters(in: .whitespaces) }
      guard kv.count == 2, let e = Element(symbol: kv[0]), let v = Double(kv[1]), v >= 0, v.isFinite else {
        throw .invalidInput("\(name) entries must be 'Symbol:amount' with amount >= 0 (e.g. 'Pr:25,Nd:75') or 'monazite'; got '\(part)'.")
      }
      guard !els.contains(e) else { throw .invalidInput("\(name) must name each element once; got '\(e.symbol)' twice.") }
      els.append(e)
      amounts.append(v)
    }
    guard els.count >= 2 else { throw .invalidInput("\(name) must have at least two elements; got '\(text)'.") }
    return (els, amounts)
  }
}
