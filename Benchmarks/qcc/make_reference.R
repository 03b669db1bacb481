# Generates Tests/Fixtures/qc/qcc-reference.csv: control limits, statistics, flagged points
# and capability indices computed by R's qcc (3.0 conventions) on the committed datasets.
#
# Usage: Rscript Benchmarks/qcc/make_reference.R QCC_R_DIR FIXTURE_DIR
#   QCC_R_DIR   a directory holding qcc's R sources (every *.R file in it is sourced;
#               qcc itself is GPL and is not part of this repository)
#   FIXTURE_DIR Tests/Fixtures/qc (reads pistonrings.csv, pistonrings-gaps.csv, magnet-lots.csv;
#               writes qcc-reference.csv)
# Values are in the units of the CSV columns (mm for pistonrings, T and kA/m for the magnets).
args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 2)
for (f in sort(list.files(args[1], pattern = "\\.R$", full.names = TRUE))) source(f)
fx <- args[2]
grouped <- function(lot, x) { lots <- unique(lot); n <- max(table(lot))
  m <- matrix(NA_real_, length(lots), n)
  for (i in seq_along(lots)) { v <- x[lot == lots[i]]; m[i, seq_along(v)] <- v }
  m }
out <- data.frame(case = character(), quantity = character(), index = integer(), value = character())
put <- function(case, quantity, v) {
  v <- as.numeric(v); if (!length(v)) v <- NA_real_
  out <<- rbind(out, data.frame(case = case, quantity = quantity, index = seq_along(v),
                                value = ifelse(is.na(v), "NA", sprintf("%.17g", v)))) }
flags <- function(case, obj, prefix, fns) for (r in names(fns)) put(case, paste0(prefix, r), sort(fns[[r]](obj)))
putqcc <- function(case, q) {
  put(case, "center", q$center); put(case, "std_dev", q$std.dev)
  put(case, "lcl", q$limits[, 1]); put(case, "ucl", q$limits[, 2])
  put(case, "statistic", c(q$statistics, q$newstats))
  put(case, "violation", ifelse(is.na(q$violations), 0, q$violations))
  flags(case, q, "WE", list(`1` = qccRulesViolatingWER1, `2` = qccRulesViolatingWER2,
                            `3` = qccRulesViolatingWER3, `4` = qccRulesViolatingWER4))
  flags(case, q, "N", list(`1` = qccRulesViolatingNEL1, `2` = qccRulesViolatingNEL2, `3` = qccRulesViolatingNEL3,
                           `4` = qccRulesViolatingNEL4, `5` = qccRulesViolatingNEL5, `6` = qccRulesViolatingNEL6,
                           `7` = qccRulesViolatingNEL7, `8` = qccRulesViolatingNEL8)) }
putcap <- function(case, pc) for (k in names(pc)) put(case, k, pc[[k]])

pr <- read.csv(file.path(fx, "pistonrings.csv"), check.names = FALSE)
d <- grouped(pr$lot, pr[["diameter [mm]"]]); p1 <- d[1:25, ]; p2 <- d[26:40, ]
putqcc("pr_xbar_R", qcc(p1, "xbar", newdata = p2, rules = 1:4))
putqcc("pr_R", qcc(p1, "R", newdata = p2, rules = 1:4))
putqcc("pr_S", qcc(p1, "S", newdata = p2, rules = 1:4))
putqcc("pr_xbar_S", qcc(p1, "xbar", std.dev = "UWAVE-SD", newdata = p2, rules = 1:4))
putqcc("pr_xbar_pooled", qcc(p1, "xbar", std.dev = "RMSDF", newdata = p2, rules = 1:4))
putqcc("pr_xbar_nelson", qcc(p1, "xbar", newdata = p2, rules = 1:8, rule.set = "nelson"))
for (est in c("UWAVE-R", "UWAVE-SD", "RMSDF")) {
  q <- qcc(p1, "xbar", std.dev = est)
  putcap(paste0("pr_cap_", est), processCapability(q, c(73.95, 74.05)))
  putcap(paste0("pr_cap_lsl_", est), processCapability(q, c(73.95, NA))) }
putcap("pr_cap_target", processCapability(qcc(p1, "xbar"), c(73.95, 74.05), target = 74.01))
e <- ewma(p1, lambda = 0.2, nsigmas = 3, newdata = p2)
put("pr_ewma", "center", e$center); put("pr_ewma", "std_dev", e$std.dev); put("pr_ewma", "ewma", e$ewma)
put("pr_ewma", "lcl", e$lcl); put("pr_ewma", "ucl", e$ucl); put("pr_ewma", "flagged", e$violations)
cs <- cusum(p1, newdata = p2)
put("pr_cusum", "pos", cs$pos); put("pr_cusum", "neg", cs$neg)
put("pr_cusum", "upper", cs$upper); put("pr_cusum", "lower", cs$lower)
cs <- cusum(p1, newdata = p2, decision.interval = 4, se.shift = 1.5)
put("pr_cusum_h4", "pos", cs$pos); put("pr_cusum_h4", "neg", cs$neg)
put("pr_cusum_h4", "upper", cs$upper); put("pr_cusum_h4", "lower", cs$lower)

# Unequal subgroup sizes (qcc's "variable control limits" example: 12 values left empty).
pg <- read.csv(file.path(fx, "pistonrings-gaps.csv"), check.names = FALSE, comment.char = "#")
d <- grouped(pg$lot, pg[["diameter [mm]"]]); g1 <- d[1:25, ]; g2 <- d[26:40, ]
putqcc("prg_xbar_R", qcc(g1, "xbar", newdata = g2, rules = 1:4))
putqcc("prg_R", qcc(g1, "R", newdata = g2, rules = 1:4))
putqcc("prg_S", qcc(g1, "S", newdata = g2, rules = 1:4))
putqcc("prg_xbar_S", qcc(g1, "xbar", std.dev = "UWAVE-SD", newdata = g2, rules = 1:8, rule.set = "nelson"))
putqcc("prg_xbar_pooled", qcc(g1, "xbar", std.dev = "RMSDF", newdata = g2, rules = 1:4))
putqcc("prg_xbar_mvlueR", qcc(g1, "xbar", std.dev = "MVLUE-R", newdata = g2, rules = 1:4))
putqcc("prg_xbar_mvlueS", qcc(g1, "xbar", std.dev = "MVLUE-SD", newdata = g2, rules = 1:4))

mg <- read.csv(file.path(fx, "magnet-lots.csv"), check.names = FALSE)
br <- mg[["Br [T]"]]; hcj <- mg[["HcJ [kA/m]"]]
putqcc("mg_br_imr", qcc(br, "xbar.one", rules = 1:8, rule.set = "nelson"))
putqcc("mg_br_mr", qcc(embed(br, 2), "R", rules = 1:4))
putqcc("mg_hcj_xbar_S", qcc(grouped(mg$lot, hcj), "xbar", std.dev = "UWAVE-SD", rules = 1:8, rule.set = "nelson"))
putqcc("mg_hcj_S", qcc(grouped(mg$lot, hcj), "S", rules = 1:4))
putqcc("mg_br_xbar_R", qcc(grouped(mg$lot, br), "xbar", rules = 1:4))
putcap("mg_br_cap_lsl", processCapability(qcc(br, "xbar.one"), c(1.28, NA)))
putcap("mg_br_cap_two", processCapability(qcc(grouped(mg$lot, br), "xbar"), c(1.28, 1.32)))
e <- ewma(br, lambda = 0.1, nsigmas = 2.7)
put("mg_br_ewma", "center", e$center); put("mg_br_ewma", "std_dev", e$std.dev); put("mg_br_ewma", "ewma", e$ewma)
put("mg_br_ewma", "lcl", e$lcl); put("mg_br_ewma", "ucl", e$ucl); put("mg_br_ewma", "flagged", e$violations)
cs <- cusum(br)
put("mg_br_cusum", "pos", cs$pos); put("mg_br_cusum", "neg", cs$neg)
put("mg_br_cusum", "upper", cs$upper); put("mg_br_cusum", "lower", cs$lower)
write.csv(out, file.path(fx, "qcc-reference.csv"), row.names = FALSE, quote = FALSE)
