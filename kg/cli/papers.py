"""`kg papers`: read inputs in any supported format and print the normalised papers as JSON Lines."""

from __future__ import annotations

import sys

import click

from kg.readers import FORMAT_NAMES


@click.command("papers")
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option("--format", "format_", type=click.Choice(FORMAT_NAMES, case_sensitive=False), default=None,
              help="Input format for every INPUT (default: detected from extension and content).")
@click.option("--field", "fields", multiple=True, metavar="NAME=KEY",
              help="Read paper field NAME from input key KEY, e.g. title=ttl (repeatable).")
@click.option("--strict", is_flag=True, help="Stop at the first bad record or file (exit code 2).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True,
              help="Write the JSON Lines here (written atomically) instead of stdout.")
@click.pass_context
def command(ctx: click.Context, inputs: tuple[str, ...], format_: str | None, fields: tuple[str, ...],
            strict: bool, output: str) -> None:
    """Print the papers of INPUT files as JSON Lines, duplicates merged.

    INPUT may be files, directories or globs (daily listing text, JSON Lines/JSON,
    CSV/TSV, arXiv metadata snapshot, OpenAlex works, BibTeX), or - for stdin. With no
    INPUT, the bundled sample corpus is read. Each line has the keys id, title,
    abstract, date, authors, urls, categories, arxiv_id, doi and sources.
    """
    import json

    from kg.cli.options import parse_fields
    from kg.cli.output import write_lines
    from kg.corpus import paper_to_json, read_corpus
    from kg.readers.fields import FieldNames

    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    try:
        names = FieldNames.parse(parse_fields(fields))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--field") from None
    corpus = read_corpus(inputs, format=format_, fields=names, strict=strict,
                         progress=not quiet and sys.stderr.isatty())
    lines = (json.dumps(paper_to_json(paper), ensure_ascii=False) + "\n" for paper in corpus.papers)
    write_lines(output, lines)
    if not quiet:
        click.echo(f"kg papers: {corpus.summary()}", err=True)

