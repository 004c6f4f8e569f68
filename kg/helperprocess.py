"""A helper process: one function of this `kg` run by a second interpreter, so that work the
build hands off (writing big files) goes on on the other core while the build goes on.

The helper is a plain ``python -c`` with this package first on its path, not
`multiprocessing` (whose spawned children import the caller's main script again: a
script without a ``__main__`` guard would run twice). Its arguments are strings on its
command line; bigger input goes through its stdin.

Examples
--------
>>> helper = start_helper("kg.helperprocess", "_echo", "hello", stdout=subprocess.PIPE)
>>> helper.communicate()[0].decode().strip(), helper.returncode
('hello', 0)
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

__all__ = ["check_starter", "start_helper"]

log = logging.getLogger("kg")

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])  # this kg, whatever the helper's working directory holds
_starter: int | None = None  # in a helper process: the id of the process that started it


def start_helper(module: str, function: str, *args: str, stdin=None, stdout=None) -> subprocess.Popen | None:
    """Start ``module.function(*args)`` in a new interpreter; None (with a warning) when none starts.

    ``module`` and ``function`` are names in this package (never data): they make the
    ``-c`` line; ``args`` reach the function as its arguments, unchanged.
    """
    code = (f"import sys; sys.path.insert(0, sys.argv[1]); import kg.helperprocess; "
            f"kg.helperprocess._starter = int(sys.argv[2]); from {module} import {function}; {function}(*sys.argv[3:])")
    try:
        return subprocess.Popen([sys.executable, "-c", code, _PACKAGE_ROOT, str(os.getpid()), *args],
                                stdin=stdin, stdout=stdout)
    except OSError as error:
        log.warning("no helper process for %s.%s (%s): the work is done in this process", module, function, error)
        return None


def check_starter(path: Path) -> None:
    """In a helper, before replacing ``path``: raise if the process that started it is gone.

    A build killed while its helper writes leaves the helper running; the next build's
    files must not be replaced by the older ones it would write late. Outside a helper,
    nothing to check.
    """
    if _starter is not None and os.getppid() != _starter:
        raise RuntimeError(f"{path}: the process that started this helper ended; the file is left as it was")


def _echo(text: str) -> None:
    """Print ``text`` (the helper of the example)."""
    print(text)
