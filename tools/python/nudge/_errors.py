"""nudge's exceptions: one class per kind of nudge::Error (engine/base/error.h).

The message is the CLI's (what ``nudge`` prints after ``nudge: error:``). When
it starts with ``file:line:col:`` (campaign files, expressions, CSV), those
are also in ``.file``, ``.line`` and ``.column``.
"""
from __future__ import annotations

import re

_LOCATION = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+):(?P<column>\d+): ")


class Error(Exception):
    """Base class of every error nudge raises."""

    exit_code = 3  # the CLI's exit code for this kind

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message
        m = _LOCATION.match(message)
        self.file = m.group("file") if m else None
        self.line = int(m.group("line")) if m else None
        self.column = int(m.group("column")) if m else None


class InputError(Error, ValueError):
    """A file, expression, model, campaign or array given to nudge is malformed (CLI exit code 1)."""

    exit_code = 1


class IoError(Error, OSError):
    """The operating system refused: open, read, write, rename, mmap (CLI exit code 1)."""

    exit_code = 1


class UsageError(Error, ValueError):
    """An argument is out of its domain (CLI exit code 2)."""

    exit_code = 2


class InternalError(Error, RuntimeError):
    """An engine invariant broke: a bug in nudge, never the caller's fault (CLI exit code 3)."""

    exit_code = 3
