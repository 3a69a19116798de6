"""The answer of ``kg find``: a :class:`kg.query.results.Result` whose cells may hold lists of entities.

A cell is an :class:`Item` (an entity: label, IRI, and notes such as *how* a target is reached), a list of
items, a number or a text. People read labels (a list as ``a; b``); programs get labels *and* IRIs:
:attr:`FindResult.rows` gives ``<column>_iri`` (a list for a list column) and :meth:`FindResult.to_json`
gives every entity as ``{"label": …, "iri": …}``.

>>> cd44 = Item("CD44", "https://w3id.org/nanomet-kg/id/target/cd44", ("designed to target it",))
>>> result = FindResult.from_records(["formulation", "targets", "studies"],
...     [{"formulation": Item("AuNC@CBSA@HA", "https://w3id.org/nanomet-kg/id/formulation/aunc-cbsa-ha"),
...       "targets": [cd44], "studies": 1}])
>>> result.table()
(['formulation', 'targets', 'studies'], [['AuNC@CBSA@HA', 'CD44 (designed to target it)', '1']])
>>> result.table(iris=True)[0]
['formulation', 'formulation_iri', 'targets', 'targets_iri', 'studies']
>>> result.rows[0]["targets"], result.rows[0]["targets_how"]
(['CD44'], ['designed to target it'])
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from kg.core.errors import QueryError
from kg.core.prefixes import compact
from kg.query.results import IRI_SUFFIX, LIST_SEPARATOR, XSD, Result

# what the notes of an item say, by column (``<column>_<key>`` in rows, ``key`` in JSON)
NOTE_KEYS = {"targets": "how", "trials": "phase", "formulation": "kind", "value": "kind"}


@dataclass(frozen=True)
class Item:
    """An entity in a cell: its label, its IRI (None for a plain value) and notes."""

    label: str
    iri: str | None = None
    notes: tuple[str, ...] = ()

    def text(self) -> str:
        return f"{self.label} ({'; '.join(self.notes)})" if self.notes else self.label

    def to_json(self, note_key: str = "note") -> dict:
        out: dict = {"label": self.label}
        if self.iri:
            out["iri"] = self.iri
        if self.notes:
            out[note_key] = list(self.notes)
        return out


Cell = Item | list[Item] | int | str | bool | None


def _term(cell: Cell) -> ox.NamedNode | ox.Literal | None:
    """The RDF term a cell stands for in :attr:`Result.bindings` (a list as its joined text)."""
    if cell is None or cell == []:
        return None
    if isinstance(cell, Item):
        return ox.NamedNode(cell.iri) if cell.iri else ox.Literal(cell.text())
    if isinstance(cell, list):
        return ox.Literal(LIST_SEPARATOR.join(item.text() for item in cell))
    if isinstance(cell, bool):
        return ox.Literal(str(cell).lower(), datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(cell, int):
        return ox.Literal(str(cell), datatype=ox.NamedNode(XSD + "integer"))
    return ox.Literal(str(cell))


class FindResult(Result):
    """Rows of ``kg find`` (one per formulation, study, or facet value) as ``records`` of cells; see the
    module docstring. ``total`` counts the rows before a limit. :attr:`bindings` (cells as RDF terms: a list
    as its joined text) and :attr:`labels` are worked out when first asked for."""

    def __init__(self, columns: list[str], records: list[dict[str, Cell]], filters: dict | None = None,
                 total: int | None = None):
        self.variables = list(columns)
        self.records = records
        self.filters = filters or {}
        self.total = len(records) if total is None else total

    @classmethod
    def from_records(cls, columns: list[str], records: list[dict[str, Cell]], filters: dict | None = None,
                     total: int | None = None) -> FindResult:
        return cls(columns, records, filters, total)

    def __getattr__(self, name: str):
        if name == "bindings":
            self.bindings = [{c: t for c in self.variables if (t := _term(r.get(c))) is not None}
                             for r in self.records]
            return self.bindings
        if name == "labels":
            self.labels = {cell.iri: cell.text() for r in self.records for cell in r.values()
                           if isinstance(cell, Item) and cell.iri}
            return self.labels
        raise AttributeError(name)

    def __len__(self) -> int:
        return len(self.records)

    def iri_columns(self) -> set[str]:
        """Columns holding entities (or lists of them): each gets a ``<column>_iri`` beside it."""
        return {c for r in self.records for c, v in r.items() if isinstance(v, (Item, list))}

    @property
    def rows(self) -> list[dict]:
        """One dict per row: labels (a list for a list column), ``<column>_iri`` and the items' notes
        (``targets_how``)."""
        out = []
        for record in self.records:
            row: dict = {}
            for column in self.variables:
                cell = record.get(column)
                note = f"{column}_{NOTE_KEYS.get(column, 'note')}"
                if isinstance(cell, Item):
                    row[column] = cell.label
                    if cell.iri:
                        row[column + IRI_SUFFIX] = cell.iri
                    if cell.notes:
                        row[note] = LIST_SEPARATOR.join(cell.notes)
                elif isinstance(cell, list):
                    row[column] = [item.label for item in cell]
                    row[column + IRI_SUFFIX] = [item.iri for item in cell]
                    if any(item.notes for item in cell):
                        row[note] = [LIST_SEPARATOR.join(item.notes) for item in cell]
                elif cell is not None:
                    row[column] = cell
            out.append(row)
        return out

    def table(self, iris: bool = False, full_iris: bool = False) -> tuple[list[str], list[list[str]]]:
        def iri(item: Item) -> str:
            return "" if not item.iri else item.iri if full_iris else compact(item.iri)

        columns = self.columns(iris)
        lines = []
        for record in self.records:
            line = []
            for column in columns:
                base = column[: -len(IRI_SUFFIX)] if column not in self.variables else column
                cell = record.get(base)
                items = cell if isinstance(cell, list) else [cell] if isinstance(cell, Item) else None
                if base != column:
                    line.append(LIST_SEPARATOR.join(iri(i) for i in items or []))
                elif items is not None:
                    line.append(LIST_SEPARATOR.join(i.text() for i in items))
                else:
                    line.append("" if cell is None else str(cell).lower() if isinstance(cell, bool)
                                else str(cell))
            lines.append(line)
        return columns, lines

    def select(self, columns: list[str]) -> FindResult:
        """Only these columns, in this order (an unknown one is an error naming the valid ones)."""
        unknown = [c for c in columns if c not in self.variables]
        if unknown:
            raise QueryError(f"no column {', '.join(unknown)}; columns: {', '.join(self.variables)}")
        return FindResult.from_records(columns, self.records, self.filters, self.total)

    def head(self, limit: int | None) -> FindResult:
        if limit is None or limit >= len(self):
            return self
        return FindResult(self.variables, self.records[:limit], self.filters, self.total)

    def to_json_document(self) -> dict:
        """``{"filters": …, "columns": […], "total": N, "rows": [{column: value}]}``: entities as
        ``{"label", "iri"}`` (plus ``how`` for a target), lists as lists."""
        def value(column: str, cell: Cell):
            key = NOTE_KEYS.get(column, "note")
            if isinstance(cell, Item):
                return cell.to_json(key)
            if isinstance(cell, list):
                return [item.to_json(key) for item in cell]
            return cell

        rows = [{c: value(c, r.get(c)) for c in self.variables if r.get(c) is not None} for r in self.records]
        return {"filters": self.filters, "columns": self.variables, "total": self.total, "rows": rows}

    def to_json(self) -> str:
        return json.dumps(self.to_json_document(), ensure_ascii=False, indent=2)
