import Chemistry
import Foundation

/// The text forms of cuts and purities shared by the `sx` command line and the scenario link:
/// `Pr|Nd`, `LaCe|PrNd`, `Pr|Nd@99.5%`, product streams `PrNd`, `Eu-Y`.
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

  /// The heavy key of a cut (the least extractable element named on the heavy side), checked
  /// against `alpha` (the extractabilities of `elements`): every element must be in the feed and
  /// every heavy-side element more extractable than every light-side one.
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

  /// "99.5%", "99.5 %" or "0.995" as a fraction strictly between 0 and 1; nil otherwise.
  public static func fraction(_ text: String) -> Double? {
    let t = text.trimmingCharacters(in: .whitespaces)
    let v = t.hasSuffix("%") ? Double(t.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 } : Double(t)
    guard let p = v, p > 0, p < 1 else { return nil }
    return p
  }
}
