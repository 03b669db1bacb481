import SupplyChain

/// Applies a named variant (`set`, `remove`, `add`) to the YAML tree before decoding. Values
/// the variant brings keep their own source positions, so errors in them point into the
/// variant entry.
struct VariantEditor {
  let reader: Reader

  func apply(_ name: String, to root: YNode) -> YNode {
    let variants = root["variants"]?.items ?? []
    guard let v = variants.first(where: { $0["name"]?.scalar == name }) else {
      let names = variants.compactMap { $0["name"]?.scalar }
      let alts = ranked(name, names)
      let at = root.pairs?.first { $0.key.scalar == "variants" }?.key ?? root
      reader.error(
        "unknown-variant",
        names.isEmpty
          ? "Variant '\(name)' is not defined; the scenario defines no variants."
          : "Variant '\(name)' is not defined. Known variants: " + alts.map { "'\($0)'" }.joined(separator: ", ") + ".",
        at: at, alternatives: alts)
      return root
    }
    var tree = root
    for e in v["set"]?.pairs ?? [] {
      guard let path = e.key.scalar else { continue }
      let parts = split(path)
      if !set(&tree, parts[...], e.value) {
        missing(path, "set", at: e.key, tree: tree, parts: parts)
      }
    }
    for item in v["remove"]?.items ?? [] {
      guard let path = item.scalar else { continue }
      let parts = split(path)
      if !remove(&tree, parts[...]) {
        missing(path, "remove", at: item, tree: tree, parts: parts)
      }
    }
    for e in v["add"]?.pairs ?? [] {
      guard let section = e.key.scalar, FormatSpec.entitySections.contains(section), let new = e.value.items else { continue }
      tree = appending(tree, section: section, items: new, at: e.key)
    }
    return tree
  }

  private func split(_ path: String) -> [String] {
    path.split(separator: "/", omittingEmptySubsequences: true).map { String($0).trimmed }
  }

  /// Reports a path that does not exist, naming the keys or ids available at the deepest part that does.
  private func missing(_ path: String, _ verb: String, at node: YNode, tree: YNode, parts: [String]) {
    var n = tree
    var found: [String] = []
    for p in parts {
      guard let next = child(n, p) else { break }
      n = next
      found.append(p)
    }
    let missingPart = parts.count > found.count ? parts[found.count] : (parts.last ?? "")
    let names: [String]
    if let pairs = n.pairs {
      names = pairs.compactMap { $0.key.scalar }
    } else if let items = n.items {
      names = items.compactMap { $0["id"]?.scalar ?? $0["material"]?.scalar }
    } else {
      names = []
    }
    let alts = ranked(missingPart, names)
    let under = found.isEmpty ? "the scenario" : "'" + found.joined(separator: "/") + "'"
    reader.error(
      "variant-path",
      "Variant path '\(path)' (\(verb)) must name an existing entry; '\(missingPart)' does not exist under \(under)."
        + (alts.isEmpty ? "" : " Existing: " + alts.map { "'\($0)'" }.joined(separator: ", ") + "."),
      at: node, alternatives: alts)
  }

  /// The child of a mapping by key, or of a list by id (or material, or position).
  private func child(_ n: YNode, _ key: String) -> YNode? {
    if let pairs = n.pairs { return pairs.first { $0.key.scalar == key }?.value }
    if let items = n.items, let i = itemIndex(items, key) { return items[i] }
    return nil
  }

  private func itemIndex(_ items: [YNode], _ key: String) -> Int? {
    if let i = items.firstIndex(where: { ($0["id"]?.scalar ?? $0["material"]?.scalar) == key }) { return i }
    return nil
  }

  /// Sets `parts` to `value`; the last key may be new if its parent mapping exists.
  private func set(_ n: inout YNode, _ parts: ArraySlice<String>, _ value: YNode) -> Bool {
    guard let key = parts.first else { return false }
    let rest = parts.dropFirst()
    switch n.value {
    case .mapping(var pairs):
      if let i = pairs.firstIndex(where: { $0.key.scalar == key }) {
        if rest.isEmpty {
          pairs[i].value = value
        } else if !set(&pairs[i].value, rest, value) {
          return false
        }
      } else if rest.isEmpty, value.pairs != nil || value.items != nil || value.scalar != nil {
        pairs.append((YNode(.scalar(key, null: false, quoted: false), line: value.line, column: value.column), value))
      } else {
        return false
      }
      n.value = .mapping(pairs)
      return true
    case .sequence(var items):
      guard let i = itemIndex(items, key) else { return false }
      if rest.isEmpty {
        items[i] = value
      } else if !set(&items[i], rest, value) {
        return false
      }
      n.value = .sequence(items)
      return true
    case .scalar:
      return false
    }
  }

  private func remove(_ n: inout YNode, _ parts: ArraySlice<String>) -> Bool {
    guard let key = parts.first else { return false }
    let rest = parts.dropFirst()
    switch n.value {
    case .mapping(var pairs):
      guard let i = pairs.firstIndex(where: { $0.key.scalar == key }) else { return false }
      if rest.isEmpty {
        pairs.remove(at: i)
      } else if !remove(&pairs[i].value, rest) {
        return false
      }
      n.value = .mapping(pairs)
      return true
    case .sequence(var items):
      guard let i = itemIndex(items, key) else { return false }
      if rest.isEmpty {
        items.remove(at: i)
      } else if !remove(&items[i], rest) {
        return false
      }
      n.value = .sequence(items)
      return true
    case .scalar:
      return false
    }
  }

  private func appending(_ root: YNode, section: String, items new: [YNode], at key: YNode) -> YNode {
    guard case .mapping(var pairs) = root.value else { return root }
    if let i = pairs.firstIndex(where: { $0.key.scalar == section }) {
      let old = pairs[i].value.items ?? []
      pairs[i].value = YNode(.sequence(old + new), line: pairs[i].value.line, column: pairs[i].value.column)
    } else {
      pairs.append((YNode(.scalar(section, null: false, quoted: false), line: key.line, column: key.column),
                    YNode(.sequence(new), line: key.line, column: key.column)))
    }
    var out = root
    out.value = .mapping(pairs)
    return out
  }
}
