"""`kg serve`: a read-only SPARQL 1.1 endpoint over a graph file or build directory."""

from __future__ import annotations

import click


@click.command("serve")
@click.argument("graph", type=click.Path(exists=True), metavar="GRAPH")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (loopback by default).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="TCP port (0: any free port).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1), help="Largest result (rows or triples) sent back.")
@click.option("--max-body", default=1_000_000, show_default=True, type=click.IntRange(min=1024), help="Largest request body or query, in bytes.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1), help="Query worker processes.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False), default=None,
              help="Keep the Oxigraph copy of GRAPH in this directory and reuse it next time (default: a temporary one).")
@click.option("--allow-service", is_flag=True, help="Let SERVICE clauses make the server fetch from other SPARQL endpoints (refused by default).")
def command(graph, host, port, timeout, max_rows, max_body, workers, store_dir, allow_service):
    """Serve GRAPH (an RDF file or a `kg build` directory) as a read-only SPARQL endpoint.

    Query it at http://HOST:PORT/sparql with any SPARQL 1.1 client, or open
    http://HOST:PORT/ in a browser. Updates are refused; a query past --timeout is
    stopped and answered with 503 while other queries go on.
    """
    from kg.sparql.server import Limits, serve

    if host not in ("127.0.0.1", "::1", "localhost"):
        click.echo(f"kg: serving on {host}: anyone who can reach it can query the graph", err=True)
    limits = Limits(timeout=timeout, max_rows=max_rows, max_body=max_body, workers=workers, allow_service=allow_service)
    serve(graph, host=host, port=port, limits=limits, store_dir=store_dir,
          on_ready=lambda url: click.echo(f"kg: SPARQL endpoint at {url} (query page at {url[:-len('sparql')]}); Ctrl-C stops", err=True))
