"""The measurements, one task per worker process (so that each reports its own peak memory and starts
cold): ``build``, ``params``, ``queries`` (one backend), ``analyses``, ``views``, ``cold``.

    python -m benchmarks.tasks TASK '{"json": "arguments"}'

prints the task's results as one JSON object on the last line of stdout. The runner
(:mod:`benchmarks.run`) calls them in order and writes the report.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from benchmarks.timing import peak_rss_mb, percentile, sample, timed
from kg.core.locations import Sources

# The named query whose end-to-end `kg query` time the cold-start goal is about.
HEADLINE_QUERY = "carriers-mechanisms"
HUB_SAMPLES = 100
# every module `kg query` imports, without running anything: splits its start-up from its work
QUERY_IMPORTS = "import kg.__main__, kg.cli.query_cmds, kg.query.handle, kg.store.oxigraph_backend"


def _sources(args: dict) -> Sources:
    return Sources.default(triples=Path(args["triples"])) if args.get("triples") else Sources.default()


def _term(text: str | None):
    """A term from its N-Triples form (``None`` stays None: an unbound parameter)."""
    if text is None:
        return None
    if text.startswith("<"):
        return ox.NamedNode(text[1:-1])
    return next(iter(ox.parse(f"<x:s> <x:p> {text} .", format=ox.RdfFormat.N_TRIPLES))).object


# --------------------------------------------------------------------------------------------- build

def task_build(args: dict) -> dict:
    """``kg.build.pipeline.build`` into ``store`` (and, within a budget, the pyshacl engine to compare)."""
    from kg.build.pipeline import build, validate

    sources = _sources(args)
    run = timed(lambda: build(Path(args["store"]), sources, engine=args.get("engine", "auto")))
    report = run.value
    found = {"wall": run.wall, "cpu": run.cpu, "triples": len(report.parsed), "phases": report.timings,
             "engine": report.shacl_engine, "warnings": len(report.warnings), "peak_mb": peak_rss_mb()}
    if args.get("pyshacl_limit"):
        reference = timed(lambda: validate(sources, engine="pyshacl"), args["pyshacl_limit"])
        found["pyshacl"] = {"wall": reference.wall, "over_budget": reference.over_budget,
                            "shacl": None if reference.over_budget else reference.value.timings["shacl"],
                            "agrees": None if reference.over_budget else not reference.value.violations}
    return found


# --------------------------------------------------------------------------------------------- queries

def _most_used(store, classes: tuple[str, ...]) -> ox.NamedNode | None:
    """The entity of one of ``classes`` that the most statements point to."""
    from kg.query.resolve import class_iri

    values = " ".join(str(class_iri(c)) for c in classes)
    _, rows = store.select(f"""SELECT ?e (COUNT(?x) AS ?n) WHERE {{ VALUES ?c {{ {values} }}
        ?e a/rdfs:subClassOf* ?c . ?x ?p ?e }} GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1""")
    return rows[0]["e"] if rows else None


def task_params(args: dict) -> dict:
    """Bindings for every named query: the header's example where the graph has it, else the most-used
    entity of the parameter's class; optional parameters keep their default. Terms as N-Triples."""
    from kg.core.errors import QueryError
    from kg.query.handle import KG
    from kg.store.oxigraph_backend import OxigraphStore

    graph = KG(OxigraphStore.open(Path(args["store"])))
    chosen: dict[str, dict[str, str | None]] = {}
    for query in graph.queries():
        given = {}
        for param in query.params:
            if not param.required:
                continue
            term = None
            if param.example:
                try:
                    term = param.coerce(graph.store, param.example)
                except QueryError:
                    term = None
            if term is None and param.kind in ("entity", "auto"):  # any entity: take a hub target
                term = _most_used(graph.store, param.classes or ("Target",))
            if term is None:
                break
            given[param.name] = term
        else:
            bound = graph.bind(query, given)
            chosen[query.name] = {k: (str(v) if v is not None else None) for k, v in bound.items()}
    return {"params": chosen}


def _open(backend: str, args: dict):
    """(store to query, how to run one named query on it) for a backend."""
    from kg.core.prefixes import PREFIXES
    from kg.core.sparql import inject_bindings

    if backend == "pyoxigraph":
        from kg.core.loading import load_files

        raw = ox.Store()
        load_files(raw, _sources(args).files())
        return raw, lambda text, bound: list(raw.query(inject_bindings(text, bound), prefixes=PREFIXES))
    if backend == "rdflib":
        from kg.store.rdflib_backend import RdflibStore

        store = RdflibStore.from_sources(_sources(args))
    else:
        from kg.store.oxigraph_backend import OxigraphStore

        store = OxigraphStore.open(Path(args["store"]), in_memory=backend == "oxigraph-memory")
    return store, lambda text, bound: store.select(text, bound)[1]


def _sampled(call: Callable, args: dict, min_warm: int = 1) -> dict:
    """The timing record of ``call`` (see :func:`benchmarks.timing.sample`), or ``{"error": …}``: one
    failing query must not hide the others."""
    try:
        return sample(call, args.get("reps", 20), args.get("seconds", 2.0), args.get("limit"), len,
                      min_warm).record()
    except Exception as err:
        return {"error": f"{type(err).__name__}: {err}"[:300]}


def task_queries(args: dict) -> dict:
    """Every named query on one backend: first run and warm percentiles (same text, same bindings)."""
    from kg.query.library import load_library

    backend = args["backend"]
    opened = timed(lambda: _open(backend, args))
    store, run = opened.value
    library = load_library()
    found = {"open": opened.wall, "open_cpu": opened.cpu, "queries": {}}
    for name, params in sorted(args["params"].items()):
        bound = {k: _term(v) for k, v in params.items()}
        found["queries"][name] = _sampled(lambda text=library[name].text, bound=bound: run(text, bound), args,
                                          args.get("min_warm", 1))
    if backend == "oxigraph" and args.get("api"):
        from kg.query.handle import KG

        graph = KG(store)
        found["api"] = {}
        for name, params in sorted(args["params"].items()):
            given = {k: _term(v).value for k, v in params.items() if v is not None}
            found["api"][name] = _sampled(lambda name=name, given=given: graph.query(name, **given), args)
    if backend == "oxigraph-memory" and args.get("projection"):  # here, so that analyses need no memory store
        from kg.analysis.projection import build_projection

        _step(found, "projection", lambda: build_projection(store), args.get("limit"))
    found["peak_mb"] = peak_rss_mb()
    return found


# --------------------------------------------------------------------------------------------- kg find

# Realistic questions; HUB is the target the most statements point to (the widest single-target answer).
FIND_CASES = (
    ("target", {"target": "HUB"}, None),
    ("target, step, evidence", {"target": "HUB", "step": "extravasation", "evidence": "in vivo"}, None),
    ("target, only in vitro", {"target": "HUB", "evidence": "<=in vitro"}, None),
    ("target: carriers (facet)", {"target": "HUB"}, ["carrier"]),
    ("carrier and mechanism families: targets (facet)",
     {"carrier": "polymeric nanocarrier", "mechanism": "immune activation"}, ["target"]),
    ("gene silencing: steps (facet)", {"mechanism": "gene silencing"}, ["step"]),
    ("in trial: carriers and cancers (facets)", {"status": "in trial"}, ["carrier", "cancer"]),
)


class _Recording:
    """A store wrapper that keeps the text of every query sent to the engine."""

    def __new__(cls, inner):
        from kg.store.base import Store

        class Recording(Store):
            name = "recording"

            def __init__(self):
                self.texts: list[str] = []

            def _select(self, query):
                self.texts.append(query)
                return inner._select(query)

            def _ask(self, query):
                self.texts.append(query)
                return inner._ask(query)

            def _construct(self, query):
                raise NotImplementedError

        return Recording()


def task_find(args: dict) -> dict:
    """``kg find`` (the Python API: :func:`kg.query.find.find` / ``facets``) on the store in memory and on
    disk, beside raw pyoxigraph running every query find sent (name lookups included) and reading every
    term of every answer."""
    from kg.core.prefixes import PREFIXES
    from kg.query.find import facets, find
    from kg.store.oxigraph_backend import OxigraphStore

    memory = OxigraphStore.open(Path(args["store"]), in_memory=True)
    disk = OxigraphStore.open(Path(args["store"]), in_memory=False)
    hub = _most_used(memory, ("Target",))
    found: dict = {"hub": hub.value if hub else None, "cases": {}}
    for name, filters, axes in FIND_CASES:
        given = {k: (hub.value if v == "HUB" and hub else v) for k, v in filters.items()}

        def ours(store, given=given, axes=axes):
            return facets(store, axes, given) if axes else find(store, given)

        recording = _Recording(memory)
        try:
            ours(recording)
        except Exception as err:
            found["cases"][name] = {"error": f"{type(err).__name__}: {err}"[:300]}
            continue

        def raw(texts=tuple(recording.texts)):
            rows = 0
            for text in texts:
                answer = memory.raw.query(text, prefixes=PREFIXES)
                if isinstance(answer, ox.QueryBoolean):
                    rows += bool(answer)
                    continue
                for solution in answer:
                    tuple(solution)
                    rows += 1
            return rows

        found["cases"][name] = {
            "filters": given, "facets": axes, "queries": len(recording.texts),
            "memory": _sampled(lambda: ours(memory), args), "disk": _sampled(lambda: ours(disk), args),
            "raw": sample(raw, args.get("reps", 20), args.get("seconds", 2.0)).record()}
    found["peak_mb"] = peak_rss_mb()
    return found


# --------------------------------------------------------------------------------------------- analyses

def _pick_pair(graph) -> tuple[str, str] | None:
    """A well-connected carrier type and a cascade step of the collapsed projection (a paths query)."""
    carriers = [n for n, d in graph.nodes(data=True) if d.get("type") == "CarrierType"]
    steps = [n for n, d in graph.nodes(data=True) if d.get("type") == "CascadeStep"]
    if not carriers or not steps:
        return None
    carrier = max(carriers, key=lambda n: (graph.in_degree(n), n))
    step = max(steps, key=lambda n: (graph.in_degree(n), n))
    return carrier, step


def _step(found: dict, name: str, call: Callable, limit: float | None, describe: Callable | None = None):
    run = timed(call, limit)
    found[name] = {"wall": run.wall, "cpu": run.cpu, "over_budget": run.over_budget}
    if describe and not run.over_budget:
        found[name].update(describe(run.value))
    return run.value


def task_analyses(args: dict) -> dict:
    """Projection (from the on-disk store), paths, reachability, hubs; each within ``limit`` seconds."""
    from kg.analysis.hubs import hubs
    from kg.analysis.paths import PathIndex
    from kg.analysis.projection import build_projection
    from kg.analysis.reach import reach
    from kg.store.oxigraph_backend import OxigraphStore

    limit = args.get("limit")
    found: dict = {}
    size = {"describe": lambda g: {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}}
    with OxigraphStore.open(Path(args["store"])) as store:
        full = _step(found, "projection", lambda: build_projection(store), limit, size["describe"])
        collapsed = _step(found, "projection_collapsed", lambda: build_projection(store, True), limit,
                          size["describe"])
    if full is not None:
        _step(found, "reach_carrier_mechanism", lambda: reach(full, "carrier", "mechanism"), limit,
              lambda m: {"cells": len(m.cells)})
        _step(found, "reach_carrier_step_via_target", lambda: reach(full, "carrier", "step", via="target"),
              limit, lambda m: {"cells": len(m.cells)})
    if collapsed is not None:
        pair = _pick_pair(collapsed)
        if pair:
            _step(found, "paths", lambda: PathIndex(collapsed).paths(*pair, max_hops=3), limit,
                  lambda p: {"paths": len(p)})
        _step(found, "hubs_sampled", lambda: hubs(collapsed, samples=HUB_SAMPLES), limit,
              lambda s: {"nodes": len(s), "samples": HUB_SAMPLES})
        if args.get("exact_hubs", True):
            _step(found, "hubs_exact", lambda: hubs(collapsed), limit, lambda s: {"nodes": len(s)})
    found["peak_mb"] = peak_rss_mb()
    return found


def task_views(args: dict) -> dict:
    """``kg view`` of the whole graph capped at 1 000 and 10 000 nodes (projections built first)."""
    from kg.analysis.projection import projection
    from kg.store.oxigraph_backend import OxigraphStore
    from kg.views import build_view

    found: dict = {}
    with OxigraphStore.open(Path(args["store"])) as store:
        _step(found, "projections", lambda: (projection(store), projection(store, collapse_studies=True)),
              args.get("limit"))
        for cap in (1000, 10000):
            _step(found, f"view_{cap}", lambda cap=cap: build_view(store, max_nodes=cap), args.get("limit"),
                  lambda v: {"nodes": v.nodes, "edges": v.edges, "html_mb": len(v.html) / 1e6})
    found["peak_mb"] = peak_rss_mb()
    return found


# --------------------------------------------------------------------------------------------- cold start

def _bytecode_env(work: Path) -> dict:
    """The environment for timing whole processes: Python's bytecode cache on (in ``work``, not in the
    checkout), as after ``pip install``, even where the machine sets PYTHONDONTWRITEBYTECODE."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return dict(env, PYTHONPYCACHEPREFIX=str(work / "pycache"))


def _processes(commands: dict[str, list[str]], runs: int, env: dict) -> dict:
    """Wall and CPU time of each command as a whole process: one unmeasured run (it fills the bytecode
    cache), then ``runs`` rounds in which every command runs once (interleaved, so that other load on the
    machine falls on all of them alike); min and median wall time, median CPU time (user + system, less
    affected by other load) per command."""
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    failed: dict[str, dict] = {}
    for round_ in range(runs + 1):
        for name, command in commands.items():
            if name in failed:
                continue
            used, started = _children_cpu(), time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env=env)
            if done.returncode != 0:
                failed[name] = {"error": done.stderr.strip()[-500:]}
            elif round_:
                wall[name].append(time.perf_counter() - started)
                cpu[name].append(_children_cpu() - used)
    return {name: failed.get(name) or {"min": min(t), "median": percentile(t, 50),
                                       "cpu": percentile(cpu[name], 50), "runs": len(t)}
            for name, t in wall.items()}


def _children_cpu() -> float:
    """User + system CPU seconds of this process's finished children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _oxigraph_cli() -> str | None:
    """The ``oxigraph`` command-line tool (pip package ``oxigraph``): the binary beside this Python rather
    than a version manager's shim, which would add its own start-up."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def _headline_sparql(store: Path) -> str:
    """The exact SPARQL that ``kg query HEADLINE_QUERY`` runs (parameters bound, prefixes declared)."""
    from kg.core.prefixes import sparql_prologue
    from kg.core.sparql import inject_bindings
    from kg.query.handle import KG
    from kg.store.oxigraph_backend import OxigraphStore

    with OxigraphStore.open(store) as opened:
        graph = KG(opened)
        named = graph.named(HEADLINE_QUERY)
        return sparql_prologue() + inject_bindings(named.text, graph.bind(named, {}))


def task_cold(args: dict) -> dict:
    """Whole processes, as a user starts them, each beside an anchor measured in the same rounds:
    ``kg --help`` beside ``python -c pass``, ``kg query`` beside the ``oxigraph`` CLI running the same
    SPARQL on the same store; and ``kg build``."""
    store, work = Path(args["store"]), Path(args.get("work") or Path(args["store"]).parent)
    env = _bytecode_env(work)
    kg = [sys.executable, "-m", "kg"]
    runs = args.get("runs", 10)
    commands = {"python": [sys.executable, "-c", "pass"], "click": [sys.executable, "-c", "import click"],
                "imports": [sys.executable, "-c", QUERY_IMPORTS], "help": [*kg, "--help"],
                "query": [*kg, "--store", str(store), "query", HEADLINE_QUERY]}
    oxigraph = _oxigraph_cli()
    if oxigraph:
        query_file = work / f"{HEADLINE_QUERY}.rq"
        query_file.write_text(_headline_sparql(store), encoding="utf-8")
        # `oxigraph query` opens the store read-write (RocksDB writes its logs): it gets a copy of the store
        copy = work / "oxigraph-cli-store"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(store, copy)
        commands["oxigraph_query"] = [oxigraph, "query", "--location", str(copy), "--query-file",
                                      str(query_file), "--results-format", "tsv"]
    found = _processes(commands, runs, env)
    if not oxigraph:
        found["oxigraph_query"] = {"error": "the oxigraph CLI is not installed (pip install oxigraph)"}
    if args.get("build_store"):
        triples = ["--triples", args["triples"]] if args.get("triples") else []
        found.update(_processes({"build": [*kg, "--store", args["build_store"], "build", *triples]},
                                max(1, runs // 3), env))
    importtime = subprocess.run([sys.executable, "-X", "importtime", *commands["query"][1:]],
                                capture_output=True, text=True, env=env).stderr
    found["slowest_imports"] = _slowest_imports(importtime)
    found["label"] = args.get("label", "")
    return found


def _slowest_imports(importtime: str, top: int = 8) -> list[tuple[str, float]]:
    """The top-level packages with the largest cumulative import time (ms), from ``-X importtime``."""
    totals: dict[str, float] = {}
    for line in importtime.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        if name.startswith("  "):  # nested import: counted in its parent
            continue
        totals[name.strip()] = totals.get(name.strip(), 0) + int(parts[1]) / 1000
    return sorted(totals.items(), key=lambda item: -item[1])[:top]


TASKS = {"build": task_build, "params": task_params, "queries": task_queries, "find": task_find,
         "analyses": task_analyses, "views": task_views, "cold": task_cold}


def main() -> None:
    task, args = sys.argv[1], json.loads(sys.argv[2])
    os.environ.setdefault("PYTHONHASHSEED", "0")
    print(json.dumps(TASKS[task](args)))


if __name__ == "__main__":
    main()
