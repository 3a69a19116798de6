"""A query worker process (``python -m kg.server.worker STORE MAX_ROWS [auto|memory|disk]``), started by
:class:`kg.server.executor.QueryExecutor`: it opens the built store read-only (in memory or on disk, see
:meth:`kg.store.oxigraph_backend.OxigraphStore.open`), sends ``"ready"``, then answers
:class:`kg.server.protocol.Request` messages on stdin with :class:`kg.server.protocol.Answer` objects on
stdout (``multiprocessing.connection`` framing) until stdin closes."""

from __future__ import annotations

import os
import sys
from multiprocessing.connection import Connection


def main(argv: list[str] | None = None) -> None:
    from pathlib import Path

    from kg.server.executor import READY
    from kg.server.protocol import evaluate
    from kg.store.oxigraph_backend import OxigraphStore

    store_path, max_rows, *layout = argv or sys.argv[1:]
    in_memory = {"memory": True, "disk": False}.get(layout[0] if layout else "auto")
    requests = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # anything printed goes to stderr, never into the answer channel
    store = OxigraphStore.open(Path(store_path), in_memory).raw
    answers.send(READY)
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):
            return
        answers.send(evaluate(store, request, max_rows=int(max_rows)))


if __name__ == "__main__":
    main()
