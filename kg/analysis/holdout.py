"""The training graph of a cross-review hold-out: the KG as one review alone (plus the shared vocabulary)
would have it.

Holding out review H (``"NH2026"``) removes, from a projection with studies and from the collapsed one:

- every study, approval and trial whose ``nmo:sourceDocument`` is H, and H's source-document node;
- every composition link (carrier, coating, ligand, cargo, designed target) and background-biology link
  (:data:`kg.core.schema.SOURCED_PREDICATES`) whose reified ``rdf:Statement`` sources are all H (one
  both reviews state stays, with the other one's source): a formulation both reviews describe keeps
  only what the training review states of it;
- every formulation no remaining study, approval or trial speaks of, with its composition;
- from folded study links (collapsed projection), the studies of H; a link left with none goes;
- every node that had links and has none left (a target only H's formulations aim at) — except the
  concepts of the vocabulary's own axes (carrier types, mechanisms, cascade steps: the ontology is
  part of every training graph).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis.reach import study_evidence
from kg.core.schema import (
    APPROVES,
    CITED_TYPES,
    EVALUATES,
    HIERARCHICAL_TYPES,
    SOURCE_DOCUMENT,
    SOURCED_PREDICATES,
    TESTS_FORMULATION,
)

if TYPE_CHECKING:
    import networkx as nx

REVIEWS = ("CMR2022", "NH2026")
DIRECTIONS = (("CMR2022", "NH2026"), ("NH2026", "CMR2022"))  # (training review, held-out review)
ABOUT_FORMULATION = frozenset((EVALUATES, APPROVES, TESTS_FORMULATION))
ONTOLOGY_TYPES = (*HIERARCHICAL_TYPES, "CascadeStep")  # concepts kept even when no link to them is left


@dataclass
class Split:
    """One direction of the hold-out: the training graphs and what was removed."""

    training: str
    held_out: str
    full: nx.MultiDiGraph
    collapsed: nx.MultiDiGraph
    removed_nodes: set[str]
    shared_formulations: int  # formulations both reviews describe

    @property
    def name(self) -> str:
        return f"{self.training} → {self.held_out}"


def source_of(citation: str) -> str:
    """The source document of a citation (``"NH2026 l.20 [5]"`` → ``"NH2026"``).

    >>> source_of("CMR2022 §4 [78]")
    'CMR2022'
    """
    return citation.split(" ", 1)[0]


def cited_by(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Each study, approval and trial of a projection with studies → the source documents it cites."""
    found: dict[str, set[str]] = {}
    nodes, succ = graph._node, graph._succ  # NetworkX's own dicts: its views cost more than the work here
    for node, attrs in nodes.items():
        if attrs.get("type") in CITED_TYPES:
            found[node] = {nodes[v]["label"] for v, keys in succ[node].items() if SOURCE_DOCUMENT in keys}
    return found


def described_by(graph: nx.MultiDiGraph, cited: dict[str, set[str]]) -> dict[str, set[str]]:
    """Each formulation → the reviews whose studies, approvals or trials speak of it."""
    found: dict[str, set[str]] = {}
    for node, docs in cited.items():
        for formulation, keys in graph._succ[node].items():
            if not ABOUT_FORMULATION.isdisjoint(keys):
                found.setdefault(formulation, set()).update(docs)
    return found


def split(full: nx.MultiDiGraph, collapsed: nx.MultiDiGraph, held_out: str) -> Split:
    """The training graphs without review ``held_out`` (see the module docstring)."""
    training = next(r for r in REVIEWS if r != held_out)
    cited = cited_by(full)
    dropped = {n for n, docs in cited.items() if held_out in docs and training not in docs}
    dropped |= {n for n, d in full.nodes(data=True) if d.get("type") == "SourceDocument"
                and d.get("label") == held_out}
    described = described_by(full, cited)
    kept_formulations = {f for f, docs in described.items() if training in docs}
    dropped |= {n for n, d in full.nodes(data=True) if d.get("family") == "Formulation"
                and n not in kept_formulations}
    shared = {f for f in kept_formulations if held_out in described[f]}
    evidence = {s: study_evidence(full, s) for s, docs in cited.items() if training in docs}
    train_full = _without(full, dropped, held_out, evidence)
    train_collapsed = _without(collapsed, dropped, held_out, evidence)
    return Split(training, held_out, train_full, train_collapsed,
                 (set(full) - set(train_full)) | (set(collapsed) - set(train_collapsed)), len(shared))


def _without(graph: nx.MultiDiGraph, dropped: set[str], held_out: str,
             evidence: dict[str, tuple[int, str]]) -> nx.MultiDiGraph:
    """A copy of ``graph`` without ``dropped`` and what only ``held_out`` says (the module docstring), as
    ``graph.copy()`` and removing would give — in the same order — but copying only what stays."""
    from kg.analysis.projection_build import fill_graph, no_gc

    sourced = frozenset(SOURCED_PREDICATES)
    succ, pred = graph._succ, graph._pred  # NetworkX's own dicts: its views cost more than the work here
    had_links = {n for n in graph if succ[n] or pred[n]}
    kept = graph.__class__()
    kept.graph.update(graph.graph)
    links = []
    with no_gc():  # many containers, none in a cycle
        for u, neighbours in succ.items():
            if u in dropped:
                continue
            for v, keys in neighbours.items():
                if v in dropped:
                    continue
                for key, attrs in keys.items():
                    data = dict(attrs)
                    sources = data.get("sources", [])
                    if "studies" in data:
                        studies = [s for s in data["studies"] if s in evidence]
                        if not studies:
                            continue
                        data["studies"] = studies
                        data["evidence"], data["evidence_label"] = max(evidence[s] for s in studies)
                    elif key in sourced and all(source_of(s) == held_out for s in sources):
                        continue  # an unsourced one goes too: it cannot be attributed
                    data["sources"] = [s for s in sources if source_of(s) != held_out]
                    links.append((u, v, key, data))
        fill_graph(kept, ((n, attrs) for n, attrs in graph.nodes(data=True) if n not in dropped), links)
    kept.remove_nodes_from([n for n in had_links & set(kept) if not kept._succ[n] and not kept._pred[n]
                            and kept._node[n].get("type") not in ONTOLOGY_TYPES])
    return kept


def splits(full: nx.MultiDiGraph, collapsed: nx.MultiDiGraph) -> list[Split]:
    """Both directions: train on CMR2022 and hold out NH2026, then the other way round."""
    return [split(full, collapsed, held_out) for _, held_out in DIRECTIONS]
