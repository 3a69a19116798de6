"""Run the benchmarks in one go and write the results into ``docs/PERFORMANCE.md``.

    python -m benchmarks.run                  # the curated KG, then synthetic 10k, 100k and 1M triples
    python -m benchmarks.run --sizes 10k,100k # a quicker run
    python -m benchmarks.run --huge           # adds 5M triples (the embedded store only; ~4 GB of RAM)
    python -m benchmarks.run --cold-only      # only the cold start of whole commands (curated KG; ~1 min)
    python -m benchmarks.run --only-find      # builds, then only `kg find` (its own block of the report)

For every graph it measures, each in a fresh worker process (:mod:`benchmarks.tasks`): the build
(load + SHACL + lint + on-disk store), every named query on four backends (the on-disk store that
``kg query`` opens, the same store loaded into memory, raw pyoxigraph in memory, rdflib in memory),
``kg find`` on realistic questions beside raw pyoxigraph running the SPARQL it generates, the NetworkX
projection, paths, reachability, hubs, ``kg view`` at 1 000 and 10 000 nodes, peak memory,
and for the first graph the cold start of whole commands beside their anchors (``kg --help`` beside
``python -c pass``, ``kg query`` beside the ``oxigraph`` CLI). Results go to ``<work>/results.json`` and
into the report: the graph results into one block, the cold start and ``kg find`` into their own (so
that ``--cold-only`` and ``--only-find`` replace just theirs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import write_report
from benchmarks.synthetic import generate, parse_size

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = "10k,100k,1M"
HUGE = "5M"
BACKENDS = ("oxigraph", "oxigraph-memory", "pyoxigraph", "rdflib")
PYSHACL_UP_TO = 100_000  # the reference engine runs (within its budget) up to this size
EXACT_HUBS_UP_TO = 100_000  # exact betweenness is O(nodes × edges): sampled only above
ANALYSES_UP_TO = 1_000_000  # NetworkX holds the whole projection in Python objects


@dataclass(frozen=True)
class Plan:
    work: Path
    sizes: tuple[str, ...]
    real: bool = True
    reps: int = 20
    seconds: float = 2.0
    rdflib_limit: float = 60.0
    rdflib_up_to: int = 1_000_000
    analysis_limit: float = 300.0
    cold_runs: int = 10
    seed: int = 7
    cold_only: bool = False
    only_find: bool = False


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_task(task: str, args: dict, timeout: float = 3 * 3600) -> dict:
    """Run one task in a fresh interpreter; its JSON result, or ``{"error": …}``."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=path)
    try:
        done = subprocess.run([sys.executable, "-m", "benchmarks.tasks", task, json.dumps(args)], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"{task} ran past {timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip() or done.stdout.strip())[-2000:]}
    return json.loads(lines[-1])


def measure(plan: Plan, label: str, triples: int | None) -> dict:
    """Every measurement of one graph: the curated one (``triples`` None) or a synthetic one."""
    folder = plan.work / label
    found: dict = {"label": label}
    args: dict = {"store": str(folder / "store")}
    if triples is not None:
        started = time.perf_counter()
        found["generated"] = generate(folder / "triples", triples, plan.seed)
        found["generate_seconds"] = time.perf_counter() - started
        args["triples"] = str(folder / "triples")
    size = triples or 0
    log(f"{label}: build")
    found["build"] = run_task("build", {**args, "pyshacl_limit": 120 if size <= PYSHACL_UP_TO else None})
    if "error" in found["build"]:
        return found
    if plan.only_find:
        log(f"{label}: kg find")
        found["find"] = run_task("find", {**args, "reps": plan.reps, "seconds": plan.seconds})
        return found
    found["params"] = run_task("params", args).get("params", {})
    found["queries"] = {}
    for backend in BACKENDS:
        if backend == "rdflib" and size > plan.rdflib_up_to:
            continue
        log(f"{label}: named queries on {backend}")
        slow = backend == "rdflib"
        light = size > ANALYSES_UP_TO  # a first and one warm run, no API pass: the 5M run stays near an hour
        found["queries"][backend] = run_task("queries", {
            **args, "backend": backend, "params": found["params"], "api": backend == "oxigraph" and not light,
            "reps": 1 if light else min(3, plan.reps) if slow else plan.reps,
            "seconds": plan.rdflib_limit / 4 if slow and plan.seconds else plan.seconds,
            "limit": plan.rdflib_limit if slow else None, "min_warm": 0 if slow else 1,
            "projection": size <= ANALYSES_UP_TO})
    if size > ANALYSES_UP_TO:
        return found
    log(f"{label}: kg find")
    found["find"] = run_task("find", {**args, "reps": plan.reps, "seconds": plan.seconds})
    log(f"{label}: analyses")
    found["analyses"] = run_task("analyses", {**args, "limit": plan.analysis_limit,
                                              "exact_hubs": size <= EXACT_HUBS_UP_TO})
    log(f"{label}: views")
    found["views"] = run_task("views", {**args, "limit": plan.analysis_limit})
    return found


def machine() -> dict:
    """What the numbers were measured on."""
    from importlib.metadata import version

    def first(path: str, key: str) -> str:
        try:
            return next(line.split(":", 1)[1].strip() for line in Path(path).read_text().splitlines()
                        if line.startswith(key))
        except (OSError, StopIteration):
            return "?"

    memory = first("/proc/meminfo", "MemTotal")
    return {
        "cpu": first("/proc/cpuinfo", "model name"), "cores": os.cpu_count(),
        "memory_gb": round(int(memory.split()[0]) / 1024 / 1024, 1) if memory != "?" else None,
        "system": platform.platform(), "python": platform.python_version(),
        "packages": {p: version(p) for p in ("pyoxigraph", "rdflib", "pyshacl", "networkx", "pyvis")},
        "load_before": os.getloadavg(),
    }


def run(plan: Plan) -> dict:
    results = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M"), "graphs": {}}
    plan.work.mkdir(parents=True, exist_ok=True)
    if plan.cold_only:
        folder = plan.work / "curated"
        log("curated: build")
        built = run_task("build", {"store": str(folder / "store")})
        first: dict | None = {"label": "curated", "build": built}
    else:
        if plan.real:
            results["graphs"]["curated"] = measure(plan, "curated", None)
        for label in plan.sizes:
            results["graphs"][label] = measure(plan, label, parse_size(label))
        first = next(iter(results["graphs"].values()), None)
    if first and not plan.only_find and "error" not in first.get("build", {"error": 1}):
        log(f"{first['label']}: cold start")
        folder = plan.work / first["label"]
        triples = str(folder / "triples") if first["label"] != "curated" else None
        results["cold"] = run_task("cold", {"store": str(folder / "store"), "runs": plan.cold_runs,
                                            "label": first["label"], "build_store": str(folder / "cli-store"),
                                            "triples": triples, "work": str(folder)})
    results["machine"]["load_after"] = os.getloadavg()
    results["finished"] = time.strftime("%Y-%m-%d %H:%M")
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark nanomet-kg and write docs/PERFORMANCE.md.")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"synthetic sizes [default: {DEFAULT_SIZES}]")
    parser.add_argument("--huge", action="store_true", help=f"also {HUGE} triples (embedded store only)")
    parser.add_argument("--no-real", dest="real", action="store_false", help="skip the curated graph")
    parser.add_argument("--work", type=Path, default=Path("/tmp/nanomet-kg-bench"),
                        help="folder for the generated graphs and stores [default: /tmp/nanomet-kg-bench]")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md",
                        help="report to update [default: docs/PERFORMANCE.md]")
    parser.add_argument("--reps", type=int, default=20, help="warm runs per query (at most)")
    parser.add_argument("--seconds", type=float, default=2.0, help="warm-run time per query (at most)")
    parser.add_argument("--rdflib-limit", type=float, default=60.0, help="seconds an rdflib query may run")
    parser.add_argument("--cold-runs", type=int, default=10, help="process starts per cold-start command")
    parser.add_argument("--only-find", action="store_true",
                        help="measure only `kg find` (after the builds) and rewrite only its block")
    parser.add_argument("--cold-only", action="store_true",
                        help="only the cold start (curated KG); rewrites only its block of the report")
    args = parser.parse_args(argv)
    sizes = tuple(s for s in args.sizes.split(",") if s.strip())
    plan = Plan(args.work, sizes + ((HUGE,) if args.huge else ()), args.real, args.reps, args.seconds,
                args.rdflib_limit, cold_runs=args.cold_runs, cold_only=args.cold_only,
                only_find=args.only_find)
    results = run(plan)
    (plan.work / "results.json").write_text(json.dumps(results, indent=1))
    write_report(results, args.out, only_find=args.only_find)
    log(f"results in {plan.work / 'results.json'}; report {args.out}")


if __name__ == "__main__":
    main()
