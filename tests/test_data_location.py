"""Which ontology and data `kg build` / `kg validate` use: $NANOMET_KG_DATA, else the source checkout in the
working directory, else the checkout beside the package (else the copy bundled in the wheel, see
tests/test_packaging.py); both commands say which on stderr."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core.locations import data_origin

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def checkout(tmp_path, mini_sources, monkeypatch) -> Path:
    """A folder laid out like a source checkout (ontology/, data/triples/), with the mini fixture data."""
    folder = tmp_path / "clone"
    shutil.copytree(mini_sources.ontology, folder / "ontology")
    shutil.copytree(mini_sources.triples, folder / "data" / "triples")
    monkeypatch.delenv("NANOMET_KG_DATA", raising=False)
    monkeypatch.delenv("NANOMET_KG_STORE", raising=False)
    return folder


def test_the_checkout_in_the_working_directory_wins_over_the_packages(checkout, monkeypatch):
    monkeypatch.chdir(checkout)
    assert data_origin() == (checkout, "the source checkout in the working directory")


def test_elsewhere_the_packages_checkout_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("NANOMET_KG_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    assert data_origin() == (ROOT, "the source checkout of the kg package")


def test_the_environment_wins_over_the_working_directory(checkout, monkeypatch):
    monkeypatch.chdir(checkout)
    monkeypatch.setenv("NANOMET_KG_DATA", str(ROOT))
    assert data_origin() == (ROOT, "$NANOMET_KG_DATA")


def test_validate_checks_and_names_the_working_directorys_data(checkout, monkeypatch):
    (checkout / "data" / "triples" / "broken.ttl").write_text("@prefix : <http://x/> .\n:a :b \n")
    monkeypatch.chdir(checkout)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2, result.output  # the broken file is only in this checkout
    assert "broken.ttl" in result.stderr
    here = f"data:  {checkout} (the source checkout in the working directory)"
    assert result.stderr.splitlines()[0] == here


def test_build_names_its_data_and_store(checkout, monkeypatch):
    monkeypatch.chdir(checkout)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    store = checkout / ".nanomet-kg" / "store"
    assert result.stderr.splitlines()[:2] == [
        f"data:  {checkout} (the source checkout in the working directory)", f"store: {store}"]
    assert (store / "manifest.json").is_file()
    assert str(checkout / "data" / "triples") in (store / "manifest.json").read_text()


def test_validate_names_given_folders(checkout, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "validate",
                                       "--triples", str(checkout / "data" / "triples")])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"data:  ontology {ROOT / 'ontology'} (the source checkout of the kg package), "
        f"triples {checkout / 'data' / 'triples'} (given)")
