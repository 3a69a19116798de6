"""A non-editable install carries the ontology and data: `kg validate` works from anywhere; inside a source
checkout `kg build` uses the checkout's data, not the bundled copy, and says so."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kg.build.pipeline import validate
from kg.core.locations import Sources

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_bundles_ontology_and_data_and_runs(tmp_path):
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = wheel_dir.glob("nanomet_kg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "kg/_bundled/ontology/nanomet.ttl" in names
    assert "kg/_bundled/ontology/shapes.ttl" in names
    triples = ROOT / "data" / "triples"
    shipped = sorted(p.relative_to(triples).as_posix() for p in triples.rglob("*.ttl"))
    bundled = sorted(n.removeprefix("kg/_bundled/data/triples/") for n in names
                     if n.startswith("kg/_bundled/data/triples/") and n.endswith(".ttl"))
    assert bundled == shipped

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k not in ("NANOMET_KG_DATA", "NANOMET_KG_STORE")}
    env["PYTHONPATH"] = str(target)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    code = "import kg.core.locations as l; print(l.data_root())"
    out = subprocess.run([sys.executable, "-c", code], cwd=workdir, env=env, capture_output=True, text=True,
                         check=True)
    assert Path(out.stdout.strip()) == target / "kg" / "_bundled"
    result = subprocess.run([sys.executable, "-m", "kg", "--store", str(tmp_path / "store"), "build"],
                            cwd=workdir, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Formulation" in result.stdout
    bundled = target / "kg" / "_bundled"
    assert result.stderr.splitlines()[0] == \
        f"data:  {bundled} (the copy bundled with the installed kg package)"

    # a clone whose curated data differs from what was installed (here: only the mini fixture)
    clone = tmp_path / "clone"
    shutil.copytree(ROOT / "ontology", clone / "ontology")
    shutil.copytree(ROOT / "tests" / "data" / "mini", clone / "data" / "triples")
    edited = subprocess.run([sys.executable, "-m", "kg", "build"], cwd=clone, env=env, capture_output=True,
                            text=True)
    assert edited.returncode == 0, edited.stderr
    assert edited.stderr.splitlines()[:2] == [
        f"data:  {clone} (the source checkout in the working directory)",
        f"store: {clone / '.nanomet-kg' / 'store'}"]
    mini = validate(Sources.default(triples=clone / "data" / "triples"))
    assert _triples(edited.stdout) == len(mini.parsed)
    assert _triples(edited.stdout) < _triples(result.stdout)


def _triples(summary: str) -> int:
    """The triple count in the summary `kg build` prints."""
    return int(next(line for line in summary.splitlines() if line.startswith("triples:")).split()[1])
