"""Queries run in worker processes, so that a query over its time limit can really be stopped.

Each worker (:mod:`kg.server.worker`, a plain ``python -m`` subprocess) opens the built store read-only
once and answers one query at a time. A query that runs past the timeout gets its worker killed and
replaced; the client gets a 503. At most ``workers`` queries run at once; further requests wait (up to
the timeout) for a free worker. :class:`ExecutorStore` is the store as seen through the workers, for the
server's own APIs (``/api/find``, ``/api/complete``, ``/api/bind``).
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import QueryError, StoreError
from kg.server.protocol import Answer
from kg.store.base import Store, solution_rows

PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder that holds the kg package


@dataclass(frozen=True)
class Limits:
    """What one query may cost: seconds, result rows (or triples), and queries running at once."""

    timeout: float = 30.0
    max_rows: int = 10_000
    workers: int = 2


class _Worker:
    """One worker subprocess and the two ends of its channel."""

    def __init__(self, store_path: Path, max_rows: int, layout: str = "auto"):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        command = [sys.executable, "-m", "kg.server.worker", str(store_path), str(max_rows), layout]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()

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


class QueryExecutor:
    """A small pool of query worker processes over one built store."""

    def __init__(self, store_path: Path, limits: Limits | None = None, in_memory: bool | None = None):
        """``in_memory``: workers load the graph into memory (True), query the on-disk store (False), or
        decide by size (None: :meth:`kg.store.oxigraph_backend.OxigraphStore.open`)."""
        self.store_path = Path(store_path)
        self.layout = {True: "memory", False: "disk"}.get(in_memory, "auto")
        self.limits = limits or Limits()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        for _ in range(max(1, self.limits.workers)):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store_path, self.limits.max_rows, self.layout)
        with self._lock:
            self._workers.append(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        worker.requests.close()
        worker.answers.close()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
        self._idle.put(self._spawn())

    def run(self, query: str, accept: str = "", explicit_format: str = "") -> Answer:
        """Answer one query within the time limit."""
        timeout = self.limits.timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return Answer.error(503, f"all {self.limits.workers} query workers stayed busy for "
                                     f"{timeout:g} s; try again later")
        try:
            worker.requests.send((query, accept, explicit_format))
            if worker.answers.poll(timeout):
                answer = worker.answers.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError):
            self._replace(worker)
            return Answer.error(500, "the query worker failed; the query was not answered")
        self._replace(worker)
        return Answer.error(503, f"the query ran longer than the server's time limit of {timeout:g} s "
                                 "and was stopped (kg serve --timeout)")

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()


class ExecutorStore(Store):
    """The built store as seen through the server's query workers: the time limit and row cap hold."""

    name = "kg serve"

    def __init__(self, executor: QueryExecutor):
        self.executor = executor

    def _answer(self, query: str, accept: str) -> bytes:
        answer = self.executor.run(query, accept)
        if answer.status != 200:
            kind = QueryError if 400 <= answer.status < 500 else StoreError
            raise kind(answer.body.decode("utf-8", "replace").strip())
        return answer.body

    def _results(self, query: str):
        data = self._answer(query, "application/sparql-results+json")
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)

    def _select(self, query):
        result = self._results(query)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        return solution_rows(result)

    def _ask(self, query):
        result = self._results(query)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(result)

    def _construct(self, query):
        data = self._answer(query, "application/n-triples")
        return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
