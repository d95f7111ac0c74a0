#!/usr/bin/env python3
"""An independent implementation of RS-1 (../shared/WORKLOAD.md), written from
that page alone, in plain Python over the population's CSV: no nudge code.

It reads the CSV that `nudge gen --csv` writes (values as exact decimals, parsed
as Python floats: every RS-1 value has at most 2 decimals, so thresholds fall on
the same side as in exact decimal arithmetic), computes the logistic churn score
in double precision, applies consent, calamity suppression, the points basket
walk, the call capacity and the top-K cut, and compares the result with the
decisions CSV that `nudge sweep` wrote, per WORKLOAD.md "Comparing results".

Usage: rs1_reference.py POPULATION.csv DECISIONS.csv
Exit 0 when they agree, 1 with the first differences otherwise.
"""
import csv
import math
import sys

BASE = {"service": 2, "editorial": 5, "commercial": 10, "calamity": 20}
FACTOR = {"email": 1.0, "push": 1.0, "sms": 1.5, "mail": 1.5, "call": 2.0}
CONSENT = {"email": "email_opt_in", "push": "email_opt_in", "sms": "sms_opt_in",
           "mail": "mail_opt_in", "call": "phone_opt_in"}
CALL_CAPACITY = 5000
MAX_PER_MEMBER = 2
K = 100000
BASKET = 25.0


def num(s):
    return None if s == "" else float(s)


def triggers(r):
    f3, fp3 = r["flights_3m"], r["flights_prev_3m"]
    dslf = r["days_since_last_flight"]
    sal = r["salary"]
    return [
        fp3 >= 4 and f3 < 0.5 * fp3 and r["tier"] in ("Star", "Nova"),
        fp3 >= 2 and f3 < 0.5 * fp3,
        r["points_to_next_tier"] > 0 and r["points_to_next_tier"] <= 2000,
        r["days_to_birthday"] <= 14,
        dslf > 180 and r["clv"] > 5000,
        dslf > 120 and dslf <= 180,
        r["points_balance"] > 10000 and dslf > 300,
        r["complaints_12m"] >= 2,
        r["opens_90d"] == 0 and r["flights_12m"] >= 6,
        r["tier"] == "Star" and r["distance_12m"] > 50000 and sal is not None and sal > 90000,
    ]


# (name, type, channel, value, weight, churn-weighted)
ACTIONS = [
    ("defection_call", "commercial", "call", 400, 1.0, True),
    ("defection_email", "commercial", "email", 150, 1.0, True),
    ("tier_nudge", "editorial", "email", 60, 1.0, False),
    ("birthday", "service", "email", 20, 1.0, False),
    ("winback_mail", "commercial", "mail", 250, 0.8, True),
    ("winback_sms", "commercial", "sms", 90, 0.9, True),
    ("points_expiry", "service", "email", 40, 1.0, False),
    ("complaint_followup", "service", "call", 120, 1.2, True),
    ("engagement_push", "editorial", "push", 30, 0.7, False),
    ("premium_upsell", "commercial", "email", 200, 0.6, False),
]


def churn(r):
    z = (-1.2 - 0.35 * r["flights_3m"] + 0.20 * r["flights_prev_3m"] + 0.004 * r["days_since_last_flight"]
         + 0.45 * r["complaints_12m"] - 0.05 * r["clicks_90d"] - 0.0002 * r["enroll_days"]
         + (-0.6 if r["tier"] == "Star" else -0.3 if r["tier"] == "Nova" else 0.0))
    return 1.0 / (1.0 + math.exp(-z))


def decide(pop_csv):
    decisions = []  # (priority, customer_id, action#, cost, budget_left)
    with open(pop_csv, newline="") as f:
        for raw in csv.DictReader(f):
            r = {k: (v if k == "tier" else num(v)) for k, v in raw.items()}
            fired = triggers(r)
            if not any(fired):
                continue
            cands = []
            for a, (name, mtype, chan, value, weight, cw) in enumerate(ACTIONS):
                if not fired[a] or r[CONSENT[chan]] != 1:
                    continue
                if r["days_since_calamity"] < 7 and mtype in ("editorial", "commercial"):
                    continue
                cands.append(a)
            if not cands:
                continue
            c = churn(r)
            pri = {a: ACTIONS[a][4] * ACTIONS[a][3] * (c if ACTIONS[a][5] else 1.0) for a in cands}
            cands.sort(key=lambda a: (-pri[a], a))
            remaining = BASKET - r["pressure_used"]
            kept = 0
            for a in cands:
                cost = BASE[ACTIONS[a][1]] * FACTOR[ACTIONS[a][2]]
                if kept < MAX_PER_MEMBER and remaining > 0 and cost <= remaining:
                    remaining -= cost
                    kept += 1
                    decisions.append((pri[a], int(raw["customer_id"]), a, cost, remaining))
    return rank_and_cap(decisions)


def rank_and_cap(decisions):
    """decisions (priority, customer_id, action#, cost, budget_left): the call
    capacity keeps the highest-ranked CALL_CAPACITY calls, then the first K in
    rank order (priority descending, customer_id, action#)."""
    calls = sorted((d for d in decisions if ACTIONS[d[2]][2] == "call"), key=lambda d: (-d[0], d[1], d[2]))
    dropped = {(d[1], d[2]) for d in calls[CALL_CAPACITY:]}
    kept = [d for d in decisions if (d[1], d[2]) not in dropped]
    kept.sort(key=lambda d: (-d[0], d[1], d[2]))
    return kept[:K]


def read_decisions(path):
    """The decisions CSV `nudge sweep` wrote: (priority, customer_id, action, cost, budget_left)."""
    with open(path, newline="") as f:
        return [(float(r["priority"]), int(r["customer_id"]), r["action"], float(r["cost"]), float(r["budget_left"]))
                for r in csv.DictReader(f)]


def compare(got, ref, note="", show_cost=True):
    """Compares nudge's decisions with the reference's per WORKLOAD.md "Comparing
    results", prints the first differences and a summary (note after the count);
    returns the number of differences."""
    bad = 0
    if len(got) != len(ref):
        print(f"row count: nudge {len(got)}, reference {len(ref)}")
        bad += 1
    def close(a, b):
        return a == b or abs(a - b) / max(abs(a), abs(b)) < 1e-6
    for i, (g, e) in enumerate(zip(got, ref)):
        ename = ACTIONS[e[2]][0]
        same = (g[1], g[2]) == (e[1], ename) and close(g[0], e[0]) and g[3] == e[3] and abs(g[4] - e[4]) < 1e-9
        if not same:
            # WORKLOAD.md: order may differ only where priorities differ by < 1e-6 relative.
            if close(g[0], e[0]) and i + 1 < len(ref) and close(ref[i + 1][0], e[0]):
                continue
            bad += 1
            if bad <= 10:
                if show_cost:
                    print(f"rank {i + 1}: nudge {g[1]} {g[2]} pri={g[0]!r} cost={g[3]} left={g[4]} | "
                          f"reference {e[1]} {ename} pri={e[0]!r} cost={e[3]} left={e[4]}")
                else:
                    print(f"rank {i + 1}: nudge {g[1]} {g[2]} pri={g[0]!r} left={g[4]} | "
                          f"reference {e[1]} {ename} pri={e[0]!r} left={e[4]}")
    print(f"compared {min(len(got), len(ref))} ranked decisions{note}: "
          f"{'agree' if bad == 0 else f'{bad} differences'}")
    return bad


def main():
    return 0 if compare(read_decisions(sys.argv[2]), decide(sys.argv[1])) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
