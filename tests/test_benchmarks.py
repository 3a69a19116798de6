"""The benchmark harness still runs: a tiny synthetic graph through every measurement (nothing is timed
here; the real runs are in docs/PERFORMANCE.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from kg.build.pipeline import validate
from kg.core.locations import Sources

ROOT = Path(__file__).resolve().parents[1]


def test_synthetic_graph_is_valid_and_deterministic(tmp_path):
    written = generate(tmp_path / "a", 3000, seed=3)
    generate(tmp_path / "b", 3000, seed=3)
    assert 3000 <= written < 3300
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    report = validate(Sources.default(triples=tmp_path / "a"))
    assert report.ok, report.describe_problems()


@pytest.mark.slow
def test_harness_smoke_run(tmp_path):
    out = tmp_path / "PERFORMANCE.md"
    out.write_text("# Performance\n\nprose kept\n")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "2k", "--no-real",
         "--work", str(tmp_path / "work"),
         "--out", str(out), "--reps", "1", "--seconds", "0", "--cold-runs", "1", "--rdflib-limit", "30"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "work" / "results.json").read_text())
    graph = results["graphs"]["2k"]
    for part in ("build", "analyses", "views"):
        assert "error" not in graph[part], graph[part]
    assert set(graph["queries"]) == {"oxigraph", "oxigraph-memory", "pyoxigraph", "rdflib"}
    for backend, found in graph["queries"].items():
        assert "error" not in found, (backend, found)
        assert set(found["queries"]) == set(graph["params"]), backend
    assert graph["build"]["engine"] == "sparql" and graph["build"]["pyshacl"]["agrees"]
    for command in ("python", "help", "query", "oxigraph_query", "build"):
        assert "error" not in results["cold"][command], (command, results["cold"][command])
    report = out.read_text()
    assert report.startswith("# Performance\n\nprose kept")
    assert graph["find"]["cases"] and all("error" not in c for c in graph["find"]["cases"].values())
    for heading in ("### Goals", "### Build", "### Named queries — 2k", "#### kg find — 2k",
                    "### Analyses and views", "### Cold start"):
        assert heading in report


def test_cold_only_results_replace_only_their_block(tmp_path):
    """A `--cold-only` run rewrites the cold-start block and leaves the graph results as they were."""
    from benchmarks.report import BEGIN, COLD_BEGIN, COLD_END, END, write_report

    out = tmp_path / "PERFORMANCE.md"
    out.write_text(f"# Performance\n\n{BEGIN}\n\ngraph tables\n\n{END}\n\n{COLD_BEGIN}\nold\n{COLD_END}\n\n"
                   "after\n")
    timing = {"min": 0.02, "median": 0.03, "cpu": 0.02, "runs": 3}
    cold = {"label": "curated", "python": timing, "oxigraph_query": timing,
            "help": {"min": 0.05, "median": 0.06, "cpu": 0.05, "runs": 3},
            "query": {"min": 0.08, "median": 0.09, "cpu": 0.04, "runs": 3},
            "slowest_imports": []}
    machine = {"cpu": "x", "cores": 2, "memory_gb": 1, "system": "s", "python": "3", "packages": {},
               "load_before": (0, 0, 0)}
    write_report({"machine": machine, "started": "t", "graphs": {}, "cold": cold}, out)
    text = out.read_text()
    assert f"{BEGIN}\n\ngraph tables\n\n{END}" in text and text.endswith("\n\nafter\n")
    assert "\nold\n" not in text
    assert "| `kg query` within 2× of `oxigraph query` | 3.0× (90.0 ms vs 30.0 ms); CPU 2.0× | **missed** |" \
        in text
    assert "| `kg --help` within 3× of `python -c pass` | 2.0× (60.0 ms vs 30.0 ms); CPU 2.5× | met |" in text
