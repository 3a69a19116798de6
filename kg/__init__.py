"""nanomet-kg: a knowledge graph of cancer nanomedicine against metastasis.

The Python API is re-exported here; heavy modules load on first use:

- :func:`open` — open the graph (embedded store, rdflib, or a SPARQL endpoint) → :class:`KG`;
  ``build_missing=True`` builds the embedded store first when there is none yet
- :class:`KG` — ``.query(name, **params)``, ``.sparql(text, **params)``, ``.queries()``, ``.resolve(name)``,
  ``.projection(collapse_studies)`` (the NetworkX graph); the analyses (:mod:`kg.analysis`) and views
  (:func:`kg.views.build_view`) take the KG itself (:func:`kg.query.resolve.resolve` works on any
  :class:`kg.store.Store`)
- :class:`Result` — ``.rows``, ``.to_dataframe()``, iteration
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.core.locations import Sources
    from kg.query.handle import KG

_LAZY = {"KG": "kg.query.handle", "Result": "kg.query.results"}

__all__ = ["KG", "Result", "open"]


def open(store: Path | str | None = None, backend: str | None = None, endpoint: str | None = None,
         sources: Sources | None = None, in_memory: bool | None = None, *, build_missing: bool = False,
         allow_service: bool = False) -> KG:
    """Open the knowledge graph → :class:`KG` (the backends and arguments: :func:`kg.query.handle.open`).

    ``build_missing=True`` is for notebooks and scripts on a fresh clone: when the embedded store's
    folder (``store``, default ``$NANOMET_KG_STORE`` or ``./.nanomet-kg/store``) does not exist, the store
    is first built there from ``sources`` (default: the shipped ontology and data; offline, seconds for
    the curated graph), exactly as ``kg build`` does. An existing folder is never touched, and the rdflib
    and remote backends build nothing.
    """
    from kg.query.handle import open as open_handle

    if build_missing and (backend == "oxigraph" or (backend is None and not endpoint)):
        from kg.core.locations import default_store

        path = Path(store) if store else default_store()
        if not path.exists():
            from kg.build.pipeline import build

            build(path, sources)
    return open_handle(store, backend, endpoint, sources, in_memory, allow_service=allow_service)


def __getattr__(name: str):
    if name == "__version__":  # from the package metadata, read on first use
        from kg.core.version import version

        return version()
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
