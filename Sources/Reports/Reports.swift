/// The `Reports` module of Lodestone. See the README for what it provides.
public enum ReportsModule {
  /// The module's name, for diagnostics.
  public static let name = "Reports"
}
