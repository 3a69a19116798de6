"""Cold start: commands that do not need NetworkX, pyvis, pyshacl or rdflib never import them.

A behaviour test, not a timing test: each command runs in a fresh interpreter and reports which
top-level packages ended up in ``sys.modules`` (timings are in ``docs/PERFORMANCE.md``).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = {"networkx", "pyvis", "pyshacl", "rdflib", "owlrl", "jinja2", "pandas", "matplotlib", "numpy",
         "scipy"}

PROBE = """
import json, sys
import kg.cli
try:
    kg.cli.main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _imported(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["query", "--help"], ["view", "--help"], ["queries"]])
def test_help_and_listing_stay_light(args):
    assert not _imported(*args) & HEAVY


def test_query_on_the_real_graph_stays_light(real_store_path):
    imported = _imported("--store", str(real_store_path), "query", "carriers-mechanisms")
    assert "pyoxigraph" in imported  # it did run the query
    assert not imported & HEAVY


def test_build_and_validate_need_no_rdflib_or_pyshacl(tmp_path, mini_sources):
    imported = _imported("--store", str(tmp_path / "store"), "build", "--triples", str(mini_sources.triples))
    assert (tmp_path / "store" / "manifest.json").is_file()
    assert not imported & HEAVY
    assert not _imported("validate", "--triples", str(mini_sources.triples)) & HEAVY
