"""nudge.History: the contact and response history folder (io/history/history_store.h),
as `nudge history add|inspect|compact` uses it.

    hist = nudge.History.open("hist")                 # created on the first add when absent
    hist.add_contacts(df)                             # customer_id, sent_on, action, channel, message_type, cost, ...
    hist.add_contacts(result.decisions, sent_on="2026-11-01")   # a sweep's decisions (no sent_on column)
    hist.add_responses(responses_df)                  # customer_id, action, sent_on, responded_on, type[, value]
    hist.report(window=14)                            # uplift, as `nudge report HIST --json FILE` writes it

A DataFrame is written to a CSV file in the history's formats (io/history/history_csv.h: dates as
YYYY-MM-DD, NULL as an empty field) inside a temporary folder and added exactly as
`nudge history add --contacts/--responses FILE` adds it: one atomic batch, repeated contacts
dropped, the same events added twice detected. Errors are the CLI's; positions name the
temporary file `contacts.csv` / `responses.csv`, whose line N is the DataFrame's row N - 2, except a NULL
customer_id, refused before the file is written as `column 'customer_id' row N` (0-based), as
`Population.from_pandas` refuses it. A history opened with create=True reads as empty until its first add.
"""
from __future__ import annotations

import os
import tempfile
from typing import Any, Optional

from . import _nudge
from ._errors import InputError, UsageError


def _csv(df: Any, path: str) -> None:
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise UsageError(f"expected a pandas DataFrame, not {type(df).__name__}")
    out = df.copy(deep=False)
    for name in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[name]):
            out[name] = out[name].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False, date_format="%Y-%m-%d", float_format=None)


def _checked_ids(df: Any, kind: str) -> Any:
    """The frame with its customer_id column checked as Population.from_pandas checks ids: a NULL id
    (NaN, None, NA) is refused naming the column and the row (0-based position, as from_pandas), not a
    line of the temporary CSV file; whole-number float ids are written as integers (1, not 1.0)."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame) or "customer_id" not in df.columns:
        return df  # the CLI's reader names what is missing
    col = df["customer_id"]
    null = col.isna().to_numpy()
    if null.any():
        row = int(null.argmax())
        what = "contact" if kind == "contacts" else "response"
        raise InputError(f"column 'customer_id' row {row}: the customer id is NULL (NaN, None or NA); "
                         f"every {what} needs an id")
    if pd.api.types.is_float_dtype(col.dtype):
        import numpy as np

        v = col.to_numpy(dtype=np.float64)
        if np.all((v == np.floor(v)) & (v >= 0) & (v < 2.0 ** 63)):
            df = df.copy(deep=False)
            df["customer_id"] = v.astype(np.int64)
    return df


class History:
    """A history folder: add, summary, compact, report here; sweeps read it through
    `campaign.sweep(pop, history=hist)` and `nudge.dask.sweep(..., history=...)`."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    @classmethod
    def open(cls, path: "os.PathLike[str] | str", *, create: bool = True) -> "History":
        """The history in folder `path` (created by the first add when absent and create=True)."""
        p = os.path.abspath(os.fspath(path))
        if not os.path.exists(os.path.join(p, "MANIFEST")) and not create:
            raise UsageError(f"{p} is not a history folder (no MANIFEST)")
        if os.path.exists(os.path.join(p, "MANIFEST")):
            _nudge.history_summary(p, False)  # checks the MANIFEST and segments, raising the CLI's errors
        return cls(p)

    def _add(self, kind: str, df: Any, sent_on: Any, strict: bool, compact: bool) -> dict:
        from . import _days

        with tempfile.TemporaryDirectory(prefix="nudge-history-") as d:
            f = os.path.join(d, f"{kind}.csv")
            _csv(_checked_ids(df, kind), f)
            return _nudge.history_add(self.path, kind, f, None if sent_on is None else _days(sent_on, "sent_on"),
                                      strict, compact)

    def add_contacts(self, df: Any, *, sent_on: Any = None, compact: bool = False) -> dict:
        """Adds contacts as one batch (a sweep's decisions need sent_on). Returns what was added:
        added, already_added, batch, contacts_added (new to the history), contacts_repeated_in_file
        (rows repeating an earlier row's customer_id, action and sent_on), contacts_repeated (already in
        the history), message (the CLI's line)."""
        return self._add("contacts", df, sent_on, False, compact)

    def add_responses(self, df: Any, *, strict: bool = False, compact: bool = False) -> dict:
        """Adds responses as one batch; strict=True refuses responses that attach to no contact."""
        return self._add("responses", df, None, strict, compact)

    def compact(self) -> int:
        """Merges every segment into one (fast opens); returns the segments merged."""
        return _nudge.history_compact(self.path)

    def report(self, *, campaign: "os.PathLike[str] | str | None" = None, window: Optional[int] = None,
               as_of: Any = None, table: bool = False) -> Any:
        """Uplift of treated against control members (`nudge report`, engine/report/uplift.h): the
        dict `nudge report HIST --json FILE` writes (per action, campaign, channel and dialogue step:
        treated, control, per response type rates, uplift and 95% interval, value per member, cost).
        campaign: its [holdout] attribution_days is the window; window: days after the contact a
        response counts (default 14); as_of: ignore events after this day. table=True returns the
        CLI's terminal table (str) instead."""
        import json

        from . import _days, _integer

        days = -1 if window is None else _integer(window, "window")  # 1.5 is refused, not cut to 1
        if window is not None and not 0 <= days <= 2 ** 31 - 1:
            raise UsageError(f"window must be 0 to 2147483647 days, not {window}")
        text, tab = _nudge.history_report(self.path, "" if campaign is None else os.fspath(campaign), days,
                                          None if as_of is None else _days(as_of, "as_of"))
        return tab if table else json.loads(text)

    def _not_yet_created(self) -> bool:
        """No MANIFEST, and the folder absent or holding only the LOCK an add that found nothing new leaves:
        a history opened with create=True before its first batch, which reads as empty."""
        if os.path.exists(os.path.join(self.path, "MANIFEST")):
            return False
        return not os.path.exists(self.path) or (os.path.isdir(self.path) and set(os.listdir(self.path)) <= {"LOCK"})

    def summary(self, *, verify: bool = False) -> str:
        """The text of `nudge history inspect` (a history not added to yet: zero events)."""
        if self._not_yet_created():
            return _nudge.history_empty_summary(self.path)
        return _nudge.history_summary(self.path, verify)[5]

    def __repr__(self) -> str:
        if not os.path.exists(os.path.join(self.path, "MANIFEST")):
            return f"<nudge.History {self.path!r}: empty>"
        members, contacts, responses, batches, segments, _ = _nudge.history_summary(self.path, False)
        return (f"<nudge.History {self.path!r}: {members:,} members, {contacts:,} contacts, {responses:,} responses, "
                f"{batches} batches in {segments} segments>")
