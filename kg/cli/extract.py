"""`kg extract`: papers in, one JSON line of entities (and relations) per paper out."""

from __future__ import annotations

import sys

import click


@click.command("extract")
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True,
              help="Write the JSON Lines here (written atomically) instead of stdout.")
@click.option("--profile", type=click.Choice(["accurate", "fast"]), default="accurate", show_default=True,
              help="accurate: rules and the trained tagger; fast: rules only.")
@click.option("--format", "format_", default=None, help="Input format (default: detected from extension and content).")
@click.option("--field", "fields", multiple=True, metavar="NAME=KEY", help="Read paper field NAME from input key KEY.")
@click.option("--strict", is_flag=True, help="Stop at the first bad record (exit code 2).")
@click.option("--batch-size", default=256, show_default=True,  # extractors.pipeline.BATCH_SIZE
              help="Papers per spaCy batch.")
@click.pass_context
def command(ctx, inputs, output, profile, format_, fields, strict, batch_size):
    """Extract the methods, models, datasets, benchmarks, tasks and metrics of INPUT papers.

    INPUT may be files, directories or globs in any format `kg papers` reads, or - for
    stdin; with none, the bundled corpus. Each output line is one paper, in input order:
    {"id", "title", "entities": [{"name", "type", "role", "aliases", "mentions", "confidence"}],
    "relations": [...]}.
    """
    import json

    from kg.cli.options import parse_fields
    from kg.cli.output import write_lines
    from kg.corpus import read_corpus
    from kg.extraction import extract_papers

    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    progress = not quiet and sys.stderr.isatty()
    corpus = read_corpus(inputs, format=format_, fields=parse_fields(fields), strict=strict, progress=progress)
    records = extract_papers(corpus.papers, profile=profile, batch_size=batch_size, progress=progress)
    lines = (json.dumps(record.to_json(), ensure_ascii=False) + "\n" for record in records)
    write_lines(output, lines)
    if not quiet:
        click.echo(f"kg extract: {corpus.summary()}", err=True)
