"""Inputs the Python API must refuse with a nudge.Error (or TypeError) rather than crash, truncate,
or silently store something else (security findings 4, 7, 8, 12, 13, 14 of the attack report)."""
import numpy as np
import pandas as pd
import pytest

import nudge
from conftest import RS1_CAMPAIGN, RS1_GBDT, population_with_repeated_ids

DQ_CAMPAIGN = {
    "campaign": {"name": "D"},
    "basket": {"points_per_period": 10, "used_column": "pressure_used"},
    "channels": {"email": {"consent": "email_opt_in"}},
    "action": [{"name": "a", "trigger": "flights_3m >= 10", "message_type": "service", "channel": "email",
                "value": 3, "priority": "weight * value"}],
}


def members(ids):
    n = len(ids)
    return pd.DataFrame({"customer_id": np.array(ids, dtype=np.uint64), "flights_3m": [1] + [20] * (n - 1),
                         "email_opt_in": [True] * n, "pressure_used": [0.0] * n})


# --- finding 4: threads= beyond the CLI's 1..1024 crashed the interpreter ----------------------------------

@pytest.mark.parametrize("threads", [0, -1, 1025, 70_000, 100_000, 1_000_000, 2 ** 70])
def test_threads_outside_the_cli_range_is_a_usage_error_everywhere(threads, small_snapshot):
    pop = nudge.open(small_snapshot)
    campaign = nudge.Campaign.load(RS1_CAMPAIGN)
    calls = [
        lambda: pop.select("flights_3m > 1", threads=threads),
        lambda: nudge.Model.load(RS1_GBDT).score(pop, threads=threads),
        lambda: campaign.sweep(pop, threads=threads),
        lambda: campaign.explain(pop, int(pop.column("customer_id")[0]), threads=threads),
        lambda: nudge.generate_rs1(10, threads=threads),
    ]
    for call in calls:
        with pytest.raises(nudge.UsageError, match=r"threads must be at least 1 and at most 1024"):
            call()


def test_threads_at_the_cli_limit_works():
    p = nudge.Population.from_numpy({"x": np.arange(10, dtype=np.int64)}, id=None)
    assert p.select("x > 1", threads=1024).sum() == 8
    assert p.select("x > 1", threads=np.int64(3)).sum() == 8


def test_the_engine_refuses_too_many_threads_when_called_directly():
    p = nudge.Population.from_numpy({"x": np.arange(10, dtype=np.int64)}, id=None)
    with pytest.raises(nudge.UsageError, match="at most 1024, not 100000"):
        p._p.select("x > 1", False, 100_000)


# --- finding 7: repeated customer ids ------------------------------------------------------------------------

def test_from_pandas_refuses_a_repeated_id_naming_it_and_its_rows():
    with pytest.raises(nudge.InputError) as e:
        nudge.Population.from_pandas(members([7, 7, 8]), as_of="2026-11-01")
    assert str(e.value) == ("column 'customer_id' row 1: duplicate customer id 7 (first on row 0); "
                            "customer ids must be unique, as `nudge import` requires")


def test_from_numpy_refuses_a_repeated_id():
    with pytest.raises(nudge.InputError, match=r"row 3: duplicate customer id 5 \(first on row 1\)"):
        nudge.Population.from_numpy({"customer_id": np.array([1, 5, 2, 5, 5], dtype=np.uint64)}, as_of=0)
    # unique ids (the zero-copy path included: 64 rows) still work
    ids = np.arange(64, dtype=np.uint64)
    assert nudge.Population.from_numpy({"customer_id": ids}, as_of=0).rows == 64
    with pytest.raises(nudge.InputError, match="duplicate customer id 0"):
        nudge.Population.from_numpy({"customer_id": np.zeros(64, dtype=np.uint64)}, as_of=0)


def test_explain_refuses_an_id_on_several_rows(tmp_path, cli):
    pop = population_with_repeated_ids(members([7, 7, 8]), "2026-11-01")
    campaign = nudge.Campaign.from_dict(DQ_CAMPAIGN)
    with pytest.raises(nudge.InputError) as e:
        campaign.explain(pop, 7)
    assert str(e.value) == "customer 7 is on rows 0 and 1 of the population; explain needs a unique id"
    assert "member 8 (row 2)" in campaign.explain(pop, 8)
    snap, toml = tmp_path / "dup.snap", tmp_path / "dq.toml"
    pop.save(snap)
    toml.write_text(campaign.toml)
    r = cli("explain", snap, "--campaign", toml, "--customer", 7, check=False)
    assert r.returncode == 1
    assert r.stderr == f"nudge: error: {e.value}\n"


# --- finding 8: NaN id, out-of-range narrowing overrides -----------------------------------------------------

def test_nan_customer_id_is_refused_not_made_zero():
    df = pd.DataFrame({"customer_id": [2.0, float("nan")], "x": [1, 2]})
    with pytest.raises(nudge.InputError, match=r"column 'customer_id' row 1: the customer id is NULL"):
        nudge.Population.from_pandas(df, as_of="2026-11-01")
    df = pd.DataFrame({"customer_id": pd.array([1, None], dtype="UInt64")})
    with pytest.raises(nudge.InputError, match=r"column 'customer_id' row 1: the customer id is NULL"):
        nudge.Population.from_pandas(df, as_of="2026-11-01")
    with pytest.raises(nudge.InputError, match=r"column 'customer_id' row 0: nan is not a whole number"):
        nudge.Population.from_numpy({"customer_id": np.array([np.nan, 2.0])}, as_of=0)


def test_float32_override_refuses_values_beyond_its_range():
    df = pd.DataFrame({"customer_id": [1, 2], "v": [3.0, 1e300]})
    with pytest.raises(nudge.InputError, match=r"column 'v' row 1: 1e\+300 is out of float32's range"):
        nudge.Population.from_pandas(df, types={"v": "float32"}, as_of="2026-11-01")
    with pytest.raises(nudge.InputError, match=r"column 'v' row 0: -3.5e\+38 is out of float32's range"):
        nudge.Population.from_numpy({"v": np.array([-3.5e38])}, id=None, types={"v": "float32"}, as_of=0)
    # inf, NaN and the largest float32 are values, as before
    q = nudge.Population.from_numpy({"v": np.array([np.inf, np.nan, 3.4028234663852886e38, 1e-300])}, id=None,
                                    types={"v": "float32"}, as_of=0)
    v = q.column("v")
    assert v[0] == np.inf and np.isnan(v[1]) and v[2] == np.finfo(np.float32).max and v[3] == 0.0


def test_int_overrides_refuse_values_they_cannot_hold():
    with pytest.raises(nudge.InputError, match=r"column 'n' row 0: 2147483648 does not fit int32"):
        nudge.Population.from_numpy({"n": np.array([2 ** 31])}, id=None, types={"n": "int32"}, as_of=0)
    with pytest.raises(nudge.InputError, match=r"column 'n' row 0: 2147483648 is not a whole number that fits int32"):
        nudge.Population.from_numpy({"n": np.array([2.0 ** 31])}, id=None, types={"n": "int32"}, as_of=0)
    # 2^63 as a double is INT64_MAX rounded up: it does not fit int64 (was an overflowing cast)
    with pytest.raises(nudge.InputError, match=r"column 'n' row 1: 9223372036854775808 is not a whole number "
                                               r"that fits int64"):
        nudge.Population.from_numpy({"n": np.array([1.0, 2.0 ** 63])}, id=None, types={"n": "int64"}, as_of=0)
    with pytest.raises(nudge.InputError, match="fits uint64"):
        nudge.Population.from_numpy({"customer_id": np.array([2.0 ** 63])}, as_of=0)
    p = nudge.Population.from_numpy({"n": np.array([-2.0 ** 63, 2.0 ** 62])}, id=None, types={"n": "int64"}, as_of=0)
    assert p.column("n").tolist() == [-2 ** 63, 2 ** 62]


# --- finding 12: Campaign.from_dict with non-ASCII text and keys ---------------------------------------------

def test_from_dict_keeps_non_bmp_names_and_quotes_non_ascii_keys():
    d = {"campaign": {"name": "P \"quoted\" \\ back"},
         "basket": {"points_per_period": 100, "used_column": "pressure_used"},
         "channels": {"é": {"consent": "email_opt_in"}},
         "action": [{"name": "🚀 launch", "trigger": "flights_3m >=\t10", "message_type": "service",
                     "channel": "é", "value": 1, "priority": "weight * value"}]}
    c = nudge.Campaign.from_dict(d)
    assert c.actions == ["🚀 launch"]
    assert c.channels == ["é"]
    assert c.name == "P \"quoted\" \\ back"
    # A control character is escaped (the tab in the trigger is whitespace there); in a name it is refused.
    assert '"🚀 launch"' in c.toml and '[channels."é"]' in c.toml and '"flights_3m >=\\t10"' in c.toml
    with pytest.raises(nudge.InputError, match="control character U\\+0009"):
        nudge.Campaign.from_dict({**d, "campaign": {"name": "tab\there"}})
    pop = nudge.Population.from_pandas(members([1, 2, 3]), as_of="2026-11-01")
    dec = c.sweep(pop, threads=1).decisions
    assert list(dec["action"]) == ["🚀 launch"] * 2 and list(dec["channel"]) == ["é"] * 2


# --- finding 13: unclear errors ------------------------------------------------------------------------------

def test_unsupported_dtype_and_lone_surrogate_are_input_errors_naming_the_column():
    with pytest.raises(nudge.InputError, match=r"column 'x': numpy dtype complex64 is not supported"):
        nudge.Population.from_numpy({"x": np.ones(5, dtype=np.complex64)}, id=None)
    with pytest.raises(nudge.InputError, match=r"column 'x': numpy dtype complex64 is not supported"):
        nudge.Population.from_numpy({"x": np.ones(5, dtype=np.complex64)}, id=None, types={"x": "float64"})
    df = pd.DataFrame({"customer_id": [1, 2], "s": ["ok", "\udcff"]})
    with pytest.raises(nudge.InputError, match=r"column 's': category value '\\udcff' is not valid UTF-8"):
        nudge.Population.from_pandas(df, as_of="2026-11-01")
    df = pd.DataFrame({"customer_id": [1, 2], "\udcff": [1, 2]})
    with pytest.raises(nudge.InputError, match="column name '\\\\udcff' is not valid UTF-8"):
        nudge.Population.from_pandas(df, as_of="2026-11-01")


def test_history_that_is_a_file_says_so(tmp_path, small_snapshot):
    with pytest.raises(nudge.InputError) as e:
        nudge.Campaign.load(RS1_CAMPAIGN).sweep(nudge.open(small_snapshot), history=small_snapshot)
    assert str(e.value) == (f"{small_snapshot}: is a file, not a history folder "
                            "(a history is the folder `nudge history add` makes)")


def test_column_lookup_matches_names_as_expressions_do():
    p = nudge.Population.from_pandas(pd.DataFrame({"customer_id": [1, 2], "clv": [3.0, 4.0],
                                                   "Loyalty Number": [5, 6]}), as_of=0)
    assert p.column("CLV").tolist() == [3.0, 4.0]
    assert p.column("loyalty_number").tolist() == [5, 6]
    assert p.select("CLV > 3.5", ids=True).tolist() == [2]
    assert p.nulls("Clv") is None
    with pytest.raises(nudge.InputError, match="did you mean 'clv'"):
        p.column("clw")


# --- finding 14: non-integral floats were truncated ----------------------------------------------------------

def test_explain_refuses_a_non_integral_customer_id(small_snapshot):
    pop = nudge.open(small_snapshot)
    c = nudge.Campaign.load(RS1_CAMPAIGN)
    first = pop.column("customer_id")[0]
    with pytest.raises(nudge.UsageError, match=r"customer_id must be a whole number, not"):
        c.explain(pop, float(first) + 0.9)
    with pytest.raises(TypeError):
        c.explain(pop, str(first))
    assert c.explain(pop, first) == c.explain(pop, int(first)) == c.explain(pop, np.uint64(first))


def test_report_refuses_a_non_integral_window(tmp_path):
    hist = nudge.History.open(tmp_path / "h")
    hist.add_contacts(pd.DataFrame({"customer_id": [1], "sent_on": ["2026-11-01"], "action": ["a"],
                                    "channel": ["email"], "message_type": ["service"], "cost": [1.0]}))
    with pytest.raises(nudge.UsageError, match=r"window must be a whole number, not 1.5"):
        hist.report(window=1.5)
    with pytest.raises(nudge.UsageError, match="window must be 0 to 2147483647 days"):
        hist.report(window=2 ** 31)
    assert hist.report(window=np.int32(14)) == hist.report(window=14) == hist.report(window=14.0)


# --- second attack, finding 2: dtypes the engine does not read as stored --------------------------------------

def test_float16_long_double_and_big_endian_columns_are_converted_not_reinterpreted():
    for dt in [np.float16, np.longdouble, ">f8", ">f4", ">i4", ">i8", ">u2"]:
        df = pd.DataFrame({"customer_id": np.array([1, 2, 3], dtype=">u8"), "x": np.array([1, 2, 300], dtype=dt)})
        p = nudge.Population.from_pandas(df, id="customer_id", as_of="2026-11-01")
        assert list(p.column("customer_id")) == [1, 2, 3], dt
        assert list(p.column("x")) == [1, 2, 300], dt
        assert list(p.select("x > 2", ids=True)) == [3], dt
    p = nudge.Population.from_numpy({"x": np.array([0.5, 70000.0], dtype=np.float16)}, id=None)
    assert list(p.column("x")) == [0.5, np.inf]  # 70000 is inf in float16 itself
    tiny = np.array([1, 1 + np.finfo(np.longdouble).eps], dtype=np.longdouble)
    if np.finfo(np.longdouble).eps < np.finfo(np.float64).eps:  # x86-64: 80-bit long double
        with pytest.raises(nudge.InputError, match=r"column 'x' row 1: .* does not fit float64 exactly"):
            nudge.Population.from_numpy({"x": tiny}, id=None)


def test_object_columns_of_mixed_types_are_refused_naming_the_rows(tmp_path):
    """Third attack, finding 5: 1, "1", 1.0 became the category '1' twice (a dictionary the snapshot
    reader calls corrupt, select answers differing for equal text), and 1 / True one category."""
    ids = np.arange(1, 5, dtype=np.uint64)

    def build(x):
        return nudge.Population.from_pandas(pd.DataFrame({"customer_id": ids[:len(x)], "x": x}), as_of="2026-11-01")

    with pytest.raises(nudge.InputError) as e:
        build(pd.Series([1, "1", 1.0, "a"], dtype=object))
    assert str(e.value) == ("column 'x' row 1: '1' is of type str, row 0 holds 1 of type int: a text (category) "
                            "column must hold values of one type (convert it first, e.g. .astype(str))")
    with pytest.raises(nudge.InputError, match=r"^column 'x' row 1: True is of type bool, row 0 holds 1 of type int"):
        build(pd.Series([1, True], dtype=object))
    with pytest.raises(nudge.InputError, match=r"^column 'x' row 3: 2 is of type int, row 1 holds 'b' of type str"):
        build(pd.Series([None, "b", np.nan, 2], dtype=object))
    with pytest.raises(nudge.InputError, match=r"^column 'x' row 1: '1' is of type str, row 0 holds 1 of type int"):
        nudge.Population.from_numpy({"customer_id": ids[:2], "x": np.array([1, "1"], dtype=object)})
    # One type with NULLs stays a category; converting first gives distinct, saveable categories.
    p = build(pd.Series(["a", None, np.nan, "b"], dtype=object))
    assert p.dictionary("x") == ["a", "b"]
    p = build(pd.Series([1, "1", 1.0, "a"], dtype=object).astype(str))
    assert p.dictionary("x") == ["1", "1.0", "a"]
    assert p.select("x = '1'").tolist() == [True, True, False, False]
    p.save(tmp_path / "x.snap")
    assert nudge.open(tmp_path / "x.snap").dictionary("x") == ["1", "1.0", "a"]


def test_timedelta_complex_bytes_and_decimal_columns_are_input_errors():
    """Third attack, finding 6: from_pandas made them category strings ('86400000000000 nanoseconds')."""
    import decimal

    ids = np.arange(1, 4, dtype=np.uint64)

    def build(x):
        return nudge.Population.from_pandas(pd.DataFrame({"customer_id": ids, "x": x}), as_of="2026-11-01")

    with pytest.raises(nudge.InputError, match=r"^column 'x': numpy dtype timedelta64\[ns\] is not supported"):
        build(pd.to_timedelta([1, 2, 3], unit="D"))
    with pytest.raises(nudge.InputError, match=r"^column 'x': numpy dtype complex128 is not supported"):
        build(np.array([1 + 2j, 3, 4]))
    with pytest.raises(nudge.InputError, match=r"^column 'x' row 0: b'ab' is of type bytes, which nudge has no type"):
        build(pd.Series([b"ab", b"c", None], dtype=object))
    with pytest.raises(nudge.InputError, match=r"^column 'x' row 1: Decimal\('1.1'\) is of type Decimal"):
        build(pd.Series([None, decimal.Decimal("1.1"), decimal.Decimal("2")], dtype=object))
    with pytest.raises(nudge.InputError, match=r"^column 'x' row 0: Timedelta\('1 days 00:00:00'\) is of type "):
        build(pd.Series(list(pd.to_timedelta([1, 2, 3], unit="D")), dtype=object))


def test_from_dict_takes_numpy_scalars_as_the_values_they_hold():
    """Third attack, finding 13: np.int64(10) capacity, np.float32 points were refused ("which TOML cannot hold")."""
    d = {"basket": {"points_per_period": np.float32(2.5), "used_column": "pressure_used"},
         "channels": {"email": {"consent": "email_opt_in", "capacity": np.int64(10)}},
         "campaign": {"max_decisions_per_member": np.uint8(1)},
         "action": [{"name": "a", "trigger": "TRUE", "message_type": "service", "channel": "email",
                     "value": np.float64(1.5), "priority": "weight * value"}]}
    c = nudge.Campaign.from_dict(d)
    assert "points_per_period = 2.5\n" in c.toml and "capacity = 10" in c.toml and "value = 1.5" in c.toml
    assert "max_decisions_per_member = 1\n" in c.toml
    with pytest.raises(nudge.UsageError, match="has a value of type ndarray, which TOML cannot hold"):
        nudge.Campaign.from_dict({**d, "basket": {"points_per_period": np.array([1, 2]), "used_column": "x"}})
