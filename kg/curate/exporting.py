"""``kg curate export``: every study of the graph as a row of the study table, so that a curator can
review the graph in a spreadsheet, and importing the table gives back the same triples.

Entities are written by label where the label resolves back to the same entity among the column's
classes, else by CURIE. A formulation's composition is repeated on each of its rows; its descriptions
(``rdfs:comment``) are spread over its rows, one per row. A statement about a study or a formulation
that the table cannot express stops the export with a message naming it (extend the table then).
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kg.core import schema
from kg.core.errors import KGError
from kg.core.prefixes import compact, expand
from kg.curate.columns import SEPARATOR, STUDIES, Column, slug
from kg.curate.context import Context
from kg.curate.studies import KINDS
from kg.curate.tables import Cell, write_table

STUDY_STATEMENTS = "SELECT DISTINCT ?s ?p ?o WHERE { ?s a nmo:Study ; ?p ?o }"
FORMULATION_STATEMENTS = "SELECT DISTINCT ?s ?p ?o WHERE { ?s a/rdfs:subClassOf* nmo:Formulation ; ?p ?o }"
RDF_TYPE, LABEL, COMMENT = (expand(c) for c in ("rdf:type", "rdfs:label", "rdfs:comment"))
EVALUATES = expand(schema.EVALUATES)
KIND_NAMES = {expand(curie): kind for kind, curie in KINDS.items()}
Statements = dict[str, dict[str, list[ox.NamedNode | ox.Literal]]]

# columns whose predicate is stated on the study, and on the formulation
STUDY_COLUMNS = ("study_label", "note", "cancer_types", "metastasis_sites", "mechanisms", "cascade_steps",
                 "step_from_section", "modalities", "combined_with", "evidence_level", "source", "section",
                 "lines", "references")
FORMULATION_COLUMNS = ("alt_names", "carrier_types", "coatings", "ligands", "cargo", "targets", "non_cancer")
ONE_VALUE = ("study_label", "note", "step_from_section", "source", "section", "lines", "non_cancer")


def _statements(ctx: Context, query: str) -> Statements:
    found: Statements = defaultdict(lambda: defaultdict(list))
    for r in ctx.store.select(query)[1]:
        if isinstance(r["s"], ox.NamedNode):
            found[r["s"].value][r["p"].value].append(r["o"])  # type: ignore[arg-type]
    return found


class Exporter:
    def __init__(self, graph: ox.Store):
        self.ctx = Context(graph)
        self.problems: list[str] = []

    def name(self, node: ox.NamedNode | ox.Literal, column: Column, where: str) -> str:
        """How a table cell names an entity: its label if that resolves back to it, else its CURIE."""
        if not isinstance(node, ox.NamedNode):
            self.problems.append(f"{where}: {column.predicate} has the literal {node.value!r}, not an entity")
            return node.value
        label = self.ctx.label(node)
        if self.ctx.index(column.classes).lookup(label) == {node.value} and SEPARATOR.strip() not in label:
            return label
        return compact(node.value)

    def cell(self, column: Column, values: list, where: str) -> Cell:
        if column.name in ONE_VALUE and len(values) > 1:
            self.problems.append(f"{where}: {len(values)} values of {column.predicate}, the table holds one")
        if column.classes:
            named = sorted(self.name(v, column, where) for v in values)
        elif column.name in ("step_from_section", "non_cancer"):
            named = ["yes" if v.value == "true" else "no" for v in values]
        elif column.name == "references":
            named = [str(n) for n in sorted(int(v.value) for v in values)]
        else:
            named = sorted(v.value for v in values)
            if column.multi and any(SEPARATOR.strip() in n for n in named):
                self.problems.append(f"{where}: a value of {column.predicate} holds the separator ';'")
        return named if column.multi else (named[0] if named else "")

    def _unexpected(self, subject: str, statements: dict, columns: tuple[str, ...], more: set[str]) -> None:
        known = {_predicate(STUDIES.column(c)) for c in columns} | more
        for predicate in sorted(set(statements) - known):
            self.problems.append(f"{compact(subject)}: the table has no column for {compact(predicate)}")

    def rows(self) -> list[dict[str, Cell]]:
        """One row per study, sorted by study IRI; raises :class:`KGError` on what no column holds."""
        studies = _statements(self.ctx, STUDY_STATEMENTS)
        formulations = _statements(self.ctx, FORMULATION_STATEMENTS)
        rows_of: dict[str, list[dict[str, Cell]]] = defaultdict(list)
        for study in sorted(studies):
            said = studies[study]
            self._unexpected(study, said, STUDY_COLUMNS, {RDF_TYPE, EVALUATES})
            targets = said.get(EVALUATES, [])
            if len(targets) != 1 or targets[0].value not in formulations:
                self.problems.append(f"{compact(study)}: evaluates {len(targets)} formulation(s), the table "
                                     "holds one")
                continue
            form = targets[0].value
            row: dict[str, Cell] = {"study": compact(study), **self.formulation(form, formulations[form])}
            for name in STUDY_COLUMNS:
                column = STUDIES.column(name)
                row[name] = self.cell(column, said.get(_predicate(column), []), compact(study))
            rows_of[form].append(row)
        for form, said in formulations.items():
            notes = sorted(c.value for c in said.get(COMMENT, []))
            if len(notes) > len(rows_of[form]):
                self.problems.append(f"{compact(form)}: {len(notes)} descriptions but {len(rows_of[form])} "
                                     "studies (one description per row)")
            for row, note in zip(rows_of[form], notes, strict=False):
                row["formulation_note"] = note
        if self.problems:
            raise KGError("the study table cannot express these statements:\n  " + "\n  ".join(self.problems))
        rows = sorted((row for form_rows in rows_of.values() for row in form_rows), key=lambda r: r["study"])
        return [{name: row.get(name, "") for name in STUDIES.names} for row in rows]

    def formulation(self, form: str, said: dict) -> dict[str, Cell]:
        """The formulation cells of a row."""
        name = self.ctx.label(ox.NamedNode(form))
        kinds = [KIND_NAMES.get(t.value) for t in said.get(RDF_TYPE, [])]
        if len(kinds) != 1 or kinds[0] is None or len(said.get(LABEL, [])) != 1:
            self.problems.append(f"{compact(form)}: the table holds one label and one class "
                                 "(Formulation or FormulationStrategy)")
        self._unexpected(form, said, FORMULATION_COLUMNS, {RDF_TYPE, LABEL, COMMENT})
        cells: dict[str, Cell] = {
            "formulation": name,
            "formulation_id": "" if form == expand(f"form:{slug(name)}") else compact(form),
            "formulation_kind": "strategy" if kinds == ["strategy"] else "",
        }
        for column_name in FORMULATION_COLUMNS:
            column = STUDIES.column(column_name)
            cells[column_name] = self.cell(column, said.get(_predicate(column), []), compact(form))
        return cells


def _predicate(column: Column) -> str:
    return expand(column.predicate or "")


def export_table(graph: ox.Store, fmt: str = "tsv") -> str:
    """The studies of ``graph`` as a study table in ``fmt`` (``tsv``, ``csv`` or ``yaml``)."""
    return write_table(STUDIES, Exporter(graph).rows(), fmt)
