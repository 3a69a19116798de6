"""Summary of a store: triples, nodes per class, studies per source."""

from __future__ import annotations

from dataclasses import dataclass

from kg.core.prefixes import NMO, compact
from kg.store.base import Store

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?node) AS ?n) WHERE {
  ?node a/rdfs:subClassOf* ?class .
  FILTER(STRSTARTS(STR(?class), STR(nmo:)))
} GROUP BY ?class ORDER BY DESC(?n) ?class
"""

STUDIES_PER_SOURCE = """
SELECT ?source (COUNT(DISTINCT ?study) AS ?studies) (COUNT(DISTINCT ?form) AS ?formulations) WHERE {
  ?study a nmo:Study ; nmo:sourceDocument ?src ; nmo:evaluates ?form .
  ?src nmo:shortName ?source .
} GROUP BY ?source ORDER BY ?source
"""


@dataclass
class Summary:
    """Counts of a store (the CLI prints them with ``kg stats`` and after ``kg build``)."""

    triples: int
    classes: list[tuple[str, int]]
    sources: list[tuple[str, int, int]]


def summarize(store: Store) -> Summary:
    """Triples, nodes per ``nmo:`` class (subclasses included) and studies / formulations per source."""
    _, classes = store.select(CLASS_COUNTS)
    _, sources = store.select(STUDIES_PER_SOURCE)
    return Summary(
        triples=len(store),
        classes=[(compact(r["class"].value).removeprefix("nmo:"), int(r["n"].value)) for r in classes
                 if r["class"].value.startswith(NMO)],
        sources=[(r["source"].value, int(r["studies"].value), int(r["formulations"].value)) for r in sources],
    )
