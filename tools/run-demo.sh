#!/usr/bin/env bash
# The main job on its built-in input: builds nudge (Release), generates an
# RS-1 population (1M members, seed 42) straight to a snapshot in a work
# folder, and inspects it (verified open, per-column statistics, bytes per
# member). Later issues add the sweep.
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
