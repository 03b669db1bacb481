import Foundation
import Magnets
import Quantities

/// Observer points shared with Benchmarks/magpylib/bench_magpylib.py (same formula, same doubles).
private func benchPoints(_ n: Int) -> [Vector3] {
  (0..<n).map { k in
    let i = Double(k)
    return Vector3(
      (i * 0.7548776662).truncatingRemainder(dividingBy: 1) - 0.5,
      (i * 0.5698402910).truncatingRemainder(dividingBy: 1) - 0.5,
      (i * 0.4382).truncatingRemainder(dividingBy: 1) - 0.5) * 0.04
  }
}

/// Process CPU seconds (all threads), so rates can be quoted per CPU-second on a shared machine.
private func cpuSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Best wall time and the CPU time of that same run.
private func timed(repeats: Int = 3, _ body: () -> Void) -> (wall: Double, cpu: Double) {
  var best = (wall: Double.infinity, cpu: Double.infinity)
  for _ in 0..<repeats {
    let c0 = cpuSeconds()
    let w = bestSeconds(repeats: 1, body)
    let c = cpuSeconds() - c0
    if w < best.wall { best = (w, c) }
  }
  return best
}

/// Runs the magpylib timing script when python3 and magpylib are available; returns its lines
/// keyed by case: (evaluations/s, checksum).
private func runMagpylib(_ n: Int) -> (version: String, results: [String: (Double, Double, Double)])? {
  let script = "Benchmarks/magpylib/bench_magpylib.py"
  guard FileManager.default.fileExists(atPath: script) else { return nil }
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = ["python3", script, String(n)]
  let out = Pipe()
  p.standardOutput = out
  p.standardError = Pipe()
  do { try p.run() } catch { return nil }
  let data = out.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  guard p.terminationStatus == 0 else { return nil }
  var version = ""
  var results: [String: (Double, Double, Double)] = [:]
  for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
    let f = line.split(separator: " ")
    if line.hasPrefix("magpylib") { version = String(line) } else if f.count == 4, let r = Double(f[1]), let c = Double(f[2]), let rc = Double(f[3]) {
      results[String(f[0])] = (r, c, rc)
    }
  }
  return (version, results)
}

let magnetsBenchmark = Benchmark(name: "magnets", summary: "closed-form B/H field evaluations per second, and the ratio to magpylib on the same points") {
  let n = 1_000_000
  let pts = benchPoints(n)
  let cases: [(String, Magnet)] = [
    ("cuboid", .cuboid(sides: Vector3(0.01, 0.01, 0.005), polarization: Vector3(0, 0, 1.3))),
    ("cylinder-axial", .cylinder(diameter: 0.01, height: 0.005, polarization: Vector3(0, 0, 1.2))),
    ("cylinder-diametral", .cylinder(diameter: 0.01, height: 0.005, polarization: Vector3(1.2, 0, 0))),
  ]
  let cores = ProcessInfo.processInfo.activeProcessorCount
  print("load average now: \(loadAverage()); machine: \(cores) cores; \(n) observer points in a 40 mm cube around each magnet (B and H per point)")
  var mine: [String: (Double, Double, Double)] = [:]
  for (name, m) in cases {
    var out: [FieldSample] = []
    let (t, cpu) = timed { out = m.fields(at: pts) }
    var checksum = 0.0
    for f in out { checksum += f.b.x + f.b.y + f.b.z }
    // the same batch into a reused output buffer (no allocation or page faults per call)
    let (tr, cpur) = timed {
      out.withUnsafeMutableBufferPointer { o in pts.withUnsafeBufferPointer { p in Magnet.total([m], at: p, into: o) } }
    }
    // one core, for reference
    let m1 = min(n, 200_000)
    var sink = 0.0
    let (t1, cpu1) = timed {
      for i in 0..<m1 { sink += m.field(at: pts[i]).b.z }
    }
    mine[name] = (Double(n) / tr, checksum, Double(n) / cpur)
    print("\(name): reused buffer \(formatNumber(Double(n) / tr / 1e6, significantDigits: 3)) M evaluations/s wall on \(cores) cores (\(formatNumber(Double(n) / cpur / 1e6, significantDigits: 3)) M per CPU-second)")
    print("\(name): new array \(formatNumber(Double(n) / t / 1e6, significantDigits: 3)) M evaluations/s wall on \(cores) cores (\(formatNumber(Double(n) / cpu / 1e6, significantDigits: 3)) M per CPU-second); one thread \(formatNumber(Double(m1) / t1 / 1e6, significantDigits: 3)) M/s wall (\(formatNumber(Double(m1) / cpu1 / 1e6, significantDigits: 3)) M per CPU-second)  [checksum ΣB \(formatNumber(checksum, significantDigits: 12)) T; sink \(formatNumber(sink, significantDigits: 3))]")
  }
  let cuboidCase: [(String, Magnet)] = [
    ("cuboid, oblique J (all three components)", .cuboid(sides: Vector3(0.01, 0.01, 0.005), polarization: Vector3(0.3, -0.5, 1.1), orientation: Rotation(axis: Vector3(1, 2, 3), angle: 0.7)))
  ]
  for (name, m) in cuboidCase {
    let (t, cpu) = timed { _ = m.fields(at: pts) }
    print("\(name): batch \(formatNumber(Double(n) / t / 1e6, significantDigits: 3)) M evaluations/s wall (\(formatNumber(Double(n) / cpu / 1e6, significantDigits: 3)) M per CPU-second)")
  }
  guard let py = runMagpylib(n) else {
    print("magpylib: not available (needs python3 with magpylib and Benchmarks/magpylib/bench_magpylib.py in the working directory)")
    return
  }
  print("\(py.version), same points, magpylib.func.*_field(\"B\", …), best of 3 (Lodestone figures: reused buffer, B and H):")
  for (name, _) in cases {
    guard let (rate, sum, cpuRate) = py.results[name], let (myRate, mySum, myCpu) = mine[name] else { continue }
    let agree = abs(sum - mySum) / max(abs(sum), 1e-300)
    print("  \(name): magpylib \(formatNumber(rate / 1e6, significantDigits: 3)) M/s wall (\(formatNumber(cpuRate / 1e6, significantDigits: 3)) M per CPU-second); Lodestone/magpylib = \(formatNumber(myRate / rate, significantDigits: 3))× wall, \(formatNumber(myCpu / cpuRate, significantDigits: 3))× per CPU-second; checksums agree to \(formatNumber(agree, significantDigits: 2)) relative")
  }
}

/// The 1-minute load average (contention from other processes makes wall-clock rates low).
private func loadAverage() -> String {
  guard let t = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
  return String(t.split(separator: " ").first ?? "unknown")
}
