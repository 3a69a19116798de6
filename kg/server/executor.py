"""Queries run in worker processes, so that a query over its time limit can really be stopped.

Each worker (:mod:`kg.server.worker`, a plain ``python -m`` subprocess) opens the built store read-only
once, says it is ready, and answers one query at a time. :class:`ExecutorStore` is the store as seen
through the workers, for the server's own APIs (``/api/find``, ``/api/complete``, ``/api/bind``). Two
lanes of workers:

- **general**: ``Limits.workers`` processes; a query there may run for the full ``Limits.timeout``.
  A query over it gets its worker killed and replaced; the client gets a 503.
- **fast lane**: ``Limits.fast_workers`` more processes, used when every general worker is busy. A
  query there gets ``Limits.fast_seconds``; one that needs longer is stopped (its worker is replaced)
  and waits for a general worker instead, with what is left of its time limit. So cheap queries (an
  ``ASK {}``, a page's lookup) are answered at once even while long ones fill the general lane.

Replacement workers start in the background and take queries once they have opened the store. Fast-lane
workers open the store as ``auto`` decides (in memory only while that is cheap) unless ``in_memory`` is
False, so that replacing one never costs a large load.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from kg.core.errors import QueryError, StoreError
from kg.server.protocol import Answer, Request
from kg.store.protocol import ProtocolStore

PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder that holds the kg package
READY = "ready"
GENERAL, FAST = "general", "fast"


@dataclass(frozen=True)
class Limits:
    """What one query may cost: seconds, result rows (or triples), queries running at once in the
    general lane, and the fast lane's workers and seconds."""

    timeout: float = 30.0
    max_rows: int = 10_000
    workers: int = 2
    fast_workers: int = 2
    fast_seconds: float = 0.25


class _Worker:
    """One worker subprocess and the two ends of its channel."""

    def __init__(self, store_path: Path, max_rows: int, layout: str = "auto"):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        command = [sys.executable, "-m", "kg.server.worker", str(Path(store_path).resolve()), str(max_rows),
                   layout]
        # run from the package's own folder: ``-m`` puts the working directory first on sys.path, and
        # another ``kg`` folder there would be imported instead of this one
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                        cwd=PACKAGE_ROOT)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()

    def ready(self, timeout: float) -> bool:
        """Wait for the worker to have opened the store."""
        try:
            return self.answers.poll(timeout) and self.answers.recv() == READY
        except (EOFError, OSError):
            return False

    def stop(self) -> None:
        self.requests.close()
        try:
            self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            self.kill()
        self.answers.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        self.requests.close()
        self.answers.close()


class QueryExecutor:
    """Two lanes of query worker processes over one built store."""

    def __init__(self, store_path: Path, limits: Limits | None = None, in_memory: bool | None = None):
        """``in_memory``: general workers load the graph into memory (True), query the on-disk store
        (False), or decide by size (None: :meth:`kg.store.oxigraph_backend.OxigraphStore.open`)."""
        self.store_path = Path(store_path)
        self.limits = limits or Limits()
        self.layouts = {GENERAL: {True: "memory", False: "disk"}.get(in_memory, "auto"),
                        FAST: "disk" if in_memory is False else "auto"}
        self._cond = threading.Condition()
        self._idle: dict[str, list[_Worker]] = {GENERAL: [], FAST: []}
        self._workers: list[_Worker] = []  # every running worker, in the order they started
        self._closed = False
        for lane, count in ((GENERAL, max(1, self.limits.workers)), (FAST, max(0, self.limits.fast_workers))):
            for _ in range(count):
                self._start(lane)

    # ---------------------------------------------------------------- workers

    def _start(self, lane: str) -> None:
        """Start a worker for ``lane`` in the background; it joins the lane once it is ready."""
        threading.Thread(target=self._boot, args=(lane,), daemon=True, name=f"kg-worker-{lane}").start()

    def _boot(self, lane: str) -> None:
        try:
            worker = _Worker(self.store_path, self.limits.max_rows, self.layouts[lane])
        except OSError as err:
            print(f"kg serve: cannot start a query worker: {err}", file=sys.stderr)
            return
        if not worker.ready(timeout=max(60.0, self.limits.timeout)):
            print(f"kg serve: a query worker could not open {self.store_path}", file=sys.stderr)
            worker.kill()
            return
        with self._cond:
            if self._closed:
                worker.stop()
                return
            self._workers.append(worker)
            self._idle[lane].append(worker)
            self._cond.notify_all()

    def _acquire(self, deadline: float, lanes: tuple[str, ...]) -> tuple[_Worker, str] | None:
        with self._cond:
            while True:
                for lane in lanes:
                    if self._idle[lane]:
                        return self._idle[lane].pop(), lane
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    return None
                self._cond.wait(remaining)

    def _release(self, worker: _Worker, lane: str) -> None:
        with self._cond:
            self._idle[lane].append(worker)
            self._cond.notify_all()

    def _replace(self, worker: _Worker, lane: str) -> None:
        worker.kill()
        with self._cond:
            if worker in self._workers:
                self._workers.remove(worker)
            closed = self._closed
        if not closed:
            self._start(lane)

    def ready(self, timeout: float = 30.0) -> bool:
        """Wait until every worker has started (for tests and benchmarks)."""
        deadline = time.monotonic() + timeout
        wanted = max(1, self.limits.workers) + max(0, self.limits.fast_workers)
        with self._cond:
            while sum(len(idle) for idle in self._idle.values()) < wanted:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    # ---------------------------------------------------------------- queries

    def run(self, request: Request | str, accept: str = "", explicit_format: str = "") -> Answer:
        """Answer one query within the time limit (general lane first, else the fast lane); ``request``
        is a :class:`Request`, or the query text with ``accept`` and ``explicit_format``."""
        if isinstance(request, str):
            request = Request(request, accept, explicit_format)
        timeout = self.limits.timeout
        deadline = time.monotonic() + timeout
        lanes: tuple[str, ...] = (GENERAL, FAST) if self.limits.fast_workers else (GENERAL,)
        while True:
            got = self._acquire(deadline, lanes)
            if got is None:
                return Answer.error(503, f"all {self.limits.workers} query workers stayed busy for "
                                         f"{timeout:g} s; try again later")
            worker, lane = got
            budget = deadline - time.monotonic()
            if lane == FAST:
                budget = min(budget, self.limits.fast_seconds)
            try:
                worker.requests.send(request)
                if worker.answers.poll(max(budget, 0.0)):
                    answer = worker.answers.recv()
                    self._release(worker, lane)
                    return answer
            except (EOFError, OSError):
                self._replace(worker, lane)
                return Answer.error(500, "the query worker failed; the query was not answered")
            self._replace(worker, lane)
            if lane == FAST and time.monotonic() < deadline:
                lanes = (GENERAL,)  # too slow for the fast lane: wait for a general worker
                continue
            return Answer.error(503, f"the query ran longer than the server's time limit of {timeout:g} s "
                                     "and was stopped (kg serve --timeout)")

    def close(self) -> None:
        """Stop every worker."""
        with self._cond:
            self._closed = True
            workers, self._workers = self._workers, []
            self._idle = {GENERAL: [], FAST: []}
            self._cond.notify_all()
        for worker in workers:
            worker.stop()


class ExecutorStore(ProtocolStore):
    """The built store as seen through the server's query workers: the time limit and row cap hold."""

    name = "kg serve"

    def __init__(self, executor: QueryExecutor):
        self.executor = executor

    def _fetch(self, query: str, accept: str) -> bytes:
        answer = self.executor.run(query, accept)
        if answer.status != 200:
            kind = QueryError if 400 <= answer.status < 500 else StoreError
            raise kind(answer.body.decode("utf-8", "replace").strip())
        return answer.body
