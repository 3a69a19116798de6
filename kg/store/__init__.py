"""One store interface, several backends. ``open_store()`` picks one from its arguments."""

from __future__ import annotations

from pathlib import Path

from kg.store.base import Store

__all__ = ["Store", "open_store"]


def open_store(path: Path | str | None = None) -> Store:
    """Open the built embedded store at ``path`` (default: :func:`kg.locations.default_store`) read-only."""
    from kg.locations import default_store
    from kg.store.oxigraph_backend import OxigraphStore

    return OxigraphStore.open(Path(path) if path else default_store())
