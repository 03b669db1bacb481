import ArgumentParser

@main
struct Lodestone: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lodestone",
    abstract: "Plan rare-earth magnet supply chains: element flows, disruptions, separation, magnets, quality.",
    subcommands: [
      Run.self,
      Compare.self,
      Trace.self,
      Validate.self,
      Schema.self,
      Chem.self,
      Value.self,
      NPV.self,
      Plan.self,
      QC.self,
      RiskCommand.self,
      ReserveCommand.self,
      SweepCommand.self,
      MergeCommand.self,
      MagnetCommand.self,
      SX.self,
      LedgerCommand.self,
      Serve.self,
    ])
}
