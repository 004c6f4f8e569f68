"""`kg query`: run SPARQL (text, a file, or a named query) over a graph file or build directory."""

from __future__ import annotations

import sys

import click

FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "nt", "json-ld")


def _list_named() -> str:
    from kg.sparql import named_queries

    lines = []
    for query in named_queries().values():
        lines.append(f"{query.name}\n    {query.description}")
        for parameter in query.parameters:
            optional = " (optional)" if not parameter.required else ""
            lines.append(f"    --bind {parameter.name}=...{optional}  {parameter.description}")
    return "\n".join(lines) + "\n"


@click.command("query")
@click.argument("graph", required=False, type=click.Path(exists=True), metavar="GRAPH")
@click.argument("query_text", required=False, metavar="[QUERY]")
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False), help="Read the query from this .rq file.")
@click.option("-n", "--name", help="Run this named query (see --list).")
@click.option("--list", "list_named", is_flag=True, help="List the named queries and their parameters, then exit.")
@click.option("--show", is_flag=True, help="Print the named query's text instead of running it.")
@click.option("-b", "--bind", "binds", multiple=True, metavar="NAME=VALUE",
              help='Bind a variable: LoRA (a string), <http://...> or kg:Model (an IRI), "text"@en, 42. Repeatable.')
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE).")
@click.option("--engine", type=click.Choice(["auto", "rdflib", "oxigraph"]), default="auto", show_default=True,
              help="Query engine; auto uses Oxigraph for graph files over 4 MB.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False), default=None,
              help="Keep GRAPH in an Oxigraph store in this directory (built once, rebuilt when GRAPH changes): big graphs then answer without reloading.")
@click.option("--max-rows", type=click.IntRange(min=1), default=None, help="Fail if the result has more rows than this.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the result here (atomically) instead of stdout.")
@click.option("--allow-service", is_flag=True, help="Let SERVICE clauses fetch from other SPARQL endpoints (refused by default).")
def command(graph, query_text, query_file, name, list_named, show, binds, fmt, engine, store_dir, max_rows, output, allow_service):
    """Run a SPARQL query over GRAPH (an RDF file or a `kg build` directory).

    The query is QUERY, the file given with -f, or the named query given with --name.
    Prefixes kg:, rdf:, rdfs:, owl:, xsd:, skos:, dcterms:, schema:, prov: and others
    are predeclared. Values given with --bind are bound as terms, never pasted into the text.

    \b
    Examples:
      kg query kg-out 'SELECT ?m WHERE { ?m a kg:Model } LIMIT 5'
      kg query kg-out --name datasets-for-method --bind method=LoRA --format csv
    """
    from kg.sparql import BindingError, NamedQueryError, QueryError, named_query, parse_binding, query_graph
    from kg.sparql.formats import format_result

    if list_named:
        click.echo(_list_named(), nl=False)
        return
    if show:
        if not name:
            raise click.UsageError("--show needs --name")
        click.echo(_named_text(named_query, NamedQueryError, name), nl=False)
        return
    if graph is None:
        raise click.UsageError("missing GRAPH (an RDF file or a `kg build` directory)")
    sources = [s for s in (query_text, query_file, name) if s]
    if len(sources) != 1:
        raise click.UsageError("give exactly one of QUERY, -f FILE and --name NAME")
    text = None
    if query_text:
        text = sys.stdin.read() if query_text == "-" else query_text
    elif query_file:
        with open(query_file, encoding="utf-8") as handle:
            text = handle.read()
    try:
        bindings = dict(parse_binding(argument) for argument in binds)
    except BindingError as error:
        raise click.BadParameter(str(error), param_hint="--bind") from error
    try:
        result = query_graph(
            graph, query=text, name=name, bindings=bindings, engine=engine, max_rows=max_rows, store_dir=store_dir,
            allow_service=allow_service,
        )
        rendered = format_result(result, fmt or ("turtle" if result.kind == "graph" else "table"))
    except (QueryError, NamedQueryError, BindingError, ValueError, FileNotFoundError) as error:
        where = f"{query_file}: " if query_file and isinstance(error, QueryError) else ""
        raise click.ClickException(f"{where}{error}") from error
    if output:
        from kg.atomic import atomic_write

        with atomic_write(output) as handle:
            handle.write(rendered)
    else:
        click.echo(rendered, nl=False)


def _named_text(named_query, error_type, name: str) -> str:
    try:
        return named_query(name).text
    except error_type as error:
        raise click.ClickException(str(error)) from error
