"""Populations: zero copy (snapshot mapping, numpy buffers), one documented copy otherwise,
pandas round trips with NULLs in every type, select, save/open."""
import datetime as dt
import os

import numpy as np
import pandas as pd
import pytest

import nudge


def mappings_of(path):
    """(start, end) address ranges of the process's mappings of `path`."""
    real = os.path.realpath(path)
    out = []
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and parts[5] == real:
                a, b = (int(x, 16) for x in parts[0].split("-"))
                out.append((a, b))
    return out


def address(a):
    return a.__array_interface__["data"][0]


def test_open_is_zero_copy_over_the_mapping(small_snapshot):
    pop = nudge.open(small_snapshot)
    ranges = mappings_of(small_snapshot)
    assert ranges, "the snapshot is not mapped"
    for name in pop.columns:
        v = pop.column(name)
        lo, hi = address(v), address(v) + v.nbytes
        assert any(a <= lo and hi <= b for a, b in ranges), name
        assert not v.flags.writeable
    assert repr(pop) == "<nudge.Population: 3,000 members x 24 columns, as_of 2026-11-01>"
    # A view keeps the mapping alive after the population is gone.
    clv = pop.column("clv")
    first = float(clv[0])
    del pop
    assert mappings_of(small_snapshot) and float(clv[0]) == first


def test_generate_rs1_equals_cli_gen(small_snapshot):
    a, b = nudge.open(small_snapshot), nudge.generate_rs1(3000, seed=11)
    assert a.schema == b.schema and a.rows == b.rows
    for name in a.columns:
        assert np.array_equal(a.column(name), b.column(name)), name
        na, nb = a.nulls(name), b.nulls(name)
        assert (na is None and nb is None) or np.array_equal(na, nb), name


def test_from_numpy_zero_copy_when_type_and_alignment_allow():
    n = 1024  # a multiple of 64: no padding needed
    raw = np.zeros(n * 8 + 64, dtype=np.uint8)
    off = (-address(raw)) % 64
    clv = raw[off:off + n * 8].view(np.float64)  # 64-byte aligned float64
    clv[:] = np.arange(n) * 0.5
    ids = nudge.empty(1000, "uint64")  # aligned and padded by nudge: any length
    ids[:] = np.arange(1000, dtype=np.uint64) + 6_000_000_000
    pop = nudge.Population.from_numpy({"customer_id": ids, "x": np.ones(1000, np.int32)}, as_of="2026-11-01")
    assert address(pop.column("customer_id")) == address(ids)
    assert pop.copied_columns == ["x"]  # 1000 int32s from numpy's allocator: not padded -> one copy
    pop2 = nudge.Population.from_numpy({"customer_id": np.arange(n, dtype=np.uint64), "clv": clv},
                                       as_of=dt.date(2026, 11, 1))
    assert address(pop2.column("clv")) == address(clv)
    assert "clv" not in pop2.copied_columns
    clv[3] = 42.0  # shared memory: documented (keep the array unchanged while the population lives)
    assert pop2.column("clv")[3] == 42.0
    del clv, raw
    assert pop2.column("clv")[1] == 0.5  # the population keeps the numpy buffer alive
    # Not the physical type, or a NULL: one copy.
    pop3 = nudge.Population.from_numpy({"customer_id": np.arange(n, dtype=np.int64),
                                        "m": np.ma.masked_array(np.ones(n), mask=np.arange(n) % 2 == 0)},
                                       as_of="2026-11-01")
    assert pop3.copied_columns == ["customer_id", "m"]
    assert pop3.column("customer_id").dtype == np.uint64
    assert pop3.nulls("m").sum() == n // 2 and pop3.column("m")[0] == 0.0  # NULL slots hold 0


def every_type_frame(n=130):
    rng = np.random.default_rng(5)
    null = rng.random(n) < 0.3
    df = pd.DataFrame({
        "customer_id": np.arange(n, dtype=np.uint64) + 10,
        "b": pd.array(np.where(null, None, rng.random(n) < 0.5), dtype="boolean"),
        "i32": pd.array(np.where(null, None, rng.integers(-5, 5, n)), dtype="Int32"),
        "i64": pd.array(np.where(null, None, rng.integers(-2**40, 2**40, n)), dtype="Int64"),
        "u64": pd.array(np.where(null, None, rng.integers(0, 2**62, n)), dtype="UInt64"),
        "f32": pd.array(np.where(null, None, rng.random(n)), dtype="Float32"),
        "f64": pd.array(np.where(null, None, rng.random(n)), dtype="Float64"),
        "cat": pd.Categorical(np.where(null, None, rng.choice(["Star", "Nova", "Aurora"], n)),
                              categories=["Star", "Nova", "Aurora"]),
        "day": pd.to_datetime(np.where(null, None, "2026-10-15")),
        "plain": rng.random(n).astype(np.float32),
    })
    return df, null


def test_pandas_round_trip_with_nulls_in_every_type():
    df, null = every_type_frame()
    pop = nudge.Population.from_pandas(df, as_of="2026-11-01")
    assert pop.schema == {"customer_id": "uint64", "b": "bool", "i32": "int32", "i64": "int64", "u64": "uint64",
                          "f32": "float32", "f64": "float64", "cat": "category", "day": "date", "plain": "float32"}
    for name in ["b", "i32", "i64", "u64", "f32", "f64", "cat", "day"]:
        assert np.array_equal(pop.nulls(name), null), name
    assert pop.nulls("plain") is None
    assert pop.dictionary("cat") == ["Star", "Nova", "Aurora"]
    assert (pop.column("day")[~null] == (dt.date(2026, 10, 15) - dt.date(1970, 1, 1)).days).all()
    back = pop.to_pandas()
    pd.testing.assert_frame_equal(back, df)
    again = nudge.Population.from_pandas(back, as_of=pop.as_of)
    for name in pop.columns:
        assert np.array_equal(again.column(name), pop.column(name)), name


def test_pandas_plain_columns_nan_none_and_strings():
    df = pd.DataFrame({
        "customer_id": [3, 1, 2],  # int64 ids -> uint64
        "salary": [np.nan, 50_000.0, np.inf],  # numpy float: NaN is NULL (pandas' convention), inf a value
        "tier": ["Star", None, "Nova"],  # strings -> category, first-seen order
        "flag": [True, None, False],  # object booleans with a gap
    })
    pop = nudge.Population.from_pandas(df, as_of="2026-11-01")
    assert pop.schema == {"customer_id": "uint64", "salary": "float64", "tier": "category", "flag": "bool"}
    assert pop.nulls("salary").tolist() == [True, False, False]
    assert pop.column("salary")[2] == np.inf
    assert pop.dictionary("tier") == ["Star", "Nova"] and pop.nulls("tier").tolist() == [False, True, False]
    assert pop.nulls("flag").tolist() == [False, True, False]
    keep_nan = nudge.Population.from_pandas(df, as_of="2026-11-01", nan_is_null=False)
    assert keep_nan.nulls("salary") is None and np.isnan(keep_nan.column("salary")[0])
    as_float32 = nudge.Population.from_pandas(df, as_of="2026-11-01", types={"salary": "float32"})
    assert as_float32.column("salary").dtype == np.float32


def test_save_and_open_round_trip(tmp_path):
    df, null = every_type_frame()
    pop = nudge.Population.from_pandas(df, as_of="2026-11-01")
    pop.save(tmp_path / "x.snap")
    back = nudge.open(tmp_path / "x.snap", verify=True)
    assert back.as_of == pop.as_of and back.id_column == "customer_id"
    pd.testing.assert_frame_equal(back.to_pandas(), df)


def test_empty_and_odd_sizes():
    pop = nudge.Population.from_numpy({"customer_id": np.zeros(0, np.uint64)}, as_of="2026-11-01")
    assert len(pop) == 0 and pop.to_pandas().shape == (0, 1)
    strided = np.arange(200, dtype=np.float64)[::2]  # not contiguous: copied
    p = nudge.Population.from_numpy({"customer_id": np.arange(100, dtype=np.uint64), "s": strided}, as_of=0)
    assert np.array_equal(p.column("s"), strided) and "s" in p.copied_columns
