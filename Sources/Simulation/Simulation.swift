/// The `Simulation` module of Lodestone. See the README for what it provides.
public enum SimulationModule {
  /// The module's name, for diagnostics.
  public static let name = "Simulation"
}
