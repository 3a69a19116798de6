"""A `kg build` killed (SIGKILL) at any moment leaves the store path answering exactly as either the old
complete store or the new one (issue 12, item 4), and the next build removes what the killed ones left.

Two fixture graphs of different sizes alternate: each round builds the one that is not in the store and
kills the build, at moments spread over its whole run and, with the test-only swap delay
(``NANOMET_KG_TEST_SWAP_DELAY``, :mod:`kg.build.swap`), at moments inside the swap. After each kill the
store is opened both ways (in memory from its snapshot, and the on-disk database)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_store_safety import answers

from kg.build.pipeline import build
from kg.build.swap import TEST_DELAY_ENV, current_version
from kg.core.locations import Sources
from kg.store.oxigraph_backend import OxigraphStore

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
SWAP_DELAY = 0.3  # seconds between the steps of the swap (4 steps)
TIMED_KILLS = 16
SWAP_KILLS = [i * 0.15 for i in range(10)]  # seconds after the on-disk store is written


def _command(store: Path, triples: Path) -> list[str]:
    return [sys.executable, "-m", "kg", "--store", str(store), "build", "--triples", str(triples), "--force"]


def _environment() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[1])
    return {**os.environ, TEST_DELAY_ENV: str(SWAP_DELAY),
            "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}


def _killed_after(store: Path, triples: Path, seconds: float, after_line: str = "") -> None:
    """Start a build, wait (for a progress line, then ``seconds``), and kill it with SIGKILL."""
    process = subprocess.Popen(_command(store, triples), env=_environment(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        if after_line:
            assert process.stderr is not None
            for line in process.stderr:
                if after_line in line:
                    break
        time.sleep(seconds)
    finally:
        process.kill()
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()


def _state(store: Path, expected: dict[str, list[str]]) -> str:
    """Which graph the store answers as ("old"/"new"), the same in memory and on disk."""
    in_memory = answers(store)
    with OxigraphStore.open(store, in_memory=False) as on_disk:
        disk_count = len(on_disk)
    found = [name for name, triples in expected.items() if triples == in_memory]
    assert found, f"the store answers as neither graph ({len(in_memory)} triples)"
    assert disk_count == len(in_memory), "the on-disk database holds the same graph as the snapshot"
    return found[0]


def test_killed_builds_leave_the_old_or_the_new_store(tmp_path, query_sources):
    folders = {"old": tmp_path / "old", "new": tmp_path / "new"}
    shutil.copytree(DATA / "mini", folders["old"])
    shutil.copytree(query_sources.triples, folders["new"])
    expected = {}
    for name, folder in folders.items():
        reference = tmp_path / f"reference-{name}" / "store"
        build(reference, Sources.default(triples=folder))
        expected[name] = answers(reference)
    assert len(expected["new"]) > len(expected["old"])

    store = tmp_path / "work" / "store"
    build(store, Sources.default(triples=folders["old"]))
    started = time.perf_counter()
    subprocess.run(_command(store, folders["new"]), env=_environment(), check=True, capture_output=True)
    duration = time.perf_counter() - started  # a whole build, with the delayed swap
    assert _state(store, expected) == "new"

    kills = [("", duration * (i + 0.5) / TIMED_KILLS) for i in range(TIMED_KILLS)]
    kills += [("wrote the on-disk store", seconds) for seconds in SWAP_KILLS]
    kills.append(("wrote the on-disk store", 0.0))  # last: inside the swap, so something is left to clean
    outcomes = []
    for after_line, seconds in kills:
        before = _state(store, expected)
        other = "old" if before == "new" else "new"
        _killed_after(store, folders[other], seconds, after_line)
        outcomes.append((before, _state(store, expected)))
    assert any(b == a for b, a in outcomes) and any(b != a for b, a in outcomes), \
        "kills landed both before and after the switch"

    work = store.parent
    leftovers = [p.name for p in work.iterdir() if p.name.startswith(".store.") and p.name != ".store.lock"
                 and p != current_version(store)]
    assert leftovers, "the killed builds left something to clean"
    subprocess.run(_command(store, folders["new"]), env={**_environment(), TEST_DELAY_ENV: "0"}, check=True,
                   capture_output=True)
    assert _state(store, expected) == "new"
    assert sorted(p.name for p in work.iterdir()) == sorted(
        ["store", ".store.lock", current_version(store).name]), "a normal build removed the leftovers"
