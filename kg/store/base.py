"""The interface every backend implements. Terms are pyoxigraph terms whatever the backend."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term]


class Store(ABC):
    """A read-only view of the knowledge graph that answers SPARQL."""

    name: str = "store"

    @abstractmethod
    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> tuple[list[str], list[Row]]:
        """Run a SELECT query with variables pre-bound to RDF terms; return (variables, rows).

        Unbound variables are missing from a row's dict.
        """

    @abstractmethod
    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK query."""

    @abstractmethod
    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""

    def triples(self) -> list[ox.Triple]:
        """Every triple of the graph."""
        return self.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")

    def __len__(self) -> int:
        _, rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"].value)

    def close(self) -> None:
        """Release resources (files, connections)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
