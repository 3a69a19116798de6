"""One synthetic graph on three engines in one run: load time, every named query (first run and warm
median) and the analyses' projection, on the embedded Oxigraph store (in memory), on `oxigraph serve`
and on Virtuoso — both servers loaded by their own bulk loaders and queried through the remote backend
(`kg --endpoint`). The anchor is raw pyoxigraph loading the same snapshot.

    python -m benchmarks.engines --sizes 1M --out /tmp/engines-1M.json

Each server runs alone on 127.0.0.1 and is stopped before the next starts; everything is written under
``--work`` (a temporary folder by default).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from benchmarks.servers import free_port, wait_until_up
from benchmarks.synthetic import generate, parse_size
from benchmarks.tasks import _term, task_params
from benchmarks.timing import peak_rss_mb, sample, timed
from benchmarks.virtuoso import Virtuoso
from kg.store.base import Store

ENGINES = ("embedded", "oxigraph-serve", "virtuoso")


@contextmanager
def _embedded(store_path: Path, work: Path) -> Iterator[tuple[float, Store]]:
    from kg.store.oxigraph_backend import OxigraphStore

    opened = timed(lambda: OxigraphStore.open(store_path, in_memory=True))
    try:
        yield opened.wall, opened.value
    finally:
        opened.value.close()


@contextmanager
def _oxigraph_serve(store_path: Path, work: Path, timeout: float) -> Iterator[tuple[float, Store]]:
    from kg.store.oxigraph_backend import SNAPSHOT
    from kg.store.remote import RemoteStore

    binary = shutil.which("oxigraph")
    if binary is None:
        raise RuntimeError("the oxigraph server is needed: pip install oxigraph")
    location = work / "oxigraph-serve"
    command = [binary, "load", "--location", str(location), "--file", str(store_path / SNAPSHOT)]
    loaded = timed(lambda: subprocess.run(command, check=True, capture_output=True))
    port = free_port()
    server = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_until_up(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", 60, server):
            raise RuntimeError("oxigraph serve did not start")
        yield loaded.wall, RemoteStore(f"http://127.0.0.1:{port}/query", timeout=timeout)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(location, ignore_errors=True)


@contextmanager
def _virtuoso(store_path: Path, work: Path, timeout: float, memory_mb: int) -> Iterator[tuple[float, Store]]:
    from kg.store.oxigraph_backend import SNAPSHOT
    from kg.store.remote import RemoteStore

    folder = work / "virtuoso"
    with Virtuoso(folder, memory_mb) as server:
        loaded = timed(lambda: server.load(store_path / SNAPSHOT))
        yield loaded.wall, RemoteStore(server.endpoint, timeout=timeout)
    shutil.rmtree(folder, ignore_errors=True)


def _measure(store: Store, params: dict, reps: int, seconds: float, limit: float,
             projection_too: bool = True) -> dict:
    """Every named query (bound as in benchmarks.run) and the projection on one store."""
    from kg.analysis.projection import build_projection
    from kg.query.library import load_library

    library = load_library()
    queries = {}
    for name, bound in sorted(params.items()):
        terms = {k: _term(v) for k, v in bound.items()}
        call: Callable = lambda text=library[name].text, terms=terms: store.select(text, terms)[1]  # noqa: E731
        try:
            queries[name] = sample(call, reps, seconds, limit, len).record()
        except Exception as err:  # one failing query must not hide the others
            queries[name] = {"error": f"{type(err).__name__}: {err}"[:300]}
    if not projection_too:
        return {"queries": queries}
    # a first and one warm build (the first also pays imports and the server's caches)
    projection = sample(lambda: build_projection(store), 1, 0.0, limit, lambda g: g.number_of_edges())
    return {"queries": queries, "projection": projection.record()}


def run_size(triples: int | None, work: Path, engines: tuple[str, ...], reps: int, seconds: float,
             limit: float, memory_mb: int, store: Path | None = None, only: set[str] | None = None,
             projection_too: bool = True) -> dict:
    """Generate and build ``triples`` synthetic triples (or take the built ``store``), then time the
    ``engines`` on it (the named queries in ``only``, or all)."""
    from kg.build.pipeline import build
    from kg.core.locations import Sources
    from kg.store.oxigraph_backend import MANIFEST, SNAPSHOT

    folder = work / f"synthetic-{triples}"
    found: dict = {}
    if store is None:
        assert triples is not None
        generate(folder / "triples", triples)
        store = folder / "store"
        found["build"] = timed(lambda: build(store, Sources.default(triples=folder / "triples"))).wall
    store_path = store
    found["triples"] = json.loads((store_path / MANIFEST).read_text())["triples"]
    found["raw_pyoxigraph_load"] = timed(lambda: ox.Store().bulk_load(path=str(store_path / SNAPSHOT),
                                                                       format=ox.RdfFormat.TURTLE)).wall
    params = task_params({"store": str(store_path)})["params"]
    found["params"] = {k: v for k, v in params.items() if only is None or k in only}
    found["engines"] = {}
    openers = {"embedded": lambda: _embedded(store_path, work),
               "oxigraph-serve": lambda: _oxigraph_serve(store_path, work, limit),
               "virtuoso": lambda: _virtuoso(store_path, work, limit, memory_mb)}
    for engine in engines:
        print(f"  {engine} …", flush=True)
        try:
            with openers[engine]() as (load, opened):
                found["engines"][engine] = {"load": load, **_measure(opened, found["params"], reps, seconds,
                                                                      limit, projection_too)}
        except Exception as err:
            found["engines"][engine] = {"error": f"{type(err).__name__}: {err}"[:500]}
    found["peak_mb"] = peak_rss_mb()
    shutil.rmtree(folder, ignore_errors=True)
    return found


def table(found: dict) -> str:
    """A Markdown table, seconds: load; every query's and the projection's warm median (first run in
    brackets). Row counts differing from the embedded store's are flagged."""
    engines = [e for e in ENGINES if e in found["engines"]]
    build = f"build {found['build']:.1f} s; " if "build" in found else ""
    raw = found["raw_pyoxigraph_load"]
    lines = [f"{found['triples']:,} triples ({build}raw pyoxigraph load {raw:.1f} s)", "",
             "| | " + " | ".join(engines) + " |", "|---" * (len(engines) + 1) + "|"]

    def cell(record: dict | None, reference: dict | None) -> str:
        if not record or "error" in record:
            return "error" if record else "–"
        if record.get("over_budget"):
            return "over budget"
        text = f"{record['p50']:.3f} ({record['first']:.3f})" if record.get("n") else f"{record['first']:.3f}"
        if reference and record.get("rows") != reference.get("rows"):
            text += f" **{record.get('rows')} rows vs {reference.get('rows')}**"
        return text

    results = {e: found["engines"][e] for e in engines}
    loads = (f"{r['load']:.1f}" if "load" in r else "error" for r in results.values())
    lines.append("| load | " + " | ".join(loads) + " |")
    reference = results.get("embedded", {}).get("queries", {})
    for name in sorted(found["params"]):
        lines.append(f"| {name} | " + " | ".join(cell(r.get("queries", {}).get(name), reference.get(name))
                                                for r in results.values()) + " |")
    projections = (cell(r["projection"], None) + f", {r['projection']['rows'] or 0:,} edges"
                   if "projection" in r else "error" for r in results.values())
    if all("projection" in r for r in results.values()):
        lines.append("| projection | " + " | ".join(projections) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1M", help="comma-separated triple counts (1M, 5M …)")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--reps", type=int, default=5, help="warm runs per query at most")
    parser.add_argument("--seconds", type=float, default=5.0, help="warm time per query at most")
    parser.add_argument("--limit", type=float, default=300.0, help="seconds before a step is stopped")
    parser.add_argument("--memory-mb", type=int, default=2048, help="Virtuoso's page buffers")
    parser.add_argument("--store", type=Path, help="time this built store instead (--sizes ignored)")
    parser.add_argument("--queries", help="comma-separated named queries (default: all)")
    parser.add_argument("--no-projection", action="store_true", help="skip the projection")
    parser.add_argument("--work", type=Path, help="a folder for data and databases (default: a temp dir)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    engines = tuple(e.strip() for e in args.engines.split(",") if e.strip())
    with tempfile.TemporaryDirectory(prefix="kg-engines-", dir=args.work) as work:
        results = []
        only = set(args.queries.split(",")) if args.queries else None
        for size in [None] if args.store else args.sizes.split(","):
            print(f"{size or args.store}", flush=True)
            results.append(run_size(parse_size(size) if size else None, Path(work), engines, args.reps,
                                    args.seconds, args.limit, args.memory_mb, args.store, only,
                                    not args.no_projection))
            print(table(results[-1]), flush=True)
            if args.out:
                args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
