"""Cold start: commands that do not need NetworkX, pyvis, pyshacl or rdflib never import them, and a
command loads only its own part of the CLI.

A behaviour test, not a timing test: each command runs in a fresh interpreter and reports which
modules ended up in ``sys.modules`` (timings are in ``docs/PERFORMANCE.md``).
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
print(json.dumps(sorted(sys.modules)))
"""
# parts of kg that `kg query` has no use for
NOT_FOR_QUERIES = ("kg.cli.analysis_cmds", "kg.cli.view_cmds", "kg.cli.serve_cmds", "kg.cli.build_cmds",
                   "kg.cli.export_cmds", "kg.analysis", "kg.views", "kg.server", "kg.build", "kg.export")


def _modules(*args: str) -> set[str]:
    """Every module in ``sys.modules`` after ``kg ARGS`` ran in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _imported(*args: str) -> set[str]:
    """The top-level packages imported by ``kg ARGS``."""
    return {name.split(".")[0] for name in _modules(*args)}


def _loaded(modules: set[str], prefixes: tuple[str, ...]) -> set[str]:
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)}


@pytest.mark.parametrize("args", [["--help"], ["query", "--help"], ["view", "--help"], ["queries"]])
def test_help_and_listing_stay_light(args):
    assert not _imported(*args) & HEAVY


def test_query_on_the_real_graph_stays_light(real_store_path):
    modules = _modules("--store", str(real_store_path), "query", "carriers-mechanisms")
    imported = {name.split(".")[0] for name in modules}
    assert "pyoxigraph" in imported and "kg.cli.query_cmds" in modules  # it did run the query
    assert not imported & HEAVY
    assert not _loaded(modules, NOT_FOR_QUERIES)


def test_help_imports_no_command_module():
    modules = _modules("--help")
    assert not _loaded(modules, ("kg.cli.query_cmds", *NOT_FOR_QUERIES, "kg.query", "kg.store", "pyoxigraph"))


def test_build_and_validate_need_no_rdflib_or_pyshacl(tmp_path, mini_sources):
    imported = _imported("--store", str(tmp_path / "store"), "build", "--triples", str(mini_sources.triples))
    assert (tmp_path / "store" / "manifest.json").is_file()
    assert not imported & HEAVY
    assert not _imported("validate", "--triples", str(mini_sources.triples)) & HEAVY
