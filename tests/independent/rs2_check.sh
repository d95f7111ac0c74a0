#!/usr/bin/env bash
# RS-2 end to end against an independent implementation of WORKLOAD.md:
# generate an RS-2 population and its adversarial history as CSV (nudge gen
# --history), add the contacts and responses to a history folder (nudge
# history add), sweep data/campaigns/rs2.toml with it at 2026-11-15, and have
# rs2_reference.py (plain Python over the CSV files, no nudge code) recompute
# and compare every decision (and the skipped-response count). At 100k
# members neither the call capacity nor the top-K cut binds; both cuts are
# checked by tests/policy_rs2_test.cc (scaled down with its population).
# Usage: rs2_check.sh NUDGE_BINARY SOURCE_DIR [MEMBERS] [SEED]
set -euo pipefail
nudge=$1 src=$2 members=${3:-100000} seed=${4:-11}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
"$nudge" gen --members "$members" --seed "$seed" --history "$dir/data" >/dev/null
"$nudge" history add "$dir/hist" --contacts "$dir/data/contacts.csv" >/dev/null
"$nudge" history add "$dir/hist" --responses "$dir/data/responses.csv" >/dev/null
"$nudge" sweep "$dir/data/population.snap" --campaign "$src/data/campaigns/rs2.toml" --history "$dir/hist" \
  --as-of 2026-11-15 -o "$dir/decisions.csv" 2>/dev/null
python3 "$src/tests/independent/rs2_reference.py" "$dir/data" "$dir/decisions.csv" 2026-11-15
