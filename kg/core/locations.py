"""Where the ontology, the curated data and the built store live.

The ontology and data are found, in order: in ``$NANOMET_KG_DATA`` (a folder holding ``ontology/`` and
``data/triples/``); next to the package in a source checkout; or bundled inside the installed wheel.
The store defaults to ``./.nanomet-kg/store`` (relative to the working directory) and can be moved with
``--store`` or ``$NANOMET_KG_STORE``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import KGError

DATA_ENV = "NANOMET_KG_DATA"
STORE_ENV = "NANOMET_KG_STORE"
SHAPES_FILE = "shapes.ttl"


def data_root() -> Path:
    """The folder that holds ``ontology/`` and ``data/triples/``."""
    if env := os.environ.get(DATA_ENV):
        if not Path(env).is_dir():
            raise KGError(f"{DATA_ENV}={env} is not a folder (it should hold ontology/ and data/triples/)")
        return Path(env)
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent
    if (checkout / "ontology").is_dir() and (checkout / "data" / "triples").is_dir():
        return checkout
    return package / "_bundled"


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

    def files(self) -> list[Path]:
        """All Turtle files of the graph: the ontology (without shapes), then the data, each sorted."""
        return self.ontology_files() + sorted(self.triples.rglob("*.ttl"))


def default_store() -> Path:
    if env := os.environ.get(STORE_ENV):
        return Path(env)
    return Path.cwd() / ".nanomet-kg" / "store"
