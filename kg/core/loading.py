"""Parse or load the curated Turtle files, reporting every syntax error with file, line and column."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import TurtleSyntaxError


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


def _each_file(paths: list[Path], read: Callable[[Path], None]) -> None:
    """Call ``read`` on every file; then raise :class:`TurtleSyntaxError` listing every file that failed."""
    problems: list[str] = []
    for path in paths:
        try:
            read(path)
        except SyntaxError as err:
            problems.append(_describe(path, err))
        except OSError as err:
            problems.append(f"{path}: cannot read: {err}")
    if problems:
        raise TurtleSyntaxError("Turtle syntax errors:\n  " + "\n  ".join(problems))


def parse_files(paths: list[Path]) -> ParsedFiles:
    """Parse Turtle files; raise :class:`TurtleSyntaxError` listing every file that fails."""
    parsed = ParsedFiles()

    def read(path: Path) -> None:
        parsed.triples[path] = [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]

    _each_file(paths, read)
    return parsed


class SubjectFiles(Mapping[str, Path]):
    """IRI of each subject → the first of ``paths`` that states something about it.

    The files are parsed on the first lookup: only a report of problems needs to name files, so a
    build that passes never pays for it.
    """

    def __init__(self, paths: list[Path]):
        self.paths = paths
        self._found: dict[str, Path] | None = None

    def _index(self) -> dict[str, Path]:
        if self._found is None:
            self._found = {}
            for path in self.paths:
                try:
                    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                        if isinstance(quad.subject, ox.NamedNode):
                            self._found.setdefault(quad.subject.value, path)
                except (SyntaxError, OSError):
                    continue
        return self._found

    def __getitem__(self, iri: str) -> Path:
        return self._index()[iri]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index())

    def __len__(self) -> int:
        return len(self._index())


@dataclass
class LoadedFiles:
    """Turtle files loaded into a store, and how many triples the store then held."""

    paths: list[Path]
    triples: int

    def __len__(self) -> int:
        return self.triples

    @cached_property
    def subject_files(self) -> SubjectFiles:
        return SubjectFiles(self.paths)

    def defined_in(self) -> SubjectFiles:
        """IRI of each subject → the first file that states something about it (parsed on first use)."""
        return self.subject_files


def load_files(store: ox.Store, paths: list[Path]) -> LoadedFiles:
    """Load Turtle files into ``store`` (one transaction per file, so blank node labels stay apart);
    raise :class:`TurtleSyntaxError` listing every file that fails.

    Oxigraph parses in Rust straight into the store: no Python object per triple (the cost of
    :func:`parse_files` at a million triples).
    """
    _each_file(paths, lambda path: store.load(path=str(path), format=ox.RdfFormat.TURTLE))
    return LoadedFiles(list(paths), len(store))


def to_rdflib(triples):
    """An rdflib Graph holding the given pyoxigraph triples (for SHACL and rdflib-based tools)."""
    import rdflib

    from kg.core.namespaces import bind_prefixes

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
