"""HTML views (kg.views, ``kg view``) on the fixture graph: which nodes and links a view holds, their colours,
shapes and tooltips, the offline and deterministic page, and the command line."""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.analysis.node_types import family_of_type
from kg.analysis.projection import projection
from kg.build.pipeline import build
from kg.cli import main
from kg.core.locations import Sources
from kg.core.schema import ENTITY_PREDICATES, TYPE_ORDER
from kg.store import open_store
from kg.store.oxigraph_backend import OxigraphStore
from kg.views import build_view, style
from kg.views.details import Details
from kg.views.render import LARGE_VIEW, page_data, render_html
from kg.views.subgraphs import Selection, query_result

DATA = Path(__file__).parent / "data"
CMR_DOI = "10.1007/s10555-022-10025-7"
ID = "https://w3id.org/nanomet-kg/id/"


@pytest.fixture(scope="module")
def views_sources(tmp_path_factory) -> Sources:
    """The mini fixture plus tests/data/views (external identifiers)."""
    folder = tmp_path_factory.mktemp("views-data") / "triples"
    shutil.copytree(DATA / "mini", folder)
    shutil.copytree(DATA / "views", folder / "views")
    return Sources.default(triples=folder)


@pytest.fixture(scope="module")
def views_store_path(tmp_path_factory, views_sources) -> Path:
    path = tmp_path_factory.mktemp("views") / "store"
    build(path, views_sources)
    return path


@pytest.fixture
def store(views_store_path):
    with open_store(views_store_path) as opened:
        yield opened


def embedded(page: str) -> dict:
    """The JSON the page draws from."""
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert found, "no embedded graph data"
    return json.loads(found.group(1))


def by_label(items: list[dict]) -> dict[str, dict]:
    return {item["label"]: item for item in items}


def edge_between(data: dict, source: str, target: str, predicate: str) -> dict:
    ids = {n["label"]: n["id"] for n in data["nodes"]}
    found = [e for e in data["edges"]
             if e["from"] == ids[source] and e["to"] == ids[target] and e["predicate"] == predicate]
    assert len(found) == 1, (source, target, predicate, found)
    return found[0]


# ---------------------------------------------------------------------------------------------- ego view

def test_ego_view_holds_the_neighbourhood(store):
    data = embedded(build_view(store, focus="cd44", depth=2).html)
    assert set(by_label(data["nodes"])) == {
        "CD44",
        # one hop: what targets, binds or is involved with CD44
        "Fixture PLGA-HA", "hyaluronic acid", "local invasion",
        # two hops: the formulation's parts and its study's findings (studies folded into the formulation)
        "PLGA nanoparticle", "paclitaxel", "breast cancer", "lung", "EMT inhibition", "chemotherapy",
        # ... and the steps next to local invasion
        "epithelial-mesenchymal transition", "intravasation", "lymphatic dissemination",
        "transcoelomic spread",
    }
    one_hop = embedded(build_view(store, focus="CD44", depth=1).html)
    assert set(by_label(one_hop["nodes"])) == {"CD44", "Fixture PLGA-HA", "hyaluronic acid", "local invasion"}
    assert data["highlight"] == [ID + "target/cd44"]
    assert [n["label"] for n in data["nodes"] if n["focus"]] == ["CD44"]


def test_ego_view_never_steps_through_qualifiers(store):
    """'in vivo (animal)' would join the two formulations; it is neither drawn nor walked through."""
    labels = set(by_label(embedded(build_view(store, focus="Fixture PLGA-HA", depth=2).html)["nodes"]))
    assert "in vivo (animal)" not in labels and "CMR2022" not in labels
    assert "Fixture liposome" in labels  # through the shared cargo paclitaxel
    assert "HIF-1α" not in labels  # three hops away


def test_colours_and_shapes_follow_the_node_family(store):
    data = embedded(build_view(store, focus="CD44").html)
    nodes = by_label(data["nodes"])
    for label, family in [("CD44", "Target"), ("Fixture PLGA-HA", "Formulation"), ("paclitaxel", "Agent"),
                          ("local invasion", "CascadeStep"), ("PLGA nanoparticle", "CarrierType")]:
        node = nodes[label]
        assert node["family"] == family
        assert node["color"]["background"] == style.node_style(family).colour
        assert node["shape"] == style.node_style(family).shape
    assert len({(n["color"]["background"], n["shape"]) for n in nodes.values()}) == \
        len({n["family"] for n in nodes.values()})
    legend = {f["family"]: f for f in data["legend"]["families"]}
    assert set(legend) == {n["family"] for n in nodes.values()}
    assert legend["CascadeStep"]["count"] == sum(1 for n in nodes.values() if n["family"] == "CascadeStep")
    assert legend["Target"]["colour"] == nodes["CD44"]["color"]["background"]


def test_size_grows_with_links_in_the_view(store):
    nodes = by_label(embedded(build_view(store, focus="CD44", depth=2).html)["nodes"])
    formulation, cargo = nodes["Fixture PLGA-HA"], nodes["paclitaxel"]
    assert formulation["degree"] > cargo["degree"] == 1
    assert formulation["size"] > cargo["size"]


def test_node_tooltips_carry_type_names_identifiers_and_studies(store):
    nodes = by_label(embedded(build_view(store, focus="CD44", depth=2).html)["nodes"])
    cd44 = nodes["CD44"]["title"].splitlines()
    assert cd44[:2] == ["CD44", "molecular target"]
    assert "identifiers: HGNC:1681" in cd44 and "target:cd44" in cd44
    assert "also: HCAM, hcam" in cd44  # a fixed order, whatever the hash seed
    assert ["HGNC:1681", "https://identifiers.org/hgnc:1681"] in nodes["CD44"]["links"]
    ligand = nodes["hyaluronic acid"]["title"]
    assert "also: HA" in ligand and "material · targeting ligand" in ligand
    assert "identifiers: CHEBI:45863" in nodes["paclitaxel"]["title"]
    formulation = nodes["Fixture PLGA-HA"]["title"]
    assert "1 study, best evidence in vivo (animal):" in formulation
    assert f"CMR2022 §3 [10] (doi:{CMR_DOI}): in vivo (animal)" in formulation
    assert [f"doi:{CMR_DOI}", f"https://doi.org/{CMR_DOI}"] in nodes["Fixture PLGA-HA"]["links"]


def test_edge_tooltips_carry_evidence_and_sources(store):
    data = embedded(build_view(store, focus="CD44", depth=2).html)
    finding = edge_between(data, "Fixture PLGA-HA", "lung", "nmo:metastasisSite")
    assert finding["label"] == "metastasis site"
    assert finding["color"]["color"] == style.edge_group("nmo:metastasisSite").colour
    assert finding["title"].splitlines()[:3] == [
        "Fixture PLGA-HA —metastasis site→ lung",
        "evidence: in vivo (animal) (best of 1 study)",
        f"  • CMR2022 §3 [10] (doi:{CMR_DOI}): in vivo (animal)",
    ]
    background = edge_between(data, "hyaluronic acid", "CD44", "nmo:binds")
    assert f"CMR2022 §2 [1] (doi:{CMR_DOI})" in background["title"]
    assert background["links"] == [[f"doi:{CMR_DOI}", f"https://doi.org/{CMR_DOI}"]]
    assert "NH2026 l.10-12 [2] (doi:10.1039/D6NH00023A)" in \
        edge_between(data, "CD44", "local invasion", "nmo:involvedIn")["title"]


def test_studies_can_be_drawn_as_nodes(store):
    data = embedded(build_view(store, focus="Fixture study 1", depth=1).html)
    nodes = by_label(data["nodes"])
    assert nodes["Fixture study 1"]["family"] == "Study"
    assert "source: CMR2022 §3 [10]" in nodes["Fixture study 1"]["title"]
    edge = edge_between(data, "Fixture study 1", "lung", "nmo:metastasisSite")
    assert "evidence: in vivo (animal)" in edge["title"] and "CMR2022 §3 [10]" in edge["title"]
    with_studies = by_label(embedded(build_view(store, focus="CD44", depth=3, studies=True).html)["nodes"])
    assert "Fixture study 1" in with_studies


# ---------------------------------------------------------------------------------------------- whole graph

def test_whole_view_leaves_out_qualifiers_and_unused_vocabulary(store):
    data = embedded(build_view(store).html)
    families = {n["family"] for n in data["nodes"]}
    assert not families & {"SourceDocument", "EvidenceLevel", "Study"}
    linked = {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]}
    assert {n["id"] for n in data["nodes"]} == linked  # no floating nodes
    graph = projection(store, collapse_studies=True)
    assert ID + "agency/fda" in graph and ID + "agency/fda" not in linked  # in the ontology, used by nothing
    assert {"Fixture PLGA-HA", "Fixture liposome", "HIF-1α"} <= set(by_label(data["nodes"]))


def test_whole_view_over_the_cap_lifts_families_then_trims(store):
    full = build_view(store)
    lifted = build_view(store, max_nodes=full.nodes - 1)
    labels = set(by_label(embedded(lifted.html)["nodes"]))
    assert "PLGA nanoparticle" not in labels and "polymeric nanocarrier" in labels
    assert lifted.nodes < full.nodes and "families" in lifted.notes[0]
    trimmed = build_view(store, max_nodes=10)
    data = embedded(trimmed.html)
    assert len(data["nodes"]) == trimmed.nodes == 10
    assert any("best-connected" in note for note in data["notes"])
    assert "best-connected" in trimmed.html  # the warning is on the page too


@pytest.mark.parametrize("studies", [False, True])
def test_lifting_both_hierarchies_at_once_equals_lifting_one_after_the_other(store, studies):
    from kg.analysis.hierarchy import lift_to_families
    from kg.core.schema import HIERARCHICAL_TYPES
    from kg.views.subgraphs import _lifted

    graph = projection(store, collapse_studies=not studies)
    expected = graph
    for node_type in HIERARCHICAL_TYPES:
        expected = lift_to_families(expected, node_type)
    found = _lifted(graph.subgraph(list(graph)))
    assert list(found.nodes(data=True)) == list(expected.nodes(data=True))
    assert [(u, v, k, list(d.items())) for u, v, k, d in found.edges(keys=True, data=True)] == \
        [(u, v, k, list(d.items())) for u, v, k, d in expected.edges(keys=True, data=True)]
    assert found.number_of_nodes() < graph.number_of_nodes()


def test_ego_view_over_the_cap_keeps_the_nearest(store):
    view = build_view(store, focus="CD44", depth=2, max_nodes=4)
    assert set(by_label(embedded(view.html)["nodes"])) == {"CD44", "Fixture PLGA-HA", "hyaluronic acid",
                                                           "local invasion"}
    assert "14 nodes lie within 2 hop(s) of CD44" in view.notes[0]


# ------------------------------------------------------------------------------------------ paths, queries

def test_paths_view_draws_the_paths_only(store):
    view = build_view(store, paths=("hyaluronic acid", "local invasion"), max_hops=2)
    data = embedded(view.html)
    assert set(by_label(data["nodes"])) == {"hyaluronic acid", "local invasion", "CD44", "Fixture PLGA-HA"}
    statements = {(e["predicate"], e["from"].rsplit("/", 1)[1], e["to"].rsplit("/", 1)[1])
                  for e in data["edges"]}
    assert statements == {("nmo:binds", "hyaluronic-acid", "cd44"),
                          ("nmo:involvedIn", "cd44", "local-invasion"),
                          ("nmo:hasLigand", "fixture-plga", "hyaluronic-acid"),
                          ("nmo:addressesStep", "fixture-plga", "local-invasion")}
    assert set(data["highlight"]) == {ID + "agent/hyaluronic-acid", ID + "step/local-invasion"}
    assert view.title.startswith("Paths between hyaluronic acid and local invasion (2 paths")


def test_paths_view_says_when_there_is_none(store):
    view = build_view(store, paths=("CD44", "lung"), max_hops=1)
    assert view.nodes == 2 and view.edges == 0
    assert view.notes == ("No path between CD44 and lung within 1 hops; the nearest connection is 2 hops.",)


def test_query_view_draws_the_entities_of_the_rows(store):
    view = build_view(store, query="search", params={"text": "fixture"})
    data = embedded(view.html)
    assert set(by_label(data["nodes"])) == {"Fixture PLGA-HA", "Fixture liposome", "Fixture study 1",
                                            "Fixture study 2"}  # classes in the rows are not entities
    assert {e["predicate"] for e in data["edges"]} == {"nmo:evaluates"}
    assert view.title == "Query search (text=fixture)"


def test_query_rows_without_a_statement_get_a_result_link(store):
    graph = projection(store, collapse_studies=True)
    plga, emt, cd44 = (ox.NamedNode(ID + p) for p in ("carrier/plga-nanoparticle", "mechanism/emt-inhibition",
                                                      "target/cd44"))
    count = ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    rows = [{"carrier": plga, "mechanism": emt, "n": count}, {"carrier": cd44, "mechanism": emt}]
    selection = query_result(graph, ["carrier", "mechanism", "n"], rows, "demo")
    results = [(u, v, d) for u, v, k, d in selection.graph.edges(keys=True, data=True) if k == "result"]
    assert sorted((u.rsplit("/", 1)[1], v.rsplit("/", 1)[1]) for u, v, _ in results) == \
        [("cd44", "emt-inhibition"), ("plga-nanoparticle", "emt-inhibition")]
    texts = {u.rsplit("/", 1)[1]: d["rows"] for u, _, d in results}
    assert texts["plga-nanoparticle"] == ["carrier: PLGA nanoparticle · mechanism: EMT inhibition · n: 1"]
    with pytest.raises(Exception, match="name no entity"):
        query_result(graph, ["n"], [{"n": count}], "demo", anchors=[ID + "organ/lung"])
    # a parameter's entity joins the view, highlighted, linked to the first entity of every row
    anchored = query_result(graph, ["carrier", "mechanism", "n"], rows, "demo", anchors=[ID + "organ/lung"])
    assert anchored.highlight == (ID + "organ/lung",)
    lung_links = {v.rsplit("/", 1)[1] for u, v, k in anchored.graph.out_edges(ID + "organ/lung", keys=True)
                  if k == "result"}
    assert lung_links == {"plga-nanoparticle", "cd44"}


# ---------------------------------------------------------------------------------------------- the page

class _References(HTMLParser):
    """Every attribute of the page that could load something, and the text of its style elements."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []
        self.styles: list[str] = []
        self.scripts = 0
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.scripts += tag == "script"
        self._in_style = tag == "style"
        for name in ("src", "href", "data", "poster", "srcset"):
            if attrs.get(name):
                self.loads.append(f"{tag} {name}={attrs[name]}")

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def test_page_fetches_nothing_and_inlines_vis_network(store):
    page = build_view(store, focus="CD44").html
    refs = _References()
    refs.feed(page)
    assert refs.loads == []  # no <script src>, <link href>, <img src>, ...
    assert refs.scripts == 4  # error capture, data, vis-network, our script: all inline
    css = "".join(refs.styles)
    assert css and not re.search(r"url\(|@import", css)
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=\s*[\"']?(https?:)?//", page, re.I)
    assert "@version 9.1.2" in page and "vis-network" in page


def test_labels_cannot_break_out_of_the_page():
    graph = nx.MultiDiGraph()
    for name in ("a", "b"):
        graph.add_node(f"{ID}x/{name}", label=f"</script><b>{name}</b>", type="Target", family="Target",
                       types=["Target"])
    graph.add_edge(f"{ID}x/a", f"{ID}x/b", key="nmo:binds", pred="nmo:binds", sources=[])
    page = render_html(Selection(graph, "<i>title</i>"), Details())
    assert "</script><b>" not in page and "<i>title</i>" not in page
    assert "&lt;i&gt;title&lt;/i&gt;" in page
    assert {n["label"] for n in embedded(page)["nodes"]} == {"</script><b>a</b>", "</script><b>b</b>"}


def test_the_page_embeds_exactly_the_data_json(store):
    from kg.views.details import load_details
    from kg.views.render import _consumed_json, script_json
    from kg.views.view import select

    selection, full = select(store, max_nodes=5)
    details = load_details(store, full)
    page = render_html(selection, details)
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1)
    assert found == script_json(page_data(selection, details))
    assert selection.notes and all(f"<p>⚠ {html.escape(note)}</p>" in page for note in selection.notes)
    data = page_data(selection, details)
    data["notes"] = ["a </script> in a note", "ünïcode — →"]
    data["empty"] = []
    expected = script_json(data)
    assert "<\\/script>" in expected
    assert "".join(_consumed_json(data)) == expected and not data, "same JSON, data consumed"


def test_output_is_deterministic(store):
    first = build_view(store, focus="CD44").html
    assert build_view(store, focus="CD44").html == first
    # the same triples loaded in the opposite order (a store without a projection cache)
    reversed_store = OxigraphStore.in_memory(list(reversed(store.triples())))
    assert build_view(reversed_store, focus="CD44").html == first
    assert build_view(reversed_store).html == build_view(store).html


def test_same_page_from_another_backend(store, views_sources):
    with open_store(backend="rdflib", sources=views_sources) as parsed:
        assert build_view(parsed, focus="CD44").html == build_view(store, focus="CD44").html


def test_large_views_drop_edge_labels_and_settle_faster():
    graph = nx.MultiDiGraph()
    nodes = [f"{ID}x/{i}" for i in range(LARGE_VIEW + 1)]
    for node in nodes:
        graph.add_node(node, label=node[-3:], type="Target", family="Target", types=["Target"])
    for a, b in pairwise(nodes):
        graph.add_edge(a, b, key="nmo:binds", pred="nmo:binds", sources=[])
    large = page_data(Selection(graph, "large"), Details())
    small = page_data(Selection(graph.subgraph(nodes[:50]).copy(), "small"), Details())
    assert {e["label"] for e in large["edges"]} == {""} and {e["label"] for e in small["edges"]} == {"binds"}
    assert large["options"]["interaction"]["hideEdgesOnDrag"]
    assert not small["options"]["interaction"]["hideEdgesOnDrag"]
    assert large["options"]["physics"]["stabilization"]["iterations"] < \
        small["options"]["physics"]["stabilization"]["iterations"]


def test_view_shows_in_a_notebook(store):
    view = build_view(store, focus="CD44", depth=1)
    frame = view._repr_html_()
    srcdoc = re.search(r'srcdoc="(.*?)" sandbox', frame, re.S).group(1)
    assert html.unescape(srcdoc) == view.html


# ---------------------------------------------------------------------------------------------- styles

def test_every_family_and_predicate_has_its_own_style():
    families = {family_of_type(t) for t in TYPE_ORDER}
    assert families <= {f for f, _ in style.FAMILY_STYLES}
    looks = [(s.colour, s.shape) for _, s in style.FAMILY_STYLES]
    assert len(set(looks)) == len(looks) and len({c for c, _ in looks}) == len(looks)
    assert all(style.edge_group(p) is not style.OTHER_EDGES for p in ENTITY_PREDICATES)


# ---------------------------------------------------------------------------------------------- command line

def test_cli_writes_the_page(tmp_path, views_store_path):
    out = tmp_path / "cd44.html"
    result = CliRunner().invoke(main, ["--store", str(views_store_path), "view", "--focus", "CD44",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "14 nodes" in result.output and str(out) in result.output
    assert len(embedded(out.read_text(encoding="utf-8"))["nodes"]) == 14


def test_cli_default_writes_the_whole_graph_and_opens_it(tmp_path, views_store_path, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--store", str(views_store_path), "view", "--open"])
    assert result.exit_code == 0, result.output
    page = tmp_path / "nanomet-kg.html"
    assert opened == [page.resolve().as_uri()]
    assert embedded(page.read_text(encoding="utf-8"))["title"] == "nanomet-kg: the whole graph"


@pytest.mark.parametrize("args, message", [
    (["--param", "text=x"], "--param needs --query"),
    (["--focus", "CD44", "--paths", "CD44", "lung"], "choose one of focus, query and paths"),
    (["--focus", "no such thing"], "no entity called 'no such thing'"),
    (["--query", "search"], "missing parameter text"),
])
def test_cli_errors_are_clear(tmp_path, views_store_path, args, message):
    result = CliRunner().invoke(main, ["--store", str(views_store_path), "view", "--out",
                                       str(tmp_path / "x.html"), *args])
    assert result.exit_code == 5
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_missing_vis_network_is_a_clear_error(store, monkeypatch):
    from kg.core.errors import KGError
    from kg.views import render

    monkeypatch.setattr(render, "VIS_NETWORK", ("pyvis", "lib/vis-0.0.0/vis-network.min.js"))
    with pytest.raises(KGError, match="pyvis 0.3.x"):
        build_view(store, focus="CD44")
