"""The query page of `kg serve` in headless Chromium, driven through chromedriver's WebDriver protocol
(plain HTTP + JSON, no Selenium): the named queries are listed, one runs and its table matches the API;
every resource the page loads comes from the server itself."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from kg.query.handle import KG
from kg.query.library import load_library
from kg.server.app import make_server

pytestmark = pytest.mark.slow

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C WebDriver key of an element reference


def _binary(*names: str) -> str:
    for name in names:
        if found := shutil.which(name):
            return found
    pytest.fail(f"{names[0]} is needed for the browser tests: apt-get install chromium chromium-driver "
                "(scripts/test.sh installs them)")


class WebDriver:
    """Just enough of the W3C WebDriver protocol: a session, navigation, scripts, clicks."""

    def __init__(self, url: str, chromium: str, profile: str):
        self.url = url
        capabilities = {"browserName": "chrome", "goog:chromeOptions": {"binary": chromium, "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
            # no network but loopback: names do not resolve, other traffic goes to a closed port
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--proxy-server=http://127.0.0.1:9",
        ]}}
        created = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = created["sessionId"]

    def _call(self, method: str, path: str, body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as err:
            raise AssertionError(f"WebDriver {method} {path}: {err.read().decode()[:1000]}") from None

    def command(self, method: str, path: str, body: dict | None = None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def open(self, url: str) -> None:
        """Load ``url`` afresh (a page only differing in its #fragment would not reload)."""
        self.command("POST", "/url", {"url": "about:blank"})
        self.command("POST", "/url", {"url": url})

    def script(self, source: str, *args):
        return self.command("POST", "/execute/sync", {"script": source, "args": list(args)})

    def click(self, css: str) -> None:
        element = self.command("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]
        self.command("POST", f"/element/{element}/click", {})

    def wait_for(self, source: str, seconds: float = 30.0):
        deadline = time.monotonic() + seconds
        while not (value := self.script(source)):
            assert time.monotonic() < deadline, f"timed out waiting for: {source}"
            time.sleep(0.2)
        return value

    def quit(self) -> None:
        self.command("DELETE", "")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    driver = subprocess.Popen([_binary("chromedriver", "chromium-driver"), f"--port={port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/status", timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "chromedriver did not start"
            time.sleep(0.1)
    session = WebDriver(url, _binary("chromium", "chromium-browser", "google-chrome"),
                        str(tmp_path_factory.mktemp("chromium-profile")))
    yield session
    session.quit()
    driver.terminate()
    driver.wait(timeout=10)


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
