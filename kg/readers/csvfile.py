"""CSV and TSV files with a header row naming the columns (field names configurable)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from kg.papers import Paper, SourceLocation
from kg.problems import ProblemLog
from kg.readers.fields import FieldNames, paper_from_record
from kg.readers.source import Input, iter_lines

__all__ = ["read_csv", "read_tsv", "guess_delimiter"]


def guess_delimiter(header: str) -> str:
    """The delimiter of a header line: tab, semicolon or comma, whichever occurs most.

    Examples
    --------
    >>> guess_delimiter("title\\tabstract"), guess_delimiter("title;abstract"), guess_delimiter("title,abstract")
    ('\\t', ';', ',')
    """
    counts = {delimiter: header.count(delimiter) for delimiter in ("\t", ";", ",")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(
    stream_or_path: Input,
    *,
    source: str,
    problems: ProblemLog,
    fields: FieldNames | None = None,
    delimiter: str | None = None,
    **_: object,
) -> Iterator[Paper]:
    """Papers from the rows of a delimited file; a record is reported with its first line.

    Examples
    --------
    >>> import io
    >>> rows = io.StringIO('title,abstract,date\\n"A, B",Text one.,2024-03-01\\nNo abstract,,\\n')
    >>> log = ProblemLog()
    >>> [(p.title, p.date) for p in read_csv(rows, source="p.csv", problems=log)]
    [('A, B', '2024-03-01')]
    >>> print(log.problems[0])
    p.csv:3: record has no abstract
    """
    names = fields or FieldNames()
    bad_lines: set[int] = set()

    def texts() -> Iterator[str]:
        for line in iter_lines(stream_or_path, source=source, problems=problems):
            if not line.valid:
                bad_lines.add(line.number)
            yield line.text + "\n"

    lines = texts()
    header = next(lines, None)
    if header is None:
        return
    delimiter = delimiter or guess_delimiter(header)
    try:
        columns = next(csv.reader([header], delimiter=delimiter))
    except csv.Error as error:  # e.g. a bare carriage return inside the header line
        problems.report(source, 1, f"malformed CSV header: {error}")
        return
    present = {column.strip() for column in columns}
    for field_name in ("title", "abstract"):
        if not present & set(getattr(names, field_name)):
            wanted = " or ".join(repr(key) for key in getattr(names, field_name))
            problems.report(source, 1, f"header has no {wanted} column (use --field {field_name}=COLUMN)")
            return
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    columns = [column.strip() for column in columns]
    last_line = 1
    while True:
        first_line = last_line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            last_line = reader.line_num + 1
            problems.report(source, first_line, f"malformed CSV: {error}")
            continue
        last_line = reader.line_num + 1  # the header was consumed outside the reader
        if not row or not any(cell.strip() for cell in row):
            continue
        if any(first_line <= number <= last_line for number in bad_lines):
            continue  # reported when the line was read
        if len(row) > len(columns):
            problems.report(source, first_line, f"malformed CSV: {len(row)} fields but the header has {len(columns)}")
            continue
        record = dict(zip(columns, row))
        paper = paper_from_record(record, names=names, location=SourceLocation(source, first_line), problems=problems)
        if paper is not None:
            yield paper


def read_tsv(stream_or_path: Input, *, source: str, problems: ProblemLog, **options: object) -> Iterator[Paper]:
    """Papers from a tab-separated file with a header row."""
    options["delimiter"] = "\t"
    return read_csv(stream_or_path, source=source, problems=problems, **options)
