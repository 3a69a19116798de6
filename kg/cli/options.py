"""The options every command shares — ``--store``, ``--backend``, ``--endpoint``, ``--debug`` — and the
:class:`Settings` they fill.

Each option is defined once and applied both to the ``kg`` group and to every command, so it works
before or after the command name: ``kg --store S query X`` and ``kg query X --store S`` are the same, and
a value after the command name wins over one before it. The environment gives the defaults
(``NANOMET_KG_STORE``, ``NANOMET_KG_ENDPOINT``). A command that works only on the local files and store
(``build``, ``validate``, ``serve``, ``queries``: :class:`LocalCommand`) refuses ``--backend`` and
``--endpoint`` given on the command line instead of ignoring them.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from kg.core.errors import QueryError
from kg.core.locations import ENDPOINT_ENV, default_store


class Settings:
    """What the shared options (and the environment) decide; every command receives it as ``ctx.obj``."""

    def __init__(self) -> None:
        self.store: Path = default_store()
        self.backend: str | None = None
        self.debug = False
        self.given: set[str] = set()  # the shared options given on the command line
        self._endpoint = os.environ.get(ENDPOINT_ENV) or None

    @property
    def endpoint(self) -> str | None:
        """The SPARQL endpoint, unless a backend other than ``remote`` was chosen."""
        return self._endpoint if self.backend in (None, "remote") else None

    @endpoint.setter
    def endpoint(self, url: str | None) -> None:
        self._endpoint = url

    def open_kg(self, allow_service: bool = False):
        """The :class:`kg.query.handle.KG` these options select (embedded store, rdflib or an endpoint);
        ``allow_service`` lets its queries call other endpoints (``kg sparql --allow-service``)."""
        from kg.query.handle import open as open_kg

        return open_kg(self.store, self.backend, self.endpoint, allow_service=allow_service)


_LARGE_HEAP: list[bool] = []  # not empty once a command holds a projection (see holding_projections)


def holding_projections() -> None:
    """Say that this command has read the projections it analyses (at a million triples, millions of
    objects): :func:`kg.cli.run` then leaves the process without freeing them one by one (the operating
    system takes the memory back at once)."""
    _LARGE_HEAP.append(True)


def holds_projections() -> bool:
    """Whether a command of this process said :func:`holding_projections`."""
    return bool(_LARGE_HEAP)


class LocalCommand(click.Command):
    """A command that reads the local files or store only, so ``--backend`` / ``--endpoint`` do not apply."""


def _remember(ctx: click.Context, param: click.Parameter, value) -> None:
    """Record a shared option given on the command line (before or after the command name) in the
    :class:`Settings`; at the command, refuse ``--backend`` / ``--endpoint`` for a :class:`LocalCommand`."""
    settings = ctx.ensure_object(Settings)
    name = param.name or ""
    if value is not None and value is not False:
        setattr(settings, name, value)
        settings.given.add(name)
    if name in ("backend", "endpoint") and name in settings.given and isinstance(ctx.command, LocalCommand):
        raise QueryError(f"`kg {ctx.info_name}` works on the local files and store only: --{name} does not "
                         "apply to it")


def _shared(*decls: str, **attrs):
    return click.option(*decls, expose_value=False, callback=_remember, **attrs)


STORE = _shared("--store", type=click.Path(path_type=Path), metavar="PATH",
                help="Folder of the embedded store [default: ./.nanomet-kg/store; env NANOMET_KG_STORE].")
BACKEND = _shared("--backend", type=click.Choice(["oxigraph", "rdflib", "remote"]),
                  help="Query backend: the embedded store (oxigraph, default), rdflib parsing the Turtle, "
                       "or a remote SPARQL endpoint (remote, implied by --endpoint).")
ENDPOINT = _shared("--endpoint", metavar="URL",
                   help="SPARQL endpoint for the remote backend [env NANOMET_KG_ENDPOINT].")
DEBUG = _shared("--debug", is_flag=True, default=None, help="Show Python tracebacks.")


def shared_options(command):
    """Apply ``--store``, ``--backend``, ``--endpoint`` and ``--debug`` (to the group or a command)."""
    for option in (DEBUG, ENDPOINT, BACKEND, STORE):
        command = option(command)
    return command
