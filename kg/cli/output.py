"""Writing a command's JSON Lines to stdout or, atomically, to a file."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from kg.atomic import atomic_write

__all__ = ["write_lines"]


def write_lines(output: str, lines: Iterable[str]) -> None:
    """Write ``lines`` to stdout when ``output`` is ``-``, else atomically to the file ``output``."""
    if output == "-":
        # UTF-8 whatever the locale says: JSON Lines are UTF-8 by definition.
        stdout = getattr(sys.stdout, "buffer", None)
        if stdout is None:  # a text-only stream someone put in place of stdout
            sys.stdout.writelines(lines)
            sys.stdout.flush()
            return
        sys.stdout.flush()
        for line in lines:
            stdout.write(line.encode("utf-8"))
        stdout.flush()
        return
    with atomic_write(output) as handle:
        handle.writelines(lines)
