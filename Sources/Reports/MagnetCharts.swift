import Magnets
import Quantities

/// Chart builders for the `Magnets` capability (deterministic SVG text).
public enum MagnetCharts {
  /// Retained Br, HcJ and (BH)max (% of `reference`, normally the same grade and model at
  /// 20 °C) against temperature for one grade, with HcJ at the rated temperature marked.
  public static func derating(grade: Grade, curve: [DeratedProperties], reference ref: DeratedProperties) -> String {
    var c = LineChart(title: "\(grade.name): reversible derating (\(grade.iecShortName()))", xLabel: "Temperature (°C)", yLabel: "% of 20 °C value")
    func pct(_ v: Double, _ r: Double) -> Double { r > 0 ? 100 * v / r : 0 }
    c.series.append(.init(name: "Br", points: curve.map { ($0.temperature, pct($0.br, ref.br)) }, color: palette[0], markers: true))
    c.series.append(.init(name: "HcJ", points: curve.map { ($0.temperature, pct($0.hcj, ref.hcj)) }, color: palette[3], markers: true))
    c.series.append(.init(name: "(BH)max", points: curve.map { ($0.temperature, pct($0.bhMax, ref.bhMax)) }, color: palette[2], dashed: true))
    let atTw = grade.derated(to: grade.maxWorkingTemperature, recoilPermeability: ref.recoilPermeability, squareness: ref.squareness)
    c.referenceLines.append(.init(y: pct(atTw.hcj, ref.hcj), label: "HcJ at Tw \(formatNumber(grade.maxWorkingTemperature, significantDigits: 4)) °C", color: "#999999"))
    return c.render()
  }

  /// Second-quadrant B(H) and J(H) at the duty temperature (square-loop model: linear recoil
  /// line down to the knee −Hk, then a straight drop to −HcJ), the load line through the
  /// working point (slope −µ0·Pc) and the working point itself. H in kA/m, B and J in T.
  public static func demagnetisation(workingPoint wp: WorkingPoint, permeanceCoefficient pc: Double) -> String {
    let p = wp.properties
    var c = LineChart(
      title: "\(wp.grade) at \(formatNumber(p.temperature, significantDigits: 4)) °C: working point", xLabel: "H (kA/m)", yLabel: "B, J (T)")
    let mr = mu0 * p.recoilPermeability
    let hk = p.hk, hcj = p.hcj
    // normal curve B(H)
    let bKnee = p.br - mr * hk
    var bCurve: [(x: Double, y: Double)] = [(0, p.br), (-hk / 1000, bKnee)]
    let jKnee = bKnee + mu0 * hk
    let bAtHcj = -mu0 * hcj  // J = 0 at −HcJ → B = µ0H
    bCurve.append((-hcj / 1000, bAtHcj))
    c.series.append(.init(name: "B(H)", points: bCurve, color: palette[0]))
    c.series.append(.init(name: "J(H)", points: [(0, p.br), (-hk / 1000, jKnee), (-hcj / 1000, 0)], color: palette[1]))
    // load line through the working point with slope −µ0·Pc (B = −µ0·Pc·(H − H0))
    let h0 = wp.totalField + wp.fluxDensity / (mu0 * pc)
    let hEnd = min(wp.totalField * 1.3, -hcj)
    c.series.append(.init(name: "load line Pc \(formatNumber(pc, significantDigits: 3))", points: [(h0 / 1000, 0), (hEnd / 1000, -mu0 * pc * (hEnd - h0))].filter { $0.1 >= bAtHcj - 0.5 }, color: palette[2], dashed: true))
    c.highlights.append(.init(x: wp.totalField / 1000, y: wp.fluxDensity, note: "working point H \(formatNumber(wp.totalField / 1000, significantDigits: 4)) kA/m, B \(formatNumber(wp.fluxDensity, significantDigits: 4)) T"))
    c.referenceLines.append(.init(y: 0, label: "B = 0", color: "#999999", dashed: false))
    return c.render()
  }

  /// Field components along a sequence of observer points: x is the path length from the
  /// first point in mm; B in mT.
  public static func fieldAlongPath(points: [Vector3], fields: [FieldSample], title: String) -> String {
    var c = LineChart(title: title, xLabel: "Distance along the observer points (mm)", yLabel: "B (mT)")
    var s = [0.0]
    for i in points.indices.dropFirst() {
      let d = points[i] - points[i - 1]
      s.append(s[i - 1] + (d * d).sum().squareRoot() * 1000)
    }
    let names = ["Bx", "By", "Bz"]
    for k in 0..<3 {
      c.series.append(.init(name: names[k], points: zip(s, fields).map { ($0, $1.b[k] * 1000) }, color: palette[k]))
    }
    c.series.append(.init(name: "|B|", points: zip(s, fields).map { ($0, ($1.b * $1.b).sum().squareRoot() * 1000) }, color: palette[7], dashed: true))
    return c.render()
  }

  /// One row per candidate grade: Br and working-point B in T, fields in kA/m, loss and Dy+Tb in %, and the verdict.
  public static func checkTable(_ candidates: [GradeCandidate], title: String) -> Table {
    func num(_ x: Double, _ digits: Int = 6) -> String { formatNumber(x, significantDigits: digits) }
    var t = Table(
      title: title,
      columns: [
        "grade", "class", "br_T", "hcj_kA_m", "hk_kA_m", "h_total_kA_m", "b_T", "margin_kA_m", "reversible", "loss_pct",
        "dy_tb_wt_pct", "verdict",
      ])
    for c in candidates {
      let w = c.workingPoint
      t.append([
        c.grade.id, c.grade.coercivityClass.rawValue, num(w.properties.br), num(w.properties.hcj / 1000), num(w.properties.hk / 1000),
        num(w.totalField / 1000), num(w.fluxDensity), num(w.margin / 1000), w.reversible ? "yes" : "no",
        num(w.irreversibleLoss * 100, 3), num(c.heavyRareEarthFraction * 100, 3),
        c.survives ? "survives" : "fails: " + c.reasons.joined(separator: "; "),
      ])
    }
    return t
  }
}
