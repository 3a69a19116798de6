"""How long ``kg curate import`` takes for a large table: synthetic study rows built from the curated
vocabulary, imported into a copy of the data (resolve + write Turtle + the build's validation).

    python -m benchmarks.curate                      # 10,000 rows, 3 runs, medians
    python -m benchmarks.curate --rows 2000 --runs 1

The goal (issue 14) is ≤ 30 s for 10,000 rows. The anchor, timed in the same run, is raw pyoxigraph
loading the Turtle the import wrote (what any tool pays just to read it); the report gives the import's
time as a ratio of it. Rows are synthetic (``Synthetic NP 00001`` …); nothing is written outside the
temporary folder.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.core.loading import load_files
from kg.core.locations import Sources
from kg.core.prefixes import sparql_prologue
from kg.curate.columns import STUDIES
from kg.curate.importing import import_tables
from kg.curate.tables import write_table

COLUMNS = {  # column → (class, how many values at most)
    "carrier_types": ("CarrierType", 2), "cargo": ("Agent", 3), "targets": ("Target", 2),
    "cancer_types": ("CancerType", 2), "metastasis_sites": ("Organ", 2), "mechanisms": ("Mechanism", 3),
    "cascade_steps": ("CascadeStep", 2), "modalities": ("TherapyModality", 2),
    "evidence_level": ("EvidenceLevel", 1),
}


def labels(graph: ox.Store, cls: str) -> list[str]:
    query = (sparql_prologue()
             + f"SELECT DISTINCT ?l WHERE {{ ?n a/rdfs:subClassOf* nmo:{cls} ; rdfs:label ?l }}")
    return sorted(r[0].value for r in graph.query(query))


def synthetic_rows(count: int, seed: int = 14) -> list[dict]:
    """``count`` study rows, each of a new formulation, with names drawn from the curated vocabulary."""
    graph = ox.Store()
    load_files(graph, Sources.default().files())
    names = {column: labels(graph, cls) for column, (cls, _) in COLUMNS.items()}
    rng = random.Random(seed)
    rows = []
    for n in range(1, count + 1):
        row = {column: rng.sample(names[column], rng.randint(1, most))
               for column, (_, most) in COLUMNS.items()}
        source = rng.choice(("CMR2022", "NH2026"))
        row.update(formulation=f"Synthetic NP {n:05d}", source=source, references=[str(rng.randint(1, 250))],
                   note="synthetic row for the benchmark")
        row["section" if source == "CMR2022" else "lines"] = str(rng.randint(1, 8) if source == "CMR2022"
                                                                  else rng.randint(100, 1200))
        rows.append(row)
    return rows


def run_once(table: Path, work: Path) -> dict:
    data = work / "triples"
    shutil.copytree(Sources.default().triples, data)
    started = time.perf_counter()
    report = import_tables([table], Sources.default(triples=data))
    total = time.perf_counter() - started
    store = ox.Store()
    started = time.perf_counter()
    load_files(store, list(report.files))
    anchor = time.perf_counter() - started
    shutil.rmtree(data)
    return {"total": total, "anchor_load": anchor, **report.timings, "triples_written": len(store)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-curate-bench-") as tmp:
        work = Path(tmp)
        table = work / "synthetic.tsv"
        table.write_text(write_table(STUDIES, synthetic_rows(args.rows), "tsv"), encoding="utf-8")
        runs = [run_once(table, work) for _ in range(args.runs)]
    medians = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    medians["ratio_to_anchor"] = medians["total"] / medians["anchor_load"]
    print(json.dumps({"rows": args.rows, "runs": args.runs, "median": medians}, indent=1))
    print(f"{args.rows} rows: import {medians['total']:.1f} s (median of {args.runs}; read "
          f"{medians['read']:.2f}, resolve {medians['resolve']:.1f}, validate {medians['validate']:.1f}, "
          f"write {medians['write']:.2f}); {medians['triples_written']:.0f} triples written; raw pyoxigraph "
          f"loads them in {medians['anchor_load']:.2f} s (×{medians['ratio_to_anchor']:.0f}); goal ≤ 30 s: "
          f"{'met' if medians['total'] <= 30 else 'NOT met'}")


if __name__ == "__main__":
    main()
