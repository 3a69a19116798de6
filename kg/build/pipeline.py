"""``kg build`` / ``kg validate``: load, check (SHACL + lint) and persist the graph into the embedded store.

The files are loaded into an in-memory Oxigraph store, where the checks run as SPARQL (the SHACL
shapes compiled by :mod:`kg.build.shacl_compile`, the lint of :mod:`kg.build.lint`). Meanwhile (or
afterwards, for a very large graph) a background thread writes the same triples, from a Turtle snapshot
of the in-memory store, into a new on-disk store next to the old one; it is swapped in only when every
check passed, so a failed build leaves the previous store untouched. The graph checked and stored is the
curated Turtle plus its ``rdf:type`` superclass closure (:func:`kg.core.inference.close_types`). The
snapshot is kept in the store folder:
:meth:`OxigraphStore.open` loads it when an in-memory copy pays (see ``docs/PERFORMANCE.md``).

The swap is crash-safe, and a build never replaces what is not a store it made (a file, another folder):
:mod:`kg.build.swap`. Unless forced, a build refuses a graph without curated triples, or one keeping less
than :data:`KEEP_AT_LEAST` of the curated triples of the store it would replace: a wrong or empty
``--triples`` folder must not silently empty the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.build.lint import Finding, lint
from kg.build.swap import build_lock, check_replaceable, staging_folder, switch
from kg.build.validation import Violation, format_violations, store_violations
from kg.core.errors import StoreError, ValidationError, os_reason
from kg.core.inference import close_types
from kg.core.loading import LoadedFiles, load_files, parse_files
from kg.core.locations import Sources
from kg.core.prefixes import PREFIXES
from kg.store.oxigraph_backend import IN_MEMORY_UP_TO, MANIFEST, SNAPSHOT, OxigraphStore, read_manifest

Progress = Callable[[str], None]
# Up to this many triples the on-disk store is written beside the checks (faster); above, after them
# (the in-memory copy is released first, which keeps the peak memory of a 5 M-triple build under 4 GB).
OVERLAP_UP_TO = 2_000_000
# triples: above, the build caches the analyses' projections (kg.analysis.projection) from the graph it
# has in memory, so that the first analysis only reads them; below, that analysis builds them in < 1 s
PROJECT_ABOVE = IN_MEMORY_UP_TO
# Unless forced, a build must keep at least this share of the curated triples of the store it replaces.
KEEP_AT_LEAST = 0.5


@dataclass
class CheckReport:
    parsed: LoadedFiles
    curated: int = 0  # triples the data files add to the ontology's
    findings: list[Finding] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    shacl_engine: str = ""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.violations

    def describe_problems(self) -> str:
        parts = []
        if self.violations:
            parts.append(format_violations(self.violations, self.parsed.defined_in()))
        if self.errors:
            parts.append(f"lint: {len(self.errors)} error(s)\n" + "\n".join(f"  {f}" for f in self.errors))
        return "\n".join(parts)


def _quiet(_: str) -> None:
    pass


def check(store: ox.Store, loaded: LoadedFiles, sources: Sources, progress: Progress = _quiet,
          engine: str = "auto") -> CheckReport:
    """Run the lint and the SHACL shapes on ``store`` (``engine``: :data:`kg.build.validation.ENGINES`)."""
    report = CheckReport(loaded)
    ontology_terms = {t.subject.value for t in parse_files(sources.ontology_files()).all_triples()
                      if isinstance(t.subject, ox.NamedNode)}
    started = time.perf_counter()
    report.findings = lint(store, ontology_terms, loaded.defined_in())
    report.timings["lint"] = time.perf_counter() - started
    progress(f"lint: {len(report.errors)} error(s), {len(report.warnings)} warning(s) "
             f"({report.timings['lint']:.1f} s)")
    started = time.perf_counter()
    report.violations, report.shacl_engine = store_violations(store, sources.shapes, engine)
    report.timings["shacl"] = time.perf_counter() - started
    progress(f"SHACL ({report.shacl_engine}): {len(report.violations)} violation(s) "
             f"({report.timings['shacl']:.1f} s)")
    return report


def _load(store: ox.Store, sources: Sources, progress: Progress) -> tuple[LoadedFiles, int, float]:
    """Load the ontology, then the curated data, and add the rdf:type superclass closure
    (:mod:`kg.core.inference`: the checks, the store and the snapshot all hold the closed graph); return
    what was loaded, how many triples the data added, and the time taken."""
    started = time.perf_counter()
    ontology = load_files(store, sources.ontology_files())
    data = load_files(store, sources.data_files())
    close_types(store)
    loaded = LoadedFiles(ontology.paths + data.paths, len(store))
    elapsed = time.perf_counter() - started
    progress(f"parsed {len(loaded.paths)} files, {data.triples} triples, {len(loaded) - data.triples} "
             f"inferred types ({elapsed:.1f} s)")
    return loaded, data.triples - ontology.triples, elapsed


def _check_size(store_path: Path, sources: Sources, loaded: LoadedFiles, curated: int) -> None:
    """Refuse a graph without curated triples, or one keeping less than :data:`KEEP_AT_LEAST` of the curated
    triples of the store at ``store_path``."""
    force = "build with --force to do it anyway"
    if curated == 0:
        raise ValidationError(f"no curated triples in {sources.triples} (only the {len(loaded)} of the "
                              f"ontology): refusing to build a store without data; {force}")
    previous = read_manifest(store_path)
    if previous is None:
        return
    # manifests before "curated_triples" count the ontology too
    before = previous.get("curated_triples", previous["triples"])
    after = curated if "curated_triples" in previous else len(loaded)
    if isinstance(before, int) and after < KEEP_AT_LEAST * before:
        raise ValidationError(f"the new graph has {after} curated triples, the store at {store_path} has "
                              f"{before}: refusing to replace it with less than {KEEP_AT_LEAST:.0%} of them "
                              f"(is {sources.triples} the right folder?); {force}")


def validate(sources: Sources | None = None, progress: Progress = _quiet,
             engine: str = "auto") -> CheckReport:
    """Load and check the sources in memory, without touching any store. Raises on syntax errors."""
    sources = sources or Sources.default()
    sources.check()
    store = ox.Store()
    loaded, curated, elapsed = _load(store, sources, progress)
    report = check(store, loaded, sources, progress, engine)
    report.curated = curated
    report.timings["load"] = elapsed
    return report


def _write_disk_store(staging: Path, snapshot: bytes) -> float:
    """Bulk-load the snapshot into a new on-disk store at ``staging`` (runs beside the checks)."""
    started = time.perf_counter()
    disk = ox.Store(str(staging))
    disk.bulk_load(snapshot, format=ox.RdfFormat.TURTLE)
    disk.flush()
    del disk
    return time.perf_counter() - started


def _cannot_write(store_path: Path, err: OSError) -> StoreError:
    """The error for a store that cannot be written: disk full, read-only, a file in the way…"""
    return StoreError(f"cannot write the store at {store_path}: {os_reason(err)}; the previous store, if "
                      "any, is unchanged")


def build(store_path: Path, sources: Sources | None = None, progress: Progress = _quiet,
          engine: str = "auto", force: bool = False) -> CheckReport:
    """Build a new store at ``store_path``; on any error the previous store stays as it was. ``force``
    builds even a graph without curated data, or one much smaller than the store it replaces."""
    sources = sources or Sources.default()
    sources.check()
    store_path = Path(store_path)
    try:
        store_path.parent.mkdir(parents=True, exist_ok=True)
        check_replaceable(store_path)
        with build_lock(store_path):
            check_replaceable(store_path)  # again: another build may have run meanwhile
            memory = ox.Store()
            loaded, curated, elapsed = _load(memory, sources, progress)
            if not force:
                _check_size(store_path, sources, loaded, curated)
            started = time.perf_counter()
            snapshot = memory.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(),
                                   prefixes=PREFIXES)
            dumped = time.perf_counter() - started
            staging = staging_folder(store_path)
            try:
                if len(loaded) <= OVERLAP_UP_TO:
                    with ThreadPoolExecutor(max_workers=1) as pool:
                        writing = pool.submit(_write_disk_store, staging, snapshot)
                        report = check(memory, loaded, sources, progress, engine)
                        del memory
                        graphs = _projections(snapshot, loaded, progress) if report.ok else None
                        written = writing.result()
                    progress(f"wrote the on-disk store ({written:.1f} s, beside the checks)")
                else:  # one after the other: the in-memory copy is freed before the on-disk store is written
                    report = check(memory, loaded, sources, progress, engine)
                    del memory
                    written = _write_disk_store(staging, snapshot) if report.ok else 0.0
                    graphs = _projections(snapshot, loaded, progress) if report.ok else None
                    progress(f"wrote the on-disk store ({written:.1f} s)")
                report.curated = curated
                report.timings.update(load=elapsed, snapshot=dumped, disk=written)
                if not report.ok:
                    raise ValidationError(report.describe_problems())
                (staging / SNAPSHOT).write_bytes(snapshot)
                _write_manifest(staging, loaded, curated)
                switch(staging, store_path)
                if graphs is not None:
                    _save_projections(store_path, graphs)
            finally:
                shutil.rmtree(staging, ignore_errors=True)  # gone already if the switch took it
    except OSError as err:  # a full disk, a read-only folder, a file in the way
        raise _cannot_write(store_path, err) from err
    progress(f"store ready at {store_path}")
    return report


def _projections(snapshot: bytes | None, loaded: LoadedFiles, progress: Progress):
    """Both projections of a graph above :data:`PROJECT_ABOVE` triples; None for a smaller one.

    They are built from the snapshot loaded into memory, as an analysis would build them from the new store
    (:meth:`OxigraphStore.bulk_reader`): the same graph in the same order, whether cached or not.
    """
    if snapshot is None or len(loaded) <= PROJECT_ABOVE:
        return None
    from kg.analysis.projection import build_projections

    started = time.perf_counter()
    copy = ox.Store()
    copy.load(snapshot, format=ox.RdfFormat.TURTLE)
    graphs = build_projections(OxigraphStore(copy))
    del copy
    progress(f"projected the graph for the analyses ({time.perf_counter() - started:.1f} s)")
    return graphs


def _save_projections(store_path: Path, graphs) -> None:
    """Cache the projections for the store just switched in at ``store_path``."""
    from kg.analysis.projection import save_projections

    with OxigraphStore.open(store_path, in_memory=False) as built:
        save_projections(built, *graphs)


def _write_manifest(staging: Path, loaded: LoadedFiles, curated: int) -> None:
    files = {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in loaded.paths}
    manifest = {
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "triples": len(loaded),
        "curated_triples": curated,
        "files": files,
        "fingerprint": hashlib.sha256("".join(sorted(files.values())).encode()).hexdigest()[:16],
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
