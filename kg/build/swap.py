"""Replace the store at a path crash-safely: a build killed at any moment leaves the path answering as
either the previous complete store or the new one.

The layout beside a store path ``DIR/store``:

- ``DIR/store`` is a symbolic link to ``.store.built-XXXXXXXX``, a complete store folder (the Oxigraph
  database, ``manifest.json`` and the Turtle snapshot). Readers open the path as a folder, as before.
- A build writes ``.store.building-XXXXXXXX`` (marked by a ``kg-building`` file), renames it
  ``.store.built-XXXXXXXX`` once complete, makes a link ``.store.link-XXXXXXXX`` to it and renames that
  link over ``DIR/store``: one atomic ``rename``, the only moment the store changes. Then the previous
  version folder is removed.
- ``.store.lock`` is held (``flock``) by the build for its whole run: one build per store path at a time.
  So, after a switch, every other ``.store.building-*`` / ``.store.built-*`` / ``.store.link-*`` (and
  ``.store.old-*`` of the earlier layout) is what a dead build left, and :func:`remove_leftovers` deletes it
  — only entries with these names that are empty or hold our marker, our manifest or an Oxigraph
  database. Folders are emptied with their identifying file last, so a folder killed half-deleted is
  still recognised the next time.

A path that holds anything else (a file, a folder that is not a store ``kg build`` made, a link to one) is
never replaced: :func:`check_replaceable` refuses it. A store folder of the earlier layout (a plain
folder) is moved aside to a version folder and the link put in its place; between those two renames
(once per store) no store is at the path. Protection is against the process being killed, not against
power loss (nothing is fsynced).

``NANOMET_KG_TEST_SWAP_DELAY`` (seconds; for tests only) pauses between the steps of the switch, so that a
test can kill a build inside it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.core.errors import StoreError
from kg.store.oxigraph_backend import MANIFEST, read_manifest

BUILDING = "kg-building"  # marks a folder a build is writing
ROCKSDB = "CURRENT"  # a file every Oxigraph (RocksDB) database folder has
TEST_DELAY_ENV = "NANOMET_KG_TEST_SWAP_DELAY"


def _pause() -> None:
    if delay := os.environ.get(TEST_DELAY_ENV):
        time.sleep(float(delay))


def _entry(path: Path, kind: str, suffix: str) -> Path:
    return path.parent / f".{path.name}.{kind}-{suffix}"


def _kind(path: Path, entry: Path) -> str:
    """``building``, ``built``, ``link``, ``old``… for an entry named ``.<store>.<kind>-…``; else ''."""
    prefix = f".{path.name}."
    if not entry.name.startswith(prefix) or "-" not in entry.name[len(prefix):]:
        return ""
    return entry.name[len(prefix):].split("-", 1)[0]


def current_version(path: Path) -> Path | None:
    """The version folder the link at ``path`` points to, if the link is ours."""
    if not path.is_symlink():
        return None
    target = Path(os.readlink(path))
    version = path.parent / target
    return version if len(target.parts) == 1 and _kind(path, version) == "built" else None


def check_replaceable(path: Path) -> None:
    """Raise :class:`StoreError` unless ``path`` is absent, an empty folder, or a store ``kg build`` made
    (a folder with its manifest, or our link to one)."""
    if current_version(path) is not None or read_manifest(path) is not None:
        return
    if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
        return
    if path.is_symlink():
        what = f"a link to {os.readlink(path)}"
    elif path.is_dir():
        what = "a folder"
    elif path.exists():
        what = "a file"
    else:
        return
    raise StoreError(f"{path} is {what}, not a store made by `kg build` (no kg {MANIFEST}); refusing to "
                     "replace it: choose another --store path, or move it away yourself")


@contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """Hold ``.<store>.lock`` beside ``path`` for a build; refuse if another build holds it."""
    with open(path.parent / f".{path.name}.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"another `kg build` is writing the store at {path}; "
                             "wait until it has finished") from None
        yield


def staging_folder(path: Path) -> Path:
    """A new, marked folder beside ``path`` for a build to write its store into."""
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.building-", dir=path.parent))
    (staging / BUILDING).touch()
    return staging


def _ours(folder: Path) -> bool:
    """Whether ``folder`` (named like one of ours) holds what a build writes: nothing, our marker, our
    manifest, or an Oxigraph database."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    return (not any(folder.iterdir()) or (folder / BUILDING).is_file() or (folder / ROCKSDB).is_file()
            or read_manifest(folder) is not None)


def _remove(folder: Path) -> None:
    """Delete one of our folders, the files that identify it last; leave anything else alone."""
    if not _ours(folder):
        return
    last = [folder / name for name in (ROCKSDB, BUILDING, MANIFEST)]
    try:
        for entry in folder.iterdir():
            if entry in last:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        for entry in last:
            entry.unlink(missing_ok=True)
        folder.rmdir()
    except OSError:
        pass  # a leftover for the next build to clean


def switch(staging: Path, path: Path) -> None:
    """Make the complete store in ``staging`` the store at ``path`` (see the module docstring)."""
    suffix = staging.name.rsplit("-", 1)[1]
    version, link = _entry(path, "built", suffix), _entry(path, "link", suffix)
    (staging / BUILDING).unlink()
    staging.rename(version)
    _pause()
    previous, moved = current_version(path), False
    try:
        os.symlink(version.name, link)
        _pause()
        if path.is_dir() and not path.is_symlink():  # the earlier layout, or an empty folder
            if any(path.iterdir()):
                previous = _entry(path, "built", f"{suffix}-earlier")
                path.rename(previous)
                moved = True
            else:
                path.rmdir()
            _pause()
        os.replace(link, path)
    except OSError as err:
        if moved and not path.exists():
            previous.rename(path)
        link.unlink(missing_ok=True)
        _remove(version)
        raise StoreError(f"could not put the new store in place at {path}: {err}") from err
    _pause()
    if previous is not None:
        _remove(previous)
        _pause()
    remove_leftovers(path)


def remove_leftovers(path: Path) -> None:
    """Remove what dead builds left beside the store at ``path``. Call with :func:`build_lock` held and
    a complete store at ``path``."""
    current = current_version(path)
    for entry in list(path.parent.iterdir()):
        kind = _kind(path, entry)
        if kind == "link" and entry.is_symlink():
            entry.unlink(missing_ok=True)
        elif kind in ("building", "built") and entry != current:
            _remove(entry)
        elif kind == "old" and entry.is_dir() and not entry.is_symlink():  # the earlier layout's swap
            _remove(entry / "store")
            _remove(entry)
