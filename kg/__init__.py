"""nanomet-kg: a knowledge graph of cancer nanomedicine against metastasis.

The Python API is re-exported here; heavy modules load on first use:

- :func:`open` — open the graph (embedded store, rdflib, or a SPARQL endpoint) → :class:`KG`
- :class:`KG` — ``.query(name, **params)``, ``.sparql(text, **params)``, ``.queries()``, ``.resolve(name)``
  (:func:`kg.query.resolve.resolve` does the same on any :class:`kg.store.Store`)
- :class:`Result` — ``.rows``, ``.to_dataframe()``, iteration
"""

from __future__ import annotations

_LAZY = {"open": "kg.query.handle", "KG": "kg.query.handle", "Result": "kg.query.results"}

__all__ = ["KG", "Result", "open"]


def __getattr__(name: str):
    if name == "__version__":  # from the package metadata, read on first use
        from kg.core.version import version

        return version()
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
