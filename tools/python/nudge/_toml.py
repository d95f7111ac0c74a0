"""A campaign given as a dict, written as the TOML text the campaign loader reads.

Only what campaign files use: tables, arrays of tables, strings, integers,
floats, booleans and arrays of those (data/campaigns/README.md).
"""
from __future__ import annotations

import json
import math
from typing import Any, Mapping

from ._errors import UsageError


def _key(k: str) -> str:
    if k and all(c.isalnum() or c in "_-" for c in k):
        return k
    return json.dumps(k)


def _value(v: Any, where: str) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # a TOML basic string is a JSON string
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x, where + '.' + k)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x, where) for x in v) + "]"
    raise UsageError(f"campaign dict: {where} has a value of type {type(v).__name__}, which TOML cannot hold")


def _is_table_array(v: Any) -> bool:
    return isinstance(v, (list, tuple)) and len(v) > 0 and all(isinstance(x, Mapping) for x in v)


def _table(path: list[str], t: Mapping[str, Any], out: list[str]) -> None:
    for k, v in t.items():
        if not isinstance(k, str):
            raise UsageError(f"campaign dict: key {k!r} is not a string")
        if not isinstance(v, Mapping) and not _is_table_array(v):
            out.append(f"{_key(k)} = {_value(v, '.'.join(path + [k]))}")
    for k, v in t.items():
        if isinstance(v, Mapping):
            out.append("")
            out.append("[" + ".".join(_key(p) for p in path + [k]) + "]")
            _table(path + [k], v, out)
        elif _is_table_array(v):
            for item in v:
                out.append("")
                out.append("[[" + ".".join(_key(p) for p in path + [k]) + "]]")
                _table(path + [k], item, out)


def dumps(d: Mapping[str, Any]) -> str:
    """TOML text of a nested dict (tables, arrays of tables, scalars, arrays)."""
    out: list[str] = []
    _table([], d, out)
    return "\n".join(out).lstrip("\n") + "\n"
