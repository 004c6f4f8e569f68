"""atomic_write: all of the new file or all of the old one."""

import os
import stat

import pytest

from kg.atomic import atomic_write


def test_writes_text_and_creates_parents(tmp_path):
    target = tmp_path / "a" / "b" / "out.txt"
    with atomic_write(target) as handle:
        handle.write("héllo\n")
    assert target.read_text(encoding="utf-8") == "héllo\n"
    assert os.listdir(target.parent) == ["out.txt"]


def test_writes_bytes(tmp_path):
    target = tmp_path / "out.bin"
    with atomic_write(target, "wb") as handle:
        handle.write(b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"


def test_failure_inside_leaves_old_file_intact(tmp_path):
    target = tmp_path / "papers.jsonl"
    target.write_text("old content\n")
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_write(target) as handle:
            handle.write("half of the new conte")
            raise RuntimeError("boom")
    assert target.read_text() == "old content\n"
    assert os.listdir(tmp_path) == ["papers.jsonl"]  # no temporary file left behind


def test_failure_on_new_file_leaves_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(tmp_path / "new.txt") as handle:
            handle.write("x")
            raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []


def test_keeps_existing_permissions(tmp_path):
    target = tmp_path / "script.sh"
    target.write_text("old")
    target.chmod(0o750)
    with atomic_write(target) as handle:
        handle.write("new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o750


def test_rejects_read_modes(tmp_path):
    with pytest.raises(ValueError):
        with atomic_write(tmp_path / "x", "r"):
            pass
