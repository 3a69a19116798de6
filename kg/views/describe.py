"""The words of a view: tooltip text and links for nodes and edges, and short names of identifiers.

Tooltips are plain text (vis-network shows a string title as text, so nothing in the data can inject
markup); links (external identifiers, DOIs) go to the details panel that opens on a click.

>>> identifier_name("http://purl.obolibrary.org/obo/CHEBI_45863")
'CHEBI:45863'
>>> identifier_name("https://identifiers.org/hgnc:1681"), identifier_name("https://clinicaltrials.gov/study/NCT01234567")
('HGNC:1681', 'NCT01234567')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from kg.core.prefixes import compact
from kg.core.schema import TYPE_ORDER
from kg.views.details import Details, StudyInfo
from kg.views.subgraphs import RESULT

if TYPE_CHECKING:
    import networkx as nx

MAX_LIST = 8

_IDENTIFIER_FORMS = (
    (re.compile(r"^https?://purl\.obolibrary\.org/obo/([A-Za-z]+)_(\w+)$"), "{0}:{1}"),
    (re.compile(r"^https?://identifiers\.org/([\w.]+)[:/](.+)$"), "{0}:{1}"),
    (re.compile(r"^https?://bioregistry\.io/([\w.]+):(.+)$"), "{0}:{1}"),
    (re.compile(r"genenames\.org/.*\b(?:hgnc_id/)?(?:HGNC:)?(\d+)$", re.I), "HGNC:{0}"),
    (re.compile(r"ncbi\.nlm\.nih\.gov/gene/(\d+)"), "NCBIGene:{0}"),
    (re.compile(r"uniprot\.org/uniprot(?:kb)?/(\w+)"), "UniProt:{0}"),
    (re.compile(r"Thesaurus\.owl#(C\d+)$"), "NCIT:{0}"),
    (re.compile(r"clinicaltrials\.gov/.*\b(NCT\d{8})\b"), "{0}"),
)


def identifier_name(iri: str) -> str:
    """A short ``PREFIX:id`` for an external identifier IRI; the IRI itself when the form is unknown."""
    for pattern, form in _IDENTIFIER_FORMS:
        if m := pattern.search(iri):
            groups = list(m.groups())
            if form.startswith("{0}:") and len(groups) == 2:
                groups[0] = groups[0].upper()
            return form.format(*groups)
    return iri


def _listed(items: list[str], bullet: str = "  • ") -> list[str]:
    shown = [bullet + item for item in items[:MAX_LIST]]
    if len(items) > MAX_LIST:
        shown.append(f"  … and {len(items) - MAX_LIST} more")
    return shown


def _studies(count: int) -> str:
    return f"{count} stud{'y' if count == 1 else 'ies'}"


def _strongest_first(study: StudyInfo) -> tuple:
    return -study.evidence_rank, study.citation, study.evidence, study.label


def cited(citation: str, details: Details) -> str:
    """A citation with the DOI of its source document: ``CMR2022 §4 [78] (doi:10.1007/…)``."""
    doi = details.doi(citation)
    return f"{citation} (doi:{doi})" if doi else citation


def node_text(node: str, attrs: Mapping, details: Details) -> str:
    """Tooltip of a node: label, classes, other names, identifiers, definition, studies or source, IRI."""
    types = sorted(attrs.get("types") or [attrs["type"]],
                   key=lambda t: (TYPE_ORDER.index(t) if t in TYPE_ORDER else len(TYPE_ORDER), t))
    lines = [attrs["label"], " · ".join(details.term(f"nmo:{t}") for t in types)]
    if alt := details.alt_labels.get(node):
        lines.append("also: " + ", ".join(alt))
    if ids := details.identifiers.get(node):
        lines.append("identifiers: " + ", ".join(identifier_name(i) for i in ids))
    if definition := details.definitions.get(node):
        lines.append(definition)
    if study := details.studies.get(node):
        lines.append(f"evidence: {study.evidence or 'not given'}")
    if citation := details.citations.get(node):
        lines.append(f"source: {cited(citation, details)}")
    if studies := details.studies_of.get(node):
        infos = sorted((details.studies[s] for s in studies), key=_strongest_first)
        lines.append(f"{_studies(len(infos))}, best evidence {infos[0].evidence or 'not given'}:")
        lines += _listed([f"{cited(i.citation, details)}: {i.evidence}" for i in infos])
    lines.append(compact(node))
    return "\n".join(lines)


def node_links(node: str, details: Details) -> list[list[str]]:
    """[text, URL] pairs for the details panel: the node's identifiers and the DOIs of its sources."""
    links = [[identifier_name(i), i] for i in details.identifiers.get(node, ()) if i.startswith(("http://", "https://"))]
    citations = [details.citations[node]] if node in details.citations else []
    citations += [details.studies[s].citation for s in details.studies_of.get(node, ())]
    return links + doi_links(citations, details)


def doi_links(citations: list[str], details: Details) -> list[list[str]]:
    """One [``doi:…``, resolver URL] pair per distinct DOI among the citations."""
    dois = sorted({doi for c in citations if (doi := details.doi(c))})
    return [[f"doi:{doi}", f"https://doi.org/{doi}"] for doi in dois]


def edge_text(graph: nx.MultiDiGraph, u: str, v: str, predicate: str, data: Mapping, details: Details) -> str:
    """Tooltip of an edge: the statement, then its evidence and its studies or sources."""
    labels = graph.nodes[u]["label"], graph.nodes[v]["label"]
    if predicate == RESULT:
        return "\n".join([f"{labels[0]} — {labels[1]}", "in the same query result row"]
                         + _listed(sorted(data.get("rows", ()))))
    lines = [f"{labels[0]} —{details.term(predicate)}→ {labels[1]}"]
    studies = [details.studies[s] for s in data.get("studies", ()) if s in details.studies]
    if studies:
        studies.sort(key=_strongest_first)
        lines.append(f"evidence: {studies[0].evidence or 'not given'} (best of {_studies(len(studies))})")
        lines += _listed([f"{cited(i.citation, details)}: {i.evidence}" for i in studies])
        return "\n".join(lines)
    if own := details.studies.get(u):
        lines.append(f"evidence: {own.evidence or 'not given'}")
    sources = list(data.get("sources", ()))
    if sources:
        lines.append("source:" if len(sources) == 1 else "sources:")
        lines += _listed([cited(s, details) for s in sources])
    return "\n".join(lines)


def edge_citations(data: Mapping, details: Details) -> list[str]:
    """Every citation an edge rests on (its studies' or its own)."""
    studies = [details.studies[s].citation for s in data.get("studies", ()) if s in details.studies]
    return studies or list(data.get("sources", ()))
