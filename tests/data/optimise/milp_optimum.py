#!/usr/bin/python3
"""Exact optimum of RS-1 and RS-1/OPT by a MILP (Debian python3-scipy 1.10:
scipy.optimize.milp, HiGHS), written independently of nudge's engine from
shared/WORKLOAD.md: triggers, churn and costs come from
tests/independent/rs1_reference.py (plain Python over the population CSV).

For each (workload, members, seed) it generates the population with
`nudge gen` (the only nudge code used), builds every member's candidates,
and maximises the total priority of the kept decisions subject to, per
member, at most 2 decisions whose costs fit 25 - pressure_used (> 0), and the
channel capacities (RS-1: call <= 5000; RS-1/OPT: call <= floor(0.002 N),
sms <= floor(0.004 N), email <= floor(0.06 N)). Members none of whose
candidates is on a capped channel take their best set by enumeration (the
MILP would give the same), the others go into the MILP. It also recomputes
RS-1's greedy objective (walk, then each capped channel keeps its highest by
priority, customer_id, action #).

Output (stdout, CSV, committed as milp_optimum.csv and read by
tests/optimise_milp_test.cc):
  workload,members,seed,milp_optimum,greedy_objective,mip_gap,milp_seconds

Usage: milp_optimum.py NUDGE_BINARY [workload:members:seed ...]
"""
import csv
import itertools
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "independent"))
import rs1_reference as ref  # noqa: E402

# RS-1/OPT's two more actions: (name, type, channel, value, weight, churn-weighted, trigger of action #)
OPT_ACTIONS = [("premium_call", "commercial", "call", 300, 0.6, False, 9),
               ("defection_sms", "commercial", "sms", 250, 1.0, True, 1)]


def capacities(workload, n):
    if workload == "rs1":
        return {"call": 5000}
    return {"call": (2 * n) // 1000, "sms": (4 * n) // 1000, "email": (6 * n) // 100}


def members(workload, pop_csv):
    """Yields (customer_id, budget, [(priority, cost, channel, action#)]) in file order."""
    actions = [a[:6] for a in ref.ACTIONS] + ([a[:6] for a in OPT_ACTIONS] if workload == "rs1_opt" else [])
    with open(pop_csv, newline="") as f:
        for raw in csv.DictReader(f):
            r = {k: (v if k == "tier" else ref.num(v)) for k, v in raw.items()}
            fired = ref.triggers(r)
            if workload == "rs1_opt":
                fired = fired + [fired[a[6]] for a in OPT_ACTIONS]
            if not any(fired):
                continue
            c = None
            cands = []
            for a, (name, mtype, chan, value, weight, cw) in enumerate(actions):
                if not fired[a] or r[ref.CONSENT[chan]] != 1:
                    continue
                if r["days_since_calamity"] < 7 and mtype in ("editorial", "commercial"):
                    continue
                if c is None:
                    c = ref.churn(r)
                pri = weight * value * (c if cw else 1.0)
                cands.append((pri, ref.BASE[mtype] * ref.FACTOR[chan], chan, a))
            if cands:
                yield int(raw["customer_id"]), ref.BASKET - r["pressure_used"], cands


def best_set(budget, cands):
    if not budget > 0:
        return 0.0
    best = 0.0
    for k in (1, 2):
        for s in itertools.combinations(cands, k):
            if sum(x[1] for x in s) <= budget:
                best = max(best, sum(x[0] for x in s))
    return best


def greedy(mems, caps):
    kept = []
    for cid, budget, cands in mems:
        remaining, n = budget, 0
        for pri, cost, chan, a in sorted(cands, key=lambda x: (-x[0], x[3])):
            if n < 2 and remaining > 0 and cost <= remaining:
                remaining -= cost
                n += 1
                kept.append((pri, cid, a, chan))
    total = 0.0
    for chan in set(d[3] for d in kept):
        on = sorted((d for d in kept if d[3] == chan), key=lambda d: (-d[0], d[1], d[2]))
        if chan in caps:
            on = on[:caps[chan]]
        total += sum(d[0] for d in on)
    return total


def optimum(mems, caps):
    fixed = 0.0
    obj, rows, cols, vals, lo, hi = [], [], [], [], [], []
    chan_rows = {ch: i for i, ch in enumerate(caps)}
    nrow = len(caps)
    for cid, budget, cands in mems:
        if not any(c[2] in caps for c in cands):
            fixed += best_set(budget, cands)
            continue
        if not budget > 0:
            continue
        idx = []
        for pri, cost, chan, a in cands:
            j = len(obj)
            obj.append(-pri)
            idx.append(j)
            if chan in caps:
                rows.append(chan_rows[chan]), cols.append(j), vals.append(1.0)
        # at most 2 decisions; costs within the budget
        for j in idx:
            rows.append(nrow), cols.append(j), vals.append(1.0)
        lo.append(-np.inf), hi.append(2.0)
        nrow += 1
        for j, (pri, cost, chan, a) in zip(idx, cands):
            rows.append(nrow), cols.append(j), vals.append(cost)
        lo.append(-np.inf), hi.append(budget)
        nrow += 1
    lo = [-np.inf] * len(caps) + lo
    hi = [float(caps[ch]) for ch in caps] + hi
    A = coo_matrix((vals, (rows, cols)), shape=(nrow, len(obj))).tocsr()
    res = milp(np.array(obj), constraints=LinearConstraint(A, lo, hi), integrality=np.ones(len(obj)),
               bounds=Bounds(0, 1), options={"mip_rel_gap": 1e-9})
    if res.status != 0:
        raise SystemExit(f"MILP: {res.message}")
    return fixed - res.fun, getattr(res, "mip_gap", 0.0)


def main():
    nudge = sys.argv[1]
    cases = sys.argv[2:] or ["rs1_opt:5000:7", "rs1_opt:20000:7", "rs1_opt:50000:7", "rs1:1000000:11"]
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["workload", "members", "seed", "milp_optimum", "greedy_objective", "mip_gap", "milp_seconds"])
    for case in cases:
        workload, n, seed = case.split(":")
        with tempfile.TemporaryDirectory() as d:
            pop = os.path.join(d, "pop.csv")
            subprocess.run([nudge, "gen", "--members", n, "--seed", seed, "--csv", pop], check=True,
                           stdout=subprocess.DEVNULL)
            mems = list(members(workload, pop))
        caps = capacities(workload, int(n))
        t0 = time.time()
        opt, gap = optimum(mems, caps)
        secs = time.time() - t0
        w.writerow([workload, n, seed, repr(opt), repr(greedy(mems, caps)), repr(gap), f"{secs:.1f}"])
        sys.stdout.flush()


if __name__ == "__main__":
    main()
