#!/usr/bin/python3
"""Trains small XGBoost models and writes the evidence nudge's tests compare against.

Run with Debian's python3-xgboost 1.7 and python3-numpy (not needed by the tests:
the outputs are committed):

    /usr/bin/python3 tests/data/xgboost/make_models.py            # the small test models
    build/nudge gen --members 200000 --seed 7 --csv /tmp/rs1_train.csv
    build/nudge gen --members 2000 --seed 11 --csv /tmp/rs1_check.csv
    /usr/bin/python3 tests/data/xgboost/make_models.py --rs1 /tmp/rs1_train.csv /tmp/rs1_check.csv

Writes, beside this script:
  rows.csv            the input rows: a header, then one row per member; an empty
                      field is a missing value (NaN for XGBoost, NULL for nudge).
                      Columns named n_* hold integers (nudge reads them as int32),
                      b_* hold 0/1 (bool), the rest float32 values written with %.9g.
                      The last rows are adversarial: feature values exactly equal to
                      split thresholds of the models, and missing values.
  <model>.json        Booster.save_model output
  <model>.pred        XGBoost's own predictions for rows.csv, one per line, %.9g
                      (float32 printed with enough digits to be read back exactly)
  missing_feature.json  a model over a feature ("loyalty_score") that rows.csv lacks
Models: see MODELS below.

With --rs1 TRAIN.csv CHECK.csv (populations written by `nudge gen --csv`), it instead
trains RS-1/GBDT (WORKLOAD.md): 100 trees of depth 6, binary:logistic, over RS-1's 22
numeric columns (all but customer_id and tier; a missing salary stays missing), on a
churn label drawn from RS-1's churn formula plus a few interactions, and writes
  data/models/rs1_gbdt.json      the model
  rs1_gbdt_check.pred            XGBoost's predictions for CHECK.csv's rows, in order
                                 (the test regenerates those rows with generate_rs1(2000, 11)).
"""
import os

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
FEATURES = ["age", "spend", "n_visits", "score_a", "score_b", "b_member"]


def make_rows(rng, n):
    x = np.empty((n, len(FEATURES)), dtype=np.float32)
    x[:, 0] = np.round(rng.uniform(18, 90, n), 1)
    x[:, 1] = np.round(rng.lognormal(6, 1.2, n), 2)
    x[:, 2] = rng.poisson(4, n)
    x[:, 3] = rng.normal(0, 1, n)
    x[:, 4] = rng.normal(5, 3, n)
    x[:, 5] = rng.random(n) < 0.4
    # Missing values: ~10% of age, ~25% of spend, ~5% of score_b (never in ints/bools).
    x[rng.random(n) < 0.10, 0] = np.nan
    x[rng.random(n) < 0.25, 1] = np.nan
    x[rng.random(n) < 0.05, 4] = np.nan
    return x


def label(rng, x):
    age = np.nan_to_num(x[:, 0], nan=50.0)
    spend = np.nan_to_num(x[:, 1], nan=100.0)
    z = (0.04 * (age - 50) - 0.3 * np.log1p(spend) + 0.2 * x[:, 2] + 1.1 * x[:, 3]
         + 0.5 * np.sin(np.nan_to_num(x[:, 4])) - 0.8 * x[:, 5] + 1.5)
    p = 1 / (1 + np.exp(-z))
    return (rng.random(len(p)) < p).astype(np.float32), z.astype(np.float32)


MODELS = {
    # name: (objective, rounds, max_depth, base_score, label kind)
    "one_tree": ("binary:logistic", 1, 3, 0.5, "class"),
    "logistic_100x6": ("binary:logistic", 100, 6, 0.3, "class"),
    "reg_logistic": ("reg:logistic", 20, 4, 0.7, "class"),
    "logitraw": ("binary:logitraw", 20, 4, 0.25, "class"),
    "squarederror": ("reg:squarederror", 20, 5, 1.5, "reg"),
    "squarederror_500": ("reg:squarederror", 500, 2, 0.0, "reg"),
    "deep_12": ("reg:squarederror", 3, 12, 0.0, "reg"),
}


def train(name, x, y_class, y_reg):
    obj, rounds, depth, base, kind = MODELS[name]
    params = {"objective": obj, "max_depth": depth, "eta": 0.3, "base_score": base, "nthread": 1,
              "tree_method": "hist", "max_bin": 64, "seed": 1}
    if name == "deep_12":
        params.update({"min_child_weight": 0, "lambda": 0, "eta": 1.0, "max_bin": 256})
    d = xgb.DMatrix(x, label=y_class if kind == "class" else y_reg, feature_names=FEATURES)
    return xgb.train(params, d, rounds)


def thresholds(booster):
    """(feature index, threshold) of every split of the booster, from its JSON dump."""
    import json
    out = []
    for t in booster.get_dump(dump_format="json"):
        stack = [json.loads(t)]
        while stack:
            n = stack.pop()
            if "children" in n:
                out.append((FEATURES.index(n["split"]), np.float32(n["split_condition"])))
                stack.extend(n["children"])
    return out


def adversarial(rng, x, boosters, n):
    """Rows whose values sit exactly on split thresholds, some features missing."""
    splits = [s for b in boosters for s in thresholds(b)]
    rows = x[rng.integers(0, len(x), n)].copy()
    for r in rows:
        for _ in range(4):
            f, t = splits[rng.integers(0, len(splits))]
            r[f] = t
        if rng.random() < 0.3:
            r[rng.integers(0, len(FEATURES))] = np.nan
    rows[:, 2] = np.where(np.isnan(rows[:, 2]), 0, np.round(rows[:, 2]))  # ints and bools stay valid
    rows[:, 5] = np.where(np.isnan(rows[:, 5]), 0, rows[:, 5] >= 0.5)
    return rows


def write_csv(path, x):
    with open(path, "w") as f:
        f.write(",".join(FEATURES) + "\n")
        for r in x:
            cells = []
            for name, v in zip(FEATURES, r):
                if np.isnan(v):
                    cells.append("")
                elif name.startswith(("n_", "b_")):
                    cells.append("%d" % int(v))
                else:
                    cells.append("%.9g" % v)
            f.write(",".join(cells) + "\n")


def main():
    rng = np.random.default_rng(20261129)
    x = make_rows(rng, 800)
    y_class, y_reg = label(rng, x)
    boosters = {name: train(name, x, y_class, y_reg) for name in MODELS}
    rows = np.vstack([x, adversarial(rng, x, list(boosters.values()), 200)])
    write_csv(os.path.join(HERE, "rows.csv"), rows)
    d = xgb.DMatrix(rows, feature_names=FEATURES)
    for name, b in boosters.items():
        b.save_model(os.path.join(HERE, name + ".json"))
        pred = b.predict(d)
        assert pred.dtype == np.float32
        with open(os.path.join(HERE, name + ".pred"), "w") as f:
            f.writelines("%.9g\n" % p for p in pred)
    # A model over a feature the rows (and so the population) lack.
    names = FEATURES[:3] + ["loyalty_score"] + FEATURES[4:]
    m = xgb.train({"objective": "binary:logistic", "max_depth": 2, "nthread": 1},
                  xgb.DMatrix(x, label=y_class, feature_names=names), 2)
    m.save_model(os.path.join(HERE, "missing_feature.json"))


RS1_FEATURES = ["enroll_days", "clv", "salary", "flights_3m", "flights_prev_3m", "flights_12m", "distance_12m",
                "points_balance", "points_to_next_tier", "days_since_last_flight", "days_to_birthday",
                "email_opt_in", "sms_opt_in", "phone_opt_in", "mail_opt_in", "pressure_used", "contacts_30d",
                "days_since_last_contact", "days_since_calamity", "opens_90d", "clicks_90d", "complaints_12m"]


def read_rs1(path):
    """RS-1 CSV -> (float32 matrix of RS1_FEATURES, tier codes Star=0 Nova=1 Aurora=2)."""
    import csv
    with open(path) as f:
        r = csv.reader(f)
        header = next(r)
        idx = [header.index(c) for c in RS1_FEATURES]
        tier_idx = header.index("tier")
        rows, tiers = [], []
        for line in r:
            rows.append([float(line[i]) if line[i] != "" else np.nan for i in idx])
            tiers.append(["Star", "Nova", "Aurora"].index(line[tier_idx]))
    return np.array(rows, dtype=np.float32), np.array(tiers)


def rs1_main(train_csv, check_csv):
    rng = np.random.default_rng(7)
    x, tier = read_rs1(train_csv)
    col = {c: x[:, i].astype(np.float64) for i, c in enumerate(RS1_FEATURES)}
    z = (-1.2 - 0.35 * col["flights_3m"] + 0.20 * col["flights_prev_3m"] + 0.004 * col["days_since_last_flight"]
         + 0.45 * col["complaints_12m"] - 0.05 * col["clicks_90d"] - 0.0002 * col["enroll_days"]
         + np.where(tier == 0, -0.6, np.where(tier == 1, -0.3, 0.0))
         + np.where(np.isnan(col["salary"]), 0.3, -0.000004 * np.nan_to_num(col["salary"]))
         + 0.02 * col["contacts_30d"] * (col["opens_90d"] == 0))
    y = (rng.random(len(z)) < 1 / (1 + np.exp(-z))).astype(np.float32)
    params = {"objective": "binary:logistic", "max_depth": 6, "eta": 0.1, "nthread": 2, "tree_method": "hist",
              "seed": 7}
    booster = xgb.train(params, xgb.DMatrix(x, label=y, feature_names=RS1_FEATURES), 100)
    root = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
    booster.save_model(os.path.join(root, "data", "models", "rs1_gbdt.json"))
    xc, _ = read_rs1(check_csv)
    pred = booster.predict(xgb.DMatrix(xc, feature_names=RS1_FEATURES))
    with open(os.path.join(HERE, "rs1_gbdt_check.pred"), "w") as f:
        f.writelines("%.9g\n" % p for p in pred)


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 4 and sys.argv[1] == "--rs1":
        rs1_main(sys.argv[2], sys.argv[3])
    else:
        main()
