"""The analysis commands as a user runs them, timed as whole processes beside raw pyoxigraph loading the same
triples, for one or more versions of the code in the same run (e.g. this branch and the commit before it).

    python -m benchmarks.commands --triples /tmp/kg-1m --work /tmp/bench \\
        --code after=. --code before=/path/to/other/worktree --out /tmp/bench/commands.md

For each code version: ``kg build`` into its own store, then ``kg reach`` twice (first after the build,
then warm), ``kg hubs`` (twice: default and ``--samples 100``), ``kg gaps``, the whole-graph ``kg view``,
``kg paths`` and ``kg stats``, each a fresh process (wall-clock and peak memory from ``wait4``). The anchor
is raw pyoxigraph loading the ontology and the Turtle files into an in-memory store (the load alone, in a
process of its own, before the first version and after each one; the median of those runs). Writes a
Markdown table with the machine's load averages before and after. ``--huge`` is for 5M triples (see
:data:`HUGE`):

    python -m benchmarks.commands --triples /tmp/kg-5m --work /tmp/bench5m --code after=. --huge \
        --out /tmp/bench5m/commands.md
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.run import machine

ANCHOR = """
import sys, time
from pathlib import Path
import pyoxigraph as ox
files = sorted(Path(sys.argv[1]).glob("*.ttl")) + sorted(Path(sys.argv[2]).rglob("*.ttl"))
store = ox.Store()
started = time.perf_counter()
for path in files:
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
print(time.perf_counter() - started, len(store), file=sys.stderr)
"""

COMMANDS = {  # name → kg arguments after --store
    "reach (first after build)": ["reach"],
    "reach (warm)": ["reach"],
    "hubs": ["hubs"],
    "hubs --samples 100": ["hubs", "--samples", "100"],
    "gaps": ["gaps"],
    "view (whole graph)": ["view", "--out", "{work}/view-{label}.html"],
    "paths": ["paths", "PEGylated liposome", "extravasation"],
    "stats": ["stats"],
}
GOALS = {"reach (first after build)": ("anchor", 2.0), "reach (warm)": ("anchor", 1.0), "hubs": ("s", 20.0),
         "gaps": ("s", 15.0), "view (whole graph)": ("s", 10.0)}
PEAK_GOAL_MB = 1536
TIMEOUT = 120.0  # seconds: a command still running then is stopped and reported as "> TIMEOUT"
# --huge (5M triples): every command may run 30 min and must stay within 4 GB; no time goals, the
# NetworkX-only "hubs --samples 100" is left out (minutes at 1M)
HUGE = {"timeout": 1800.0, "peak_goal_mb": 4096, "skip": ("hubs --samples 100",)}


LIMITS = {"timeout": TIMEOUT, "peak_goal_mb": PEAK_GOAL_MB}


def run(args: list[str], env: dict, cwd: Path | None = None) -> tuple[float, float, int, str]:
    """(wall seconds, peak MB, exit code, stderr) of one process, run in ``cwd`` (``python -m`` imports from
    there first)."""
    started = time.perf_counter()
    with open(os.devnull, "w") as null, subprocess.Popen(args, env=env, stdout=null, stderr=subprocess.PIPE,
                                                         text=True, cwd=cwd) as process:
        timer = threading.Timer(LIMITS["timeout"], process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err = process.stderr.read() if process.stderr else ""
    code, out = process.returncode, ""
    if code:
        print(err[-2000:], file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, code, out + err


def anchor(triples: Path, ontology: Path, env: dict) -> float:
    _, _, _, out = run([sys.executable, "-c", ANCHOR, str(ontology), str(triples)], env)
    print("anchor", out.strip(), file=sys.stderr)
    return float(out.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=Path, required=True, help="folder of synthetic Turtle")
    parser.add_argument("--work", type=Path, required=True, help="folder for the stores")
    parser.add_argument("--code", action="append", required=True, metavar="LABEL=PATH",
                        help="a version of the code (a checkout); repeat to compare")
    parser.add_argument("--extra-path", default="", help="added to PYTHONPATH (e.g. optional packages)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--huge", action="store_true",
                        help="a 5M-triple graph: 30 min per command, 4 GB peak goal, no time goals")
    args = parser.parse_args()
    commands = dict(COMMANDS)
    if args.huge:
        LIMITS.update(timeout=HUGE["timeout"], peak_goal_mb=HUGE["peak_goal_mb"])
        commands = {k: v for k, v in COMMANDS.items() if k not in HUGE["skip"]}
    timeout, peak_goal = LIMITS["timeout"], LIMITS["peak_goal_mb"]
    args.work.mkdir(parents=True, exist_ok=True)
    ontology = Path(__file__).resolve().parent.parent / "ontology"
    before_load = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M")
    base_env = dict(os.environ)
    anchors = [anchor(args.triples, ontology, base_env)]
    results: dict[str, dict[str, tuple[float, float, int, str]]] = {}
    for spec in args.code:
        label, path = spec.split("=", 1)
        paths = (str(Path(path).resolve()), args.extra_path)
        env = dict(base_env, PYTHONPATH=os.pathsep.join(p for p in paths if p))
        store = args.work / f"store-{label}"
        kg = [sys.executable, "-m", "kg", "--store", str(store)]
        found = results[label] = {}
        code = Path(path).resolve()
        found["build"] = run([*kg, "build", "--triples", str(args.triples)], env, code)
        for name, rest in commands.items():
            found[name] = run([*kg, *(a.format(work=args.work, label=label) for a in rest)], env, code)
            print(label, name, f"{found[name][0]:.2f} s", f"{found[name][1]:.0f} MB", file=sys.stderr)
        anchors.append(anchor(args.triples, ontology, base_env))
    load = statistics.median(anchors)
    after_load = os.getloadavg()
    m = machine()
    where = f"{m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM; Python {m['python']}"
    lines = [f"Measured {started} – {time.strftime('%Y-%m-%d %H:%M')} on {where}. Load average (1, 5, 15 "
             f"min) before {', '.join(f'{x:.1f}' for x in before_load)}, after "
             f"{', '.join(f'{x:.1f}' for x in after_load)}. Anchor: raw pyoxigraph loads the same triples "
             f"into memory in {load:.2f} s (runs: {', '.join(f'{a:.2f}' for a in anchors)}).", ""]
    labels = list(results)
    lines.append("| command | " + " | ".join(f"{label}: wall (÷ load) | {label}: peak MB" for label in labels)
                 + " | goal |")
    lines.append("| --- " * (2 * len(labels) + 2) + "|")
    for name in ["build", *commands]:
        cells = []
        for label in labels:
            wall, peak, code, _ = results[label][name]
            if code and wall >= timeout:
                cells += [f"> {timeout:.0f} s (stopped)", f"≥ {peak:.0f}"]
                continue
            failed = " (failed)" if code else ""
            cells += [f"{wall:.2f} s ({wall / load:.1f}×){failed}", f"{peak:.0f}"]
        goal = None if args.huge else GOALS.get(name)
        text = "" if goal is None else (f"≤ {goal[1]:g}× load" if goal[0] == "anchor" else f"≤ {goal[1]:g} s")
        if goal is not None or (args.huge and name != "build"):
            wall, peak, code, _ = results[labels[0]][name]
            value = 0.0 if goal is None else wall / load if goal[0] == "anchor" else wall
            met = not code and (goal is None or value <= goal[1]) and peak <= peak_goal
            text += f"{', ' if text else ''}≤ {peak_goal / 1024:g} GB: {'met' if met else '**missed**'} " \
                    f"({labels[0]})"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {text} |")
    said = results[labels[0]]["hubs"][3].splitlines()
    hubs_note = [line for line in said if line.startswith("betweenness:")]
    if hubs_note:
        lines += ["", f"`kg hubs` ({labels[0]}) said: {hubs_note[0]}"]
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
