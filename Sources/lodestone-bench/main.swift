// Lodestone's benchmarks: `swift run -c release lodestone-bench [NAME…]`.
// Each benchmark prints one line per measurement; the README records the figures.
let all = BenchmarkRegistry.all
let wanted = Array(CommandLine.arguments.dropFirst())
if wanted.contains("--list") {
  for b in all { print(b.name + "  " + b.summary) }
} else {
  let unknown = wanted.filter { w in !all.contains { $0.name == w } }
  if !unknown.isEmpty {
    print("unknown benchmark(s): \(unknown.joined(separator: ", ")); known: \(all.map(\.name).joined(separator: ", "))")
  } else {
    for b in all where wanted.isEmpty || wanted.contains(b.name) {
      print("== \(b.name): \(b.summary)")
      b.run()
    }
  }
}
