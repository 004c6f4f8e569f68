"""Writing a command's JSON Lines to stdout or, atomically, to a file."""

from __future__ import annotations

from collections.abc import Iterable

import click

from kg.atomic import atomic_write

__all__ = ["write_lines"]


def write_lines(output: str, lines: Iterable[str]) -> None:
    """Write ``lines`` to stdout when ``output`` is ``-``, else atomically to the file ``output``."""
    if output == "-":
        stdout = click.get_text_stream("stdout", encoding="utf-8")
        stdout.writelines(lines)
        stdout.flush()
        return
    with atomic_write(output) as handle:
        handle.writelines(lines)
