"""What an import resolves against: the graph (in memory, growing with the terms a table declares),
its names (the query layer's resolver, one index per column's classes) and the problems found so far."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.core.errors import QueryError
from kg.core.prefixes import ID, PREFIXES, compact, expand
from kg.curate.columns import DOI_PATTERN, LINES_PATTERN, NO, YES, Column, marked
from kg.curate.tables import Problems, Row
from kg.curate.turtle import Block, Object, integer, iri
from kg.query.resolve import NameIndex
from kg.store.oxigraph_backend import OxigraphStore

LABEL = iri("rdfs:label")
SOURCE_QUERY = "SELECT ?s ?doi WHERE { ?s a nmo:SourceDocument ; nmo:doi ?doi }"


@dataclass
class Context:
    graph: ox.Store
    problems: Problems = field(default_factory=Problems)
    _indexes: dict[tuple[str, ...], NameIndex] = field(default_factory=dict)
    _resolved: dict[tuple[str, tuple[str, ...]], ox.NamedNode | str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.store = OxigraphStore(self.graph)
        self._dois: dict[str, ox.NamedNode] | None = None

    # ---------------------------------------------------------------- the graph

    def exists(self, node: ox.NamedNode) -> bool:
        return next(self.graph.quads_for_pattern(node, None, None), None) is not None

    def dois(self) -> dict[str, ox.NamedNode]:
        """Source documents by DOI (lower case)."""
        if self._dois is None:
            self._dois = {r["doi"].value.lower(): ox.NamedNode(r["s"].value)
                          for r in self.store.select(SOURCE_QUERY)[1] if "doi" in r}
        return self._dois

    def label(self, node: ox.NamedNode) -> str:
        found = next(self.graph.quads_for_pattern(node, LABEL, None), None)
        return str(found.object.value) if found else compact(node.value)  # type: ignore[union-attr]

    def declare(self, node: ox.NamedNode, classes: list[ox.NamedNode], label: str, alt: list[str]) -> None:
        """Add a new entity's types and names to the graph, so that later cells resolve to it."""
        self.learn(Block(node, [("rdf:type", list(classes)), ("rdfs:label", [ox.Literal(label)]),
                                ("skos:altLabel", [ox.Literal(a) for a in alt])]))

    def learn(self, block: Block) -> None:
        """Add a block's statements to the graph (and forget what was resolved before)."""
        self.graph.extend(ox.Quad(s, p, o) for s, p, o in block.triples() if s is not None)
        self._indexes.clear()
        self._resolved.clear()
        self._dois = None

    # ---------------------------------------------------------------- names

    def index(self, classes: tuple[str, ...]) -> NameIndex:
        if classes not in self._indexes:
            self._indexes[classes] = NameIndex(self.store, classes)
        return self._indexes[classes]

    def resolve(self, name: str, classes: tuple[str, ...]) -> ox.NamedNode | str:
        """The entity called ``name`` among ``classes``, or the resolver's message why not (memoised)."""
        key = (name, classes)
        if key not in self._resolved:
            try:
                self._resolved[key] = self.index(classes).resolve(name)
            except QueryError as err:
                self._resolved[key] = str(err)
        return self._resolved[key]

    def entities(self, row: Row, column: Column, classes: tuple[str, ...] | None = None,
                 marks: dict[str, str] | None = None) -> list[ox.NamedNode]:
        """The entities named in a cell; a problem for each name that does not resolve. Values marked
        ``[inferred: …]`` are allowed where ``marks`` is given, which receives them (IRI → what from)."""
        found = []
        for value in row.values(column.name):
            name, why = marked(value)
            if why and marks is None:
                self.problems.add(row, column.name, "an [inferred: …] mark belongs in the studies sheet")
            node = self.resolve(name, classes or column.classes)
            if why and marks is not None and isinstance(node, ox.NamedNode):
                marks[node.value] = why
            if isinstance(node, str):
                self.problems.add(row, column.name, node)
            elif node not in found:
                found.append(node)
        return found

    def source(self, row: Row, column: str = "source") -> ox.NamedNode | None:
        """The source document of a row: by short name, CURIE or DOI."""
        text = row.text(column)
        if not text:
            self.problems.add(row, column, "missing provenance: give the source (an id such as CMR2022, "
                                           "or the DOI of a document of the sources sheet)")
            return None
        if DOI_PATTERN.match(text.removeprefix("https://doi.org/")):
            doi = text.removeprefix("https://doi.org/").lower()
            if doi in self.dois():
                return self.dois()[doi]
            self.problems.add(row, column, f"no source with DOI {doi}: declare it in a sources sheet")
            return None
        node = self.resolve(text, ("SourceDocument",))
        if isinstance(node, str):
            self.problems.add(row, column, f"{node} (a new document goes in a sources sheet)")
            return None
        return node

    # ---------------------------------------------------------------- literal cells

    def flag(self, row: Row, column: str) -> bool | None:
        text = row.text(column).lower()
        if text in YES:
            return True
        if text in NO:
            return None if not text else False
        self.problems.add(row, column, f"{row.text(column)!r} is not yes or no")
        return None

    def references(self, row: Row) -> list[Object]:
        numbers: list[int] = []
        for value in row.values("references"):
            if not value.strip("[]").isdigit():
                self.problems.add(row, "references", f"{value!r} is not a reference number")
            elif int(value.strip("[]")) not in numbers:
                numbers.append(int(value.strip("[]")))
        return [integer(n) for n in numbers]

    def place(self, row: Row) -> tuple[str, str] | None:
        """(section, lines) of a row; a problem when both are missing or the lines are malformed."""
        section, lines = row.text("section"), row.text("lines")
        if lines and not LINES_PATTERN.match(lines):
            self.problems.add(row, "lines", f"{lines!r} is not a line range like 601 or 601-605")
        if not section and not lines:
            self.problems.add(row, "section", "missing provenance: give the section (or table) or the lines "
                                              "of the source")
            return None
        return section, lines

    def new_iri(self, row: Row, column: str, curie: str, family: str) -> ox.NamedNode | None:
        """The IRI a row gives for a new entity of ``family`` (a CURIE of that family's namespace)."""
        full = expand(curie) if not curie.startswith(("http://", "https://")) else curie
        namespace = PREFIXES["form" if family == "formulation" else family]
        local = full[len(namespace):]
        if not full.startswith(namespace) or not local or not full.startswith(ID):
            self.problems.add(row, column, f"{curie!r} is not a CURIE of the {family} family "
                                           f"({compact(namespace)}…)")
            return None
        return ox.NamedNode(full)
