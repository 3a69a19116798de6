"""``kg paths / reach / hubs / gaps`` through click's CliRunner on the hand-made analysis fixture."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from kg.cli import main


@pytest.fixture
def run(analysis_store_path):
    def invoke(*args: str):
        return CliRunner().invoke(main, ["--store", str(analysis_store_path), *args])

    return invoke


def _clean_error(result, code: int, message: str) -> None:
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_reach_csv_matrix(run):
    result = run("reach", "--from", "carrier", "--to", "step", "--via", "target", "--format", "csv",
                 "--value", "studies")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header, body = rows[0], {r[0]: r[1:] for r in rows[1:]}
    assert header[0] == "carrier"
    # lipo A reaches extravasation through FX-T1 in its two studies
    assert body["lipid-based nanocarrier"][header.index("extravasation") - 1] == "2"


def test_reach_long_json(run):
    result = run("reach", "--from", "mechanism", "--to", "site", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert {(r["mechanism"], r["site"], r["formulations"], r["best_evidence"]) for r in records} == {
        ("immune activation", "fixture lung", 1, "in vivo (animal)"),
        ("cytotoxicity and apoptosis induction", "fixture liver", 1, "in vitro")}
    assert records[0]["formulation_names"] == "FX lipo A"


def test_reach_heatmap(run, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "reach.png"
    result = run("reach", "--to", "step", "--all", "--png", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")


def test_reach_bad_axis(run):
    _clean_error(run("reach", "--from", "colour"), 5, "unknown axis 'colour'")


def test_paths_table_shows_hops_and_sources(run):
    result = run("paths", "FX lipo A", "extravasation", "--max-hops", "2")
    assert result.exit_code == 0, result.output
    assert "FX lipo A —targets→ FX-T1 —involvedIn→ extravasation" in result.stdout
    assert "FX-T1 —involvedIn→ extravasation: NH2026 l.20-22 [5]" in result.stdout


def test_paths_metapath_json(run):
    metapath = "carrier,formulation,agent,target,step"
    result = run("paths", "PEGylated liposome", "CTC survival", "--via", metapath, "--format", "json")
    assert result.exit_code == 0, result.output
    (path,) = json.loads(result.stdout)
    assert [n["label"] for n in path["nodes"]] == ["PEGylated liposome", "FX lipo A", "fixture drug", "FX-T2",
                                                   "circulation and CTC survival"]
    assert path["links"][0] == [{"predicate": "nmo:hasCarrier", "forward": False, "evidence": "",
                                 "sources": ["CMR2022 §2 [1]", "NH2026 l.10-12 [2]"]}]


def test_paths_to_a_study_needs_studies(run):
    _clean_error(run("paths", "FX study 1", "FX-T1"), 5, "--studies")
    result = run("paths", "FX study 1", "FX-T1", "--studies", "--max-hops", "2")
    assert result.exit_code == 0, result.output
    assert "FX study 1 —evaluates→ FX lipo A —targets→ FX-T1" in result.stdout


def test_paths_unknown_name(run):
    _clean_error(run("paths", "FX lipo Q", "FX-T1"), 5, "no entity called 'FX lipo Q'")
    _clean_error(run("paths", "FX-T1", "fx-t1"), 5, "name the same entity")


def test_paths_none_found(run):
    result = run("paths", "FX-T3", "fixture lung", "--max-hops", "1")
    assert result.exit_code == 0
    # FX-T3 ← FX gold → FX-T1 ← FX lipo A → fixture lung
    assert "no path from FX-T3 to fixture lung within 1 hops; the nearest connection is 4 hops" \
        in result.stdout


def test_hubs_by_type_with_degree_note(run):
    result = run("hubs", "--type", "target", "--format", "json", "--by", "degree")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert {r["label"] for r in records} == {"FX-T1", "FX-T2", "FX-T3"}
    # FX-T1: lipo A, FX gold, extravasation = 3 neighbours; FX-T2: lipo B, fixture drug, circulation = 3;
    # FX-T3: FX gold = 1
    assert [(r["label"], r["degree"]) for r in records] == [("FX-T1", 3), ("FX-T2", 3), ("FX-T3", 1)]
    assert "degree" in result.stderr and "Spearman" in result.stderr


def test_gaps_json_and_table(run):
    result = run("gaps", "--show", "hypotheses,biology", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert set(found) == {"hypotheses", "biology"}
    # ranked by the model the cross-review validation kept (named on each record and on stderr)
    assert max(h["dwpc"] for h in found["hypotheses"]) == pytest.approx(0.9445, abs=1e-4)
    scores = [h["score"] for h in found["hypotheses"]]
    assert scores == sorted(scores, reverse=True) and len({h["model"] for h in found["hypotheses"]}) == 1
    assert "out-of-sample AUROC" in result.stderr
    table = run("gaps", "--show", "biology")
    assert "FX-T1" in table.stdout and "NH2026 l.20-22 [5]" in table.stdout


def test_gaps_csv_needs_one_section(run):
    _clean_error(run("gaps", "--format", "csv"), 5, "choose one section")
    _clean_error(run("gaps", "--show", "holes"), 5, "unknown section(s) holes")
    result = run("gaps", "--show", "weak", "--format", "csv")
    assert result.stdout.splitlines()[0] == "kind,name,formulations,studies,best_evidence"
