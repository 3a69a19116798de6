"""Facts carry over from the reviews; their sentences do not. No comment, definition or study label in
the curated data may repeat a run of consecutive words from a source review. (Names of systems, drugs and
targets are facts and may be printed as in the source.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib

from kg.core.locations import Sources

SOURCES = Path(__file__).resolve().parents[2] / "shared" / "sources"
RUN = 9  # words in a row that would count as copying


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


@pytest.fixture(scope="module")
def source_runs() -> set[tuple[str, ...]]:
    if not SOURCES.is_dir():
        pytest.skip(f"source reviews not found at {SOURCES}")
    runs: set[tuple[str, ...]] = set()
    for path in SOURCES.glob("*.txt"):
        # drop the manuscript line numbers of NH2026 so runs can cross line breaks
        text = re.sub(r"(?m)^\d+ ", "", path.read_text())
        runs |= _runs(_words(text))
    return runs


def test_run_detection_works():
    copied = "the quick brown fox jumps over the lazy dog and runs away"
    assert _runs(_words(copied)) & _runs(_words("Yes, The quick brown fox jumps over the lazy dog and then"))
    assert not _runs(_words("a quick brown fox")) & _runs(_words(copied))


def test_no_literal_copies_a_source_sentence(source_runs):
    graph = rdflib.Graph()
    for path in Sources.default().files():
        graph.parse(path)
    study = rdflib.URIRef("https://w3id.org/nanomet-kg/ontology#Study")
    prose = {rdflib.RDFS.comment, rdflib.namespace.SKOS.definition}
    copied = []
    for s, p, o in graph:
        if p not in prose and not (p == rdflib.RDFS.label and (s, rdflib.RDF.type, study) in graph):
            continue
        if isinstance(o, rdflib.Literal) and isinstance(o.value, str) and len(o.split()) >= RUN:
            if _runs(_words(str(o))) & source_runs:
                copied.append(f"{s} {p}: {str(o)[:100]}")
    assert not copied, f"{len(copied)} literal(s) copy source text:\n" + "\n".join(sorted(copied))
