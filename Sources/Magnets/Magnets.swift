/// The `Magnets` module of Lodestone. See the README for what it provides.
public enum MagnetsModule {
  /// The module's name, for diagnostics.
  public static let name = "Magnets"
}
