"""RS-1 sweep from Python vs the CLI, and vs RS-1 written in vectorised pandas.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python/sweep_bench.py \
        --cli build/release/nudge --members 10000000 --runs 3

Reports medians (seconds) of:
  cli_process   `nudge sweep POP --campaign rs1.toml -o decisions.csv`, the whole process
  cli_engine    the CLI's own open + bind + sweep times (its stderr), without writing the CSV
  py_sweep      nudge.open + Campaign.load + campaign.sweep(pop) (bind + sweep), in this process
  py_frame      ... + result.decisions (the DataFrame of the top K)
  pandas        bench/python/pandas_rs1.py over pop.to_pandas() (one run; to_pandas not included)
and checks that pandas' decisions equal nudge's (customer_id, action) in rank order.
Overhead = py_frame / cli_engine - 1 (the same work: open, bind, sweep, decisions in memory).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
CAMPAIGN = os.path.join(ROOT, "data", "campaigns", "rs1.toml")


def compare(a, b):
    """(identical, agree): agree = the same (customer_id, action) pairs in the same order except where
    priorities differ by less than 1e-6 relative (ties ordered differently after a last-bit difference
    from another summation order), as shared/WORKLOAD.md "Comparing results" allows."""
    pa = list(zip(a["customer_id"].tolist(), a["action"].astype(str).tolist()))
    pb = list(zip(b["customer_id"].tolist(), b["action"].astype(str).tolist()))
    if len(pa) != len(pb):
        return False, False
    if pa == pb:
        return True, True
    xa, xb = a["priority"].to_numpy(), b["priority"].to_numpy()
    rel = np.abs(xa - xb) / np.maximum(np.abs(xa), np.abs(xb))
    cut = xa[-1]
    near_cut = {p for p, x in zip(pa, xa) if abs(x - cut) / abs(cut) < 1e-6} | \
               {p for p, x in zip(pb, xb) if abs(x - cut) / abs(cut) < 1e-6}
    same_set = (set(pa) ^ set(pb)) <= near_cut
    return False, bool(same_set and (rel < 1e-6).all())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "release", "nudge"))
    ap.add_argument("--members", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--snapshot", help="reuse this RS-1 snapshot (else generated, seed 42)")
    ap.add_argument("--no-pandas", action="store_true")
    a = ap.parse_args()
    import nudge
    from pandas_rs1 import rs1_pandas

    tmp = tempfile.mkdtemp(prefix="nudge-pybench-")
    snap = a.snapshot or os.path.join(tmp, "rs1.snap")
    if not a.snapshot:
        subprocess.run([a.cli, "gen", "--members", str(a.members), "--seed", "42", "-o", snap], check=True)
    out = os.path.join(tmp, "decisions.csv")
    cli_process, cli_engine, py_sweep, py_frame = [], [], [], []
    for _ in range(a.runs):
        t0 = time.perf_counter()
        r = subprocess.run([a.cli, "sweep", snap, "--campaign", CAMPAIGN, "-o", out], check=True,
                           capture_output=True, text=True)
        cli_process.append(time.perf_counter() - t0)
        m = re.search(r"open ([\d.]+) s, bind ([\d.]+) s, sweep ([\d.]+) s", r.stderr)
        cli_engine.append(sum(float(x) for x in m.groups()))

        t0 = time.perf_counter()
        pop = nudge.open(snap)
        campaign = nudge.Campaign.load(CAMPAIGN)
        result = campaign.sweep(pop)
        t1 = time.perf_counter()
        dec = result.decisions
        t2 = time.perf_counter()
        py_sweep.append(t1 - t0)
        py_frame.append(t2 - t0)
        del result, pop
    runs = dict(cli_process=cli_process, cli_engine=cli_engine, py_sweep=py_sweep, py_frame=py_frame)
    med = {k: statistics.median(v) for k, v in runs.items()}
    print(f"members {a.members:,}, runs {a.runs}, load {os.getloadavg()[0]:.1f}")
    for k, v in med.items():
        print(f"  {k:12s} {v:8.3f} s   (runs: {', '.join(f'{x:.3f}' for x in runs[k])})")
    print(f"  overhead py_frame / cli_engine - 1 = {100 * (med['py_frame'] / med['cli_engine'] - 1):+.1f}%")
    print(f"  overhead py_sweep / cli_engine - 1 = {100 * (med['py_sweep'] / med['cli_engine'] - 1):+.1f}%")
    if not a.no_pandas:
        df = nudge.open(snap).to_pandas()
        t0 = time.perf_counter()
        pd_dec = rs1_pandas(df)
        t_pd = time.perf_counter() - t0
        exact, agree = compare(dec, pd_dec)
        print(f"  pandas       {t_pd:8.3f} s   ({t_pd / med['py_frame']:.1f}x nudge from Python); "
              f"decisions equal to nudge's: identical {exact}, agree per WORKLOAD.md 'Comparing results' {agree}")


if __name__ == "__main__":
    main()
