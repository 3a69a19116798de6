"""Parse the curated Turtle files, reporting every syntax error with file, line and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import TurtleSyntaxError


@dataclass
class ParsedFiles:
    """Triples of each parsed file, in file order."""

    triples: dict[Path, list[ox.Triple]] = field(default_factory=dict)

    def all_triples(self) -> list[ox.Triple]:
        return [t for ts in self.triples.values() for t in ts]

    def defined_in(self) -> dict[str, Path]:
        """IRI of each subject → the first file that states something about it."""
        where: dict[str, Path] = {}
        for path, ts in self.triples.items():
            for t in ts:
                if isinstance(t.subject, ox.NamedNode):
                    where.setdefault(t.subject.value, path)
        return where

    def __len__(self) -> int:
        return sum(len(ts) for ts in self.triples.values())


def _describe(path: Path, err: SyntaxError) -> str:
    line = f"line {err.lineno}, column {err.offset}" if err.lineno else "position unknown"
    message = str(err.msg if hasattr(err, "msg") else err)
    return f"{path}: {line}: {message}"


def parse_files(paths: list[Path]) -> ParsedFiles:
    """Parse Turtle files; raise :class:`TurtleSyntaxError` listing every file that fails."""
    parsed = ParsedFiles()
    problems: list[str] = []
    for path in paths:
        try:
            quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            parsed.triples[path] = [q.triple for q in quads]
        except SyntaxError as err:
            problems.append(_describe(path, err))
        except OSError as err:
            problems.append(f"{path}: cannot read: {err}")
    if problems:
        raise TurtleSyntaxError("Turtle syntax errors:\n  " + "\n  ".join(problems))
    return parsed


def to_rdflib(triples):
    """An rdflib Graph holding the given pyoxigraph triples (for SHACL and rdflib-based tools)."""
    import rdflib

    from kg.namespaces import bind_prefixes

    def term(t):
        if isinstance(t, ox.NamedNode):
            return rdflib.URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return rdflib.BNode(t.value)
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))

    graph = rdflib.Graph()
    bind_prefixes(graph)
    for t in triples:
        graph.add((term(t.subject), term(t.predicate), term(t.object)))
    return graph
