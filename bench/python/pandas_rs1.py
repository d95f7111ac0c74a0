"""RS-1 (../shared/WORKLOAD.md) written directly in vectorised pandas/numpy, for
bench/python/sweep_bench.py to time against nudge: what a data team would write
without nudge. Same rules as data/campaigns/rs1.toml; no nudge code.

    decisions = rs1_pandas(df)   # df: the population (pop.to_pandas()); returns the ranked top-K
"""
import numpy as np
import pandas as pd

BASE = {"service": 2, "editorial": 5, "commercial": 10}
FACTOR = {"email": 1.0, "push": 1.0, "sms": 1.5, "mail": 1.5, "call": 2.0}
CONSENT = {"email": "email_opt_in", "push": "email_opt_in", "sms": "sms_opt_in", "mail": "mail_opt_in",
           "call": "phone_opt_in"}
# (name, type, channel, value, weight, churn-weighted)
ACTIONS = [
    ("defection_call", "commercial", "call", 400, 1.0, True),
    ("defection_email", "commercial", "email", 150, 1.0, True),
    ("tier_nudge", "editorial", "email", 60, 1.0, False),
    ("birthday", "service", "email", 20, 1.0, False),
    ("winback_mail", "commercial", "mail", 250, 0.8, True),
    ("winback_sms", "commercial", "sms", 90, 0.9, True),
    ("points_expiry", "service", "email", 40, 1.0, False),
    ("complaint_followup", "service", "call", 120, 1.2, True),
    ("engagement_push", "editorial", "push", 30, 0.7, False),
    ("premium_upsell", "commercial", "email", 200, 0.6, False),
]


def triggers(df):
    f3, fp3, dslf = df["flights_3m"], df["flights_prev_3m"], df["days_since_last_flight"]
    tier = df["tier"]
    return [
        (fp3 >= 4) & (f3 < 0.5 * fp3) & tier.isin(["Star", "Nova"]),
        (fp3 >= 2) & (f3 < 0.5 * fp3),
        (df["points_to_next_tier"] > 0) & (df["points_to_next_tier"] <= 2000),
        df["days_to_birthday"] <= 14,
        (dslf > 180) & (df["clv"] > 5000),
        (dslf > 120) & (dslf <= 180),
        (df["points_balance"] > 10000) & (dslf > 300),
        df["complaints_12m"] >= 2,
        (df["opens_90d"] == 0) & (df["flights_12m"] >= 6),
        (tier == "Star") & (df["distance_12m"] > 50000) & (df["salary"] > 90000).fillna(False),
    ]


def churn(df):
    tier = df["tier"]
    z = (-1.2 + -0.35 * df["flights_3m"].astype(np.float64) + 0.20 * df["flights_prev_3m"]
         + 0.004 * df["days_since_last_flight"] + 0.45 * df["complaints_12m"] + -0.05 * df["clicks_90d"]
         + -0.0002 * df["enroll_days"] + np.where(tier == "Star", -0.6, np.where(tier == "Nova", -0.3, 0.0)))
    return 1.0 / (1.0 + np.exp(-z.to_numpy()))


def rs1_pandas(df, top_k=100_000, call_capacity=5000, max_per_member=2, basket=25.0):
    quiet = (df["days_since_calamity"] < 7).to_numpy()
    fired = triggers(df)
    ch = churn(df)
    rows, acts, prio, cost = [], [], [], []
    for a, (name, mtype, channel, value, weight, churny) in enumerate(ACTIONS):
        cand = fired[a].to_numpy() & df[CONSENT[channel]].to_numpy().astype(bool)
        if mtype in ("editorial", "commercial"):
            cand &= ~quiet
        r = np.flatnonzero(cand)
        rows.append(r)
        acts.append(np.full(len(r), a, np.int16))
        prio.append(weight * value * ch[r] if churny else np.full(len(r), weight * value))
        cost.append(np.full(len(r), BASE[mtype] * FACTOR[channel]))
    c = pd.DataFrame({"row": np.concatenate(rows), "action": np.concatenate(acts), "priority": np.concatenate(prio),
                      "cost": np.concatenate(cost)})
    # Per member: priority desc, then action; the budget walk, one candidate position at a time.
    c = c.sort_values(["row", "priority", "action"], ascending=[True, False, True], kind="stable")
    c["pos"] = c.groupby("row").cumcount()
    remaining = basket - df["pressure_used"].to_numpy(np.float64)  # NaN (unknown basket) fits nothing
    kept_n = np.zeros(len(df), np.int8)
    keep = np.zeros(len(c), bool)
    left = np.full(len(c), np.nan)
    pos, row, cst = c["pos"].to_numpy(), c["row"].to_numpy(), c["cost"].to_numpy()
    for k in range(int(pos.max()) + 1 if len(c) else 0):
        i = np.flatnonzero(pos == k)
        r = row[i]
        fits = (cst[i] <= remaining[r]) & (remaining[r] > 0) & (kept_n[r] < max_per_member)
        i, r = i[fits], r[fits]
        remaining[r] -= cst[i]
        kept_n[r] += 1
        keep[i] = True
        left[i] = remaining[r]
    d = c[keep].assign(budget_left=left[keep])
    d["customer_id"] = df["customer_id"].to_numpy()[d["row"].to_numpy()]
    d["churn"] = ch[d["row"].to_numpy()]
    order = ["priority", "customer_id", "action"]
    d = d.sort_values(order, ascending=[False, True, True], kind="stable")
    is_call = np.array([ACTIONS[a][2] == "call" for a in range(len(ACTIONS))])[d["action"].to_numpy()]
    call_rank = np.cumsum(is_call)
    d = d[~is_call | (call_rank <= call_capacity)].head(top_k)
    names = np.array([a[0] for a in ACTIONS])
    channels = np.array([a[2] for a in ACTIONS])
    out = pd.DataFrame({
        "rank": np.arange(1, len(d) + 1),
        "customer_id": d["customer_id"].to_numpy(),
        "action": names[d["action"].to_numpy()],
        "channel": channels[d["action"].to_numpy()],
        "priority": d["priority"].to_numpy(),
        "cost": d["cost"].to_numpy(),
        "budget_left": d["budget_left"].to_numpy(),
        "churn": d["churn"].to_numpy(),
    })
    return out
