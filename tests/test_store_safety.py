"""`kg build` never destroys what it did not make, and does not silently empty the store (issue 12, items
2, 4 and 5): a store path that is not a kg store is refused (exit 4); a graph without curated triples, or
keeping less than half of the store's, is refused unless --force (exit 3); one build at a time; the
store path is a link switched atomically, and a build removes what dead builds left — only entries with
our names and our marks. Each refusal leaves the previous store answering exactly as before."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build.pipeline import KEEP_AT_LEAST, build
from kg.build.swap import current_version
from kg.cli import main
from kg.store import open_store

DATA = Path(__file__).parent / "data"


def answers(path: Path) -> list[str]:
    """Every triple of the store at ``path`` as sorted N-Triples lines (blank node labels blanked)."""
    with open_store(path) as store:
        triples = store.triples()
    lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode().splitlines()
    return sorted(" ".join("_:b" if part.startswith("_:") else part for part in line.split(" "))
                  for line in lines)


def kg_build(store: Path, *args: str):
    return CliRunner().invoke(main, ["--store", str(store), "build", *args])


def snapshot_of(path: Path) -> object:
    """What is at ``path`` (kind, and contents of a file or of every file in a folder)."""
    if path.is_symlink():
        return ("link", os.readlink(path))
    if path.is_file():
        return ("file", path.read_bytes())
    if path.is_dir():
        return ("folder", {str(p.relative_to(path)): p.read_bytes() if p.is_file() else None
                           for p in sorted(path.rglob("*"))})
    return ("absent",)


def _file(path: Path) -> None:
    path.write_text("notes\n")


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "thesis.tex").write_text("\\chapter{One}\n")


def _web_app(path: Path) -> None:  # a manifest.json that another program wrote
    path.mkdir()
    (path / "manifest.json").write_text(json.dumps({"name": "My app", "start_url": "/"}))


def _broken_manifest(path: Path) -> None:
    path.mkdir()
    (path / "manifest.json").write_text("{ not json")


def _link_to_folder(path: Path) -> None:
    _folder(path.parent / "elsewhere")
    path.symlink_to("elsewhere")


def _link_to_file(path: Path) -> None:
    _file(path.parent / "notes.txt")
    path.symlink_to("notes.txt")


def _dangling_link(path: Path) -> None:
    path.symlink_to("nowhere")


@pytest.mark.parametrize(("make", "what"), [
    (_file, "a file"), (_folder, "a folder"), (_web_app, "a folder"), (_broken_manifest, "a folder"),
    (_link_to_folder, "a link to elsewhere"), (_link_to_file, "a link to notes.txt"),
    (_dangling_link, "a link to nowhere"),
])
def test_a_path_that_is_not_our_store_is_never_replaced(tmp_path, make, what):
    target = tmp_path / "target"
    make(target)
    before = {p.name: snapshot_of(p) for p in tmp_path.iterdir()}
    result = kg_build(target, "--triples", str(DATA / "mini"))
    assert result.exit_code == 4, result.output
    assert f"error: {target} is {what}, not a store made by `kg build`" in result.stderr
    assert "refusing to replace it" in result.stderr and "Traceback" not in result.output
    assert {p.name: snapshot_of(p) for p in tmp_path.iterdir()} == before, "nothing changed or added"


@pytest.mark.parametrize("make", [lambda path: None, lambda path: path.mkdir()])
def test_an_absent_path_or_an_empty_folder_gets_a_store(tmp_path, make, mini_sources):
    store = tmp_path / "store"
    make(store)
    build(store, mini_sources)
    assert store.is_symlink() and current_version(store) == tmp_path / os.readlink(store)
    with open_store(store) as opened:
        assert opened.manifest()["curated_triples"] == 123  # the two files of tests/data/mini


@pytest.fixture
def mini_built(tmp_path, mini_sources) -> tuple[Path, list[str]]:
    """A store built from tests/data/mini, and its answers."""
    store = tmp_path / "store"
    build(store, mini_sources)
    return store, answers(store)


def _prefixes_only(folder: Path) -> None:
    (folder / "empty.ttl").write_text("@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .\n")


@pytest.mark.parametrize("fill", [lambda folder: None, _prefixes_only])
def test_no_curated_triples_is_refused_unless_forced(tmp_path, mini_built, fill):
    store, before = mini_built
    empty = tmp_path / "empty"
    empty.mkdir()
    fill(empty)
    result = kg_build(store, "--triples", str(empty))
    assert result.exit_code == 3, result.output
    assert f"error: no curated triples in {empty} (only the " in result.stderr
    assert "build with --force to do it anyway" in result.stderr and "Traceback" not in result.output
    assert answers(store) == before
    forced = kg_build(store, "--triples", str(empty), "--force")
    assert forced.exit_code == 0, forced.output
    with open_store(store) as opened:
        assert opened.manifest()["curated_triples"] == 0


def test_losing_most_of_the_store_is_refused_unless_forced(tmp_path, query_sources, mini_sources):
    store = tmp_path / "store"
    build(store, query_sources)  # tests/data/mini + tests/data/queries: 292 curated triples
    before = answers(store)
    result = kg_build(store, "--triples", str(mini_sources.triples))  # 123 of them
    assert result.exit_code == 3, result.output
    assert (f"the new graph has 123 curated triples, the store at {store} has 292: refusing to replace it "
            f"with less than {KEEP_AT_LEAST:.0%} of them") in result.stderr
    assert "--force" in result.stderr and "Traceback" not in result.output
    assert answers(store) == before
    assert kg_build(store, "--triples", str(mini_sources.triples), "--force").exit_code == 0
    # tests/data/queries/extra.ttl's 169 triples are gone, and the 7 superclass types `kg build` inferred
    # for its targets and agents (kg.core.inference)
    assert len(answers(store)) == len(before) - 169 - 7


def test_a_manifest_without_curated_count_compares_all_triples(mini_built, query_sources):
    """Stores built before the manifest counted curated triples: the totals are compared."""
    store, _ = mini_built
    manifest = store / "manifest.json"
    data = json.loads(manifest.read_text())
    del data["curated_triples"]
    data["triples"] = 100_000
    manifest.write_text(json.dumps(data))
    with pytest.raises(Exception, match=r"has \d+ curated triples, the store at .* has 100000"):
        build(store, query_sources)


def test_one_build_at_a_time(mini_built, mini_sources):
    store, before = mini_built
    with open(store.parent / ".store.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = kg_build(store, "--triples", str(mini_sources.triples))
    assert result.exit_code == 4
    assert f"error: another `kg build` is writing the store at {store}" in result.stderr
    assert answers(store) == before
    assert kg_build(store, "--triples", str(mini_sources.triples)).exit_code == 0  # the lock is free again


def _rocksdb_copy(source: Path, folder: Path) -> None:
    """A folder holding an Oxigraph database (as a killed build leaves it), without our marks."""
    shutil.copytree(source, folder)
    for name in ("manifest.json", "snapshot.ttl", "kg-building"):
        (folder / name).unlink(missing_ok=True)


def test_leftovers_of_dead_builds_are_removed_and_nothing_else(mini_built, mini_sources):
    store, before = mini_built
    parent, version = store.parent, current_version(store)
    ours = {
        ".store.building-dead1": lambda f: (f.mkdir(), (f / "kg-building").touch()),
        ".store.building-dead2": lambda f: _rocksdb_copy(version, f),
        ".store.building-dead3": lambda f: f.mkdir(),
        ".store.built-dead4": lambda f: shutil.copytree(version, f),
        ".store.old-dead5": lambda f: (f.mkdir(), shutil.copytree(version, f / "store")),  # the old layout
        ".store.link-dead6": lambda f: f.symlink_to(version.name),
    }
    not_ours = {
        ".store.building-mine": lambda f: (f.mkdir(), (f / "keep.txt").write_text("mine")),
        ".store.built-mine": _web_app,
        ".store.old-mine": lambda f: (f.mkdir(), (f / "store").mkdir(), (f / "store" / "a.txt").touch()),
        ".store.notes": _file,
        ".other.building-x": lambda f: (f.mkdir(), (f / "kg-building").touch()),
    }
    for name, make in {**ours, **not_ours}.items():
        make(parent / name)
    kept = {name: snapshot_of(parent / name) for name in not_ours}
    build(store, mini_sources)
    assert answers(store) == before
    left = {p.name for p in parent.iterdir()}
    assert not left & set(ours), "every leftover of ours is gone"
    assert {name: snapshot_of(parent / name) for name in not_ours} == kept
    assert version.name not in left, "the previous version is removed after the switch"
    assert left == set(not_ours) | {"store", ".store.lock", current_version(store).name}


def test_a_store_folder_of_the_earlier_layout_is_taken_over(tmp_path, mini_sources, query_sources):
    """Before the link, the store path was the store folder itself."""
    built = tmp_path / "built"
    build(built, mini_sources)
    store = tmp_path / "store"
    shutil.copytree(built.resolve(), store)
    assert answers(store) == answers(built)
    build(store, query_sources)
    assert store.is_symlink()
    assert len(answers(store)) > len(answers(built))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".store.")) == [
        current_version(store).name, ".store.lock"]
