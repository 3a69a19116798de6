"""The knowledge graph as a NetworkX multigraph of entities (the input of path analysis and views).

Nodes are entity IRIs with ``label``, ``type`` (the most specific model class, e.g. ``CarrierType``),
``types`` and ``family`` (the top-level class, e.g. ``Agent`` for a small molecule). Edges run subject →
object, keyed by predicate (``pred``, a CURIE such as ``nmo:hasCarrier``), and carry ``sources``: the
citations the statement rests on (a study's own provenance, or a reified background statement's).
Literals, blank nodes and schema triples (types, scheme membership, ontology axioms) are left out.

With ``collapse_studies=True`` study nodes disappear: each study's links become formulation → X edges
carrying the study's ``evidence`` (best rank), ``studies`` and ``sources``.

Projections are cached per store fingerprint, in memory and next to the store on disk.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from kg.prefixes import NMO, compact
from kg.store.base import Store

if TYPE_CHECKING:
    import networkx as nx

# Most specific first: a node's ``type`` is the first of its classes in this order.
TYPE_ORDER = (
    "FormulationStrategy", "Formulation", "Study", "ClinicalTrial", "RegulatoryApproval",
    "SiRNA", "MiRNA", "MRNA", "Plasmid", "NucleicAcid", "Antibody", "Peptide", "Protein",
    "PhotoactiveAgent", "ImagingAgent", "CellTherapy", "SmallMolecule", "Material", "TargetingLigand", "Agent",
    "MolecularTarget", "CellPopulation", "Target", "CarrierType", "Mechanism", "CascadeStep", "CancerType",
    "Organ", "TherapyModality", "EvidenceLevel", "Agency", "DrugClass", "SourceDocument",
)
FAMILY = {
    **{t: "Agent" for t in ("SiRNA", "MiRNA", "MRNA", "Plasmid", "NucleicAcid", "Antibody", "Peptide", "Protein",
                            "PhotoactiveAgent", "ImagingAgent", "CellTherapy", "SmallMolecule", "Material",
                            "TargetingLigand", "Agent")},
    **{t: "Target" for t in ("MolecularTarget", "CellPopulation", "Target")},
    "FormulationStrategy": "Formulation",
}

# Links between entities that the projection keeps (everything else is schema or literal).
ENTITY_PREDICATES = (
    "nmo:hasCarrier", "nmo:hasCoating", "nmo:hasLigand", "nmo:hasCargo", "nmo:targets", "nmo:evaluates",
    "nmo:cancerType", "nmo:metastasisSite", "nmo:mechanism", "nmo:addressesStep", "nmo:modality",
    "nmo:combinedWith", "nmo:evidenceLevel", "nmo:sourceDocument", "nmo:approves", "nmo:agency",
    "nmo:indication", "nmo:phase", "nmo:testsFormulation", "nmo:involvedIn", "nmo:actsOn", "nmo:binds",
    "nmo:drugClass", "nmo:highestStatus", "nmo:precedes", "nmo:reversibleWith", "skos:broader",
)
# Study links that become formulation → X edges when studies are collapsed.
STUDY_PREDICATES = ("nmo:cancerType", "nmo:metastasisSite", "nmo:mechanism", "nmo:addressesStep",
                    "nmo:modality", "nmo:combinedWith", "nmo:evidenceLevel")

NODES_QUERY = """
SELECT ?node ?label ?class WHERE {
  ?node a ?class ; rdfs:label ?label .
  FILTER(isIRI(?node) && STRSTARTS(STR(?class), STR(nmo:)))
  FILTER NOT EXISTS { ?node a owl:Class } FILTER NOT EXISTS { ?node a owl:ObjectProperty }
  FILTER NOT EXISTS { ?node a owl:DatatypeProperty } FILTER NOT EXISTS { ?node a owl:Ontology }
}"""

EDGES_QUERY = """
SELECT ?s ?p ?o WHERE {
  VALUES ?p { %s }
  ?s ?p ?o . FILTER(isIRI(?s) && isIRI(?o))
}""" % " ".join(ENTITY_PREDICATES)

STUDY_SOURCES_QUERY = """
SELECT ?study ?doc ?section ?lines (GROUP_CONCAT(STR(?ref); SEPARATOR=",") AS ?refs) (MAX(?rank) AS ?best) WHERE {
  ?study a nmo:Study ; nmo:sourceDocument/nmo:shortName ?doc .
  OPTIONAL { ?study nmo:section ?section } OPTIONAL { ?study nmo:lines ?lines }
  OPTIONAL { ?study nmo:citedReference ?ref } OPTIONAL { ?study nmo:evidenceLevel/nmo:rank ?rank }
} GROUP BY ?study ?doc ?section ?lines"""

STATEMENT_SOURCES_QUERY = """
SELECT ?s ?p ?o ?doc ?section ?lines (GROUP_CONCAT(STR(?ref); SEPARATOR=",") AS ?refs) WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; nmo:sourceDocument/nmo:shortName ?doc .
  OPTIONAL { ?st nmo:section ?section } OPTIONAL { ?st nmo:lines ?lines }
  OPTIONAL { ?st nmo:citedReference ?ref }
} GROUP BY ?st ?s ?p ?o ?doc ?section ?lines"""

_MEMORY: dict[tuple[str, bool], nx.MultiDiGraph] = {}


def citation(doc: str, section: str | None, lines: str | None, refs: str | None) -> str:
    """A human citation such as ``CMR2022 §4 [78]`` or ``NH2026 l.601-605 [178, 179]``.

    >>> citation("CMR2022", "4", None, "78")
    'CMR2022 §4 [78]'
    >>> citation("NH2026", "Table 1", "731", "164,12")
    'NH2026 Table 1 l.731 [12, 164]'
    """
    where = []
    if section:
        where.append(section if section.startswith("Table") else f"§{section}")
    if lines:
        where.append(f"l.{lines}")
    numbers = sorted({int(r) for r in refs.split(",") if r}) if refs else []
    cited = f" [{', '.join(map(str, numbers))}]" if numbers else ""
    return f"{doc} {' '.join(where)}{cited}".strip()


def _value(row, key):
    term = row.get(key)
    return term.value if term is not None else None


def _node_types(store: Store) -> dict[str, dict]:
    _, rows = store.select(NODES_QUERY)
    nodes: dict[str, dict] = {}
    for r in rows:
        node = nodes.setdefault(r["node"].value, {"label": r["label"].value, "types": set()})
        node["types"].add(r["class"].value[len(NMO):])
    for attrs in nodes.values():
        attrs["type"] = next((t for t in TYPE_ORDER if t in attrs["types"]), sorted(attrs["types"])[0])
        attrs["family"] = FAMILY.get(attrs["type"], attrs["type"])
        attrs["types"] = sorted(attrs["types"])
    return nodes


def build_projection(store: Store, collapse_studies: bool = False) -> nx.MultiDiGraph:
    """Project ``store`` into a fresh ``MultiDiGraph`` (no caching)."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    nodes = _node_types(store)
    for iri, attrs in nodes.items():
        graph.add_node(iri, **attrs)

    _, study_rows = store.select(STUDY_SOURCES_QUERY)
    study_info = {
        r["study"].value: (citation(_value(r, "doc"), _value(r, "section"), _value(r, "lines"), _value(r, "refs")),
                           int(r["best"].value) if "best" in r else 0)
        for r in study_rows
    }
    _, statement_rows = store.select(STATEMENT_SOURCES_QUERY)
    statement_sources: dict[tuple[str, str, str], list[str]] = {}
    for r in statement_rows:
        key = (r["s"].value, compact(r["p"].value), r["o"].value)
        statement_sources.setdefault(key, []).append(
            citation(_value(r, "doc"), _value(r, "section"), _value(r, "lines"), _value(r, "refs")))

    _, edge_rows = store.select(EDGES_QUERY)
    evaluates = {r["s"].value: r["o"].value for r in edge_rows if compact(r["p"].value) == "nmo:evaluates"}
    for r in edge_rows:
        s, p, o = r["s"].value, compact(r["p"].value), r["o"].value
        if s not in nodes or o not in nodes:
            continue
        if s in study_info:
            source, rank = study_info[s]
            sources = [source]
        else:
            sources, rank = sorted(statement_sources.get((s, p, o), [])), None
        if collapse_studies and s in study_info:
            if p not in STUDY_PREDICATES or s not in evaluates:
                continue
            _add_collapsed(graph, evaluates[s], p, o, s, source, rank)
            continue
        graph.add_edge(s, o, key=p, pred=p, sources=sources, **({"evidence": rank} if rank is not None else {}))
    if collapse_studies:
        graph.remove_nodes_from([n for n, d in graph.nodes(data=True) if d["type"] == "Study"])
    return graph


def _add_collapsed(graph, formulation: str, pred: str, obj: str, study: str, source: str, rank: int) -> None:
    if graph.has_edge(formulation, obj, key=pred):
        data = graph.edges[formulation, obj, pred]
        data["studies"].append(study)
        data["sources"] = sorted(set(data["sources"]) | {source})
        data["evidence"] = max(data["evidence"], rank)
    else:
        graph.add_edge(formulation, obj, key=pred, pred=pred, studies=[study], sources=[source], evidence=rank)


def projection(store: Store, collapse_studies: bool = False) -> nx.MultiDiGraph:
    """The cached projection of ``store`` (rebuilt when the store's fingerprint changes)."""
    fingerprint = _fingerprint(store)
    key = (fingerprint, collapse_studies)
    if fingerprint and key in _MEMORY:
        return _MEMORY[key]
    cache = _cache_file(store, collapse_studies, fingerprint)
    if cache is not None and cache.is_file():
        graph = pickle.loads(cache.read_bytes())
    else:
        graph = build_projection(store, collapse_studies)
        if cache is not None:
            try:
                cache.write_bytes(pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL))
            except OSError:
                pass  # a read-only location only costs us the disk cache
    if fingerprint:
        _MEMORY.clear() if len(_MEMORY) > 8 else None
        _MEMORY[key] = graph
    return graph


def _fingerprint(store: Store) -> str:
    manifest = getattr(store, "manifest", None)
    return manifest().get("fingerprint", "") if callable(manifest) else ""


def _cache_file(store: Store, collapse: bool, fingerprint: str) -> Path | None:
    path = getattr(store, "path", None)
    if not fingerprint or path is None:
        return None
    return Path(path).parent / f".projection-{fingerprint}-{'collapsed' if collapse else 'full'}.pickle"
