"""The HTML views in a real browser: headless Chromium with networking disabled opens the page, lets the
layout settle and reports what vis-network drew (the page writes its state into ``#kg-state``)."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from kg.views import build_view

pytestmark = pytest.mark.slow

WINDOW = (1400, 900)
BUDGET_MS = 30000  # virtual time: the layout's timers run without waiting in real time


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    pytest.fail("headless Chromium is needed for the browser tests: apt-get install chromium "
                "(scripts/test.sh installs it)")


def _run(page: Path, tmp_path: Path, fragment: str = "", *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [
        _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}",
        # networking off: no name resolves and every request goes to a closed local port
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
        f"--window-size={WINDOW[0]},{WINDOW[1]}", "--hide-scrollbars", f"--virtual-time-budget={BUDGET_MS}",
        *extra, page.resolve().as_uri() + fragment,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def page_state(page: Path, tmp_path: Path, fragment: str = "") -> dict:
    """What the page reported about itself once loaded (``ready``, node counts, ``errors`` …)."""
    done = _run(page, tmp_path, fragment, "--dump-dom")
    found = re.search(r'<pre id="kg-state"[^>]*>(.*?)</pre>', done.stdout, re.S)
    assert found, f"no state in the page; chromium said: {done.stderr[-2000:]}"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                      .replace("&amp;", "&"))


def screenshot(page: Path, tmp_path: Path, name: str) -> Path:
    """A PNG of the settled page, checked to be a window-sized image."""
    png = tmp_path / name
    _run(page, tmp_path, "", f"--screenshot={png}")
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == WINDOW
    return png


def assert_drawn(state: dict, nodes: int, edges: int) -> None:
    assert state["errors"] == []
    assert state["ready"] and state["stabilized"] and state["physics"] is False  # settled, then still
    assert (state["nodes"], state["edges"]) == (nodes, edges)
    assert (state["drawnNodes"], state["drawnEdges"]) == (nodes, edges)
    assert state["painted"] > 1000  # the canvas has something on it


def test_ego_view_renders_offline(tmp_path, mini_store):
    view = build_view(mini_store, focus="CD44", depth=2)
    page = view.write(tmp_path / "cd44.html")
    state = page_state(page, tmp_path, "#show=HA")  # pin the details of hyaluronic acid, by its alt label
    assert_drawn(state, view.nodes, view.edges)
    assert view.nodes == 14
    assert state["details"] == "https://w3id.org/nanomet-kg/id/agent/hyaluronic-acid"
    assert screenshot(page, tmp_path, "cd44.png").stat().st_size > 20_000


@pytest.mark.parametrize("typed, found", [("hif1alpha", 1), ("Fixture", 2)])
def test_search_box_is_greek_tolerant(tmp_path, mini_store, typed, found):
    page = build_view(mini_store).write(tmp_path / "all.html")
    state = page_state(page, tmp_path, f"#find={typed}")
    assert state["errors"] == [] and state["found"] == found


def test_networking_is_really_off(tmp_path):
    """The harness itself: a page that needs the network reports the failed load (so a pass above means
    the view needed none)."""
    page = tmp_path / "online.html"
    page.write_text('<!DOCTYPE html><html><head><script>var errors=[];'
                    'addEventListener("error",function(e){errors.push(String(e.target.src||e.message));},true);'
                    'addEventListener("load",function(){'
                    'document.getElementById("kg-state").textContent=JSON.stringify({errors:errors});});'
                    '</script><script src="https://cdn.jsdelivr.net/npm/vis-network@9.1.2/standalone/umd/'
                    'vis-network.min.js"></script></head><body><pre id="kg-state"></pre></body></html>')
    assert page_state(page, tmp_path)["errors"] == [
        "https://cdn.jsdelivr.net/npm/vis-network@9.1.2/standalone/umd/vis-network.min.js"]


def test_whole_real_graph_renders(tmp_path, real_store):
    view = build_view(real_store)
    page = view.write(tmp_path / "nanomet-kg.html")
    assert view.nodes > 300  # the curated graph, not a fixture
    assert_drawn(page_state(page, tmp_path), view.nodes, view.edges)
    screenshot(page, tmp_path, "nanomet-kg.png")
