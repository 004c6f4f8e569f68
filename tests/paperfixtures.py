"""The small input files under tests/fixtures/papers and a helper to read one."""

from pathlib import Path

from kg.problems import ProblemLog

FIXTURES = Path(__file__).parent / "fixtures" / "papers"


def read_fixture(reader, name, *, strict=False, **options):
    """(papers, problems as "name:line: message" strings) of one fixture file."""
    problems = ProblemLog(strict=strict)
    papers = list(reader(FIXTURES / name, source=name, problems=problems, **options))
    return papers, [str(problem) for problem in problems.problems]
