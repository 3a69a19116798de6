"""A non-editable install carries the ontology and data: `kg validate` works from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

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
