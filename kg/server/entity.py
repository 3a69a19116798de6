"""What an entity page shows, read with the SPARQL templates in ``kg/server/queries`` (the entity is
bound as a term, never pasted): the entity, its facts grouped by relation in both directions with each
statement's sources and evidence, its studies, and its neighbourhood as graph data.

>>> local_path("https://w3id.org/nanomet-kg/id/target/cd44")
'/id/target/cd44'
>>> local_path("https://identifiers.org/hgnc:1681") is None
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pyoxigraph as ox

from kg.core.citations import citation
from kg.core.prefixes import ID, NMO, compact, expand
from kg.core.schema import CITED_TYPES, FAMILY, QUALIFIER_TYPES, TYPE_ORDER
from kg.core.sparql import inject_values
from kg.store.base import Store

BATCH = 400             # IRIs per VALUES block
SHOWN_PER_RELATION = 60  # facts listed per relation; the rest are counted
SHOWN_STUDIES = 200
LITERAL_FIELDS = {"rdfs:label", "skos:altLabel", "skos:definition", "rdfs:comment", "nmo:doi"}
DOI_RESOLVER = "https://doi.org/"


@cache
def template(name: str) -> str:
    """The text of ``kg/server/queries/<name>.rq``."""
    return (resources.files("kg.server") / "queries" / f"{name}.rq").read_text(encoding="utf-8")


def local_path(iri: str) -> str | None:
    """The explorer's path for an entity IRI of this graph (its own path); None for other IRIs."""
    return "/id/" + iri[len(ID):] if iri.startswith(ID) else None


def identifier_text(iri: str) -> str:
    """How an external identifier reads: ``HGNC:1681``, ``NCT01234567``, ``doi:10.1039/…``.

    >>> identifier_text("https://doi.org/10.1039/D6NH00023A"), identifier_text("https://identifiers.org/hgnc:1681")
    ('doi:10.1039/D6NH00023A', 'HGNC:1681')
    """
    from kg.views.describe import identifier_name

    return "doi:" + iri[len(DOI_RESOLVER):] if iri.startswith(DOI_RESOLVER) else identifier_name(iri)


def entity_iri(path: str) -> str:
    """The entity IRI served at ``/id/<path>``."""
    return ID + path


@dataclass(frozen=True)
class Ref:
    """Another entity as a link: IRI, label, most specific type (class name and label) and page path."""

    iri: str
    label: str
    type: str = ""
    type_label: str = ""

    @property
    def href(self) -> str | None:
        return local_path(self.iri)

    @property
    def family(self) -> str:
        return FAMILY.get(self.type, self.type)


@dataclass(frozen=True)
class Source:
    """Where a statement or record comes from: ``NH2026 l.873-879 [235]``, the DOI, the evidence level."""

    citation: str
    doi: str = ""
    evidence: str = ""
    evidence_rank: int = 0
    record: Ref | None = None


@dataclass
class Relation:
    """The facts of one predicate in one direction (``out``: entity → other; ``in``: other → entity)."""

    direction: str
    predicate: str
    label: str
    total: int
    facts: list[tuple[Ref, list[Source]]] = field(default_factory=list)


@dataclass
class Entity:
    iri: str
    label: str
    types: list[Ref]
    alt_labels: list[str]
    definitions: list[str]
    identifiers: list[str]
    properties: list[tuple[str, str]]
    relations: list[Relation]
    studies: list[tuple[Ref, Ref, Source | None]]
    own_source: Source | None

    @property
    def curie(self) -> str:
        return compact(self.iri)

    @property
    def type(self) -> Ref | None:
        return self.types[0] if self.types else None


class Terms:
    """Labels and most specific types of IRIs, read in batches with ``terms.rq``."""

    def __init__(self, store: Store, class_labels: dict[str, str] | None = None):
        self.store = store
        self.class_labels = class_labels or {}
        self.labels: dict[str, str] = {}
        self.classes: dict[str, set[str]] = {}

    def load(self, iris) -> None:
        missing = sorted({i for i in iris if i not in self.labels and i not in self.classes})
        for start in range(0, len(missing), BATCH):
            rows = [[ox.NamedNode(i)] for i in missing[start:start + BATCH]]
            for r in self.store.select(inject_values(template("terms"), ["node"], rows))[1]:
                node = r["node"].value
                self.classes.setdefault(node, set())
                if "label" in r and (node not in self.labels or r["label"].value < self.labels[node]):
                    self.labels[node] = r["label"].value
                if "class" in r:
                    self.classes[node].add(r["class"].value.removeprefix(NMO))

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or compact(iri)

    def type_of(self, iri: str) -> str:
        classes = self.classes.get(iri, set())
        return next((t for t in TYPE_ORDER if t in classes), min(classes, default=""))

    def family_of(self, iri: str) -> str:
        node_type = self.type_of(iri)
        return FAMILY.get(node_type, node_type)

    def ref(self, iri: str) -> Ref:
        node_type = self.type_of(iri)
        return Ref(iri, self.label(iri), node_type,
                   self.class_labels.get(node_type) or self.labels.get(NMO + node_type, node_type))


def _value(row: dict, key: str) -> str:
    return row[key].value if key in row else ""


def _source(row: dict, record: Ref | None = None) -> Source:
    rank = int(row["rank"].value) if "rank" in row else 0
    where = citation(_value(row, "source"), _value(row, "section") or None, _value(row, "lines") or None,
                     _value(row, "refs").replace(" ", "") or None)
    return Source(where,
                  _value(row, "doi"), _value(row, "evidence_label"), rank, record)


def record_sources(store: Store, terms: Terms, records: list[str]) -> dict[str, Source]:
    """Record (study, trial, approval) → its source, with the strongest evidence level it states."""
    found: dict[str, Source] = {}
    for start in range(0, len(records), BATCH):
        rows = [[ox.NamedNode(r)] for r in records[start:start + BATCH]]
        for r in store.select(inject_values(template("records"), ["record"], rows))[1]:
            node = r["record"].value
            source = _source(r, terms.ref(node))
            if node not in found or source.evidence_rank > found[node].evidence_rank:
                found[node] = source
    return found


def exists(store: Store, iri: str) -> bool:
    return store.ask("ASK { { ?entity ?p ?o } UNION { ?s ?p ?entity } }", {"entity": ox.NamedNode(iri)})


def links(store: Store, iri: str) -> list[tuple[str, str, str]]:
    """(direction, predicate IRI, other IRI) of the entity's links (capped by ``entity-links.rq``)."""
    _, rows = store.select(template("entity-links"), {"entity": ox.NamedNode(iri)})
    return [(r["direction"].value, r["p"].value, r["other"].value) for r in rows]


def class_labels(store: Store) -> dict[str, str]:
    """Class name (``MolecularTarget``) → its label (``molecular target``)."""
    _, rows = store.select(template("classes"))
    return {r["class"].value.removeprefix(NMO): r["label"].value for r in rows}


def studies_about(store: Store, terms: Terms, iri: str, linked) -> list[tuple[str, str]]:
    """(study, formulation) pairs about the entity: studies linked to it, and studies of the formulations
    linked to it (at most :data:`SHOWN_STUDIES`), each found from the links already read."""
    direct = [o for d, _, o in linked if d == "in" and terms.type_of(o) == "Study"]
    formulations = [o for _, _, o in linked if terms.family_of(o) == "Formulation"]
    pairs: dict[str, str] = {}
    for variable, nodes in (("study", direct), ("formulation", formulations)):
        for start in range(0, len(nodes), BATCH):
            if len(pairs) >= SHOWN_STUDIES:
                break
            rows = [[ox.NamedNode(n)] for n in nodes[start:start + BATCH]]
            for r in store.select(inject_values(template("studies-of"), [variable], rows))[1]:
                pairs.setdefault(r["study"].value, r["formulation"].value)
    pairs.pop(iri, None)
    return list(pairs.items())[:SHOWN_STUDIES]


def read_entity(store: Store, iri: str, class_names: dict[str, str] | None = None) -> Entity:
    """Everything the page of ``iri`` shows (``class_names``: :func:`class_labels`, if already read)."""
    node = ox.NamedNode(iri)
    bound = {"entity": node}
    about = store.select(template("entity-about"), bound)[1]
    linked = links(store, iri)
    counts = {(r["direction"].value, r["p"].value): int(r["n"].value)
              for r in store.select(template("entity-link-counts"), bound)[1]}
    terms = Terms(store, class_names)
    classes = [r["value"].value for r in about if compact(r["p"].value) == "rdf:type"]
    terms.load([iri, *classes, *(p for _, p, _ in linked), *(o for _, _, o in linked)])
    studied = studies_about(store, terms, iri, linked)
    terms.load([n for pair in studied for n in pair])
    statements: dict[tuple[str, str, str], list[Source]] = defaultdict(list)
    for r in store.select(template("entity-statements"), bound)[1]:
        statements[(r["s"].value, r["p"].value, r["o"].value)].append(_source(r))
    for cited in statements.values():
        cited.sort(key=lambda source: source.citation)
    relations = _relations(iri, linked, counts, terms)
    shown = [ref.iri for r in relations for ref, _ in r.facts if r.direction == "in"]
    records = [iri, *(o for o in shown if terms.type_of(o) in CITED_TYPES), *(s for s, _ in studied)]
    sources = record_sources(store, terms, list(dict.fromkeys(records)))
    for relation in relations:
        for ref, cited in relation.facts:
            s, o = (iri, ref.iri) if relation.direction == "out" else (ref.iri, iri)
            # composition and background: the places of its sourced statements
            cited += statements.get((s, expand(relation.predicate), o), [])
            if s in sources:  # a study, trial or approval states it
                cited.append(sources[s])
    return Entity(
        iri=iri, label=terms.label(iri),
        types=sorted((terms.ref(c) for c in classes if c.startswith(NMO)),
                     key=lambda t: TYPE_ORDER.index(t.iri[len(NMO):]) if t.iri[len(NMO):] in TYPE_ORDER
                     else len(TYPE_ORDER)),
        alt_labels=sorted({_value(r, "value") for r in about if compact(r["p"].value) == "skos:altLabel"},
                          key=str.casefold),
        definitions=sorted({_value(r, "value") for r in about
                            if compact(r["p"].value) in ("skos:definition", "rdfs:comment")}),
        identifiers=sorted([r["value"].value for r in about if compact(r["p"].value) == "skos:exactMatch"]
                           + [DOI_RESOLVER + r["value"].value for r in about
                              if compact(r["p"].value) == "nmo:doi"]),
        properties=sorted({(terms.labels.get(r["p"].value, compact(r["p"].value)), r["value"].value)
                           for r in about if isinstance(r["value"], ox.Literal)
                           and compact(r["p"].value) not in LITERAL_FIELDS}),
        relations=relations,
        studies=sorted(((terms.ref(study), terms.ref(formulation), sources.get(study))
                        for study, formulation in studied),
                       key=lambda s: (-(s[2].evidence_rank if s[2] else 0), s[0].label.casefold())),
        own_source=sources.get(iri),
    )


def _relations(iri: str, linked, counts, terms: Terms) -> list[Relation]:
    """The links grouped by (direction, predicate), each group sorted by label and cut to
    :data:`SHOWN_PER_RELATION` facts (their sources are added by the caller)."""
    groups: dict[tuple[str, str], Relation] = {}
    for direction, predicate, other in linked:
        key = (direction, predicate)
        if key not in groups:
            groups[key] = Relation(direction, compact(predicate), terms.label(predicate),
                                   counts.get(key, 0))
        groups[key].facts.append((terms.ref(other), []))
    for relation in groups.values():
        relation.facts.sort(key=lambda f: (f[0].label.casefold(), f[0].iri))
        relation.total = max(relation.total, len(relation.facts))
        del relation.facts[SHOWN_PER_RELATION:]
    return sorted(groups.values(), key=lambda r: (r.direction != "out", r.label.casefold()))


def neighbourhood(store: Store, iri: str, class_names: dict[str, str] | None = None, most: int = 40) -> dict:
    """The entity and up to ``most`` neighbours as graph data (nodes with label, type, family, page path;
    edges with predicate labels). Source documents and evidence levels are left out (as in ``kg view``)."""
    terms = Terms(store, class_names)
    linked = links(store, iri)
    terms.load([iri, *(p for _, p, _ in linked), *(o for _, _, o in linked)])
    kept: dict[str, Ref] = {}
    edges = []
    for direction, predicate, other in linked:
        ref = terms.ref(other)
        if ref.family in QUALIFIER_TYPES or (other not in kept and len(kept) >= most):
            continue
        kept[other] = ref
        s, o = (iri, other) if direction == "out" else (other, iri)
        edges.append({"from": s, "to": o, "label": terms.label(predicate), "predicate": compact(predicate)})
    nodes = [terms.ref(iri), *kept.values()]
    return {"nodes": [{"id": n.iri, "label": n.label, "type": n.type_label, "family": n.family,
                       "href": n.href} for n in nodes],
            "edges": edges, "more": max(0, len({o for _, _, o in linked}) - len(kept))}
