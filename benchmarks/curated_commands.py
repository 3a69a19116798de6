"""The analysis commands on the curated KG, as whole processes, for two versions of the code in one run
(each command once per round, the versions interleaved, so other load falls on both alike; medians).

    python -m benchmarks.curated_commands --work /tmp/curated --code before=/path/to/checkout --code after=.

Each version builds the curated KG into its own store first (its projections and validation cached, as a
user's store would have them after a first analysis).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = {"reach": ["reach"], "hubs": ["hubs"], "gaps": ["gaps"], "paths": ["paths", "Doxil", "CD44"],
            "view": ["view", "--out", "{work}/view-{label}.html"]}


def _kg(code: Path, store: Path, args: list[str]) -> float:
    env = dict(os.environ, PYTHONPATH=str(code))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "--store", str(store), *args], env=env, cwd=code,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="folder for the stores and pages")
    parser.add_argument("--code", action="append", required=True, metavar="LABEL=PATH")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    versions = {label: Path(path).resolve() for label, path in (spec.split("=", 1) for spec in args.code)}
    stores = {label: args.work / f"store-{label}" for label in versions}
    for label, code in versions.items():
        _kg(code, stores[label], ["build"])
        for rest in COMMANDS.values():   # warm the caches
            _kg(code, stores[label], [a.format(work=args.work, label=label) for a in rest])
    times: dict[tuple[str, str], list[float]] = {(v, c): [] for v in versions for c in COMMANDS}
    for _ in range(args.rounds):
        for name, rest in COMMANDS.items():
            for label, code in versions.items():
                command = [a.format(work=args.work, label=label) for a in rest]
                times[(label, name)].append(_kg(code, stores[label], command))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) after: {load}; medians of {args.rounds} rounds, wall-clock\n")
    print("| command | " + " | ".join(versions) + " |")
    print("| --- " * (len(versions) + 1) + "|")
    for name in COMMANDS:
        cells = [f"{statistics.median(times[(label, name)]) * 1000:.0f} ms" for label in versions]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
