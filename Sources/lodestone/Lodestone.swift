import ArgumentParser

@main
struct Lodestone: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lodestone",
    abstract: "Plan rare-earth magnet supply chains: element flows, disruptions, separation, magnets, quality.",
    subcommands: [
      Chem.self,
      SX.self,
    ])
}
