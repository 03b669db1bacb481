/// The `QualityControl` module of Lodestone. See the README for what it provides.
public enum QualityControlModule {
  /// The module's name, for diagnostics.
  public static let name = "QualityControl"
}
