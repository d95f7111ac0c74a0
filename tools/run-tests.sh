#!/usr/bin/env bash
# Builds nudge from nothing and runs the whole test suite twice:
#   1. Release build (the shipped configuration), default batch size;
#   2. AddressSanitizer + UndefinedBehaviorSanitizer build with a tiny batch
#      (64 rows) so batch-boundary bugs surface.
# The Release build includes the Python module and its pytest tests (tests/python).
# Installs the Debian packages it needs first (tools/setup-debian.sh).
# Usage: tools/run-tests.sh [--quick]   (--quick: the Release build only)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-debian.sh
JOBS=${JOBS:-$(nproc)}
# The HTML report's browser check (tests/report_html_test.cc) must run here, not be skipped.
export NUDGE_REQUIRE_CHROMIUM=1
# Same compiler launcher as tools/run-demo.sh, so the two share build/release.
LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

run_build() {  # name, cmake args...
  local dir=build/$1; shift
  cmake -S . -B "$dir" -G Ninja "${LAUNCHER[@]}" "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
  (cd "$dir" && ctest --output-on-failure -j "$JOBS")
}

# The Release build must build the Python module (its pytest suite runs under ctest as Python.*);
# the sanitizer build leaves it out (a module under ASan needs libasan preloaded into Python).
run_build release -DCMAKE_BUILD_TYPE=Release -DNUDGE_BUILD_PYTHON=ON
if [[ "${1:-}" != "--quick" ]]; then
  # -g1 (line tables only: ASan's reports keep file:line) compiles about 20 % faster than -g.
  run_build asan -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
    -DNUDGE_SANITIZE=ON -DNUDGE_BATCH_ROWS=64 -DNUDGE_BUILD_BENCH=OFF
fi
echo "all test builds passed"
