"""numpy / pandas <-> nudge columns (Population.from_numpy, from_pandas, to_pandas).

Each input column becomes a tuple for _nudge.build_population:
(name, nudge type, values array, NULL mask or None, dictionary or None,
values per day (dates), NaN-is-NULL). The C++ side wraps the array without a
copy where it can, else converts it in one pass (tools/python/src/build.cc).
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

import numpy as np

from ._errors import InputError, UsageError

_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000,
            "ns": 86_400_000_000_000}


def _native(name: str, a: np.ndarray) -> np.ndarray:
    """A numeric array in a layout the engine reads: native byte order; float16 widened to float32
    (exact); long double narrowed to float64 only where every value survives the round trip."""
    if a.dtype.kind not in "biuf":
        return a
    if not a.dtype.isnative:
        a = a.astype(a.dtype.newbyteorder("="))
    if a.dtype.kind == "f" and a.dtype.itemsize == 2:
        return a.astype(np.float32)
    if a.dtype.kind == "f" and a.dtype.itemsize > 8:
        b = a.astype(np.float64)
        same = (b.astype(a.dtype) == a) | (np.isnan(a) & np.isnan(b))
        if not same.all():
            row = int(np.argmin(same))
            raise InputError(f"column '{name}' row {row}: {a[row]!r} does not fit float64 exactly "
                             f"(numpy dtype {a.dtype}); convert the column first")
        return b
    return a


def default_type(dtype: np.dtype) -> Optional[str]:
    """The nudge type a numpy dtype maps to (None: strings/objects, made categories)."""
    k, n = dtype.kind, dtype.itemsize
    if k == "b":
        return "bool"
    if k == "i":
        return "int32" if n <= 4 else "int64"
    if k == "u":
        return "int32" if n <= 2 else ("int64" if n == 4 else "uint64")
    if k == "f":
        return "float32" if n <= 4 else "float64"
    if k == "M":
        return "date"
    return None


def _dates(name: str, a: np.ndarray) -> tuple[np.ndarray, int]:
    unit, count = np.datetime_data(a.dtype)
    if unit not in _PER_DAY:  # weeks, months, years: whole days first (a copy)
        a = a.astype("datetime64[D]")
        unit, count = "D", 1
    per_day = _PER_DAY[unit]
    if per_day % count:
        raise UsageError(f"column '{name}': datetime unit {count}{unit} does not divide a day")
    return a.view(np.int64), per_day // count


def text(name: str, value: Any, what: str) -> str:
    """str(value), which must be encodable as UTF-8 (a lone surrogate such as '\\udcff' is not):
    InputError naming the column, not pybind11's bare RuntimeError at the C++ boundary."""
    t = str(value)
    try:
        t.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InputError(f"column '{name}': {what} {t!r} is not valid UTF-8 text ({e.reason}: "
                         f"{t[e.start:e.end]!r} at character {e.start})") from None
    return t


def dictionary(name: str, values: Any) -> list[str]:
    """A category column's dictionary as UTF-8 strings (text() on each value)."""
    return [text(name, v, "category value") for v in values]


def _categories(name: str, a: Any) -> tuple[np.ndarray, list[str]]:
    import pandas as pd
    codes, uniques = pd.factorize(a, use_na_sentinel=True)
    return codes, dictionary(name, uniques)


# pandas.api.types.infer_dtype kinds of an object column that have no nudge type.
_NO_TYPE = {"bytes": "bytes", "decimal": "Decimal", "complex": "complex", "timedelta": "timedelta",
            "timedelta64": "timedelta"}


def check_object_values(name: str, a: Any) -> None:
    """An object column made a category must hold text of one Python type: 1, "1", 1.0 and True
    would become the category '1' twice (or 1 and True one category, as 1 == True). InputError
    naming the column and the first row whose type differs from the first value's, or the first
    value of a kind nudge has no type for (bytes, Decimal, complex, timedelta). Strings, dates
    and other kinds of one type pass; NULLs (None, NaN, NA) are skipped."""
    from pandas.api import types as pt

    kind = pt.infer_dtype(a, skipna=True)
    if kind not in _NO_TYPE and not kind.startswith("mixed"):
        return
    values = a.to_numpy() if hasattr(a, "to_numpy") else np.asarray(a)
    import pandas as pd

    first_row, first = None, None
    for row, v in enumerate(values):
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
            continue
        if kind in _NO_TYPE:
            raise InputError(f"column '{name}' row {row}: {v!r} is of type {type(v).__name__}, which nudge has no "
                             "type for (bool, integer, float, date or text); convert the column first")
        if first is None:
            first_row, first = row, v
        elif type(v) is not type(first) and not (isinstance(v, str) and isinstance(first, str)):
            raise InputError(f"column '{name}' row {row}: {v!r} is of type {type(v).__name__}, row {first_row} "
                             f"holds {first!r} of type {type(first).__name__}: a text (category) column must hold "
                             "values of one type (convert it first, e.g. .astype(str))")
    raise InputError(f"column '{name}': values of mixed types ({kind}); convert the column first")


def _unsupported(name: str, dtype: Any) -> InputError:
    return InputError(f"column '{name}': numpy dtype {dtype} is not supported (bool, integer, float, "
                      f"datetime64 or text; convert it first, e.g. .real for complex values)")


def numpy_column(name: str, a: Any, type_: Optional[str], dictionary_: Optional[list], nan_is_null: bool) -> tuple:
    mask = None
    if isinstance(a, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(a)
        a = np.ma.getdata(a)
    a = np.asarray(a)
    if a.ndim != 1:
        raise UsageError(f"column '{name}': expected a 1-D array, got shape {a.shape}")
    a = _native(name, a)
    per_day = 1
    if a.dtype.kind == "M":
        a, per_day = _dates(name, a)
        type_ = type_ or "date"
    elif a.dtype.kind in "OUS" or type_ == "category" and dictionary_ is None:
        if a.dtype.kind == "O":
            check_object_values(name, a)
        if a.dtype.kind not in "OUS":
            a = a.astype(str)
        a, dictionary_ = _categories(name, a)
        type_ = "category"
    if type_ is None:
        type_ = default_type(a.dtype)
    if type_ is None or a.dtype.kind not in "biuf":
        raise _unsupported(name, a.dtype)
    if type_ == "category" and dictionary_ is None:
        raise UsageError(f"column '{name}': integer category codes need a dictionary")
    if dictionary_ is not None:
        dictionary_ = dictionary(name, dictionary_)
    return (name, type_, a, mask, dictionary_, per_day, bool(nan_is_null) and a.dtype.kind == "f")


def pandas_column(name: str, s: Any, type_: Optional[str], nan_is_null: bool) -> tuple:
    import pandas as pd
    from pandas.api import types as pt

    dt = s.dtype
    if isinstance(dt, pd.CategoricalDtype):
        cats = dictionary(name, s.cat.categories)
        return (name, "category", s.cat.codes.to_numpy(), None, cats, 1, False)
    arr = s.array
    if isinstance(arr, (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)):
        data, mask = _native(name, arr._data), arr._mask  # the masked array's own buffers (no copy when native)
        return (name, type_ or default_type(data.dtype), data, mask if mask.any() else None, None, 1, False)
    if pt.is_datetime64_any_dtype(dt):
        if getattr(dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        a, per_day = _dates(name, s.to_numpy())
        return (name, type_ or "date", a, None, None, per_day, False)
    if dt.kind in "biuf":
        return numpy_column(name, s.to_numpy(), type_, None, nan_is_null)
    if dt.kind in "mc":  # timedelta64, complex
        raise _unsupported(name, dt)
    # object / string columns: booleans with gaps, numbers, or text (categories) of one type
    inferred = pt.infer_dtype(s, skipna=True)
    if inferred == "boolean":
        mask = s.isna().to_numpy()
        return (name, type_ or "bool", s.where(~mask, False).to_numpy(dtype=bool), mask if mask.any() else None,
                None, 1, False)
    if inferred in ("integer", "floating", "mixed-integer-float"):
        mask = s.isna().to_numpy()
        vals = s.where(~mask, 0).to_numpy(dtype=np.float64 if inferred != "integer" else np.int64)
        return (name, type_ or default_type(vals.dtype), vals, mask if mask.any() else None, None, 1, False)
    check_object_values(name, s)
    codes, cats = _categories(name, s.to_numpy())
    return (name, "category", codes, None, cats, 1, False)


def to_pandas_column(p: Any, i: int) -> Any:
    """Column i of a _Population as a pandas Series value (one copy)."""
    import pandas as pd

    name, type_, nulls, categories = p.column_info(i)
    v = p.values(i)
    valid = p.validity(i)
    if type_ == "category":
        codes = np.array(v, dtype=np.int32)
        if valid is not None:
            codes[~valid] = -1
        return pd.Categorical.from_codes(codes, categories=categories)
    if type_ == "date":
        d = v.astype("datetime64[D]").astype("datetime64[ns]")
        if valid is not None:
            d[~valid] = np.datetime64("NaT")
        return d
    if valid is None:
        return np.array(v)
    if type_ == "bool":
        return pd.arrays.BooleanArray(np.array(v), ~valid)
    if type_ in ("float32", "float64"):
        return pd.arrays.FloatingArray(np.array(v), ~valid)
    return pd.arrays.IntegerArray(np.array(v), ~valid)


def decisions_frame(arrays: Mapping[str, np.ndarray], actions: list, channels: list) -> Any:
    """The CLI's decision columns (engine/decide/decision_writer.h) as a DataFrame."""
    import pandas as pd

    a = arrays["action"]

    def cat(values: list) -> Any:
        uniq = list(dict.fromkeys(v for v in values if v))
        code_of = {v: i for i, v in enumerate(uniq)}
        per_action = np.array([code_of.get(v, -1) for v in values], dtype=np.int32)
        return pd.Categorical.from_codes(per_action[a] if len(values) else a, categories=uniq)

    return pd.DataFrame({
        "rank": arrays["rank"],
        "customer_id": arrays["customer_id"],
        "action": cat([x[0] for x in actions]),
        "channel": cat([x[1] for x in actions]),
        "message_type": cat([x[2] for x in actions]),
        "priority": arrays["priority"],
        "cost": arrays["cost"],
        "budget_left": arrays["budget_left"],
        "churn": arrays["churn"],
        # The decision files' trigger column: cut at 200 characters (decision_writer.h trigger_column_text).
        "trigger": cat([x[7] for x in actions]),
        "brand": cat([x[4] for x in actions]),
        "control": arrays["control"],
    })


FUNNEL_COLUMNS = ["fired", "consent", "suppression", "frequency_cap", "priority", "budget", "member_max", "capacity",
                  "kept", "in_top_k"]


def funnel_frame(counts: np.ndarray, actions: list) -> Any:
    """Per action, the members stopped at each gate (sweep.h ActionFunnel), as the CLI's table."""
    import pandas as pd

    # The CLI's table columns, then `control` (of kept: held-out members' decisions, sweep.h).
    df = pd.DataFrame(counts.astype(np.int64), columns=FUNNEL_COLUMNS + ["control"])
    df.insert(0, "channel", [x[1] for x in actions])
    df.insert(0, "action", [x[0] for x in actions])
    return df
