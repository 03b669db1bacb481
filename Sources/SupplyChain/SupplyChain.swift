/// The `SupplyChain` module of Lodestone. See the README for what it provides.
public enum SupplyChainModule {
  /// The module's name, for diagnostics.
  public static let name = "SupplyChain"
}
