"""The one inference the graph stores: the ``rdf:type`` superclass closure (RDFS rule rdfs9).

``kg build`` (and the rdflib backend, which parses the Turtle itself) add ``?x a ?super`` for every
``?x a ?class`` with ``?class rdfs:subClassOf+ ?super``, so that ``?t a nmo:Target`` finds molecular
targets and cell populations alike, as a SPARQL user expects. What a node was *curated* as is its most
specific class: :func:`most_specific` recovers it from the closed set of types.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.load(b'''@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .
... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... nmo:MolecularTarget rdfs:subClassOf nmo:Target .
... <https://w3id.org/nanomet-kg/id/target/cd44> a nmo:MolecularTarget .''', format=ox.RdfFormat.TURTLE)
>>> close_types(store)
>>> bool(store.query("ASK { ?t a <https://w3id.org/nanomet-kg/ontology#Target> }"))
True
>>> sorted(most_specific({"Target", "MolecularTarget"}, {"MolecularTarget": {"Target"}}))
['MolecularTarget']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

TYPE_CLOSURE = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { ?node a ?super } WHERE { ?node a ?class . ?class rdfs:subClassOf+ ?super . FILTER(isIRI(?super)) }
"""

SUPERCLASSES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class ?super WHERE { ?class rdfs:subClassOf+ ?super . FILTER(isIRI(?class) && isIRI(?super)) }
"""


class Updatable(Protocol):
    """A graph that runs SPARQL updates: a ``pyoxigraph.Store`` or an ``rdflib.Graph``."""

    def update(self, update: str, /) -> object: ...


def close_types(graph: Updatable) -> None:
    """Add the ``rdf:type`` superclass closure to ``graph`` (in place; idempotent)."""
    graph.update(TYPE_CLOSURE)


def most_specific(types: Iterable[str], superclasses: Mapping[str, Iterable[str]]) -> set[str]:
    """The types that are no superclass of another of ``types`` (``superclasses``: class → its
    superclasses, e.g. from :data:`SUPERCLASSES`; the direct ones suffice when ``types`` is closed)."""
    types = set(types)
    implied = {s for t in types for s in superclasses.get(t, ())}
    return types - implied
