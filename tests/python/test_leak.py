"""No leak across 1,000 repeated sweeps (resident memory stops growing)."""
import gc

import nudge
from conftest import RS1_CAMPAIGN


def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_thousand_sweeps_do_not_leak():
    pop = nudge.generate_rs1(1_000, seed=3)
    campaign = nudge.Campaign.load(RS1_CAMPAIGN)

    def one():
        r = campaign.sweep(pop, threads=1)
        assert len(r.decisions) > 0 and len(r.funnel) == 10
        pop.select("tier = 'Star'")

    for _ in range(50):  # warm up: allocator pools, pandas caches
        one()
    gc.collect()
    before = rss_kb()
    for _ in range(1_000):
        one()
    gc.collect()
    grown = rss_kb() - before
    # One sweep allocates ~300 KB (decisions, frames); a leak of even 1 KB per sweep would show as 1 MB.
    assert grown < 1024, f"RSS grew by {grown} KB over 1,000 sweeps"
