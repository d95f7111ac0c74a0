"""nudge.History: adding DataFrames equals `nudge history add` of the same CSV; errors are the CLI's."""
import pandas as pd
import pytest

import nudge
from conftest import RS1_CAMPAIGN


def test_add_decisions_and_responses_like_the_cli(tmp_path, small_snapshot, cli):
    pop = nudge.open(small_snapshot)
    dec = nudge.Campaign.load(RS1_CAMPAIGN).sweep(pop).decisions
    hist = nudge.History.open(tmp_path / "py_hist")
    r = hist.add_contacts(dec, sent_on="2026-11-01")
    assert r["added"] and r["contacts_added"] == len(dec) > 0
    again = hist.add_contacts(dec, sent_on="2026-11-01")
    assert not again["added"] and again["already_added"]
    resp = pd.DataFrame({"customer_id": dec["customer_id"].head(50), "action": dec["action"].head(50).astype(str),
                         "sent_on": pd.Timestamp("2026-11-01"), "responded_on": pd.Timestamp("2026-11-03"),
                         "type": "click"})
    rr = hist.add_responses(resp)
    assert rr["added"] and rr["responses_skipped"] == 0

    # The same through the CLI.
    dec.to_csv(tmp_path / "d.csv", index=False)
    resp.assign(sent_on="2026-11-01", responded_on="2026-11-03").to_csv(tmp_path / "r.csv", index=False)
    cli_hist = tmp_path / "cli_hist"
    cli("history", "add", cli_hist, "--contacts", tmp_path / "d.csv", "--sent-on", "2026-11-01")
    cli("history", "add", cli_hist, "--responses", tmp_path / "r.csv")
    want = cli("history", "inspect", cli_hist).stdout
    got = hist.summary()
    pick = lambda text: [l for l in text.splitlines() if l.strip().split(" ")[0] in ("members", "contacts", "responses")]
    assert pick(got) == pick(want) and pick(got)
    assert "3,000" not in repr(hist) and "contacts" in repr(hist)


def test_history_errors_are_the_clis(tmp_path, small_snapshot, cli):
    dec = nudge.Campaign.load(RS1_CAMPAIGN).sweep(nudge.open(small_snapshot)).decisions
    hist = nudge.History.open(tmp_path / "h")
    with pytest.raises(nudge.InputError) as e:
        hist.add_contacts(dec)  # a decisions frame has no sent_on
    dec.to_csv(tmp_path / "contacts.csv", index=False)
    r = cli("history", "add", tmp_path / "h2", "--contacts", tmp_path / "contacts.csv", check=False)
    assert r.returncode == 1
    want = r.stderr[len("nudge: error: "):].strip().replace(str(tmp_path / "contacts.csv"), "contacts.csv")
    got = str(e.value).replace(e.value.file or "", "contacts.csv") if e.value.file else str(e.value)
    assert got.split("contacts.csv", 1)[-1] == want.split("contacts.csv", 1)[-1]


def test_rows_repeated_within_one_frame_are_not_counted_as_added(tmp_path):
    # The attack report's finding 9: three rows of one (customer_id, action, sent_on) and one other.
    df = pd.DataFrame({"customer_id": [1, 1, 1, 2], "sent_on": pd.Timestamp("2026-11-01"), "action": "a",
                       "channel": "email", "message_type": "service", "cost": 1.0})
    r = nudge.History.open(tmp_path / "h").add_contacts(df)
    assert r["contacts_added"] == 2
    assert r["contacts_repeated_in_file"] == 2
    assert r["contacts_repeated"] == 0
    assert "2 contacts added, 2 repeated within the file, 0 already in the history" in r["message"]


# --- second attack, finding 9 ----------------------------------------------------------------------------------

def _contacts(ids):
    return pd.DataFrame({"customer_id": ids, "sent_on": "2026-11-01", "action": "a", "channel": "email",
                         "message_type": "service", "cost": 2})


def test_null_customer_id_names_the_row_and_column_not_a_temporary_file(tmp_path):
    import numpy as np

    hist = nudge.History.open(tmp_path / "h")
    for ids in ([1.0, np.nan], [1, None], pd.array([1, None], dtype="UInt64")):
        with pytest.raises(nudge.InputError) as e:
            hist.add_contacts(_contacts(ids))
        assert str(e.value) == ("column 'customer_id' row 1: the customer id is NULL (NaN, None or NA); "
                                "every contact needs an id")
    resp = pd.DataFrame({"customer_id": [np.nan, 2.0], "action": "a", "sent_on": "2026-11-01",
                         "responded_on": "2026-11-02", "type": "open"})
    with pytest.raises(nudge.InputError, match=r"^column 'customer_id' row 0: the customer id is NULL .*every "
                                               r"response needs an id$"):
        hist.add_responses(resp)
    assert not (tmp_path / "h").exists()  # nothing written
    # Whole-number float ids (a frame that once held a NaN) are ids, written as integers.
    r = hist.add_contacts(_contacts([1.0, 2.0]))
    assert r["contacts_added"] == 2
    assert "members      2 with history" in hist.summary()


def test_a_created_history_reads_as_empty_before_its_first_add(tmp_path):
    hist = nudge.History.open(tmp_path / "PH", create=True)
    empty = hist.summary()
    assert empty.startswith(f"history      {tmp_path / 'PH'} (0 segments, 0 batches)\nmembers      0 with history\n"
                            "contacts     0 (0 control)")
    r = hist.add_contacts(_contacts(pd.Series([], dtype="int64")))
    assert not r["added"] and r["contacts_added"] == 0
    assert hist.summary() == empty  # was "not a history folder (no MANIFEST)"
    assert hist.add_contacts(_contacts([7]))["contacts_added"] == 1
    assert "members      1 with history" in hist.summary()
    with pytest.raises(nudge.UsageError, match="is not a history folder"):
        nudge.History.open(tmp_path / "other", create=False)


def test_responses_already_held_are_nothing_new(tmp_path):
    hist = nudge.History.open(tmp_path / "h")
    hist.add_contacts(_contacts([1, 2, 3]))
    resp = pd.DataFrame({"customer_id": [1, 2, 3], "action": "a", "sent_on": "2026-11-01",
                         "responded_on": "2026-11-02", "type": "open"})
    assert hist.add_responses(resp)["added"]
    segments = sorted(p.name for p in (tmp_path / "h").iterdir())
    r = hist.add_responses(resp.iloc[::-1])  # shuffled: not the same file, the same responses
    assert not r["added"] and not r["already_added"]
    assert r["message"].endswith(": nothing new (3 responses already in the history); nothing added")
    assert sorted(p.name for p in (tmp_path / "h").iterdir()) == segments
