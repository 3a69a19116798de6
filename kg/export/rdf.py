"""The whole graph as Turtle, N-Triples, JSON-LD or GraphML, in a canonical order.

Every format is deterministic: triples are sorted, and blank nodes (the reified ``rdf:Statement``\\ s
that carry the provenance of background biology) get labels derived from a hash of their content, so
the same graph always gives the same bytes and a change shows up as a small diff.

>>> import pyoxigraph as ox
>>> ex = lambda x: ox.NamedNode("https://w3id.org/nanomet-kg/id/target/" + x)
>>> label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
>>> triples = [ox.Triple(ex("b"), label, ox.Literal("B")), ox.Triple(ex("a"), label, ox.Literal("A"))]
>>> print(to_ntriples(triples).decode(), end="")
<https://w3id.org/nanomet-kg/id/target/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .
<https://w3id.org/nanomet-kg/id/target/b> <http://www.w3.org/2000/01/rdf-schema#label> "B" .
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kg.core.prefixes import PREFIXES, compact

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = PREFIXES["skos"]
RDF = PREFIXES["rdf"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal


# ------------------------------------------------------------------ canonical triples

def _placeholder(term: Term) -> str:
    return "_:" if isinstance(term, ox.BlankNode) else str(term)


def stable_blank_nodes(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples with every blank node renamed ``b<hash>`` after its outgoing triples (other blank
    nodes in them counted as equal); blank nodes with identical content are numbered in turn."""
    triples = list(triples)
    content: dict[str, list[str]] = defaultdict(list)
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            content[t.subject.value].append(f"{t.predicate} {_placeholder(t.object)}")
        if isinstance(t.object, ox.BlankNode):
            content.setdefault(t.object.value, [])
    digests = {b: hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:16]
               for b, lines in content.items()}
    names: dict[str, str] = {}
    seen: dict[str, int] = defaultdict(int)
    for old, digest in sorted(digests.items(), key=lambda item: (item[1], item[0])):
        seen[digest] += 1
        names[old] = f"b{digest}" if seen[digest] == 1 else f"b{digest}x{seen[digest]}"

    def rename(term):
        return ox.BlankNode(names[term.value]) if isinstance(term, ox.BlankNode) else term

    return [ox.Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples]


def canonical(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Distinct triples with stable blank-node labels, sorted by their N-Triples form."""
    unique = {str(t): t for t in stable_blank_nodes(triples)}
    return [unique[k] for k in sorted(unique)]


# ------------------------------------------------------------------ RDF formats

def to_ntriples(triples: Iterable[ox.Triple]) -> bytes:
    return "".join(f"{t} .\n" for t in canonical(triples)).encode("utf-8")


def to_turtle(triples: Iterable[ox.Triple]) -> bytes:
    """Turtle with the project prefixes (declared in alphabetical order) and sorted statements."""
    body = ox.serialize(canonical(triples), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
    lines = body.splitlines()
    while lines and lines[0].startswith("@prefix "):
        lines.pop(0)
    header = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]
    return ("\n".join(header + [""] + lines) + "\n").encode("utf-8")


def _jsonld_iri(iri: str) -> str:
    short = compact(iri)
    return short if short != iri else iri


def _jsonld_value(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"@id": _jsonld_iri(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == PREFIXES["xsd"] + "string":
        return {"@value": term.value}
    return {"@value": term.value, "@type": _jsonld_iri(term.datatype.value)}


def to_jsonld(triples: Iterable[ox.Triple]) -> bytes:
    """Flattened JSON-LD with the project prefixes as context: one object per subject, sorted."""
    nodes: dict[str, dict] = {}
    for t in canonical(triples):
        subject = _jsonld_value(t.subject)["@id"]
        node = nodes.setdefault(subject, {"@id": subject})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(_jsonld_iri(t.object.value))
        else:
            node.setdefault(_jsonld_iri(t.predicate.value), []).append(_jsonld_value(t.object))
    document = {"@context": dict(sorted(PREFIXES.items())), "@graph": list(nodes.values())}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# ------------------------------------------------------------------ property-graph formats

def _node_id(term: Term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact(term.value)


def to_graphml(triples: Iterable[ox.Triple]) -> bytes:
    """GraphML: every IRI or blank node is a node (``iri``, ``label``, ``types`` and one attribute per
    literal predicate, several values joined by ``"; "``); every other triple is an edge with its
    ``predicate`` (rdf:type becomes the ``types`` attribute)."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    attributes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    edges = []
    for t in canonical(triples):
        subject = _node_id(t.subject)
        attributes[subject]["iri"] = [t.subject.value] if isinstance(t.subject, ox.NamedNode) else []
        if isinstance(t.object, ox.Literal):
            key = "label" if t.predicate.value == RDFS_LABEL else compact(t.predicate.value)
            attributes[subject][key].append(t.object.value)
        elif t.predicate.value == RDF_TYPE:
            attributes[subject]["types"].append(compact(t.object.value))
        else:
            target = _node_id(t.object)
            iri = [t.object.value] if isinstance(t.object, ox.NamedNode) else []
            attributes[target].setdefault("iri", iri)
            edges.append((subject, target, compact(t.predicate.value)))
    for node in sorted(attributes):
        graph.add_node(node, **{k: "; ".join(v) for k, v in sorted(attributes[node].items()) if v})
    for subject, target, predicate in edges:
        graph.add_edge(subject, target, key=predicate, predicate=predicate)
    out = io.BytesIO()
    nx.write_graphml(graph, out, encoding="utf-8", prettyprint=True)
    return out.getvalue()


WRITERS = {"ttl": to_turtle, "nt": to_ntriples, "jsonld": to_jsonld, "graphml": to_graphml}
