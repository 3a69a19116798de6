"""``kg serve``: the explorer (entity pages, search, overviews) and the read-only SPARQL endpoint."""

from __future__ import annotations

import click

from kg.cli.options import LocalCommand, shared_options


@click.command(cls=LocalCommand)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 exposes the endpoint to the network).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port (0: any free port).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a query may run before it is stopped (HTTP 503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Largest result (rows, or triples for CONSTRUCT) the endpoint returns (HTTP 413 above).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Queries that may run at once for up to --timeout (one process each); two more "
                   "processes answer short queries while these are busy.")
@click.option("--in-memory/--on-disk", "in_memory", default=None,
              help="The server and its query workers load the graph into memory (fastest pages and queries; "
                   "~750 bytes per triple per process) or query the on-disk store. Default: in memory up to "
                   "200,000 triples.")
@click.option("--quiet", is_flag=True, help="Do not log requests.")
@shared_options
@click.pass_obj
def serve(settings, host: str, port: int, timeout: float, max_rows: int, workers: int, in_memory: bool | None,
          quiet: bool) -> None:
    """Serve the built store: the explorer at / (entity pages at each IRI's path, search, overviews,
    questions), a read-only SPARQL 1.1 endpoint at /sparql and a query page at /query.

    GET and POST (form or application/sparql-query); results as JSON, XML, CSV or TSV (Accept header
    or format=…), graphs as Turtle, N-Triples, RDF/XML or JSON-LD. Updates are refused.
    """
    import signal

    from kg.server.app import make_server
    from kg.server.executor import Limits

    def stop(signum, frame):
        raise KeyboardInterrupt

    # uvicorn stops gracefully on SIGTERM, then raises it again: as Ctrl-C, so that the workers are closed
    signal.signal(signal.SIGTERM, stop)
    server = make_server(settings.store, host, port, Limits(timeout, max_rows, workers), quiet, in_memory,
                         warm=True)
    click.echo(f"serving {settings.store}\n  explorer:        {server.url}/\n"
               f"  SPARQL endpoint: {server.url}/sparql (query page: {server.url}/query)\n"
               f"  limits: {timeout:g} s per query, {max_rows} rows, {workers} at once; Ctrl-C stops",
               err=True)
    try:
        server.serve_forever()  # until Ctrl-C or SIGTERM (uvicorn stops gracefully on both)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    click.echo("stopped", err=True)

