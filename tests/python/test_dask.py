"""nudge.dask.sweep on a distributed.LocalCluster (2 worker processes, 8 partitions)
equals the one-machine sweep, decision for decision, funnel for funnel."""
import numpy as np
import pandas as pd
import pytest

import nudge
import nudge.dask
from conftest import RS1_CAMPAIGN

distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def population():
    # 64,000 RS-1 members with a smaller top-K and call capacity so both global steps bind.
    return nudge.generate_rs1(64_000, seed=5)


@pytest.fixture(scope="module")
def campaign():
    text = RS1_CAMPAIGN.read_text().replace("top_k = 100000", "top_k = 3000").replace("capacity = 5000",
                                                                                     "capacity = 400")
    assert "top_k = 3000" in text and "capacity = 400" in text
    return nudge.Campaign.from_toml(text, base_dir=RS1_CAMPAIGN.parent, source="rs1_small.toml")


def assert_same(a, b):
    pd.testing.assert_frame_equal(a.decisions, b.decisions)
    pd.testing.assert_frame_equal(a.funnel, b.funnel)
    assert (a.members, a.members_with_candidates, a.decision_count) == (b.members, b.members_with_candidates,
                                                                        b.decision_count)


def test_snapshot_shards_equal_one_sweep(tmp_path, client, population, campaign):
    df = population.to_pandas()
    bounds = np.linspace(0, len(df), 9).astype(int)
    paths = []
    for i in range(8):
        p = tmp_path / f"part-{i:02d}.snap"
        nudge.Population.from_pandas(df.iloc[bounds[i]:bounds[i + 1]], as_of="2026-11-01").save(p)
        paths.append(p)
    whole = campaign.sweep(population)
    funnel = whole.funnel.set_index("action")
    assert funnel["capacity"].sum() > 0 and whole.decision_count > 3000  # both global steps bind
    got = nudge.dask.sweep(paths, campaign, client=client)
    assert_same(got, whole)
    assert len(got.partition_bytes) == 8
    # Each partition sends at most K + C decisions of 40 bytes (+ counters), not its members.
    assert max(got.partition_bytes) <= (3000 + 400) * 40 + 10 * 10 * 8 + 64
    assert got.as_of.isoformat() == "2026-11-01"


def test_dask_dataframe_partitions_equal_one_sweep(client, population, campaign):
    df = population.to_pandas()
    ddf = dd.from_pandas(df, npartitions=8, sort=False)
    assert ddf.npartitions == 8
    got = nudge.dask.sweep(ddf, campaign, client=client, as_of="2026-11-01")
    assert_same(got, campaign.sweep(population))


def test_the_same_shard_twice_ties_break_by_row(population, campaign, tmp_path):
    p = tmp_path / "one.snap"
    population.save(p)
    got = nudge.dask.sweep([p, p], campaign, client=None)  # the same shard twice: duplicate ids tie-break by row
    twice = nudge.Population.from_pandas(pd.concat([population.to_pandas()] * 2, ignore_index=True),
                                         as_of="2026-11-01")
    assert_same(got, campaign.sweep(twice))
