"""What the routes of ``kg serve`` share: the query workers, the store the pages read, the page
templates, the static files and results computed once per store (cached by its fingerprint)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from kg.core.errors import KGError
from kg.server.executor import Limits, QueryExecutor

T = TypeVar("T")
STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".txt": "text/plain; charset=utf-8",
                ".json": "application/json", ".md": "text/plain; charset=utf-8"}
# vis-network, served from the copy inside the pyvis package (no CDN; licence in static/LICENSES.md)
VIS_NETWORK = ("pyvis", "lib/vis-9.1.2/vis-network.min.js")
VIS_NETWORK_NAME = "vendor/vis-network.min.js"
SPARQL_THREADS = 64    # /sparql requests waiting for a query worker at once (threads)
RECENT = 64            # answers remembered per kind of page (e.g. the find page's filter sets)


def static_files() -> dict[str, tuple[str, bytes]]:
    """name → (content type, bytes) of the files shipped in ``kg/server/static``, and vis-network."""
    folder = resources.files("kg.server") / "static"
    files = {}
    for entry in folder.iterdir():
        suffix = Path(entry.name).suffix
        if suffix in STATIC_TYPES:
            files[entry.name] = (STATIC_TYPES[suffix], entry.read_bytes())
    try:
        files[VIS_NETWORK_NAME] = (STATIC_TYPES[".js"], resources.files(VIS_NETWORK[0]).joinpath(
            VIS_NETWORK[1]).read_bytes())
    except (FileNotFoundError, ModuleNotFoundError) as err:
        raise KGError(f"cannot read vis-network from the pyvis package ({err}); kg serve needs "
                      "pyvis 0.3.x: pip install 'pyvis>=0.3.2,<0.4'") from None
    return files


class Explorer:
    """The shared state of one server: built once at start, read by every request."""

    def __init__(self, store_path: Path, limits: Limits | None = None, in_memory: bool | None = None):
        import anyio
        import jinja2

        from kg.query.handle import KG
        from kg.server.api import library_document
        from kg.store.oxigraph_backend import OxigraphStore

        self.store_path = Path(store_path)
        self.store = OxigraphStore.open(self.store_path, in_memory)  # a clear error if there is none
        self.graph = KG(self.store)
        self.fingerprint = self.store.manifest().get("fingerprint", "")
        self.library = library_document(self.store_path)
        self.static = static_files()
        self.templates = jinja2.Environment(loader=jinja2.PackageLoader("kg.server", "templates"),
                                            autoescape=True, trim_blocks=True, lstrip_blocks=True)
        self.sparql_threads = anyio.CapacityLimiter(SPARQL_THREADS)
        self._cache: dict[tuple[str, str], Any] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._running: set[str] = set()
        self._recent: dict[str, OrderedDict] = {}
        self._failed: dict[str, Exception] = {}
        self._lock = threading.Lock()
        self.executor = QueryExecutor(self.store_path, limits, in_memory)

    def cached(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per store fingerprint (concurrent callers wait for the first)."""
        key = (self.fingerprint, name)
        if key in self._cache:
            return self._cache[key]
        with self._lock:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if key not in self._cache:
                self._cache[key] = compute()
        return self._cache[key]

    def recent(self, name: str, key: Hashable, compute: Callable[[], T], size: int = RECENT) -> T:
        """``compute()`` for ``key``, remembered for the ``size`` most recently asked keys of ``name``
        (the store does not change while it is served)."""
        with self._lock:
            table = self._recent.setdefault(name, OrderedDict())
            if key in table:
                table.move_to_end(key)
                return table[key]
        value = compute()
        with self._lock:
            table[key] = value
            while len(table) > size:
                table.popitem(last=False)
        return value

    def pending(self, name: str, compute: Callable[[], T]) -> T | None:
        """Like :meth:`cached`, but never waits: the value if it is ready, else None while ``compute()``
        runs in the background (started by the first caller). A failed computation raises here, once."""
        key = (self.fingerprint, name)
        if key in self._cache:
            return self._cache[key]
        with self._lock:
            if name in self._failed:
                raise self._failed.pop(name)
            if name in self._running:
                return None
            self._running.add(name)

        def run() -> None:
            try:
                self.cached(name, compute)
            except Exception as err:  # noqa: BLE001 (handed to the next caller)
                with self._lock:
                    self._failed[name] = err
            finally:
                with self._lock:
                    self._running.discard(name)

        threading.Thread(target=run, daemon=True, name=f"kg-{name}").start()
        return None

    def warm(self) -> threading.Thread:
        """Compute in the background what the first visitors would otherwise wait for: the class labels,
        the name index, the summary, the overviews and the unfiltered find page (minutes at a million
        triples)."""
        from kg.server import entity_routes, find_routes, overview_routes, page_routes

        def run() -> None:
            try:
                entity_routes.class_labels_of(self)
                page_routes.name_index(self)
                self.cached("summary", lambda: page_routes.summary(self))
                self.cached("overview", lambda: overview_routes.compute(self.store))
                find_routes.find_data(self, {}, False)  # the find page before any filter
            except Exception:  # noqa: BLE001 (a page that needs it computes it again and reports the error)
                pass

        thread = threading.Thread(target=run, daemon=True, name="kg-warm")
        thread.start()
        return thread

    def render(self, template: str, **context) -> str:
        """A page from ``kg/server/templates``."""
        from kg.core.version import version

        return self.templates.get_template(template).render(version=version(), **context)

    def close(self) -> None:
        self.executor.close()
        self.store.close()
