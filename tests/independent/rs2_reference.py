#!/usr/bin/env python3
"""An independent implementation of RS-2 (../shared/WORKLOAD.md, "RS-2: RS-1
driven by a contact and response history"), written from that page alone, in
plain Python over the CSV files `nudge gen --history DIR` writes: no nudge code.

RS-1's triggers, churn score, arbitration, call capacity and top-K come from
rs1_reference.py (itself written from the page); everything about the history
is here: contacts deduplicated by (customer_id, action, sent_on), responses
deduplicated and attached only to a contact dated <= D and <= responded_on
(others skipped and counted), the basket per calendar month, the two
frequency caps, calamity suppression and unsubscribes, at D = as_of.

Usage: rs2_reference.py DIR DECISIONS.csv [AS_OF]
(DIR holds population.csv, contacts.csv, responses.csv; AS_OF defaults to 2026-11-15.)
Exit 0 when they agree, 1 with the first differences otherwise.
"""
import csv
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rs1_reference as rs1  # noqa: E402


def day(s):
    return datetime.date.fromisoformat(s).toordinal()


def history(dir_, D):
    contacts = {}  # (id, action, sent_on) -> (channel, type, cost)
    with open(os.path.join(dir_, "contacts.csv"), newline="") as f:
        for r in csv.DictReader(f):
            t = day(r["sent_on"])
            if t <= D:
                contacts[(int(r["customer_id"]), r["action"], t)] = (r["channel"], r["message_type"], float(r["cost"]))
    per_member = {}
    for (cid, action, t), v in contacts.items():
        per_member.setdefault(cid, []).append((t, v))
    revoked, skipped, seen = {}, 0, set()
    with open(os.path.join(dir_, "responses.csv"), newline="") as f:
        for r in csv.DictReader(f):
            key = (int(r["customer_id"]), r["action"], day(r["sent_on"]), day(r["responded_on"]), r["type"])
            if key[3] > D or key in seen:
                continue
            seen.add(key)
            c = contacts.get(key[:3])
            if c is None or key[3] < key[2]:
                skipped += 1
                continue
            if key[4] == "unsubscribe":
                chans = revoked.setdefault(key[0], set())
                chans.add(c[0])
                if c[0] == "email":
                    chans.add("push")
    return per_member, revoked, skipped


def decide(dir_, D):
    per_member, revoked, skipped = history(dir_, D)
    month_first = datetime.date.fromordinal(D).replace(day=1).toordinal()
    decisions = []
    with open(os.path.join(dir_, "population.csv"), newline="") as f:
        for raw in csv.DictReader(f):
            r = {k: (v if k == "tier" else rs1.num(v)) for k, v in raw.items()}
            fired = rs1.triggers(r)
            if not any(fired):
                continue
            cid = int(raw["customer_id"])
            events = per_member.get(cid, [])
            used = sum(c[2] for t, c in events if month_first <= t <= D)
            n30 = sum(1 for t, c in events if D - 30 < t <= D)
            calls14 = sum(1 for t, c in events if D - 14 < t <= D and c[0] == "call")
            calamity = any(D - 7 < t <= D and c[1] == "calamity" for t, c in events)
            gone = revoked.get(cid, set())
            cands = []
            for a, (name, mtype, chan, value, weight, cw) in enumerate(rs1.ACTIONS):
                if not fired[a] or r[rs1.CONSENT[chan]] != 1 or chan in gone:
                    continue
                if calamity and mtype in ("editorial", "commercial"):
                    continue
                cands.append(a)
            if not cands:
                continue
            c = rs1.churn(r)
            pri = {a: rs1.ACTIONS[a][4] * rs1.ACTIONS[a][3] * (c if rs1.ACTIONS[a][5] else 1.0) for a in cands}
            cands.sort(key=lambda a: (-pri[a], a))
            remaining = rs1.BASKET - used
            kept = kept_calls = 0
            for a in cands:
                chan = rs1.ACTIONS[a][2]
                cost = rs1.BASE[rs1.ACTIONS[a][1]] * rs1.FACTOR[chan]
                if n30 + kept >= 4 or (chan == "call" and calls14 + kept_calls >= 1):
                    continue  # frequency caps, decisions kept in this walk counting
                if kept < rs1.MAX_PER_MEMBER and remaining > 0 and cost <= remaining:
                    remaining -= cost
                    kept += 1
                    kept_calls += chan == "call"
                    decisions.append((pri[a], cid, a, cost, remaining))
    return rs1.rank_and_cap(decisions), skipped


def main():
    D = day(sys.argv[3] if len(sys.argv) > 3 else "2026-11-15")
    ref, skipped = decide(sys.argv[1], D)
    bad = rs1.compare(rs1.read_decisions(sys.argv[2]), ref, f" ({skipped} responses skipped)", show_cost=False)
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
