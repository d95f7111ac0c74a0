"""History.report (uplift, treated vs control) equals `nudge report HIST --json FILE`; a sweep with
holdouts gives the CLI's `control` column."""
import json

import pandas as pd

import nudge
from conftest import ROOT, RS1_CAMPAIGN


def holdout_campaign(tmp_path):
    """RS-1 with 20% of members held out of the campaign and 50% of tier_nudge."""
    text = RS1_CAMPAIGN.read_text().replace('"../models/', f'"{ROOT}/data/models/')
    text = text.replace('name = "tier_nudge"', 'name = "tier_nudge"\nholdout = 0.5', 1)
    path = tmp_path / "rs1_holdout.toml"
    path.write_text(text + "\n[holdout]\ncampaign = 0.2\nattribution_days = 10\n")
    return path


def test_sweep_with_holdouts_has_the_clis_control_column(tmp_path, small_snapshot, cli):
    camp = holdout_campaign(tmp_path)
    dec = nudge.Campaign.load(camp).sweep(nudge.open(small_snapshot)).decisions
    cli("sweep", small_snapshot, "--campaign", camp, "-o", tmp_path / "d.csv")
    want = pd.read_csv(tmp_path / "d.csv")
    assert list(dec.columns) == list(want.columns) and list(dec.columns)[-1] == "control"
    assert dec["control"].tolist() == want["control"].tolist()
    assert dec["customer_id"].tolist() == want["customer_id"].tolist()
    n = int(dec["control"].sum())
    assert 0 < n < len(dec)  # some held out, most not


def test_history_report_equals_the_cli_json(tmp_path, small_snapshot, cli):
    camp = holdout_campaign(tmp_path)
    hist_dir = tmp_path / "hist"
    # The sweep's decisions recorded by the CLI (control decisions become control contacts).
    cli("sweep", small_snapshot, "--campaign", camp, "-o", tmp_path / "d.csv", "--record", hist_dir, "--sent-on",
        "2026-11-01")
    dec = pd.read_csv(tmp_path / "d.csv")
    assert dec["control"].any()
    # Responses: every 3rd treated and every 5th control member clicks 2 days later; one response
    # outside a 10-day window.
    treated, control = dec[~dec["control"]], dec[dec["control"]]
    resp = pd.concat([treated.iloc[::3], control.iloc[::5]])
    rows = pd.DataFrame({"customer_id": resp["customer_id"], "action": resp["action"], "sent_on": "2026-11-01",
                         "responded_on": "2026-11-03", "type": "click"})
    late = rows.head(1).assign(responded_on="2026-11-20", type="convert")
    pd.concat([rows, late]).to_csv(tmp_path / "r.csv", index=False)
    cli("history", "add", hist_dir, "--responses", tmp_path / "r.csv")

    hist = nudge.History.open(hist_dir, create=False)
    for args, kw in [(["--campaign", camp], {"campaign": camp}), (["--window", "30"], {"window": 30}),
                     (["--window", "30", "--as-of", "2026-11-10"], {"window": 30, "as_of": "2026-11-10"})]:
        out = tmp_path / "report.json"
        table = cli("report", hist_dir, *args, "--json", out).stdout
        want = json.loads(out.read_text())
        got = hist.report(**kw)
        assert got == want, args
        assert hist.report(table=True, **kw) == table
    # Real values: the first action row counts the treated and control contacts of that action.
    got = hist.report(window=30)
    actions = {r["name"]: r for r in got["actions"]} if isinstance(got, dict) and "actions" in got else None
    assert actions, got.keys() if isinstance(got, dict) else type(got)
    some = next(iter(actions))
    assert actions[some]["treated"] == int((treated["action"] == some).sum())
    assert actions[some]["control"] == int((control["action"] == some).sum())
