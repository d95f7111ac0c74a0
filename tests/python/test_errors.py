"""Errors: the nudge.Error subclass of the failure's kind, with the CLI's message."""
import numpy as np
import pytest

import nudge
from conftest import RS1_CAMPAIGN


def cli_message(result):
    assert result.stderr.startswith("nudge: error: "), result.stderr
    return result.stderr[len("nudge: error: "):].rstrip("\n")


def test_bad_campaign_is_an_input_error_with_the_cli_message_and_position(tmp_path, cli, small_snapshot):
    bad = tmp_path / "bad.toml"
    bad.write_text(RS1_CAMPAIGN.read_text().replace("points_per_period = 25", "points_per_perod = 25"))
    r = cli("sweep", small_snapshot, "--campaign", bad, check=False)
    assert r.returncode == 1
    with pytest.raises(nudge.InputError) as e:
        nudge.Campaign.load(bad)
    assert str(e.value) == cli_message(r)
    assert e.value.file == str(bad) and e.value.line > 0 and e.value.column > 0
    assert isinstance(e.value, nudge.Error) and isinstance(e.value, ValueError)
    assert e.value.exit_code == r.returncode


def test_bad_expression_in_select(small_snapshot, cli):
    expr = "flights_3m < 2 AND tierr = 'Star'"
    r = cli("select", small_snapshot, expr, check=False)
    with pytest.raises(nudge.InputError) as e:
        nudge.open(small_snapshot).select(expr)
    assert str(e.value) == cli_message(r)
    assert "did you mean 'tier'" in str(e.value)
    assert (e.value.file, e.value.line, e.value.column) == ("EXPR", 1, 20)


def test_missing_file_is_an_io_error(tmp_path, cli):
    missing = tmp_path / "none.snap"
    r = cli("inspect", missing, check=False)
    with pytest.raises(nudge.IoError) as e:
        nudge.open(missing)
    assert str(e.value) == cli_message(r)
    assert isinstance(e.value, OSError)


def test_corrupt_snapshot_is_an_input_error(tmp_path, small_snapshot, cli):
    bad = tmp_path / "cut.snap"
    bad.write_bytes(small_snapshot.read_bytes()[:-100])
    r = cli("inspect", bad, check=False)
    with pytest.raises(nudge.InputError) as e:
        nudge.open(bad)
    assert str(e.value) == cli_message(r)


def test_usage_errors():
    with pytest.raises(nudge.UsageError, match="threads must be at least 1"):
        nudge.Campaign.load(RS1_CAMPAIGN).sweep(nudge.generate_rs1(10), threads=0)
    with pytest.raises(nudge.UsageError, match="'2026-13-01' is not a date"):
        nudge.generate_rs1(10, as_of="2026-13-01")
    with pytest.raises(nudge.UsageError, match="has 3 values; the columns before it have 2"):
        nudge.Population.from_numpy({"customer_id": np.arange(2, dtype=np.uint64), "x": np.ones(3)})


def test_bad_values_name_column_and_row():
    with pytest.raises(nudge.InputError, match=r"column 'customer_id' row 1: -5 does not fit uint64"):
        nudge.Population.from_numpy({"customer_id": np.array([1, -5])}, as_of=0)
    with pytest.raises(nudge.InputError, match=r"column 'n' row 0: 10000000000 is not a whole number that fits int32"):
        nudge.Population.from_numpy({"customer_id": np.array([1], np.uint64), "n": np.array([1e10])},
                                    types={"n": "int32"}, as_of=0)


def test_campaign_on_a_population_without_its_columns(small_snapshot):
    pop = nudge.Population.from_numpy({"customer_id": np.arange(5, dtype=np.uint64)}, as_of=0)
    with pytest.raises(nudge.InputError, match="unknown column .flights_prev_3m.") as e:
        nudge.Campaign.load(RS1_CAMPAIGN).sweep(pop)
    assert e.value.file is not None and e.value.file.endswith("rs1.toml")
