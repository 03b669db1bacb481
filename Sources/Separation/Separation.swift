/// The `Separation` module of Lodestone. See the README for what it provides.
public enum SeparationModule {
  /// The module's name, for diagnostics.
  public static let name = "Separation"
}
