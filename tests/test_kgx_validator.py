"""`kg export --format kgx` through the KGX validator itself (kgx's Validator, as `kgx validate` runs it).

kgx cannot share the project's environment (README, "Dependencies and why"), so it runs in its own,
`.kgx-venv`, which scripts/test.sh makes from scripts/kgx-requirements.txt; scripts/kgx_validate.py runs it
there with every network connection refused and the Biolink model YAML and prefix map shipped by the
biolink-model package. The curated graph must pass with no messages at all; planted errors must be found.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "kgx_validate.py"
PYTHON = ROOT / ".kgx-venv" / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def run(scratch: Path, *args: str) -> subprocess.CompletedProcess:
    """``args`` run by the validator environment's python, its temporary files under ``scratch``."""
    assert PYTHON.exists(), (f"no KGX validator environment at {PYTHON.parent.parent}: run "
                             "`bash scripts/test.sh`, or `python -m venv .kgx-venv && "
                             ".kgx-venv/bin/pip install -r scripts/kgx-requirements.txt`")
    env = {**os.environ, "TMPDIR": str(scratch), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([str(PYTHON), *args], capture_output=True, text=True, timeout=900, cwd=ROOT,
                          env=env)


def validate(folder: Path, *options: str) -> tuple[int, dict]:
    scratch = folder.parent / f"{folder.name}-scratch"
    scratch.mkdir(exist_ok=True)
    done = run(scratch, str(SCRIPT), str(folder), *options)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]


@pytest.fixture(scope="module")
def exported(real_store_path, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kgx")
    result = CliRunner().invoke(main, ["--store", str(real_store_path), "export", "--format", "kgx",
                                       "--out", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def test_curated_graph_passes_the_kgx_validator(exported):
    code, report = validate(exported)
    assert (report["validator"], report["reader"]) == ({}, {})
    assert code == 0
    assert report["refused_connections"] == []  # model and prefixes came from the installed packages
    # the validator's model is the packaged one (bmt's own default would be 4.4.4, from GitHub)
    assert report["biolink_model"] == report["biolink_model_package"]
    assert report["biolink_model"].startswith("4.")
    # every record was inspected
    assert (report["nodes"], report["edges"]) == (len(rows(exported / "nodes.tsv")),
                                                 len(rows(exported / "edges.tsv")))


def test_without_the_declared_prefixes_only_our_ids_fail(exported):
    """With Biolink's prefixes alone, every node id and edge end is rejected for its nmkg.* prefix, and
    nothing else: the prefix map is all that the export needs beyond the Biolink model."""
    code, report = validate(exported, "--biolink-prefixes-only")
    assert code == 1 and report["reader"] == {}
    errors = report["validator"]["ERROR"]
    assert set(errors) == {"INVALID_NODE_PROPERTY_VALUE", "INVALID_EDGE_PROPERTY_VALUE"}
    declared = json.loads((exported / "prefix-map.json").read_text(encoding="utf-8"))
    prefixes = {message.split("CURIE prefix '")[1].split("'")[0]
                for kind in errors.values() for message in kind}
    assert prefixes and prefixes <= set(declared)
    rejected = {message.split("value '")[1].split("'")[0]
                for message in errors["INVALID_NODE_PROPERTY_VALUE"]}
    assert rejected == {row[0] for row in rows(exported / "nodes.tsv")}


def plant(folder: Path, table: str, line: int, column: str, value: str) -> str:
    """Set one cell of ``table``; returns the record's id (a node's id, or an edge's subject->object)."""
    path = folder / table
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    cells = lines[line].split("\t")
    cells[header.index(column)] = value
    lines[line] = "\t".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cells[0] if table == "nodes.tsv" else f"{cells[1]}->{cells[3]}"


def test_planted_errors_are_found(exported, tmp_path):
    """The validator can fail: each planted error is reported, naming its record."""
    bad = tmp_path / "kgx"
    shutil.copytree(exported, bad)
    unknown = plant(bad, "nodes.tsv", 1, "category", "biolink:Widget")
    mixin = plant(bad, "nodes.tsv", 2, "category", "biolink:GeneOrGeneProduct")
    undeclared = plant(bad, "nodes.tsv", 3, "id", "agent:doxorubicin")
    predicate = plant(bad, "edges.tsv", 1, "predicate", "biolink:frobnicates")
    no_agent = plant(bad, "edges.tsv", 2, "agent_type", "")
    code, report = validate(bad)
    assert code == 1
    found = {(kind, message, entity) for kinds in report["validator"].values()
             for kind, messages in kinds.items()
             for message, entities in messages.items() for entity in entities}
    expected = {
        ("INVALID_CATEGORY", "Category 'Widget' is unknown in the current Biolink Model", unknown),
        ("INVALID_CATEGORY", "Category 'GeneOrGeneProduct' is a mixin in the Biolink Model", mixin),
        ("INVALID_NODE_PROPERTY_VALUE", "Node property 'id' has a value 'agent:doxorubicin' with a CURIE "
         "prefix 'agent' is not represented in Biolink Model JSON-LD context", undeclared),
        ("INVALID_EDGE_PREDICATE", "Edge predicate 'frobnicates' is not in Biolink Model", predicate),
        ("MISSING_EDGE_PROPERTY", "Required edge property 'agent_type' is missing", no_agent),
    }
    assert expected <= found, sorted(found)


def test_kgx_alone_would_download_and_the_block_refuses_it(tmp_path):
    """Why scripts/kgx_validate.py gives kgx the packaged model: importing kgx's validator builds a bmt
    Toolkit from bmt's default, a URL on GitHub; under the script's network block that attempt is refused."""
    code = ("import sys; sys.path.insert(0, 'scripts'); import kgx_validate as v; v.block_network()\n"
            "try:\n    import kgx.validator\nexcept Exception as error:\n    print(type(error).__name__)\n"
            "print(len(v.REFUSED))")
    done = run(tmp_path, "-c", code)
    assert done.returncode == 0, done.stderr
    failure, refused = done.stdout.split()[-2:]
    assert failure in ("URLError", "ConnectionError", "OSError") and int(refused) > 0, done.stdout
