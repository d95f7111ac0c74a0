#!/usr/bin/env bash
# "Customer suddenly buys less" on the real CDNOW purchase log
# (data/real-data.md): the log's daily purchases rolled into 18 monthly
# series buckets (as_of 1998-06-30), members = the distinct customers, then
# data/campaigns/cdnow_buys_less.toml.
#
#   tools/run-cdnow.sh [OUT_DIR]            # default: a new temporary folder
#
# CDNOW_master.txt is read as it is (whitespace-separated columns, header
# line, CRLF; format = "whitespace" in data/schemas/cdnow_activity.toml).
# Consent and contact pressure are not in the data: stated defaults below.
# Leaves OUT_DIR/cdnow.snap, decisions.csv, import.log, sweep.log.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NUDGE=${NUDGE:-$ROOT/build/nudge}
SHARED=${NUDGE_SHARED_DIR:-$ROOT/../shared}
OUT=${1:-$(mktemp -d -t nudge-cdnow.XXXXXX)}
mkdir -p "$OUT"

"$NUDGE" activity --activity "$SHARED/data/real/cdnow/CDNOW_master.txt" \
  --activity-schema "$ROOT/data/schemas/cdnow_activity.toml" --as-of 1998-06-30 \
  --default email_opt_in=true --default pressure_used=0 -o "$OUT/cdnow.snap" 2> >(tee "$OUT/import.log" >&2)
wait
"$NUDGE" sweep "$OUT/cdnow.snap" --campaign "$ROOT/data/campaigns/cdnow_buys_less.toml" \
  -o "$OUT/decisions.csv" 2> >(tee "$OUT/sweep.log" >&2)
wait
echo "decisions: $OUT/decisions.csv (funnel: $OUT/sweep.log)"
