#!/usr/bin/env bash
# The main job on its built-in input: builds nudge (Release), then runs
# `nudge info` (more steps join as the engine grows).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-debian.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "${JOBS:-$(nproc)}" --target nudge
N=build/release/nudge
$N info
