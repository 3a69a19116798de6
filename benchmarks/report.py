"""The benchmark results as Markdown: goals, build, named queries, kg find, analyses, cold start.

:func:`write_report` replaces the block between :data:`BEGIN` and :data:`END` in the report with the graph
results, and the one between :data:`COLD_BEGIN` and :data:`COLD_END` with the cold start (the prose around
them is written by hand); a missing block is appended.

>>> ms(0.0123), ms(2.5), ms(float("nan")), ratio(3.0, 0.1)
('12.3 ms', '2.50 s', '–', '30×')
"""

from __future__ import annotations

import math
from pathlib import Path

from kg.cli.output import render_markdown

BEGIN = "<!-- benchmark results: begin (written by python -m benchmarks.run) -->"
END = "<!-- benchmark results: end -->"
COLD_BEGIN = "<!-- cold start results: begin (written by python -m benchmarks.run) -->"
COLD_END = "<!-- cold start results: end -->"
FIND_BEGIN = "<!-- kg find results: begin (written by python -m benchmarks.run) -->"
FIND_END = "<!-- kg find results: end -->"
BACKEND_NAMES = {"oxigraph": "on disk", "oxigraph-memory": "in memory", "pyoxigraph": "raw pyoxigraph",
                 "rdflib": "rdflib"}
GOALS = {"query_ms": 50, "cold_s": 0.5, "query_vs_oxigraph": 2, "help_vs_python": 3, "build_real_s": 2,
         "build_1m_s": 15, "rdflib_ratio": 15,
         "raw_ratio": 1.5, "reach_s": 10, "peak_1m_mb": 2048, "peak_5m_mb": 4096, "find_1m_s": 2}


def ms(seconds: float | None) -> str:
    """Seconds for people: milliseconds below one second."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b or math.isnan(a) or math.isnan(b):
        return "–"
    value = a / b
    return f"{value:.0f}×" if value >= 10 else f"{value:.1f}×"


def _warm(record: dict | None, limit: float | None = None) -> float | None:
    """A query's warm median; its first run if it had no warm run; ``None`` if it errored."""
    if not record:
        return None
    if record.get("over_budget") and not record.get("n"):
        return limit
    return record["p50"] if record.get("n") else record.get("first")


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else "(stopped, no message)"


def _step(record: dict | None) -> str:
    if not record:
        return "–"
    if record.get("over_budget"):
        return f"> {ms(record['wall'])} (stopped)"
    return ms(record["wall"])


# ------------------------------------------------------------------------------------------- tables

def build_table(graphs: dict) -> str:
    rows = []
    for label, g in graphs.items():
        b = g.get("build", {})
        if "error" in b:
            rows.append([label, "error: " + _last_line(b["error"])[:80]] + [""] * 8)
            continue
        phases = b.get("phases", {})
        reference = b.get("pyshacl") or {}
        pyshacl = "–" if not reference else (
            f"> {ms(reference['wall'])}" if reference.get("over_budget") else ms(reference.get("shacl")))
        rows.append([label, f"{b.get('triples', 0):,}", ms(phases.get("load")), ms(phases.get("lint")),
                     ms(phases.get("shacl")), pyshacl, ms(phases.get("disk")), ms(b.get("wall")),
                     ms(b.get("cpu")),
                     f"{b.get('peak_mb', 0):.0f}"])
    return render_markdown(["graph", "triples", "load (parse)", "lint", "SHACL (SPARQL)", "SHACL (pyshacl)",
                            "on-disk store (beside the checks)", "build total", "CPU", "peak MB"], rows)


def query_table(graph: dict, limit: float) -> str:
    backends = graph.get("queries", {})
    names = sorted({n for b in backends.values() for n in b.get("queries", {})})
    rows = []
    for name in names:
        def rec(backend, name=name):
            return backends.get(backend, {}).get("queries", {}).get(name)

        disk, memory, raw = (_warm(rec(b)) for b in ("oxigraph", "oxigraph-memory", "pyoxigraph"))
        slow = _warm(rec("rdflib"), limit)
        slow_text = ms(slow) if not (rec("rdflib") or {}).get("over_budget") else f"> {ms(limit)}"
        first = rec("oxigraph") or {}
        api = backends.get("oxigraph", {}).get("api", {}).get(name)
        rows.append([name, str(first.get("rows", "–")), ms(first.get("first")), ms(disk),
                     ms((first or {}).get("p95")), ms(_warm(api)), ms(memory), ms(raw), slow_text,
                     ("≥ " if (rec("rdflib") or {}).get("over_budget") else "") + ratio(slow, disk),
                     ratio(disk, raw), ratio(memory, raw)])
    opens = " · ".join(f"{BACKEND_NAMES[b]} {ms(v.get('open'))}, peak {v.get('peak_mb', 0):.0f} MB"
                       for b, v in backends.items() if "error" not in v)
    errors = "".join(f"\n\n{BACKEND_NAMES[b]}: error {_last_line(v['error'])}"
                     for b, v in backends.items() if "error" in v)
    table = render_markdown(["query", "rows", "first (disk)", "p50 disk", "p95 disk", "p50 API (disk)",
                             "p50 in memory", "p50 raw pyoxigraph", "p50 rdflib", "rdflib ÷ disk",
                             "disk ÷ raw", "memory ÷ raw"], rows)
    return f"Open / load: {opens}.{errors}\n\n{table}"


def find_table(graph: dict) -> str:
    """``kg find`` per question: in memory, on disk, and raw pyoxigraph running the same queries."""
    found = graph.get("find", {})
    if "error" in found:
        return f"error: {_last_line(found['error'])}"
    rows = []
    for name, case in found.get("cases", {}).items():
        if "error" in case:
            rows.append([name, "error: " + _last_line(case["error"])[:80]] + [""] * 6)
            continue
        memory, disk, raw = (_warm(case.get(k)) for k in ("memory", "disk", "raw"))
        rows.append([name, str(case["memory"].get("rows", "–")), str(case["queries"]), ms(memory), ms(disk),
                     ms(raw), ratio(memory, raw)])
    hub = (found.get("hub") or "").rsplit("/", 1)[-1]
    table = render_markdown(["question", "rows", "queries", "p50 in memory", "p50 on disk",
                             "p50 raw pyoxigraph (same queries)", "memory ÷ raw"], rows)
    return f"HUB = the most-used target ({hub}).\n\n{table}"


def find_goals(results: dict) -> str:
    """The goals of ``kg find``: curated ≤ 50 ms warm; 1M ≤ 2 s and within 1.5× of raw pyoxigraph."""
    rows = []
    real, big = results["graphs"].get("curated"), results["graphs"].get("1M")
    if real and real.get("find"):
        worst, name = _find_worst(real, "memory")
        if worst is not None:
            rows.append(["curated KG: `kg find` ≤ 50 ms warm (in process)", f"slowest {name}: {ms(worst)}",
                         "met" if worst * 1000 <= GOALS["query_ms"] else "**missed**"])
    if big and big.get("find"):
        worst, name = _find_worst(big, "memory")
        if worst is not None:
            rows.append(["1M: `kg find` ≤ 2 s (in memory)", f"slowest {name}: {ms(worst)}",
                         "met" if worst <= GOALS["find_1m_s"] else "**missed**"])
        high, name = _find_worst(big, "ratio")
        if high is not None:
            rows.append(["1M: `kg find` within 1.5× of raw pyoxigraph running its queries",
                         f"largest ratio {high:.1f}× ({name})",
                         "met" if high <= GOALS["raw_ratio"] else "**missed**"])
    return render_markdown(["goal", "measured", ""], rows)


def render_find(results: dict) -> str:
    """The ``kg find`` block: when and where measured, goals, one table per graph."""
    parts = [machine_text(results), "#### Goals", find_goals(results)]
    for label, graph in results["graphs"].items():
        if graph.get("find"):
            parts += [f"#### kg find — {label}", find_table(graph)]
    return "\n\n".join(parts)


def _find_worst(graph: dict, key: str) -> tuple[float | None, str]:
    cases = {n: c for n, c in graph.get("find", {}).get("cases", {}).items() if "error" not in c}
    if key == "ratio":
        values = {n: _warm(c["memory"]) / _warm(c["raw"]) for n, c in cases.items()
                  if _warm(c["memory"]) and _warm(c["raw"])}
    else:
        values = {n: _warm(c[key]) for n, c in cases.items() if _warm(c[key]) is not None}
    if not values:
        return None, ""
    name = max(values, key=values.get)
    return values[name], name


ANALYSES = (("projection", "projection (with studies)"),
            ("projection_in_memory", "projection, store in memory"),
            ("projection_collapsed", "projection (studies collapsed)"), ("paths", "paths (≤ 3 hops)"),
            ("reach_carrier_mechanism", "reach carrier × mechanism"),
            ("reach_carrier_step_via_target", "reach carrier × step via target"),
            ("hubs_sampled", "hubs (betweenness from 100 pivots)"),
            ("hubs_exact", "hubs (exact betweenness)"))


def analysis_table(graphs: dict) -> str:
    labels = [label for label, g in graphs.items() if "analyses" in g]
    rows = []
    for key, name in ANALYSES:
        rows.append([name] + [_step(_analysis(graphs[label], key)) for label in labels])
    rows.append(["projection size (nodes / edges)"] + [
        "{nodes:,} / {edges:,}".format(**graphs[label]["analyses"]["projection"])
        if "nodes" in graphs[label]["analyses"].get("projection", {}) else "–" for label in labels])
    for cap in (1000, 10000):
        rows.append([f"`kg view --max-nodes {cap}`"] + [
            _view(graphs[label].get("views", {}).get(f"view_{cap}")) for label in labels])
    rows.append(["peak MB (analyses / views)"] + [
        "{:.0f} / {:.0f}".format(graphs[label]["analyses"].get("peak_mb", 0),
                                 graphs[label].get("views", {}).get("peak_mb", 0)) for label in labels])
    return render_markdown(["analysis"] + labels, rows)


def _analysis(graph: dict, key: str) -> dict | None:
    if key == "projection_in_memory":  # measured in the in-memory query worker
        return graph.get("queries", {}).get("oxigraph-memory", {}).get("projection")
    return graph["analyses"].get(key)


def _view(record: dict | None) -> str:
    if not record or record.get("over_budget") or "nodes" not in record:
        return _step(record)
    return f"{ms(record['wall'])} ({record['nodes']:,} nodes)"


# key in the cold results: (what ran, the anchor it is compared with in the same rounds)
COLD_ROWS = {"python": ("`python -c pass`", None), "click": ('`python -c "import click"`', "python"),
             "imports": ("the imports of `kg query` (`python -c \"import …\"`, nothing run)", "python"),
             "help": ("`kg --help`", "python"),
             "oxigraph_query": ("`oxigraph query` (the same SPARQL on a copy of the same store)", None),
             "query": ("`kg query carriers-mechanisms`", "oxigraph_query"), "build": ("`kg build`", None)}


def _median(cold: dict, key: str, what: str = "median") -> float | None:
    return cold.get(key, {}).get(what)


def cold_table(cold: dict) -> str:
    rows = []
    for key, (what, anchor) in COLD_ROWS.items():
        if key not in cold:
            continue
        if "error" in cold[key]:
            rows.append([what, "error: " + _last_line(cold[key]["error"])[:80], "", "", "", ""])
            continue
        versus = ["", ""] if anchor is None else [
            f"{ratio(_median(cold, key, m), _median(cold, anchor, m))}" for m in ("median", "cpu")]
        rows.append([what, ms(cold[key].get("min")), ms(_median(cold, key)), ms(_median(cold, key, "cpu")),
                     *versus, "" if anchor is None else COLD_ROWS[anchor][0]])
    imports = ", ".join(f"{name} {t:.0f} ms" for name, t in cold.get("slowest_imports", []))
    return render_markdown(["command (whole process)", "min", "median", "CPU (median)", "÷ anchor (wall)",
                            "÷ anchor (CPU)", "anchor"], rows) + \
        f"\n\nSlowest imports of `kg query` (`python -X importtime`, cumulative): {imports}."


def cold_goals(cold: dict) -> str:
    rows = []
    query, oxigraph = _median(cold, "query"), _median(cold, "oxigraph_query")
    helps, python = _median(cold, "help"), _median(cold, "python")

    def add(goal: str, measured: str, met: bool | None):
        rows.append([goal, measured, "–" if met is None else ("met" if met else "**missed**")])

    def cpu(key: str, anchor: str) -> str:
        return f"; CPU {ratio(_median(cold, key, 'cpu'), _median(cold, anchor, 'cpu'))}"

    add(f"`kg query` cold process ≤ {GOALS['cold_s']} s", ms(query), None if query is None else
        query <= GOALS["cold_s"])
    add(f"`kg query` within {GOALS['query_vs_oxigraph']}× of `oxigraph query`",
        f"{ratio(query, oxigraph)} ({ms(query)} vs {ms(oxigraph)}){cpu('query', 'oxigraph_query')}",
        None if not query or not oxigraph else query / oxigraph <= GOALS["query_vs_oxigraph"])
    add(f"`kg --help` within {GOALS['help_vs_python']}× of `python -c pass`",
        f"{ratio(helps, python)} ({ms(helps)} vs {ms(python)}){cpu('help', 'python')}",
        None if not helps or not python else helps / python <= GOALS["help_vs_python"])
    return render_markdown(["goal", "measured (wall-clock medians)", ""], rows)


def render_cold(results: dict) -> str:
    cold = results["cold"]
    return "\n\n".join([f"### Cold start ({cold.get('label', '')} store)", machine_text(results),
                          cold_goals(cold), cold_table(cold)])


# ------------------------------------------------------------------------------------------- goals

def _max_query(graph: dict, backend: str) -> tuple[float | None, str]:
    records = graph.get("queries", {}).get(backend, {}).get("queries", {})
    values = {n: _warm(r) for n, r in records.items() if _warm(r) is not None}
    if not values:
        return None, ""
    name = max(values, key=values.get)
    return values[name], name


def goals_table(results: dict, limit: float) -> str:
    graphs = results["graphs"]
    rows = []

    def add(goal: str, measured: str, met: bool | None):
        rows.append([goal, measured, "–" if met is None else ("met" if met else "**missed**")])

    real = graphs.get("curated")
    cold = results.get("cold", {})
    if real:
        build = cold.get("build", {}).get("median") if cold.get("label") == "curated" else None
        add("curated KG: `kg build` ≤ 2 s", f"{ms(build)} (whole command); build itself "
            f"{ms(real.get('build', {}).get('wall'))}",
            None if build is None else build <= GOALS["build_real_s"])
        worst, name = _max_query(real, "oxigraph")
        add("curated KG: every named query ≤ 50 ms warm", f"slowest {name}: {ms(worst)}",
            None if worst is None else worst * 1000 <= GOALS["query_ms"])
    big = graphs.get("1M")
    if big and "error" not in big.get("build", {}):
        wall = big["build"].get("wall")
        add("1M: build ≤ 15 s incl. validation", f"{ms(wall)} (CPU {ms(big['build'].get('cpu'))})",
            wall <= GOALS["build_1m_s"])
        queries = big.get("queries", {})
        layouts = (("oxigraph-memory", "in-memory store (API session, `kg serve --in-memory`)"),
                   ("oxigraph", "on-disk store (one-shot `kg query`)"))
        for backend, what in layouts:
            faster, within = [], []
            for name, r in queries.get(backend, {}).get("queries", {}).items():
                ours = _warm(r)
                slow = _warm(queries.get("rdflib", {}).get("queries", {}).get(name), limit)
                raw = _warm(queries.get("pyoxigraph", {}).get("queries", {}).get(name))
                if ours and slow:
                    faster.append((slow / ours, name))
                if ours and raw:
                    within.append((ours / raw, name))
            if faster:
                low = min(faster)
                add(f"1M: named queries ≥ 15× faster than rdflib — {what}",
                    f"smallest ratio {low[0]:.1f}× ({low[1]})", low[0] >= GOALS["rdflib_ratio"])
            if within:
                high = max(within)
                add(f"1M: within 1.5× of raw pyoxigraph in memory — {what}",
                    f"largest ratio {high[0]:.1f}× ({high[1]})", high[0] <= GOALS["raw_ratio"])
        reach = big.get("analyses", {}).get("reach_carrier_mechanism")
        if reach:
            add("1M: reachability matrix ≤ 10 s", _step(reach), reach["wall"] <= GOALS["reach_s"])
        peaks = [(big["build"].get("peak_mb", 0), "build"),
                 (queries.get("oxigraph", {}).get("peak_mb", 0), "queries on disk"),
                 (queries.get("oxigraph-memory", {}).get("peak_mb", 0), "queries in memory"),
                 (big.get("analyses", {}).get("peak_mb", 0), "analyses"),
                 (big.get("views", {}).get("peak_mb", 0), "views")]
        top = max(peaks)
        add("1M: peak memory ≤ 2 GB", f"{top[0]:.0f} MB ({top[1]})", top[0] <= GOALS["peak_1m_mb"])
    huge = graphs.get("5M")
    if huge:
        ok = "error" not in huge.get("build", {}) and \
            "error" not in huge.get("queries", {}).get("oxigraph", {})
        peak = max([huge.get("build", {}).get("peak_mb", 0)] +
                   [v.get("peak_mb", 0) for b, v in huge.get("queries", {}).items() if b != "rdflib"])
        worst, name = _max_query(huge, "oxigraph")
        add("5M: load and answer the named queries within 4 GB",
            f"peak {peak:.0f} MB; build {ms(huge.get('build', {}).get('wall'))}; "
            f"slowest query {name} {ms(worst)}",
            ok and peak <= GOALS["peak_5m_mb"])
    return render_markdown(["goal", "measured", ""], rows)


def machine_text(results: dict) -> str:
    m = results["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    before = ", ".join(f"{x:.1f}" for x in m["load_before"])
    after = ", ".join(f"{x:.1f}" for x in m.get("load_after", ()))
    return (f"Measured {results['started']} – {results.get('finished', '?')} on {m['cpu']}, "
            f"{m['cores']} cores, "
            f"{m['memory_gb']} GB RAM; {m['system']}; Python {m['python']}; {packages}. Load average "
            f"(1, 5, 15 min) before the run {before}, after {after}: other work on the machine slows the "
            "wall-clock figures (CPU times are less affected).")


def render(results: dict, limit: float = 60.0) -> str:
    parts = [machine_text(results), "### Goals", goals_table(results, limit),
             "### Build (parse + validate + load)", build_table(results["graphs"])]
    for label, graph in results["graphs"].items():
        if graph.get("queries"):
            parts += [f"### Named queries — {label}", query_table(graph, limit)]
    if any("analyses" in g for g in results["graphs"].values()):
        parts += ["### Analyses and views", analysis_table(results["graphs"])]
    return "\n\n".join(parts)


def merge(results: list[dict]) -> dict:
    """One result set from several runs: later runs replace earlier ones graph by graph."""
    merged = dict(results[0], graphs=dict(results[0]["graphs"]))
    for later in results[1:]:
        merged["graphs"].update(later["graphs"])
        merged["started"] = min(merged["started"], later.get("started", merged["started"]))
        merged["finished"] = max(merged.get("finished", ""), later.get("finished", ""))
        merged["cold"] = later.get("cold") or merged.get("cold")
    return merged


def _replace_block(text: str, begin: str, end: str, body: str) -> str:
    block = f"{begin}\n\n{body}\n\n{end}"
    if begin in text and end in text:
        return text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    return (text.rstrip() + "\n\n" if text else "") + block + "\n"


def write_report(results: dict, path: Path, limit: float = 60.0, only_find: bool = False) -> None:
    """Put each rendered part of the results between its markers in ``path`` (or write a new file): the
    graph results (unless ``only_find``), the cold start and ``kg find``; a part the results do not hold
    (e.g. graphs after ``--cold-only``) stays as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if results.get("graphs") and not only_find:
        text = _replace_block(text, BEGIN, END, render(results, limit))
    if results.get("cold"):
        text = _replace_block(text, COLD_BEGIN, COLD_END, render_cold(results))
    if any(g.get("find") for g in results.get("graphs", {}).values()):
        text = _replace_block(text, FIND_BEGIN, FIND_END, render_find(results))
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """``python -m benchmarks.report RESULTS.json [MORE.json …] --out docs/PERFORMANCE.md``: render again,
    e.g. after a separate ``--huge`` run."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("results", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_report(merge([json.loads(p.read_text()) for p in args.results]), args.out)


if __name__ == "__main__":
    main()
