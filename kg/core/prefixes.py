"""Prefixes of the graph's namespaces (plain strings, no RDF library needed).

>>> compact("https://w3id.org/nanomet-kg/id/target/cd44")
'target:cd44'
>>> expand("target:cd44")
'https://w3id.org/nanomet-kg/id/target/cd44'
"""

from __future__ import annotations

BASE = "https://w3id.org/nanomet-kg/"
ID = BASE + "id/"
NMO = BASE + "ontology#"

FAMILIES = (
    "formulation", "study", "agent", "target", "disease", "organ", "carrier", "mechanism", "step",
    "evidence", "modality", "agency", "approval", "trial", "drugclass", "source",
)

PREFIXES: dict[str, str] = {
    "nmo": NMO,
    **{("form" if f == "formulation" else "src" if f == "source" else f): f"{ID}{f}/" for f in FAMILIES},
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}


_BY_NAMESPACE = {ns: prefix for prefix, ns in PREFIXES.items()}


def compact(iri: str) -> str:
    """Shortest ``prefix:local`` form of an IRI, or the IRI itself."""
    # fast path: every namespace ends in / or #, so the longest one that matches ends at the last of them
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    if (prefix := _BY_NAMESPACE.get(iri[:cut])) is not None:
        return f"{prefix}:{iri[cut:]}"
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


def expand(curie: str) -> str:
    """Full IRI of a ``prefix:local`` name (unchanged if the prefix is unknown)."""
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return curie


def sparql_prologue() -> str:
    """PREFIX declarations for all known prefixes."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
