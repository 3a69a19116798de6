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


def _ready(browser, url: str, name: str) -> None:
    browser.open(url)
    browser.wait_for("return document.body.dataset.ready === 'true' && "
                     f"document.getElementById('query-select').value === '{name}';")


def _set(browser, param: str, value: str, event: str = "change") -> None:
    """Type a value into a parameter input and fire the event a person's typing or picking fires."""
    browser.script(f"const input = document.getElementById('param-{param}'); input.value = arguments[0];"
                   f"input.dispatchEvent(new Event('{event}', {{bubbles: true}}));", value)


def test_parameter_inputs_complete_names_and_bind_them(browser, page_url, query_store):
    """The page builds its inputs from the query's header: an entity name gets completions from
    /api/complete, and the server binds the chosen name as an RDF term into the SPARQL shown."""
    _ready(browser, page_url + "#query=formulations-by-target", "formulations-by-target")
    inputs = browser.script("return [...document.getElementById('params').elements]"
                            ".map(e => [e.name, e.tagName, e.value]);")
    assert inputs == [["target", "INPUT", "CXCR4"]]  # the header's example, prefilled
    assert "title:" not in browser.script("return document.getElementById('query-text').value;")

    _set(browser, "target", "cd", "input")
    options = browser.wait_for("const o = [...document.querySelectorAll('#complete-target option')]"
                               ".map(o => o.value); return o.length && o;")
    assert options[0] == "CD44"
    _set(browser, "target", "CD44")
    browser.wait_for("return document.getElementById('query-text').value.includes("
                     "'VALUES (?target) { (<https://w3id.org/nanomet-kg/id/target/cd44>) }');")
    browser.click("#run")
    browser.wait_for("return /rows? \\(/.test(document.getElementById('status').textContent);")
    assert tuple(results_table(browser)) == KG(query_store).query("formulations-by-target",
                                                                   target="CD44").table()


def test_a_choice_parameter_is_a_select(browser, page_url, query_store):
    _ready(browser, page_url + "#query=carriers-mechanisms", "carriers-mechanisms")
    options = browser.script("return [...document.getElementById('param-level').options].map(o => o.value);")
    assert options == ["family", "leaf"]
    assert browser.script("return document.getElementById('param-level').value;") == "family"
    _set(browser, "level", "leaf")
    browser.wait_for("return document.getElementById('query-text').value.includes('\"leaf\"');")
    browser.click("#run")
    browser.wait_for("return /rows? \\(/.test(document.getElementById('status').textContent);")
    assert tuple(results_table(browser)) == KG(query_store).query("carriers-mechanisms", level="leaf").table()


def test_a_bad_name_is_reported_as_text_and_nothing_runs(browser, page_url):
    _ready(browser, page_url + "#query=formulations-by-target&target=CXCR4", "formulations-by-target")
    hostile = '<img src=x onerror="document.body.dataset.owned=1">CXCR5'
    _set(browser, "target", hostile)
    message = browser.wait_for("const s = document.getElementById('status');"
                               "return s.className === 'error' && s.textContent;")
    assert "no entity called" in message and hostile in message  # shown as text
    browser.click("#run")
    assert browser.script("return document.getElementById('results').rows.length;") == 0
    assert browser.script("return document.querySelectorAll('#status img, #params img').length;") == 0
    assert browser.script("return document.body.dataset.owned;") is None
