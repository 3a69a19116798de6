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
    assert "error" not in results["cold"]["query"]
    report = out.read_text()
    assert report.startswith("# Performance\n\nprose kept")
    assert graph["find"]["cases"] and all("error" not in c for c in graph["find"]["cases"].values())
    for heading in ("### Goals", "### Build", "### Named queries — 2k", "#### kg find — 2k",
                    "### Analyses and views", "### Cold start"):
        assert heading in report
