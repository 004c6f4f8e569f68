"""What every reader shares: missing, binary and badly encoded files; format detection."""

import io

import pytest

from kg.problems import InputError, ProblemLog
from kg.readers import FORMATS, UnknownFormat, detect_format, get_reader
from paperfixtures import FIXTURES

PNG_START = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"


def read(format, target, name="input", **options):
    log = ProblemLog()
    papers = list(get_reader(format)(target, source=name, problems=log, **options))
    return papers, [str(p) for p in log.problems]


@pytest.mark.parametrize("format", FORMATS)
def test_missing_file_is_reported(tmp_path, format):
    papers, problems = read(format, tmp_path / "absent", name="absent")
    assert papers == [] and problems == ["absent: no such file"]


@pytest.mark.parametrize("format", FORMATS)
def test_binary_file_is_reported(tmp_path, format):
    path = tmp_path / "image.png"
    path.write_bytes(PNG_START * 20)
    papers, problems = read(format, path, name="image.png")
    assert papers == [] and problems == ["image.png: binary file, not text"]


def test_directory_is_reported(tmp_path):
    assert read("json", tmp_path, name="dir") == ([], ["dir: is a directory, not a file"])


# format -> (Latin-1 bytes where UTF-8 is expected, the line they are on)
BAD_BYTE_INPUTS = {
    "listing": (b"Mar 1\n\nGood\n\nGood abstract.\n\nBad \xe9t\xe9\n\nAbstract.\n", 7),
    "json": (b'{"title": "Good", "abstract": "A."}\n{"title": "Bad \xe9t\xe9", "abstract": "B."}\n', 2),
    "csv": (b"title,abstract\nGood,A.\nBad \xe9t\xe9,B.\n", 3),
    "bibtex": (b"@article{a, title={Good}, abstract={A.}}\n@article{b, title={Bad \xe9t\xe9},\n abstract={B.}}\n", 2),
}


@pytest.mark.parametrize("format", sorted(BAD_BYTE_INPUTS))
def test_bad_encoding_skips_that_record_only(format):
    data, bad_line = BAD_BYTE_INPUTS[format]
    papers, problems = read(format, io.BytesIO(data), name="latin1")
    assert [p.title for p in papers] == ["Good"]
    assert len(problems) == 1
    assert problems[0].startswith(f"latin1:{bad_line}: not valid UTF-8 (byte 0xe9 at column ")


def test_bad_bytes_in_a_json_document_are_reported():
    papers, problems = read("json", io.BytesIO(b'[{"title": "A \xff", "abstract": "B"}]'), name="doc.json")
    assert papers == [] and problems == ["doc.json:1: not valid UTF-8 (byte 0xff at column 15)"]


def test_byte_order_mark_and_crlf_are_accepted():
    data = "\ufefftitle,abstract\r\nCafé,Résumé.\r\n".encode("utf-8")
    papers, problems = read("csv", io.BytesIO(data))
    assert [(p.title, p.abstract) for p in papers] == [("Café", "Résumé.")] and problems == []


def test_strict_mode_raises_on_binary(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(PNG_START)
    with pytest.raises(InputError, match="binary file"):
        list(get_reader("listing")(path, source="x.bin", problems=ProblemLog(strict=True)))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("listing_page.txt", "listing"),
        ("papers.jsonl", "json"),
        ("papers_renamed.json", "json"),
        ("papers.csv", "csv"),
        ("papers.tsv", "tsv"),
        ("arxiv_snapshot.jsonl", "arxiv"),
        ("openalex_works.jsonl", "openalex"),
        ("openalex_page.json", "openalex"),
        ("refs.bib", "bibtex"),
    ],
)
def test_detection_by_extension_and_keys(name, expected):
    assert detect_format(name, (FIXTURES / name).read_bytes()[:8192]) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("listing_page.txt", "listing"),
        ("papers.jsonl", "json"),
        ("papers.csv", "csv"),
        ("papers.tsv", "tsv"),
        ("arxiv_snapshot.jsonl", "arxiv"),
        ("refs.bib", "bibtex"),
    ],
)
def test_detection_by_content_alone(name, expected):
    assert detect_format("-", (FIXTURES / name).read_bytes()[:8192]) == expected


def test_undetectable_and_unknown_formats():
    with pytest.raises(UnknownFormat, match="notes: cannot tell the format"):
        detect_format("notes", b"just some words\n")
    with pytest.raises(UnknownFormat, match="unknown format 'xml'"):
        get_reader("xml")
    assert get_reader("BIB") is get_reader("bibtex")


def test_gzip_input_is_inflated_and_detected(tmp_path):
    import gzip

    path = tmp_path / "works.jsonl.gz"
    path.write_bytes(gzip.compress((FIXTURES / "openalex_works.jsonl").read_bytes()))
    from kg.readers.source import text_head

    fmt = detect_format(path.name, text_head(path.read_bytes()[:8192]))
    assert fmt == "openalex"
    papers, problems = read(fmt, path, name=path.name)
    assert [p.id for p in papers] == ["doi:10.18653/v1/2024.acl-long.7", "arxiv:2303.00003"]
    assert [s.line for p in papers for s in p.sources] == [1, 4]


def test_truncated_gzip_is_reported(tmp_path):
    import gzip

    data = gzip.compress(b'{"title": "A", "abstract": "B"}\n' * 2000)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    papers, problems = read("json", path, name="cut.jsonl.gz")
    assert len(problems) == 1 and problems[0].startswith("cut.jsonl.gz:") and "cannot read" in problems[0]


def test_utf16_text_is_transcoded():
    data = "title,abstract\nZürich Paper,Ünïcode abstract.\n".encode("utf-16")
    papers, problems = read("csv", io.BytesIO(data))
    assert [(p.title, p.abstract) for p in papers] == [("Zürich Paper", "Ünïcode abstract.")] and problems == []
