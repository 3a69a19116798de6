"""The ``kg`` command line. Each area registers its commands from its own module; heavy libraries are
imported inside the commands so that ``kg --help`` starts fast."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from kg.core.errors import KGError, os_reason


@dataclass
class Settings:
    """What the group-level options decide; passed to commands as ``ctx.obj``."""

    store: Path
    debug: bool = False
    backend: str | None = None
    endpoint: str | None = None

    def open_kg(self):
        """The :class:`kg.query.handle.KG` these options select (embedded store, rdflib or an endpoint)."""
        from kg.query.handle import open as open_kg

        return open_kg(self.store, self.backend, self.endpoint)


class KGGroup(click.Group):
    """Turns :class:`KGError` into a message and exit code (a traceback only with ``--debug``); an
    ``OSError`` no command explained (a file that cannot be read or written) is one line too, exit 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (KGError, OSError) as err:
            if ctx.obj is not None and ctx.obj.debug:
                raise
            if isinstance(err, KGError):
                message, code = str(err), err.exit_code
            else:
                message, code = os_reason(err), 1
            click.echo(f"error: {message}", err=True)
            sys.exit(code)


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", type=click.Path(path_type=Path), envvar="NANOMET_KG_STORE",
              help="Folder of the embedded store [default: ./.nanomet-kg/store; env NANOMET_KG_STORE].")
@click.option("--backend", type=click.Choice(["oxigraph", "rdflib", "remote"]), default=None,
              help="Query backend: the embedded store (oxigraph, default), rdflib parsing the Turtle, "
                   "or a remote SPARQL endpoint (remote, implied by --endpoint).")
@click.option("--endpoint", metavar="URL", envvar="NANOMET_KG_ENDPOINT",
              help="SPARQL endpoint for the remote backend [env NANOMET_KG_ENDPOINT].")
@click.option("--debug", is_flag=True, help="Show Python tracebacks.")
@click.version_option(package_name="nanomet-kg")
@click.pass_context
def main(ctx: click.Context, store: Path | None, backend: str | None, endpoint: str | None,
         debug: bool) -> None:
    """nanomet-kg: a knowledge graph of cancer nanomedicine against metastasis."""
    from kg.core.locations import default_store

    ctx.obj = Settings(store=store or default_store(), debug=debug, backend=backend,
                       endpoint=endpoint if backend in (None, "remote") else None)


def _register() -> None:
    from kg.cli import analysis_cmds, build_cmds, export_cmds, query_cmds, serve_cmds, view_cmds

    for module in (build_cmds, query_cmds, serve_cmds, export_cmds, analysis_cmds, view_cmds):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
