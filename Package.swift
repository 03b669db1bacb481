// swift-tools-version: 6.0
// Lodestone: an open planning system for rare-earth magnet supply chains.
//
// Library targets do no file or network I/O and never exit the process; only the
// executables (`lodestone`, `lodestone-bench`) touch disk, stdout and exit codes.
// Dependencies point one way: Quantities ← Chemistry ← SupplyChain ← (ScenarioFormat,
// Simulation, Planning, …) ← Reports ← executables.
import PackageDescription

let package = Package(
  name: "Lodestone",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "lodestone", targets: ["lodestone"]),
    .executable(name: "lodestone-bench", targets: ["lodestone-bench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/apple/swift-crypto", "3.9.0"..<"5.0.0"),
  ],
  targets: [
    // Units and dimensioned quantities; parses "450 t/yr". Leaf.
    .target(name: "Quantities"),
    // Elements, IUPAC atomic weights, formulae, element-basis conversion.
    .target(name: "Chemistry", dependencies: ["Quantities"]),
    // Scenario model and its validation.
    .target(
      name: "SupplyChain",
      dependencies: ["Quantities", "Chemistry", .product(name: "Collections", package: "swift-collections")]),
    // YAML ⇄ scenario with source locations; JSON Schema. Takes text, opens no files.
    .target(name: "ScenarioFormat", dependencies: ["SupplyChain", "Yams"]),
    // Monthly engine.
    .target(name: "Simulation", dependencies: ["SupplyChain"]),
    // Monte Carlo risk: uncertain inputs, perturbation, streaming statistics, reserve sizing, sweeps, shards.
    .target(name: "Risk", dependencies: ["Probability", "SupplyChain", "Simulation", "Quantities", "Chemistry", "Yams"]),
    // COIN-OR CBC + CLP C interfaces (Debian coinor-libcbc-dev). Never link ClpSolver.
    .systemLibrary(
      name: "CCoinOR", pkgConfig: "cbc",
      providers: [.apt(["coinor-libcbc-dev", "coinor-libclp-dev"])]),
    // Domain-free LP/MIP modelling layer and solver backends.
    .target(name: "Optimization", dependencies: ["CCoinOR"]),
    // Solvent-extraction cascade design and simulation.
    .target(name: "Separation", dependencies: ["Chemistry", "Quantities"]),
    // Scenario ⇄ cascade design: resolves a process's `cascade:` block into recipe outputs.
    .target(name: "ScenarioLink", dependencies: ["SupplyChain", "ScenarioFormat", "Separation", "Chemistry", "Quantities"]),
    // Magnet grades, derating, working point, fields.
    .target(
      name: "Magnets", dependencies: ["Quantities", "Chemistry", .product(name: "RealModule", package: "swift-numerics")]),
    // Quantiles of the normal and χ² distributions. Leaf.
    .target(name: "Probability", dependencies: [.product(name: "RealModule", package: "swift-numerics")]),
    // Statistical process control.
    .target(name: "QualityControl", dependencies: ["Probability", .product(name: "RealModule", package: "swift-numerics")]),
    // Scenario → multi-period LP: build, solve, assign, report.
    .target(name: "Planning", dependencies: ["SupplyChain", "Optimization", "Simulation"]),
    // Prices, value added, import bills, NPV/IRR/payback, concentration and CRMA benchmark.
    .target(name: "Economics", dependencies: ["SupplyChain", "Simulation"]),
    // The tolling ledger: lots, EPCIS events, hash chains, access, reconciliation, and the store contract.
    .target(
      name: "Ledger",
      dependencies: ["SupplyChain", "Chemistry", "Quantities", .product(name: "Crypto", package: "swift-crypto")]),
    // The ledger's embedded store: one SQLite file through GRDB (an I/O target).
    .target(name: "LedgerSQLite", dependencies: ["Ledger", .product(name: "GRDB", package: "GRDB.swift")]),
    // The ledger's PostgreSQL store (an I/O target: network): `PostgresStore` for `postgres://` URLs.
    .target(
      name: "LedgerPostgres",
      dependencies: [
        "Ledger", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
      ]),
    // Tables, CSV/JSON, SVG charts, and the report builders of each capability.
    .target(
      name: "Reports",
      dependencies: [
        "Quantities", "Chemistry", "SupplyChain", "Simulation", "Separation", "Magnets", "QualityControl",
        "Optimization", "Risk", "Planning",
      ]),
    // `lodestone serve`: HTTP API and dashboard (an I/O target: the only place with sockets).
    .target(
      name: "LodestoneServer",
      dependencies: [
        "Quantities", "Chemistry", "SupplyChain", "ScenarioFormat", "Simulation", "Optimization",
        "Separation", "Magnets", "QualityControl", "Reports", "Economics", "Risk", "Planning", "Ledger", "LedgerSQLite",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    // The command-line interface: the only place with files, stdout and exit codes.
    .executableTarget(
      name: "lodestone",
      dependencies: [
        "Quantities", "Chemistry", "SupplyChain", "ScenarioFormat", "Simulation", "Optimization",
        "Separation", "Magnets", "QualityControl", "Reports", "Economics", "Risk", "Planning", "ScenarioLink",
        "Ledger", "LedgerSQLite", "LedgerPostgres",
        "LodestoneServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Benchmarks (run with `swift run -c release lodestone-bench`).
    .executableTarget(
      name: "lodestone-bench",
      dependencies: [
        "Quantities", "Chemistry", "SupplyChain", "ScenarioFormat", "Simulation", "Optimization",
        "Separation", "Magnets", "QualityControl", "Reports", "Risk", "Planning", "Ledger", "LedgerSQLite",
        "LedgerPostgres",
      ]),
    // Test helpers (not API): approx-equal, fixtures, golden files, running the CLI.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "QuantitiesTests", dependencies: ["Quantities", "TestSupport"]),
    .testTarget(name: "ChemistryTests", dependencies: ["Chemistry", "TestSupport"]),
    .testTarget(
      name: "SupplyChainTests",
      dependencies: ["SupplyChain", "ScenarioFormat", "Simulation", "TestSupport"]),
    .testTarget(name: "OptimizationTests", dependencies: ["Optimization", "TestSupport"]),
    .testTarget(name: "SeparationTests", dependencies: ["Separation", "Chemistry", "TestSupport"]),
    .testTarget(
      name: "ScenarioLinkTests",
      dependencies: ["ScenarioLink", "ScenarioFormat", "Separation", "Simulation", "SupplyChain", "Chemistry", "TestSupport"]),
    .testTarget(name: "MagnetsTests", dependencies: ["Magnets", "TestSupport"]),
    .testTarget(name: "QualityControlTests", dependencies: ["QualityControl", "TestSupport"]),
    .testTarget(name: "ReportsTests", dependencies: ["Reports", "TestSupport"]),
    .testTarget(name: "PlanningTests", dependencies: ["Planning", "Optimization", "Simulation", "SupplyChain", "TestSupport"]),
    .testTarget(name: "EconomicsTests", dependencies: ["Economics", "Simulation", "SupplyChain", "TestSupport"]),
    .testTarget(name: "RiskTests", dependencies: ["Risk", "Simulation", "SupplyChain", "Quantities", "TestSupport"]),
    .testTarget(name: "CLITests", dependencies: ["TestSupport", "Simulation"]),
    .testTarget(
      name: "LedgerTests",
      dependencies: [
        "Ledger", "LedgerSQLite", "LedgerPostgres", "SupplyChain", "ScenarioFormat", "Chemistry", "Quantities", "TestSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    .testTarget(name: "LedgerPostgresTests", dependencies: ["LedgerPostgres", "Ledger", "TestSupport"]),
    .testTarget(
      name: "ServerTests",
      dependencies: [
        "LodestoneServer", "Reports", "Simulation", "SupplyChain", "ScenarioFormat", "Chemistry", "Magnets",
        "QualityControl", "Quantities", "Risk", "TestSupport", "Ledger",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]),
  ]
)
