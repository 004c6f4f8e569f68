"""`kg view`: one self-contained interactive HTML page of a graph file or build directory."""

from __future__ import annotations

import click


@click.command("view")
@click.argument("graph", type=click.Path(exists=True), metavar="GRAPH")
@click.option("-o", "--out", default="graph.html", show_default=True, type=click.Path(dir_okay=False),
              help="The HTML file to write (atomically).")
@click.option("--entity", metavar="NAME", help="An entity's neighbourhood: co-mentioned entities and its papers.")
@click.option("--paper", metavar="ID", help="A paper, its entities and their other papers (arxiv:..., doi:... or the id).")
@click.option("--community", type=click.IntRange(min=1), metavar="K", help="The members of community K (1 is the largest).")
@click.option("--top", type=click.IntRange(min=1), default=300, show_default=True, help="The most entities (and papers) shown.")
@click.option("--seed", default=0, show_default=True, help="Seed of the analytics and the layout.")
def command(graph, out, entity, paper, community, top, seed):
    """Write an interactive view of GRAPH (an RDF file or a `kg build` directory) to --out.

    Without --entity, --paper or --community: the overview, the --top entities by
    combined centrality with their co-mention links. The page works offline.

    \b
    Examples:
      kg view kg-out -o overview.html
      kg view kg-out --entity BERT -o bert.html
      kg view kg-out --paper arxiv:2401.00001 -o paper.html
    """
    from kg.graphfile import load_graph, resolve_graph_path
    from kg.views import write_view

    chosen = [name for name, value in (("entity", entity), ("paper", paper), ("community", community)) if value is not None]
    if len(chosen) > 1:
        raise click.UsageError("give at most one of --entity, --paper and --community")
    view = chosen[0] if chosen else "overview"
    try:
        source = resolve_graph_path(graph)
        rdf = load_graph(source)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from error
    except Exception as error:  # rdflib raises parser-specific types; all mean a bad file
        raise click.ClickException(f"{source}: cannot read the graph: {error}") from error
    try:
        written = write_view(rdf, out, view=view, entity=entity, paper=paper, community=community, top=top, seed=seed)
    except LookupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"wrote {written}", err=True)
