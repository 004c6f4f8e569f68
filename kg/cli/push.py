"""`kg push`: load the graph into a SPARQL store over the standard protocols."""

from __future__ import annotations

from pathlib import Path

import click

from kg.push.profiles import PROFILES
from kg.push.protocols import PROTOCOLS


@click.command("push")
@click.argument("graph", type=click.Path(exists=True))
@click.option("--endpoint", required=True, metavar="URL", help="Store URL (see --store for what it points at).")
@click.option("--store", type=click.Choice(sorted(PROFILES)), default="generic", show_default=True,
              help="Store profile: endpoint paths below URL; generic uses URL itself.")
@click.option("--protocol", type=click.Choice(PROTOCOLS), default="update", show_default=True,
              help="gsp: Graph Store HTTP Protocol; update: SPARQL 1.1 Update INSERT DATA.")
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(min=1), help="Triples per request.")
@click.option("--user", default=None, help="User for HTTP authentication (basic; digest for Virtuoso).")
@click.option("--password", default=None, envvar="KG_PUSH_PASSWORD", help="Password (or set KG_PUSH_PASSWORD).")
@click.option("--replace", is_flag=True, help="Empty each graph before loading it (default: add to it).")
@click.option("--journal", type=click.Path(dir_okay=False), default=None,
              help="Resume journal (default: GRAPH's file with .push.jsonl added).")
@click.option("--concurrency", default=2, show_default=True, type=click.IntRange(min=1), help="Requests in flight at once.")
@click.option("--retries", default=5, show_default=True, type=click.IntRange(min=0), help="Retries per request on connection errors and 5xx.")
@click.option("--no-verify", is_flag=True, help="Skip the triple-count check after loading.")
@click.pass_context
def command(ctx, graph, endpoint, store, protocol, batch_size, user, password, replace, journal, concurrency, retries, no_verify):
    """Load GRAPH (an RDF file or a build directory) into the store at --endpoint.

    Each named graph is sent in batches; a failed push says which batches landed, and
    running the same command again resumes without sending them twice.
    """
    from kg.graphfile import resolve_graph_path
    from kg.push import PushError, push

    source = resolve_graph_path(graph)
    journal_path = Path(journal) if journal else source.with_name(source.name + ".push.jsonl")
    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    try:
        report = push(
            source,
            endpoint=endpoint,
            protocol=protocol,
            store=store,
            batch_size=batch_size,
            user=user,
            password=password,
            replace=replace,
            journal=journal_path,
            verify=not no_verify,
            concurrency=concurrency,
            retries=retries,
            progress=not quiet,
        )
    except PushError as error:
        raise click.ClickException(str(error)) from None
    if not quiet:
        click.echo(f"kg: {report.summary()}", err=True)
