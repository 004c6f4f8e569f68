"""`kg export`: write the graph in another format (RDF, GraphML/GEXF, Neo4j CSV)."""

from __future__ import annotations

import sys

import click

from kg.export.registry import format_names


@click.command("export")
@click.argument("graph", type=click.Path(exists=True))
@click.option("-f", "--format", "format_", required=True, type=click.Choice(format_names()), help="Output format.")
@click.option("-o", "--out", default=None, help="Output file (a directory for neo4j); - for stdout. Default: beside GRAPH.")
@click.pass_context
def command(ctx, graph, format_, out):
    """Export GRAPH (an RDF file or a build directory) as --format.

    RDF formats keep every triple (nquads, trig and jsonld keep the named graphs);
    graphml and gexf hold the co-mention network; neo4j writes a directory of CSV
    files and the neo4j-admin command that imports them (import.sh).
    """
    from kg.export import default_output, export, get_exporter

    exporter = get_exporter(format_)
    if out == "-":
        if exporter.writes_directory:
            raise click.BadParameter(f"format {format_} writes a directory, not a stream", param_hint="--out")
        export(graph, format=format_, out=sys.stdout.buffer)
        return
    target = out if out is not None else default_output(exporter, graph)
    written = export(graph, format=format_, out=target)
    if not (ctx.obj and ctx.obj.get("quiet")):
        click.echo(f"kg: wrote {written}", err=True)
