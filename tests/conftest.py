"""Shared fixtures: the tiny fixture graph and the real curated graph, each built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build import build
from kg.locations import Sources
from kg.store import open_store

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"


@pytest.fixture(scope="session")
def mini_sources() -> Sources:
    return Sources.default(triples=MINI)


@pytest.fixture
def mini_copy(tmp_path) -> Sources:
    """A writable copy of the fixture data, for tests that break it."""
    folder = tmp_path / "triples"
    shutil.copytree(MINI, folder)
    return Sources.default(triples=folder)


@pytest.fixture(scope="session")
def mini_store_path(tmp_path_factory, mini_sources) -> Path:
    path = tmp_path_factory.mktemp("mini") / "store"
    build(path, mini_sources)
    return path


@pytest.fixture
def mini_store(mini_store_path):
    with open_store(mini_store_path) as store:
        yield store


@pytest.fixture(scope="session")
def real_store_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("real") / "store"
    build(path, Sources.default())
    return path


@pytest.fixture
def real_store(real_store_path):
    with open_store(real_store_path) as store:
        yield store
