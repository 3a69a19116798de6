"""The ``kg`` command line.

Commands live in ``kg/cli/*_cmds.py`` and are imported only when they run (:class:`KGGroup`): ``kg query``
loads the query commands and nothing of the analyses, views or server, and ``kg --help`` lists every
command from :data:`COMMANDS` without importing any. Heavy libraries are imported inside the commands.
"""

from __future__ import annotations

import os
import sys

import click

from kg.cli.options import LocalCommand, Settings, holds_projections, shared_options
from kg.core.errors import KGError, os_reason

__all__ = ["COMMANDS", "KGGroup", "LocalCommand", "Settings", "main", "run", "short_help"]

# name: ("module:attribute", the short help that `kg --help` shows; tests check it against the command)
COMMANDS = {
    "build": ("kg.cli.build_cmds:build",
              "Parse, validate and load the curated Turtle into the embedded store."),
    "validate": ("kg.cli.build_cmds:validate",
                 "Run the SHACL shapes and the lint on the sources without building."),
    "stats": ("kg.cli.build_cmds:stats",
              "Summarise the graph: triples, nodes per class, studies per source (of the built store, "
              "or of the --backend / --endpoint chosen)."),
    "queries": ("kg.cli.query_cmds:queries",
                "List the named queries, or show one (parameters and SPARQL) with NAME."),
    "query": ("kg.cli.query_cmds:query",
              "Run the named query NAME (see `kg queries`)."),
    "sparql": ("kg.cli.query_cmds:sparql",
               "Run a free SPARQL query (TEXT, or --file); the project prefixes "
               "(nmo:, target:, …) are predefined."),
    "serve": ("kg.cli.serve_cmds:serve",
              "Serve the built store: the explorer at / (entity pages at each IRI's path, search, "
              "overviews, questions), a read-only SPARQL 1.1 endpoint at /sparql and a query page at "
              "/query."),
    "export": ("kg.cli.export_cmds:export",
               "Export the whole graph, deterministically (sorted, stable blank-node labels): "
               "diffs stay readable."),
    "push": ("kg.cli.export_cmds:push",
             "Load the graph into a SPARQL 1.1 Graph Store "
             "(e.g. http://127.0.0.1:7878/store of `oxigraph serve`)."),
    "paths": ("kg.cli.analysis_cmds:paths",
              "Shortest and all simple paths between two named entities, "
              "each hop with its statements' sources."),
    "reach": ("kg.cli.analysis_cmds:reach",
              "Which X reach which Y: a matrix of supporting formulations/studies "
              "and the best evidence per cell."),
    "hubs": ("kg.cli.analysis_cmds:hubs",
             "Degree, betweenness and PageRank per node (studies folded into formulation links)."),
    "gaps": ("kg.cli.analysis_cmds:gaps",
             "White space, weak evidence, unaddressed biology "
             "and validated carrier family → step hypotheses."),
    "find": ("kg.cli.find_cmds:find",
             "Find formulations by any combination of axes, without SPARQL."),
    "view": ("kg.cli.view_cmds:view",
             "Write an interactive HTML view: one file that works offline."),
    "curate": ("kg.cli.curate_cmds:curate",
               "Add studies from tables (TSV, CSV, YAML) instead of Turtle, and export the graph's studies "
               "as one."),
}


def short_help(name: str, limit: int) -> str:
    """The short help of a command in ``kg --help``, shortened as click shortens the command's own."""
    return click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit)


class KGGroup(click.Group):
    """Loads a command's module when the command is used, and turns :class:`KGError` into a message and
    exit code (a traceback only with ``--debug``); an ``OSError`` no command explained (a file that cannot
    be read or written) is one line too, exit 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name][0].split(":")
        # __import__ rather than importlib.import_module: `python -X importtime` times only this way
        return getattr(__import__(module, fromlist=[attribute]), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``kg --help``, from :data:`COMMANDS` (no command module is imported)."""
        limit = formatter.width - 6 - max(map(len, COMMANDS))
        with formatter.section("Commands"):
            formatter.write_dl([(name, short_help(name, limit)) for name in self.list_commands(ctx)])

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
@shared_options
@click.version_option(package_name="nanomet-kg")
@click.pass_context
def main(ctx: click.Context) -> None:
    """nanomet-kg: a knowledge graph of cancer nanomedicine against metastasis.

    --store, --backend, --endpoint and --debug work before or after the command name.
    """
    ctx.ensure_object(Settings)


def run() -> None:
    """The ``kg`` program (and ``python -m kg``): :func:`main`. After a command that read projections
    (:func:`kg.cli.options.holding_projections`) the process ends without tearing its heap down object by
    object — 15 s for the two projections of a million triples, longer than most analyses — once the
    output is flushed; the exit status is the command's."""
    try:
        main()
    except SystemExit as done:
        if not holds_projections():
            raise
        code = done.code
        if not isinstance(code, int):   # as Python's own exit: None is success, a message goes to stderr
            if code is not None:
                print(code, file=sys.stderr)
            code = 0 if code is None else 1
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):   # a closed pipe (`kg reach | head`): nothing more to say
                pass
        os._exit(code)
