"""Problems with input: what went wrong, where, and whether to stop.

Readers never print or raise on a bad record themselves; they hand a `Problem` to the
`ProblemLog` they were given. The log counts it, tells the user (file:line: message)
and, in strict mode, raises `InputError` so the CLI exits with code 2.

Examples
--------
>>> problems = ProblemLog()
>>> problems.report("papers.csv", 7, "no title")
>>> problems.skipped, str(problems.problems[0])
(1, 'papers.csv:7: no title')
>>> ProblemLog(strict=True).report("papers.csv", 7, "no title")
Traceback (most recent call last):
    ...
kg.problems.InputError: papers.csv:7: no title
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

__all__ = ["Problem", "InputError", "ProblemLog"]

log = logging.getLogger("kg.input")


@dataclass(frozen=True)
class Problem:
    """A record (or a whole file) that could not be read."""

    path: str
    line: int | None  # 1-based; None when the problem is the file itself
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class InputError(Exception):
    """Raised for the first problem in strict mode (the CLI maps it to exit code 2)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class ProblemLog:
    """Collects problems met while reading; ``strict=True`` makes the first one fatal."""

    strict: bool = False
    problems: list[Problem] = field(default_factory=list)

    def report(self, path: str, line: int | None, message: str) -> None:
        problem = Problem(str(path), line, message)
        if self.strict:
            raise InputError(problem)
        self.problems.append(problem)
        log.warning("%s (skipped)", problem)

    @property
    def skipped(self) -> int:
        return len(self.problems)
