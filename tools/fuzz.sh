#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cc) with clang, ASan and
# UBSan in build/fuzz, and runs them.
#
# Usage: tools/fuzz.sh [TARGET|all] [SECONDS]     fuzz each target for SECONDS (default 60), one after another
#        tools/fuzz.sh --merge [TARGET|all]       minimise tests/fuzz/corpus/TARGET with what fuzzing found
#                                                 (at most FUZZ_CORPUS_CAP inputs each; default corpus_cap below)
#        tools/fuzz.sh --list                     the targets
#
# Targets: csv_import csv_schema_import import_schema expr campaign linear_model
# xgboost snapshot history (tests/fuzz/README.md says what each feeds and checks).
# One fuzzer process at a time (the machine is shared). New inputs go to
# build/fuzz/corpus/TARGET (tests/fuzz/corpus/TARGET and regressions/TARGET are
# read as seeds, never written); crashes, timeouts and wrong answers go to
# build/fuzz/crashes/TARGET/: copy each into tests/fuzz/regressions/TARGET/ once
# fixed (the normal test suite replays them: ctest -R FuzzReplay). Each run's
# log, with libFuzzer's final stats, is build/fuzz/logs/TARGET.log.
# Environment: JOBS (build parallelism, default 2), FUZZ_ARGS (extra libFuzzer flags), FUZZ_NO_BUILD=1
# (use the targets already built).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS=(csv_import csv_schema_import import_schema expr campaign linear_model xgboost snapshot history)

# Per target: max input length and dictionary.
max_len() {
  case $1 in
    xgboost) echo 65536 ;;
    snapshot) echo 16384 ;;
    campaign) echo 8192 ;;
    expr) echo 2048 ;;
    *) echo 4096 ;;
  esac
}
dict() {
  case $1 in
    expr) echo tests/fuzz/dict/expr.dict ;;
    import_schema | csv_schema_import | history) echo tests/fuzz/dict/toml_schema.dict ;;
    campaign | linear_model) echo tests/fuzz/dict/toml_campaign.dict ;;
    xgboost) echo tests/fuzz/dict/json_xgboost.dict ;;
  esac
}

# One line from a libFuzzer log: executions, the last cov/ft, and the execution at which cov and ft last grew.
summarise() {
  awk -v t="$1" '
    /^#[0-9]+/ && / cov: / {
      n = substr($1, 2) + 0
      for (i = 1; i <= NF; i++) { if ($i == "cov:") c = $(i + 1); if ($i == "ft:") f = $(i + 1) }
      if (c != lc) { lcn = n; lc = c }
      if (f != lf) { lfn = n; lf = f }
    }
    /^stat::number_of_executed_units/ { runs = $2 }
    /^stat::average_exec_per_sec/ { eps = $2 }
    END { printf "%s: %s runs (%s/s), cov %s ft %s; cov last grew at run %s, ft at run %s\n", t, runs, eps, lc, lf, lcn, lfn }
  ' "$2"
}

# Inputs kept per corpus by --merge.
corpus_cap() {
  case $1 in
    expr) echo 60 ;;
    csv_import) echo 40 ;;
    xgboost) echo 15 ;;
    linear_model | import_schema) echo 25 ;;
    snapshot) echo 30 ;;
    *) echo 35 ;;
  esac
}

mode=fuzz
case "${1:-}" in
  --list) printf '%s\n' "${TARGETS[@]}"; exit 0 ;;
  --merge) mode=merge; shift ;;
esac
which=${1:-all}
seconds=${2:-60}
if [[ $which == all ]]; then
  selected=("${TARGETS[@]}")
else
  [[ " ${TARGETS[*]} " == *" $which "* ]] || { echo "fuzz.sh: unknown target '$which' (--list)" >&2; exit 2; }
  selected=("$which")
fi

command -v clang++ >/dev/null || tools/setup-debian.sh --fuzz
LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [[ ! -f build/fuzz/CMakeCache.txt ]]; then
  cmake -S . -B build/fuzz -G Ninja "${LAUNCHER[@]}" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DNUDGE_FUZZ=ON -DNUDGE_BUILD_TESTS=OFF -DNUDGE_BUILD_BENCH=OFF -DNUDGE_BUILD_PYTHON=OFF -DNUDGE_BATCH_ROWS=64 >/dev/null
fi
[[ ${FUZZ_NO_BUILD:-0} == 1 ]] || cmake --build build/fuzz -j "${JOBS:-2}" --target "${selected[@]/%/_fuzz}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p build/fuzz/logs
for t in "${selected[@]}"; do
  bin=build/fuzz/tests/fuzz/${t}_fuzz
  work=build/fuzz/corpus/$t
  mkdir -p "$work" "build/fuzz/crashes/$t" "tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t"
  args=(-max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
        -artifact_prefix="build/fuzz/crashes/$t/")
  d=$(dict "$t")
  [[ -n $d ]] && args+=(-dict="$d")
  if [[ $mode == merge ]]; then
    # Minimise: libFuzzer's merge records each input's coverage (edges and features) in a control
    # file; a greedy set cover over the edges then keeps at most FUZZ_CORPUS_CAP inputs (default:
    # corpus_cap, ~300 inputs for all targets together), most new edges first, fewer bytes on ties.
    scratch=$(mktemp -d)
    mkdir "$scratch/merged" "$scratch/keep"
    "$bin" "${args[@]}" -merge=1 -merge_control_file="$scratch/control" "$scratch/merged" "tests/fuzz/corpus/$t" \
      "$work" 2>"build/fuzz/logs/$t.merge.log"
    python3 - "$scratch/control" "$scratch/keep" "${FUZZ_CORPUS_CAP:-$(corpus_cap "$t")}" <<'PY'
import hashlib, os, shutil, sys
control, keep, cap = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(control, errors="replace").read().split("\n")
n = int(lines[0])
files = lines[2:2 + n]
cov = {}
for line in lines[2 + n:]:
    parts = line.split()
    if len(parts) >= 2 and parts[0] == "COV":
        cov[int(parts[1])] = set(parts[2:])
covered, chosen = set(), []
while len(chosen) < cap:
    best = max(cov, key=lambda i: (len(cov[i] - covered), -os.path.getsize(files[i])), default=None)
    if best is None or not cov[best] - covered:
        break
    covered |= cov.pop(best)
    chosen.append(best)
for i in chosen:
    data = open(files[i], "rb").read()
    open(os.path.join(keep, hashlib.sha1(data).hexdigest()), "wb").write(data)
total = covered.union(*cov.values())
print(f"kept {len(chosen)} inputs covering {len(covered)} of the {len(total)} edges all inputs cover")
PY
    rm -rf "tests/fuzz/corpus/$t"
    mv "$scratch/keep" "tests/fuzz/corpus/$t"
    chmod 755 "tests/fuzz/corpus/$t"
    rm -rf "$scratch"
    echo "$t: $(ls "tests/fuzz/corpus/$t" | wc -l) inputs, $(du -sb "tests/fuzz/corpus/$t" | cut -f1) bytes"
  else
    echo "== fuzzing $t for ${seconds}s (log build/fuzz/logs/$t.log)"
    # shellcheck disable=SC2086
    "$bin" "${args[@]}" -max_total_time="$seconds" ${FUZZ_ARGS:-} "$work" "tests/fuzz/corpus/$t" \
      "tests/fuzz/regressions/$t" 2>"build/fuzz/logs/$t.log" || {
      echo "$t: FOUND A PROBLEM (input saved in build/fuzz/crashes/$t/); tail of the log:" >&2
      tail -40 "build/fuzz/logs/$t.log" >&2
      exit 1
    }
    summarise "$t" "build/fuzz/logs/$t.log"
  fi
done
