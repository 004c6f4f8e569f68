"""Keep one benchmark's section of docs/benchmarks.md up to date without touching the others.

Each benchmark owns the text between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``;
rewriting it replaces that section in place, or appends it the first time.
"""

from __future__ import annotations

from pathlib import Path

from kg.atomic import atomic_write

__all__ = ["replace_section"]


def replace_section(path: Path, name: str, body: str) -> None:
    """Put ``body`` (markdown) between this benchmark's markers in ``path``, atomically.

    Examples
    --------
    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "benchmarks.md"
    >>> replace_section(page, "demo", "old")
    >>> replace_section(page, "demo", "new")
    >>> page.read_text()
    '# Benchmarks\\n\\n<!-- demo:start -->\\nnew\\n<!-- demo:end -->\\n'
    """
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = f"{start}\n{body.strip()}\n{end}\n"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + section + rest.split(end, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with atomic_write(path) as handle:
        handle.write(text)
