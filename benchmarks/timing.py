"""Measuring: wall-clock and CPU time, repeated samples with percentiles, time budgets, peak memory.

>>> percentile([5.0, 1.0, 3.0], 50)
3.0
>>> s = Sample(first=2.0, warm=[1.0, 3.0, 2.0])
>>> s.p50, s.p95, s.record()["n"]
(2.0, 2.9, 3)
"""

from __future__ import annotations

import resource
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


class OverBudget(BaseException):
    """A measured step ran past its time budget and was stopped (a BaseException, so that code under
    measurement that catches Exception does not swallow it)."""


def cpu_seconds() -> float:
    """User + system CPU time of this process so far (all threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`OverBudget` inside the block after ``seconds`` (main thread; Python code is stopped
    between bytecodes, so pure-Python work such as rdflib or NetworkX can be cut short)."""
    if not seconds:
        yield
        return

    def stop(signum, frame):
        raise OverBudget(f"over the budget of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Timed:
    """Wall and CPU seconds of one call, and what it returned (or that it ran over budget)."""

    wall: float
    cpu: float
    value: Any = None
    over_budget: bool = False


def timed(call: Callable[[], Any], limit: float | None = None) -> Timed:
    """Run ``call`` once, within ``limit`` seconds if given."""
    started, cpu = time.perf_counter(), cpu_seconds()
    try:
        with budget(limit):
            value = call()
    except OverBudget:
        return Timed(time.perf_counter() - started, cpu_seconds() - cpu, None, True)
    return Timed(time.perf_counter() - started, cpu_seconds() - cpu, value)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile, linear between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Sample:
    """A first (cold) run and warm repeats of one operation, in seconds."""

    first: float
    warm: list[float] = field(default_factory=list)
    over_budget: bool = False
    rows: int | None = None

    @property
    def p50(self) -> float:
        return percentile(self.warm, 50) if self.warm else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.warm, 95) if self.warm else float("nan")

    def record(self) -> dict:
        return {"first": self.first, "p50": self.p50, "p95": self.p95, "n": len(self.warm),
                "over_budget": self.over_budget, "rows": self.rows}


def sample(call: Callable[[], Any], reps: int = 20, seconds: float = 2.0, limit: float | None = None,
           count: Callable[[Any], int] | None = None, min_warm: int = 1) -> Sample:
    """Time a first run, then warm runs: at least ``min_warm``, at most ``reps``, and no more once the
    next would take the warm total past ``seconds``. A run over ``limit`` seconds is stopped and ends the
    sample."""
    first = timed(call, limit)
    result = Sample(first.wall, over_budget=first.over_budget)
    if first.over_budget:
        return result
    result.rows = count(first.value) if count else None
    last = first.wall
    while len(result.warm) < reps and (len(result.warm) < min_warm or sum(result.warm) + last <= seconds):
        run = timed(call, limit)
        if run.over_budget:
            result.over_budget = True
            break
        result.warm.append(run.wall)
        last = run.wall
    return result
