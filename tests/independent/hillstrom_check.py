#!/usr/bin/env python3
"""Checks nudge's Hillstrom uplift report against a plain pandas computation.

Usage: hillstrom_check.py RAW.csv REPORT.json

From the raw CSV alone: for each e-mail (Mens E-Mail -> mens_email, Womens
E-Mail -> womens_email), treated = that segment's rows, control = the No
E-Mail rows; visit rate, conversion rate and spend per member in each, and
the uplifts (treated - control). The report (tools/run-hillstrom.sh) must
give the same member counts exactly and the same rates, uplifts and values
to 1e-12.
"""
import json
import sys

import pandas as pd

raw, report = sys.argv[1], sys.argv[2]
df = pd.read_csv(raw)
rep = json.load(open(report))
actions = {a["name"]: a for a in rep["actions"]}
control = df[df["segment"] == "No E-Mail"]
failures = []


def close(what, got, want):
    if got is None or abs(got - want) > 1e-12:
        failures.append(f"{what}: report {got}, pandas {want}")


for segment, name in [("Mens E-Mail", "mens_email"), ("Womens E-Mail", "womens_email")]:
    treated = df[df["segment"] == segment]
    a = actions[name]
    if a["treated"] != len(treated) or a["control"] != len(control):
        failures.append(f"{name}: members {a['treated']}/{a['control']}, pandas {len(treated)}/{len(control)}")
    for column, rtype in [("visit", "visit"), ("conversion", "convert")]:
        r = a["responses"][rtype]
        t, c = treated[column].mean(), control[column].mean()
        close(f"{name} {rtype} treated_rate", r["treated_rate"], t)
        close(f"{name} {rtype} control_rate", r["control_rate"], c)
        close(f"{name} {rtype} uplift", r["uplift"], t - c)
        if not (r["ci_low"] <= r["uplift"] <= r["ci_high"]):
            failures.append(f"{name} {rtype}: uplift outside its CI")
    v = a["value_per_member"]
    close(f"{name} spend treated", v["treated"], treated["spend"].mean())
    close(f"{name} spend control", v["control"], control["spend"].mean())
    close(f"{name} spend uplift", v["uplift"], treated["spend"].mean() - control["spend"].mean())
    print(f"{name}: treated {len(treated)} control {len(control)} "
          f"visit {treated['visit'].mean():.6f} vs {control['visit'].mean():.6f}, "
          f"conversion {treated['conversion'].mean():.6f} vs {control['conversion'].mean():.6f}, "
          f"spend {treated['spend'].mean():.6f} vs {control['spend'].mean():.6f}")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("hillstrom: report equals pandas")
