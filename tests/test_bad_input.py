"""Bad input, as a careless user or an attacker would give it, against the command line (CliRunner) and,
marked slow, the endpoint. Every case checks: the documented exit code (README: 1 other, 2 syntax,
3 validation, 4 store, 5 query), one clear ``error:`` line naming the file, line or parameter, no
traceback, and that the store built at the start of this module still answers exactly as before (and
nothing was left beside it)."""

from __future__ import annotations

import errno
import http.client
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from kg.build import pipeline, swap
from kg.build.pipeline import build
from kg.cli import main
from kg.query.handle import KG
from kg.store.oxigraph_backend import MANIFEST, OxigraphStore

RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # the example: never finishes
PAIRS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # ~2.5 M rows to count: some 0.2 s here
LONG = "x" * 5000
ENV = ("NANOMET_KG_DATA", "NANOMET_KG_STORE", "NANOMET_KG_ENDPOINT", "NANOMET_KG_TRIPLES")


@pytest.fixture(scope="module")
def store(tmp_path_factory, query_sources) -> Path:
    """The store every case must leave as it was: the query fixture, built once for this module."""
    path = tmp_path_factory.mktemp("bad-input") / "store"
    build(path, query_sources)
    return path


def fingerprint(store: Path):
    """What the store answers (three named queries), its manifest, and the names beside it."""
    with KG(OxigraphStore.open(store)) as graph:
        answers = [graph.query("systems-by-source").to_sparql_json(),
                   graph.query("formulations-by-target", target="CXCR4").to_sparql_json(),
                   graph.query("step-coverage").to_sparql_json()]
    beside = sorted(p.name for p in store.parent.iterdir()  # (caches and the build lock may come and go)
                    if ".projection-" not in p.name and not p.name.endswith(".lock"))
    return answers, (store / MANIFEST).read_text(), beside


@pytest.fixture(scope="module")
def before(store):
    return fingerprint(store)


# ---------------------------------------------------------------- what a case can prepare

@dataclass
class Env:
    tmp: Path
    store: Path
    sources: object
    monkeypatch: pytest.MonkeyPatch

    def data_copy(self, name: str, content: str | bytes) -> None:
        """A copy of the fixture's curated Turtle, at ``{tmp}/triples``, with one more file."""
        folder = self.tmp / "triples"
        shutil.copytree(self.sources.triples, folder)
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)


def _broken_turtle(env: Env) -> None:
    env.data_copy("broken.ttl", '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n'
                                'ex:a ex:b "no end .\n')


def _latin1_turtle(env: Env) -> None:
    env.data_copy("latin.ttl", b'@prefix ex: <http://example.org/> .\nex:a ex:b "caf\xe9" .\n')


PREFIXES = ("@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")


def _violation(env: Env) -> None:
    env.data_copy("bad.ttl", PREFIXES + '<https://w3id.org/nanomet-kg/id/study/bad> a nmo:Study ; '
                                     'rdfs:label "bad" .\n')


def _untyped(env: Env) -> None:
    env.data_copy("untyped.ttl", PREFIXES + '<https://w3id.org/nanomet-kg/id/target/lost> '
                                            'rdfs:label "Lost" .\n')


def _undefined(env: Env) -> None:
    env.data_copy("dangling.ttl", PREFIXES + "<https://w3id.org/nanomet-kg/id/formulation/fixture-gold> "
                                          "nmo:targets <https://w3id.org/nanomet-kg/id/target/cxcr44> .\n")


def _no_shapes(env: Env) -> None:
    folder = env.tmp / "ontology"
    shutil.copytree(env.sources.ontology, folder)
    (folder / "shapes.ttl").unlink()


def _data_nowhere(env: Env) -> None:
    env.monkeypatch.setenv("NANOMET_KG_DATA", str(env.tmp / "nowhere"))


def _data_empty_folder(env: Env) -> None:
    (env.tmp / "empty").mkdir()
    env.monkeypatch.setenv("NANOMET_KG_DATA", str(env.tmp / "empty"))


def _notes_file(env: Env) -> None:
    (env.tmp / "notes.txt").write_text("my notes\n")


def _query_files(env: Env) -> None:
    (env.tmp / "bad.rq").write_text("SELECT ?s WHERE {\n  ?s ?p ?o .. }\nORDER BY ?s\n", encoding="utf-8")
    (env.tmp / "latin1.rq").write_bytes(b'SELECT ?s WHERE {\n  ?s rdfs:label "caf\xe9" }\n')
    (env.tmp / "typed.rq").write_text("# title: t\n# param: at_least\n#   type: literal integer\n"
                                      "SELECT ?l WHERE { ?l nmo:rank ?r FILTER(?r >= ?at_least) }\n")
    (env.tmp / "a-folder").mkdir()


def _out_folder(env: Env) -> None:
    (env.tmp / "out").mkdir()
    _notes_file(env)


def _fail_at(target: str, error: OSError) -> Callable[[Env], None]:
    """Make one write of ``kg build`` fail with ``error`` (a full disk, a read-only folder…)."""
    def setup(env: Env) -> None:
        def fail(*args, **kwargs):
            raise error

        if target == "disk store":  # the Rust store's own wording: no errno
            def write(staging: Path, snapshot: bytes) -> float:
                (staging / "000010.sst").write_bytes(b"half a table")
                raise error
            env.monkeypatch.setattr(pipeline, "_write_disk_store", write)
        elif target == "snapshot":
            env.monkeypatch.setattr(Path, "write_bytes", fail)
        elif target == "staging":
            env.monkeypatch.setattr(swap, "tempfile", SimpleNamespace(mkdtemp=fail))
    return setup


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    code: int
    says: tuple[str, ...]  # fragments of the message (formatted with tmp and store)
    setup: Callable[[Env], None] | None = None
    store: str = "{store}"
    env: dict[str, str] = field(default_factory=dict)


def case(id: str, args: tuple[str, ...], code: int, *says: str, **kw) -> Case:
    return Case(id, args, code, says, **kw)


CASES = [
    # ---- named queries and their parameters (exit 5)
    case("unknown-query", ("query", "formulations-by-targt"), 5,
         "no named query called 'formulations-by-targt'; did you mean: formulations-by-target"),
    case("missing-param", ("query", "formulations-by-target"), 5,
         "missing parameter target for query formulations-by-target"),
    case("unknown-param", ("query", "formulations-by-target", "-p", "tagret=CXCR4"), 5,
         "unknown parameter tagret", "valid parameters: target"),
    case("unknown-entity", ("query", "formulations-by-target", "-p", "target=CXCR5"), 5,
         "parameter target: no entity called 'CXCR5' among Target; did you mean: CXCR4"),
    case("ambiguous-entity", ("query", "provenance", "-p", "node=TNF alpha"), 5,
         "parameter node: 'TNF alpha' is ambiguous", "target:tnf-alpha", "agent:tnf-alpha"),
    case("curie-unknown", ("query", "formulations-by-target", "-p", "target=target:nope"), 5,
         "parameter target: no entity target:nope in the graph"),
    case("curie-wrong-class", ("query", "formulations-by-target", "-p", "target=organ:lung"), 5,
         "parameter target: organ:lung is not of class Target"),
    case("iri-with-angle", ("query", "formulations-by-target", "-p", "target=http://a>b"), 5,
         "parameter target: 'http://a>b' is not a valid IRI"),
    case("iri-breaking-out", ("query", "formulations-by-target", "-p", "target=<http://x> . ?s ?p ?o >"), 5,
         "parameter target: '<http://x> . ?s ?p ?o >' is not a valid IRI"),
    case("iri-injection-as-name", ("query", "formulations-by-target", "-p", "target=<http://x> . ?s ?p ?o"),
         5, "parameter target: no entity called '<http://x> . ?s ?p ?o' among Target"),
    case("empty-name", ("query", "formulations-by-target", "-p", "target= "), 5,
         "parameter target: an empty name names no entity"),
    case("boolean-param", ("query", "systems-by-source", "-p", "shared=perhaps"), 5,
         "parameter shared expects a boolean, got 'perhaps'"),
    case("integer-param", ("sparql", "-f", "{tmp}/typed.rq", "-p", "at_least=ten"), 5,
         "parameter at_least expects an integer, got 'ten'", setup=_query_files),
    case("over-long-value", ("query", "formulations-by-target", "-p", f"target={LONG}"), 5,
         "parameter target: no entity called 'xxxxxxxx", "…' (5000 characters)"),
    case("over-long-literal", ("sparql", "-f", "{tmp}/typed.rq", "-p", f"at_least={LONG}"), 5,
         "parameter at_least expects an integer", "(5000 characters)", setup=_query_files),
    case("param-without-value", ("query", "search", "-p", "text"), 5,
         "a parameter is KEY=VALUE, got 'text'"),
    case("param-twice", ("query", "search", "-p", "text=a", "-p", "text=b"), 5,
         "parameter text is given twice"),
    case("param-not-utf8", ("query", "search", "-p", "text=caf\udce9"), 5,
         "parameter text: 'caf\\udce9' is not UTF-8 text"),
    case("param-reserved-limit", ("sparql", "SELECT ?s WHERE { ?s ?p ?limit }", "-p", "limit=5"), 5,
         "cannot be called limit"),
    case("param-without-variable", ("sparql", "SELECT ?s WHERE { ?s ?p ?o }", "-p", "x=CD44"), 5,
         "this query has no variable ?x to bind"),
    # ---- injection strings are inert: a string that matches nothing, the store untouched (exit 0)
    case("inject-drop", ("query", "search", "-p", 'text=x" } ; DROP ALL ; {"'), 0, "(0 rows)"),
    case("inject-union", ("query", "search", "-p", "text=} UNION { ?s ?p ?o"), 0, "(0 rows)"),
    case("inject-comment", ("query", "search", "-p", "text=#\nDELETE WHERE { ?s ?p ?o }"), 0, "(0 rows)"),
    case("inject-quoted-literal", ("sparql", "SELECT ?s WHERE { ?s rdfs:label ?t }", "-p",
                                    "t=\"'} INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }\""),
         0, "(0 rows)"),
    # ---- free SPARQL: syntax (exit 2), updates and usage (exit 5)
    case("syntax-error", ("sparql", "SELECT * WHERE { ?s ?p }"), 2,
         "SPARQL syntax error at line 1, column 25"),
    case("syntax-error-at-end", ("sparql", "SELECT ?s WHERE {\n  ?s a }\n"), 2,
         "SPARQL syntax error at line 3, column 1 (the end of the query)"),
    case("syntax-error-line-2", ("sparql", "SELECT ?s WHERE {\n  ?s a }"), 2,
         "SPARQL syntax error at line 2, column", "  ?s a }"),
    case("unknown-prefix", ("sparql", "SELECT ?s WHERE { ?s a nope:Thing }"), 2, "unknown prefix 'nope:'"),
    case("syntax-error-long-line", ("sparql", "SELECT * WHERE { " + "?s ?p ?o . " * 2000 + "?s }"), 2,
         "SPARQL syntax error at line 1, column 22022 (the end of the query)", "…?p ?o . ?s ?p ?o"),
    case("not-a-query", ("sparql", "hello world"), 2, "not a SPARQL query"),
    case("query-not-utf8", ("sparql", 'SELECT ?s WHERE { ?s rdfs:label "caf\udce9" }'), 2,
         "SPARQL syntax error at line 1, column 37: not UTF-8 text"),
    case("file-syntax-error", ("sparql", "-f", "{tmp}/bad.rq"), 2,
         "{tmp}/bad.rq: SPARQL syntax error at line 3, column 5", "  ORDER BY ?s", setup=_query_files),
    case("file-not-utf8", ("sparql", "-f", "{tmp}/latin1.rq"), 2,
         "{tmp}/latin1.rq: line 2, column 21: not UTF-8 text (byte 0xe9)", setup=_query_files),
    case("file-missing", ("sparql", "-f", "{tmp}/none.rq"), 2, "'{tmp}/none.rq' does not exist"),
    case("file-is-folder", ("sparql", "-f", "{tmp}/a-folder"), 2, "is a directory", setup=_query_files),
    case("text-and-file", ("sparql", "SELECT * {}", "-f", "{tmp}/bad.rq"), 5,
         "give the query as an argument or with --file", setup=_query_files),
    case("no-query", ("sparql",), 5, "give the query as an argument or with --file"),
    case("update-delete", ("sparql", "DELETE WHERE { ?s ?p ?o }"), 5, "the knowledge graph is read-only"),
    case("update-insert", ("sparql", "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"), 5,
         "SPARQL updates (INSERT …) are not allowed"),
    case("update-drop", ("sparql", "DROP ALL"), 5, "SPARQL updates (DROP …) are not allowed"),
    case("update-load", ("sparql", "LOAD <http://127.0.0.1:9/x.ttl>"), 5,
         "SPARQL updates (LOAD …) are not allowed"),
    case("timeout", ("sparql", PAIRS, "--timeout", "0.01"), 5,
         "the query ran longer than 0.01 s and was stopped", "--timeout SECONDS"),
    case("negative-timeout", ("sparql", "SELECT * {}", "--timeout", "-1"), 2,
         "Invalid value for '--timeout'"),
    case("negative-limit", ("query", "search", "-p", "text=a", "--limit", "-1"), 2,
         "Invalid value for '--limit'"),
    # ---- the store (exit 4)
    case("no-store", ("query", "search", "-p", "text=cd"), 4, "no built store at {tmp}/none", "kg build",
         store="{tmp}/none"),
    case("store-under-a-file", ("stats",), 4, "no built store at {tmp}/notes.txt/store", setup=_notes_file,
         store="{tmp}/notes.txt/store"),
    case("build-under-a-file", ("build",), 4, "cannot write the store at {tmp}/notes.txt/store",
         "{tmp}/notes.txt: File exists (a file stands where a folder should be)", setup=_notes_file,
         store="{tmp}/notes.txt/store"),
    case("disk-full-store", ("build",), 4, "cannot write the store at {store}: No space left on device "
         "(the disk is full); the previous store, if any, is unchanged",
         setup=_fail_at("disk store", OSError("IO error: No space left on device: While appending to file: "
                                              "x/000010.sst: No space left on device"))),
    case("disk-full-snapshot", ("build",), 4, "cannot write the store at {store}: No space left on device",
         setup=_fail_at("snapshot", OSError(errno.ENOSPC, "No space left on device"))),
    case("read-only-folder", ("build",), 4, "cannot write the store at {store}: Read-only file system",
         setup=_fail_at("staging", OSError(errno.EROFS, "Read-only file system"))),
    case("no-permission", ("build",), 4, "cannot write the store at {store}: Permission denied",
         setup=_fail_at("staging", PermissionError(errno.EACCES, "Permission denied"))),
    case("serve-without-store", ("serve", "--port", "0"), 4, "no built store at {tmp}/none",
         store="{tmp}/none"),
    # ---- the data (exit 2 syntax, 3 validation, 1 missing folders), building into the module's store
    case("broken-turtle", ("build", "--triples", "{tmp}/triples"), 2,
         "Turtle syntax errors", "{tmp}/triples/broken.ttl: line 3", setup=_broken_turtle),
    case("turtle-not-utf8", ("build", "--triples", "{tmp}/triples"), 2,
         "{tmp}/triples/latin.ttl: line 2", "Invalid UTF-8", setup=_latin1_turtle),
    case("shacl-violation", ("build", "--triples", "{tmp}/triples"), 3,
         "SHACL: ", "study:bad ({tmp}/triples/bad.ttl): path nmo:sourceDocument", setup=_violation),
    case("lint-untyped", ("build", "--triples", "{tmp}/triples"), 3,
         "untyped-entity: target:lost — labelled 'Lost' but has no rdf:type in {tmp}/triples/untyped.ttl",
         setup=_untyped),
    case("lint-undefined", ("validate", "--triples", "{tmp}/triples"), 3,
         "undefined-entity: target:cxcr44 — referenced by form:fixture-gold", setup=_undefined),
    case("ontology-without-shapes", ("build", "--ontology", "{tmp}/ontology"), 1,
         "missing the SHACL shapes {tmp}/ontology/shapes.ttl", setup=_no_shapes),
    case("data-env-nowhere-build", ("build",), 1, "NANOMET_KG_DATA={tmp}/nowhere is not a folder",
         setup=_data_nowhere),
    case("data-env-nowhere-rdflib", ("--backend", "rdflib", "query", "search", "-p", "text=cd"), 1,
         "NANOMET_KG_DATA={tmp}/nowhere is not a folder", setup=_data_nowhere),
    case("data-env-empty-folder", ("validate",), 1,
         "missing the ontology folder {tmp}/empty/ontology; missing the data folder {tmp}/empty/data/triples",
         setup=_data_empty_folder),
    case("triples-nowhere", ("validate", "--triples", "{tmp}/nowhere"), 2, "'{tmp}/nowhere' does not exist"),
    # ---- exports (exit 1)
    case("export-to-folder", ("export", "--format", "ttl", "--out", "{tmp}/out"), 1,
         "--out {tmp}/out is a folder", setup=_out_folder),
    case("export-under-a-file", ("export", "--format", "nt", "--out", "{tmp}/notes.txt/graph.nt"), 1,
         "{tmp}/notes.txt", "a file stands where a folder should be", setup=_out_folder),
    case("export-kgx-to-file", ("export", "--format", "kgx", "--out", "{tmp}/notes.txt"), 1,
         "kgx writes several files: give a folder with --out", setup=_out_folder),
    # ---- analyses and views: names resolved like parameters (exit 5)
    case("paths-unknown-name", ("paths", "CXCR5", "CD44"), 5,
         "no entity called 'CXCR5'; did you mean: CXCR4"),
    case("paths-same-entity", ("paths", "CD44", "cd 44"), 5, "'CD44' and 'cd 44' name the same entity"),
    case("reach-unknown-axis", ("reach", "--from", "carrier", "--to", "nonsense"), 5,
         "unknown axis 'nonsense'; use one of"),
    case("view-unknown-focus", ("view", "--focus", "CXCR5", "--out", "{tmp}/v.html"), 5,
         "no entity called 'CXCR5'; did you mean: CXCR4"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, store, before, query_sources, tmp_path, monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # `kg serve` would install a SIGTERM handler
    env = Env(tmp_path, store, query_sources, monkeypatch)
    if case.setup:
        case.setup(env)

    def fill(text: str) -> str:
        return text.replace("{tmp}", str(tmp_path)).replace("{store}", str(store))

    args = ["--store", fill(case.store), *(fill(a) for a in case.args)]
    result = CliRunner().invoke(main, args)
    monkeypatch.undo()  # (the store is fingerprinted with nothing patched)

    assert result.exit_code == case.code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for fragment in case.says:
        assert fill(fragment) in result.stderr, result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.lower().startswith("error:")]
    assert len(error_lines) == (0 if case.code == 0 else 1), result.stderr
    assert len(result.stderr) < 2000, "a message stays short whatever the input"
    if case.code:
        assert result.stdout == ""
    assert fingerprint(store) == before
    if (tmp_path / "notes.txt").exists():
        assert (tmp_path / "notes.txt").read_text() == "my notes\n"  # a user's file is never touched


def test_enough_cases():
    assert len(CASES) >= 50


# ---------------------------------------------------------------- what CliRunner cannot show

def test_a_real_full_disk_keeps_the_store(store, before, tmp_path):
    """The disk really fills (a 1 MB tmpfs; needs root, skipped elsewhere): one line, exit 4, no leftovers."""
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(small)],
                             capture_output=True)
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        target = small / "store"
        shutil.copytree(store, target)
        kept = fingerprint(target)
        run = subprocess.run([sys.executable, "-m", "kg", "--store", str(target), "build", "--force",
                              "--triples", str(Path(__file__).parent / "data" / "mini")],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 4, run.stderr
        assert f"error: cannot write the store at {target}: No space left on device (the disk is full)" \
            in run.stderr
        assert "Traceback" not in run.stderr
        assert fingerprint(target) == kept
    finally:
        subprocess.run(["umount", str(small)], check=False)


def test_a_runaway_query_is_stopped(store):
    """The issue's example: without a limit it never finishes; --timeout stops it (exit 5, one line)."""
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "kg", "--store", str(store), "sparql", RUNAWAY,
                          "--timeout", "1"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 5, run.stderr
    assert run.stderr.strip() == ("error: the query ran longer than 1 s and was stopped; allow more with "
                                  "--timeout SECONDS (0: no limit)")
    assert run.stdout == ""
    assert time.monotonic() - started < 60  # stopped, not run to its end (hours)


def test_a_limit_stops_the_runaway_query_early(store):
    """`--limit 5` on the runaway query is pushed into it: five rows at once, well within the timeout."""
    run = subprocess.run([sys.executable, "-m", "kg", "--store", str(store), "sparql", RUNAWAY,
                          "--limit", "5", "--format", "tsv", "--timeout", "30"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 6  # the header and five rows
    assert run.stderr.strip() == "(first 5 rows shown; the query has more)"


# ---------------------------------------------------------------- the endpoint

@pytest.fixture(scope="module")
def server(store):
    from kg.server.app import make_server

    running = make_server(store, port=0, quiet=True)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield running
    running.shutdown()
    running.server_close()


def request(server, method: str, path: str, body: bytes | None = None, **headers) -> tuple[int, bytes]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
HTTP_CASES = [
    ("traversal-dots", "GET", "/static/../../../../etc/passwd", None, {}, 404, b"no file"),
    ("traversal-encoded", "GET", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", None, {}, 404, b"no file"),
    ("traversal-source", "GET", "/static/../app.py", None, {}, 404, b"no file"),
    ("traversal-root", "GET", "/../../../etc/passwd", None, {}, 404, b"nothing at"),
    ("long-path", "GET", "/" + "a" * 5000, None, {}, 404, b"(5001 characters)"),
    ("update-form", "POST", "/sparql", b"update=DROP+ALL", FORM, 403, b"read-only"),
    ("update-body", "POST", "/sparql", b"DROP ALL", {"Content-Type": "application/sparql-update"}, 403,
     b"read-only"),
    ("update-as-query", "POST", "/sparql", b"query=DELETE+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D", FORM, 403,
     b"read-only"),
    ("put", "PUT", "/sparql", b"<a> <b> <c> .", {}, 405, b"read-only"),
    ("syntax-error", "GET", "/sparql?query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%7D", None, {}, 400,
     b"SPARQL syntax error at line 1, column"),
    ("no-query", "GET", "/sparql?query=", None, {}, 400, b"give exactly one SPARQL query"),
]


@pytest.mark.slow
@pytest.mark.parametrize("method, path, body, headers, status, says",
                         [c[1:] for c in HTTP_CASES], ids=[c[0] for c in HTTP_CASES])
def test_bad_requests(server, store, before, method, path, body, headers, status, says):
    got, answer = request(server, method, path, body, **headers)
    assert got == status, answer
    assert says in answer and len(answer) < 1000
    assert b"root:" not in answer and b"import" not in answer  # no file of the machine or of our code
    assert fingerprint(store) == before


@pytest.mark.slow
def test_clients_that_leave_early_leave_no_traceback(server, capfd):
    """Clients that reset the connection before their answer is written: nothing in the server's log."""
    capfd.readouterr()
    host, port = server.server_address[:2]
    for path in ("/sparql?query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D", "/queries.json", "/static/app.js"):
        for _ in range(3):
            client = socket.create_connection((host, port))
            client.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            linger = struct.pack("ii", 1, 0)  # close with a reset, as a client that gives up does
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            client.close()
    time.sleep(1)
    assert request(server, "GET", "/sparql?query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D")[0] == 200  # still answering
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.slow
def test_port_in_use_is_one_line(store, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "kg", "--store", str(store), "serve",
                              "--port", str(port)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr.strip() == (f"error: cannot listen on 127.0.0.1:{port}: Address already in use; "
                                  "choose another --port (0: any free port)")
