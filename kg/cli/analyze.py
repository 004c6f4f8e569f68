"""`kg analyze`: central concepts, co-mention links, communities and trends of a graph."""

from __future__ import annotations

import click


@click.command("analyze")
@click.argument("graph", type=click.Path(exists=True), metavar="GRAPH")
@click.option("-o", "--out", type=click.Path(file_okay=False), default=None,
              help="Directory for report.md, analytics.json, the CSV files and analytics.ttl "
                   "[default: GRAPH itself when it is a build directory, else kg-analytics].")
@click.option("--seed", default=0, show_default=True, help="Seed of betweenness sampling and Louvain.")
@click.option("--min-support", default=1, show_default=True, type=click.IntRange(min=1),
              help="Leave out co-mention links seen in fewer papers.")
@click.option("--npmi-min-support", default=3, show_default=True, type=click.IntRange(min=1),
              help="Least number of papers of a link ranked by NPMI.")
@click.option("--backend", type=click.Choice(["auto", "networkx", "igraph"]), default="auto", show_default=True,
              help="Library of the heavy algorithms; auto picks igraph on large graphs.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=0),
              help="How many concepts and links to print.")
@click.pass_context
def command(ctx, graph, out, seed, min_support, npmi_min_support, backend, top):
    """Rank the central concepts and co-mention links of GRAPH (an RDF file or a `kg build`
    directory), find its communities and trends, and write them into --out.

    \b
    Examples:
      kg analyze kg-out
      kg analyze graph.ttl --out analytics/ --seed 1
    """
    from pathlib import Path

    from rdflib.namespace import RDF

    from kg.analytics import run_analytics
    from kg.graphfile import load_graph, resolve_graph_path
    from kg.vocab import KG

    try:
        source = resolve_graph_path(graph)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from error
    try:
        rdf = load_graph(source)
    except Exception as error:  # rdflib raises parser-specific types; all mean a bad file
        raise click.ClickException(f"{source}: cannot read the graph: {error}") from error
    if (None, RDF.type, KG.Paper) not in rdf:
        raise click.ClickException(f"{source}: no kg:Paper in this graph; is it a kg graph?")
    if out is None:
        out = graph if Path(graph).is_dir() else "kg-analytics"
    # The graph is read, never changed: it may be a build directory's store, opened read-only.
    run = run_analytics(rdf, out=out, seed=seed, min_support=min_support, into_graph=False,
                        npmi_min_support=npmi_min_support, backend=backend)
    if not (ctx.obj or {}).get("quiet"):
        for line in run.summary_lines(top):
            click.echo(line)
        click.echo(f"{run.result.papers} papers, {run.entities} entities, {run.result.links} links -> "
                   f"{', '.join(run.files)} in {out}", err=True)
