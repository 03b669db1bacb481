import SupplyChain
import Yams

/// A small YAML input file for a command that otherwise takes flags (`lodestone sx design
/// FILE.yaml`): a mapping of the command's flag names (without `--`) to values. Each value is
/// turned into the text its flag takes, and keeps its place in the file for messages:
///
/// - a scalar → itself (`cut: 'Pr|Nd'`, `purity: 99.5 %`);
/// - a mapping of scalars → `k:v,k:v` (`feed: {Pr: 0.25, Nd: 0.75}` → `Pr:0.25,Nd:0.75`);
/// - a list → one value per item (a repeatable flag); an item that is a mapping joins its values
///   with `:` in file order (`draws: [{stage: 30, flow: 0.2492}]` → `30:0.2492`).
///
/// Errors (YAML syntax, unknown keys with the valid ones, wrong shapes) carry file, line and
/// column, like the scenario format's, and render with ``DiagnosticRenderer``.
public enum CommandInputFile {
  /// One key of the file and the flag values it stands for.
  public struct Entry: Sendable {
    public var key: String
    public var values: [String]
    /// Where the value (or, for collections, the key) is written.
    public var location: SourceLocation
  }

  /// Reads `text` (named `file` in messages); `keys` are the valid keys (the command's flags).
  public static func read(text: String, file: String, keys: [String]) -> (entries: [Entry], diagnostics: Diagnostics) {
    let reader = Reader(file: file)
    let root: YNode
    do {
      guard let r = try YNode.parse(text) else {
        reader.diagnostics.append(
          Diagnostic(.error, "yaml-syntax", "The file must hold a mapping of keys (\(keys.prefix(4).joined(separator: ", ")), …); it is empty.",
                     location: SourceLocation(file: file, line: 1, column: 1)))
        return ([], Diagnostics(reader.diagnostics))
      }
      root = r
    } catch let e as YamlError {
      return ([], Diagnostics([ScenarioDecoder().yamlDiagnostic(e, file: file, text: text)]))
    } catch {
      return ([], Diagnostics([Diagnostic(.error, "yaml-syntax", "The file must be valid YAML; \(error).", location: SourceLocation(file: file, line: 1, column: 1))]))
    }
    guard let pairs = root.pairs else {
      reader.error("wrong-type", "The file must be a mapping of keys (\(keys.prefix(4).joined(separator: ", ")), …); got \(root.kindName).", at: root)
      return ([], Diagnostics(reader.diagnostics))
    }
    var entries: [Entry] = []
    for p in pairs {
      guard let k = p.key.scalar else {
        reader.error("wrong-type", "Keys must be text; got \(p.key.kindName).", at: p.key)
        continue
      }
      guard keys.contains(k) else {
        let alts = ranked(k, keys)
        reader.error("unknown-key", "Unknown key '\(k)'. Valid keys: \(alts.joined(separator: ", ")).", at: p.key, alternatives: alts)
        continue
      }
      let v = p.value
      var values: [String] = []
      if let s = v.scalar {
        values = [s]
      } else if let m = v.pairs {
        guard let t = joined(m.map(\.key), m.map(\.value), ",", k, reader) else { continue }
        values = [t]
      } else if let items = v.items {
        for it in items {
          if let s = it.scalar {
            values.append(s)
          } else if let m = it.pairs {
            guard let t = joinedValues(m.map(\.value), k, reader) else { continue }
            values.append(t)
          } else {
            reader.error("wrong-type", "Items of '\(k)' must be values or mappings of values; got \(it.kindName).", at: it)
          }
        }
      } else {
        reader.error("wrong-type", "'\(k)' must have a value; got nothing.", at: p.key)
        continue
      }
      let at = v.scalar != nil ? v : p.key
      entries.append(Entry(key: k, values: values, location: reader.location(at)))
    }
    return (entries, Diagnostics(reader.diagnostics))
  }

  /// `k:v` pairs joined by `separator`; nil (with an error) when a key or value is not a scalar.
  static func joined(_ ks: [YNode], _ vs: [YNode], _ separator: String, _ key: String, _ r: Reader) -> String? {
    var parts: [String] = []
    for (kn, vn) in zip(ks, vs) {
      guard let a = kn.scalar, let b = vn.scalar else {
        r.error("wrong-type", "Entries of '\(key)' must be 'name: value' pairs of plain values; got \(vn.scalar == nil ? vn.kindName : kn.kindName).", at: vn.scalar == nil ? vn : kn)
        return nil
      }
      parts.append("\(a):\(b)")
    }
    return parts.joined(separator: separator)
  }

  static func joinedValues(_ vs: [YNode], _ key: String, _ r: Reader) -> String? {
    var parts: [String] = []
    for vn in vs {
      guard let b = vn.scalar else {
        r.error("wrong-type", "Items of '\(key)' must be mappings of plain values; got \(vn.kindName).", at: vn)
        return nil
      }
      parts.append(b)
    }
    return parts.joined(separator: ":")
  }
}
