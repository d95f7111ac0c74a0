#!/usr/bin/env bash
# Wide inputs: `nudge import` of CSVs with 1k/5k/20k columns (inferred types,
# and with a schema listing every column) and `nudge activity` with 10k/50k/100k
# day buckets; prints the wall time of each whole process (bench/README.md,
# "Wide inputs"). Usage: bench/wide_inputs.sh build/release/nudge [work-dir]
set -euo pipefail
nudge=$(realpath "$1")
dir=${2:-$(mktemp -d)}
mkdir -p "$dir" && cd "$dir"
python3 - <<'PY'
import datetime
for cols in (1000, 5000, 20000):
    with open(f'wide_{cols}.csv', 'w') as f:
        f.write('customer_id,' + ','.join(f'c{i}' for i in range(cols - 1)) + '\n')
        for r in range(20):
            f.write(str(r + 1) + ',' + ','.join(str((r * 7 + i) % 100) for i in range(cols - 1)) + '\n')
as_of = datetime.date(2020, 1, 1)
for b in (10000, 50000, 100000):
    with open(f'act_{b}.csv', 'w') as f:  # 20 members, 50 event days each
        f.write('member,date,amount\n')
        for m in range(20):
            for k in range(0, b, b // 50):
                f.write(f'{m + 1},{(as_of - datetime.timedelta(days=k)).isoformat()},{(m + k) % 7 + 1}\n')
    with open(f'act_{b}.toml', 'w') as f:
        f.write(f'member_column = "member"\ndate_column = "date"\nunit = "day"\nbuckets = {b}\n'
                '[[metric]]\ncolumn = "amount"\ntype = "int32"\n')
with open('members.csv', 'w') as f:
    f.write('customer_id,x\n' + ''.join(f'{m + 1},{m}\n' for m in range(20)))
PY
secs() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
uptime
for c in 1000 5000 20000; do
  "$nudge" import "wide_$c.csv" --print-schema >"wide_$c.toml" 2>/dev/null
  echo "import $c columns: inferred $(secs "$nudge" import "wide_$c.csv" -o w.snap) s," \
       "with schema $(secs "$nudge" import "wide_$c.csv" --schema "wide_$c.toml" -o w.snap) s"
done
for b in 10000 50000 100000; do
  echo "activity $b buckets: $(secs "$nudge" activity members.csv --activity "act_$b.csv" \
       --activity-schema "act_$b.toml" --as-of 2020-01-01 -o a.snap) s"
done
