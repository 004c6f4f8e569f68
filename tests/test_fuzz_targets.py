"""The atheris fuzz targets run for a fixed number of inputs each, and every input they
ever found crashing (``tests/fuzz_regressions/<target>/``) is replayed.

The fuzz run needs ``atheris`` (in the ``test`` extra): without it the run skips
locally and fails in CI (``CI`` set). The replay needs nothing but kg.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fuzz"))

from harness import check_clean_text, check_reader  # noqa: E402
from run import REGRESSIONS, TARGETS, run_target  # noqa: E402

# Inputs per target in CI: about 40 s for all eight on a 2-core runner (the listing and
# text clean-up targets are the slow ones: pylatexenc runs on most of their inputs).
CI_RUNS = {"listing": 150, "textclean": 150}
DEFAULT_RUNS = 400
HANG_SECONDS = 10.0  # what the fuzz runs allow one input (-timeout)


def _regressions() -> list[tuple[str, Path]]:
    return [(path.parent.name, path) for path in sorted(REGRESSIONS.glob("*/*")) if path.is_file()]


@pytest.mark.parametrize("target, path", _regressions(), ids=lambda x: x.name if isinstance(x, Path) else x)
def test_found_case_is_handled(target, path):
    data = path.read_bytes()
    started = time.perf_counter()
    if target == "textclean":
        check_clean_text(data.decode("utf-8", "replace"))
    else:
        check_reader(target, data)
    assert time.perf_counter() - started < HANG_SECONDS


def test_every_regression_folder_is_a_target():
    assert {target for target, _ in _regressions()} <= set(TARGETS)


@pytest.fixture(scope="module")
def atheris_installed():
    try:
        import atheris  # noqa: F401
    except ImportError:
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail("atheris is not installed: CI must install the test extra")
        pytest.skip("atheris is not installed (pip install atheris)")


@pytest.mark.parametrize("target", TARGETS)
def test_fuzz_target_runs_clean(target, atheris_installed, tmp_path):
    status, _, tail = run_target(target, runs=CI_RUNS.get(target, DEFAULT_RUNS), seed=1, max_len=2048,
                                 timeout=int(HANG_SECONDS), artifacts=tmp_path)
    found = sorted(p.name for p in tmp_path.iterdir())
    assert status == 0 and not found, (
        f"fuzz target {target} failed; copy {found} from {tmp_path} to tests/fuzz_regressions/{target}/ and fix:\n{tail}"
    )
