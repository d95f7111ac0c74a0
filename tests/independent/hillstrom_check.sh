#!/usr/bin/env bash
# tools/run-hillstrom.sh, then its report against pandas (hillstrom_check.py).
# Usage: hillstrom_check.sh NUDGE SOURCE_DIR RAW.csv
# Exit 77 (CTest: skipped) when the raw file or Debian's python3-pandas is absent.
set -euo pipefail
nudge=$1 src=$2 raw=$3
py=/usr/bin/python3
[ -x "$py" ] || py=python3
[ -f "$raw" ] || { echo "skipped: $raw is absent"; exit 77; }
"$py" -c 'import pandas' 2>/dev/null || { echo "skipped: python3-pandas is not installed (tools/setup-debian.sh)"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
HILLSTROM_CSV="$raw" "$src/tools/run-hillstrom.sh" "$dir" "$nudge" >/dev/null
"$py" "$src/tests/independent/hillstrom_check.py" "$raw" "$dir/report.json"
