"""Write a file so that readers see the old content or the new, never half of either."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kg.helperprocess import check_starter

__all__ = ["atomic_write", "move_into_place"]

_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", *, encoding: str | None = "utf-8", newline: str | None = None) -> Iterator[IO]:
    """Open a temporary file next to ``path``; on success, fsync it and rename it over ``path``.

    If the body raises, the temporary file is removed and ``path`` is left as it was.
    Parent directories are created. ``mode`` is ``"w"`` (text) or ``"wb"`` (bytes).
    A full disk (or quota) raises `OSError` naming ``path`` and saying it was left as it was.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out" / "papers.jsonl"
    >>> with atomic_write(target) as handle:
    ...     _ = handle.write("{}\\n")
    >>> target.read_text()
    '{}\\n'
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write mode must be 'w' or 'wb', not {mode!r}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Same directory as the target: os.replace is atomic only within one file system.
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if mode == "wb":
            handle = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        move_into_place(temp_name, target)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        if isinstance(error, OSError) and error.errno in _DISK_FULL:
            # os.write and fsync name no file: say which output, and that the old one is intact.
            message = f"{os.strerror(error.errno)}; the previous file (if any) was left as it was"
            raise OSError(error.errno, message, str(target)) from error
        raise


def move_into_place(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Rename the complete, synced file ``source`` over ``target`` (same directory), as
    `atomic_write` finishes: with the permissions ``target`` had (a new file gets those the
    umask allows), and never from a helper process whose build was killed."""
    target = Path(target)
    if target.exists():
        # mkstemp creates 0600; keep the permissions the file already had.
        os.chmod(source, target.stat().st_mode & 0o7777)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(source, 0o666 & ~umask)
    check_starter(target)  # a helper process whose build was killed replaces nothing
    os.replace(source, target)
