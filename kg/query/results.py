"""Query results for people and programs: rows with labels and IRIs, a DataFrame, SPARQL JSON.

>>> import pyoxigraph as ox
>>> cd44 = ox.NamedNode("https://w3id.org/nanomet-kg/id/target/cd44")
>>> n = ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
>>> result = Result(["target", "n"], [{"target": cd44, "n": n}], {cd44.value: "CD44"})
>>> result.rows
[{'target': 'CD44', 'target_iri': 'https://w3id.org/nanomet-kg/id/target/cd44', 'n': 3}]
>>> result.table()
(['target', 'n'], [['CD44', '3']])
>>> result.table(iris=True)
(['target', 'target_iri', 'n'], [['CD44', 'target:cd44', '3']])
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.core.errors import KGError
from kg.core.prefixes import compact

Term = ox.NamedNode | ox.BlankNode | ox.Literal
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                               "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedInt",
                               "unsignedLong")}
_FLOATS = {XSD + t for t in ("decimal", "double", "float")}
LIST_SEPARATOR = "; "
IRI_SUFFIX = "_iri"


def python_value(term: Term):
    """int, float, bool or str for a literal; the IRI string for an IRI; ``_:id`` for a blank node."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _FLOATS:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def term_json(term: Term) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def sparql_json(variables: Sequence[str], bindings: Sequence[Mapping[str, Term]]) -> dict:
    """A SELECT result as a SPARQL 1.1 JSON results document."""
    return {"head": {"vars": list(variables)},
            "results": {"bindings": [{k: term_json(v) for k, v in row.items()} for row in bindings]}}


def boolean_json(value: bool) -> dict:
    """An ASK result as a SPARQL 1.1 JSON results document."""
    return {"head": {}, "boolean": bool(value)}


def _list_item_key(item: str) -> tuple:
    return (0, int(item), "") if item.isdigit() else (1, 0, item.casefold())


def sort_list_cells(bindings: list[dict[str, Term]], columns: Sequence[str]) -> list[dict[str, Term]]:
    """Sort and de-duplicate the items of ``"; "``-separated list cells (GROUP_CONCAT order differs between
    engines); numbers sort as numbers. An empty list (GROUP_CONCAT of nothing) becomes unbound.

    >>> cell = {"refs": ox.Literal("12; 9; 12"), "targets": ox.Literal("")}
    >>> sorted_cell = sort_list_cells([cell], ["refs", "targets"])[0]
    >>> sorted_cell["refs"].value, "targets" in sorted_cell
    ('9; 12', False)
    """
    if not columns:
        return bindings
    out = []
    for row in bindings:
        row = dict(row)
        for column in columns:
            term = row.get(column)
            if isinstance(term, ox.Literal) and not term.value:
                del row[column]
            elif isinstance(term, ox.Literal) and LIST_SEPARATOR in term.value:
                items = LIST_SEPARATOR.join(sorted(set(term.value.split(LIST_SEPARATOR)), key=_list_item_key))
                row[column] = ox.Literal(items, datatype=term.datatype) if not term.language \
                    else ox.Literal(items, language=term.language)
        out.append(row)
    return out


@dataclass
class Result:
    """The rows of a SELECT query: ``variables``, raw ``bindings`` (pyoxigraph terms) and ``labels``
    (IRI → rdfs:label) for every IRI in them; ``more``: the query has further rows, left out by a limit."""

    variables: list[str]
    bindings: list[dict[str, Term]]
    labels: dict[str, str] = field(default_factory=dict)
    more: bool = False

    def __len__(self) -> int:
        return len(self.bindings)

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)

    def __getitem__(self, index: int) -> dict:
        return self.rows[index]

    def __repr__(self) -> str:
        return f"<Result {len(self)} rows: {', '.join(self.variables)}>"

    def label(self, term: Term) -> str:
        """What a person reads for a term: the label of an IRI (else its CURIE), a literal's text."""
        if isinstance(term, ox.NamedNode):
            return self.labels.get(term.value) or compact(term.value)
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return term.value

    def iri_columns(self) -> set[str]:
        return {k for row in self.bindings for k, v in row.items() if isinstance(v, ox.NamedNode)}

    def columns(self, iris: bool = True) -> list[str]:
        """Variables in order, each IRI-valued one followed by ``<name>_iri`` when ``iris``."""
        with_iri = self.iri_columns() if iris else set()
        out = []
        for v in self.variables:
            out.append(v)
            if v in with_iri:
                out.append(v + IRI_SUFFIX)
        return out

    @property
    def rows(self) -> list[dict]:
        """One dict per row: each variable's label or value, and ``<name>_iri`` for IRIs."""
        out = []
        for binding in self.bindings:
            row = {}
            for v in self.variables:
                term = binding.get(v)
                if term is None:
                    continue
                if isinstance(term, ox.NamedNode):
                    row[v] = self.label(term)
                    row[v + IRI_SUFFIX] = term.value
                else:
                    row[v] = python_value(term)
            out.append(row)
        return out

    def table(self, iris: bool = False, full_iris: bool = False) -> tuple[list[str], list[list[str]]]:
        """(columns, rows of strings) to show: labels, and IRIs on request (CURIEs unless ``full_iris``)."""
        columns = self.columns(iris)
        lines = []
        for binding in self.bindings:
            line = []
            for c in columns:
                if c.endswith(IRI_SUFFIX) and c not in self.variables:
                    term = binding.get(c[: -len(IRI_SUFFIX)])
                    if isinstance(term, ox.NamedNode):
                        line.append(term.value if full_iris else compact(term.value))
                    else:
                        line.append("")
                else:
                    term = binding.get(c)
                    line.append("" if term is None else self.label(term))
            lines.append(line)
        return columns, lines

    def head(self, limit: int | None) -> Result:
        """The first ``limit`` rows (all when ``limit`` is None)."""
        if limit is None or limit >= len(self):
            return self
        return Result(self.variables, self.bindings[:limit], self.labels, more=True)

    def to_sparql_json(self) -> str:
        """The result in the SPARQL 1.1 JSON results format."""
        return json.dumps(sparql_json(self.variables, self.bindings), ensure_ascii=False, indent=2)

    def to_dataframe(self, iris: bool = True):
        """A pandas DataFrame of :attr:`rows`; without the ``<name>_iri`` columns unless ``iris`` (pandas is
        optional: ``pip install pandas``)."""
        try:
            import pandas as pd  # type: ignore[import-untyped]
        except ImportError:
            raise KGError("Result.to_dataframe() needs pandas: pip install pandas "
                          "(or use Result.rows, a list of dicts)") from None
        return pd.DataFrame(self.rows, columns=self.columns(iris))
