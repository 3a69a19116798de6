"""Study rows → formulations and studies, as ``docs/CURATION.md`` writes them.

A row's composition cells (carrier types … targets, alt names, formulation note) describe its
formulation: they are merged over all rows of that formulation, and only what the graph does not
already say is written. Each component a row gives (carrier type, coating, ligand, cargo, target) is
also a sourced ``rdf:Statement`` at the row's source place (with ``nmo:inferredFrom`` when marked
``[inferred: …]``), once per place. A formulation name that resolves names an existing formulation; an
unknown name with carrier types (or a ``formulation_id``) adds a new one.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.core import schema
from kg.core.citations import citation
from kg.core.names import normalize_name
from kg.core.prefixes import compact, expand
from kg.curate.columns import COMPONENTS, COMPOSITION, STUDIES, STUDY_LINKS, slug
from kg.curate.context import Context
from kg.curate.tables import Row
from kg.curate.turtle import Block, Object, boolean, iri
from kg.curate.vocabulary import file_of

FORMULATION = ("Formulation",)
KINDS = {"formulation": "nmo:Formulation", "strategy": "nmo:FormulationStrategy"}
Mark = tuple[ox.NamedNode | None, str, ox.NamedNode, str]  # (subject, predicate, value, inferred from)
EXISTING_STUDIES = """SELECT ?s ?f ?d ?section ?lines ?more WHERE {
  ?s a nmo:Study ; nmo:evaluates ?f ; nmo:sourceDocument ?d .
  OPTIONAL { ?s nmo:section ?section } OPTIONAL { ?s nmo:lines ?lines }
  OPTIONAL { ?s nmo:citedReference|nmo:cancerType|nmo:metastasisSite ?more }
}"""
EXISTING_STATEMENTS = """SELECT ?st ?s ?p ?o ?d ?section ?lines ?ref WHERE {
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; nmo:sourceDocument ?d .
  OPTIONAL { ?st nmo:section ?section } OPTIONAL { ?st nmo:lines ?lines }
  OPTIONAL { ?st nmo:citedReference ?ref }
}"""


@dataclass
class Formulation:
    node: ox.NamedNode
    new: bool
    label: str
    first: int  # the row that writes it
    kind: str = ""
    non_cancer: bool | None = None
    values: dict[str, list[Object]] = field(default_factory=lambda: defaultdict(list))

    def add(self, predicate: str, values: list[Object]) -> None:
        known = self.values[predicate]
        known.extend(v for v in values if v not in known)


def _kind(ctx: Context, row: Row) -> str:
    text = row.text("formulation_kind").lower()
    if text and text not in KINDS:
        ctx.problems.add(row, "formulation_kind", f"{text!r} is not one of {', '.join(KINDS)}")
    return KINDS.get(text, "")


def _new_formulations(ctx: Context, rows: list[Row]) -> set[str]:
    """Declare the formulations the rows add (unknown names with carrier types, or new ids); their IRIs."""
    index = ctx.index(FORMULATION)
    new: dict[str, tuple[str, Row]] = {}  # IRI → (label, first row)
    names: set[str] = set()  # normalised names of the new ones
    for row in rows:
        name, given = row.text("formulation"), row.text("formulation_id")
        if not name or ":" in name and not given:
            continue
        if given:
            node = ctx.new_iri(row, "formulation_id", given, "formulation")
            if node is None or ctx.exists(node):
                continue
            if taken := index.lookup(name):
                names_of = ", ".join(map(compact, taken))
                ctx.problems.add(row, "formulation", f"{name!r} already names {names_of}")
                continue
        elif index.lookup(name) or normalize_name(name) in names or not row.values("carrier_types"):
            continue
        else:
            node = iri(f"form:{slug(name)}")
        if node.value in new and normalize_name(new[node.value][0]) != normalize_name(name):
            ctx.problems.add(row, "formulation", f"{name!r} mints {compact(node.value)}, like "
                                                 f"{new[node.value][0]!r} ({new[node.value][1].where}): "
                                                 "give a formulation_id")
            continue
        new.setdefault(node.value, (name, row))
        names.add(normalize_name(name))
        for alt in row.values("alt_names"):
            if taken := index.lookup(alt):
                ctx.problems.add(row, "alt_names", f"{alt!r} already names {', '.join(map(compact, taken))}")
    for value, (label, row) in new.items():
        ctx.declare(ox.NamedNode(value), [iri(_kind(ctx, row) or KINDS["formulation"])], label,
                    row.values("alt_names"))
    return set(new)


def _formulation_of(ctx: Context, row: Row) -> ox.NamedNode | None:
    name, given = row.text("formulation"), row.text("formulation_id")
    if not name:
        ctx.problems.add(row, "formulation", "formulation is required (a name, alt name or CURIE)")
        return None
    found = ctx.resolve(name, FORMULATION)
    if given:
        node = ctx.new_iri(row, "formulation_id", given, "formulation")
        if node is not None and found != node:
            ctx.problems.add(row, "formulation", f"{name!r} is not a name of {given}")
        return node if found == node else None
    if isinstance(found, str):
        hint = "" if row.values("carrier_types") or "ambiguous" in found else (
            "; to add a new formulation, give its carrier_types")
        ctx.problems.add(row, "formulation", found + hint)
        return None
    return found


def _where(section: str, lines: str) -> str:
    """The place part of a study IRI: ``s2``, ``t1`` (Table 1), ``f3`` (Figure 3), ``l601``."""
    if section:
        if m := re.fullmatch(r"(?i)table\s*(\S+)", section):
            return f"t{slug(m.group(1))}"
        if m := re.fullmatch(r"(?i)fig(?:ure|\.)?\s*(\S+)", section):
            return f"f{slug(m.group(1))}"
        return f"s{slug(section)}"
    return f"l{lines.split('-')[0]}"


class StudyPlanner:
    """Turns study rows into formulation and study blocks, by output file."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.formulations: dict[str, Formulation] = {}
        self.places: dict[tuple, str] = {}  # (formulation, source, section, lines, refs) → who has it
        self.minted: dict[str, Row] = {}
        self.stated = self._existing_statements()  # (s, p, o, source, section, lines, refs) of the graph
        keys: dict[str, tuple[str, str, str, str]] = {}
        more: dict[str, set[str]] = defaultdict(set)
        for r in ctx.store.select(EXISTING_STUDIES)[1]:
            keys[r["s"].value] = (r["f"].value, r["d"].value, r["section"].value if "section" in r else "",
                                  r["lines"].value if "lines" in r else "")
            if "more" in r:
                more[r["s"].value].add(r["more"].value)
        for study, key in keys.items():
            self.places[key + (frozenset(more[study]),)] = compact(study)

    def _existing_statements(self) -> set[tuple]:
        found: dict[str, tuple] = {}
        refs: dict[str, set[str]] = defaultdict(set)
        for r in self.ctx.store.select(EXISTING_STATEMENTS)[1]:
            found[r["st"].value] = tuple(r[k].value if k in r else "" for k in
                                         ("s", "p", "o", "d", "section", "lines"))
            if "ref" in r:
                refs[r["st"].value].add(r["ref"].value)
        return {key + (frozenset(refs[st]),) for st, key in found.items()}

    def plan(self, rows: list[Row]) -> dict[str, list[Block]]:
        ctx = self.ctx
        new = _new_formulations(ctx, rows)
        studies: list[tuple[int, str, list[Block]]] = []
        for number, row in enumerate(rows):
            node = _formulation_of(ctx, row)
            marks: list[Mark] = []
            formulation = self._describe(number, row, node, new, marks)
            found = self._study(row, formulation, marks)
            if found is not None:
                studies.append((number, *found))
        files: dict[str, list[Block]] = defaultdict(list)
        firsts = {f.first: f for f in self.formulations.values()}
        for number, file, blocks in studies:
            if number in firsts:
                files[file].append(self._formulation_block(firsts[number]))
            files[file].extend(blocks)
        return files

    def _links(self, row: Row, columns: tuple[str, ...], subject: ox.NamedNode | None,
               marks: list[Mark]) -> dict[str, list[ox.NamedNode]]:
        """The entities of the row's ``columns``; values marked ``[inferred: …]`` are noted in ``marks``."""
        found = {}
        for name in columns:
            column, why = STUDIES.column(name), {}
            found[name] = self.ctx.entities(row, column, marks=why)
            marks.extend((subject, column.predicate or "", ox.NamedNode(o), w) for o, w in why.items())
        return found

    def _describe(self, number: int, row: Row, node: ox.NamedNode | None, new: set[str],
                  marks: list[Mark]) -> Formulation | None:
        """Merge the row's composition cells into its formulation; ``marks`` receives every component
        (each stated at the row's place) and the other marked values."""
        ctx = self.ctx
        values = self._links(row, COMPOSITION, node, marks)
        why = {(p, o.value): w for _, p, o, w in marks}
        components = [(node, predicate, o, why.get((predicate, o.value), "")) for name in COMPONENTS
                      for predicate in [STUDIES.column(name).predicate or ""] for o in values[name]]
        marks[:] = [m for m in marks if m[1] not in schema.COMPOSITION_PREDICATES] + components
        kind, non_cancer = _kind(ctx, row), ctx.flag(row, "non_cancer")
        if node is None:
            return None
        if node.value not in self.formulations:
            self.formulations[node.value] = Formulation(node, node.value in new, ctx.label(node), number)
        formulation = self.formulations[node.value]
        for column, found in values.items():
            formulation.add(STUDIES.column(column).predicate or "", list(found))
        formulation.add("skos:altLabel", [ox.Literal(a) for a in row.values("alt_names")])
        if note := row.text("formulation_note"):
            formulation.add("rdfs:comment", [ox.Literal(note)])
        if kind:
            types = {t.value for t in self._types(node)}
            if types and iri(kind).value not in types:
                ctx.problems.add(row, "formulation_kind", f"{compact(node.value)} is a "
                                 f"{', '.join(sorted(compact(t) for t in types))} in the graph")
        if non_cancer is not None:
            stated = {str(q.object.value) for q in ctx.graph.quads_for_pattern(  # type: ignore[union-attr]
                node, iri("nmo:isNonCancer"), None)}
            if stated and stated != {str(non_cancer).lower()}:
                ctx.problems.add(row, "non_cancer", f"{compact(node.value)} is non-cancer "
                                                    f"{'/'.join(sorted(stated))} in the graph")
            formulation.non_cancer = non_cancer
        return formulation

    def _types(self, node: ox.NamedNode) -> list[ox.NamedNode]:
        return [q.object for q in self.ctx.graph.quads_for_pattern(node, iri("rdf:type"), None)]  # type: ignore[misc]

    def _has(self, node: ox.NamedNode, predicate: str, value: Object | None = None) -> bool:
        return next(self.ctx.graph.quads_for_pattern(node, iri(predicate), value), None) is not None

    def _formulation_block(self, f: Formulation) -> Block:
        """The formulation's statements the graph does not hold yet (all of them for a new one)."""
        block = Block(f.node)
        if f.new:
            block.add("rdf:type", self._types(f.node))
            block.add("rdfs:label", [ox.Literal(f.label)])
        order = ["skos:altLabel", "rdfs:comment", *(STUDIES.column(c).predicate or "" for c in COMPOSITION)]
        for predicate in order:
            block.add(predicate, [v for v in f.values.get(predicate, []) if f.new or not self._has(
                f.node, predicate, v)])
        if f.non_cancer is not None and (f.new or not self._has(f.node, "nmo:isNonCancer")):
            block.add("nmo:isNonCancer", [boolean(f.non_cancer)])
        return block

    def _study(self, row: Row, formulation: Formulation | None,
               marks: list[Mark]) -> tuple[str, list[Block]] | None:
        """The study's block, and the sourced statements of the row's inferred values."""
        ctx = self.ctx
        study_marks: list[Mark] = []
        links = self._links(row, STUDY_LINKS, None, study_marks)
        if not row.values("evidence_level"):
            ctx.problems.add(row, "evidence_level", "evidence_level is required (e.g. in vitro, in vivo)")
        source, place, refs = ctx.source(row), ctx.place(row), ctx.references(row)
        step_from_section = ctx.flag(row, "step_from_section")
        if formulation is None or source is None or place is None:
            return None
        section, lines = place
        context = {r.value for r in refs} | {n.value for c in STUDY_LINKS[:2] for n in links[c]}
        key = (formulation.node.value, source.value, section, lines, frozenset(context))
        if key in self.places:
            ctx.problems.add(row, "formulation", f"duplicate of {self.places[key]}: the same formulation at "
                                                 "the same place of the same source, for the same cancer "
                                                 "types and sites")
            return None
        self.places[key] = row.where
        node = self._study_iri(row, formulation, source, section, lines, refs)
        if node is None:
            return None
        doc = ctx.label(source)
        label = row.text("study_label") or (
            f"{formulation.label} ({citation(doc, section, lines, ','.join(r.value for r in refs))})")
        block = Block(node, [("rdf:type", [iri("nmo:Study")]), ("rdfs:label", [ox.Literal(label)])])
        block.add("rdfs:comment", [ox.Literal(row.text("note"))] if row.text("note") else [])
        block.add(schema.EVALUATES, [formulation.node])
        for column in STUDY_LINKS[:4]:
            block.add(STUDIES.column(column).predicate or "", list(links[column]))
        if step_from_section is not None:
            block.add("nmo:stepFromSection", [boolean(step_from_section)])
        for column in STUDY_LINKS[4:]:
            block.add(STUDIES.column(column).predicate or "", list(links[column]))
        block.add(schema.SOURCE_DOCUMENT, [source])
        block.add(schema.SECTION, [ox.Literal(section)] if section else [])
        block.add(schema.LINES, [ox.Literal(lines)] if lines else [])
        block.add(schema.CITED_REFERENCE, refs)
        provenance = [(schema.SOURCE_DOCUMENT, [source]),
                      (schema.SECTION, [ox.Literal(section)] if section else []),
                      (schema.LINES, [ox.Literal(lines)] if lines else []), (schema.CITED_REFERENCE, refs)]
        inferred = marks + [(node, p, o, why) for _, p, o, why in study_marks]
        return file_of(ctx, source), [block, *self._inferences(inferred, provenance)]

    def _inferences(self, marks: list[Mark], provenance: list[tuple[str, list[Object]]]) -> list[Block]:
        """A sourced rdf:Statement per component and per marked value (with ``nmo:inferredFrom``), once
        per place: none where the graph or an earlier row already states it there."""
        blocks = []
        place = tuple(str(v[0].value) if v else "" for _, v in provenance[:3]) + (
            frozenset(str(r.value) for r in provenance[3][1]),)
        for subject, predicate, value, why in marks:
            if subject is None:
                continue
            key = (subject.value, expand(predicate), value.value, *place)
            if key in self.stated:
                continue
            self.stated.add(key)
            block = Block(None, [("rdf:type", [iri("rdf:Statement")]), ("rdf:subject", [subject]),
                                 ("rdf:predicate", [iri(predicate)]), ("rdf:object", [value])])
            block.add(schema.INFERRED_FROM, [ox.Literal(why)] if why else [])
            for name, values in provenance:
                block.add(name, values)
            blocks.append(block)
        return blocks

    def _study_iri(self, row: Row, formulation: Formulation, source: ox.NamedNode, section: str,
                   lines: str, refs: list[Object]) -> ox.NamedNode | None:
        ctx = self.ctx
        if given := row.text("study"):
            node = ctx.new_iri(row, "study", given, "study")
            if node is not None and (ctx.exists(node) or node.value in self.minted):
                where = self.minted[node.value].where if node.value in self.minted else "the graph"
                ctx.problems.add(row, "study", f"duplicate: {given} is already a study ({where})")
                return None
        else:
            local = formulation.node.value.rsplit("/", 1)[-1]
            base = f"study:{slug(ctx.label(source))}-{_where(section, lines)}-{local}"
            tails = itertools.chain([""], (f"-ref{r.value}" for r in refs[:1]),
                                    (f"-{n}" for n in itertools.count(2)))
            node = next(n for n in (iri(base + t) for t in tails)
                        if not ctx.exists(n) and n.value not in self.minted)
        if node is not None:
            self.minted[node.value] = row
        return node
