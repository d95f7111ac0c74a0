#!/usr/bin/env bash
# The Hillstrom e-mail experiment (../shared/data/real/hillstrom-email/) as a
# nudge population plus contact and response history, and its uplift report.
#
#   tools/run-hillstrom.sh OUT [NUDGE]
#
# 64,000 customers were split at random into three thirds: a men's e-mail, a
# women's e-mail, and no e-mail (control); outcomes over the following two
# weeks. Here (customer_id = row number, 1-based):
#   OUT/population.csv   the customer columns (recency, history, mens, womens, newbie, ...)
#   OUT/contacts.csv     a contact of action mens_email / womens_email (channel email,
#                        message type commercial, cost 10, campaign hillstrom) for
#                        each e-mailed member; the no-e-mail third gets a CONTROL
#                        contact of both actions (held out of each)
#   OUT/responses.csv    visit -> response type "visit"; conversion -> "convert"
#                        with value = spend (dollars); answering the member's contact(s)
#   OUT/hist/            the history (nudge history add)
#   OUT/report.json      nudge report --json, window 14 days
# The file has no dates: every contact is dated 2008-03-03 (nominal) and every
# response the day after, inside the two-week outcome window.
set -euo pipefail
out=${1:?usage: run-hillstrom.sh OUT [NUDGE]}
here=$(cd "$(dirname "$0")/.." && pwd)
nudge=${2:-$here/build/release/nudge}
src=${HILLSTROM_CSV:-$here/../shared/data/real/hillstrom-email/Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv}
[ -f "$src" ] || src=/work/shared/data/real/hillstrom-email/Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv
mkdir -p "$out"
rm -rf "$out/hist"
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
"$PY" - "$src" "$out" <<'PY'
import csv, sys
src, out = sys.argv[1], sys.argv[2]
sent, answered = "2008-03-03", "2008-03-04"
action = {"Mens E-Mail": ["mens_email"], "Womens E-Mail": ["womens_email"]}
with open(src, newline="") as f, open(f"{out}/population.csv", "w", newline="") as p, \
     open(f"{out}/contacts.csv", "w", newline="") as c, open(f"{out}/responses.csv", "w", newline="") as r:
    pw, cw, rw = csv.writer(p, lineterminator="\n"), csv.writer(c, lineterminator="\n"), csv.writer(r, lineterminator="\n")
    pw.writerow(["customer_id", "recency", "history_segment", "history", "mens", "womens", "zip_code", "newbie",
                 "channel", "segment"])
    cw.writerow(["customer_id", "sent_on", "action", "channel", "message_type", "cost", "control", "campaign"])
    rw.writerow(["customer_id", "action", "sent_on", "responded_on", "type", "value"])
    for i, row in enumerate(csv.DictReader(f), start=1):
        pw.writerow([i, row["recency"], row["history_segment"], row["history"], row["mens"], row["womens"],
                     row["zip_code"], row["newbie"], row["channel"], row["segment"]])
        control = row["segment"] == "No E-Mail"
        acts = ["mens_email", "womens_email"] if control else action[row["segment"]]
        for a in acts:
            cw.writerow([i, sent, a, "email", "commercial", 10, "true" if control else "false", "hillstrom"])
            if row["visit"] == "1":
                rw.writerow([i, a, sent, answered, "visit", ""])
            if row["conversion"] == "1":
                rw.writerow([i, a, sent, answered, "convert", row["spend"]])
PY
"$nudge" history add "$out/hist" --contacts "$out/contacts.csv"
"$nudge" history add "$out/hist" --responses "$out/responses.csv"
"$nudge" report "$out/hist" --window 14 --json "$out/report.json" --html "$out/report.html"
