"""nudge on a Dask cluster: sweep each partition where it lives, merge exactly.

    import nudge, nudge.dask
    from distributed import Client
    client = Client("tcp://scheduler:8786")
    campaign = nudge.Campaign.load("/shared/rs1.toml")
    shards = [f"/shared/rs1/part-{i:02d}.snap" for i in range(16)]
    result = nudge.dask.sweep(shards, campaign, client=client)
    result.decisions        # equal, decision for decision, to campaign.sweep() of the whole population

Each partition (a snapshot file opened by the worker, or a pandas partition of
a dask DataFrame) is swept by one task on the worker that holds it
(Campaign._c.sweep_part, engine/decide/sweep_parts.h). A task sends back only:
  - the funnel's walk counters (10 x 8 bytes per action) and two counts;
  - the decisions that can still reach the result: per channel with a
    capacity C its first C decisions, of the other channels the first K:
    at most K + sum(C) decisions of 40 bytes, whatever the partition's size
    (RS-1: at most 105,000 x 40 B = 4.2 MB; fewer when the partition keeps fewer).
The client (this process) adds them to one decision buffer and ranks it:
channel capacity, top-K and the funnel's capacity / in_top_k columns are
computed once over all partitions, so the result equals one sweep of the
concatenated partitions (partition order = row order; ties on priority are
broken by customer id, then action, then that row).
Nothing moves between workers; the data the client receives grows with the
number of partitions (P x at most K + sum C decisions), not with members, and
the merge is O(P (K + sum C)). A customer id in two partitions is refused
(InputError naming the id and both partitions): each part sends its id range,
and only partitions whose ranges meet are read again to send their ids.

With a contact history (history=): one history folder on shared storage that
every task opens (each maps its own members: exact), or one folder per
partition, sharded by the same customer ids as the partitions (a member's
events in its partition's folder). Either way a member's policies and dialogue
state read only its own events, so the merge stays exact.

Campaigns travel as their TOML text (Campaign.__reduce__): a model file they
name must be readable at the same absolute path on every worker (shared
storage), as must snapshot paths.
"""
from __future__ import annotations

import functools
import os
import time
from typing import Any, Iterable, Optional, Sequence, Union

from . import Campaign, InputError, Population, SweepResult, UsageError, _days, _threads, _top_k, _warn


@functools.lru_cache(maxsize=16)
def _campaign(toml: str, source: str, base_dir: str) -> Campaign:
    # one parse (and one model load) per worker process and campaign
    return Campaign._restore(toml, source, base_dir)


def _sweep_population(spec: tuple, pop: Population, threads: int, top_k: int, history: str) -> dict:
    c = _campaign(*spec)
    part = c._c.sweep_part(pop._p, threads, top_k, -1, history)
    part["bytes"] = int(part["decisions"].nbytes + part["funnel"].nbytes + part["dialogues"].nbytes + 64)
    part["as_of"] = pop._p.as_of
    part["id_range"] = _id_range(pop)
    return part


def _id_range(pop: Population) -> Optional[tuple]:
    """(smallest, largest) customer id of a partition, None without ids or rows."""
    if pop.id_column is None or pop.rows == 0:
        return None
    ids = pop.column(pop.id_column)
    return int(ids.min()), int(ids.max())


def _snapshot_ids(path: str) -> Any:
    from . import open as nudge_open

    pop = nudge_open(path)
    import numpy as np
    return np.sort(pop.column(pop.id_column))


def _frame_ids(df: Any, id: str, types: Optional[dict], nan_is_null: bool) -> Any:
    import numpy as np
    pop = Population.from_pandas(df, id=id, as_of="1970-01-01", types=types, nan_is_null=nan_is_null)
    return np.sort(pop.column(pop.id_column))


def _suspects(ranges: list) -> list:
    """Indexes of the partitions whose id range meets another partition's (sorted)."""
    order = sorted((r[0], r[1], i) for i, r in enumerate(ranges) if r is not None)
    out, top = set(), None  # top: the largest id of the partitions before in `order`
    for k, (lo, hi, i) in enumerate(order):
        if top is not None and lo <= top:
            out.add(i)
        if k + 1 < len(order) and order[k + 1][0] <= hi:
            out.add(i)
        top = hi if top is None else max(top, hi)
    return sorted(out)


def _refuse_repeated_ids(tasks: list, names: list, ranges: list, compute: Any) -> None:
    """InputError naming the smallest customer id held by two partitions, and both partitions.

    Partitions whose id ranges do not meet (the usual split by id) are never read again; the
    others are read once more and send their ids (8 bytes a member) to this process.
    """
    import numpy as np

    sus = _suspects(ranges)
    if not sus:
        return
    ids = compute([tasks[i] for i in sus])
    labels = np.concatenate([np.full(len(a), i, dtype=np.int64) for i, a in zip(sus, ids)])
    allids = np.concatenate(ids)
    order = np.argsort(allids, kind="stable")
    allids, labels = allids[order], labels[order]
    same = np.flatnonzero(allids[1:] == allids[:-1])
    if len(same):
        j = int(same[0])
        a, b = sorted((int(labels[j]), int(labels[j + 1])))
        raise InputError(f"customer id {int(allids[j])} is in {names[a]} and in {names[b]}: customer ids must be "
                         "unique across partitions (one sweep of all of them refuses a repeated id)")


def _sweep_snapshot(spec: tuple, path: str, as_of: Optional[int], threads: int, top_k: int, history: str) -> dict:
    from . import open as nudge_open

    pop = nudge_open(path)
    if as_of is not None:
        pop = pop.with_as_of(as_of)
    return _sweep_population(spec, pop, threads, top_k, history)


def _sweep_frame(spec: tuple, df: Any, id: str, as_of: Optional[int], types: Optional[dict], nan_is_null: bool,
                 threads: int, top_k: int, history: str) -> dict:
    pop = Population.from_pandas(df, id=id, as_of=as_of, types=types, nan_is_null=nan_is_null)
    return _sweep_population(spec, pop, threads, top_k, history)


def _histories(history: Any, n: int) -> list:
    """One history folder per partition ('' = none): None, one folder for all, or one per partition."""
    if history is None:
        return [""] * n
    if isinstance(history, (str, os.PathLike)) or hasattr(history, "path"):
        return [os.path.abspath(os.fspath(getattr(history, "path", history)))] * n
    folders = [os.path.abspath(os.fspath(getattr(h, "path", h))) for h in history]
    if len(folders) != n:
        raise UsageError(f"history has {len(folders)} folders for {n} partitions: give one folder for all "
                         "partitions or one per partition")
    return folders


def sweep(data: Union[Any, Sequence[Union[str, "os.PathLike[str]"]]], campaign: Campaign, *, client: Any = None,
          threads: Optional[int] = 1, top_k: Optional[int] = None, as_of: Any = None, id: str = "customer_id",
          types: Optional[dict] = None, nan_is_null: bool = True, history: Any = None) -> SweepResult:
    """Sweeps a population split in partitions on Dask; the result equals one sweep of all of it.

    data: a dask DataFrame (each partition becomes a Population via from_pandas with id, as_of,
    types, nan_is_null), or a list of snapshot paths readable by every worker (one task each).
    client: a distributed.Client (default: the current one if any, else dask's local scheduler).
    threads: engine threads per task (default 1: Dask runs one task per worker thread).
    top_k: overrides the campaign's. as_of: re-dates snapshot partitions; the date of pandas ones.
    history: a contact history (nudge.History or folder) every worker can read, or a list of
    folders, one per partition, sharded by the partitions' customer ids; read at each partition's as_of.
    A customer id in two partitions is refused (InputError naming the id and both partitions), as one
    sweep refuses a repeated id; partitions whose id ranges meet are read a second time for that check
    (their ids, 8 bytes a member, come to this process), those split by id ranges are not.
    Campaigns with a channel capacity_share or [arbitration] mode = "optimise" are refused (UsageError):
    their capacities or prices need the whole population in one process.
    The result also has .partition_bytes: what each partition sent to the merge.
    """
    import dask

    if not isinstance(campaign, Campaign):
        raise UsageError(f"campaign must be a nudge.Campaign, not {type(campaign).__name__}")
    t0 = time.perf_counter()
    spec = campaign.__reduce__()[1]
    th, k = _threads(threads), _top_k(top_k)
    days = None if as_of is None else _days(as_of)
    if isinstance(data, (str, os.PathLike)):
        data = [data]
    if hasattr(data, "to_delayed") and hasattr(data, "npartitions"):
        if days is None:
            raise UsageError("a dask DataFrame needs as_of (the date its columns describe)")
        delayed = data.to_delayed()
        hist = _histories(history, len(delayed))
        tasks = [dask.delayed(_sweep_frame, pure=False)(spec, p, id, days, types, nan_is_null, th, k, h)
                 for p, h in zip(delayed, hist)]
        id_tasks = [dask.delayed(_frame_ids, pure=False)(p, id, types, nan_is_null) for p in delayed]
        names = [f"partition {i}" for i in range(len(delayed))]
    elif isinstance(data, Iterable):
        paths = [os.path.abspath(os.fspath(p)) for p in data]
        if not paths:
            raise UsageError("no partitions to sweep")
        hist = _histories(history, len(paths))
        tasks = [dask.delayed(_sweep_snapshot, pure=False)(spec, p, days, th, k, h) for p, h in zip(paths, hist)]
        id_tasks = [dask.delayed(_snapshot_ids, pure=False)(p) for p in paths]
        names = [f"partition {i} ('{p}')" for i, p in enumerate(paths)]
    else:
        raise UsageError(f"data must be a dask DataFrame or a list of snapshot paths, not {type(data).__name__}")
    if client is None:
        try:
            from distributed import get_client
            client = get_client()
        except (ImportError, ValueError):
            client = None
    def compute(ts: list) -> list:
        if client is not None:
            return list(client.gather(client.compute(ts)))
        return list(dask.compute(*ts))

    parts = [dict(p) for p in compute(tasks)]
    _refuse_repeated_ids(id_tasks, names, [p.pop("id_range") for p in parts], compute)
    # A warning only one partition gives (a category value absent from its dictionary) is not one of the whole.
    common = set(parts[0]["warnings"]) if parts else set()
    for p in parts:
        common &= set(p["warnings"])
        p["warnings"] = []
    if parts:
        parts[0]["warnings"] = sorted(common)
    raw = campaign._c.merge_parts(parts, k)
    r = SweepResult(raw, campaign, parts[0]["as_of"] if parts else days, time.perf_counter() - t0)
    r.partition_bytes = [p["bytes"] for p in parts]
    _warn(r.warnings)
    return r
