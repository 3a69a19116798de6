"""Where the ontology, the curated data and the built store live.

The ontology and data (a folder holding ``ontology/`` and ``data/triples/``) are found, in order: in
``$NANOMET_KG_DATA``; in the working directory, when it is such a folder (a source checkout you are working
in, also after ``pip install .``); next to the package (a source checkout run in place or installed
editable); or bundled inside the installed wheel. The store defaults to ``./.nanomet-kg/store`` (relative to
the working directory) and can be moved with ``--store`` or ``$NANOMET_KG_STORE``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import KGError

DATA_ENV = "NANOMET_KG_DATA"
STORE_ENV = "NANOMET_KG_STORE"
ENDPOINT_ENV = "NANOMET_KG_ENDPOINT"
SHAPES_FILE = "shapes.ttl"


def is_data_root(folder: Path) -> bool:
    """Whether ``folder`` holds ``ontology/`` and ``data/triples/`` (a source checkout, or a copy of one)."""
    return (folder / "ontology").is_dir() and (folder / "data" / "triples").is_dir()


def data_origin() -> tuple[Path, str]:
    """The folder that holds ``ontology/`` and ``data/triples/``, and why that one (for messages)."""
    if env := os.environ.get(DATA_ENV):
        if not Path(env).is_dir():
            raise KGError(f"{DATA_ENV}={env} is not a folder (it should hold ontology/ and data/triples/)")
        return Path(env), f"${DATA_ENV}"
    cwd = Path.cwd()
    package = Path(__file__).resolve().parents[1]
    if is_data_root(cwd):
        return cwd, "the source checkout in the working directory"
    if is_data_root(package.parent):
        return package.parent, "the source checkout of the kg package"
    return package / "_bundled", "the copy bundled with the installed kg package"


def data_root() -> Path:
    """The folder that holds ``ontology/`` and ``data/triples/`` (see :func:`data_origin`)."""
    return data_origin()[0]


@dataclass(frozen=True)
class Sources:
    """The ontology folder and the curated-triples folder a graph is built from."""

    ontology: Path
    triples: Path

    @classmethod
    def default(cls, ontology: Path | None = None, triples: Path | None = None) -> Sources:
        root = data_root()
        return cls(Path(ontology or root / "ontology"), Path(triples or root / "data" / "triples"))

    @property
    def shapes(self) -> Path:
        return self.ontology / SHAPES_FILE

    def check(self, shapes: bool = True) -> None:
        """Raise :class:`KGError` naming what is missing: the ontology folder, its shapes (if ``shapes``:
        building and validating need them), the data folder."""
        missing = []
        if not self.ontology.is_dir():
            missing.append(f"the ontology folder {self.ontology}")
        elif shapes and not self.shapes.is_file():
            missing.append(f"the SHACL shapes {self.shapes} (an ontology folder needs its {SHAPES_FILE})")
        if not self.triples.is_dir():
            missing.append(f"the data folder {self.triples}")
        if missing:
            raise KGError("cannot read the graph's sources: missing " + "; missing ".join(missing))

    def ontology_files(self) -> list[Path]:
        return sorted(p for p in self.ontology.glob("*.ttl") if p.name != SHAPES_FILE)

    def data_files(self) -> list[Path]:
        return sorted(self.triples.rglob("*.ttl"))

    def files(self) -> list[Path]:
        """All Turtle files of the graph: the ontology (without shapes), then the data, each sorted."""
        return self.ontology_files() + self.data_files()


def default_store() -> Path:
    if env := os.environ.get(STORE_ENV):
        return Path(env)
    return Path.cwd() / ".nanomet-kg" / "store"
