"""JSON Lines and JSON documents (an array of records, or an object holding one).

`iter_json_records` yields each record with the line it starts on; `read_json` makes
papers of them with configurable field names. The arXiv-snapshot and OpenAlex readers
use `iter_json_records` too.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator

from kg.papers import Paper, SourceLocation
from kg.problems import ProblemLog
from kg.readers.fields import FieldNames, paper_from_record
from kg.readers.source import Input, Line, iter_lines

__all__ = ["iter_json_records", "read_json", "RECORD_LIST_KEYS"]

# Keys under which a JSON object holds its list of records (OpenAlex API pages: results).
RECORD_LIST_KEYS = ("results", "papers", "works", "records", "items", "data")
_WHITESPACE = re.compile(r"\s*")


_TOO_DEEP = "nested too deeply"


def _describe(error: json.JSONDecodeError) -> str:
    return f"malformed JSON: {error.msg} (column {error.colno})"


def _decode(decoder: json.JSONDecoder, text: str, position: int = 0) -> tuple[object, int]:
    """``decoder.raw_decode``, with nesting past Python's recursion limit a decode error too."""
    try:
        return decoder.raw_decode(text, position)
    except RecursionError:  # e.g. "[[[[..." thousands deep: hostile or broken, never a record
        raise json.JSONDecodeError(_TOO_DEEP, text, position) from None


def _loads(text: str) -> object:
    """``json.loads``, with nesting past Python's recursion limit a decode error too."""
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError(_TOO_DEEP, text, 0) from None


def iter_json_records(stream_or_path: Input, *, source: str, problems: ProblemLog) -> Iterator[tuple[int, dict]]:
    """``(line, record)`` for every JSON object of a JSON Lines file or a JSON document.

    JSON Lines is recognised by its first line being a complete JSON value; a malformed
    line is reported and skipped. In a JSON document a syntax error is reported with its
    line and ends the file (there is no telling where the next record starts).

    Examples
    --------
    >>> import io
    >>> text = '[{"a": 1},\\n {"a": 2}]'
    >>> list(iter_json_records(io.StringIO(text), source="x.json", problems=ProblemLog()))
    [(1, {'a': 1}), (2, {'a': 2})]
    """
    lines = iter_lines(stream_or_path, source=source, problems=problems)
    first: Line | None = next((line for line in lines if line.text.strip()), None)
    if first is None:
        return
    try:
        value = _loads(first.text)
        is_json_lines = not isinstance(value, list)
    except json.JSONDecodeError as error:
        # A first line too deep to decode is still one line: JSON Lines if it is an object.
        is_json_lines = error.msg == _TOO_DEEP and first.text.lstrip().startswith("{")
    if is_json_lines:
        yield from _json_lines(first, lines, source, problems)
        return
    rest = [first, *lines]
    if any(not line.valid for line in rest):
        return  # reported line by line already; a document with bad bytes cannot be parsed
    yield from _json_document("\n" * (first.number - 1) + "\n".join(line.text for line in rest), source, problems)


def _json_lines(first: Line, lines: Iterator[Line], source: str, problems: ProblemLog) -> Iterator[tuple[int, dict]]:
    for line in itertools.chain((first,), lines):
        if not line.valid or not line.text.strip():
            continue  # bad bytes were reported when the line was read
        try:
            record = _loads(line.text)
        except json.JSONDecodeError as error:
            problems.report(source, line.number, _describe(error))
            continue
        if isinstance(record, dict):
            yield line.number, record
        else:
            problems.report(source, line.number, f"expected a JSON object, found {type(record).__name__}")


def _json_document(text: str, source: str, problems: ProblemLog) -> Iterator[tuple[int, dict]]:
    decoder = json.JSONDecoder()
    position = _WHITESPACE.match(text, 0).end()
    if text.startswith("{", position):
        try:
            value, _ = _decode(decoder, text, position)
        except json.JSONDecodeError as error:
            problems.report(source, error.lineno, _describe(error))
            return
        key = next((k for k in RECORD_LIST_KEYS if isinstance(value.get(k), list)), None)
        if key is None:
            yield text.count("\n", 0, position) + 1, value  # a single record
            return
        # Re-walk the list itself so every record keeps its own line number.
        position = re.compile(r'"%s"\s*:\s*' % re.escape(key)).search(text, position).end()
    if not text.startswith("[", position):
        problems.report(source, text.count("\n", 0, position) + 1, "malformed JSON: expected an array or object of records")
        return
    position += 1
    line, counted = 1, 0
    while True:
        position = _WHITESPACE.match(text, position).end()
        if text.startswith("]", position):
            return
        try:
            record, end = _decode(decoder, text, position)
        except json.JSONDecodeError as error:
            problems.report(source, error.lineno, _describe(error) + "; rest of file skipped")
            return
        line += text.count("\n", counted, position)
        counted = position
        if isinstance(record, dict):
            yield line, record
        else:
            problems.report(source, line, f"expected a JSON object, found {type(record).__name__}")
        position = _WHITESPACE.match(text, end).end()
        if text.startswith(",", position):
            position += 1
        elif not text.startswith("]", position):
            problems.report(source, text.count("\n", 0, position) + 1, "malformed JSON: expected ',' or ']'; rest of file skipped")
            return


def read_json(
    stream_or_path: Input, *, source: str, problems: ProblemLog, fields: FieldNames | None = None, **_: object
) -> Iterator[Paper]:
    """Papers from JSON Lines or a JSON array of records with title/abstract fields.

    Examples
    --------
    >>> import io
    >>> data = io.StringIO('{"ttl": "A", "abstract": "B"}\\n{"ttl": "C"}\\n')
    >>> log = ProblemLog()
    >>> [p.title for p in read_json(data, source="x.jsonl", problems=log, fields=FieldNames.parse(["title=ttl"]))]
    ['A']
    >>> print(log.problems[0])
    x.jsonl:2: record has no abstract
    """
    names = fields or FieldNames()
    for line, record in iter_json_records(stream_or_path, source=source, problems=problems):
        paper = paper_from_record(record, names=names, location=SourceLocation(source, line), problems=problems)
        if paper is not None:
            yield paper

