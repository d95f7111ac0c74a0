"""A campaign given as a dict, written as the TOML text the campaign loader reads.

Only what campaign files use: tables, arrays of tables, strings, integers,
floats, booleans and arrays of those (data/campaigns/README.md).
"""
from __future__ import annotations

import math
import re
from typing import Any, Mapping

from ._errors import UsageError


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _string(s: str, where: str) -> str:
    """A TOML basic string: every character as itself (UTF-8; an emoji stays one character, not
    JSON's \\ud83d\\ude80 surrogate pair, which TOML forbids) except `"`, `\\` and the control
    characters U+0000-U+001F and U+007F, escaped (\\b \\t \\n \\f \\r or \\uXXXX)."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"campaign dict: {where}: {s!r} is not valid UTF-8 text (a lone surrogate)") from None
    out = []
    for c in s:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif c < " " or c == "\x7f":
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _key(k: str, where: str = "key") -> str:
    """A bare key when TOML allows one (A-Z a-z 0-9 _ -), else a quoted key ("é", "my key")."""
    if _BARE_KEY.fullmatch(k):
        return k
    return _string(k, where)


def _value(v: Any, where: str) -> str:
    if type(v).__module__ == "numpy" and getattr(v, "ndim", None) == 0 and hasattr(v, "item"):
        v = v.item()  # a numpy scalar (np.int64(10), np.float32(2.5), np.bool_(True)) as the Python value it holds
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
        return _string(v, where)
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
