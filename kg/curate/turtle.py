"""Deterministic, readable Turtle for curated blocks: one block per subject (or anonymous statement),
predicates in the order given, the project prefixes that are used, CURIEs where the local name allows.

>>> block = Block(ox.NamedNode(expand("form:x")), [("rdf:type", [ox.NamedNode(expand("nmo:Formulation"))]),
...               ("rdfs:label", [ox.Literal('x "1"')]), ("nmo:citedReference", [integer(3), integer(4)])])
>>> print(render_blocks([block]))
form:x a nmo:Formulation ;
    rdfs:label "x \\"1\\"" ;
    nmo:citedReference 3, 4 .
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from kg.core.prefixes import PREFIXES, expand

XSD = PREFIXES["xsd"]
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_PREFIX_OF = {ns: p for p, ns in PREFIXES.items()}

Object = ox.NamedNode | ox.Literal


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def boolean(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))


@lru_cache(maxsize=4096)
def iri(curie: str) -> ox.NamedNode:
    return ox.NamedNode(expand(curie))


@dataclass
class Block:
    """Statements about one subject (``None``: an anonymous node, written ``[]``), predicates as CURIEs."""

    subject: ox.NamedNode | None
    pairs: list[tuple[str, list[Object]]] = field(default_factory=list)
    comment: str = ""

    def add(self, predicate: str, values: Sequence[Object]) -> None:
        if values:
            self.pairs.append((predicate, list(values)))

    def triples(self) -> Iterator[tuple[ox.NamedNode | None, ox.NamedNode, Object]]:
        for predicate, values in self.pairs:
            for value in values:
                yield self.subject, iri(predicate), value


@lru_cache(maxsize=65536)
def _named(text: str) -> tuple[str, str]:
    """(prefix, CURIE) of an IRI, or ("", "<IRI>") when no prefix fits."""
    cut = max(text.rfind("/"), text.rfind("#")) + 1  # every namespace ends in / or #
    prefix = _PREFIX_OF.get(text[:cut])
    if prefix is not None and _LOCAL.match(text[cut:]):
        return prefix, f"{prefix}:{text[cut:]}"
    return "", f"<{text}>"


def term(value: Object | ox.NamedNode, used: set[str]) -> str:
    """A term in Turtle: a CURIE (its prefix noted in ``used``), an ``<IRI>``, or a literal."""
    if isinstance(value, ox.NamedNode):
        prefix, written = _named(value.value)
        if prefix:
            used.add(prefix)
        return written
    datatype = value.datatype.value
    if datatype == XSD + "integer" and re.fullmatch(r"-?[0-9]+", value.value):
        return value.value
    if datatype == XSD + "boolean" and value.value in ("true", "false"):
        return value.value
    return str(ox.Literal(value.value))  # an xsd:string, escaped as N-Triples escapes it


def _render(block: Block, used: set[str]) -> str:
    lines = [f"# {line}" for line in block.comment.splitlines()]
    pairs = []
    for predicate, values in block.pairs:
        verb = "a" if predicate == "rdf:type" else term(iri(predicate), used)
        pairs.append(f"{verb} {', '.join(term(v, used) for v in values)}")
    head = "[]" if block.subject is None else term(block.subject, used)
    lines.append(f"{head} " + " ;\n    ".join(pairs) + " .")
    return "\n".join(lines) + "\n"


def render_blocks(blocks: list[Block], used: set[str] | None = None) -> str:
    """The blocks as Turtle statements, a blank line between them (no prefixes)."""
    used = set() if used is None else used
    return "\n".join(_render(b, used) for b in blocks if b.pairs)


def render_file(header: str, blocks: list[Block]) -> str:
    """A Turtle file: ``header`` as comment lines, the prefixes the blocks use (in the project's order),
    then the blocks."""
    used: set[str] = set()
    body = render_blocks(blocks, used)
    prefixes = [f"@prefix {p + ':':<10} <{ns}> ." for p, ns in PREFIXES.items() if p in used]
    comment = "\n".join(f"# {line}" if line else "#" for line in header.splitlines())
    return f"{comment}\n\n" + "\n".join(prefixes) + "\n\n" + body
