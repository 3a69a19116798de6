"""Execute the notebooks in place, so that their committed outputs come from the current curated data.

    python notebooks/run.py              # every notebook
    python notebooks/run.py 02 03        # the notebooks whose names start with these

The KG is built afresh into a temporary folder (about ten seconds) unless ``NANOMET_KG_STORE`` names a
store; figures go to ``docs/img/notebooks/`` unless ``NANOMET_KG_FIGURES`` says otherwise. Needs the
``notebooks`` (or ``test``) extra. ``tests/test_notebooks.py`` uses :func:`execute` and
:func:`key_numbers` to run the notebooks and to catch committed outputs that no longer match the KG.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
NOTEBOOKS = sorted(HERE.glob("[0-9][0-9]-*.ipynb"))
KEY_NUMBERS_TAG = "key-numbers"
TIMEOUT = 600  # seconds per cell


def execute(path: Path, cwd: Path = HERE, timeout: int = TIMEOUT) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a fresh ``python3`` kernel; a failing cell raises
    ``nbclient.exceptions.CellExecutionError``. The kernel inherits this process's environment."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return notebook


def key_numbers(notebook: nbformat.NotebookNode) -> str:
    """The text printed by the notebook's cell tagged ``key-numbers`` ("" if it has not run)."""
    cells = [c for c in notebook.cells if KEY_NUMBERS_TAG in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"expected one cell tagged {KEY_NUMBERS_TAG!r}, found {len(cells)}")
    parts = []
    for output in cells[0].get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output["text"])
        elif "text/plain" in output.get("data", {}):
            parts.append(output["data"]["text/plain"])
    return "".join(parts)


def _chosen(prefixes: list[str]) -> list[Path]:
    if not prefixes:
        return NOTEBOOKS
    chosen = [p for p in NOTEBOOKS if any(p.name.startswith(prefix) for prefix in prefixes)]
    if not chosen:
        sys.exit(f"no notebook starts with {' or '.join(prefixes)}; there are: "
                 f"{', '.join(p.name for p in NOTEBOOKS)}")
    return chosen


def main(prefixes: list[str]) -> None:
    chosen = _chosen(prefixes)
    with tempfile.TemporaryDirectory(prefix="nanomet-kg-notebooks-") as scratch:
        if not os.environ.get("NANOMET_KG_STORE"):
            from kg.build.pipeline import build

            store = Path(scratch) / "store"
            print(f"building the KG into {store}", file=sys.stderr)
            build(store)
            os.environ["NANOMET_KG_STORE"] = str(store)
        for path in chosen:
            started = time.perf_counter()
            notebook = execute(path)
            nbformat.write(notebook, path)
            print(f"{path.name}: executed in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
