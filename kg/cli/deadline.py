"""A time limit for the query commands.

pyoxigraph evaluates a query in Rust with the GIL released, and nothing from Python can interrupt it.
So the work runs in a daemon thread while the command waits; past the limit the command reports a
:class:`QueryTimeout`, and the query ends with the process (commands are one-shot). A side benefit:
Ctrl-C stops a long query at once, where it used to wait for the engine.

>>> within(5, lambda: 6 * 7)
42
>>> import time
>>> within(0.05, lambda: time.sleep(1))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.core.errors.QueryTimeout: the query ran longer than 0.05 s and was stopped; allow more with --timeout ...
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from kg.core.errors import QueryTimeout

T = TypeVar("T")


def within(seconds: float, work: Callable[[], T]) -> T:
    """The result of ``work()``, or :class:`QueryTimeout` after ``seconds`` (0: wait as long as it takes)."""
    done: list[T] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as err:  # handed to the waiting thread, which raises it
            failed.append(err)

    worker = threading.Thread(target=run, name="kg-query", daemon=True)
    worker.start()
    worker.join(seconds or None)
    if worker.is_alive():
        raise QueryTimeout(f"the query ran longer than {seconds:g} s and was stopped; allow more with "
                           "--timeout SECONDS (0: no limit)")
    if failed:
        raise failed[0]
    return done[0]
