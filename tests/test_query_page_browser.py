"""The query page of `kg serve` in headless Chromium, driven through chromedriver's WebDriver protocol
(plain HTTP + JSON, no Selenium): the named queries are listed, one runs and its table matches the API;
every resource the page loads comes from the server itself."""

from __future__ import annotations

import threading

import pytest

from kg.query.handle import KG
from kg.query.library import load_library
from kg.server.app import make_server

pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def page_url(query_store_path):
    server = make_server(query_store_path, port=0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.url + "/query"
    server.shutdown()
    server.server_close()


def results_table(browser) -> tuple[list[str], list[list[str]]]:
    return browser.script(
        "const t = document.getElementById('results');"
        "return [[...t.querySelectorAll('thead th')].map(th => th.textContent),"
        "        [...t.querySelectorAll('tbody tr')].map(tr => [...tr.cells].map(td => td.textContent))];")


def test_named_queries_are_listed_and_one_runs(browser, page_url, query_store):
    browser.open(page_url)
    browser.wait_for("return document.body.dataset.ready === 'true';")
    options = browser.script("return [...document.querySelectorAll('#query-select option')]"
                             ".map(o => o.value);")
    assert options == [""] + list(load_library())
    assert browser.script("return document.getElementById('query-select').value;") == "carriers-mechanisms"
    description = browser.script("return document.getElementById('query-description').textContent;")
    assert "carrier family" in description

    browser.click("#run")
    status = browser.wait_for("const s = document.getElementById('status').textContent;"
                              "return /rows? \\(/.test(s) && s;")
    expected = KG(query_store).query("carriers-mechanisms")
    assert status.startswith(f"{len(expected)} rows")
    header, rows = results_table(browser)
    assert (header, rows) == expected.table()  # labels, as the CLI shows them

    browser.click("#show-iris")
    header, rows = results_table(browser)
    assert (header, rows) == expected.table(iris=True)


def test_a_chosen_query_with_a_bound_parameter_runs(browser, page_url, query_store):
    browser.open(page_url + "#query=steps-not-targeted")
    browser.wait_for("return document.body.dataset.ready === 'true' && "
                     "document.getElementById('query-select').value === 'steps-not-targeted';")
    text = browser.script("return document.getElementById('query-text').value;")
    assert "VALUES (?target) { (<https://w3id.org/nanomet-kg/id/target/cxcr4>) }" in text
    browser.click("#run")
    browser.wait_for("return /rows? \\(/.test(document.getElementById('status').textContent);")
    expected = KG(query_store).query("steps-not-targeted", target="CXCR4")
    assert tuple(results_table(browser)) == expected.table()


def test_errors_are_shown_and_nothing_comes_from_elsewhere(browser, page_url):
    browser.open(page_url)
    browser.wait_for("return document.body.dataset.ready === 'true';")
    browser.script("document.getElementById('query-text').value = 'SELECT * WHERE { ?s ?p }';")
    browser.click("#run")
    message = browser.wait_for("const s = document.getElementById('status');"
                               "return s.className === 'error' && s.textContent;")
    assert "HTTP 400" in message and "SPARQL syntax error at line 1" in message
    origins = browser.script("return performance.getEntriesByType('resource')"
                             ".map(e => new URL(e.name).origin);")
    assert origins and set(origins) == {page_url.removesuffix("/query")}
