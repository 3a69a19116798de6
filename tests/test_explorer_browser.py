"""The explorer in headless Chromium (network blocked): a researcher's walk from the summary through
search, an entity page and its graph to a study and its review citation; and from a heatmap cell to the
studies in it. No console errors, nothing loaded from elsewhere. Screenshots of the summary, an entity
page and a heatmap are saved (into $KG_EXPLORER_SCREENSHOTS too, when set: how docs/img/ is made)."""

from __future__ import annotations

import os
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kg.analysis.projection import build_projection
from kg.analysis.reach import reach
from kg.server.app import make_server

pytestmark = pytest.mark.slow

ID = "https://w3id.org/nanomet-kg/id/"
FORMULATION = ID + "formulation/cxcr4-targeted-metallo-nanodrugs"
STUDY = ID + "study/nh2026-l873-cxcr4-targeted-metallo-nanodrugs"


@pytest.fixture(scope="module")
def site(real_store_path):
    server = make_server(real_store_path, port=0, quiet=True, warm=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.url
    server.shutdown()
    server.server_close()


def save(browser, tmp_path: Path, name: str) -> None:
    png = browser.screenshot()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # a drawn page, not a blank one
    (tmp_path / name).write_bytes(png)
    if folder := os.environ.get("KG_EXPLORER_SCREENSHOTS"):
        shutil.copy(tmp_path / name, Path(folder) / name)


def settled(browser) -> None:
    """Wait until the graph has stopped moving."""
    browser.wait_for("return document.getElementById('graph').dataset.stable === 'true';")
    last = None
    for _ in range(50):
        now = browser.script("return JSON.stringify(window.kgGraph.network.getPositions());")
        if now == last:
            return
        last = now
        time.sleep(0.2)


def click_node(browser, iri: str) -> None:
    """A real click on a node of the graph, where it is drawn."""
    settled(browser)
    browser.script("window.kgGraph.network.focus(arguments[0], {scale: 1.0}); return true;", iri)
    time.sleep(0.3)
    x, y = browser.script("const n = window.kgGraph.network;"
                          "const p = n.canvasToDOM(n.getPosition(arguments[0])); return [p.x, p.y];", iri)
    browser.click_at("#graph canvas", x, y)


def no_trouble(browser, site: str) -> None:
    assert browser.console_errors() == []
    origins = browser.script("return performance.getEntriesByType('resource')"
                             ".map(e => new URL(e.name).origin);")
    assert set(origins) <= {site}


def test_from_search_to_the_review_citation(browser, site, tmp_path):
    browser.open(site + "/")
    browser.wait_for("return document.body.dataset.ready === 'true';")
    assert browser.script("return document.querySelector('h1').textContent;") == \
        "Cancer nanomedicine against metastasis"
    save(browser, tmp_path, "explorer-home.png")
    no_trouble(browser, site)

    browser.type("form.search input[name=q]", "cxcr4")
    browser.wait_for("return [...document.querySelectorAll('ul.completions li .name')]"
                     ".some(e => e.textContent === 'CXCR4');")
    browser.click(f"ul.completions li[data-iri='{ID}target/cxcr4']")
    browser.wait_for("return location.pathname === '/id/target/cxcr4';")
    assert browser.script("return document.querySelector('h1').textContent;") == "CXCR4"

    browser.wait_for(f"return window.kgGraph && window.kgGraph.nodes.get('{FORMULATION}') !== null;")
    settled(browser)
    save(browser, tmp_path, "explorer-entity.png")
    assert browser.script(f"return window.kgGraph.nodes.get('{STUDY}');") is None
    click_node(browser, FORMULATION)  # expands the formulation: its studies appear
    browser.wait_for(f"return window.kgGraph.nodes.get('{STUDY}') !== null;")
    assert browser.script("return document.getElementById('graph-open').textContent;") == \
        "CXCR4-targeted metallo-nanodrugs"
    click_node(browser, STUDY)
    browser.wait_for("return document.getElementById('graph-open').getAttribute('href') === "
                     "'/id/study/nh2026-l873-cxcr4-targeted-metallo-nanodrugs';")
    no_trouble(browser, site)
    browser.click("#graph-open")
    browser.wait_for("return location.pathname.startsWith('/id/study/');")
    # NH2026 l.873-879 [235]: the study's own citation, with the review's DOI
    cited = browser.script("return document.querySelector('p.cited').textContent"
                           ".replace(/\\s+/g, ' ').trim();")
    assert cited == "Source: NH2026 l.873-879 [235] doi:10.1039/D6NH00023A in vivo (animal)"
    assert browser.script("return document.querySelector('p.cited a.doi').href;") == \
        "https://doi.org/10.1039/D6NH00023A"
    no_trouble(browser, site)


def test_from_a_heatmap_cell_to_its_studies(browser, site, tmp_path, real_store):
    matrix = reach(build_projection(real_store), "carrier", "step", level="family", all_rows=True,
                   all_cols=True)
    deadline = time.monotonic() + 120
    while True:  # the overviews are computed in the background once the server starts
        try:
            urllib.request.urlopen(site + "/overview/carrier-step", timeout=30).close()
            break
        except urllib.error.HTTPError as err:
            assert err.code == 503 and time.monotonic() < deadline
            time.sleep(0.5)
    browser.open(site + "/overview/carrier-step")
    browser.wait_for("return document.body.dataset.ready === 'true' && "
                     "!!document.querySelector('table.heatmap');")
    save(browser, tmp_path, "explorer-matrix.png")
    no_trouble(browser, site)
    row, col = max(matrix.cells, key=lambda k: len(matrix.cells[k].studies))
    href = browser.script("return [...document.querySelectorAll('td.cell a')].find(a => "
                          "new URL(a.href).searchParams.get('row') === arguments[0] && "
                          "new URL(a.href).searchParams.get('col') === arguments[1]).getAttribute('href');",
                          row, col)
    browser.click(f"td.cell a[href='{href}']")
    browser.wait_for("return location.pathname === '/overview/carrier-step/cell';")
    studies = browser.script("return [...document.querySelectorAll('table.cell-studies td:first-child a')]"
                             ".map(a => new URL(a.href).pathname);")
    assert sorted(studies) == sorted("/id/" + s.removeprefix(ID) for s in matrix.cells[(row, col)].studies)
    browser.click("table.cell-studies td:first-child a")
    browser.wait_for("return location.pathname.startsWith('/id/study/');")
    cited = browser.script("return document.querySelector('p.cited').textContent;")
    assert cited.strip().startswith("Source:")
    no_trouble(browser, site)
