"""Option parsing shared by several commands."""

from __future__ import annotations

import click

__all__ = ["parse_fields"]


def parse_fields(pairs: tuple[str, ...]) -> dict[str, str] | None:
    """``("abstract=summary", ...)`` -> ``{"abstract": "summary"}``; None when empty.

    Examples
    --------
    >>> parse_fields(("abstract=summary", "title=name"))
    {'abstract': 'summary', 'title': 'name'}
    >>> parse_fields(()) is None
    True
    """
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, sep, key = pair.partition("=")
        if not sep or not name or not key:
            raise click.BadParameter(f"expected NAME=KEY, got {pair!r}", param_hint="--field")
        mapping[name.strip()] = key.strip()
    return mapping or None
