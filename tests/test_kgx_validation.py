"""`kg export --format kgx` against the Biolink model (4.x, shipped by the biolink-model package), offline.

The checks are kgx validate's plus stricter ones (kg/export/biolink_check.py); every network call is
blocked while the model loads and the export is checked, so a download would fail the test.
"""

from __future__ import annotations

import socket
import urllib.request

import pytest

from kg.export import export
from kg.export.biolink_check import check_kgx, toolkit

pytestmark = pytest.mark.slow


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to resolve a name or open a connection is recorded and refused."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise OSError("network blocked by the test")

    for name in ("getaddrinfo", "create_connection", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    toolkit.cache_clear()  # load the model under the block
    yield attempts
    toolkit.cache_clear()


def test_the_network_block_holds(no_network):
    with pytest.raises(OSError):
        urllib.request.urlopen("https://raw.githubusercontent.com/biolink/biolink-model/v4.4.6/x.yaml",
                               timeout=1)
    assert no_network


def test_curated_graph_exports_valid_biolink_kgx(real_store, tmp_path, no_network):
    export(real_store.triples(), "kgx", tmp_path)
    assert check_kgx(tmp_path) == []
    assert toolkit().get_model_version().startswith("4.")
    assert no_network == []  # the model came from the installed package


NODES = """id\tcategory\tname\tdescription\tiri\txref
nmkg.agent:a\tbiolink:SmallMolecule\tA\t\thttps://w3id.org/nanomet-kg/id/agent/a\tCHEBI:1
nmkg.agent:b\tbiolink:BiologicalEntity\tB\t\thttps://w3id.org/nanomet-kg/id/agent/b\tNOPE:1
agent:c\tbiolink:GeneOrGeneProduct\tC\tone|two\t\t
nmkg.agent:d\tbiolink:Widget\tD\t\thttps://w3id.org/nanomet-kg/id/agent/zzz\t
nmkg.study:s\tbiolink:Study\tS\t\thttps://w3id.org/nanomet-kg/id/study/s\t
nmkg.agent:e\t\tE\t\thttps://w3id.org/nanomet-kg/id/agent/e\t
"""
EDGES = """id\tsubject\tpredicate\tobject\tknowledge_level\tagent_type\tpublications
urn:uuid:1\tnmkg.agent:a\tbiolink:has_part\tnmkg.agent:d\tknowledge_assertion\tmanual_agent\tdoi:10.1/x
urn:uuid:2\tnmkg.study:s\tbiolink:has_active_ingredient\tnmkg.agent:a\tknowledge_assertion\tmanual_agent\t
urn:uuid:3\tnmkg.agent:a\tbiolink:interacts_with\tnmkg.agent:d\tknowledge_assertion\tmanual_agent\t
urn:uuid:4\tnmkg.agent:a\tbiolink:frobnicates\tnmkg.agent:x\tguess\tmanual_agent\t
urn:uuid:5\tnmkg.agent:a\tbiolink:HasPart\tnmkg.agent:d\tknowledge_assertion\t\t
urn:uuid:6\tnmkg.agent:a\tbiolink:name\tnmkg.agent:d\tknowledge_assertion\tmanual_agent\tPMID:1|junk
"""


def test_each_kind_of_error_is_reported(tmp_path):
    """The check can fail: one planted error of each kind, each reported with its file and line."""
    (tmp_path / "nodes.tsv").write_text(NODES)
    (tmp_path / "edges.tsv").write_text(EDGES)
    (tmp_path / "prefix-map.json").write_text(
        '{"nmkg.agent": "https://w3id.org/nanomet-kg/id/agent/", '
        '"nmkg.study": "https://w3id.org/nanomet-kg/id/study/", "CHEBI": "http://x/", "bad": "urn:x:"}')
    errors = check_kgx(tmp_path)
    expected = [
        "prefix-map.json: prefix 'CHEBI' is already a Biolink prefix",
        "prefix-map.json: prefix 'bad' does not expand to an http(s) namespace",
        "nodes.tsv line 3 (nmkg.agent:b): category 'biolink:BiologicalEntity' is abstract",
        "nodes.tsv line 3 (nmkg.agent:b): xref 'NOPE:1' has a prefix that is not in the Biolink prefix map",
        "nodes.tsv line 4 (agent:c): id 'agent:c' has a prefix that is not in the Biolink prefix map nor",
        "nodes.tsv line 4 (agent:c): category 'biolink:GeneOrGeneProduct' is a mixin",
        "nodes.tsv line 4 (agent:c): single-valued property 'description' has several values",
        "nodes.tsv line 5 (nmkg.agent:d): id does not expand to the node's iri",
        "nodes.tsv line 5 (nmkg.agent:d): category 'biolink:Widget' is not in the Biolink model",
        "nodes.tsv line 7 (nmkg.agent:e): required node property 'category' is missing",
        "edges.tsv line 3 (nmkg.study:s biolink:has_active_ingredient nmkg.agent:a): subject category "
        "['study'] is outside the domain 'drug' of biolink:has_active_ingredient",
        "edges.tsv line 4 (nmkg.agent:a biolink:interacts_with nmkg.agent:d): predicate "
        "'biolink:interacts_with' is a mixin",
        "edges.tsv line 5 (nmkg.agent:a biolink:frobnicates nmkg.agent:x): object 'nmkg.agent:x' is not a",
        "edges.tsv line 5 (nmkg.agent:a biolink:frobnicates nmkg.agent:x): knowledge_level 'guess' is not in",
        "edges.tsv line 5 (nmkg.agent:a biolink:frobnicates nmkg.agent:x): predicate 'biolink:frobnicates' "
        "is not in the Biolink model",
        "edges.tsv line 6 (nmkg.agent:a biolink:HasPart nmkg.agent:d): required edge property 'agent_type'",
        "edges.tsv line 6 (nmkg.agent:a biolink:HasPart nmkg.agent:d): predicate 'biolink:HasPart' is not a "
        "biolink: term in snake_case",
        "edges.tsv line 7 (nmkg.agent:a biolink:name nmkg.agent:d): predicate 'biolink:name' is not a "
        "Biolink predicate",
        "edges.tsv line 7 (nmkg.agent:a biolink:name nmkg.agent:d): publications 'junk' is not a CURIE",
    ]
    missing = [e for e in expected if not any(found.startswith(e) for found in errors)]
    assert missing == [], errors
    assert not any("line 2 " in e for e in errors)  # the valid node and edge pass
