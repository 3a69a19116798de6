"""The layer contract: a package imports only packages of lower layers (docs/ARCHITECTURE.md).

Every ``import`` in ``kg/`` counts, including those inside functions (the lazy ones); only imports under
``if TYPE_CHECKING:`` are exempt, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parents[1] / "kg"

# Lowest first. A package may import its own modules and those of any lower layer; packages of one
# layer are peers and do not import each other.
LAYERS: list[tuple[str, ...]] = [
    ("kg.core",),
    ("kg.store",),
    ("kg.analysis",),
    ("kg.build", "kg.query"),
    ("kg.curate",),
    ("kg.export", "kg.views"),
    ("kg.server",),
    ("kg.cli",),
    ("kg",),  # kg/__init__.py and kg/__main__.py: the entry points
]
LEVEL = {package: level for level, packages in enumerate(LAYERS) for package in packages}


def package_of(module: str) -> str:
    """The layer package a dotted module name belongs to (``kg.query.handle`` → ``kg.query``)."""
    parts = module.split(".")
    candidate = ".".join(parts[:2])
    return candidate if candidate in LEVEL else "kg"


def module_name(path: Path, root: Path = KG) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, dotted name) of every ``kg`` module imported, skipping ``if TYPE_CHECKING:`` blocks."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            for child in getattr(node, "orelse", []):
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            # ``from kg.analysis import gaps`` imports the module kg.analysis.gaps
            found.extend((node.lineno, f"{base}.{alias.name}" if base in LEVEL else base)
                         for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return [(line, name) for line, name in found if name == "kg" or name.startswith("kg.")]


def violations(root: Path = KG) -> list[str]:
    """Every import of a higher layer or of a peer, as ``file:line: a imports b``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        own = package_of(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, name in imported_modules(tree, module, path.name == "__init__.py"):
            other = package_of(name)
            if other == own or (own == "kg" and other != "kg"):
                continue
            if LEVEL[other] >= LEVEL[own]:
                relation = "a peer" if LEVEL[other] == LEVEL[own] else "a higher layer"
                found.append(f"{path.relative_to(root.parent)}:{line}: {own} imports {name} ({relation})")
    return found


def test_every_package_is_placed_in_a_layer():
    packages = {f"kg.{p.name}" for p in KG.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {f"kg.{p.stem}" for p in KG.glob("*.py") if p.stem not in ("__init__", "__main__")}
    assert packages | modules <= set(LEVEL), sorted((packages | modules) - set(LEVEL))


def test_no_layer_imports_a_higher_one():
    assert violations() == []


@pytest.mark.parametrize("source, importer, expected", [
    ("from kg.cli.output import render_rows\n", "store/bad.py", "kg.store imports kg.cli.output"),
    ("def f():\n    from kg.query import handle\n", "analysis/lazy.py",
     "kg.analysis imports kg.query.handle"),
    ("import kg.views.view\n", "export.py", "kg.export imports kg.views.view (a peer)"),
    ("from ..query.resolve import resolve\n", "build/rel.py", "kg.build imports kg.query.resolve (a peer)"),
])
def test_the_contract_catches_upward_imports(tmp_path, source, importer, expected):
    """The check itself can fail: a planted upward import (eager, lazy, peer, relative) is reported."""
    root = tmp_path / "kg"
    for package in ("core", "store", "analysis", "build", "query", "views", "cli"):
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
    (root / importer).write_text(source)
    assert any(expected in v for v in violations(root)), violations(root)


def test_type_checking_imports_are_exempt(tmp_path):
    root = tmp_path / "kg"
    (root / "core").mkdir(parents=True)
    (root / "core" / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kg.query.handle import KG\n")
    assert violations(root) == []
