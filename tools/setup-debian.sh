#!/usr/bin/env bash
# Installs every Debian 12 package nudge needs to build, test and benchmark.
# Idempotent: when all packages are present it returns in well under a second.
# --fuzz: also clang and its libFuzzer/sanitizer runtimes (tools/fuzz.sh).
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build git unzip python3
  libtbb-dev libxsimd-dev xtl-dev
  libflatbuffers-dev flatbuffers-compiler
  libmimalloc-dev libbenchmark-dev libgtest-dev libgmock-dev
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libfast-float-dev libfmt-dev libxxhash-dev
  # the Python module (tools/python) and its tests
  python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pandas python3-pytest
  python3-dask python3-distributed
  # nudge report --html and its browser check (tests/report_html_test.cc)
  chromium
)
[[ "${1:-}" == "--fuzz" ]] && PACKAGES+=(clang libclang-rt-14-dev)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
