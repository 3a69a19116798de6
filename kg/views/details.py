"""What the tooltips say beyond the projection: alt labels, external identifiers, definitions, DOIs,
the labels of classes and predicates, and each study's evidence and citation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.analysis.reach import study_evidence
from kg.core.prefixes import compact
from kg.core.schema import CITED_TYPES, EVALUATES, SOURCE_DOCUMENT
from kg.store.base import Store

if TYPE_CHECKING:
    import networkx as nx

ANNOTATIONS_QUERY = """
SELECT ?node ?kind ?value WHERE {
  { ?node skos:altLabel ?value BIND("alt" AS ?kind) }
  UNION { ?node skos:exactMatch ?value FILTER(isIRI(?value)) BIND("id" AS ?kind) }
  UNION { ?node skos:definition ?value BIND("definition" AS ?kind) }
  UNION { ?node rdfs:comment ?value BIND("definition" AS ?kind) }
  FILTER(isIRI(?node))
}"""

TERMS_QUERY = """
SELECT ?term ?label WHERE {
  ?term rdfs:label ?label .
  { ?term a owl:Class } UNION { ?term a owl:ObjectProperty }
}"""

DOIS_QUERY = "SELECT ?name ?doi WHERE { ?doc nmo:shortName ?name ; nmo:doi ?doi }"


@dataclass(frozen=True)
class StudyInfo:
    """A study as a tooltip line: its label, formulation, strongest evidence and citation."""

    label: str
    formulation: str
    evidence_rank: int
    evidence: str
    citation: str


@dataclass(frozen=True)
class Details:
    """Look-up tables for tooltips, keyed by IRI (terms by CURIE, DOIs by source short name)."""

    alt_labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    identifiers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    definitions: Mapping[str, str] = field(default_factory=dict)
    term_labels: Mapping[str, str] = field(default_factory=dict)
    dois: Mapping[str, str] = field(default_factory=dict)
    studies: Mapping[str, StudyInfo] = field(default_factory=dict)
    citations: Mapping[str, str] = field(default_factory=dict)
    studies_of: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def term(self, curie: str) -> str:
        """Label of a class or predicate (``nmo:hasCarrier`` → ``has carrier``), else its local name."""
        return self.term_labels.get(curie, curie.split(":", 1)[-1])

    def doi(self, citation: str) -> str | None:
        """DOI of the source document a citation such as ``CMR2022 §4 [78]`` names."""
        return self.dois.get(citation.split(" ", 1)[0])


def load_details(store: Store, full: nx.MultiDiGraph) -> Details:
    """Read the tables from ``store``; studies and citations come from ``full`` (the projection with
    studies)."""
    _, rows = store.select(ANNOTATIONS_QUERY)
    found: dict[str, dict[str, set[str]]] = {"alt": defaultdict(set), "id": defaultdict(set),
                                             "definition": defaultdict(set)}
    for r in rows:
        found[r["kind"].value][r["node"].value].add(r["value"].value)
    _, terms = store.select(TERMS_QUERY)
    _, dois = store.select(DOIS_QUERY)
    citations = _citations(full)
    studies = {n: _study(full, n, citations.get(n, ""))
               for n, d in full._node.items() if d["type"] == "Study"}  # NetworkX's own dict, as below
    studies_of: dict[str, list[str]] = defaultdict(list)
    for study, info in sorted(studies.items()):
        studies_of[info.formulation].append(study)
    return Details(
        alt_labels={n: tuple(sorted(v, key=lambda name: (name.casefold(), name)))
                    for n, v in found["alt"].items()},
        identifiers={n: tuple(sorted(v)) for n, v in found["id"].items()},
        definitions={n: min(v, key=lambda text: (len(text), text)) for n, v in found["definition"].items()},
        term_labels={compact(r["term"].value): r["label"].value for r in terms},
        dois={r["name"].value: r["doi"].value for r in dois},
        studies=studies,
        citations=citations,
        studies_of={f: tuple(s) for f, s in studies_of.items()},
    )


def _citations(full: nx.MultiDiGraph) -> dict[str, str]:
    """Study, trial or approval → its own citation (carried by its source-document link; the first in
    order if it has several)."""
    found: dict[str, str] = {}
    nodes, succ = full._node, full._succ  # NetworkX's own dicts: its views cost more than the work here
    for u, attrs in nodes.items():
        if attrs["type"] not in CITED_TYPES:
            continue
        for keys in succ[u].values():
            data = keys.get(SOURCE_DOCUMENT)
            if data is not None and data.get("sources"):
                found[u] = min([data["sources"][0], *([found[u]] if u in found else [])])
    return found


def _study(full: nx.MultiDiGraph, study: str, citation: str) -> StudyInfo:
    formulation = next((v for v, keys in full._succ[study].items() if EVALUATES in keys), "")
    rank, evidence = study_evidence(full, study)
    return StudyInfo(full.nodes[study]["label"], formulation, rank, evidence, citation)
