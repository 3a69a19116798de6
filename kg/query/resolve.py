"""Names, not IRIs: find the entity a user means by a label, an alt label, a CURIE or an IRI.

Names compare with :func:`kg.core.names.normalize_name` (case-insensitive, Greek-tolerant: HIF-1α =
HIF-1alpha = HIF-1a). A label match wins over an alt-label match; two entities that still match are
ambiguous and listed; an unknown name gets close matches as suggestions.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pyoxigraph as ox

from kg.core.errors import QueryError, excerpt
from kg.core.names import normalize_name
from kg.core.prefixes import NMO, PREFIXES, compact, expand
from kg.store.base import Store

_CURIE = re.compile(r"^([A-Za-z][\w-]*):(\S*)$")

NAMES_QUERY = """
SELECT DISTINCT ?node ?name ?kind WHERE {
  ?node a/rdfs:subClassOf* ?class .
  { ?node rdfs:label ?name BIND("label" AS ?kind) } UNION { ?node skos:altLabel ?name BIND("alt" AS ?kind) }
  FILTER(isIRI(?node))
}"""

ALL_NAMES_QUERY = """
SELECT DISTINCT ?node ?name ?kind WHERE {
  { ?node rdfs:label ?name BIND("label" AS ?kind) } UNION { ?node skos:altLabel ?name BIND("alt" AS ?kind) }
  FILTER(isIRI(?node))
}"""

DESCRIBE_QUERY = """
SELECT ?node ?label ?type WHERE {
  ?node a ?type .
  FILTER NOT EXISTS { ?node a/rdfs:subClassOf ?type }
  OPTIONAL { ?node rdfs:label ?label }
}"""

IS_A_QUERY = "ASK { ?node a/rdfs:subClassOf* ?class }"
EXISTS_QUERY = "ASK { { ?node ?p ?o } UNION { ?s ?p ?node } }"


def class_iri(name: str) -> ox.NamedNode:
    """``Target`` → ``nmo:Target``; a CURIE or IRI is taken as it is."""
    if name.startswith(("http://", "https://")):
        return ox.NamedNode(name)
    if ":" in name:
        return ox.NamedNode(expand(name))
    return ox.NamedNode(NMO + name)


def _as_iri(name: str) -> str | None:
    """The IRI written as ``<iri>``, ``http(s)://…`` or a CURIE with a known prefix; else None."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    if name.startswith(("http://", "https://")):
        return name
    m = _CURIE.match(name)
    if m and m.group(1) in PREFIXES:
        return expand(name)
    return None


@dataclass(frozen=True)
class Candidate:
    node: str
    name: str
    kind: str  # "label" or "alt"


def _names(store: Store, classes: tuple[str, ...]) -> list[Candidate]:
    rows = []
    for cls in classes:
        rows += store.select(NAMES_QUERY, {"class": class_iri(cls)})[1]
    if not classes:
        _, rows = store.select(ALL_NAMES_QUERY)
    return [Candidate(r["node"].value, r["name"].value, r["kind"].value) for r in rows]


def _describe(store: Store, nodes: list[str]) -> list[str]:
    """``label (CURIE, class)`` for each node, sorted."""
    from kg.core.sparql import inject_values

    query = inject_values(DESCRIBE_QUERY, ["node"], [[ox.NamedNode(n)] for n in nodes])
    _, rows = store.select(query)
    seen: dict[str, tuple[str, list[str]]] = {}
    for r in rows:
        label, types = seen.setdefault(r["node"].value, (r["label"].value if "label" in r else "", []))
        types.append(compact(r["type"].value).removeprefix("nmo:"))
    return sorted(f"{label or compact(node)} ({compact(node)}, {'/'.join(sorted(set(types)))})"
                  for node, (label, types) in seen.items())


def _suggestions(name: str, candidates: list[Candidate], most: int = 5) -> list[str]:
    by_key: dict[str, str] = {}
    for c in sorted(candidates, key=lambda c: (c.kind != "label", c.name)):
        by_key.setdefault(normalize_name(c.name), c.name)
    key = normalize_name(name)
    close = difflib.get_close_matches(key, list(by_key), n=most, cutoff=0.6)
    containing = sorted((k for k in by_key if key and key in k and k not in close), key=len)
    return [by_key[k] for k in (close + containing)[:most]]


def _scope(classes: tuple[str, ...]) -> str:
    return f" among {' / '.join(classes)}" if classes else ""


def _check_iri(store: Store, iri: str, original: str, classes: tuple[str, ...]) -> ox.NamedNode:
    try:
        node = ox.NamedNode(iri)
    except ValueError as err:
        raise QueryError(f"{excerpt(original)} is not a valid IRI ({err})") from None
    if not store.ask(EXISTS_QUERY, {"node": node}):
        raise QueryError(f"no entity {excerpt(original, quote=False)} in the graph")
    if classes and not any(store.ask(IS_A_QUERY, {"node": node, "class": class_iri(c)}) for c in classes):
        raise QueryError(f"{excerpt(original, quote=False)} is not of class {' or '.join(classes)}")
    return node


class NameIndex:
    """The names of the entities of ``classes`` (nmo local names such as ``"Target"``, subclasses
    included; every entity if none), read with one query on the first lookup, to resolve many names:
    ``kg curate import`` resolves every cell of a table against a few of these."""

    def __init__(self, store: Store, classes: tuple[str, ...] = ()):
        self.store = store
        self.classes = tuple(classes)
        self._candidates: list[Candidate] | None = None
        self._by_key: dict[str, list[Candidate]] = {}

    def _load(self) -> tuple[list[Candidate], dict[str, list[Candidate]]]:
        """The candidates, and the same by normalised name (read on first use)."""
        if self._candidates is None:
            self._candidates = _names(self.store, self.classes)
            for c in self._candidates:
                self._by_key.setdefault(normalize_name(c.name), []).append(c)
        return self._candidates, self._by_key

    @property
    def candidates(self) -> list[Candidate]:
        return self._load()[0]

    def lookup(self, name: str) -> set[str]:
        """IRIs of the entities a name (not a CURIE) matches: by label if any, else by alt label."""
        matches = self._load()[1].get(normalize_name(name), [])
        by_label = {c.node for c in matches if c.kind == "label"}
        return by_label or {c.node for c in matches}

    def resolve(self, name: str) -> ox.NamedNode:
        """The one entity called ``name`` (label, alt label, CURIE or IRI); see :func:`resolve`."""
        name = name.strip()
        if not name:
            raise QueryError("an empty name names no entity")
        iri = _as_iri(name)
        if iri is not None:
            return _check_iri(self.store, iri, name, self.classes)
        nodes = self.lookup(name)
        if len(nodes) == 1:
            return ox.NamedNode(nodes.pop())
        scope = _scope(self.classes)
        if nodes:
            listed = "\n  ".join(_describe(self.store, sorted(nodes)))
            raise QueryError(f"{excerpt(name)} is ambiguous{scope}: it names {len(nodes)} entities:\n"
                             f"  {listed}\n"
                             "give the CURIE (e.g. target:cxcr4) to pick one")
        suggestions = _suggestions(name, self.candidates)
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        raise QueryError(f"no entity called {excerpt(name)}{scope}{hint}")


def resolve(store: Store, name: str, classes: tuple[str, ...] = ()) -> ox.NamedNode:
    """The one entity called ``name`` (label, alt label, CURIE or IRI), optionally among ``classes``
    (nmo local names such as ``"Target"``; subclasses included).

    Raises :class:`QueryError` for an unknown name ("no entity called …; did you mean …") and for an
    ambiguous one (listing the candidates).
    """
    return NameIndex(store, tuple(classes)).resolve(name)
