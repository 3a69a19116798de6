"""``kg build`` / ``kg validate``: parse, check (SHACL + lint) and load the graph into the embedded store.

A build writes a new store next to the old one and swaps it in only when every check passed, so a
failed build leaves the previous store untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError, ValidationError
from kg.lint import Finding, lint
from kg.locations import Sources
from kg.loading import ParsedFiles, parse_files, to_rdflib
from kg.store.oxigraph_backend import MANIFEST, OxigraphStore
from kg.validation import Violation, format_violations, shacl_violations

Progress = Callable[[str], None]


@dataclass
class CheckReport:
    parsed: ParsedFiles
    findings: list[Finding] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

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


def check(parsed: ParsedFiles, store: OxigraphStore, sources: Sources, progress: Progress = _quiet) -> CheckReport:
    """Run lint (SPARQL over ``store``) and SHACL (pyshacl over an rdflib copy) on parsed files."""
    report = CheckReport(parsed)
    onto_files = set(sources.ontology_files())
    onto_triples = [t for p, ts in parsed.triples.items() if p in onto_files for t in ts]
    started = time.perf_counter()
    report.findings = lint(store.raw, onto_triples, parsed.all_triples(), parsed.defined_in())
    report.timings["lint"] = time.perf_counter() - started
    progress(f"lint: {len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    started = time.perf_counter()
    report.violations = shacl_violations(to_rdflib(parsed.all_triples()), sources.shapes)
    report.timings["shacl"] = time.perf_counter() - started
    progress(f"SHACL: {len(report.violations)} violation(s) ({report.timings['shacl']:.1f} s)")
    return report


def _parse(sources: Sources, progress: Progress) -> ParsedFiles:
    files = sources.files()
    started = time.perf_counter()
    parsed = parse_files(files)
    progress(f"parsed {len(files)} files, {len(parsed)} triples ({time.perf_counter() - started:.1f} s)")
    return parsed


def validate(sources: Sources | None = None, progress: Progress = _quiet) -> CheckReport:
    """Parse and check the sources without touching any store. Raises on syntax errors."""
    sources = sources or Sources.default()
    parsed = _parse(sources, progress)
    return check(parsed, OxigraphStore.in_memory(parsed.all_triples()), sources, progress)


def build(store_path: Path, sources: Sources | None = None, progress: Progress = _quiet) -> CheckReport:
    """Build a new store at ``store_path``; on any error the previous store stays as it was."""
    sources = sources or Sources.default()
    store_path = Path(store_path)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    parsed = _parse(sources, progress)
    staging = Path(tempfile.mkdtemp(prefix=f".{store_path.name}.building-", dir=store_path.parent))
    try:
        raw = ox.Store(str(staging))
        started = time.perf_counter()
        raw.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in parsed.all_triples())
        progress(f"loaded into a new store ({time.perf_counter() - started:.1f} s)")
        report = check(parsed, OxigraphStore(raw, staging), sources, progress)
        if not report.ok:
            raise ValidationError(report.describe_problems())
        _write_manifest(staging, parsed, len(raw))
        raw.flush()
        del raw
        _swap(staging, store_path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    progress(f"store ready at {store_path}")
    return report


def _write_manifest(staging: Path, parsed: ParsedFiles, triples: int) -> None:
    files = {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in parsed.triples}
    manifest = {
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "triples": triples,
        "files": files,
        "fingerprint": hashlib.sha256("".join(sorted(files.values())).encode()).hexdigest()[:16],
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))


def _swap(staging: Path, target: Path) -> None:
    """Put the staged store in place of the old one (two renames; the old store is removed last)."""
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent)) / "store"
    try:
        if target.exists():
            target.rename(old)
        staging.rename(target)
    except OSError as err:
        if old.exists() and not target.exists():
            old.rename(target)
        raise StoreError(f"could not replace the store at {target}: {err}") from err
    shutil.rmtree(old.parent, ignore_errors=True)
