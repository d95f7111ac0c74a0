#!/usr/bin/python3
"""XGBoost's own prediction time for RS-1/GBDT, the baseline beside bench/score_bench.cc.

    build/nudge gen --members 10000000 --seed 42 --csv /tmp/rs1_10m.csv
    /usr/bin/python3 bench/xgboost_predict.py data/models/rs1_gbdt.json /tmp/rs1_10m.csv 2

Reads the 22 numeric RS-1 columns (missing salary -> NaN) as float32, builds a
DMatrix, then times Booster.predict with nthread threads (the DMatrix build is
timed apart). Prints wall and CPU seconds, members/s, and a checksum (sum of predictions)
to compare with nudge's.
"""
import sys
import time

import numpy as np
import xgboost as xgb

FEATURES = ["enroll_days", "clv", "salary", "flights_3m", "flights_prev_3m", "flights_12m", "distance_12m",
            "points_balance", "points_to_next_tier", "days_since_last_flight", "days_to_birthday",
            "email_opt_in", "sms_opt_in", "phone_opt_in", "mail_opt_in", "pressure_used", "contacts_30d",
            "days_since_last_contact", "days_since_calamity", "opens_90d", "clicks_90d", "complaints_12m"]


def main(model_path, csv_path, nthread):
    with open(csv_path) as f:
        header = f.readline().strip().split(",")
    cols = [header.index(c) for c in FEATURES]
    salary = header.index("salary")
    t0 = time.time()
    x = np.loadtxt(csv_path, delimiter=",", skiprows=1, usecols=cols, dtype=np.float32,
                   converters={salary: lambda s: float(s) if s else np.nan})
    t1 = time.time()
    booster = xgb.Booster(model_file=model_path)
    booster.set_param({"nthread": nthread})
    d = xgb.DMatrix(x, feature_names=FEATURES, nthread=nthread)
    t2, c2 = time.time(), time.process_time()
    pred = booster.predict(d)
    t3, c3 = time.time(), time.process_time()
    print("rows %d  read %.1f s  DMatrix %.2f s  predict (nthread=%d) %.2f s wall, %.2f s CPU (all threads)"
          " = %.0f members/s  sum %.6f" % (len(x), t1 - t0, t2 - t1, nthread, t3 - t2, c3 - c2, len(x) / (t3 - t2),
                                            float(np.sum(pred, dtype=np.float64))))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
