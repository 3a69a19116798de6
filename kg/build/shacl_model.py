"""The SHACL shapes graph as the compiler reads it: namespaces, the compiled :class:`Check` and the
:class:`Constraint` it reports, and how terms are written in SPARQL and for people."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.core.prefixes import compact

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"


class UnsupportedShape(Exception):
    """A shape uses SHACL this compiler does not translate; validate with pyshacl instead."""


@dataclass(frozen=True)
class Constraint:
    """What a violation reports: the SHACL component, the shape's path, message and severity."""

    component: str
    path: str = ""
    message: str = ""
    severity: str = "sh:Violation"
    shape: str = ""


@dataclass(frozen=True)
class Check:
    """A compiled query over the store, of one of three kinds:

    - ``values``: constraints on value nodes; rows of ``?this``, ``?value`` and ``?k``, the index of the
      violated constraint;
    - ``flags``: constraints on the focus node; rows of ``?this`` and one boolean ``?c<i>`` per constraint,
      true where it is violated;
    - ``sparql``: a SPARQL-based constraint; ``focus_query`` selects the focus nodes, bound into ``query`` as
      ``$this``, and its rows are the violations.
    """

    query: str
    constraints: tuple[Constraint, ...]
    kind: str = "values"
    focus_query: str = ""


class ShapesGraph:
    """The shapes graph as subject → predicate → objects."""

    def __init__(self, triples: Iterable):
        self.out: dict[ox.NamedNode | ox.BlankNode, dict[str, list]] = {}
        for t in triples:
            t = getattr(t, "triple", t)
            self.out.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)

    def values(self, node, predicate: str) -> list:
        return self.out.get(node, {}).get(predicate, [])

    def value(self, node, predicate: str):
        found = self.values(node, predicate)
        return found[0] if found else None

    def items(self, head) -> list:
        """Members of an RDF list."""
        found = []
        while head is not None and head != ox.NamedNode(RDF + "nil"):
            found.append(self.value(head, RDF + "first"))
            head = self.value(head, RDF + "rest")
        return found


def sparql_term(term) -> str:
    """A constant in SPARQL syntax (the N-Triples form is valid SPARQL)."""
    if isinstance(term, ox.BlankNode):
        raise UnsupportedShape(f"a blank node ({term}) as a constraint value")
    return str(term)


def shape_name(term) -> str:
    return compact(term.value) if isinstance(term, ox.NamedNode) else str(term)


def term_text(term) -> str:
    """A result term for people: CURIE, literal value or ``_:`` blank node."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return term.value if isinstance(term, ox.Literal) else f"_:{term.value}"
