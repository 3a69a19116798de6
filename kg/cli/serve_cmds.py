"""``kg serve``: the read-only SPARQL endpoint and query page over the built store."""

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
              help="Queries that may run at once (one process each).")
@click.option("--in-memory/--on-disk", "in_memory", default=None,
              help="Workers load the graph into memory (fastest queries; ~750 bytes per triple per worker) "
                   "or query the on-disk store. Default: in memory up to 200,000 triples.")
@click.option("--quiet", is_flag=True, help="Do not log requests.")
@shared_options
@click.pass_obj
def serve(settings, host: str, port: int, timeout: float, max_rows: int, workers: int, in_memory: bool | None,
          quiet: bool) -> None:
    """Serve the built store as a read-only SPARQL 1.1 endpoint at /sparql, with a query page at /.

    GET and POST (form or application/sparql-query); results as JSON, XML, CSV or TSV (Accept header
    or format=…), graphs as Turtle, N-Triples, RDF/XML or JSON-LD. Updates are refused.
    """
    import signal

    from kg.server.app import make_server
    from kg.server.executor import Limits

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)

    server = make_server(settings.store, host, port, Limits(timeout, max_rows, workers), quiet, in_memory)
    click.echo(f"serving {settings.store}\n  query page:      {server.url}/\n"
               f"  SPARQL endpoint: {server.url}/sparql\n"
               f"  limits: {timeout:g} s per query, {max_rows} rows, {workers} at once; Ctrl-C stops",
               err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        server.server_close()

