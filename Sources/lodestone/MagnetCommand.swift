import ArgumentParser
import Chemistry
import Foundation
import Magnets
import Quantities
import Reports

struct MagnetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "magnet",
    abstract: "Magnet engineering: grade catalogue, temperature derating, working-point checks and B/H fields.",
    subcommands: [Grades.self, Derate.self, Check.self, Field.self])

  /// Options every magnet command shares.
  struct Common: ParsableArguments {
    @Option(name: .customLong("grades"), help: "A CSV file of extra grades (same columns as the built-in table; cells may carry units).")
    var gradesFile: String?
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

    func catalog() throws -> GradeCatalog {
      var c = GradeCatalog.builtIn
      if let gradesFile {
        let user = try GradeCatalog(csv: try readText(gradesFile), source: gradesFile)
        try c.add(user.grades, source: gradesFile)
      }
      return c
    }

    func emit(_ t: Table) { printTable(t, format) }
  }

  // MARK: grades

  struct Grades: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the grade catalogue: minima, coefficients, IEC short names and sources.")
    @OptionGroup var common: Common
    @Option(name: .customLong("class"), help: "Only this HcJ class (N, M, H, SH, UH, EH, AH, SmCo5, Sm2Co17).") var hcjClass: String?
    @Flag(help: "Add the source columns.") var sources = false
    @Flag(help: "Add the element bill (kg per kg magnet: Nd, Pr, Dy, Tb, Sm, Fe, Co, B).") var elements = false
    @Option(help: "Heavy-rare-earth process for --elements and the Dy/Tb column: bulk or gbd.") var process: DiffusionProcess = .bulk
    @Option(name: .customLong("tb-share"), help: "Tb share of the heavy rare earth (mass basis, 0...1) for --elements.") var tbShare: Double = 0

    func run() throws {
      try reportingErrors {
        var grades = try common.catalog().grades
        if let hcjClass {
          guard let c = CoercivityClass(name: hcjClass) else {
            throw ValidationError("--class must be one of \(CoercivityClass.allCases.map(\.rawValue).joined(separator: ", ")); got '\(hcjClass)'.")
          }
          grades = grades.filter { $0.coercivityClass == c }
        }
        var cols = [
          "grade", "class", "iec_name", "br_min_T", "br_max_T", "hcj_min_kA_m", "hcb_min_kA_m", "hcb_estimated", "bhmax_min_kJ_m3",
          "tw_max_C", "alpha_br_pct_per_K", "beta_hcj_pct_per_K", "dy_tb_wt_pct",
        ]
        guard tbShare >= 0 && tbShare <= 1 else { throw ValidationError("--tb-share must be in 0...1; got \(tbShare).") }
        let billElements: [Element] = [.B, .Fe, .Co, .Pr, .Nd, .Sm, .Tb, .Dy]  // by atomic number
        if elements { cols += billElements.map { "\($0.symbol)_kg_per_kg" } }
        if sources { cols += ["source", "coefficient_source", "note"] }
        var t = Table(columns: cols)
        for g in grades {
          var row = [
            g.id, g.coercivityClass.rawValue, g.iecShortName(), num(g.brMin), num(g.brMax), num(g.hcjMin / 1000),
            num(g.hcbMinOrEstimate / 1000, 4), g.hcbIsEstimated ? "yes" : "no", num(g.bhMaxMin / 1000), num(g.maxWorkingTemperature),
            num(g.alphaBr), num(g.betaHcJ),
            process == .bulk ? hreText(g.heavyRareEarthPercent) : num(g.heavyRareEarthFraction(process: process) * 100),
          ]
          if elements {
            let bill = g.elementDemand(process: process, assumptions: CompositionAssumptions(terbiumShare: tbShare))
            row += billElements.map { num(bill[$0] ?? 0) }
          }
          if sources { row += [g.source, g.coefficientSource, g.note] }
          t.append(row)
        }
        common.emit(t)
      }
    }
  }

  // MARK: derate

  struct Derate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Reversible derating of Br and HcJ; HcB and (BH)max at temperature on the linear recoil model.")
    @Argument(help: "Grade name, e.g. N42SH.") var grade: String
    @Option(help: "Temperatures, e.g. '20,80,150' or '20:200:10' (from:to:step), °C unless a unit is given.") var temperatures: String = "20:200:20"
    @Option(help: "Start from datasheet 'minimum' values or 'typical' Br.") var basis: PropertyBasis = .minimum
    @Option(name: .customLong("mu-rec"), help: "Relative recoil permeability µrec.") var muRec: Double = 1.05
    @Option(help: "Squareness Hk/HcJ.") var squareness: Double = 0.9
    @Option(help: "Write derate.csv, derate.json and derate.svg to this directory.") var out: String?
    @OptionGroup var common: Common

    func run() throws {
      try reportingErrors {
        guard muRec >= 1 && muRec <= 2 else { throw ValidationError("--mu-rec must be in 1...2; got \(muRec).") }
        guard squareness > 0 && squareness <= 1 else { throw ValidationError("--squareness must be in (0, 1]; got \(squareness).") }
        let cat = try common.catalog()
        let g = try option("grade") { try cat.require(grade) }
        let temps = try parseTemperatures(temperatures)
        let curve = temps.map { g.derated(to: $0, basis: basis, recoilPermeability: muRec, squareness: squareness) }
        var t = Table(
          title: "\(g.name) (\(g.iecShortName())), \(basis.rawValue) basis, µrec \(num(muRec)), Hk/HcJ \(num(squareness)); rated Tw \(num(g.maxWorkingTemperature)) °C",
          columns: ["temperature_C", "br_T", "hcj_kA_m", "hk_kA_m", "hcb_kA_m", "bhmax_kJ_m3", "knee_in_2nd_quadrant", "above_rated"])
        for p in curve {
          t.append([
            num(p.temperature), num(p.br), num(p.hcj / 1000), num(p.hk / 1000), num(p.hcb / 1000), num(p.bhMax / 1000),
            p.kneeInSecondQuadrant ? "yes" : "no", p.temperature > g.maxWorkingTemperature ? "yes" : "no",
          ])
        }
        common.emit(t)
        if let out {
          try writeOutput(t.renderCSV(), to: out, name: "derate.csv")
          try writeOutput(t.renderJSON(), to: out, name: "derate.json")
          try writeOutput(MagnetCharts.derating(grade: g, curve: curve, reference: g.derated(to: 20, basis: basis, recoilPermeability: muRec, squareness: squareness)), to: out, name: "derate.svg")
        }
      }
    }
  }

  // MARK: check

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Knee check under a duty (temperature, permeance, opposing field); without --grade, rank the catalogue and name the cheapest (least Dy/Tb) grade that survives.",
      discussion: """
        The permeance coefficient Pc = −B/(µ0H) comes from --pc, or from --block WxDxL / --cylinder DxL
        (L along the magnetisation; unit m unless given, e.g. 10x10x5mm) at --point centre, pole-face
        or volume-average. Reversible iff |H_self − H_opp| < Hk(T) = squareness·HcJ(T).
        """)
    @Option(help: "Grade(s) to check, comma-separated; omit to rank the whole catalogue.") var grade: String?
    @Option(help: "Highest magnet temperature, °C unless a unit is given (e.g. '150', '423 K').") var temperature: String
    @Option(help: "Permeance coefficient Pc at the worst point.") var pc: Double?
    @Option(help: "Block sides W x D x L (L along M), e.g. 10x10x5mm.") var block: String?
    @Option(help: "Cylinder D x L (axial magnetisation), e.g. 10x5mm.") var cylinder: String?
    @Option(help: "Where Pc applies for --block/--cylinder: centre, pole-face or volume-average.") var point: PermeancePoint = .poleFace
    @Option(name: .customLong("opposing-field"), help: "Opposing field inside the magnet, kA/m unless a unit is given (e.g. '250 kA/m', '3 kOe').") var opposingField: String = "0"
    @Option(name: .customLong("min-b"), help: "Minimum working-point flux density, T unless a unit is given.") var minB: String = "0"
    @Option(name: .customLong("mu-rec"), help: "Relative recoil permeability µrec.") var muRec: Double = 1.05
    @Option(help: "Squareness Hk/HcJ.") var squareness: Double = 0.9
    @Option(help: "Start from datasheet 'minimum' values or 'typical' Br.") var basis: PropertyBasis = .minimum
    @Option(help: "Heavy-rare-earth process for the Dy/Tb column and ranking: bulk or gbd.") var process: DiffusionProcess = .bulk
    @Flag(name: .customLong("include-smco"), help: "Also rank SmCo5 and Sm2Co17 (no Dy/Tb, but Sm and Co).") var includeSmCo = false
    @Option(help: "Write check.csv, check.json and (for one grade) working-point.svg to this directory.") var out: String?
    @OptionGroup var common: Common

    func run() throws {
      try reportingErrors {
        let given = [pc != nil, block != nil, cylinder != nil].filter { $0 }.count
        guard given == 1 else { throw ValidationError("Give exactly one of --pc, --block or --cylinder; got \(given).") }
        let pcValue: Double
        if let pc {
          pcValue = pc
        } else if let block {
          let s = try parseDimensions(block, count: 3, option: "--block")
          pcValue = Permeance.block(width: s[0], depth: s[1], length: s[2], at: point)
        } else {
          let s = try parseDimensions(cylinder ?? "", count: 2, option: "--cylinder")
          pcValue = Permeance.cylinder(diameter: s[0], length: s[1], at: point)
        }
        let duty = Duty(
          temperature: try option("--temperature") { try parseMagneticQuantity(temperature, .temperature) },
          permeanceCoefficient: pcValue,
          opposingField: try option("--opposing-field") { try parseMagneticQuantity(opposingField, .fieldStrength) },
          recoilPermeability: muRec, squareness: squareness, basis: basis)
        do { try duty.validate() } catch let e as MagnetError { throw ValidationError(e.description) }
        let requiredB = try option("--min-b") { try parseMagneticQuantity(minB, .fluxDensity) }
        let cat = try common.catalog()
        var candidates: [GradeCandidate]
        if let grade {
          let names = grade.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
          let chosen = try GradeCatalog(grades: names.map { n in try option("--grade") { try cat.require(n) } })
          let families = Set(chosen.grades.map(\.family))
          let ranked = chosen.rank(for: duty, families: families, process: process, requiredFluxDensity: requiredB)
          candidates = chosen.grades.compactMap { g in ranked.first { $0.grade.name == g.name } }
        } else {
          let families: Set<MagnetFamily> = includeSmCo ? Set(MagnetFamily.allCases) : [.ndFeB]
          candidates = cat.rank(for: duty, families: families, process: process, requiredFluxDensity: requiredB)
        }
        let title =
          "Duty: \(num(duty.temperature)) °C, Pc \(num(pcValue, 4))\(block != nil || cylinder != nil ? " (\(point.rawValue))" : ""), opposing \(num(duty.opposingField / 1000)) kA/m, µrec \(num(muRec)), Hk/HcJ \(num(squareness)), \(basis.rawValue) basis"
          + (grade == nil ? (candidates.first?.survives == true ? "; cheapest survivor: \(candidates[0].grade.id)" : "; no grade survives") : "")
        let t = MagnetCharts.checkTable(candidates, title: title)
        common.emit(t)
        if let out {
          try writeOutput(t.renderCSV(), to: out, name: "check.csv")
          try writeOutput(t.renderJSON(), to: out, name: "check.json")
          if candidates.count == 1 {
            try writeOutput(MagnetCharts.demagnetisation(workingPoint: candidates[0].workingPoint, permeanceCoefficient: pcValue), to: out, name: "working-point.svg")
          }
        }
      }
    }
  }

  // MARK: field

  struct Field: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "B (T) and H (A/m) of a uniformly magnetised cuboid or cylinder at observer points read from CSV (x,y,z in m).",
      discussion: """
        Closed-form surface-charge fields (as magpylib 6), correct inside the magnet; exactly on an
        edge the result is 0. The points file has a header 'x,y,z' (or x_m,y_m,z_m); '#' lines are
        comments. Polarisation: --polarization 'jx,jy,jz' in T (magnet frame), or --grade with
        --temperature and --axis (J = Br(T) along the axis; minimum Br).
        """)
    @Option(help: "Observer points CSV (x,y,z in m).") var points: String
    @Option(help: "A CSV of magnets (shape,d1_m,d2_m,d3_m,jx_T,jy_T,jz_T,px_m,py_m,pz_m,rx_rad,ry_rad,rz_rad); fields add up.") var magnets: String?
    @Option(help: "Cuboid sides a x b x c, e.g. 10x10x5mm (m if no unit).") var cuboid: String?
    @Option(help: "Cylinder D x H (axis z), e.g. 10x5mm.") var cylinder: String?
    @Option(help: "Polarisation J in T in the magnet frame, 'jx,jy,jz'.") var polarization: String?
    @Option(help: "Take |J| = Br(T) of this grade (minimum Br).") var grade: String?
    @Option(help: "Temperature for --grade, °C unless a unit is given.") var temperature: String = "20"
    @Option(help: "Magnetisation axis for --grade: x, y or z (diametral cylinder: x or y).") var axis: String = "z"
    @Option(help: "Centre position 'x,y,z' in m.") var position: String = "0,0,0"
    @Option(help: "Orientation as a rotation vector 'rx,ry,rz' in radians (axis × angle, as scipy from_rotvec).") var rotation: String = "0,0,0"
    @Option(help: "Write field.csv, field.json and field.svg to this directory.") var out: String?
    @OptionGroup var common: Common

    func run() throws {
      try reportingErrors {
        let sources: [Magnet]
        if let magnets {
          guard cuboid == nil, cylinder == nil, polarization == nil, grade == nil else {
            throw ValidationError("--magnets replaces --cuboid/--cylinder and --polarization/--grade; give one or the other.")
          }
          sources = try parseMagnets(try readText(magnets), source: magnets)
        } else {
          sources = [try singleMagnet()]
        }
        let pts = try parsePoints(try readText(points), source: points)
        let fields = Magnet.total(sources, at: pts)
        var t = Table(columns: ["x_m", "y_m", "z_m", "bx_T", "by_T", "bz_T", "b_abs_T", "hx_A_m", "hy_A_m", "hz_A_m"])
        for (p, f) in zip(pts, fields) {
          t.append([
            num(p.x, 10), num(p.y, 10), num(p.z, 10), num(f.b.x, 10), num(f.b.y, 10), num(f.b.z, 10),
            num((f.b * f.b).sum().squareRoot(), 10), num(f.h.x, 10), num(f.h.y, 10), num(f.h.z, 10),
          ])
        }
        common.emit(t)
        if let out {
          try writeOutput(t.renderCSV(), to: out, name: "field.csv")
          try writeOutput(t.renderJSON(), to: out, name: "field.json")
          try writeOutput(MagnetCharts.fieldAlongPath(points: pts, fields: fields, title: "B along the observer points"), to: out, name: "field.svg")
        }
      }
    }

    func singleMagnet() throws -> Magnet {
      guard (cuboid == nil) != (cylinder == nil) else { throw ValidationError("Give exactly one of --cuboid, --cylinder or --magnets.") }
      guard (polarization == nil) != (grade == nil) else { throw ValidationError("Give exactly one of --polarization or --grade.") }
      let shape: MagnetShape
      if let cuboid {
        let s = try parseDimensions(cuboid, count: 3, option: "--cuboid")
        shape = .cuboid(sides: Vector3(s[0], s[1], s[2]))
      } else {
        let s = try parseDimensions(cylinder ?? "", count: 2, option: "--cylinder")
        shape = .cylinder(diameter: s[0], height: s[1])
      }
      let j: Vector3
      if let polarization {
        j = try parseVector(polarization, option: "--polarization")
      } else {
        let cat = try common.catalog()
        let g = try option("--grade") { try cat.require(grade ?? "") }
        let t = try option("--temperature") { try parseMagneticQuantity(temperature, .temperature) }
        let br = g.derated(to: t).br
        switch axis.lowercased() {
        case "x": j = Vector3(br, 0, 0)
        case "y": j = Vector3(0, br, 0)
        case "z": j = Vector3(0, 0, br)
        default: throw ValidationError("--axis must be x, y or z; got '\(axis)'.")
        }
      }
      let magnet = Magnet(
        shape: shape, polarization: j, position: try parseVector(position, option: "--position"),
        orientation: Rotation(rotationVector: try parseVector(rotation, option: "--rotation")))
      try magnet.validate()
      return magnet
    }
  }
}

// MARK: - helpers

/// A number with `digits` significant digits for output.
private func num(_ x: Double, _ digits: Int = 6) -> String { formatNumber(x, significantDigits: digits) }

private func hreText(_ r: ClosedRange<Double>) -> String {
  r.lowerBound == r.upperBound ? num(r.lowerBound) : "\(num(r.lowerBound))-\(num(r.upperBound))"
}

/// Runs a parse and turns a MagnetError into a usage error naming the option.
private func option<T>(_ name: String, _ body: () throws -> T) throws -> T {
  do { return try body() } catch let e as MagnetError { throw ValidationError("\(name): \(e.description)") }
}

/// "20,80,150" or "20:200:10" (from:to:step), each number optionally with a unit (°C default).
private func parseTemperatures(_ text: String) throws -> [Double] {
  let parts = text.split(separator: ":").map(String.init)
  if parts.count == 3 {
    let v = try parts.map { p in try option("--temperatures") { try parseMagneticQuantity(p, .temperature) } }
    guard v[2] > 0, v[1] >= v[0], (v[1] - v[0]) / v[2] <= 10_000 else {
      throw ValidationError("--temperatures from:to:step must have to ≥ from and a positive step giving at most 10000 rows; got '\(text)'.")
    }
    var out: [Double] = []
    var k = 0
    while v[0] + Double(k) * v[2] <= v[1] + 1e-9 * v[2] {
      out.append(v[0] + Double(k) * v[2])
      k += 1
    }
    return out
  }
  let list = try text.split(separator: ",").map { p in try option("--temperatures") { try parseMagneticQuantity(String(p), .temperature) } }
  guard !list.isEmpty else { throw ValidationError("--temperatures must list at least one temperature; got '\(text)'.") }
  return list
}

/// "10x10x5mm", "10 x 5 mm", "0.01x0.005" (m): `count` positive lengths in metres.
private func parseDimensions(_ text: String, count: Int, option: String) throws -> [Double] {
  var t = text.trimmingCharacters(in: .whitespaces).lowercased()
  var factor = 1.0
  for (u, f) in [("mm", 1e-3), ("cm", 1e-2), ("um", 1e-6), ("in", 0.0254), ("m", 1.0)] where t.hasSuffix(u) {
    factor = f
    t = String(t.dropLast(u.count))
    break
  }
  let parts = t.split(separator: "x").map { Double($0.trimmingCharacters(in: .whitespaces)) }
  guard parts.count == count, parts.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0).isFinite }) else {
    let example = count == 3 ? "10x10x5mm" : "10x5mm"
    throw ValidationError("\(option) must be \(count) positive lengths joined by 'x' with an optional unit (mm, cm, m, in), e.g. \(example); got '\(text)'.")
  }
  return parts.map { ($0 ?? 0) * factor }
}

private func parseVector(_ text: String, option: String) throws -> Vector3 {
  let p = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
  guard p.count == 3, let x = p[0], let y = p[1], let z = p[2], x.isFinite, y.isFinite, z.isFinite else {
    throw ValidationError("\(option) must be three numbers 'x,y,z'; got '\(text)'.")
  }
  return Vector3(x, y, z)
}

/// Magnets: one per row, header naming the columns below (the layout of the magpylib fixtures).
private func parseMagnets(_ text: String, source: String) throws -> [Magnet] {
  let numeric = ["d1_m", "d2_m", "d3_m", "jx_T", "jy_T", "jz_T", "px_m", "py_m", "pz_m", "rx_rad", "ry_rad", "rz_rad"]
  var header: [String]?
  var out: [Magnet] = []
  for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
    let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    if line.isEmpty || line.hasPrefix("#") { continue }
    let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    guard let h = header else {
      for c in ["shape"] + numeric where !cells.contains(c) {
        throw DataError("\(source) line \(i + 1): the header must name the column '\(c)'; required: shape, \(numeric.joined(separator: ", ")).")
      }
      header = cells
      continue
    }
    guard cells.count == h.count else {
      throw DataError("\(source) line \(i + 1): a row must have \(h.count) cells like the header; got \(cells.count).")
    }
    var v: [String: Double] = [:]
    for (name, cell) in zip(h, cells) where numeric.contains(name) {
      guard let d = Double(cell), d.isFinite else {
        throw DataError("\(source) line \(i + 1), column '\(name)': the value must be a number; got '\(cell)'.")
      }
      v[name] = d
    }
    let shapeText = cells[h.firstIndex(of: "shape") ?? 0].lowercased()
    let shape: MagnetShape
    switch shapeText {
    case "cuboid": shape = .cuboid(sides: Vector3(v["d1_m"] ?? 0, v["d2_m"] ?? 0, v["d3_m"] ?? 0))
    case "cylinder": shape = .cylinder(diameter: v["d1_m"] ?? 0, height: v["d2_m"] ?? 0)
    default: throw DataError("\(source) line \(i + 1), column 'shape': the shape must be 'cuboid' or 'cylinder'; got '\(shapeText)'.")
    }
    let m = Magnet(
      shape: shape, polarization: Vector3(v["jx_T"] ?? 0, v["jy_T"] ?? 0, v["jz_T"] ?? 0),
      position: Vector3(v["px_m"] ?? 0, v["py_m"] ?? 0, v["pz_m"] ?? 0),
      orientation: Rotation(rotationVector: Vector3(v["rx_rad"] ?? 0, v["ry_rad"] ?? 0, v["rz_rad"] ?? 0)))
    do { try m.validate() } catch { throw DataError("\(source) line \(i + 1): \(error.description)") }
    out.append(m)
  }
  guard header != nil, !out.isEmpty else { throw DataError("\(source): the file must have a header and at least one magnet; got none.") }
  return out
}

/// Observer points: header x,y,z (or x_m,y_m,z_m) then one point per row, metres.
private func parsePoints(_ text: String, source: String) throws -> [Vector3] {
  var pts: [Vector3] = []
  var header: [String]?
  var idx = [0, 1, 2]
  for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
    let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    if line.isEmpty || line.hasPrefix("#") { continue }
    let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    guard let h = header else {
      let names = cells.map { $0.lowercased() }
      for (k, axis) in ["x", "y", "z"].enumerated() {
        guard let c = names.firstIndex(where: { $0 == axis || $0 == axis + "_m" }) else {
          throw DataError("\(source) line \(i + 1): the header must name columns x, y, z (or x_m, y_m, z_m), in metres; got '\(line)'.")
        }
        idx[k] = c
      }
      header = cells
      continue
    }
    guard cells.count == h.count else {
      throw DataError("\(source) line \(i + 1): a row must have \(h.count) cells like the header; got \(cells.count).")
    }
    var v = Vector3.zero
    for k in 0..<3 {
      guard let d = Double(cells[idx[k]]), d.isFinite else {
        throw DataError("\(source) line \(i + 1), column '\(h[idx[k]])': a coordinate must be a number in metres; got '\(cells[idx[k]])'.")
      }
      v[k] = d
    }
    pts.append(v)
  }
  guard header != nil else { throw DataError("\(source) line 1: the file must start with a header 'x,y,z'; got an empty file.") }
  return pts
}

extension PropertyBasis: ExpressibleByArgument {}
extension PermeancePoint: ExpressibleByArgument {}
extension DiffusionProcess: ExpressibleByArgument {}
