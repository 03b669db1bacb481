import Chemistry
import Foundation

/// The text forms of a cut design's inputs, shared by `lodestone sx` and the server's forms:
/// purities ("99.5%", "0.995"), feeds ("monazite", "Pr:25,Nd:75") and cuts ("Pr|Nd", "LaCe|PrNd").
/// `name` is the option or field named in error messages.
public enum CutText {
  /// Parses "99.5%", "99.5 %" or "0.995" into a fraction in (0, 1).
  public static func purity(_ text: String, name: String) throws(SeparationError) -> Double {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    var v: Double?
    if trimmed.hasSuffix("%") {
      v = Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 }
    } else {
      v = Double(trimmed)
    }
    guard let p = v, p > 0, p < 1 else {
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

  /// Element symbols run together ("LaCe") split into elements.
  static func symbols(_ text: String) -> [Element]? {
    var out: [Element] = []
    var current = ""
    for ch in text where ch != " " {
      if ch.isUppercase, !current.isEmpty {
        guard let e = Element(symbol: current) else { return nil }
        out.append(e)
        current = ""
      }
      current.append(ch)
    }
    if !current.isEmpty {
      guard let e = Element(symbol: current) else { return nil }
      out.append(e)
    }
    return out.isEmpty ? nil : out
  }

  /// Splits "Pr|Nd" or "LaCe|PrNd" into its light and heavy sides (syntax only).
  public static func sides(_ text: String, name: String) throws(SeparationError) -> (light: [Element], heavy: [Element]) {
    let sides = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    guard sides.count == 2, let light = symbols(sides[0]), let heavy = symbols(sides[1]) else {
      throw .invalidInput("\(name) must be 'light|heavy' element symbols, e.g. 'Pr|Nd' or 'LaCe|PrNd'; got '\(text)'.")
    }
    return (light, heavy)
  }

  /// The heavy key of a cut (the least extractable element on the heavy side), checking the sides
  /// against the feed's elements and their extractabilities; `text` is the cut as written, for messages.
  public static func heavyKey(light: [Element], heavy: [Element], elements: [Element], extractabilities alpha: [Double], text: String) throws(SeparationError) -> Element {
    func a(_ e: Element) throws(SeparationError) -> Double {
      guard let i = elements.firstIndex(of: e) else {
        throw .invalidInput("Cut element must be one of the feed elements (\(elements.map(\.symbol).joined(separator: ", "))); got '\(e.symbol)'.")
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
      throw .invalidInput("Cut '\(text)': every heavy-side element must be more extractable than every light-side element; got the sides overlapping.")
    }
    return hk
  }

  /// `sides` then `heavyKey`: the light-side elements and the heavy key of "Pr|Nd" for this feed.
  public static func cut(_ text: String, elements: [Element], extractabilities alpha: [Double], name: String) throws(SeparationError) -> (light: [Element], heavyKey: Element) {
    let (light, heavy) = try sides(text, name: name)
    return (light, try heavyKey(light: light, heavy: heavy, elements: elements, extractabilities: alpha, text: text))
  }
}
