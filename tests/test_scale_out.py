"""Scale-out: the built graph served by a separate SPARQL server, queried and analysed remotely.

The path of ``docs/SCALE.md``: ``kg build`` validates and writes ``snapshot.ttl``; the server's own bulk
loader loads it (here ``oxigraph load``, in the [test] extra; Fuseki, QLever or Virtuoso likewise); ``kg
--endpoint URL`` then answers every named query there, and the NetworkX analyses pull only their
projection (a few SELECTs), never the whole graph.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner
from test_query_backends import free_port, wait_until_up

from kg.analysis.projection import build_projection
from kg.analysis.reach import reach
from kg.cli import main
from kg.query.handle import KG
from kg.store.oxigraph_backend import SNAPSHOT, OxigraphStore
from kg.store.remote import RemoteStore


class CountingStore(RemoteStore):
    """A remote store that records every request it sends."""

    def __init__(self, endpoint: str):
        super().__init__(endpoint)
        self.sent: list[str] = []

    def _fetch(self, query: str, accept: str) -> bytes:
        self.sent.append(query)
        return super()._fetch(query, accept)


@pytest.fixture(scope="module")
def server(tmp_path_factory, real_store_path):
    """`oxigraph serve-read-only` on 127.0.0.1 over a database bulk-loaded from the build's snapshot."""
    binary = shutil.which("oxigraph")
    assert binary, "the oxigraph server is needed: pip install oxigraph (it is in the [test] extra)"
    location = tmp_path_factory.mktemp("scale-out-server")
    subprocess.run([binary, "load", "--location", str(location), "--file", str(real_store_path / SNAPSHOT)],
                   check=True, capture_output=True, timeout=300)
    port = free_port()
    process = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind",
                                f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def local(real_store_path):
    with OxigraphStore.open(real_store_path) as store:
        yield store


def test_the_server_holds_the_whole_validated_graph(server, local, real_store_path):
    assert len(RemoteStore(server)) == len(local) == OxigraphStore.open(real_store_path).manifest()["triples"]


def test_named_queries_answer_the_same_remotely(server, local):
    remote, embedded = KG(RemoteStore(server)), KG(local)
    for name in ("carriers-mechanisms", "step-coverage", "systems-by-source"):
        assert remote.query(name).rows == embedded.query(name).rows, name


def test_analyses_pull_only_their_projection(server, local):
    remote = CountingStore(server)
    graph = build_projection(remote)
    # a handful of SELECTs, no CONSTRUCT of the graph
    assert 0 < len(remote.sent) <= 5
    assert all("SELECT" in q and "CONSTRUCT" not in q for q in remote.sent)
    reference = build_projection(local)
    assert sorted(graph.nodes(data=True)) == sorted(reference.nodes(data=True))
    assert sorted(graph.edges(keys=True, data=True)) == sorted(reference.edges(keys=True, data=True))
    assert graph.number_of_edges() < len(local) / 2  # the projection is much smaller than the graph
    remote_matrix = reach(graph, "carrier", "mechanism")
    assert remote_matrix.records() == reach(reference, "carrier", "mechanism").records()
    assert remote_matrix.records()


def test_analysis_commands_honour_the_endpoint(server, real_store_path, tmp_path, monkeypatch):
    """`kg --endpoint URL reach` projects the remote graph: the same matrix as the built store's."""
    monkeypatch.delenv("NANOMET_KG_ENDPOINT", raising=False)
    args = ["reach", "--from", "carrier", "--to", "step", "--via", "target", "--format", "csv"]
    remote = CliRunner().invoke(main, ["--store", str(tmp_path / "no-store"), "--endpoint", server, *args])
    built = CliRunner().invoke(main, ["--store", str(real_store_path), *args])
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == built.stdout and "lipid-based nanocarrier" in remote.stdout
    stats = CliRunner().invoke(main, ["--store", str(tmp_path / "no-store"), "--endpoint", server, "stats"])
    assert stats.exit_code == 0, stats.output
    assert stats.stdout.startswith(f"endpoint: {server} (no build date")
    assert stats.stdout.split("\n", 1)[1] == CliRunner().invoke(
        main, ["--store", str(real_store_path), "stats"]).stdout.split("\n", 1)[1]
