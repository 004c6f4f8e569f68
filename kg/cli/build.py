"""`kg build`: papers in, a build directory with the graph, analytics and views out."""

from __future__ import annotations

import click


@click.command("build")
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option("-o", "--out", default="kg-out", show_default=True, type=click.Path(file_okay=False), help="Build directory.")
@click.option("--profile", type=click.Choice(["accurate", "fast"]), default="accurate", show_default=True, help="Extraction profile.")
@click.option("--format", "format_", default=None, help="Input format (default: detected from extension and content).")
@click.option("--field", "fields", multiple=True, metavar="NAME=KEY", help="Map a paper field to an input key, e.g. abstract=summary.")
@click.option("--strict", is_flag=True, help="Stop at the first bad record (exit code 2).")
@click.option("--base-iri", default=None, help="Base IRI of the graph's resources.")
@click.option("--seed", default=0, show_default=True, help="Seed for randomised analytics.")
@click.option("--no-view", is_flag=True, help="Do not write graph.html.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Extraction processes (with --dask local: LocalCluster workers).")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
              help="Extract on a Dask cluster: tcp://SCHEDULER:8786, or 'local' for a LocalCluster.")
@click.option("--prune", is_flag=True, help="Remove papers of earlier builds into --out that are not in INPUT.")
@click.option("--batch-size", default=256, show_default=True, type=click.IntRange(min=1),
              help="Papers per extraction task.")
@click.option("--graph-files/--no-graph-files", default=None,
              help="Write graph.trig and graph.ttl (default: while the graph has at most 2 million quads; "
                   "above, the build directory's store/ is the graph).")
@click.pass_context
def command(ctx, inputs, out, profile, format_, fields, strict, base_iri, seed, no_view, workers, dask_address, prune,
            batch_size, graph_files):
    """Build the knowledge graph of INPUT files (default: the bundled corpus) into --out.

    INPUT may be files, directories or globs in any supported format, or - for stdin.
    An existing --out is updated: only new and changed papers are extracted.
    """
    from kg.build import build
    from kg.buildstate import BuildError
    from kg.cli.options import parse_fields

    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    try:
        result = build(
            inputs=inputs,
            out=out,
            profile=profile,
            format=format_,
            fields=parse_fields(fields),
            strict=strict,
            base_iri=base_iri,
            seed=seed,
            view=not no_view,
            progress=not quiet,
            workers=workers,
            dask=dask_address,
            prune=prune,
            batch_size=batch_size,
            graph_files=graph_files,
        )
    except BuildError as error:
        raise click.ClickException(str(error)) from None
    if quiet:
        return
    if result.top_concepts:
        click.echo("Top central concepts:")
        for rank, (label, type_, score) in enumerate(result.top_concepts, 1):
            click.echo(f"  {rank:2d}. {label} ({type_}) {score:.3f}")
    if result.top_links:
        click.echo("Top co-mention links:")
        for rank, (a, b, support, npmi) in enumerate(result.top_links, 1):
            click.echo(f"  {rank:2d}. {a} -- {b}  papers={support} npmi={npmi:.2f}")
    click.echo(result.summary(), err=True)
