"""The body shared by the fuzz targets: instrument kg, then feed libFuzzer's inputs to a check.

Each ``fuzz/fuzz_<name>.py`` is one target (a reader format, or ``textclean``) and
calls `run_target` with its name; libFuzzer's options (``-runs=N``, ``-max_len``,
``-timeout``, corpus directories) pass through from the command line. `fuzz/run.py`
runs every target for a fixed number of iterations.
"""

from __future__ import annotations

import logging
import sys

__all__ = ["run_target", "one_input"]

# Instrumented for coverage feedback: our code and the parsers it hands text to.
_INSTRUMENTED = ["kg", "bibtexparser", "pylatexenc"]


def one_input(name: str):
    """The function libFuzzer calls with each input for target ``name``.

    Examples
    --------
    >>> one_input("json")(b'[{"title": "A", "abstract": "B"}]')
    >>> one_input("textclean")(b"\\\\emph{x}")
    """
    from harness import READER_TARGETS, check_clean_text, check_reader

    if name == "textclean":
        def check_text(data: bytes) -> None:
            check_clean_text(data.decode("utf-8", "replace"))

        return check_text
    if name not in READER_TARGETS:
        raise ValueError(f"unknown fuzz target {name!r}; choose from {', '.join(READER_TARGETS + ('textclean',))}")

    def check(data: bytes) -> None:
        check_reader(name, data)

    return check


def run_target(name: str, argv: list[str] | None = None) -> None:
    """Fuzz target ``name`` with atheris (libFuzzer); exits when libFuzzer is done."""
    import atheris

    # Every skipped record is logged; at thousands of inputs a second that is only noise.
    logging.getLogger("kg.input").disabled = True
    with atheris.instrument_imports(include=_INSTRUMENTED):
        import kg.readers
        import kg.textclean  # noqa: F401
        from kg.readers import get_reader

        for fmt in kg.readers.FORMATS:
            get_reader(fmt)  # imports each reader module under instrumentation
        test_one_input = one_input(name)
    atheris.Setup(list(sys.argv if argv is None else argv), test_one_input)
    atheris.Fuzz()
