"""Turn a :class:`~kg.views.subgraphs.Selection` into one self-contained HTML page.

Nodes and edges are collected with pyvis (its ``Network`` keeps vis-network's data format); the page is
our own Jinja template, not pyvis's, because pyvis's template fetches Bootstrap and vis-network from CDNs.
vis-network's script is inlined from the copy inside the pyvis package, so the file needs no network.
Output is deterministic: nodes and edges in a fixed order, a fixed layout seed, no timestamps.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from typing import TYPE_CHECKING

from kg.core.errors import KGError
from kg.core.schema import TYPE_ORDER
from kg.views import describe, style
from kg.views.details import Details
from kg.views.subgraphs import RESULT, Selection

if TYPE_CHECKING:
    import networkx as nx
    from pyvis.network import Network

VIS_NETWORK = ("pyvis", "lib/vis-9.1.2/vis-network.min.js")
LAYOUT_SEED = 7
LARGE_VIEW = 300  # nodes: above this, no edge labels or curves, larger hub labels, a more compact layout
_FAMILY_ORDER = {family: i for i, (family, _) in enumerate(style.FAMILY_STYLES)}
_DATA_PLACEHOLDER = "\x00kg-view-data\x00"  # stands for the graph's JSON while the template renders


def _node_order(graph: nx.MultiDiGraph):
    def key(node: str):
        attrs = graph.nodes[node]
        return _FAMILY_ORDER.get(attrs.get("family"), len(_FAMILY_ORDER)), attrs["label"].casefold(), node

    return key


def _neighbours(graph: nx.MultiDiGraph, node: str) -> int:
    return len(set(graph.pred[node]) | set(graph.succ[node]))


def search_key(label: str, alt_labels: tuple[str, ...]) -> str:
    """Normalised names (:func:`kg.core.names.normalize_name`) the page's search box matches against."""
    from kg.core.names import normalize_name

    return "|".join(dict.fromkeys(normalize_name(name) for name in (label, *alt_labels)))


def add_nodes(net: Network, selection: Selection, details: Details, large: bool = False) -> None:
    """Nodes in a fixed order: shape and colour by family, size by degree, tooltip, search key, links."""
    graph = selection.graph
    for node in sorted(graph, key=_node_order(graph)):
        attrs = graph.nodes[node]
        family = attrs.get("family", attrs["type"])
        look = style.node_style(family)
        degree = _neighbours(graph, node)
        focus = node in selection.highlight
        net.add_node(
            node, label=attrs["label"], shape=look.shape,
            color={"background": look.colour, "border": "#111111" if focus else style.darker(look.colour),
                   "highlight": {"background": look.colour, "border": "#000000"},
                   "hover": {"background": look.colour, "border": "#000000"}},
            size=style.node_size(degree) + (8 if focus else 0), borderWidth=4 if focus else 1.5,
            font={"size": style.font_size(degree, large) + (4 if focus else 0)},
            title=describe.node_text(node, attrs, details),
            family=family, typeLabel=details.term(f"nmo:{attrs['type']}"), degree=degree, focus=focus,
            search=search_key(attrs["label"], details.alt_labels.get(node, ())),
            links=describe.node_links(node, details),
        )


def add_edges(net: Network, selection: Selection, details: Details, large: bool = False) -> None:
    """Edges in a fixed order: colour and label by predicate, tooltip with evidence and sources.

    Parallel edges between the same two nodes are drawn as arcs of growing curvature.
    """
    graph = selection.graph
    order = {n: i for i, n in enumerate(sorted(graph, key=_node_order(graph)))}
    parallel: Counter = Counter()
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (order[e[0]], order[e[1]], e[2]))
    for number, (u, v, key, data) in enumerate(edges):
        group = style.edge_group(key)
        pair = frozenset((u, v))
        bend = parallel[pair]
        parallel[pair] += 1
        smooth = {"enabled": True, "type": "curvedCW", "roundness": 0.2 * bend} if bend else \
            {"enabled": not large, "type": "continuous"}
        citations = describe.edge_citations(data, details)
        net.add_edge(
            u, v, id=f"e{number}", label="" if large or key == RESULT else details.term(key),
            color={"color": group.colour, "highlight": style.darker(group.colour, 0.5),
                   "hover": style.darker(group.colour, 0.5)},
            dashes=group.dashes, smooth=smooth, width=1.2 + min(len(data.get("studies", ())), 6) * 0.4,
            title=describe.edge_text(graph, u, v, key, data, details), predicate=key, kind=group.name,
            links=describe.doi_links(citations, details),
        )


def legend(nodes: list[dict], edges: list[dict], details: Details) -> dict:
    """Families and edge groups present in the view, in a fixed order, with counts."""
    families = Counter(n["family"] for n in nodes)
    kinds = Counter(e["kind"] for e in edges)
    predicates: dict[str, set[str]] = {}
    for e in edges:
        predicates.setdefault(e["kind"], set()).add(e["predicate"])
    order = [f for f, _ in style.FAMILY_STYLES] + sorted(set(families) - set(_FAMILY_ORDER))
    return {
        "families": [{"family": f, "label": details.term(f"nmo:{f}") if f in TYPE_ORDER else f,
                      "colour": style.node_style(f).colour, "shape": style.node_style(f).shape,
                      "count": families[f]} for f in order if families[f]],
        "edges": [{"kind": g.name, "colour": g.colour, "dashes": g.dashes, "count": kinds[g.name],
                   "predicates": sorted(details.term(p) if p != RESULT else "query result"
                                        for p in predicates[g.name])}
                  for g in (*style.EDGE_GROUPS, style.OTHER_EDGES) if kinds[g.name]],
    }


def vis_options(nodes: int, large: bool) -> dict:
    """vis-network options: a seeded layout and physics that stabilises (the page then switches it off)."""
    return {
        "autoResize": True, "height": "100%", "width": "100%",
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": nodes <= 150},
        "physics": {
            "solver": "forceAtlas2Based",
            # large views: weaker repulsion and shorter springs keep them compact enough to read the hubs
            "forceAtlas2Based": {"gravitationalConstant": -60 if large else -100,
                                 "centralGravity": 0.015 if large else 0.012,
                                 "springLength": 90 if large else 110, "springConstant": 0.05, "damping": 0.6,
                                 "avoidOverlap": 0.5 if large else 1.0},
            "stabilization": {"enabled": True, "iterations": 300 if large else 1000, "updateInterval": 20,
                              "fit": True},
            "minVelocity": 1.0, "maxVelocity": 60, "timestep": 0.5,
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large, "multiselect": True,
                        "keyboard": {"enabled": True, "bindToWindow": False}},
        "nodes": {"font": {"face": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                           "color": "#1b1b1b", "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 9 if large else 5}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
                  "font": {"size": 11, "color": "#4a4a4a", "strokeWidth": 3, "strokeColor": "#ffffff",
                           "align": "middle"},
                  "scaling": {"label": {"drawThreshold": 7}}, "selectionWidth": 2, "hoverWidth": 1.5},
    }


def page_data(selection: Selection, details: Details) -> dict:
    """Everything the page's script needs, as one JSON-ready dict."""
    from pyvis.network import Network

    large = len(selection.graph) > LARGE_VIEW
    net = Network(directed=True)
    add_nodes(net, selection, details, large)
    add_edges(net, selection, details, large)
    nodes, edges = net.nodes, net.edges
    return {"title": selection.title, "notes": list(selection.notes), "highlight": list(selection.highlight),
            "nodes": nodes, "edges": edges, "legend": legend(nodes, edges, details),
            "options": vis_options(len(nodes), large)}


def _asset(package: str, name: str) -> str:
    try:
        return resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as err:
        raise KGError(f"cannot read {name} from the {package} package ({err}); the views need "
                      f"pyvis 0.3.x: pip install 'pyvis>=0.3.2,<0.4'") from None


def script_json(data: object) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</`` can close it early)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def _consumed_json(data: dict) -> list[str]:
    """:func:`script_json` of ``data`` in pieces (one per element of its lists), emptying ``data`` and its
    lists on the way, so that a large view's data and its JSON are never both held in full.

    A ``</`` cannot straddle two pieces: ``<`` occurs only inside strings, and every string is whole in
    one piece.
    """
    pieces = ["{"]
    for number, key in enumerate(list(data)):
        value = data.pop(key)
        pieces.append(("," if number else "") + script_json(key) + ":")
        if not isinstance(value, list):
            pieces.append(script_json(value))
            continue
        pieces.append("[")
        for index, item in enumerate(value):
            value[index] = None  # encoded below: let it go
            pieces.append(("," if index else "") + script_json(item))
        pieces.append("]")
    pieces.append("}")
    return pieces


def render_html(selection: Selection, details: Details) -> str:
    """The complete page for a selection.

    The graph's JSON (over 100 MB for a view of 10 000 nodes) is joined into the rendered template
    rather than passed through Jinja, which would copy it several times over.
    """
    import jinja2

    from kg.core.version import version

    env = jinja2.Environment(loader=jinja2.PackageLoader("kg.views", "templates"), autoescape=True,
                             keep_trailing_newline=True)
    data = page_data(selection, details)
    node_count, edge_count = len(data["nodes"]), len(data["edges"])
    pieces = _consumed_json(data)
    page = env.get_template("view.html.jinja").render(
        title=selection.title, version=version(), data=_DATA_PLACEHOLDER,
        node_count=node_count, edge_count=edge_count, notes=list(selection.notes),
        css=_asset("kg.views", "templates/view.css"), script=_asset("kg.views", "templates/view.js"),
        vis_network=_asset(*VIS_NETWORK),
    )
    # the last occurrence: only the static scripts follow the data, and they do not contain it
    before, _, after = page.rpartition(_DATA_PLACEHOLDER)
    return "".join([before, *pieces, after])
