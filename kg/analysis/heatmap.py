"""A reachability matrix as a heatmap PNG.

matplotlib is an optional dependency: ``pip install 'nanomet-kg[plots]'``.
"""

from __future__ import annotations

from pathlib import Path

from kg.analysis.reach import Matrix
from kg.core.errors import KGError


def short_evidence(label: str) -> str:
    """An evidence-level label short enough for a heatmap cell.

    >>> short_evidence("in vivo (animal)"), short_evidence("clinical phase I/II")
    ('in vivo', 'ph I/II')
    """
    return (label.replace("in vivo (animal)", "in vivo").replace("clinical (phase not stated)", "clinical")
            .replace("clinical early phase I", "early ph I").replace("clinical phase ", "ph "))


def save_heatmap(matrix: Matrix, path: Path | str, value: str = "formulations") -> Path:
    """Write ``matrix`` as a PNG heatmap of ``value``; each cell shows its count and best evidence."""
    try:
        from matplotlib.figure import Figure  # no pyplot: leaves the caller's backend alone
    except ImportError as err:
        raise KGError("the heatmap needs matplotlib: pip install 'nanomet-kg[plots]'") from err
    if not matrix.rows or not matrix.cols:
        raise KGError(f"nothing to draw: the {matrix.title} matrix is empty")
    numbers = [[matrix.value(r, c, value) for c in matrix.cols] for r in matrix.rows]
    width = max(6.0, 3.0 + 0.9 * len(matrix.cols))
    height = max(3.0, 1.5 + 0.45 * len(matrix.rows))
    figure = Figure(figsize=(width, height))
    axes = figure.subplots()
    image = axes.imshow(numbers, cmap="Blues", aspect="auto")
    axes.set_xticks(range(len(matrix.cols)), [matrix.labels[c] for c in matrix.cols], rotation=45, ha="right")
    axes.set_yticks(range(len(matrix.rows)), [matrix.labels[r] for r in matrix.rows])
    top = max(max(row) for row in numbers) or 1
    for i, r in enumerate(matrix.rows):
        for j, c in enumerate(matrix.cols):
            cell = matrix.cell(r, c)
            if not cell.studies:
                continue
            evidence = short_evidence(cell.best_evidence)
            text = f"{numbers[i][j]}\n{evidence}" if value != "evidence" else evidence
            axes.text(j, i, text, ha="center", va="center", fontsize=6,
                      color="white" if numbers[i][j] > top / 2 else "black")
    axes.set_title(f"{matrix.title}: {value} (cell text: count and best evidence)", fontsize=9)
    figure.colorbar(image, ax=axes, label=value)
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path, dpi=150)
    return path
