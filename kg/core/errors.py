"""Errors the user can act on. The CLI prints them without a traceback (unless ``--debug``) and exits
with their ``exit_code``: 1 other (a file, folder or port that cannot be used), 2 syntax, 3 validation,
4 store, 5 query.

User text quoted in a message goes through :func:`excerpt`, so that a huge value cannot flood the terminal:

>>> excerpt("CXCR5")
"'CXCR5'"
>>> excerpt("x" * 1000)
"'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (1000 characters)"
>>> excerpt("target", quote=False)
'target'
"""

from __future__ import annotations

import errno
from pathlib import Path

EXCERPT_UP_TO = 60  # characters of a user value quoted in a message


class KGError(Exception):
    """Base class: a problem with input, data or configuration, explained in its message."""

    exit_code = 1


class TurtleSyntaxError(KGError):
    """One or more Turtle files do not parse; the message names file, line and column."""

    exit_code = 2


class ValidationError(KGError):
    """SHACL violations or lint findings that make the data unfit to load."""

    exit_code = 3


class StoreError(KGError):
    """The store is missing, locked or unreadable, or cannot be written."""

    exit_code = 4


class QueryError(KGError):
    """A bad query, an unknown named query, or bad parameters."""

    exit_code = 5


class SparqlSyntaxError(QueryError):
    """A query that does not parse: a query error, but a syntax error for the exit code (2), like Turtle."""

    exit_code = 2


class QueryTimeout(QueryError):
    """A query that ran past its time limit and was stopped."""


def excerpt(value: object, limit: int = EXCERPT_UP_TO, quote: bool = True) -> str:
    """A user value for a message (its ``repr`` if ``quote``), cut after ``limit`` characters."""
    text = str(value)
    cut = len(text) > limit
    if cut:
        text = text[:limit] + "…"
    if quote:
        text = repr(text)
    return f"{text} ({len(str(value))} characters)" if cut else text


_HINTS = {errno.ENOSPC: "the disk is full", errno.ENOTDIR: "a file stands where a folder should be"}
_RUST_WORDS = {"No space left on device": errno.ENOSPC, "Read-only file system": errno.EROFS,
               "Permission denied": errno.EACCES}


def os_reason(err: OSError) -> str:
    """An OSError (from Python, or from the Rust store, which sets no errno) in words, with a hint.

    >>> os_reason(PermissionError(13, "Permission denied", "/etc/kg"))
    '/etc/kg: Permission denied'
    >>> os_reason(OSError("IO error: No space left on device: While appending to file: s/1.sst"))
    'No space left on device (the disk is full)'
    """
    code, text = err.errno, err.strerror or str(err)
    if code is None:  # "IO error: No space left on device: While appending to file: …/000010.sst: …"
        code, text = next(((c, words) for words, c in _RUST_WORDS.items() if words in text), (None, text))
    if code == errno.EEXIST and err.filename and not Path(err.filename).is_dir():
        code = errno.ENOTDIR  # mkdir where a file is
    hint = _HINTS.get(code) if code is not None else None
    if hint:
        text = f"{text} ({hint})"
    return f"{err.filename}: {text}" if err.filename else text
