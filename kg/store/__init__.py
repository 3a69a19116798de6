"""One store interface, several backends. ``open_store()`` picks one from its arguments."""

from __future__ import annotations

from pathlib import Path

from kg.core.errors import StoreError
from kg.store.base import Store

__all__ = ["BACKENDS", "Store", "open_store"]

BACKENDS = ("oxigraph", "rdflib", "remote")


def open_store(path: Path | str | None = None, backend: str | None = None, endpoint: str | None = None,
               sources=None, in_memory: bool | None = None, allow_service: bool = False) -> Store:
    """Open a read-only store (whose queries may call other endpoints with ``SERVICE`` only if
    ``allow_service``).

    - ``oxigraph`` (the default): the store built by ``kg build`` at ``path``
      (default: :func:`kg.core.locations.default_store`), loaded into memory if ``in_memory`` (by default when
      it is small: :meth:`kg.store.oxigraph_backend.OxigraphStore.open`);
    - ``rdflib``: an in-memory graph parsed from the Turtle of ``sources``
      (a :class:`kg.core.locations.Sources`, default: the shipped ontology and data);
    - ``remote``: the SPARQL endpoint at ``endpoint`` (giving an endpoint implies this backend).
    """
    store = _open(path, backend or ("remote" if endpoint else "oxigraph"), endpoint, sources, in_memory)
    store.allow_service = allow_service
    return store


def _open(path: Path | str | None, backend: str, endpoint: str | None, sources,
          in_memory: bool | None) -> Store:
    if backend == "oxigraph":
        from kg.core.locations import default_store
        from kg.store.oxigraph_backend import OxigraphStore

        return OxigraphStore.open(Path(path) if path else default_store(), in_memory)
    if backend == "rdflib":
        from kg.store.rdflib_backend import RdflibStore

        return RdflibStore.from_sources(sources)
    if backend == "remote":
        if not endpoint:
            raise StoreError("the remote backend needs an endpoint URL (--endpoint or NANOMET_KG_ENDPOINT)")
        from kg.store.remote import RemoteStore

        return RemoteStore(endpoint)
    raise StoreError(f"unknown backend {backend!r}; choose one of: {', '.join(BACKENDS)}")
