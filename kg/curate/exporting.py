"""``kg curate export``: every study of the graph as a row of the study table, so that a curator can
review the graph in a spreadsheet, and importing the table gives back the same triples.

Entities are written by label where the label resolves back to the same entity among the column's
classes, else by CURIE. A row's components (carrier types … targets) are those the sourced statements
at its study's place state; the formulation's other cells are repeated on each of its rows, and its
descriptions (``rdfs:comment``) are spread over its rows, one per row. A value whose sourced statement
says what it is inferred from (``nmo:inferredFrom``) is marked ``[inferred: …]`` on the rows of that
place. A statement about a study or a formulation that the table cannot express (a component with no
sourced statement, or stated at a place no study of the formulation has) stops the export with a
message naming it (extend the table then).
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kg.core import schema
from kg.core.errors import KGError
from kg.core.prefixes import compact, expand
from kg.curate.columns import COMPONENTS, SEPARATOR, STUDIES, Column, slug, with_mark
from kg.curate.context import Context
from kg.curate.studies import KINDS
from kg.curate.tables import Cell, write_table

STUDY_STATEMENTS = "SELECT DISTINCT ?s ?p ?o WHERE { ?s a nmo:Study ; ?p ?o }"
FORMULATION_STATEMENTS = "SELECT DISTINCT ?s ?p ?o WHERE { ?s a/rdfs:subClassOf* nmo:Formulation ; ?p ?o }"
REIFIED = """SELECT DISTINCT ?s ?p ?o WHERE {
  ?s rdf:subject ?about ; ?p ?o . ?about a/rdfs:subClassOf* ?class
  FILTER(?class IN (nmo:Study, nmo:Formulation))
}"""
RDF_TYPE, LABEL, COMMENT = (expand(c) for c in ("rdf:type", "rdfs:label", "rdfs:comment"))
EVALUATES, INFERRED_FROM = expand(schema.EVALUATES), expand(schema.INFERRED_FROM)
PROVENANCE = tuple(expand(p) for p in (schema.SOURCE_DOCUMENT, schema.SECTION, schema.LINES,
                                       schema.CITED_REFERENCE))
REIFICATION = {expand(f"rdf:{p}") for p in ("type", "subject", "predicate", "object")}
KIND_NAMES = {expand(curie): kind for kind, curie in KINDS.items()}
COMPONENT_PREDICATES = frozenset(expand(p) for p in schema.COMPOSITION_PREDICATES)  # full IRIs
Statements = dict[str, dict[str, list]]
Place = tuple[str, str, str, frozenset]  # source, section, lines, references

# columns whose predicate is stated on the study, and on the formulation
STUDY_COLUMNS = ("study_label", "note", "cancer_types", "metastasis_sites", "mechanisms", "cascade_steps",
                 "step_from_section", "modalities", "combined_with", "evidence_level", "source", "section",
                 "lines", "references")
FORMULATION_COLUMNS = ("alt_names", "carrier_types", "coatings", "ligands", "cargo", "targets",
                       "different_from", "non_cancer")
ONE_VALUE = ("study_label", "note", "step_from_section", "source", "section", "lines", "non_cancer")


def _statements(ctx: Context, query: str) -> Statements:
    found: Statements = defaultdict(lambda: defaultdict(list))
    for r in ctx.store.select(query)[1]:
        found[r["s"].value][r["p"].value].append(r["o"])
    return found


def _predicate(column: Column) -> str:
    return expand(column.predicate or "")


def _place(said: dict) -> Place:
    source, section, lines, refs = ([v.value for v in said.get(p, [])] for p in PROVENANCE)
    return (source[0] if source else "", section[0] if section else "", lines[0] if lines else "",
            frozenset(int(r) for r in refs))


class Exporter:
    def __init__(self, graph: ox.Store):
        self.ctx = Context(graph)
        self.problems: list[str] = []
        # (subject, predicate, object) → [(inferred from, place, statement)] of the sourced statements
        self.inferences: dict[tuple[str, str, str], list[tuple[str, Place, str]]] = defaultdict(list)
        # (formulation, place) → [(predicate, object)] the sourced composition statements there state
        self.components: dict[tuple[str, Place], list[tuple[str, ox.NamedNode]]] = defaultdict(list)
        self.used: set[str] = set()

    def name(self, node, column: Column, where: str) -> str:
        """How a table cell names an entity: its label if that resolves back to it, else its CURIE."""
        if not isinstance(node, ox.NamedNode):
            self.problems.append(f"{where}: {column.predicate} has the literal {node.value!r}, not an entity")
            return str(node.value)
        label = self.ctx.label(node)
        if self.ctx.index(column.classes).lookup(label) == {node.value} and SEPARATOR.strip() not in label:
            return label
        return compact(node.value)

    def marked(self, subject: str, column: Column, node, where: str, place: Place) -> str:
        """The name of ``node``, marked ``[inferred: …]`` if a statement at ``place`` says so."""
        name = self.name(node, column, where)
        for why, at, statement in self.inferences.get((subject, _predicate(column), node.value), []):
            if at == place:
                self.used.add(statement)
                return with_mark(name, why)
        return name

    def cell(self, column: Column, values: list, where: str, subject: str, place: Place) -> Cell:
        if column.name in ONE_VALUE and len(values) > 1:
            self.problems.append(f"{where}: {len(values)} values of {column.predicate}, the table holds one")
        if column.classes:
            named = sorted(self.marked(subject, column, v, where, place) for v in values)
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

    def _read_inferences(self) -> None:
        """The sourced statements about studies and formulations: a component of a formulation at a
        place (with at most one nmo:inferredFrom), or a value inferred from something (exactly one)."""
        for statement, said in _statements(self.ctx, REIFIED).items():
            triple = tuple(said.get(expand(f"rdf:{part}"), [None])[0]
                           for part in ("subject", "predicate", "object"))
            why = said.get(INFERRED_FROM, [])
            extra = set(said) - REIFICATION - {INFERRED_FROM, *PROVENANCE}
            component = triple[1] is not None and triple[1].value in COMPONENT_PREDICATES
            if len(why) > 1 or not (why or component) or extra or None in triple:
                about = compact(str(triple[0] and triple[0].value))
                self.problems.append(f"a sourced statement about {about}: the table holds a component at its "
                                     "source place, or one nmo:inferredFrom with its source place")
                continue
            key = (triple[0].value, triple[1].value, triple[2].value)  # type: ignore[union-attr]
            if any(at == _place(said) for _, at, _ in self.inferences[key]):
                self.problems.append(f"{compact(key[0])} {compact(key[1])} {compact(key[2])}: two sourced "
                                     "statements at the same place (the table holds one)")
                continue
            self.inferences[key].append((why[0].value if why else "", _place(said), statement))
            if component:
                self.components[(key[0], _place(said))].append((key[1], triple[2]))  # type: ignore[arg-type]

    def rows(self) -> list[dict[str, Cell]]:
        """One row per study, sorted by study IRI; raises :class:`KGError` on what no column holds."""
        studies = _statements(self.ctx, STUDY_STATEMENTS)
        formulations = _statements(self.ctx, FORMULATION_STATEMENTS)
        self._read_inferences()
        rows_of: dict[str, list[dict[str, Cell]]] = defaultdict(list)
        for study in sorted(studies):
            said = studies[study]
            self._unexpected(study, said, STUDY_COLUMNS, {RDF_TYPE, EVALUATES})
            targets = said.get(EVALUATES, [])
            if len(targets) != 1 or targets[0].value not in formulations:
                self.problems.append(f"{compact(study)}: evaluates {len(targets)} formulation(s), the table "
                                     "holds one")
                continue
            form, place = targets[0].value, _place(said)
            row: dict[str, Cell] = {"study": compact(study),
                                    **self.formulation(form, formulations[form], place)}
            for name in STUDY_COLUMNS:
                column = STUDIES.column(name)
                row[name] = self.cell(column, said.get(_predicate(column), []), compact(study), study, place)
            rows_of[form].append(row)
        for form, said in formulations.items():
            notes = sorted(c.value for c in said.get(COMMENT, []))
            if len(notes) > len(rows_of[form]):
                self.problems.append(f"{compact(form)}: {len(notes)} descriptions but {len(rows_of[form])} "
                                     "studies (one description per row)")
            for row, note in zip(rows_of[form], notes, strict=False):
                row["formulation_note"] = note
        self._unsourced_components(formulations)
        for (subject, predicate, value), found in sorted(self.inferences.items()):
            for _, place, statement in found:
                if statement not in self.used:
                    self.problems.append(f"{compact(subject)} {compact(predicate)} {compact(value)}: the "
                                         f"place of its sourced statement ({place[0] and compact(place[0])} "
                                         f"{place[1] or place[2]}) is none of its rows', or the graph does "
                                         "not state it")
        if self.problems:
            raise KGError("the study table cannot express these statements:\n  " + "\n  ".join(self.problems))
        rows = sorted((row for form_rows in rows_of.values() for row in form_rows), key=lambda r: r["study"])
        return [{name: row.get(name, "") for name in STUDIES.names} for row in rows]

    def formulation(self, form: str, said: dict, place: Place) -> dict[str, Cell]:
        """The formulation cells of a row (its study at ``place``)."""
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
        stated = self.components.get((form, place), [])
        for column_name in FORMULATION_COLUMNS:
            column = STUDIES.column(column_name)
            values = said.get(_predicate(column), [])
            if column_name in COMPONENTS:  # what the row's place states of them
                held = {v.value for v in values}
                values = list(dict.fromkeys(o for p, o in stated
                                            if p == _predicate(column) and o.value in held))
            cells[column_name] = self.cell(column, values, compact(form), form, place)
        return cells

    def _unsourced_components(self, formulations: Statements) -> None:
        """A component the graph states without a sourced statement has no row to stand on."""
        for form, said in sorted(formulations.items()):
            for predicate in sorted(COMPONENT_PREDICATES):
                for value in said.get(predicate, []):
                    if (form, predicate, value.value) not in self.inferences:
                        self.problems.append(f"{compact(form)} {compact(predicate)} {compact(value.value)}: "
                                             "no sourced statement gives its place (a row states a "
                                             "component at its source place)")


def export_table(graph: ox.Store, fmt: str = "tsv") -> str:
    """The studies of ``graph`` as a study table in ``fmt`` (``tsv``, ``csv`` or ``yaml``)."""
    return write_table(STUDIES, Exporter(graph).rows(), fmt)
