"""The sheets beside the studies: new source documents, new vocabulary terms and background statements
(each statement asserted and reified with its provenance, as ``docs/CURATION.md`` writes them)."""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.core import schema
from kg.core.prefixes import compact
from kg.curate.columns import (
    AUTHORITIES,
    BACKGROUND,
    DOI_PATTERN,
    FAMILY_PREFIX,
    NEEDS_PARENT,
    SCHEMES,
    SOURCE_ID_PATTERN,
    STATEMENTS,
    VOCABULARY,
    slug,
)
from kg.curate.context import Context
from kg.curate.tables import Row
from kg.curate.turtle import Block, iri

RDF_STATEMENT = iri("rdf:Statement")


def file_of(ctx: Context, source: ox.NamedNode) -> str:
    """The file (stem) a source's statements go to: the slug of its short name (``cmr2022``)."""
    return slug(ctx.label(source))


def _required(ctx: Context, row: Row, columns: tuple[str, ...]) -> bool:
    missing = [c for c in columns if not row.text(c)]
    for column in missing:
        ctx.problems.add(row, column, f"{column} is required")
    return not missing


# ------------------------------------------------------------------ sources

def declare_sources(ctx: Context, rows: list[Row]) -> dict[str, Block]:
    """A block per new source document, by its file; each is added to the graph for the study rows."""
    blocks: dict[str, Block] = {}
    for row in rows:
        if not _required(ctx, row, ("id", "doi")):
            continue
        ident, doi = row.text("id"), row.text("doi").removeprefix("https://doi.org/")
        if not SOURCE_ID_PATTERN.match(ident):
            ctx.problems.add(row, "id", f"{ident!r} is not a short name (a letter, then letters, digits, "
                                        "- or _)")
            continue
        if not DOI_PATTERN.match(doi):
            ctx.problems.add(row, "doi", f"{doi!r} is not a DOI (10.<registrant>/<suffix>)")
            continue
        node = iri(f"src:{ident}")
        known = ctx.resolve(ident, ("SourceDocument",))
        if isinstance(known, ox.NamedNode) or ctx.exists(node):
            shown = compact((known if isinstance(known, ox.NamedNode) else node).value)
            ctx.problems.add(row, "id", f"{ident!r} is already a source ({shown}): cite it in the studies, "
                                        "do not declare it again")
            continue
        if doi.lower() in ctx.dois():
            owner = compact(ctx.dois()[doi.lower()].value)
            ctx.problems.add(row, "doi", f"DOI {doi} already belongs to {owner}")
            continue
        block = Block(node, comment=f"Source document {ident} (doi:{doi}), declared in the sources sheet.")
        block.add("rdf:type", [iri("nmo:SourceDocument")])
        block.add("rdfs:label", [ox.Literal(ident)])
        block.add(schema.SHORT_NAME, [ox.Literal(ident)])
        block.add(schema.DOI, [ox.Literal(doi)])
        block.add("skos:definition", [ox.Literal(row.text("definition"))] if row.text("definition") else [])
        ctx.learn(block)
        blocks[file_of(ctx, node)] = block
    return blocks


# ------------------------------------------------------------------ vocabulary

def _external(ctx: Context, row: Row) -> list[ox.NamedNode]:
    text = row.text("external_id")
    if not text:
        return []
    if text.startswith("https://") and " " not in text:
        return [ox.NamedNode(text)]
    authority, _, local = text.partition(":")
    pattern, prefix = AUTHORITIES.get(authority.upper(), (None, ""))
    if pattern is None or not re.fullmatch(pattern, local):
        known = ", ".join(f"{a}:…" for a in AUTHORITIES)
        ctx.problems.add(row, "external_id", f"{text!r} is not an identifier of a known authority ({known}) "
                                             "nor an https IRI")
        return []
    return [ox.NamedNode(prefix + local)]


def _plan_term(ctx: Context, row: Row, minted: dict[str, Row]) -> tuple[ox.NamedNode, list[str]] | None:
    """The IRI and classes of a new term, or None (with problems noted)."""
    if not _required(ctx, row, ("label", "class", "definition")):
        return None
    label, classes = row.text("label"), row.values("class")
    unknown = [c for c in classes if c not in FAMILY_PREFIX]
    if unknown:
        ctx.problems.add(row, "class", f"unknown class(es) {', '.join(unknown)}; a new term is one of: "
                                       f"{', '.join(FAMILY_PREFIX)}")
        return None
    families = sorted({FAMILY_PREFIX[c] for c in classes})
    if len(families) > 1:
        ctx.problems.add(row, "class", f"classes of different families ({', '.join(families)})")
        return None
    family = families[0]
    node = (ctx.new_iri(row, "id", row.text("id"), family) if row.text("id")
            else iri(f"{family}:{slug(label)}"))
    if node is None:
        return None
    top = tuple(sorted({schema.FAMILY.get(c, c) for c in classes}))
    for column, name in [("label", label)] + [("alt_names", a) for a in row.values("alt_names")]:
        if taken := ctx.index(top).lookup(name):
            ctx.problems.add(row, column, f"{name!r} already names {', '.join(sorted(map(compact, taken)))}: "
                                          "use that term (or add the name there), do not declare it again")
    if ctx.exists(node) or node.value in minted:
        other = f" (also minted by {minted[node.value].where})" if node.value in minted else ""
        ctx.problems.add(row, "id", f"{compact(node.value)} already exists{other}: give another id")
        return None
    minted[node.value] = row
    return node, classes


def declare_terms(ctx: Context, rows: list[Row]) -> list[Block]:
    """A block per new vocabulary term; the terms are added to the graph first, so that cells (and
    parents) may name them."""
    planned: list[tuple[Row, ox.NamedNode, list[str]]] = []
    minted: dict[str, Row] = {}
    for row in rows:
        if (found := _plan_term(ctx, row, minted)) is not None:
            planned.append((row, *found))
    for row, node, classes in planned:
        ctx.declare(node, [iri(f"nmo:{c}") for c in classes], row.text("label"), row.values("alt_names"))
    blocks = []
    for row, node, classes in planned:
        block = Block(node)
        block.add("rdf:type", [iri(f"nmo:{c}") for c in classes])
        block.add("rdfs:label", [ox.Literal(row.text("label"))])
        block.add("skos:altLabel", [ox.Literal(a) for a in row.values("alt_names")])
        block.add("skos:definition", [ox.Literal(row.text("definition"))])
        top = tuple(sorted({schema.FAMILY.get(c, c) for c in classes}))
        parents = ctx.entities(row, VOCABULARY.column("parent"), top)
        needs = [c for c in classes if c in NEEDS_PARENT]
        if needs and not parents and not row.text("parent"):
            ctx.problems.add(row, "parent", f"a new {needs[0]} needs its parent (skos:broader)")
        block.add(schema.BROADER, parents)
        schemes = [iri(SCHEMES[c]) for c in classes if c in SCHEMES]
        block.add("skos:inScheme", schemes)
        block.add("skos:topConceptOf", schemes if not row.text("parent") else [])
        block.add("skos:exactMatch", _external(ctx, row))
        blocks.append(block)
    return blocks


# ------------------------------------------------------------------ background statements

_PREDICATES = {alias: key for key, (curie, _, _) in BACKGROUND.items()
               for alias in (key, key.replace("_", " "), key.replace("_", ""), curie.lower(),
                             curie.removeprefix("nmo:").lower())}


def background(ctx: Context, rows: list[Row]) -> list[tuple[str, list[Block]]]:
    """(file, [the triple, its sourced rdf:Statement]) for each statement row."""
    found = []
    for row in rows:
        key = _PREDICATES.get(row.text("predicate").lower())
        if key is None:
            ctx.problems.add(row, "predicate", f"{row.text('predicate')!r} is not one of "
                                               f"{', '.join(BACKGROUND)}")
            continue
        curie, subject_classes, object_classes = BACKGROUND[key]
        subjects = ctx.entities(row, STATEMENTS.column("subject"), subject_classes)
        objects = ctx.entities(row, STATEMENTS.column("object"), object_classes)
        source, place, refs = ctx.source(row), ctx.place(row), ctx.references(row)
        if not (subjects and objects and source and place):
            continue
        section, lines = place
        asserted = Block(subjects[0], [(curie, [objects[0]])])
        statement = Block(None, [("rdf:type", [RDF_STATEMENT]), ("rdf:subject", [subjects[0]]),
                                 ("rdf:predicate", [iri(curie)]), ("rdf:object", [objects[0]]),
                                 (schema.SOURCE_DOCUMENT, [source])])
        statement.add(schema.SECTION, [ox.Literal(section)] if section else [])
        statement.add(schema.LINES, [ox.Literal(lines)] if lines else [])
        statement.add(schema.CITED_REFERENCE, refs)
        found.append((file_of(ctx, source), [asserted, statement]))
    return found
