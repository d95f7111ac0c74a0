#!/usr/bin/env bash
# The defection-and-retention sweep on the real Maven airline data
# (data/real-data.md): unzip, import members + monthly flight activity as
# series into one snapshot, describe it, run data/campaigns/airline_defection.toml.
#
#   tools/run-airline.sh [OUT_DIR]          # default: a new temporary folder
#   NUDGE=build/nudge OVERLAY=consent.csv tools/run-airline.sh /tmp/airline
#
# OVERLAY: a CSV keyed by customer_id with email_opt_in, phone_opt_in,
# pressure_used, contacts_30d (the columns the data lacks); without it the
# stated defaults below are used, and `nudge activity` prints each one.
# Leaves OUT_DIR/airline.snap, OUT_DIR/decisions.csv, OUT_DIR/import.log and
# OUT_DIR/sweep.log (the funnel).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NUDGE=${NUDGE:-$ROOT/build/nudge}
SHARED=${NUDGE_SHARED_DIR:-$ROOT/../shared}
ZIP=$SHARED/data/real/airline-loyalty-program/Airline+Loyalty+Program.zip
OUT=${1:-$(mktemp -d -t nudge-airline.XXXXXX)}
mkdir -p "$OUT/csv"

# The zip also holds macOS resource forks; the CSVs have a UTF-8 BOM and CRLF
# line ends, which the importer reads as they are.
unzip -q -o "$ZIP" -x '__MACOSX/*' -d "$OUT/csv"

if [[ -n "${OVERLAY:-}" ]]; then
  extra=(--overlay "$OVERLAY")
else
  extra=(--default email_opt_in=true --default phone_opt_in=true --default pressure_used=0 --default contacts_30d=0)
fi

"$NUDGE" activity "$OUT/csv/Customer Loyalty History.csv" --schema "$ROOT/data/schemas/airline_members.toml" \
  --activity "$OUT/csv/Customer Flight Activity.csv" --activity-schema "$ROOT/data/schemas/airline_activity.toml" \
  --as-of 2018-12-31 "${extra[@]}" -o "$OUT/airline.snap" 2> >(tee "$OUT/import.log" >&2)
wait
"$NUDGE" sweep "$OUT/airline.snap" --campaign "$ROOT/data/campaigns/airline_defection.toml" \
  -o "$OUT/decisions.csv" 2> >(tee "$OUT/sweep.log" >&2)
wait
echo "decisions: $OUT/decisions.csv (funnel: $OUT/sweep.log)"
