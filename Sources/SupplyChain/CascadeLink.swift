import Chemistry

/// A separation process whose output yields come from a solvent-extraction cascade design
/// instead of typed-in numbers. Plain data: the scenario model does not know how to design a
/// cascade; `ScenarioLink` (which depends on both `SupplyChain` and `Separation`) resolves it
/// into recipe outputs. Every part keeps the place in the scenario file it was read from, so a
/// design that fails (unknown system, unreachable target) can be reported at file:line:column.
public struct CascadeLink: Sendable {
  /// What the cascade train is designed for.
  public enum Feed: Sendable {
    /// The composition of a scenario material (its rare earths).
    case material(MaterialID)
    /// An element mass composition given in place (kg element per kg; only the ratios matter).
    case composition(Composition)
  }

  /// One cut of the train, as written: `Pr|Nd`, `LaCe|PrNd`, optionally `@99.5%`.
  public struct Cut: Sendable {
    public var text: String
    public var location: SourceLocation?
    public init(text: String, location: SourceLocation? = nil) {
      self.text = text
      self.location = location
    }
  }

  /// An output of the process and the product stream of the train that makes it: a stream is
  /// named by its least and most extractable members (`PrNd`, `La`, `Eu-Y`).
  public struct Product: Sendable {
    public var material: MaterialID
    public var stream: String
    public var location: SourceLocation?
    public init(material: MaterialID, stream: String, location: SourceLocation? = nil) {
      self.material = material
      self.stream = stream
      self.location = location
    }
  }

  /// Extractant system id (`p507-hcl`, …; see `lodestone sx factors --all`).
  public var system: String
  public var systemLocation: SourceLocation?
  public var feed: Feed
  public var feedLocation: SourceLocation?
  /// The cuts, applied in order (one cut = a single cascade).
  public var cuts: [Cut]
  /// Group purity targets of the organic product and of the raffinate of every cut (0…1);
  /// a cut's `@purity` overrides both.
  public var purityOrganic: Double
  public var purityAqueous: Double
  /// Optional recovery targets (0…1) of the heavy group in the organic product and of the
  /// light group in the raffinate of every cut.
  public var recoveryOrganic: Double?
  public var recoveryAqueous: Double?
  public var targetsLocation: SourceLocation?
  /// Which output each product stream becomes.
  public var products: [Product]
  /// Plant yield applied on top of the ideal cascade (0…1, dimensionless): entrainment,
  /// stage efficiency, handling. 1 = the ideal design.
  public var yield: Double
  /// Largest extraction + scrub stage count any cascade of the train may have.
  public var maxStages: Int = 600
  /// Where the `cascade:` block starts.
  public var location: SourceLocation?

  public init(
    system: String, feed: Feed, cuts: [Cut], purityOrganic: Double = 0.999, purityAqueous: Double = 0.999,
    recoveryOrganic: Double? = nil, recoveryAqueous: Double? = nil, products: [Product], yield: Double = 1,
    systemLocation: SourceLocation? = nil, feedLocation: SourceLocation? = nil, targetsLocation: SourceLocation? = nil,
    location: SourceLocation? = nil
  ) {
    self.system = system
    self.feed = feed
    self.cuts = cuts
    self.purityOrganic = purityOrganic
    self.purityAqueous = purityAqueous
    self.recoveryOrganic = recoveryOrganic
    self.recoveryAqueous = recoveryAqueous
    self.products = products
    self.yield = yield
    self.systemLocation = systemLocation
    self.feedLocation = feedLocation
    self.targetsLocation = targetsLocation
    self.location = location
  }
}
