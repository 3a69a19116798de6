"""The interface every backend implements. Terms are pyoxigraph terms whatever the backend.

A backend implements the three ``_select`` / ``_ask`` / ``_construct`` calls on final query text. The
public methods check the query first with :func:`kg.core.sparql.check_syntax` (so errors point into the
text the user wrote, and ``SERVICE`` is refused unless :attr:`Store.allow_service`) and bind the
parameters with :func:`kg.core.sparql.inject_bindings`, identically for every backend.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

import pyoxigraph as ox

from kg.core.prefixes import PREFIXES
from kg.core.sparql import BoundTerm, check_syntax, inject_bindings, with_limit

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term]
Bindings = Mapping[str, BoundTerm]


def solution_rows(solutions: ox.QuerySolutions) -> tuple[list[str], list[Row]]:
    """(variables, rows) of pyoxigraph query solutions; unbound variables are left out of a row."""
    names = [v.value for v in solutions.variables]
    # by position: reading a solution by variable name costs more than a small query itself
    rows = [{name: value for name, value in zip(names, solution, strict=True) if value is not None}
            for solution in solutions]
    return names, rows


Values = list[tuple[str | None, ...]]


class Store(ABC):
    """A read-only view of the knowledge graph that answers SPARQL (the project prefixes are predefined)."""

    name: str = "store"
    allow_service: bool = False  # whether queries may call other endpoints (SERVICE): only on request

    def _prepare(self, query: str, bindings: Bindings | None) -> str:
        check_syntax(query, PREFIXES, self.allow_service)
        return inject_bindings(query, bindings)

    def select(self, query: str, bindings: Bindings | None = None,
               limit: int | None = None) -> tuple[list[str], list[Row]]:
        """Run a SELECT query with variables pre-bound to RDF terms; return (variables, rows).

        Unbound variables are missing from a row's dict. A binding of ``None`` leaves a variable unbound.
        ``limit``: at most this many rows, asked of the engine as an outer ``LIMIT`` where that is safe
        (:func:`kg.core.sparql.with_limit`), so that it can stop early.
        """
        text = self._prepare(query, bindings)
        if limit is None:
            return self._select(text)
        variables, rows = self._select(with_limit(text, limit))
        return variables, rows[:limit]

    def select_values(self, query: str) -> tuple[list[str], Values]:
        """Run a SELECT query for bulk reading: (variables, rows), each row a tuple in the variables' order
        of plain values — an IRI, a literal's lexical form, a blank node's id; ``None`` where unbound.

        What the terms' kinds were is not kept: the query says what each column holds.
        """
        return self._select_values(self._prepare(query, None))

    def _select_values(self, query: str) -> tuple[list[str], Values]:
        """Bulk SELECT on final query text; backends with a faster way than :meth:`_select` override it."""
        names, rows = self._select(query)
        return names, [tuple(r[n].value if n in r else None for n in names) for r in rows]

    def bulk_reader(self) -> Store:
        """The store to run whole-graph queries on (the projection's): this one, unless the backend has a
        faster copy to offer (an on-disk Oxigraph store: its snapshot in memory)."""
        return self

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""
        return self._ask(self._prepare(query, bindings))

    def construct(self, query: str, bindings: Bindings | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""
        return self._construct(self._prepare(query, bindings))

    @abstractmethod
    def _select(self, query: str) -> tuple[list[str], list[Row]]:
        """SELECT on final query text."""

    @abstractmethod
    def _ask(self, query: str) -> bool:
        """ASK on final query text."""

    @abstractmethod
    def _construct(self, query: str) -> list[ox.Triple]:
        """CONSTRUCT or DESCRIBE on final query text."""

    def triples(self) -> list[ox.Triple]:
        """Every triple of the graph."""
        return self.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")

    def __len__(self) -> int:
        _, rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"].value)

    def close(self) -> None:  # noqa: B027 (optional hook: most backends hold nothing to release)
        """Release resources (files, connections)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
