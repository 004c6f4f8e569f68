"""Run every fuzz target (or those named) for a fixed number of iterations.

Each target runs in its own process (libFuzzer exits when done) with a fresh working
corpus seeded from ``fuzz/seeds/<target>/`` and ``tests/fuzz_regressions/<target>/``;
an input that crashes or runs past ``--timeout`` seconds is saved as
``tests/fuzz_regressions/<target>/crash-<sha1>`` (or under ``--artifacts``), where the
regression tests replay it. Exit status: 0 when no target failed.

    python fuzz/run.py --runs 20000            # all targets
    python fuzz/run.py --runs 100000 bibtex    # one target, longer
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import READER_TARGETS

FUZZ_DIR = Path(__file__).resolve().parent
ROOT = FUZZ_DIR.parent
TARGETS = READER_TARGETS + ("textclean",)
SEEDS = FUZZ_DIR / "seeds"
REGRESSIONS = ROOT / "tests" / "fuzz_regressions"


def fuzz_command(target: str, *, runs: int, corpus: Path, artifacts: Path, seed: int, max_len: int, timeout: int) -> list[str]:
    """The command line that fuzzes ``target`` for ``runs`` inputs."""
    return [
        sys.executable, str(FUZZ_DIR / f"fuzz_{target}.py"),
        f"-runs={runs}", f"-seed={seed}", f"-max_len={max_len}", f"-timeout={timeout}",
        f"-artifact_prefix={artifacts}/", "-print_final_stats=0", str(corpus),
    ]


def run_target(target: str, *, runs: int, seed: int = 1, max_len: int = 4096, timeout: int = 10,
               artifacts: Path | None = None) -> tuple[int, float, str]:
    """Fuzz one target; (exit status, seconds, last lines of libFuzzer's output)."""
    artifacts = artifacts or REGRESSIONS / target
    artifacts.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"kg-fuzz-{target}-") as work:
        corpus = Path(work)  # libFuzzer adds inputs to it: never a directory in the repository
        for folder in (SEEDS / target, REGRESSIONS / target):
            for seed_file in sorted(folder.glob("*")) if folder.is_dir() else ():
                if seed_file.is_file():
                    shutil.copy(seed_file, corpus / seed_file.name)
        started = time.perf_counter()
        done = subprocess.run(
            fuzz_command(target, runs=runs, corpus=corpus, artifacts=artifacts, seed=seed, max_len=max_len, timeout=timeout),
            cwd=FUZZ_DIR, capture_output=True, text=True, errors="replace",
        )
    tail = "\n".join((done.stdout + done.stderr).splitlines()[-25:])
    return done.returncode, time.perf_counter() - started, tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=f"targets to run (default all: {', '.join(TARGETS)})")
    parser.add_argument("--runs", type=int, default=10000, help="inputs per target")
    parser.add_argument("--seed", type=int, default=1, help="libFuzzer's random seed")
    parser.add_argument("--max-len", type=int, default=4096, help="longest input in bytes")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take before it counts as a hang")
    parser.add_argument("--artifacts", type=Path, help="where crashing inputs go (default tests/fuzz_regressions/TARGET)")
    options = parser.parse_args(argv)
    unknown = sorted(set(options.targets) - set(TARGETS))
    if unknown:
        parser.error(f"unknown targets {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    failed = []
    for target in options.targets or TARGETS:
        artifacts = options.artifacts / target if options.artifacts else None
        status, seconds, tail = run_target(target, runs=options.runs, seed=options.seed, max_len=options.max_len,
                                           timeout=options.timeout, artifacts=artifacts)
        print(f"{target}: {options.runs} runs, {seconds:.1f} s, {'ok' if status == 0 else f'FAILED (exit {status})'}")
        if status != 0:
            failed.append(target)
            print(tail)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
