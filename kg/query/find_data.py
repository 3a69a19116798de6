"""What the rows of ``kg find`` show about its matches, fetched in a few batched lookups.

Each lookup is a fixed query whose nodes are bound in a ``VALUES`` block: the outgoing statements of
formulations, studies and the agents, records and documents they point to, the approvals and trials
pointing at a formulation, each value with its label. :meth:`Data.values` then gives the values of one
column that a formulation has or that one of its matching studies adds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox

from kg.core.prefixes import NMO
from kg.core.sparql import inject_values
from kg.store.base import Store

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
BATCH = 1000
RECORD, UNIT = "\x1e", "\x1f"  # (ASCII record and unit separators: in no IRI and in no curated text)
# One row per node: its (predicate, value, label of the value) statements concatenated, which is several
# times faster to read than a row per statement. Values come back as text (the predicates say which are
# IRIs); a value with several labels comes once per label.
OUTGOING = ("SELECT ?node (GROUP_CONCAT(CONCAT(STR(?p), '\\u001f', STR(?value), '\\u001f', "
            "COALESCE(STR(?label), '')); separator='\\u001e') AS ?pairs) WHERE { ?node ?p ?value . "
            "FILTER(?p IN (PREDICATES)) OPTIONAL { ?value rdfs:label ?label } } GROUP BY ?node")
INCOMING = OUTGOING.replace("?node ?p ?value", "?value ?p ?node")


@cache
def n(local: str) -> str:
    """The IRI of an ontology term, as a string."""
    return NMO + local


# what each column of a row reads: formulation predicates, study predicates, predicates of the nodes they
# point to (agents, coatings, approvals and trials, documents), and whether approvals and trials are needed
NEEDS: dict[str, tuple[set[str], set[str], set[str], bool]] = {
    "carrier": ({n("hasCarrier"), n("hasCoating")}, set(), {RDF_TYPE}, False),
    "cargo": ({n("hasCargo")}, set(), set(), False),
    "ligand": ({n("hasLigand")}, set(), set(), False),
    "target": ({n("targets"), n("hasLigand"), n("hasCargo")}, {n("combinedWith")}, {n("binds"), n("actsOn")},
               False),
    "mechanism": (set(), {n("mechanism")}, set(), False),
    "step": (set(), {n("addressesStep")}, set(), False),
    "cancer": (set(), {n("cancerType")}, set(), False),
    "site": (set(), {n("metastasisSite")}, set(), False),
    "modality": (set(), {n("modality"), n("combinedWith")}, {RDF_TYPE}, False),
    "status": (set(), set(), set(), True),
    # what a row shows beyond the axes: names, citations, trial phases, agencies; studies' names; kinds
    "rows": ({RDFS_LABEL}, {n("section"), n("lines"), n("citedReference"), n("sourceDocument")},
             {n("shortName"), n("phase"), n("agency")}, True),
    "study names": (set(), {RDFS_LABEL}, set(), False),
    "strategies": ({RDF_TYPE}, set(), set(), False),
}
# predicates whose values are looked up one hop further, and those whose values' types matter (is a coating
# a carrier type, is what a study combines a therapy modality)
HOP_FROM = {n(p) for p in ("hasCoating", "hasCargo", "hasLigand", "combinedWith", "sourceDocument")}
TYPED = {n("hasCoating"), n("combinedWith")}


def _lookup(store: Store, template: str, nodes: Iterable[str], predicates: set[str],
            labels: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    """node → predicate → [values as text], from ``template`` run over ``nodes`` in batches; the values'
    labels go into ``labels`` (the smallest, if several)."""
    found: dict[str, dict[str, list[str]]] = {}
    nodes = sorted(set(nodes))
    if not nodes or not predicates:
        return found
    query = template.replace("PREDICATES", ", ".join(f"<{p}>" for p in sorted(predicates)))
    named: list[tuple[str, str]] = []
    for start in range(0, len(nodes), BATCH):
        batch = [[ox.NamedNode(node)] for node in nodes[start:start + BATCH]]
        for r in store.select(inject_values(query, ["node"], batch))[1]:
            by_predicate: dict[str, list[str]] = {}
            for statement in r["pairs"].value.split(RECORD):
                predicate, value, label = statement.split(UNIT)
                values = by_predicate.get(predicate)
                if values is None:
                    by_predicate[predicate] = [value]
                elif value not in values:  # (a value with several labels comes once per label)
                    values.append(value)
                if label:
                    named.append((value, label))
            found[r["node"].value] = by_predicate
    for value, label in named:
        known = labels.get(value)
        if known is None or label < known:
            labels[value] = label
    return found


@dataclass
class Data:
    """Statements about the matched nodes, by node and predicate (pyoxigraph terms), and labels."""

    out: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    records: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def fetch(cls, store: Store, formulations: Iterable[str], studies: Iterable[str],
              needs: Iterable[str]) -> Data:
        wanted = [NEEDS[need] for need in needs]
        f_preds = set().union(*(w[0] for w in wanted))
        s_preds = set().union(*(w[1] for w in wanted))
        hop_preds = set().union(*(w[2] for w in wanted))
        formulations = list(formulations)
        data = cls()
        data.out.update(_lookup(store, OUTGOING, formulations, f_preds, data.labels))
        data.out.update(_lookup(store, OUTGOING, studies, s_preds, data.labels))
        if any(w[3] for w in wanted):
            data.records = _lookup(store, INCOMING, formulations, {n("approves"), n("testsFormulation")},
                                   data.labels)
        further = {v for node in list(data.out.values()) for p, values in node.items() if p in HOP_FROM
                   for v in values}
        further |= {v for node in data.records.values() for values in node.values() for v in values}
        typed = {v for node in list(data.out.values()) for p, values in node.items() if p in TYPED
                 for v in values} if RDF_TYPE in hop_preds else set()
        hops = _lookup(store, OUTGOING, further, hop_preds - {RDF_TYPE}, data.labels)
        for node, by_predicate in _lookup(store, OUTGOING, typed, {RDF_TYPE}, data.labels).items():
            hops.setdefault(node, {}).update(by_predicate)
        data.out.update(hops)
        for node, by_predicate in data.out.items():  # the nodes' own names, where they were asked for
            if RDFS_LABEL in by_predicate:
                data.labels[node] = min(by_predicate[RDFS_LABEL])
        return data

    def name(self, store: Store, iris: Iterable[str]) -> None:
        """Fetch the labels of ``iris`` not known yet (such as the filters' values)."""
        missing = set(iris) - set(self.labels)
        for node, by_predicate in _lookup(store, OUTGOING, missing, {RDFS_LABEL}, {}).items():
            self.labels[node] = min(by_predicate[RDFS_LABEL])

    def iris(self, node: str, predicate: str) -> list[str]:
        """The values of an IRI-valued predicate (or every value of any predicate, as text)."""
        return self.out.get(node, {}).get(predicate, [])

    def text(self, node: str, predicate: str) -> str | None:
        values = self.iris(node, predicate)
        return min(values) if values else None

    def is_a(self, node: str, cls: str) -> bool:
        return n(cls) in self.iris(node, RDF_TYPE)

    # ------------------------------------------------------------------ values of an axis

    def approvals(self, formulation: str) -> list[str]:
        return self.records.get(formulation, {}).get(n("approves"), [])

    def trials(self, formulation: str) -> list[str]:
        return self.records.get(formulation, {}).get(n("testsFormulation"), [])

    def statuses(self, formulation: str) -> list[str]:
        found = ["approved"] if self.approvals(formulation) else []
        found += ["in trial"] if self.trials(formulation) else []
        return found or ["preclinical"]

    def values(self, axis: str, formulation: str | None, study: str | None) -> list[str]:
        """The values (IRIs) of ``axis`` that a formulation has (``study`` None) or that one of its studies
        adds (``formulation`` None); how targets are reached: :meth:`targets`."""
        if study is None:
            return self._formulation_values(axis, formulation) if formulation else []
        out = self.out.get(study, {})
        if axis in STUDY_AXES:
            return out.get(STUDY_AXES[axis], [])
        if axis == "modality":
            combined = [m for m in out.get(COMBINED, []) if self.is_a(m, "TherapyModality")]
            return out.get(MODALITY, []) + combined
        if axis == "target":
            return [t for t, _ in self.targets(None, study)]
        return []

    def _formulation_values(self, axis: str, f: str) -> list[str]:
        out = self.out.get(f, {})
        if axis == "carrier":
            return out.get(CARRIER, []) + [c for c in out.get(COATING, []) if self.is_a(c, "CarrierType")]
        if axis in ("cargo", "ligand"):
            return out.get(CARGO if axis == "cargo" else LIGAND, [])
        if axis == "target":
            return [t for t, _ in self.targets(f, None)]
        return []

    def targets(self, formulation: str | None, study: str | None) -> list[tuple[str, tuple[str, str]]]:
        """(target, (way, agent IRI)) for the targets a formulation reaches (designed to, by a ligand or a
        cargo) or that a study adds (by a co-administered agent)."""
        if study is not None:
            return [(t, ("co-administered", a)) for a in self.iris(study, COMBINED)
                    for t in self.iris(a, ACTS_ON)]
        out = self.out.get(formulation or "", {})
        found = [(t, ("designed", "")) for t in out.get(n("targets"), [])]
        found += [(t, ("ligand", a)) for a in out.get(LIGAND, []) for t in self.iris(a, n("binds"))]
        found += [(t, ("cargo", a)) for a in out.get(CARGO, []) for t in self.iris(a, ACTS_ON)]
        return found

    def how_text(self, way: str, agent: str) -> str:
        """``designed to target it``, ``ligand hyaluronic acid binds it``, ``cargo X acts on it``,
        ``co-administered anti-PD-L1 antibody acts on it``."""
        if way == "designed":
            return "designed to target it"
        name = self.labels.get(agent, agent)
        return f"ligand {name} binds it" if way == "ligand" else f"{way} {name} acts on it"


STUDY_AXES = {"mechanism": n("mechanism"), "step": n("addressesStep"), "cancer": n("cancerType"),
              "site": n("metastasisSite")}
CARRIER, COATING, CARGO, LIGAND = n("hasCarrier"), n("hasCoating"), n("hasCargo"), n("hasLigand")
MODALITY, COMBINED, ACTS_ON = n("modality"), n("combinedWith"), n("actsOn")
