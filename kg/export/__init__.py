"""``kg export``: the whole graph as Turtle, N-Triples, JSON-LD, GraphML (:mod:`kg.export.rdf`) or KGX
(:mod:`kg.export.kgx`), deterministically; :mod:`kg.export.biolink_check` validates a KGX export against
the Biolink model."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.export.kgx import to_kgx
from kg.export.rdf import WRITERS, canonical, stable_blank_nodes, to_jsonld, to_ntriples, to_turtle

__all__ = ["WRITERS", "canonical", "export", "stable_blank_nodes", "to_jsonld", "to_kgx", "to_ntriples",
           "to_turtle"]


def export(triples: Iterable[ox.Triple], fmt: str, out: Path) -> list[Path]:
    """Write the graph in ``fmt`` to ``out`` (a file; for KGX a folder of files); return the files."""
    if fmt == "kgx":
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in to_kgx(triples).items():
            (out / name).write_bytes(data)
            written.append(out / name)
        return written
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(WRITERS[fmt](triples))
    return [out]
