import Foundation

/// True when `a` and `b` agree within `rel` relative or `abs` absolute tolerance.
public func approx(_ a: Double, _ b: Double, rel: Double = 1e-9, abs absTol: Double = 0) -> Bool {
  if a == b { return true }
  let d = Swift.abs(a - b)
  return d <= absTol || d <= rel * max(Swift.abs(a), Swift.abs(b))
}

/// The package's root directory (found from this file's path).
public let packageRoot: URL = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `Tests/Fixtures/<sub>`.
public func fixtureURL(_ sub: String) -> URL {
  packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(sub)
}

/// Reads a fixture as UTF-8 text.
public func fixtureText(_ sub: String) throws -> String {
  try String(contentsOf: fixtureURL(sub), encoding: .utf8)
}

/// The built `lodestone` binary: `$LODESTONE_BIN`, else next to the test bundle, else `.build/debug`.
public func lodestoneBinary() -> URL {
  if let p = ProcessInfo.processInfo.environment["LODESTONE_BIN"] { return URL(fileURLWithPath: p) }
  let fm = FileManager.default
  var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  for _ in 0..<4 {
    let candidate = dir.appendingPathComponent("lodestone")
    if fm.isExecutableFile(atPath: candidate.path) { return candidate }
    dir = dir.deletingLastPathComponent()
  }
  return packageRoot.appendingPathComponent(".build/debug/lodestone")
}

/// The result of running the CLI.
public struct CommandResult: Sendable {
  public let status: Int32
  public let stdout: String
  public let stderr: String
}

/// Runs `lodestone` with `arguments` (optionally in `directory`, with `stdin` text) and captures its output.
public func runLodestone(_ arguments: [String], in directory: URL? = nil, stdin: String? = nil) throws -> CommandResult {
  let p = Process()
  p.executableURL = lodestoneBinary()
  p.arguments = arguments
  if let directory { p.currentDirectoryURL = directory }
  let out = Pipe()
  let err = Pipe()
  p.standardOutput = out
  p.standardError = err
  let input = Pipe()
  p.standardInput = input
  try p.run()
  if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
  try? input.fileHandleForWriting.close()
  // Read both pipes before waiting so a full pipe cannot deadlock the child.
  let group = DispatchGroup()
  nonisolated(unsafe) var errData = Data()
  group.enter()
  DispatchQueue.global().async {
    errData = err.fileHandleForReading.readDataToEndOfFile()
    group.leave()
  }
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  group.wait()
  p.waitUntilExit()
  return CommandResult(
    status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary directory.
public func temporaryDirectory(_ label: String = "lodestone") throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
