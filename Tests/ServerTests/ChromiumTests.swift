import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Reports
import ScenarioFormat
import Simulation
import Testing
import TestSupport
@testable import LodestoneServer

/// Headless Chromium, or nil when absent and LODESTONE_REQUIRE_CHROMIUM is unset (scripts/test sets it to 1).
func chromiumBinary() -> String? {
  for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: p) { return p }
  return nil
}

let chromiumRequired = ProcessInfo.processInfo.environment["LODESTONE_REQUIRE_CHROMIUM"] == "1"

/// Runs Chromium headless on `url` and returns the DOM after load; with `screenshot`, also writes a PNG there.
///
/// Chromium runs on its own thread, never blocking the cooperative pool: on a 2-core machine that
/// pool has two threads, and two tests each blocked on Chromium would starve the live server that
/// Chromium is waiting for. A watchdog ends a Chromium still running after 120 s.
func chromium(_ args: [String]) async throws -> String {
  guard let bin = chromiumBinary() else { return "" }
  return try await withCheckedThrowingContinuation { (cont: CheckedContinuation<String, any Error>) in
    Thread {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: bin)
      p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,2000"] + args
      let out = Pipe()
      p.standardOutput = out
      p.standardError = FileHandle.nullDevice
      do { try p.run() } catch {
        cont.resume(throwing: error)
        return
      }
      DispatchQueue.global().asyncAfter(deadline: .now() + 120) { if p.isRunning { p.terminate() } }
      let data = out.fileHandleForReading.readDataToEndOfFile()
      p.waitUntilExit()
      cont.resume(returning: String(decoding: data, as: UTF8.self))
    }.start()
  }
}

let artefacts = packageRoot.appendingPathComponent(".build/test-artefacts")

@Suite(.enabled(if: chromiumBinary() != nil || chromiumRequired, "chromium not installed"))
struct ChromiumTests {
  @Test func pagesRenderTheLibrarysNumbers() async throws {
    #expect(chromiumBinary() != nil, "LODESTONE_REQUIRE_CHROMIUM=1 but no chromium binary")
    try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
    let app = try buildApplication(state: try await makeState(requireToken: false))
    // The library's numbers for the two runs.
    func report(_ variant: String?) throws -> RunReport {
      let (s, _) = ScenarioDecoder().decode(text: BuiltinScenarios.india2026, file: "india-2026.yaml", variant: variant)
      let scenario = try #require(s)
      return RunReport(scenario: scenario, result: try SimulationEngine(scenario: scenario).run(variant: variant))
    }
    let base = try report(nil), ban = try report("long-ban")
    try await app.test(.live) { client in
      let port = try #require(client.port)
      // Start both runs with the dashboard's form (no JavaScript): 303 to the run page.
      var ids: [String] = []
      for variant in ["base", "long-ban"] {
        var h = HTTPFields()
        h[.contentType] = "application/x-www-form-urlencoded"
        let loc = try await client.execute(uri: "/ui/runs", method: .post, headers: h, body: ByteBuffer(string: "kind=simulation&scenario=india-2026&variant=\(variant)")) { r in
          #expect(r.status == .seeOther)
          return r.headers[.location] ?? ""
        }
        ids.append(String(loc.split(separator: "/").last ?? ""))
      }
      for id in ids { _ = try await waitForJob(client, id) }
      let dom = try await chromium(["--dump-dom", "http://127.0.0.1:\(port)/ui/runs/\(ids[1])"])
      #expect(dom.contains("id=\"chart-sankey\""))
      #expect(dom.contains("<svg"))
      // Every cell of the library's demand table appears in the page's table.
      let demand = ban.demandTable()
      let section = dom.components(separatedBy: "id=\"table-demand\"").last ?? ""
      for row in demand.rows.prefix(4) { for cell in row where looksNumeric(cell) { #expect(section.contains(">\(cell)<"), "demand cell \(cell)") } }
      _ = try await chromium(["--screenshot=\(artefacts.appendingPathComponent("run-long-ban.png").path)", "http://127.0.0.1:\(port)/ui/runs/\(ids[1])"])
      let cmp = try await chromium(["--dump-dom", "http://127.0.0.1:\(port)/ui/compare?a=\(ids[0])&b=\(ids[1])"])
      let kpis = CompareReport(a: (base.scenario, base.result), b: (ban.scenario, ban.result)).table()
      for row in kpis.rows.prefix(3) { for cell in row where looksNumeric(cell) { #expect(cmp.contains(">\(cell)<"), "compare cell \(cell)") } }
      #expect(cmp.contains("id=\"chart-a-sankey\"") && cmp.contains("id=\"chart-b-sankey\""))
      _ = try await chromium(["--screenshot=\(artefacts.appendingPathComponent("compare.png").path)", "http://127.0.0.1:\(port)/ui/compare?a=\(ids[0])&b=\(ids[1])"])
      let home = try await chromium(["--dump-dom", "http://127.0.0.1:\(port)/"])
      #expect(home.contains(ids[0]) && home.contains(ids[1]))
      let editor = try await chromium(["--dump-dom", "http://127.0.0.1:\(port)/ui/scenarios/india-2026"])
      #expect(editor.contains("<textarea"))
      #expect(FileManager.default.fileExists(atPath: artefacts.appendingPathComponent("compare.png").path))
    }
  }
}
