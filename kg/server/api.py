"""The query page's helpers: the named query library as metadata, name completion and parameter binding.

``/queries.json`` gives each named query's title, description and typed parameters as metadata and its
SPARQL *without* the header comment (``sparql``; ``example`` has the example or default parameters bound),
so that SPARQL clients that guess the query form from words in comments read it right.
The parameter inputs complete names with the explorer's ``/api/complete?q=cx&type=Target``
(:mod:`kg.server.completion`); ``/api/bind/<query>?target=CXCR4`` answers the named query's SPARQL
with the parameters bound as RDF terms (names resolved as on the command line); it asks the store
through the server's query workers (:class:`kg.server.executor.ExecutorStore`), so the time limit and
row cap hold.
"""

from __future__ import annotations

import json
from pathlib import Path

from kg.core.errors import KGError, QueryError
from kg.core.prefixes import PREFIXES
from kg.core.sparql import inject_bindings
from kg.query.library import NamedQuery
from kg.store.base import Store


def param_metadata(query: NamedQuery) -> list[dict]:
    """The typed parameters of a named query, as the page builds its inputs from them."""
    return [{"name": p.name, "kind": p.kind, "type": p.type, "classes": list(p.classes),
             "values": list(p.values), "required": p.required, "default": p.default, "example": p.example,
             "help": p.help, "describe": p.describe()} for p in query.params]


def library_document(store_path: Path) -> bytes:
    """The prefixes and the named queries as JSON: metadata, the SPARQL body, and the body with the
    example (required parameters) or default (optional ones) bound where this graph has it."""
    from kg.query.handle import KG
    from kg.store.oxigraph_backend import OxigraphStore

    entries = []
    with OxigraphStore.open(store_path) as store:
        graph = KG(store)
        for q in graph.queries():
            bound, unbound = {}, []
            for p in q.params:
                value = p.example if p.required else None if p.default == "any" else p.default
                try:
                    bound[p.name] = p.coerce(store, value) if value is not None else None
                except KGError:
                    bound[p.name] = None
                    unbound.append(p.name)
            entries.append({"name": q.name, "title": q.title, "description": q.description,
                            "lists": list(q.lists), "params": param_metadata(q), "sparql": q.body,
                            "example": inject_bindings(q.body, bound), "example_unbound": unbound})
    return json.dumps({"prefixes": PREFIXES, "queries": entries}, ensure_ascii=False, indent=1).encode()


def bind(store: Store, name: str, params: dict[str, list[str]]) -> bytes:
    """``/api/bind/<name>``: the named query's SPARQL body with the given parameters bound (an empty
    value means the default)."""
    from kg.query.handle import KG

    graph = KG(store)
    query = graph.named(name)
    given = {}
    for key, values in params.items():
        if len(values) != 1:
            raise QueryError(f"parameter {key} is given {len(values)} times")
        if values[0].strip():
            given[key] = values[0]
    bound = graph.bind(query, given)
    document = {"name": name, "sparql": inject_bindings(query.body, bound),
                "bound": {k: (str(v) if v is not None else None) for k, v in bound.items()}}
    return json.dumps(document, ensure_ascii=False).encode()
