"""The installed version of nanomet-kg, read from the package metadata (``pyproject.toml`` is the one place
it is written).

>>> version() == __import__("importlib.metadata").metadata.version("nanomet-kg")
True
"""

from __future__ import annotations

from functools import cache

DISTRIBUTION = "nanomet-kg"


@cache
def version() -> str:
    """The version of the installed distribution; ``0+unknown`` when running from a tree never installed."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"
