"""The explorer's pages and JSON routes, called in-process (Starlette's TestClient) on the curated KG:
entity pages and their RDF, search and completion, the summary, overviews, questions; and escaping of
user and label text everywhere."""

from __future__ import annotations

import html
import json
import re
import shutil
import time

import pyoxigraph as ox
import pytest
import rdflib
from starlette.testclient import TestClient

from kg.analysis.gaps import hypotheses
from kg.analysis.projection import build_projection
from kg.analysis.reach import reach
from kg.build.pipeline import build
from kg.core.locations import Sources
from kg.core.schema import TYPE_ORDER
from kg.query.handle import KG
from kg.query.stats import summarize
from kg.server.app import create_app
from kg.server.executor import Limits
from kg.server.state import Explorer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ID = "https://w3id.org/nanomet-kg/id/"
HTML = {"Accept": "text/html"}


def client_for(store_path):
    explorer = Explorer(store_path, Limits(workers=1, fast_workers=0))
    return explorer, TestClient(create_app(explorer))


@pytest.fixture(scope="module")
def client(real_store_path):
    explorer, client = client_for(real_store_path)
    explorer.warm().join(120)  # the overviews, computed in the background
    yield client
    explorer.close()


def text_of(page: str) -> str:
    """The page as text: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_an_entity_page_shows_facts_sources_and_studies(client):
    response = client.get("/id/target/cxcr4", headers=HTML)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.headers["vary"] == "Accept"
    page, text = response.text, text_of(response.text)
    assert "<h1>CXCR4</h1>" in page and "molecular target" in text
    assert "C-X-C chemokine receptor type 4" in text  # alt label (vocab/targets.ttl)
    assert '<a class="identifier" href="https://identifiers.org/hgnc:2561">HGNC:2561</a>' in page
    # NH2026 l.197-202 [53, 54]: CXCR4 guides circulating cells to CXCL12-rich sites (extravasation)
    assert re.search(r"involved in … .*extravasation cascade step — NH2026 l\.197-202 \[53, 54\] "
                     r"doi:10\.1039/D6NH00023A", text)
    assert '<a href="/id/step/extravasation" class="ref">extravasation</a>' in page
    # the formulations that target it, in the other direction, cited at the places that state it
    assert re.search(r"… targets CXCR4 3 .*CXCR4-targeted metallo-nanodrugs formulation — "
                     r"NH2026 l\.873-879 \[235\] doi:10\.1039/D6NH00023A Studies", text)
    # its studies, with evidence and citation: NH2026 l.873-879 [235], in vivo (BALB/c mice)
    assert re.search(r"CXCR4-targeted metallo-nanodrugs against breast cancer growth and lung metastasis "
                     r"\(NH2026 l\.873-879\) study .*NH2026 l\.873-879 \[235\] doi:10\.1039/D6NH00023A "
                     r"in vivo \(animal\)", text)
    assert "/static/vendor/vis-network.min.js" in page and 'id="graph"' in page


def test_a_formulation_page_cites_each_component_where_it_is_stated(client, query_store_path):
    """Abraxane: NH2026 l.505-507 [151] (paclitaxel, Abraxane®) and l.542-544 [165] (protein-bound
    paclitaxel) state its cargo. On the query fixture the gold rod is in both sources, but only CMR2022
    names its ligand and only NH2026 its cargo: each component cites only those places."""
    text = text_of(client.get("/id/formulation/abraxane", headers=HTML).text)
    cargo = re.search(r"Abraxane has cargo … 1 paclitaxel small molecule — (.*?) Abraxane has", text)
    assert cargo and "NH2026 l.505-507 [151]" in cargo.group(1) and "NH2026 l.542-544 [165]" in cargo.group(1)
    explorer, fixture = client_for(query_store_path)
    try:
        text = text_of(fixture.get("/id/formulation/fixture-gold", headers=HTML).text)
    finally:
        explorer.close()
    assert "has cargo … 1 doxorubicin small molecule — NH2026 l.200-201 [61] doi:10.1039/D6NH00023A " \
           "Fixture gold rod has carrier … 1 gold nanorod carrier type — CMR2022 §6 [30] " \
           "doi:10.1007/s10555-022-10025-7 ; NH2026 l.200-201 [61] doi:10.1039/D6NH00023A Fixture gold rod " \
           "has targeting ligand … 1 AMD3100 small molecule — CMR2022 §6 [30] " \
           "doi:10.1007/s10555-022-10025-7 …" \
           in text


def test_a_study_page_cites_its_review(client):
    text = text_of(client.get("/id/study/nh2026-l873-cxcr4-targeted-metallo-nanodrugs", headers=HTML).text)
    # NH2026 l.873-879 [235]
    assert "Source: NH2026 l.873-879 [235] doi:10.1039/D6NH00023A in vivo (animal)" in text
    assert re.search(r"evaluates … 1 .*CXCR4-targeted metallo-nanodrugs formulation", text)


@pytest.mark.parametrize("accept, fmt, parse_as", [
    ("text/turtle", "", "turtle"), ("application/ld+json", "", "json-ld"),
    ("application/n-triples", "", "nt"), ("text/html", "ttl", "turtle"), ("", "jsonld", "json-ld"),
])
def test_the_entity_as_rdf(client, accept, fmt, parse_as):
    response = client.get("/id/target/cd44" + (f"?format={fmt}" if fmt else ""), headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["vary"] == "Accept"
    graph = rdflib.Graph().parse(data=response.content, format=parse_as)
    cd44 = rdflib.URIRef(ID + "target/cd44")
    assert (cd44, rdflib.RDFS.label, rdflib.Literal("CD44")) in graph
    assert (cd44, rdflib.SKOS.exactMatch, rdflib.URIRef("https://identifiers.org/hgnc:1681")) in graph
    # the reified statements about it come along (its concise bounded description), with their sources
    statements = set(graph.subjects(rdflib.RDF.subject, cd44))
    assert statements and all(isinstance(s, rdflib.BNode) for s in statements)
    assert all(graph.value(s, rdflib.URIRef("https://w3id.org/nanomet-kg/ontology#sourceDocument"))
               for s in statements)


def test_negotiation_failures_and_missing_entities(client):
    assert client.get("/id/target/cd44", headers={"Accept": "image/png"}).status_code == 406
    missing = client.get("/id/target/no-such-thing", headers=HTML)
    assert missing.status_code == 404 and "no entity https://w3id.org/nanomet-kg/id/target/no-such-thing" \
        in missing.text
    assert client.get("/id/target/no-such-thing", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/nowhere", headers={"Accept": "text/plain"}).status_code == 404


def test_every_node_type_has_a_page(client, real_store):
    _, rows = real_store.select("SELECT ?class (SAMPLE(?node) AS ?one) WHERE { ?node a ?class "
                                "FILTER(STRSTARTS(STR(?node), STR(<https://w3id.org/nanomet-kg/id/>))) } "
                                "GROUP BY ?class")
    by_class = {r["class"].value.rsplit("#", 1)[-1]: r["one"].value for r in rows}
    present = [t for t in TYPE_ORDER if t in by_class]
    assert len(present) >= 20
    labels = KG(real_store).labels(ox.NamedNode(by_class[t]) for t in present)
    for node_type in present:
        iri = by_class[node_type]
        response = client.get("/id/" + iri.removeprefix(ID), headers=HTML)
        assert response.status_code == 200, (node_type, iri)
        assert f"<h1>{html.escape(labels[iri], quote=False)}</h1>" in response.text, node_type


def test_completion_is_greek_tolerant_and_typed(client):
    matches = client.get("/api/complete", params={"q": "hif1a"}).json()["matches"]
    assert matches[0]["label"] == "HIF-1α" and matches[0]["type_label"] == "molecular target"
    assert matches[0]["href"] == "/id/target/hif-1alpha"
    cxcr = client.get("/api/complete", params={"q": "cxcr4"}).json()["matches"]
    assert cxcr[0]["label"] == "CXCR4" and {m["type"] for m in cxcr} >= {"MolecularTarget", "Formulation"}
    only = client.get("/api/complete", params={"q": "cxcr4", "type": "Formulation"}).json()["matches"]
    assert only and {m["type"] for m in only} == {"Formulation"}
    by_alt = client.get("/api/complete", params={"q": "chemokine receptor type 4"}).json()["matches"]
    assert by_alt[0]["label"] == "CXCR4" and by_alt[0]["matched"] == "C-X-C chemokine receptor type 4"
    assert client.get("/api/complete", params={"q": "   "}).json()["matches"] == []


def test_search_works_without_javascript(client):
    page = client.get("/search", params={"q": "HIF-1 alpha"}, headers=HTML).text
    assert '<a href="/id/target/hif-1alpha">HIF-1α</a>' in page
    assert 'data-complete="/api/complete"' in client.get("/", headers=HTML).text  # the box on every page
    assert "No entity has a name containing" in client.get("/search", params={"q": "zzzqqq"}).text


def test_summary_counts(client, real_store):
    text = text_of(client.get("/", headers=HTML).text)
    summary = summarize(real_store)
    for source, studies, formulations in summary.sources:
        assert re.search(rf"{source} doi:\S+ {studies} {formulations}", text)
    assert re.search(rf"formulation {dict(summary.classes)['Formulation']}\b", text)
    _, levels = real_store.select("SELECT ?label (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a nmo:Study ; "
                                  "nmo:evidenceLevel/rdfs:label ?label } GROUP BY ?label")
    for r in levels:
        assert f"{r['label'].value} {r['n'].value}" in text


def test_heatmap_cells_lead_to_their_evidence(client, real_store):
    graph = build_projection(real_store)
    matrix = reach(graph, "carrier", "step", level="family", all_rows=True, all_cols=True)
    page = client.get("/overview/carrier-step", headers=HTML).text
    links = [html.unescape(u) for u in re.findall(r'href="(/overview/carrier-step/cell\?[^"]+)"', page)]
    assert len(links) == len(matrix.rows) * len(matrix.cols)
    row, col = max(matrix.cells, key=lambda k: len(matrix.cells[k].formulations))
    cell = matrix.cells[(row, col)]
    response = client.get("/overview/carrier-step/cell", params={"row": row, "col": col}, headers=HTML)
    hrefs = set(re.findall(r'href="(/id/[^"]+)"', response.text))
    assert {"/id/" + f.removeprefix(ID) for f in cell.formulations} <= hrefs
    assert {"/id/" + s.removeprefix(ID) for s in cell.studies} <= hrefs
    assert f"{len(cell.formulations)} formulations, {len(cell.studies)} studies" in text_of(response.text)
    ranked, _ = hypotheses(graph, build_projection(real_store, collapse_studies=True))
    top = ranked[0]
    white = client.get("/overview/carrier-step/cell", params={"row": top.source, "col": top.target})
    assert "No study links these two" in white.text and "Hypothesis #1" in white.text
    assert f"{top.dwpc:.4f}" in white.text
    assert client.get("/overview/carrier-step/cell", params={"row": "x", "col": "y"}).status_code == 404


def test_overviews_say_while_they_are_computed(mini_store_path):
    explorer, client = client_for(mini_store_path)
    try:
        first = client.get("/overview/carrier-step", headers=HTML)
        assert first.status_code == 503 and first.headers["retry-after"] == "5"
        assert '<meta http-equiv="refresh" content="5">' in first.text
        deadline = time.monotonic() + 60
        while (answer := client.get("/overview/carrier-step", headers=HTML)).status_code == 503:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert answer.status_code == 200 and '<table class="heatmap">' in answer.text
    finally:
        explorer.close()


@pytest.mark.parametrize("name", ["target-step", "mechanism-site"])
def test_the_other_heatmaps(client, real_store, name):
    row_axis, col_axis = name.split("-")
    matrix = reach(build_projection(real_store), row_axis, col_axis, level="family",
                   all_rows=row_axis != "target", all_cols=True)
    page = client.get(f"/overview/{name}", headers=HTML).text
    cells = re.findall(r'<td class="cell[^"]*"[^>]*><a\s+href="[^"]+"\s+title="[^"]*">(\d+)</a></td>', page)
    assert [int(c) for c in cells] == [matrix.value(r, c) for r in matrix.rows for c in matrix.cols]


def test_questions_as_forms(client, real_store):
    page = client.get("/questions", headers=HTML).text
    assert re.search(r'name="target"[^>]*data-complete="/api/complete" data-types="Target"', page)
    response = client.get("/questions/formulations-by-target", params={"target": "CXCR4"}, headers=HTML)
    expected = KG(real_store).query("formulations-by-target", target="CXCR4")
    assert response.status_code == 200 and f"{len(expected)} rows" in response.text
    for row in expected.rows:
        assert f'href="/id/{row["formulation_iri"].removeprefix(ID)}"' in response.text
    unknown = client.get("/questions/formulations-by-target", params={"target": "CXCR5"}, headers=HTML)
    assert unknown.status_code == 400 and "did you mean" in unknown.text


def test_neighbours_for_the_graph_widget(client):
    data = client.get("/api/neighbours", params={"iri": ID + "target/cxcr4"}).json()
    ids = {n["id"] for n in data["nodes"]}
    assert ID + "step/extravasation" in ids and ID + "formulation/cxcr4-targeted-metallo-nanodrugs" in ids
    assert not any(n["family"] in ("SourceDocument", "EvidenceLevel") for n in data["nodes"])
    assert {"from": ID + "target/cxcr4", "to": ID + "step/extravasation", "label": "involved in",
            "predicate": "nmo:involvedIn"} in data["edges"]
    assert client.get("/api/neighbours", params={"iri": "http://elsewhere.example/x"}).status_code == 400


def test_label_text_is_escaped_everywhere(tmp_path, mini_sources):
    folder = tmp_path / "triples"
    shutil.copytree(mini_sources.triples, folder)
    (folder / "hostile.ttl").write_text(
        '@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .\n'
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
        '<https://w3id.org/nanomet-kg/id/target/cd44> skos:altLabel "<script>alert(1)</script>" .\n'
        '<https://w3id.org/nanomet-kg/id/target/evil> a nmo:MolecularTarget ;\n'
        '  rdfs:label "<script>alert(2)</script>" ; skos:definition "x</p><img src=x onerror=alert(3)>" .\n',
        encoding="utf-8")
    store = tmp_path / "store"
    build(store, Sources.default(triples=folder))
    explorer, client = client_for(store)
    try:
        pages = [client.get(path, params=params, headers=HTML).text for path, params in [
            ("/id/target/cd44", {}), ("/id/target/evil", {}), ("/search", {"q": "<script>"}),
            ("/search", {"q": "script"}), ("/questions/search", {"text": "<script>alert(4)</script>"}),
            ("/id/<script>alert(5)</script>", {})]]
        for page in pages:
            assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in pages[1]
        completion = client.get("/api/complete", params={"q": "script"})
        assert completion.headers["content-type"] == "application/json"
        assert "<script>alert(2)</script>" in [m["label"] for m in completion.json()["matches"]]
        assert json.loads(completion.text)  # JSON, read by the widget with textContent only
    finally:
        explorer.close()


def test_identifiers_of_trials_and_reviews_are_links(client):
    # NH2026 Table 3 (l.969-970): the trial NCT01812746, with its ClinicalTrials.gov record
    trial = client.get("/id/trial/nct01812746", headers=HTML).text
    link = r'<a class="identifier" href="https://clinicaltrials\.gov/[^"]*NCT01812746">NCT01812746</a>'
    assert re.search(link, trial)
    review = client.get("/id/source/NH2026", headers=HTML).text
    doi = '<a class="identifier" href="https://doi.org/10.1039/D6NH00023A">doi:10.1039/D6NH00023A</a>'
    assert doi in review


def test_the_find_page_narrows_and_downloads(client, real_store):
    graph = KG(real_store)
    page = client.get("/find", params={"target": "target:cxcr4"}, headers=HTML)
    assert page.status_code == 200
    expected = graph.find(target="target:cxcr4")
    assert f"{expected.total} formulations" in text_of(page.text)
    hrefs = set(re.findall(r'href="(/id/formulation/[^"]+)"', page.text))
    assert {"/id/" + r["formulation_iri"].removeprefix(ID) for r in expected.rows} <= hrefs
    # another axis counts under the filter; the filtered axis keeps its alternatives (counted without it)
    carriers = {r["value"]: r["formulations"] for r in graph.facets("carrier", target="target:cxcr4").rows}
    shown = dict(re.findall(r'name="carrier" value="[^"]+">\s*(.+?) <span class="count">(\d+)</span>',
                            page.text))
    assert {html.unescape(k): int(v) for k, v in shown.items()} == carriers
    assert re.search(r'name="target" value="target:cxcr4" checked>', page.text)
    assert 'name="target" value="target:cd44">' in page.text
    narrower = client.get("/find", params={"target": "target:cxcr4", "source": "src:CMR2022"}, headers=HTML)
    fewer = graph.find(target="target:cxcr4", source="src:CMR2022").total
    assert fewer < expected.total and f"{fewer} formulation" in text_of(narrower.text)
    download = client.get("/find.csv", params={"target": "target:cxcr4"})
    assert download.headers["content-type"].startswith("text/csv")
    header, rows = expected.table(iris=True, full_iris=True)
    lines = download.text.splitlines()
    assert lines[0] == ",".join(header) and len(lines) == len(rows) + 1
    bad = client.get("/find", params={"target": "CXCR5"}, headers=HTML)
    assert bad.status_code == 400 and "did you mean" in bad.text
