#!/usr/bin/env bash
# RS-1 end to end against an independent implementation of WORKLOAD.md:
# generate 1M members (CSV and snapshot from the same seed), sweep the
# snapshot with data/campaigns/rs1.toml, and have rs1_reference.py (plain
# Python over the CSV, no nudge code) recompute and compare every decision.
# At 1M members both the call capacity (5000) and the top-K cut (100000) bind.
# Usage: rs1_check.sh NUDGE_BINARY SOURCE_DIR [MEMBERS] [SEED]
set -euo pipefail
nudge=$1 src=$2 members=${3:-1000000} seed=${4:-11}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
"$nudge" gen --members "$members" --seed "$seed" --csv "$dir/pop.csv" >/dev/null
"$nudge" gen --members "$members" --seed "$seed" -o "$dir/pop.snap" >/dev/null
"$nudge" sweep "$dir/pop.snap" --campaign "$src/data/campaigns/rs1.toml" -o "$dir/decisions.csv" 2>/dev/null
python3 "$src/tests/independent/rs1_reference.py" "$dir/pop.csv" "$dir/decisions.csv"
