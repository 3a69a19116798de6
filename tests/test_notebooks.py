"""The notebooks in ``notebooks/`` run top to bottom on a freshly built KG, without writing anywhere but
the test's temporary folder, and their committed outputs are not stale.

Each notebook prints a few key numbers in a cell tagged ``key-numbers``; the committed output of that
cell must equal the output of a fresh run. When the curated data change, re-execute the notebooks in
place with ``python notebooks/run.py`` and commit them.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
FIGURE_DIR = ROOT / "docs" / "img" / "notebooks"
NOTEBOOKS = sorted(p.name for p in NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))

pytestmark = pytest.mark.slow


def _load_runner():
    spec = importlib.util.spec_from_file_location("notebook_runner", NOTEBOOK_DIR / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


runner = _load_runner()


def _snapshot(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` with its modification time (ns)."""
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, real_store_path):
    """Environment of the notebook kernels: the store built for this test session, and every folder a
    kernel could write to (figures, matplotlib and IPython caches, kernel connection files) in tmp."""
    scratch = tmp_path_factory.mktemp("notebooks")
    env = {
        "NANOMET_KG_STORE": str(real_store_path),
        "NANOMET_KG_FIGURES": str(scratch / "figures"),
        "MPLCONFIGDIR": str(scratch / "matplotlib"),
        "IPYTHONDIR": str(scratch / "ipython"),
        "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        yield scratch


@pytest.fixture(scope="module")
def executed(run_dir):
    """Notebook name → the notebook executed afresh (each at most once per session)."""
    watched = (NOTEBOOK_DIR, FIGURE_DIR, ROOT / ".nanomet-kg")   # the notebooks' defaults when run by hand
    before = {folder: _snapshot(folder) for folder in watched}
    done: dict[str, nbformat.NotebookNode] = {}

    def run(name: str) -> nbformat.NotebookNode:
        if name not in done:
            done[name] = runner.execute(NOTEBOOK_DIR / name, cwd=run_dir)
        return done[name]

    yield run
    for folder, files in before.items():
        now = _snapshot(folder)
        changed = sorted(k for k, v in now.items() if files.get(k) != v and "__pycache__" not in k)
        assert not changed, f"executing the notebooks wrote into {folder}: {changed}"


def test_there_are_five_notebooks_and_a_runner():
    assert NOTEBOOKS == ["01-tour.ipynb", "02-hubs.ipynb", "03-gaps.ipynb", "04-carriers-to-mechanisms.ipynb",
                         "05-validation.ipynb"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_top_to_bottom(executed, name):
    """A failing cell raises CellExecutionError, which fails the test with the cell and its traceback."""
    notebook = executed(name)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert runner.key_numbers(notebook).strip(), "the key-numbers cell printed nothing"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_outputs_match_the_current_kg(executed, name):
    committed = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    code = [c for c in committed.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), (
        f"{name} is committed without outputs: run `python notebooks/run.py`")
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), (
        f"{name} was not executed top to bottom in one go: run `python notebooks/run.py`")
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    fresh = runner.key_numbers(executed(name))
    assert runner.key_numbers(committed) == fresh, (
        f"{name}: the committed key numbers differ from a fresh run on the current KG; "
        f"re-run `python notebooks/run.py` and commit the notebooks")


def test_figures_go_to_the_figures_folder_and_are_committed(executed, run_dir):
    for name in NOTEBOOKS:
        executed(name)
    written = sorted(p.name for p in (run_dir / "figures").glob("*.png"))
    assert len(written) >= 6
    assert written == sorted(p.name for p in FIGURE_DIR.glob("*.png")), (
        "docs/img/notebooks/ should hold exactly the figures the notebooks save: "
        "run `python notebooks/run.py`")


def test_readme_shows_a_notebook_figure_that_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"\(\s*(docs/img/notebooks/[^)\s]+\.png)\s*\)", readme)
    assert shown, "the README's Notebooks section shows no figure"
    assert all((ROOT / path).is_file() for path in shown)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_use_the_public_api_and_no_network(name):
    """Code opens the store through kg.open, imports no private names, fetches nothing; the embedded
    interactive view loads no script from elsewhere."""
    notebook = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "kg.open(" in code
    assert not re.search(r"from kg[\w.]* import [^\n]*\b_\w", code), "private names imported"
    assert not re.search(r"\bkg\.\w+(\.\w+)*\._\w", code), "private names used"
    assert not re.search(r"\.store\.(select|ask|construct)\(", code), "queries must go through the KG API"
    assert not re.search(r"https?://|urllib|requests\.|SPARQLWrapper", code), "no network access"
    outputs = json.dumps([c.get("outputs", []) for c in notebook.cells])
    assert not re.search(r"<script[^>]+src=\\*[\"']https?:", outputs), "an output loads a remote script"
