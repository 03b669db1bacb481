#!/usr/bin/env python3
"""Independent check of Scenarios/india-2026.yaml (and its variants), without Swift.

Re-implements, in Python with PyYAML, the rules of Sources/SupplyChain/Validation.swift that
matter for a hand-written scenario:
  * every entity (material, site, process, link, agreement, policy, demand, reserve, price
    series, and entities added by variants) has a non-empty `source:`;
  * every reference (site, material, agreement, capacity-basis) resolves;
  * every recipe conserves each tracked element after its stated losses: with `losses: none`
    in == out, with per-element fractions out == (1 - f) * in, with `rest` out <= in, each to
    1e-6 relative (recipeBalanceTolerance). A process without inputs is a source across the
    system boundary and is exempt (as in Validation.swift on main);
  * element mass fractions of each material sum to at most 100 %;
  * the supply-chain.md §4 case 5 chain (500 t NdPr oxide → ≈404 t metal → 1,010-1,270 t
    magnet; 6,000 t/yr magnets need ≈2,800 t/yr oxide) holds for the recipes in the file.

Atomic weights are read from Sources/Chemistry/Element.swift (IUPAC/CIAAW 2021), so the
check sees the same numbers as the Swift code. Usage:

    scripts/check-india.py [FILE] [--table]

Exit status 0 when everything passes, 1 otherwise. `--table` prints the element balance of
every recipe (kg per kg of the capacity basis), as used in docs/india-scenario.md.
"""
import copy
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("check-india.py needs PyYAML (apt-get install python3-yaml)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOL = 1e-6


def atomic_weights():
    src = open(os.path.join(ROOT, "Sources/Chemistry/Element.swift"), encoding="utf-8").read()
    symbols = []
    for line in src.splitlines():
        line = line.strip()
        if line.startswith("case ") and "," in line and "(" not in line:
            symbols += [s.strip() for s in line[5:].split(",")]
    weights = {}
    for z, w in re.findall(r"Entry\(z: (\d+), weight: ([0-9.]+)", src):
        weights[symbols[int(z) - 1]] = float(w)
    return weights


W = atomic_weights()


def parse_formula(text):
    """Element counts of a simple formula with parentheses and fractional subscripts."""
    pos = 0

    def group():
        nonlocal pos
        counts = {}
        while pos < len(text) and text[pos] != ")":
            if text[pos] == "(":
                pos += 1
                inner = group()
                pos += 1  # ')'
                n = number()
                for e, c in inner.items():
                    counts[e] = counts.get(e, 0) + c * n
            else:
                m = re.match(r"[A-Z][a-z]?", text[pos:])
                if not m or m.group(0) not in W:
                    raise ValueError(f"formula '{text}' has an unknown element at column {pos + 1}")
                pos += len(m.group(0))
                n = number()
                counts[m.group(0)] = counts.get(m.group(0), 0) + n
        return counts

    def number():
        nonlocal pos
        m = re.match(r"[0-9]+(\.[0-9]+)?", text[pos:])
        if not m:
            return 1.0
        pos += len(m.group(0))
        return float(m.group(0))

    return group()


def mass_fractions(formula):
    counts = parse_formula(formula)
    total = sum(W[e] * n for e, n in counts.items())
    return {e: W[e] * n / total for e, n in counts.items()}


def percent(value):
    text = str(value).strip()
    if text.endswith("%"):
        return float(text[:-1].replace(",", "").replace("_", "")) / 100
    return float(text)


def composition(material):
    if "formula" in material:
        return mass_fractions(material["formula"])
    comp = {}
    for species, frac in (material.get("assay") or {}).items():
        for e, f in mass_fractions(species).items():
            comp[e] = comp.get(e, 0) + percent(frac) * f
    return comp


def sections(s):
    for key in ["materials", "sites", "processes", "links", "agreements", "policies", "demands", "reserves"]:
        for item in s.get(key) or []:
            yield key, item.get("id", "?"), item
    for item in s.get("prices") or []:
        yield "prices", item.get("material", "?"), item


def apply_variant(base, variant):
    s = copy.deepcopy(base)
    for path, value in (variant.get("set") or {}).items():
        parts = path.split("/")
        node = s
        for i, part in enumerate(parts[:-1]):
            if isinstance(node, list):
                matches = [x for x in node if x.get("id") == part or x.get("material") == part]
                if not matches:
                    raise KeyError(f"variant '{variant['name']}' set path '{path}': no item '{part}'")
                node = matches[0]
            else:
                if part not in node:
                    raise KeyError(f"variant '{variant['name']}' set path '{path}': no key '{part}'")
                node = node[part]
        node[parts[-1]] = value
    for path in variant.get("remove") or []:
        sec, ident = path.split("/")
        before = len(s[sec])
        s[sec] = [x for x in s[sec] if x.get("id") != ident]
        if len(s[sec]) == before:
            raise KeyError(f"variant '{variant['name']}' remove '{path}': no such entity")
    for sec, items in (variant.get("add") or {}).items():
        s.setdefault(sec, []).extend(copy.deepcopy(items))
    return s


def recipe_rows(s, comps, p):
    rows = []
    losses = p.get("losses", "none")
    for e in s["elements"]:
        i = sum(float(a) * comps[m].get(e, 0) for m, a in (p.get("inputs") or {}).items())
        o = sum(float(a) * comps[m].get(e, 0) for m, a in (p.get("outputs") or {}).items())
        if i == 0 and o == 0:
            continue
        if losses == "none":
            stated = 0.0
        elif losses == "rest":
            stated = None
        else:
            stated = percent(losses.get(e, 0)) * i
        rows.append((e, i, o, i - o, stated))
    return rows


def check(s, label):
    errors = []
    comps = {m["id"]: composition(m) for m in s["materials"]}
    material_ids = set(comps)
    site_ids = {x["id"] for x in s["sites"]}
    agreement_ids = {x["id"] for x in s.get("agreements") or []}
    for sec, ident, item in sections(s):
        if not str(item.get("source", "")).strip():
            errors.append(f"{label}: {sec} '{ident}' has no source")
    for mid, c in comps.items():
        if sum(c.values()) > 1 + 1e-9:
            errors.append(f"{label}: material '{mid}' fractions sum to {sum(c.values()) * 100:.4f} %")

    def ref(kind, value, known, where):
        if value not in known:
            errors.append(f"{label}: {where}: unknown {kind} '{value}'")

    for p in s["processes"]:
        where = f"process '{p['id']}'"
        ref("site", p["site"], site_ids, where)
        terms = dict(p.get("inputs") or {})
        terms.update(p.get("outputs") or {})
        for m in terms:
            ref("material", m, material_ids, where)
        basis = p.get("capacity-basis", next(iter(p.get("inputs") or p.get("outputs"))))
        if basis not in terms:
            errors.append(f"{label}: {where}: capacity-basis '{basis}' is not an input or output")
        if not p.get("inputs"):
            continue  # a source across the system boundary
        for e, i, o, lost, stated in recipe_rows(s, comps, p):
            scale = max(i, o, 1e-30)
            if o > i + TOL * scale:
                errors.append(f"{label}: {where}: {e} is created ({o:.6g} out > {i:.6g} in)")
            elif stated is not None and abs(lost - stated) > TOL * scale:
                errors.append(f"{label}: {where}: {e} lost {lost:.6g} but stated {stated:.6g}")
    for l in s.get("links") or []:
        ref("site", l["from"], site_ids, f"link '{l['id']}'")
        ref("site", l["to"], site_ids, f"link '{l['id']}'")
        for m in l.get("materials") or []:
            ref("material", m, material_ids, f"link '{l['id']}'")
    for a in s.get("agreements") or []:
        for k in ["principal", "processor", "return-to"]:
            if k in a:
                ref("site", a[k], site_ids, f"agreement '{a['id']}'")
        for k in ["input", "output"]:
            ref("material", a[k], material_ids, f"agreement '{a['id']}'")
    for p in s.get("policies") or []:
        for a in p.get("exempt-agreements") or []:
            ref("agreement", a, agreement_ids, f"policy '{p['id']}'")
        for m in p.get("materials") or []:
            ref("material", m, material_ids, f"policy '{p['id']}'")
    for d in s.get("demands") or []:
        ref("site", d["site"], site_ids, f"demand '{d['id']}'")
        ref("material", d["material"], material_ids, f"demand '{d['id']}'")
    for r in s.get("reserves") or []:
        ref("site", r["site"], site_ids, f"reserve '{r['id']}'")
        ref("material", r["material"], material_ids, f"reserve '{r['id']}'")
    for pr in s.get("prices") or []:
        ref("material", pr["material"], material_ids, "prices")
    return errors, comps


def case5(s, comps):
    """supply-chain.md §4 case 5, computed from the file's recipes. Returns (errors, lines)."""
    proc = {p["id"]: p for p in s["processes"]}

    def re_mass(m, elements=("Nd", "Pr")):
        return sum(comps[m].get(e, 0) for e in elements)

    metal = proc["scheme-ndpr-metal"]
    metal_per_oxide = float(metal["outputs"]["ndpr-metal"]) / float(metal["inputs"]["ndpr-oxide"])
    oxide_metal_fraction = re_mass("ndpr-oxide")
    magnet_yield = 1 / float(proc["scheme-magnet-n"]["inputs"]["ndfeb-n-alloy"])
    alloy_ndpr = re_mass("ndfeb-n-alloy")
    out = []
    errs = []
    metal_t = 500 * metal_per_oxide * re_mass("ndpr-metal")
    magnets_t = metal_t / alloy_ndpr * magnet_yield
    oxide_for_6000 = 6000 / magnet_yield * alloy_ndpr / re_mass("ndpr-metal") / metal_per_oxide
    jp = proc["jp-oxide-to-magnet"]
    jp_magnets = 500 / float(jp["inputs"]["ndpr-oxide"])
    out.append(f"NdPr oxide metal fraction {oxide_metal_fraction:.4f} (SD §3.3: 0.852)")
    out.append(f"500 t NdPr oxide -> {metal_t:.1f} t NdPr metal (SD §4: ≈404 t)")
    out.append(f"-> {magnets_t:.0f} t N-grade magnet via the scheme's stages (SD §4: 1,010-1,270 t)")
    out.append(f"-> {jp_magnets:.0f} t via the partner's one-step recipe")
    out.append(f"6,000 t/yr magnets need {oxide_for_6000:.0f} t/yr NdPr oxide (SD §4: ≈2,800 t)")
    if abs(oxide_metal_fraction - 0.852) > 0.002:
        errs.append("NdPr oxide metal fraction is not ≈0.852")
    if abs(metal_t - 404) > 404 * 0.01:
        errs.append(f"500 t oxide gives {metal_t:.1f} t metal, not 404 t ± 1 %")
    if not 1010 <= magnets_t <= 1270:
        errs.append(f"500 t oxide gives {magnets_t:.0f} t magnets, outside 1,010-1,270 t")
    if abs(jp_magnets - magnets_t) > magnets_t * 0.001:
        errs.append("partner recipe disagrees with the scheme's stages by more than 0.1 %")
    if abs(oxide_for_6000 - 2800) > 2800 * 0.02:
        errs.append(f"6,000 t magnets need {oxide_for_6000:.0f} t oxide, not 2,800 t ± 2 %")
    return errs, out


def main(argv):
    path = next((a for a in argv[1:] if not a.startswith("--")), os.path.join(ROOT, "Scenarios/india-2026.yaml"))
    base = yaml.safe_load(open(path, encoding="utf-8"))
    failures = []
    variants = base.get("variants") or []
    errs, comps = check(base, "file")
    failures += errs
    for v in variants:
        try:
            s = apply_variant(base, v)
        except KeyError as e:
            failures.append(str(e))
            continue
        failures += check(s, f"variant {v['name']}")[0]
    c_errs, lines = case5(base, comps)
    failures += c_errs
    print(f"{path}: {len(base['materials'])} materials, {len(base['sites'])} sites, "
          f"{len(base['processes'])} processes, {len(base.get('links') or [])} links, "
          f"{len(base.get('agreements') or [])} agreements, {len(base.get('policies') or [])} policies, "
          f"{len(base.get('demands') or [])} demands, {len(variants)} variants")
    for line in lines:
        print("  " + line)
    if "--table" in argv:
        for p in base["processes"]:
            if not p.get("inputs"):
                continue
            print(f"\n{p['id']} (losses: {p.get('losses', 'none') if isinstance(p.get('losses', 'none'), str) else 'per element'})")
            print(f"  {'element':8}{'in':>10}{'out':>10}{'recovery':>10}")
            for e, i, o, lost, stated in recipe_rows(base, comps, p):
                print(f"  {e:8}{i:10.5f}{o:10.5f}{(o / i if i else 0) * 100:9.2f}%")
    if failures:
        print("\nFAILED:")
        for f in failures:
            print("  " + f)
        return 1
    print("OK: every entity has a source; every recipe conserves each tracked element after its stated losses; case 5 holds.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
