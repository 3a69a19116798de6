"""Over-deep queries are refused before any parser sees them (issue 12, item 3): 100,000 nested ``{``
crashed `kg sparql` (exit 139) and killed an endpoint worker per request. The limit,
:data:`kg.core.sparql.MAX_NESTING`, holds in the one gate every query passes, so the CLI, the Python API,
the endpoint and every backend refuse with one message."""

from __future__ import annotations

import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.core.errors import QueryError
from kg.core.sparql import MAX_NESTING
from kg.server.protocol import evaluate
from kg.store.oxigraph_backend import OxigraphStore

DEEP = 100_000
MESSAGE = f"the query nests brackets more than {MAX_NESTING} levels deep"


def nested(kind: str, depth: int) -> str:
    """A query whose brackets of one kind nest ``depth`` levels."""
    if kind == "group":
        return "SELECT * WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth
    if kind == "expression":
        return "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * depth + "true" + ")" * depth + ") }"
    if kind == "blank-node":
        return "SELECT * WHERE { ?s ?p " + "[ ?q " * depth + "1" + " ]" * depth + " }"
    if kind == "collection":
        return "SELECT * WHERE { ?s ?p " + "( " * depth + "1" + " )" * depth + " }"
    if kind == "exists":
        return "ASK { " + "FILTER EXISTS { " * depth + "?s ?p ?o" + " }" * depth + " }"
    assert kind == "optional"
    return "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * depth + "}" * depth + " }"


KINDS = ["group", "expression", "blank-node", "collection", "exists", "optional"]


@pytest.mark.parametrize("kind", ["group", "blank-node"])
def test_cli_refuses_without_crashing(kind, query_store_path, tmp_path):
    """In a subprocess: before the fix it died of a segmentation fault (exit 139)."""
    query = tmp_path / "deep.rq"
    query.write_text(nested(kind, DEEP))
    done = subprocess.run([sys.executable, "-m", "kg", "--store", str(query_store_path), "sparql", "-f",
                           str(query)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 5, done.stderr
    assert done.stderr.startswith(f"error: {MESSAGE} (line 1, column ")
    assert len(done.stderr.splitlines()) == 1 and done.stdout == ""


@pytest.mark.parametrize("kind", KINDS)
def test_cli_message(kind, query_store_path):
    result = CliRunner().invoke(main, ["--store", str(query_store_path), "sparql", nested(kind, DEEP)])
    assert result.exit_code == 5
    assert MESSAGE in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib", "remote"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("depth", [MAX_NESTING + 1, DEEP])
def test_every_backend_refuses(backend, kind, depth, query_graphs, listener):
    graph = query_graphs.get(backend) or kg.open(endpoint=listener.url)
    with pytest.raises(QueryError, match=MESSAGE):
        graph.sparql(nested(kind, depth))
    assert listener.connections(settle=0) == 0, "the remote backend refuses before sending"


def _deep_formulations(depth: int) -> str:
    return "SELECT ?f WHERE " + "{ " * depth + "?f a nmo:Formulation" + " }" * depth


@pytest.mark.parametrize(("backend", "depth"), [("oxigraph", MAX_NESTING), ("rdflib", 12)])
def test_below_the_limit_the_query_runs(backend, depth, query_graphs):
    """Up to MAX_NESTING levels are answered, as the same pattern without the extra braces (rdflib's
    parser, recursive in Python, stops earlier: next test)."""
    graph = query_graphs[backend]
    expected = sorted(r["f_iri"] for r in graph.sparql(_deep_formulations(1)).rows)
    assert len(expected) >= 2
    assert sorted(r["f_iri"] for r in graph.sparql(_deep_formulations(depth)).rows) == expected


def test_rdflib_recursion_limit_is_a_clear_error(query_graphs):
    with pytest.raises(QueryError, match="the query nests too deep for rdflib's parser"):
        query_graphs["rdflib"].sparql(_deep_formulations(MAX_NESTING))


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_brackets_in_strings_comments_iris_and_rows_are_no_nesting(backend, query_graphs):
    values = " ".join(f'("{i}")' for i in range(300))  # 300 rows of one bracket each: depth 2
    query = ("SELECT ?f WHERE { ?f a nmo:Formulation ; rdfs:label ?l  # " + "(" * 200 + "\n"
             "FILTER(?l != \"" + "{[(" * 200 + "\" && ?f != <http://e/" + "(" * 200 + ">) "
             "VALUES (?x) { " + values + " } } ORDER BY ?f LIMIT 1")
    rows = query_graphs[backend].sparql(query).rows
    assert len(rows) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_endpoint_worker_refuses(kind, query_store_path):
    """What a worker of `kg serve` runs for each request: a 400 with the message, no crash."""
    store = OxigraphStore.open(query_store_path).raw
    answer = evaluate(store, nested(kind, DEEP), "application/sparql-results+json")
    assert answer.status == 400
    assert answer.body.decode().startswith(MESSAGE)


@pytest.mark.slow
def test_running_endpoint_keeps_its_workers(query_store_path):
    from kg.server.app import make_server
    from kg.server.executor import Limits

    server = make_server(query_store_path, port=0, limits=Limits(timeout=20, workers=1), quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert server.executor.ready(30)  # the workers start in the background
        pids = [w.process.pid for w in server.executor._workers]
        url = server.url + "/sparql"
        for kind in KINDS:  # 10,000 levels: within the request size cap, deep enough to crash the parser
            body = urllib.parse.urlencode({"query": nested(kind, 10_000)}).encode()
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(url, data=body, timeout=60)
            assert err.value.code == 400 and MESSAGE in err.value.read().decode()
        query = urllib.parse.urlencode({"query": "ASK { ?f a nmo:Formulation }"})
        with urllib.request.urlopen(f"{url}?{query}", timeout=30) as response:
            assert b'"boolean":true' in response.read().replace(b" ", b"")
        assert [w.process.pid for w in server.executor._workers] == pids, "no worker died"
    finally:
        server.shutdown()
        server.server_close()
