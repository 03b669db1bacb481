#!/usr/bin/env python3
"""Writes Scenarios/ledger/irel-tolling-2026.json: a year (2027, the first year of the
india-2026 scenario's tolling-jp agreement) of IREL NdPr oxide shipped monthly to the Japanese
partner, turned into N-grade magnets, 70 % returned. Deterministic; rerun after editing.

Numbers (all ⚠ scenario assumptions, as Scenarios/india-2026.yaml):
- 16,500 kg oxide a month (≈ 200 t/yr, tolling-jp's input rate); assay from ndpr-oxide
  (79.43 % Nd2O3 + 20.57 % Pr6O11 → Nd 0.6810, Pr 0.1703 kg/kg, IUPAC 2021 weights).
- Recipe jp-oxide-to-magnet: 0.4637 kg oxide per kg magnet; magnet Nd 24 %, Pr 6 %.
- Actual yield 99 % of the recipe, except August (93 %: a flagged yield shortfall).
- June: the partner mixes in 2,000 kg of its own Australian oxide (origin shares in trace).
- Returned lots shipped back and received the next month; December's not yet shipped.
"""
import json
import os

ND, PR = 0.6810, 0.1703
MONTHLY = 16500.0
RECIPE = 0.4637
SHARE = 0.7


def t(month, day, hour=8):
    return f"2027-{month:02d}-{day:02d}T{hour:02d}:00:00Z"


def lot(id_):
    return "urn:lodestone:lot:" + id_


def obj(eid, time, action, step, org, epcs=None, location=None, **ext):
    e = {
        "type": "ObjectEvent", "eventID": eid, "eventTime": time, "eventTimeZoneOffset": "+00:00",
        "action": action, "bizStep": step, "lodestone:organisation": org,
    }
    if epcs:
        e["epcList"] = [lot(x) for x in epcs]
    if location:
        e["bizLocation"] = {"id": location}
        e["readPoint"] = {"id": location}
    e.update({"lodestone:" + k: v for k, v in ext.items()})
    return e


events = []
for m in range(1, 13):
    ox = f"irel-ox-2027-{m:02d}"
    events.append(obj(f"irel-commission-{m:02d}", t(m, 2), "ADD", "commissioning", "irel", [ox], "irel-aluva",
                      lots=[{"id": lot(ox), "material": "ndpr-oxide", "quantity": MONTHLY,
                                               "uom": "KGM", "assay": {"Nd": ND, "Pr": PR}, "origin": "IN"}]))
    events[-1]["disposition"] = "active"
    events.append(obj(f"irel-ship-{m:02d}", t(m, 5), "OBSERVE", "shipping", "irel", [ox], "irel-aluva",
                      consignee="jp-partner", agreement="tolling-jp"))
    events[-1]["disposition"] = "in_transit"
    events.append(obj(f"jp-receive-{m:02d}", t(m, 20), "OBSERVE", "receiving", "jp-partner", [ox], "jp-partner"))
    inputs = [(ox, MONTHLY)]
    if m == 6:
        own = "jp-ox-au-2027-06"
        events.append(obj("jp-commission-au-06", t(6, 21), "ADD", "commissioning", "jp-partner", [own], "jp-partner",
                          lots=[{"id": lot(own), "material": "ndpr-oxide", "quantity": 2000.0, "uom": "KGM",
                                 "assay": {"Nd": ND, "Pr": PR}, "origin": "AU"}]))
        inputs.append((own, 2000.0))
    y = 0.93 if m == 8 else 0.99
    irel_part = round(SHARE * MONTHLY / RECIPE * y, 1)
    total = round(sum(q for _, q in inputs) / RECIPE * y, 1)
    jp_part = round(total - irel_part, 1)
    mag_irel, mag_jp = f"jp-mag-2027-{m:02d}-irel", f"jp-mag-2027-{m:02d}-fee"
    te = {
        "type": "TransformationEvent", "eventID": f"jp-transform-{m:02d}", "eventTime": t(m, 28),
        "eventTimeZoneOffset": "+09:00", "bizStep": "transforming", "disposition": "active",
        "bizLocation": {"id": "jp-partner"}, "readPoint": {"id": "jp-partner"},
        "inputQuantityList": [{"epcClass": lot(x), "quantity": q, "uom": "KGM"} for x, q in inputs],
        "outputEPCList": [lot(mag_irel), lot(mag_jp)],
        "lodestone:lots": [
            {"id": lot(mag_irel), "material": "ndfeb-n", "quantity": irel_part, "uom": "KGM", "grade": "N42",
             "assay": {"Nd": 0.24, "Pr": 0.06, "Fe": 0.67, "B": 0.01, "Co": 0.01}, "owner": "irel"},
            {"id": lot(mag_jp), "material": "ndfeb-n", "quantity": jp_part, "uom": "KGM", "grade": "N42",
             "assay": {"Nd": 0.24, "Pr": 0.06, "Fe": 0.67, "B": 0.01, "Co": 0.01}, "owner": "jp-partner"},
        ],
        "lodestone:agreement": "tolling-jp", "lodestone:organisation": "jp-partner",
    }
    events.append(te)
    if m < 12:
        events.append(obj(f"jp-ship-back-{m:02d}", t(m + 1, 3), "OBSERVE", "shipping", "jp-partner", [mag_irel],
                          "jp-partner", consignee="irel", agreement="tolling-jp"))
        events[-1]["disposition"] = "in_transit"
        events.append(obj(f"irel-receive-back-{m:02d}", t(m + 1, 15), "OBSERVE", "receiving", "irel", [mag_irel],
                          "irel-aluva"))

events.sort(key=lambda e: e["eventTime"])
doc = {
    "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                 {"lodestone": "https://lodestone.dev/epcis/"}],
    "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2027-12-31T00:00:00Z",
    "epcisBody": {"eventList": events},
}
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "Scenarios", "ledger", "irel-tolling-2026.json")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(f"{out}: {len(events)} events")
