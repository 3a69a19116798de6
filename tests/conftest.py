"""Shared fixtures: the tiny fixture graph and the real curated graph, each built once per session."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from kg.build.pipeline import build
from kg.core.locations import Sources
from kg.store import open_store

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"


@pytest.fixture(scope="session")
def mini_sources() -> Sources:
    return Sources.default(triples=MINI)


@pytest.fixture
def mini_copy(tmp_path) -> Sources:
    """A writable copy of the fixture data, for tests that break it."""
    folder = tmp_path / "triples"
    shutil.copytree(MINI, folder)
    return Sources.default(triples=folder)


def _built(tmp_path_factory, name: str, sources: Sources) -> Path:
    """A store built from ``sources`` in a fresh temporary folder."""
    path = tmp_path_factory.mktemp(name) / "store"
    build(path, sources)
    return path


def _opened(path: Path):
    with open_store(path) as store:
        yield store


@pytest.fixture(scope="session")
def mini_store_path(tmp_path_factory, mini_sources) -> Path:
    return _built(tmp_path_factory, "mini", mini_sources)


@pytest.fixture
def mini_store(mini_store_path):
    yield from _opened(mini_store_path)


@pytest.fixture(scope="session")
def real_store_path(tmp_path_factory) -> Path:
    return _built(tmp_path_factory, "real", Sources.default())


@pytest.fixture
def real_store(real_store_path):
    yield from _opened(real_store_path)


@pytest.fixture(scope="session")
def analysis_store_path(tmp_path_factory) -> Path:
    """The hand-made graph-analysis fixture (tests/data/analysis) built into a store."""
    return _built(tmp_path_factory, "analysis", Sources.default(triples=DATA / "analysis"))


@pytest.fixture
def analysis_store(analysis_store_path):
    yield from _opened(analysis_store_path)


@pytest.fixture(scope="session")
def query_sources(tmp_path_factory) -> Sources:
    """The mini fixture plus the query-layer fixture (tests/data/queries), in one folder."""
    folder = tmp_path_factory.mktemp("query-data") / "triples"
    shutil.copytree(MINI, folder)
    for path in (DATA / "queries").glob("*.ttl"):
        shutil.copy(path, folder / path.name)
    return Sources.default(triples=folder)


@pytest.fixture(scope="session")
def query_store_path(tmp_path_factory, query_sources) -> Path:
    return _built(tmp_path_factory, "query", query_sources)


@pytest.fixture
def query_store(query_store_path):
    yield from _opened(query_store_path)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium through chromedriver, network blocked but loopback (tests/webdriver.py)."""
    from webdriver import WebDriver, binary

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    driver = subprocess.Popen([binary("chromedriver", "chromium-driver"), f"--port={port}"],
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
    session = WebDriver(url, binary("chromium", "chromium-browser", "google-chrome"),
                        str(tmp_path_factory.mktemp("chromium-profile")))
    yield session
    session.quit()
    driver.terminate()
    driver.wait(timeout=10)


