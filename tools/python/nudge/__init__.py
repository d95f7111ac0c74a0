"""nudge: ranked contact decisions for a whole customer population, from Python.

    import nudge
    pop = nudge.open("rs1.snap")                             # zero copy over the snapshot's mapping
    campaign = nudge.Campaign.load("data/campaigns/rs1.toml")
    result = campaign.sweep(pop, threads=4)
    result.decisions                                         # pandas DataFrame, the CLI's columns
    result.funnel                                            # per action, members stopped at each gate

The C++ engine does the work (nudge._nudge, built with pybind11 from the
same CMake build as the CLI); long calls release the GIL. Errors raise
nudge.Error subclasses carrying the CLI's message. Full guide, zero-copy and
NULL rules: tools/python/README.md.
"""
from __future__ import annotations

import builtins as _builtins
import datetime as _dt
import functools as _functools
import os as _os
import time as _time
import warnings as _warnings
from typing import Any, Iterable, Mapping, Optional, Union

import numpy as _np

from ._errors import Error, InputError, InternalError, IoError, UsageError
from . import _nudge
from . import _frames
from . import _toml

__version__ = _nudge.__version__
__all__ = ["open", "empty", "generate_rs1", "Population", "Model", "Campaign", "SweepResult", "History", "Error",
           "InputError",
           "IoError", "UsageError", "InternalError"]

DateLike = Union[str, int, _dt.date, _np.datetime64]
PathLike = Union[str, "_os.PathLike[str]"]


def _days(as_of: DateLike, what: str = "as_of") -> int:
    """Days since 1970-01-01 of a date given as 'YYYY-MM-DD', date, datetime64 or days."""
    if isinstance(as_of, bool):
        raise UsageError(f"{what} must be a date, not a bool")
    if isinstance(as_of, (int, _np.integer)):
        return int(as_of)
    if isinstance(as_of, str):
        d = _nudge.parse_date(as_of)
        if d is None:
            raise UsageError(f"{what} '{as_of}' is not a date (YYYY-MM-DD)")
        return d
    if isinstance(as_of, _dt.datetime):
        as_of = as_of.date()
    if isinstance(as_of, _dt.date):
        return _nudge.days_from_civil(as_of.year, as_of.month, as_of.day)
    if isinstance(as_of, _np.datetime64):
        return int(as_of.astype("datetime64[D]").astype(_np.int64))
    if hasattr(as_of, "to_datetime64"):  # pandas Timestamp
        return _days(as_of.to_datetime64(), what)
    raise UsageError(f"{what} must be a date ('YYYY-MM-DD', datetime.date, numpy.datetime64), "
                     f"not {type(as_of).__name__}")


def _date(days: int) -> _dt.date:
    return _dt.date(1970, 1, 1) + _dt.timedelta(days=days)


def _integer(value: Any, what: str) -> int:
    """value as a Python int: an int, a numpy integer, or a float holding a whole number exactly
    (|value| <= 2**53). A bool is not a number here; a non-integral float (6000012902.9, 1.5)
    is refused rather than truncated (UsageError); other types raise TypeError."""
    if isinstance(value, (bool, _np.bool_)):
        raise TypeError(f"{what} must be an integer, not a bool ({value!r})")
    if isinstance(value, (int, _np.integer)):
        return int(value)
    if isinstance(value, (float, _np.floating)):
        v = float(value)
        if v.is_integer() and abs(v) <= 2.0 ** 53:
            return int(v)
        raise UsageError(f"{what} must be a whole number, not {value!r}")
    raise TypeError(f"{what} must be an integer, not {type(value).__name__} ({value!r})")


def _positive_or_none(value: Optional[int], what: str) -> int:
    """0 for None (the engine's default), else the value, which must be at least 1."""
    if value is None:
        return 0
    n = _integer(value, what.split()[0])
    if n < 1:
        raise UsageError(f"{what}, not {value}")
    return n


#: The most worker threads a call may ask for: the CLI's --threads range (tools/main.cc, 1..1024).
#: Far larger arenas crash oneTBB (threads=70000 was a segfault), so every entry point checks here.
MAX_THREADS = 1024


def _threads(threads: Optional[int]) -> int:
    """0 for None (all hardware threads), else threads, which must be 1..MAX_THREADS (UsageError)."""
    if threads is None:
        return 0
    n = _integer(threads, "threads")
    if not 1 <= n <= MAX_THREADS:
        raise UsageError(f"threads must be at least 1 and at most {MAX_THREADS} (the CLI's --threads range), "
                         f"or None for all hardware threads; not {threads}")
    return n


def _top_k(top_k: Optional[int]) -> int:
    return _positive_or_none(top_k, "top_k must be positive")


def _warn(messages: Iterable[str]) -> None:
    for m in dict.fromkeys(messages):
        _warnings.warn(m, stacklevel=3)


class Population:
    """A customer population: N members (rows) by typed columns, and the as_of date it describes.

    Make one with nudge.open (a snapshot, zero copy), Population.from_pandas,
    Population.from_numpy or nudge.generate_rs1. Immutable.
    """

    __slots__ = ("_p", "copied_columns")

    def __init__(self, _p: Any, copied_columns: Optional[list] = None) -> None:
        self._p = _p
        #: Columns that from_numpy / from_pandas had to copy (the others are views of your arrays).
        self.copied_columns = list(copied_columns or [])

    # --- construction -------------------------------------------------------------------------
    @classmethod
    def from_numpy(cls, arrays: Mapping[str, Any], *, id: Optional[str] = "customer_id",
                   as_of: Optional[DateLike] = None, types: Optional[Mapping[str, str]] = None,
                   dictionaries: Optional[Mapping[str, list]] = None, nan_is_null: bool = False) -> "Population":
        """A population from 1-D arrays of equal length, one per column, in the mapping's order.

        Types: bool -> bool; int8/16/32, uint8/16 -> int32; int64, uint32 -> int64; uint64 -> uint64;
        float32/64 -> float32/64; datetime64 -> date; str/object -> category (first-seen order);
        int codes with dictionaries[name] -> category. types={name: "float32", ...} overrides.
        The id column must be (or is converted to) uint64.
        NULLs: numpy.ma.MaskedArray masks; NaN in float arrays only when nan_is_null=True
        (otherwise NaN is a value); NaT in datetime64; code -1 in category codes.
        Zero copy: an array whose dtype is the column's physical type, contiguous, 64-byte aligned,
        with a length that is a multiple of 64 (or made by nudge.empty) and no NULL is used as the
        column's memory (keep it unchanged while the population lives); any other is copied once.
        """
        types = dict(types or {})
        dictionaries = dict(dictionaries or {})
        cols, rows = [], None
        for name, a in arrays.items():
            t = types.pop(name, None)
            if name == id and t is None:
                t = "uint64"
            col = _frames.numpy_column(name, a, t, dictionaries.pop(name, None), nan_is_null)
            n = len(col[2])
            if rows is not None and n != rows:
                raise UsageError(f"column '{name}' has {n} values; the columns before it have {rows}")
            rows = n
            cols.append(col)
        if types or dictionaries:
            raise UsageError(f"types/dictionaries name columns that are not given: {sorted({**types, **dictionaries})}")
        return cls._build(rows or 0, as_of, cols, id)

    @classmethod
    def from_pandas(cls, df: Any, *, id: Optional[str] = "customer_id", as_of: Optional[DateLike] = None,
                    types: Optional[Mapping[str, str]] = None, nan_is_null: bool = True) -> "Population":
        """A population from a DataFrame (the id may also be its index, by name).

        Types as from_numpy, plus: pandas Categorical -> category (its categories, in order);
        object/string columns -> category (first-seen order), or bool when they hold only booleans;
        an object column of mixed types (1, "1", 1.0, True) or of bytes/Decimal/timedelta values
        raises InputError naming the column and row;
        nullable Int*/UInt*/Float*/boolean -> their numpy type; datetime64 -> date.
        NULLs per type: numpy float columns: NaN (nan_is_null=True, pandas' convention);
        nullable Int/Float/boolean columns: their NA mask (a NaN under the mask stays a value);
        Categorical / strings: NaN/None/NA; datetime64: NaT; object booleans: None/NA.
        Zero copy as from_numpy, for numpy-backed columns and the nullable arrays' data.
        as_of: the date the columns describe (default: today).
        """
        import pandas as pd

        if not isinstance(df, pd.DataFrame):
            raise UsageError(f"from_pandas needs a pandas DataFrame, not {type(df).__name__}")
        types = dict(types or {})
        cols = []
        series = list(df.items())
        if id is not None and id not in df.columns and df.index.name == id:
            series.insert(0, (id, df.index.to_series()))
        for name, s in series:
            if not isinstance(name, str):
                raise UsageError(f"column names must be strings, not {name!r}")
            t = types.pop(name, None)
            if name == id and t is None:
                t = "uint64"
            cols.append(_frames.pandas_column(name, s, t, nan_is_null))
        if types:
            raise UsageError(f"types names columns that are not in the DataFrame: {sorted(types)}")
        return cls._build(len(df), as_of, cols, id)

    @classmethod
    def _build(cls, rows: int, as_of: Optional[DateLike], cols: list, id: Optional[str]) -> "Population":
        days = _days(as_of if as_of is not None else _dt.date.today())
        for c in cols:
            try:
                c[0].encode("utf-8")
            except UnicodeEncodeError:
                raise InputError(f"column name {c[0]!r} is not valid UTF-8 text (a lone surrogate)") from None
        if id is not None and not any(c[0] == id for c in cols):
            raise UsageError(f"no id column '{id}' among the columns (pass id=None for a population without ids)")
        p, copied = _nudge.build_population(rows, days, cols, id)
        return cls(p, copied)

    # --- facts --------------------------------------------------------------------------------
    @property
    def rows(self) -> int:
        """Members (rows)."""
        return self._p.rows

    def __len__(self) -> int:
        return self._p.rows

    @property
    def as_of(self) -> _dt.date:
        """The date the population describes (columns are relative to it)."""
        return _date(self._p.as_of)

    @property
    def columns(self) -> list:
        """Column names in order."""
        return [self._p.column_info(i)[0] for i in range(self._p.num_columns)]

    @property
    def schema(self) -> dict:
        """{column name: nudge type} ("bool", "int32", "int64", "uint64", "float32", "float64", "category", "date")."""
        return {n: t for n, t, _, _ in (self._p.column_info(i) for i in range(self._p.num_columns))}

    @property
    def id_column(self) -> Optional[str]:
        return self._p.id_column

    @property
    def memory_bytes(self) -> int:
        return self._p.memory_bytes

    def _index(self, name: str) -> int:
        return self._p.index_of(name)

    def column(self, name: str) -> _np.ndarray:
        """The column's values, a read-only numpy view of its memory (no copy): int32 codes for a
        category, int32 days since 1970-01-01 for a date; NULL rows hold 0 (see nulls())."""
        return self._p.values(self._index(name))

    def nulls(self, name: str) -> Optional[_np.ndarray]:
        """Bool array, True where the column is NULL; None when it has no NULLs."""
        v = self._p.validity(self._index(name))
        return None if v is None else ~v

    def dictionary(self, name: str) -> list:
        """A category column's values, by code."""
        return self._p.column_info(self._index(name))[3]

    def __repr__(self) -> str:
        return (f"<nudge.Population: {self.rows:,} members x {self._p.num_columns} columns, "
                f"as_of {self.as_of.isoformat()}>")

    # --- conversions --------------------------------------------------------------------------
    def to_pandas(self) -> Any:
        """A DataFrame (one copy per column). Columns with NULLs become pandas' nullable types
        (Int32/Int64/UInt64, Float32/Float64, boolean), categories pandas Categoricals (NULL = NaN),
        dates datetime64[ns] (NULL = NaT); from_pandas reads it back to an equal population."""
        import pandas as pd

        data = {self._p.column_info(i)[0]: _frames.to_pandas_column(self._p, i) for i in range(self._p.num_columns)}
        return pd.DataFrame(data)

    def save(self, path: PathLike) -> None:
        """Writes a snapshot (atomically: temporary file, fsync, rename), as `nudge gen -o`."""
        self._p.save(_os.fspath(path))

    def with_as_of(self, as_of: DateLike) -> "Population":
        """The same columns (shared, no copy) describing another date."""
        return Population(self._p.with_as_of(_days(as_of)))

    def select(self, expression: str, *, ids: bool = False, threads: Optional[int] = None) -> _np.ndarray:
        """Where a trigger expression (engine/expr/README.md) is TRUE: a bool array of rows,
        or with ids=True the customer ids (uint64) in row order, as `nudge select --ids`."""
        out, warnings = self._p.select(expression, ids, _threads(threads))
        _warn(warnings)
        return out


def open(path: PathLike, *, verify: bool = False) -> Population:  # noqa: A001 (like duckdb.connect, io.open)
    """Opens a snapshot (`nudge gen` / `nudge import` / Population.save): its columns are views into
    the file's read-only memory mapping (no copy). verify=True also checks every buffer's hash."""
    return Population(_nudge.open_snapshot(_os.fspath(path), verify))


def generate_rs1(members: int, *, seed: int = 42, as_of: DateLike = "2026-11-01",
                 threads: Optional[int] = None) -> Population:
    """The deterministic RS-1 population of `nudge gen` (shared/WORKLOAD.md)."""
    if members < 0:
        raise UsageError("members must not be negative")
    return Population(_nudge.generate_rs1(int(members), int(seed), _days(as_of), _threads(threads)))


def empty(rows: int, dtype: str) -> _np.ndarray:
    """A writable numpy array of `rows` values of a nudge type ("float32", "int32", "bool", ...),
    64-byte aligned and padded as nudge's columns are: from_numpy uses it without a copy."""
    if rows < 0:
        raise UsageError("rows must not be negative")
    return _nudge.empty(int(rows), dtype)


class Model:
    """A churn / propensity model: nudge's linear TOML or an XGBoost JSON (data/models/README.md)."""

    __slots__ = ("_m", "path")

    def __init__(self, _m: Any, path: str) -> None:
        self._m, self.path = _m, path

    @classmethod
    def load(cls, path: PathLike) -> "Model":
        return cls(_nudge._Model.load(_os.fspath(path)), _os.fspath(path))

    def score(self, pop: Population, *, threads: Optional[int] = None) -> _np.ndarray:
        """Scores of every member (float64, row order), as `nudge score`."""
        return self._m.score(pop._p, _threads(threads))

    def __repr__(self) -> str:
        return f"<nudge.Model {self.path!r}: {self._m.describe()}>"


class SweepResult:
    """A sweep's outcome: .decisions (ranked, the CLI's columns), .funnel, .times (seconds)."""

    def __init__(self, raw: Any, campaign: "Campaign", as_of: Optional[int], wall: float) -> None:
        self._raw = raw
        self._campaign = campaign
        self.as_of: Optional[_dt.date] = None if as_of is None else _date(as_of)
        self.members: int = raw.members
        self.members_with_candidates: int = raw.members_with_candidates
        #: Decisions after channel capacity, before the top-K cut.
        self.decision_count: int = raw.decision_count
        self.warnings: list = list(dict.fromkeys(raw.warnings))
        #: Seconds: pass_wall, rank_wall (wall-clock), evaluate/gates/score/walk_cpu (summed over threads),
        #: total (the whole call, wall-clock).
        self.times: dict = dict(raw.times, total=wall)
        #: nudge.dask: bytes each partition sent to the merge.
        self.partition_bytes: list = []
        #: [arbitration] mode = "optimise": the report (objective, greedy objective, prices, passes,
        #: dual bound; engine/optimise/optimise.h), as `nudge sweep --report` writes it; else None.
        self.optimise: Optional[dict] = None
        opt_json = getattr(raw, "optimise_json", None)
        if opt_json is not None:
            import json as _json
            self.optimise = _json.loads(opt_json)

    @_functools.cached_property
    def decisions(self) -> Any:
        """DataFrame, rank order: rank, customer_id, action, channel, message_type, priority, cost,
        budget_left, churn, trigger, brand (engine/decide/decision_writer.h)."""
        return _frames.decisions_frame(self._raw.arrays(), self._campaign._c.actions, self._campaign._c.channels)

    @_functools.cached_property
    def funnel(self) -> Any:
        """DataFrame, one row per action: members stopped at each gate (sweep.h ActionFunnel)."""
        return _frames.funnel_frame(self._raw.funnel(), self._campaign._c.actions)

    def __len__(self) -> int:
        return self._raw.ranked_count

    def __repr__(self) -> str:
        as_of = self.as_of.isoformat() if self.as_of else "?"
        return (f"<nudge.SweepResult {self._campaign.name!r}: {self.members:,} members as_of {as_of}, "
                f"{len(self):,} ranked of {self.decision_count:,} decisions, {self.times['total']:.3f} s>")


class Campaign:
    """A campaign (data/campaigns/README.md): actions, channels, consent, suppression, caps, basket."""

    __slots__ = ("_c", "toml", "source", "base_dir")

    def __init__(self, _c: Any, toml: str, source: str, base_dir: str) -> None:
        self._c, self.toml, self.source, self.base_dir = _c, toml, source, base_dir

    @classmethod
    def load(cls, path: PathLike) -> "Campaign":
        """Reads a campaign file (a relative model path is resolved against its folder)."""
        p = _os.fspath(path)
        c = _nudge._Campaign.load(p)
        with _builtins.open(p, encoding="utf-8") as f:
            text = f.read()
        return cls(c, text, p, _os.path.dirname(_os.path.abspath(p)))

    @classmethod
    def from_toml(cls, text: str, *, base_dir: PathLike = ".", source: str = "<campaign>") -> "Campaign":
        """A campaign from TOML text; `source` prefixes error positions, `base_dir` resolves the model path."""
        b = _os.path.abspath(_os.fspath(base_dir))
        return cls(_nudge._Campaign.parse(text, source, b), text, source, b)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, base_dir: PathLike = ".") -> "Campaign":
        """A campaign from a dict shaped like the TOML file ({"campaign": {...}, "action": [{...}], ...})."""
        return cls.from_toml(_toml.dumps(d), base_dir=base_dir, source="<dict>")

    @property
    def name(self) -> str:
        return self._c.name

    @property
    def actions(self) -> list:
        """Action names in file order (the action # of RS-1)."""
        return [a[0] for a in self._c.actions]

    @property
    def channels(self) -> list:
        return [c[0] for c in self._c.channels]

    @property
    def top_k(self) -> Optional[int]:
        return self._c.top_k

    @property
    def model_path(self) -> Optional[str]:
        return self._c.model_path

    def _population(self, pop: Any, as_of: Optional[DateLike]) -> Population:
        if not isinstance(pop, Population):
            import pandas as pd
            if isinstance(pop, pd.DataFrame):
                return Population.from_pandas(pop, as_of=as_of)
            raise UsageError(f"expected a nudge.Population or a pandas DataFrame, not {type(pop).__name__}")
        if as_of is not None and _days(as_of) != pop._p.as_of:
            return pop.with_as_of(as_of)
        return pop

    def sweep(self, pop: Union[Population, Any], *, as_of: Optional[DateLike] = None, threads: Optional[int] = None,
              top_k: Optional[int] = None, history: Any = None) -> SweepResult:
        """Every member through the campaign, as `nudge sweep` (same decisions, same funnel).
        as_of re-dates the population for this sweep (default: its own), and is the day the
        history is read at; threads: None = all hardware threads; top_k overrides the campaign's;
        history: a nudge.History or a history folder, as `nudge sweep --history` (basket, caps,
        suppression, consent, history aggregates and dialogues from it). The campaign's
        [arbitration] mode applies (optimise: `result.optimise` holds the report).
        Releases the GIL while it runs."""
        t0 = _time.perf_counter()
        p = self._population(pop, as_of)
        hist = "" if history is None else _os.fspath(getattr(history, "path", history))
        raw = self._c.sweep(p._p, _threads(threads), _top_k(top_k), hist)
        r = SweepResult(raw, self, p._p.as_of, _time.perf_counter() - t0)
        _warn(r.warnings)
        return r

    def explain(self, pop: Union[Population, Any], customer_id: int, *, as_of: Optional[DateLike] = None,
                threads: Optional[int] = None) -> str:
        """Why one member is (or is not) contacted: the text of `nudge explain`."""
        p = self._population(pop, as_of)
        cid = _integer(customer_id, "customer_id")
        if not 0 <= cid < 2 ** 64:
            raise UsageError(f"customer_id must be 0 to 2**64-1, not {customer_id}")
        return self._c.explain(p._p, cid, _threads(threads))

    def __reduce__(self) -> Any:  # pickled as its text (nudge.dask sends campaigns to workers)
        return (Campaign._restore, (self.toml, self.source, self.base_dir))

    @staticmethod
    def _restore(toml: str, source: str, base_dir: str) -> "Campaign":
        return Campaign(_nudge._Campaign.parse(toml, source, base_dir), toml, source, base_dir)

    def __repr__(self) -> str:
        return (f"<nudge.Campaign {self.name!r}: {len(self._c.actions)} actions, {len(self._c.channels)} channels, "
                f"top_k {self.top_k}>")


from ._history import History  # noqa: E402 (uses _days above)
