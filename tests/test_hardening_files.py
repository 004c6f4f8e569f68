"""Files: inputs never escape the directories given through links, archives are not
unpacked, and a full disk gets a clear message with the old output left intact."""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import kg.atomic
from kg.cli import main
from kg.corpus import read_corpus


def _record(title: str) -> str:
    return json.dumps({"title": title, "abstract": f"About {title}."}) + "\n"


@pytest.fixture()
def linked(tmp_path):
    """``given/`` holds one real file, a link to a file outside, a link to a directory
    outside, and two links back up (a loop that doubles at every level)."""
    given, outside = tmp_path / "given", tmp_path / "outside"
    given.mkdir()
    outside.mkdir()
    (given / "inside.jsonl").write_text(_record("Inside"))
    (outside / "secret.jsonl").write_text(_record("Secret"))
    (given / "link.jsonl").symlink_to(outside / "secret.jsonl")
    (given / "linked_dir").symlink_to(outside, target_is_directory=True)
    (given / "up1").symlink_to(tmp_path, target_is_directory=True)
    (given / "up2").symlink_to(tmp_path, target_is_directory=True)
    return given


@pytest.mark.parametrize("pattern", ["{given}", "{given}/**/*.jsonl", "{given}/*.jsonl"])
def test_walks_and_globs_stay_inside_the_given_directory(linked, pattern):
    corpus = read_corpus([pattern.format(given=linked)])
    assert [p.title for p in corpus] == ["Inside"]
    assert [str(p) for p in corpus.problems] == [f"{linked / 'link.jsonl'}: links outside {linked}; skipped"]


def test_a_glob_relative_to_the_working_directory_stays_inside_it(linked, monkeypatch):
    monkeypatch.chdir(linked)
    corpus = read_corpus(["**/*.jsonl"])
    assert [p.title for p in corpus] == ["Inside"] and len(corpus.problems) == 1


def test_a_file_named_explicitly_is_read_as_named(linked):
    assert [p.title for p in read_corpus([linked / "link.jsonl"])] == ["Secret"]


def test_archives_are_reported_not_unpacked(tmp_path):
    member = _record("From an archive").encode()
    with tarfile.open(tmp_path / "papers.jsonl.gz", "w:gz") as archive:  # a tarball named like gzip'd JSON Lines
        info = tarfile.TarInfo("../../escape.jsonl")
        info.size = len(member)
        archive.addfile(info, io.BytesIO(member))
    with zipfile.ZipFile(tmp_path / "papers.json", "w") as archive:
        archive.writestr("../../escape.jsonl", member)
    (tmp_path / "ok.jsonl.gz").write_bytes(gzip.compress(_record("Plain gzip").encode()))
    corpus = read_corpus([tmp_path])
    assert [p.title for p in corpus] == ["Plain gzip"]
    assert sorted(Path(p.path).name for p in corpus.problems) == ["papers.json", "papers.jsonl.gz"]
    assert not (tmp_path.parent.parent / "escape.jsonl").exists()


def test_full_disk_says_so_and_keeps_the_old_output(tmp_path, monkeypatch, capsys):
    out = tmp_path / "papers.jsonl"
    out.write_text("old\n")

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(kg.atomic.os, "fsync", disk_full)
    with pytest.raises(SystemExit) as done:
        main(["papers", "-o", str(out)])
    assert done.value.code == 1
    assert capsys.readouterr().err.strip().endswith(
        f"kg: error: {out}: No space left on device; the previous file (if any) was left as it was")
    assert out.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["papers.jsonl"]  # no temporary file left behind


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_full_tmpfs_says_so_and_keeps_the_old_output(tmp_path):
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(tiny)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        out = tiny / "papers.jsonl"
        out.write_text("old\n")
        command = [sys.executable, "-c", "from kg.cli import main; main()", "papers", "-o", str(out)]
        done = subprocess.run(command, capture_output=True, text=True)  # ~600 KB of papers > 64 KiB
        assert done.returncode == 1
        assert f"kg: error: {out}: No space left on device" in done.stderr and "Traceback" not in done.stderr
        assert out.read_text() == "old\n" and [p.name for p in tiny.iterdir()] == ["papers.jsonl"]
    finally:
        subprocess.run(["umount", str(tiny)], check=True)
