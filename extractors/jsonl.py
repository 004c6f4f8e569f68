"""Reading JSON Lines training and evaluation files, with errors naming file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from kg.problems import InputError, Problem

__all__ = ["read_jsonl"]


def read_jsonl(path: str | Path, *, required: dict[str, type] | None = None) -> Iterator[tuple[int, dict]]:
    """Yield ``(line number, object)`` for each non-blank line of a JSON Lines file.

    A line that is not a JSON object, or lacks a ``required`` key of the given type,
    raises `InputError` naming the file and the 1-based line.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
    ...     _ = f.write('{"title": "A"}\\n\\n{"title": 3}\\n')
    >>> try:
    ...     list(read_jsonl(f.name, required={"title": str}))
    ... except InputError as error:
    ...     print(str(error).endswith(":3: 'title' must be a str"))
    True
    >>> os.unlink(f.name)
    """
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(Problem(str(path), number, f"not JSON: {error.msg}")) from None
            if not isinstance(record, dict):
                raise InputError(Problem(str(path), number, "expected a JSON object"))
            for key, kind in (required or {}).items():
                if not isinstance(record.get(key), kind):
                    raise InputError(Problem(str(path), number, f"{key!r} must be a {kind.__name__}"))
            yield number, record
