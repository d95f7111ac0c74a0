"""nudge.dask.sweep on a distributed.LocalCluster vs one campaign.sweep of the whole population.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python/dask_bench.py \
        --members 1000000 --partitions 8 --workers 2 --runs 3

Writes the RS-1 population (seed 42) as `partitions` snapshot shards, starts a LocalCluster of
`workers` processes (1 thread each), and reports medians of: the single-process sweep (open +
sweep, threads = workers), the Dask sweep (shards opened and swept on the workers, parts
gathered and merged), the bytes the partitions sent to the client, and whether the two results
are equal decision for decision.
"""
import argparse
import os
import statistics
import tempfile
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    import distributed
    import pandas as pd

    import nudge
    import nudge.dask

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    campaign = nudge.Campaign.load(os.path.join(root, "data", "campaigns", "rs1.toml"))
    tmp = tempfile.mkdtemp(prefix="nudge-daskbench-")
    whole_path = os.path.join(tmp, "whole.snap")
    pop = nudge.generate_rs1(a.members, seed=42)
    pop.save(whole_path)
    df = pop.to_pandas()
    bounds = np.linspace(0, len(df), a.partitions + 1).astype(int)
    shards = []
    for i in range(a.partitions):
        p = os.path.join(tmp, f"part-{i:02d}.snap")
        nudge.Population.from_pandas(df.iloc[bounds[i]:bounds[i + 1]], as_of=pop.as_of).save(p)
        shards.append(p)
    del df, pop
    single, dist = [], []
    with distributed.LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=40) as cluster, \
            distributed.Client(cluster) as client:
        client.run(lambda: __import__("nudge.dask"))  # import on the workers before timing
        for _ in range(a.runs):
            t0 = time.perf_counter()
            one = campaign.sweep(nudge.open(whole_path), threads=a.workers)
            single.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            got = nudge.dask.sweep(shards, campaign, client=client)
            dist.append(time.perf_counter() - t0)
        equal = (one.decisions.equals(got.decisions) and one.funnel.equals(got.funnel))
    print(f"members {a.members:,}, {a.partitions} partitions, {a.workers} worker processes, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"  single sweep  {statistics.median(single):7.3f} s  (runs: {', '.join(f'{x:.3f}' for x in single)})")
    print(f"  dask sweep    {statistics.median(dist):7.3f} s  (runs: {', '.join(f'{x:.3f}' for x in dist)})")
    print(f"  bytes sent to the client: {sum(got.partition_bytes):,} "
          f"({', '.join(f'{b:,}' for b in got.partition_bytes)})")
    print(f"  equal decision for decision and funnel: {equal}")


if __name__ == "__main__":
    main()
