"""Benchmarks of the explorer (``kg serve``): the server time of its pages on the curated KG and on a
synthetic graph of a million triples, and a load test over loopback. Writes the explorer block of
``docs/PERFORMANCE.md``.

    python -m benchmarks.explorer                               # curated + 1M, 60 s load test (~6 min)
    python -m benchmarks.explorer --sizes "" --load-seconds 10  # curated only, a short load test

Each graph is served by a real ``kg serve`` process (default settings) on 127.0.0.1. Server time is the
``Server-Timing`` the app reports (request in → response started); client time is the round trip. The
load test runs ``--clients`` threads (each with its own keep-alive connection) for ``--load-seconds``
over entity pages, ``/api/find`` (``/api/complete`` where find is missing) and ``/sparql``: nothing
leaves the machine, the loop is bounded in time, and the server is checked afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

from benchmarks.run import ROOT, log
from benchmarks.servers import free_port
from benchmarks.synthetic import generate, parse_size
from benchmarks.timing import percentile

BEGIN, END = "<!-- explorer:begin -->", "<!-- explorer:end -->"
TYPES = ("Target", "Formulation", "Study", "CarrierType", "Agent", "Mechanism", "CascadeStep", "CancerType",
         "Organ", "ClinicalTrial", "EvidenceLevel")
SPARQL = "SELECT ?f ?c WHERE { ?f nmo:hasCarrier ?c } LIMIT 50"
JSON_RESULTS = "application/sparql-results+json"
# the unfiltered find page is computed when the server starts; these filter sets are not
FIND_PAGES = ["/find?status=approved", "/find?evidence=in%20vivo&source=both", "/find?source=CMR2022"]
NMO = "https://w3id.org/nanomet-kg/ontology#"


class Served:
    """``kg serve`` in a subprocess on a free loopback port."""

    def __init__(self, store: Path):
        self.port = free_port()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH"))
                                                           if p))
        self.process = subprocess.Popen([sys.executable, "-m", "kg", "--store", str(store), "serve", "--port",
                                         str(self.port), "--quiet"], env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/sparql?query=ASK%7B%7D", accept=JSON_RESULTS)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        said = self.process.stderr.read() if self.process.stderr else ""
        raise RuntimeError(f"kg serve did not start: {said}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def rss_mb(self) -> float:
        """Resident memory of the server process (not its query workers)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024


def get(port: int, path: str, connection: http.client.HTTPConnection | None = None,
        accept: str = "text/html") -> tuple[int, float, float]:
    """(status, server ms, client ms) of one GET."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        response.read()
    finally:
        if own:
            connection.close()
    client = (time.perf_counter() - started) * 1000
    timing = response.getheader("Server-Timing", "app;dur=nan")
    return response.status, float(timing.split("dur=")[1]), client


def samples(store: Path, per_type: int = 3, seed: int = 7) -> dict[str, list[str]]:
    """Entity paths per type: the most linked one (the worst case) and random others."""
    from kg.core.sparql import inject_bindings
    from kg.server.entity import local_path
    from kg.store.oxigraph_backend import OxigraphStore

    rng = random.Random(seed)
    found: dict[str, list[str]] = {}
    with OxigraphStore.open(store) as opened:
        for node_type in TYPES:
            query = inject_bindings("SELECT ?x WHERE { ?x a ?class } LIMIT 2000",
                                    {"class": ox.NamedNode(NMO + node_type)})
            nodes = [r["x"].value for r in opened.select(query)[1] if local_path(r["x"].value)]
            if not nodes:
                continue
            _, hub = opened.select("SELECT ?x (COUNT(*) AS ?n) WHERE { VALUES ?x { "
                                   + " ".join(f"<{n}>" for n in nodes[:300]) + " } ?s ?p ?x } "
                                   "GROUP BY ?x ORDER BY DESC(?n) LIMIT 1")
            picked = ([hub[0]["x"].value] if hub else []) + rng.sample(nodes, min(per_type - 1, len(nodes)))
            found[node_type] = [local_path(n) for n in dict.fromkeys(picked)]
    return found


def page_times(port: int, entities: dict[str, list[str]], rounds: int = 5) -> dict:
    """Median and p95 server / client ms per kind of page (warm), and the first (cold) overview."""
    first_entity = next(iter(entities.values()))[0]
    some = [p for paths in entities.values() for p in paths]
    started = time.perf_counter()
    while (cold_status := get(port, "/overview/carrier-step")[0]) == 503:  # computed in the background
        time.sleep(1)
    ready = time.perf_counter() - started
    kinds = {
        "summary /": ["/"],
        "entity page (HTML)": some,
        "entity as Turtle": some,
        "search page": ["/search?q=syn", "/search?q=cxcr4", "/search?q=liposome"],
        "completion /api/complete": ["/api/complete?q=cx", "/api/complete?q=lipo", "/api/complete?q=syn-t1"],
        "heatmap /overview/carrier-step": ["/overview/carrier-step"],
        "find page /find, first time": FIND_PAGES,
        "find page /find, again (remembered)": FIND_PAGES,
        "questions /questions": ["/questions"],
    }
    out: dict = {"overview_first": {"status": cold_status, "ready_after_s": ready}}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for kind, paths in kinds.items():
        accept = "text/turtle" if "Turtle" in kind else "text/html"
        once = "first time" in kind  # the find page remembers recent answers: its first visit is apart
        if not once:
            get(port, paths[0], connection, accept)  # warm
        server, client, bad = [], [], 0
        for _ in range(1 if once else rounds):
            for path in paths:
                status, s, c = get(port, path, connection, accept)
                bad += status != 200
                server.append(s)
                client.append(c)
        out[kind] = {"n": len(server), "errors": bad, "server_p50": percentile(server, 50),
                     "server_p95": percentile(server, 95), "client_p50": percentile(client, 50)}
    out["entity_example"] = first_entity
    connection.close()
    return out


def load_test(served: Served, entities: list[str], clients: int, seconds: float) -> dict:
    """``clients`` threads for ``seconds`` over entity pages, find and SPARQL; errors and latencies."""
    port = served.port
    find = "/api/find?facet=carrier"
    if get(port, find, accept="application/json")[0] != 200:
        find = "/api/complete?q=lipo"
    sparql = "/sparql?" + urllib.parse.urlencode({"query": SPARQL})
    mix = [("entity", p, "text/html") for p in entities] + [("find", find, "application/json"),
                                                            ("sparql", sparql, JSON_RESULTS)]
    results: dict[str, list[float]] = {"entity": [], "find": [], "sparql": []}
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            kind, path, accept = rng.choice(mix)
            try:
                status, _, ms = get(port, path, connection, accept)
            except (OSError, http.client.HTTPException) as err:
                with lock:
                    errors.append(f"{kind}: {type(err).__name__} {err}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            with lock:
                if status != 200:
                    errors.append(f"{kind}: HTTP {status}")
                results[kind].append(ms)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    elapsed = time.monotonic() - started
    healthy = get(port, "/")[0] == 200 and get(port, "/sparql?query=ASK%7B%7D", accept=JSON_RESULTS)[0] == 200
    return {"clients": clients, "seconds": round(elapsed, 1), "find_path": find.split("?")[0],
            "requests": sum(len(v) for v in results.values()), "errors": len(errors),
            "error_sample": errors[:5],
            "per_kind": {k: {"n": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95),
                             "p99": percentile(v, 99)} for k, v in results.items() if v},
            "all_p95": percentile([x for v in results.values() for x in v], 95),
            "healthy_after": healthy and served.process.poll() is None,
            "server_rss_mb": round(served.rss_mb())}


def store_for(work: Path, label: str) -> Path:
    """The store of the curated KG or of a synthetic graph (built once into ``work``)."""
    from kg.build.pipeline import build
    from kg.core.locations import Sources

    store = work / label / "store"
    if not (store / "manifest.json").is_file():
        sources = Sources.default()
        if label != "curated":
            generate(work / label / "triples", parse_size(label), 7)
            sources = Sources.default(triples=work / label / "triples")
        log(f"{label}: build")
        build(store, sources)
    return store


def markdown(results: dict) -> str:
    lines = [BEGIN, "", f"Measured {results['when']} with `python -m benchmarks.explorer {results['argv']}` "
             f"({results['cores']} cores). Server time: the app's own `Server-Timing` (request in → response "
             "started), warm, over several entities of every type (the most linked one of each type "
             "included); client time: the loopback round trip.", ""]
    for label, found in results["graphs"].items():
        pages = found["pages"]
        lines += [f"**{label}** ({found['triples']:,} triples; the overviews — projection, matrices, "
                  f"hypotheses — are computed in the background once the server starts: ready "
                  f"{pages['overview_first']['ready_after_s']:.0f} s after the first page was served)", "",
                  "| page | requests | server p50 (ms) | server p95 (ms) | client p50 (ms) |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        for kind, t in pages.items():
            if isinstance(t, dict) and "server_p50" in t:
                lines.append(f"| {kind} | {t['n']} | {t['server_p50']:.1f} | {t['server_p95']:.1f} | "
                             f"{t['client_p50']:.1f} |")
        lines.append("")
    if load := results.get("load"):
        lines += [f"**Load test** (curated KG): {load['clients']} concurrent clients for {load['seconds']} s "
                  "over "
                  f"entity pages, `{load['find_path']}` and `/sparql`: {load['requests']:,} requests, "
                  f"**{load['errors']} errors**, p95 {load['all_p95']:.0f} ms; server healthy afterwards: "
                  f"{'yes' if load['healthy_after'] else 'NO'} "
                  f"(server process {load['server_rss_mb']} MB).", "",
                  "| requests | n | p50 (ms) | p95 (ms) | p99 (ms) |", "| --- | ---: | ---: | ---: | ---: |"]
        lines += [f"| {k} | {v['n']} | {v['p50']:.0f} | {v['p95']:.0f} | {v['p99']:.0f} |"
                  for k, v in load["per_kind"].items()]
        lines.append("")
    return "\n".join([*lines, END])


def write_block(block: str, report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n## Explorer (`kg serve`)\n\n" + block + "\n"
    report.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1M", help="synthetic sizes besides the curated KG [default: 1M]")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--load-seconds", type=float, default=60.0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/nanomet-kg-bench"))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    args = parser.parse_args(argv)
    results: dict = {"when": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(),
                     "argv": " ".join(argv if argv is not None else sys.argv[1:]), "graphs": {}}
    for label in ["curated", *(s for s in args.sizes.split(",") if s.strip())]:
        store = store_for(args.work, label)
        served = Served(store)
        try:
            entities = samples(store)
            log(f"{label}: pages")
            manifest = json.loads((store / "manifest.json").read_text())
            results["graphs"][label] = {"triples": manifest.get("triples", 0),
                                        "pages": page_times(served.port, entities)}
            if label == "curated" and args.load_seconds > 0:
                log(f"{label}: load test, {args.clients} clients for {args.load_seconds:g} s")
                results["load"] = load_test(served, [p for ps in entities.values() for p in ps], args.clients,
                                            args.load_seconds)
        finally:
            served.stop()
    (args.work / "explorer.json").write_text(json.dumps(results, indent=1))
    write_block(markdown(results), args.out)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
