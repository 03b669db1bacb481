# Generates Tests/Fixtures/qc/magnet-lots.csv: a synthetic N42H sintered-NdFeB production
# record (30 lots x 5 specimens) with a small upward Br shift from lot 21 and a lot (17)
# whose HcJ sits near the grade minimum. Deterministic (set.seed). Base R only.
# Usage: Rscript Benchmarks/qcc/make_magnet_lots.R Tests/Fixtures/qc/magnet-lots.csv
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "magnet-lots.csv"
set.seed(20261123)
lots <- 30; n <- 5
rows <- list()
for (l in 1:lots) {
  brMean <- 1.300 + if (l >= 21) 0.006 else 0
  hcjMean <- if (l == 17) 1362 else 1420
  for (s in 1:n) {
    br <- round(rnorm(1, brMean, 0.005), 4)
    hcj <- round(rnorm(1, hcjMean, 12), 1)
    hcb <- round(br / (4e-7 * pi * 1.05) / 1000 - abs(rnorm(1, 8, 3)), 1)
    bh <- round(br^2 / (4 * 4e-7 * pi) / 1000 - abs(rnorm(1, 6, 2)), 1)
    rho <- round(rnorm(1, 7.55, 0.02), 3)
    rows[[length(rows) + 1]] <- data.frame(
      lot = sprintf("L%02d", l),
      time = sprintf("2026-10-%02dT%02d:00:00Z", (l - 1) %/% 2 + 1, 8 + 4 * ((l - 1) %% 2) + s - 1),
      grade = "N42H", specimen = sprintf("L%02d-%d", l, s),
      br = br, hcj = hcj, hcb = hcb, bh = bh, rho = rho,
      len = round(rnorm(1, 10.00, 0.01), 3), wid = round(rnorm(1, 10.00, 0.01), 3),
      hei = round(rnorm(1, 5.00, 0.008), 3))
  }
}
d <- do.call(rbind, rows)
names(d) <- c("lot", "time", "grade", "specimen", "Br [T]", "HcJ [kA/m]", "HcB [kA/m]",
              "BHmax [kJ/m3]", "density [g/cm3]", "length [mm]", "width [mm]", "height [mm]")
write.csv(d, out, row.names = FALSE, quote = FALSE)
