"""``kg export``: the whole graph as Turtle, N-Triples, JSON-LD, GraphML or KGX (Biolink-style TSV).

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

import csv
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.core.biolink import BIOLINK_CATEGORY, BIOLINK_PREDICATE, NAMED_THING, RELATED_TO
from kg.core.prefixes import NMO, PREFIXES, compact, expand
from kg.core.schema import CITED_REFERENCE, DOI, LINES, SECTION, SHORT_NAME, SOURCE_DOCUMENT

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = PREFIXES["skos"]
RDF = PREFIXES["rdf"]
FORMATS = ("ttl", "nt", "jsonld", "graphml", "kgx")
SUFFIX = {"ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "graphml": ".graphml", "kgx": ""}

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


KGX_NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "iri", "nmo_types")
KGX_EDGE_COLUMNS = ("id", "subject", "predicate", "object", "original_predicate", "knowledge_level",
                    "agent_type", "publications", "citations")


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


def to_kgx(triples: Iterable[ox.Triple]) -> dict[str, bytes]:
    """KGX TSV (``nodes.tsv``, ``edges.tsv``): typed, labelled entities of the model as nodes with Biolink
    categories; links between them as edges with Biolink predicates; reified statements become the
    ``publications`` / ``citations`` of the edge they describe."""
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
        categories = sorted({BIOLINK_CATEGORY.get(c, NAMED_THING) for c in classes})
        definition = p.get(SKOS + "definition") or p.get(PREFIXES["rdfs"] + "comment") or []
        nodes[subject.value] = {
            "id": compact(subject.value), "category": "|".join(categories), "name": p[RDFS_LABEL][0].value,
            "description": definition[0].value if definition else "",
            "synonym": "|".join(sorted(a.value for a in p.get(SKOS + "altLabel", []))),
            "xref": "|".join(sorted(x.value for x in p.get(SKOS + "exactMatch", []))),
            "iri": subject.value, "nmo_types": "|".join(sorted(f"nmo:{c}" for c in classes)),
        }
    sources: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for subject, p in props.items():
        if isinstance(subject, ox.BlankNode) and RDF + "subject" in p:
            key = (p[RDF + "subject"][0].value, p[RDF + "predicate"][0].value, p[RDF + "object"][0].value)
            sources[key].append(_citation(p, documents))
    edges = []
    for t in triples:
        s, p, o = t.subject.value, t.predicate.value, t.object.value
        if p == RDF_TYPE or s not in nodes or not isinstance(t.object, ox.NamedNode) or o not in nodes:
            continue
        original = compact(p)
        cited = sources.get((s, p, o), [])
        own = _citation(props[t.subject], documents)
        edges.append({
            "id": "nmkg:" + hashlib.sha256(f"{s} {p} {o}".encode()).hexdigest()[:16],
            "subject": nodes[s]["id"], "predicate": BIOLINK_PREDICATE.get(original, RELATED_TO),
            "object": nodes[o]["id"], "original_predicate": original,
            "knowledge_level": "knowledge_assertion", "agent_type": "manual_agent",
            "publications": "|".join(sorted({d for d, _ in cited + [own] if d})),
            "citations": "|".join(sorted({c for _, c in cited + [own] if c})),
        })
    return {"nodes.tsv": _tsv(KGX_NODE_COLUMNS, sorted(nodes.values(), key=lambda n: n["id"])),
            "edges.tsv": _tsv(KGX_EDGE_COLUMNS, edges)}


WRITERS = {"ttl": to_turtle, "nt": to_ntriples, "jsonld": to_jsonld, "graphml": to_graphml}


def export(triples: Iterable[ox.Triple], fmt: str, out: Path) -> list[Path]:
    """Write the graph in ``fmt`` to ``out`` (a file; for KGX a folder of two files); return the files."""
    if fmt == "kgx":
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in to_kgx(triples).items():
            (out / name).write_bytes(data)
            written.append(out / name)
        return written
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(WRITERS[fmt](triples))
    return [out]
