#!/usr/bin/python3
"""Trains a churn model with categorical splits on the IBM Telco churn data and
writes the evidence nudge's tests compare against (tests/score_xgboost_categorical_test.cc).

Run with Debian's python3-xgboost 1.7 and python3-pandas (not needed by the tests:
the outputs are committed):

    /usr/bin/python3 tests/data/xgboost/make_telco_model.py \
        ../shared/data/real/ibm-telco-churn/Telco-Customer-Churn.csv

The data (7,043 customers, 21 columns) is mostly categorical. Every text column
becomes a pandas category, whose codes are the positions of the values in sorted
order; XGBoost (enable_categorical=True) splits on those codes. The model JSON
holds the codes only, not the names, so nudge must see the same codes: the
import schema written here declares each category column's values in that same
sorted order (`categories = [...]`), and a category column's code is the feature.

Writes, beside this script:
  telco_schema.toml   nudge import schema for Telco-Customer-Churn.csv
  telco_cat.json      Booster.save_model output: 30 trees of depth 4, binary:logistic,
                      partition-based categorical splits (max_cat_to_onehot=1), with
                      NaN split conditions at categorical nodes as XGBoost writes them
  telco_onehot.json   the same with one-hot categorical splits (max_cat_to_onehot=8)
  telco_cat.pred, telco_onehot.pred
                      XGBoost's own predictions for every row of the CSV in file
                      order, one per line, %.9g (float32 printed exactly)
TotalCharges is blank for 11 new customers: a missing value (NaN for XGBoost, NULL
for nudge), so default directions are exercised too.
"""
import os
import sys

import numpy as np
import pandas as pd
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))


def load(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    y = (df["Churn"] == "Yes").astype(np.int32)
    x = pd.DataFrame(index=df.index)
    types = {}
    for col in df.columns:
        if col in ("customerID", "Churn"):
            continue
        if col in ("SeniorCitizen", "tenure"):
            x[col] = df[col].astype(np.int32)
            types[col] = "int32"
        elif col in ("MonthlyCharges", "TotalCharges"):
            x[col] = pd.to_numeric(df[col].str.strip(), errors="coerce").astype(np.float64)
            types[col] = "float64"
        else:
            x[col] = df[col].astype("category")
            types[col] = "category"
    return df, x, y, types


def quoted(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_schema(df, x, types):
    with open(os.path.join(HERE, "telco_schema.toml"), "w") as f:
        f.write("# Written by make_telco_model.py: Telco-Customer-Churn.csv with each category's values\n")
        f.write("# in pandas' (sorted) order, so nudge's codes are the codes the model was trained on.\n")
        f.write('id_column = ""\n')
        for col in df.columns:
            f.write("\n[[column]]\nname = %s\n" % quoted(col))
            if col not in types:
                f.write("skip = true\n")
                continue
            f.write("type = %s\n" % quoted(types[col]))
            if types[col] == "category":
                cats = ", ".join(quoted(c) for c in x[col].cat.categories)
                f.write("categories = [%s]\n" % cats)


def main(path):
    df, x, y, types = load(path)
    write_schema(df, x, types)
    d = xgb.DMatrix(x, y, enable_categorical=True)
    for name, onehot in (("telco_cat", 1), ("telco_onehot", 8)):
        params = {"objective": "binary:logistic", "max_depth": 4, "eta": 0.3, "tree_method": "hist",
                  "max_cat_to_onehot": onehot, "seed": 7}
        b = xgb.train(params, d, 30)
        b.save_model(os.path.join(HERE, name + ".json"))
        pred = b.predict(d)
        assert pred.dtype == np.float32
        with open(os.path.join(HERE, name + ".pred"), "w") as f:
            f.writelines("%.9g\n" % p for p in pred)


if __name__ == "__main__":
    main(sys.argv[1])
