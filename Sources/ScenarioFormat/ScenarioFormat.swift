/// The `ScenarioFormat` module of Lodestone. See the README for what it provides.
public enum ScenarioFormatModule {
  /// The module's name, for diagnostics.
  public static let name = "ScenarioFormat"
}
