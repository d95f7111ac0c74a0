#!/usr/bin/env bash
# The main job on its built-in input: builds nudge (Release), generates an
# RS-1 population (1M members, seed 42) straight to a snapshot in a work
# folder, inspects it (verified open, per-column statistics, bytes per
# member), runs the RS-1 sweep (data/campaigns/rs1.toml: the funnel and phase
# times on stderr, ranked decisions to decisions.csv), prints the first
# decisions and explains the top-ranked member's contact.
#
# Usage: tools/run-demo.sh            (work folder: a fresh temp dir, removed after)
#   MEMBERS=10000000 tools/run-demo.sh   population size
#   NUDGE_WORK=/some/dir tools/run-demo.sh   keep the files there
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-debian.sh
LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release "${LAUNCHER[@]}" >/dev/null
cmake --build build/release -j "${JOBS:-$(nproc)}" --target nudge
N=build/release/nudge
MEMBERS=${MEMBERS:-1000000}
if [[ -n "${NUDGE_WORK:-}" ]]; then
  WORK=$NUDGE_WORK
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d -t nudge-demo-XXXXXX)
  trap 'rm -rf "$WORK"' EXIT
fi

$N info
echo
$N gen --members "$MEMBERS" --seed 42 -o "$WORK/rs1.snap"
echo
$N inspect "$WORK/rs1.snap"
echo
# The main job: every member through RS-1 (data/campaigns/rs1.toml). The
# funnel and phase times go to stderr, the ranked decisions to a CSV file.
$N sweep "$WORK/rs1.snap" --campaign data/campaigns/rs1.toml -o "$WORK/decisions.csv"
echo
echo "first decisions of $(($(wc -l < "$WORK/decisions.csv") - 1)) ($WORK/decisions.csv, trigger column left out):"
head -n 11 "$WORK/decisions.csv" | cut -d, -f1-9
echo
# Why the top-ranked member gets their contact, gate by gate.
TOP=$(sed -n 2p "$WORK/decisions.csv" | cut -d, -f2)
$N explain "$WORK/rs1.snap" --campaign data/campaigns/rs1.toml --customer "$TOP"
