"""Shared fixtures of the Python tests (run by CTest: tests/CMakeLists.txt, tools/run-tests.sh).

NUDGE_CLI: the `nudge` binary of the same build; PYTHONPATH holds build/<dir>/python.
"""
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RS1_CAMPAIGN = ROOT / "data" / "campaigns" / "rs1.toml"
RS1_GBDT = ROOT / "data" / "models" / "rs1_gbdt.json"


def cli_path() -> str:
    p = os.environ.get("NUDGE_CLI")
    if not p:
        pytest.fail("NUDGE_CLI is not set (run the Python tests through ctest)")
    return p


def run_cli(*args, check=True, threads=None):
    cmd = [cli_path()] + (["--threads", str(threads)] if threads else []) + [str(a) for a in args]
    return subprocess.run(cmd, capture_output=True, text=True, check=check)


@pytest.fixture(scope="session")
def cli():
    return run_cli


@pytest.fixture(scope="session")
def rs1_snapshot(tmp_path_factory):
    """400,000 RS-1 members from `nudge gen` (seed 7): enough for the call capacity to bind."""
    path = tmp_path_factory.mktemp("rs1") / "rs1_400k.snap"
    run_cli("gen", "--members", 400_000, "--seed", 7, "-o", path)
    return path


@pytest.fixture(scope="session")
def small_snapshot(tmp_path_factory):
    path = tmp_path_factory.mktemp("rs1s") / "rs1_3k.snap"
    run_cli("gen", "--members", 3_000, "--seed", 11, "-o", path)
    return path


def population_with_repeated_ids(df, as_of):
    """A population whose customer ids repeat, which from_pandas refuses (as `nudge import`): what
    older code or another tool could write, or several dask shards together. Built through the
    private _nudge.build_population(check_ids=False)."""
    import nudge
    from nudge import _frames, _nudge

    cols = [_frames.pandas_column(n, s, "uint64" if n == "customer_id" else None, True) for n, s in df.items()]
    p, _ = _nudge.build_population(len(df), nudge._days(as_of), cols, "customer_id", check_ids=False)
    return nudge.Population(p)
