#!/usr/bin/env bash
# The four documented what-if examples of `nudge diff` (data/campaigns/README.md,
# "What-if"), each campaign B derived from RS-1 by one edit:
#   basket30      the basket raised from 25 to 30 points
#   calls2.5      calls cost more: the call channel's factor 2.0 -> 2.5
#   add_action    a new action (lounge_invite: Star members with 20+ flights a year, e-mail, editorial)
#   capacity8000  the call capacity raised from 5000 to 8000
#
#   tools/run-whatif.sh OUT [MEMBERS] [NUDGE]
# writes OUT/<name>.toml, OUT/<name>.txt (the diff), OUT/<name>.json and OUT/<name>.html.
set -euo pipefail
out=${1:?usage: run-whatif.sh OUT [MEMBERS] [NUDGE]}
members=${2:-200000}
here=$(cd "$(dirname "$0")/.." && pwd)
nudge=${3:-$here/build/release/nudge}
a=$here/data/campaigns/rs1.toml
mkdir -p "$out"
[ -f "$out/pop.snap" ] || "$nudge" gen --members "$members" --seed 42 -o "$out/pop.snap" >/dev/null
# B files live beside rs1.toml's model path: rewrite the relative model path to an absolute one.
base() { sed "s#model = \"../models/#model = \"$here/data/models/#" "$a"; }
base | sed 's/^points_per_period = 25/points_per_period = 30/' > "$out/basket30.toml"
base | awk '/^\[channels.call\]/{c=1} c&&/^factor = 2.0/{print "factor = 2.5"; c=0; next} {print}' > "$out/calls2.5.toml"
base | sed 's/^capacity = 5000/capacity = 8000/' > "$out/capacity8000.toml"
{ base; cat <<'TOML'

[[action]]
name = "lounge_invite"
trigger = "tier = 'Star' AND flights_12m >= 20"
message_type = "editorial"
channel = "email"
value = 70
priority = "weight * value"
TOML
} > "$out/add_action.toml"
for name in basket30 calls2.5 add_action capacity8000; do
  "$nudge" diff "$out/pop.snap" --campaign "$a" --campaign-b "$out/$name.toml" --movers 3 \
    --json "$out/$name.json" --html "$out/$name.html" > "$out/$name.txt"
  echo "== $name"; sed -n '/^members:/,/^  B /p' "$out/$name.txt"
done
