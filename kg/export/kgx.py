"""The graph as KGX TSV (``nodes.tsv``, ``edges.tsv``) for the Biolink model, with ``prefix-map.json``.

Nodes are the typed, labelled entities of the graph, with one Biolink category each (that of their most
specific class, :func:`kg.core.biolink.category`), ids under the prefixes of ``prefix-map.json``
(``nmkg.agent:doxorubicin`` expands to the entity's IRI), and their verified external identifiers
(``skos:exactMatch``; a source document's DOI) as Biolink CURIEs in ``xref`` and ``equivalent_identifiers``.
Links between nodes are edges with the most specific true Biolink predicate
(:func:`kg.core.biolink.predicate`), the ``nmo`` property as ``original_predicate``, and the sources of the
statement as ``publications`` (DOIs) and ``citations`` (``CMR2022 §4 [78]``): for what a formulation is made
of and for background biology those of its reified ``rdf:Statement``s, for a study, trial or approval its own.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kg.core.biolink import KGX_PREFIXES, category, node_id, predicate, xref
from kg.core.prefixes import NMO, PREFIXES, compact, expand
from kg.core.schema import (
    ACTS_ON,
    BINDS,
    CITED_REFERENCE,
    DOI,
    HAS_CARGO,
    HAS_LIGAND,
    LINES,
    SECTION,
    SHORT_NAME,
    SOURCE_DOCUMENT,
    TARGETS,
    TYPE_ORDER,
)
from kg.export.rdf import RDF, RDF_TYPE, RDFS_LABEL, SKOS, Term, canonical

NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "equivalent_identifiers", "iri",
                "nmo_types")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "original_predicate", "knowledge_level", "agent_type",
                "publications", "citations")
PREFIX_MAP = "prefix-map.json"
# edge ids: name-based UUIDs of the triple, so the same statement always gets the same id
EDGE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/nanomet-kg/")


def _citation(props: dict[str, list[Term]], documents: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(DOI CURIE, human citation) of a record or statement with nmo:sourceDocument."""
    from kg.core.citations import citation

    doc = props.get(expand(SOURCE_DOCUMENT), [None])[0]
    if doc is None or doc.value not in documents:
        return "", ""
    short, doi = documents[doc.value]

    def first(curie: str) -> str | None:
        values = props.get(expand(curie))
        return values[0].value if values else None

    refs = ",".join(r.value for r in props.get(expand(CITED_REFERENCE), []))
    return (f"doi:{doi}" if doi else ""), citation(short, first(SECTION), first(LINES), refs)


def _tsv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, delimiter="\t", lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _node(subject: ox.NamedNode, p: dict[str, list[Term]], classes: list[str]) -> dict[str, str]:
    most_specific = min(classes, key=lambda c: (TYPE_ORDER.index(c) if c in TYPE_ORDER else len(TYPE_ORDER),
                                                c))
    xrefs = sorted({xref(x.value) for x in p.get(SKOS + "exactMatch", [])}
                   | {f"doi:{d.value}" for d in p.get(expand(DOI), [])})
    definition = p.get(SKOS + "definition") or p.get(PREFIXES["rdfs"] + "comment") or []
    return {
        "id": node_id(subject.value), "category": category(most_specific, xrefs),
        "name": p[RDFS_LABEL][0].value,
        "description": definition[0].value if definition else "",
        "synonym": "|".join(sorted(a.value for a in p.get(SKOS + "altLabel", []))),
        "xref": "|".join(xrefs), "equivalent_identifiers": "|".join(xrefs),
        "iri": subject.value, "nmo_types": "|".join(sorted(f"nmo:{c}" for c in classes)),
    }


def to_kgx(triples: Iterable[ox.Triple]) -> dict[str, bytes]:
    """``nodes.tsv``, ``edges.tsv`` and ``prefix-map.json`` (the id prefixes used beyond Biolink's)."""
    props: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    triples = canonical(triples)
    for t in triples:
        props[t.subject][t.predicate.value].append(t.object)
    short_name, doi = expand(SHORT_NAME), expand(DOI)
    documents = {s.value: (p[short_name][0].value, p.get(doi, [ox.Literal("")])[0].value)
                 for s, p in props.items() if short_name in p}
    nodes = {}
    for subject, p in props.items():
        classes = [o.value[len(NMO):] for o in p.get(RDF_TYPE, []) if o.value.startswith(NMO)]
        if not isinstance(subject, ox.NamedNode) or RDFS_LABEL not in p or not classes:
            continue
        if subject.value.startswith(NMO):
            continue  # the ontology's own terms are schema, not data
        nodes[subject.value] = _node(subject, p, classes)
    sources: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for subject, p in props.items():
        if isinstance(subject, ox.BlankNode) and RDF + "subject" in p:
            key = (p[RDF + "subject"][0].value, p[RDF + "predicate"][0].value, p[RDF + "object"][0].value)
            sources[key].append(_citation(p, documents))

    def reached(subject: Term, via: str, link: str) -> set[str]:
        """What the parts of ``subject`` (by ``via``) are linked to by ``link``."""
        return {o.value for part in props[subject].get(expand(via), [])
                for o in props[part].get(expand(link), [])}

    edges = []
    for t in triples:
        s, p, o = t.subject.value, t.predicate.value, t.object.value
        if p == RDF_TYPE or s not in nodes or not isinstance(t.object, ox.NamedNode) or o not in nodes:
            continue
        original = compact(p)
        targeted = original == TARGETS
        cited = sources.get((s, p, o), [])
        own = _citation(props[t.subject], documents)
        edges.append({
            "id": f"urn:uuid:{uuid.uuid5(EDGE_NAMESPACE, f'{s} {p} {o}')}",
            "subject": nodes[s]["id"], "object": nodes[o]["id"], "original_predicate": original,
            "predicate": predicate(original, nodes[o]["category"],
                                   ligand_binds=targeted and o in reached(t.subject, HAS_LIGAND, BINDS),
                                   cargo_acts_on=targeted and o in reached(t.subject, HAS_CARGO, ACTS_ON)),
            "knowledge_level": "knowledge_assertion", "agent_type": "manual_agent",
            "publications": "|".join(sorted({d for d, _ in cited + [own] if d})),
            "citations": "|".join(sorted({c for _, c in cited + [own] if c})),
        })
    prefix_map = json.dumps(dict(sorted(KGX_PREFIXES.items())), indent=1) + "\n"
    return {"nodes.tsv": _tsv(NODE_COLUMNS, sorted(nodes.values(), key=lambda n: n["id"])),
            "edges.tsv": _tsv(EDGE_COLUMNS, edges), PREFIX_MAP: prefix_map.encode("utf-8")}
