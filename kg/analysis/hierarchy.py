"""The SKOS hierarchies (carrier types, mechanisms) in a projection: families, and the graph lifted to them.

A concept's **family** is its top-level ancestor, with one exception: when a hierarchy has a single
root that has children (``nanocarrier`` above every carrier type), that root says nothing and the
families are its children. So carrier families are ``lipid-based nanocarrier``, ``polymeric
nanocarrier`` …, and mechanism families the mechanism roots (``immune activation``, ``cytotoxicity`` …).
A concept with no parent and no children is its own family; the catch-all root is its own family too.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n in ("root", "lipid", "liposome", "peg-liposome", "polymer"):
...     g.add_node(n, type="CarrierType", label=n)
>>> for child, parent in [("lipid", "root"), ("polymer", "root"), ("liposome", "lipid"),
...                       ("peg-liposome", "liposome")]:
...     _ = g.add_edge(child, parent, key=BROADER, pred=BROADER)
>>> families(g, "CarrierType")["peg-liposome"], families(g, "CarrierType")["root"]
({'lipid'}, {'root'})
>>> catch_all_root(g, "CarrierType")
'root'
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from kg.core.schema import BROADER

if TYPE_CHECKING:
    import networkx as nx


def _parents(graph: nx.MultiDiGraph, node_type: str) -> dict[str, set[str]]:
    """Each concept of ``node_type`` → its skos:broader parents of the same type."""
    concepts = [n for n, d in graph.nodes(data=True) if d.get("type") == node_type]
    return {n: {v for _, v, k in graph.out_edges(n, keys=True)
                if k == BROADER and graph.nodes[v].get("type") == node_type} for n in concepts}


def _catch_all(parents: dict[str, set[str]]) -> str | None:
    has_children = {p for ps in parents.values() for p in ps}
    branching_roots = [n for n, ps in parents.items() if not ps and n in has_children]
    return branching_roots[0] if len(branching_roots) == 1 else None


def catch_all_root(graph: nx.MultiDiGraph, node_type: str) -> str | None:
    """The single root above every family of the hierarchy (``nanocarrier``), if it has one."""
    return _catch_all(_parents(graph, node_type))


def families(graph: nx.MultiDiGraph, node_type: str) -> dict[str, set[str]]:
    """Each concept of ``node_type`` → its families (usually one; more under several parents)."""
    parents = _parents(graph, node_type)
    catch_all = _catch_all(parents)
    found: dict[str, set[str]] = {}

    def tops(node: str, seen: frozenset[str]) -> set[str]:
        if node in found:
            return found[node]
        ups = {p for p in parents[node] if p not in seen and p != catch_all}
        if not ups:
            return {node}
        return set().union(*(tops(p, seen | {node}) for p in ups))

    for node in parents:
        found[node] = tops(node, frozenset())
    return found


def lift_to_families(graph: nx.MultiDiGraph, *node_types: str,
                     within: Collection[str] | None = None) -> nx.MultiDiGraph:
    """A copy of ``graph`` in which every link to a concept of one of ``node_types`` goes to its family
    instead (several hierarchies in one pass: they share no concept).

    The hierarchies' own skos:broader links and the concepts that are not families are dropped; parallel
    links that now coincide are merged (their ``sources`` and ``studies`` united, best ``evidence`` kept).
    The attributes of a link no merge changed are ``graph``'s own, shared: read them, never change them.
    ``within``: lift only the subgraph these nodes induce — as ``graph.subgraph(within)`` would, without
    the cost of reading a large subgraph view's links one by one.
    """
    from kg.analysis.projection_build import fill_graph, no_gc

    links_of = _links(graph, within)
    if within is not None:
        graph = graph.subgraph(within)
    family_of: dict[str, set[str]] = {}
    for node_type in node_types:
        family_of.update(families(graph, node_type))
    links: dict[tuple[str, str, str], dict] = {}  # (u, v, key) → attributes, in order of first appearance
    merged: dict[tuple[str, str, str], dict[str, set[str]]] = {}  # sources and studies of merged links
    with no_gc():
        for u, v, key, attrs in links_of:
            if key == BROADER and u in family_of:
                continue
            for a in family_of.get(u, {u}):
                for b in family_of.get(v, {v}):
                    _merge(links, merged, (a, b, key), attrs)
        for link, gathered in merged.items():
            links[link].update((name, sorted(values)) for name, values in gathered.items())
        lifted = graph.__class__()
        lifted.graph.update(graph.graph)
        fill_graph(lifted, ((n, attrs) for n, attrs in graph.nodes(data=True)
                            if n not in family_of or family_of[n] == {n}),
                   ((u, v, key, attrs) for (u, v, key), attrs in links.items()))
    return lifted


def _links(graph: nx.MultiDiGraph, within: Collection[str] | None) -> Iterator[tuple[str, str, str, dict]]:
    """(u, v, key, attributes) of every link of ``graph``, or of the subgraph ``within`` induces, in the
    order of the graph's adjacency."""
    if within is None:
        yield from graph.edges(keys=True, data=True)
        return
    keep, succ = set(within), graph._succ  # NetworkX's own dicts: its views cost more than the work
    for u in graph.subgraph(keep):
        for v, keys in succ[u].items():
            if v in keep:
                for key, attrs in keys.items():
                    yield u, v, key, attrs


def _merge(links: dict[tuple[str, str, str], dict], merged: dict[tuple[str, str, str], dict[str, set[str]]],
           link: tuple[str, str, str], attrs: dict) -> None:
    """Add a link's attributes to ``links``, or merge them into the link already there: ``sources`` and
    ``studies`` gathered in ``merged`` (sorted at the end), the best ``evidence`` kept. A link's attributes
    are copied when a first merge changes them; until then they are the graph's own (most links are not
    merged: no copy of them at a million triples)."""
    data = links.get(link)
    if data is None:
        links[link] = attrs
        return
    gathered = merged.get(link)
    if gathered is None:
        gathered = merged[link] = {}
        data = links[link] = {k: (list(x) if isinstance(x, list) else x) for k, x in data.items()}
    for name in ("sources", "studies"):
        if name in attrs:
            if name not in gathered:
                gathered[name] = set(data.get(name, []))
            gathered[name].update(attrs[name])
    if "evidence" in attrs:
        theirs = (attrs["evidence"], attrs.get("evidence_label", ""))
        if theirs > (data.get("evidence", 0), data.get("evidence_label", "")):
            data["evidence"], data["evidence_label"] = theirs
