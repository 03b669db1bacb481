/// The `Optimization` module of Lodestone. See the README for what it provides.
public enum OptimizationModule {
  /// The module's name, for diagnostics.
  public static let name = "Optimization"
}
