"""Errors the user can act on. The CLI prints them without a traceback (unless ``--debug``)."""

from __future__ import annotations


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
    """The store is missing, locked or unreadable."""

    exit_code = 4


class QueryError(KGError):
    """A bad query, an unknown named query, or bad parameters."""

    exit_code = 5
