import ArgumentParser
import Foundation
import Reports

/// Output formats shared by every command that prints results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, csv
}

/// An error in the user's data (exit code 65, EX_DATAERR). The message is printed as is.
struct DataError: Error, CustomStringConvertible {
  let message: String
  init(_ message: String) { self.message = message }
  var description: String { message }
}

/// Set while a command runs with the flags of a YAML input file, whose runner reports data
/// errors at the key they name instead of the command printing them bare.
enum InputFileRun {
  @TaskLocal static var active = false
}

/// Exit codes, following sysexits.h.
enum Exit {
  static let usage = ExitCode(64)
  static let data = ExitCode(65)
  static let software = ExitCode(70)
}

/// Writes `text` to standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// Runs `body`, mapping failures to Lodestone's exit codes: usage errors (ArgumentParser's
/// `ValidationError`) pass through as 64; `DataError` and any domain error that describes
/// itself are printed and exit 65; anything else exits 70.
func reportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let e as ExitCode {
    throw e
  } catch let e as ValidationError {
    throw e
  } catch let e as CleanExit {
    throw e
  } catch let e as DataError {
    // A command run from an input file: its caller locates the error in the file.
    if InputFileRun.active { throw e }
    printError("error: " + e.message)
    throw Exit.data
  } catch let e as CocoaError {
    printError("error: \(e.localizedDescription)")
    throw Exit.data
  } catch let e as CustomStringConvertible {
    printError("error: \(e.description)")
    throw Exit.data
  } catch {
    printError("internal error: \(error)")
    throw Exit.software
  }
}

/// Reads a file as UTF-8 text, with a clear message when it cannot.
func readText(_ path: String) throws -> String {
  guard FileManager.default.fileExists(atPath: path) else {
    throw DataError("File '\(path)' does not exist.")
  }
  guard let data = FileManager.default.contents(atPath: path) else {
    throw DataError("File '\(path)' cannot be read.")
  }
  guard let s = String(data: data, encoding: .utf8) else {
    throw DataError("File '\(path)' is not UTF-8 text.")
  }
  return s
}

/// Creates `dir` (and parents) and writes `text` to `dir/name`.
func writeOutput(_ text: String, to dir: String, name: String) throws {
  let url = URL(fileURLWithPath: dir, isDirectory: true)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  try Data(text.utf8).write(to: url.appendingPathComponent(name), options: .atomic)
}

/// Prints one table in the chosen format (the text rendering ends with a newline; so do CSV and JSON).
func printTable(_ t: Table, _ format: OutputFormat) {
  switch format {
  case .table: print(t.renderText(), terminator: "")
  case .csv: print(t.renderCSV(), terminator: "")
  case .json: print(t.renderJSON(), terminator: "")
  }
}

/// The async form of `reportingErrors`: the same mapping of failures to exit codes.
func reportingErrors(_ body: () async throws -> Void) async throws {
  var failure: (any Error)?
  do { try await body() } catch { failure = error }
  try reportingErrors { if let failure { throw failure } }
}
