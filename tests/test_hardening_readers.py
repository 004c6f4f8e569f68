"""Hostile input for every corpus reader and the text clean-up (property-based, Hypothesis).

Arbitrary bytes, and arbitrary JSON / CSV / BibTeX / listing / XML-ish text, never make
a reader raise anything but `kg.problems.InputError` (strict mode only), and a bad record
never costs the good records around it. The checks themselves live in
``fuzz/harness.py``, shared with the atheris fuzz targets.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))

from harness import READER_TARGETS, check_clean_text, check_reader  # noqa: E402

from kg.corpus import read_corpus  # noqa: E402
from kg.problems import ProblemLog  # noqa: E402
from kg.readers import get_reader  # noqa: E402
from kg.readers.source import iter_lines  # noqa: E402

# A generous bound per input: a hang or a blow-up fails, a slow shared machine does not.
HOSTILE = settings(max_examples=60, deadline=timedelta(seconds=10), suppress_health_check=[HealthCheck.too_slow])
# Characters that mean something to one of the formats, plus the Unicode that breaks naive code.
SPECIALS = "{}[]\",:;\t\n\r\\@=<>&#%$~_^'`/\x00\x0b\x85\u2028\u200b\u200f\u202e\ufeff\ufffe\uffff\ud7ff\U0001f600"
hostile_text = st.text(alphabet=st.sampled_from(SPECIALS) | st.characters(codec="utf-8"), max_size=300)
# Words for good records: no markup, so each title reads back exactly as written.
word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)
title = st.lists(word, min_size=2, max_size=5).map(lambda ws: " ".join(ws).capitalize())


def _titles(fmt: str, data: bytes) -> list[str]:
    return [paper.title for paper in check_reader(fmt, data)]


@pytest.mark.parametrize("fmt", READER_TARGETS)
@HOSTILE
@given(data=st.binary(max_size=2000))
def test_any_bytes_are_read_or_reported(fmt, data):
    check_reader(fmt, data)


@pytest.mark.parametrize("fmt", READER_TARGETS)
@HOSTILE
@given(text=hostile_text)
def test_any_text_is_read_or_reported(fmt, text):
    check_reader(fmt, text.encode("utf-8", "surrogatepass"))


# JSON escapes can spell lone UTF-16 surrogates ("\\ud800"), which no UTF-8 output can hold.
with_surrogates = st.text(alphabet=st.characters(categories=["Cs"]) | st.sampled_from("ab "), min_size=1, max_size=8)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text | with_surrogates,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text | st.sampled_from(
        ["title", "abstract", "id", "doi", "url", "authors", "date", "abstract_inverted_index", "update_date", "results"]), inner, max_size=5),
    max_leaves=20,
)


@pytest.mark.parametrize("fmt", ["json", "arxiv", "openalex"])
@HOSTILE
@given(values=st.lists(json_values, min_size=1, max_size=5), as_lines=st.booleans())
def test_any_json_values_are_read_or_reported(fmt, values, as_lines):
    text = "\n".join(json.dumps(v) for v in values) if as_lines else json.dumps(values, indent=1)
    check_reader(fmt, text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
@HOSTILE
@given(rows=st.lists(st.lists(hostile_text, max_size=5), max_size=6))
def test_any_csv_rows_are_read_or_reported(fmt, rows):
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else ",")
    writer.writerow(["title", "abstract", "authors"])
    writer.writerows(rows)
    check_reader(fmt, out.getvalue().encode("utf-8", "surrogatepass"))


@HOSTILE
@given(fields=st.lists(st.tuples(st.sampled_from(["title", "abstract", "author", "year", "month", "doi", "url", "eprint", "x"]), hostile_text), max_size=6),
       kind=st.sampled_from(["article", "misc", "string", "comment", "preamble", "x"]))
def test_any_bibtex_entry_is_read_or_reported(fields, kind):
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields)
    check_reader("bibtex", f"@{kind}{{key,\n{body}\n}}\n".encode("utf-8", "surrogatepass"))


@HOSTILE
@given(lines=st.lists(hostile_text | st.sampled_from(["Mar 14", "Feb 30", "new", "Subscribe", ""]), max_size=12))
def test_any_listing_page_is_read_or_reported(lines):
    check_reader("listing", "\n".join(lines).encode("utf-8", "surrogatepass"))


xml_ish = st.lists(
    st.sampled_from(["<", ">", "</", "/>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#x110000;", "&lt;", "&bogus;",
                     "<script>", "<?xml", "?>", "=\"", "'", "\\", "{", "}", "$", " "]) | word,
    max_size=60,
).map("".join)


@pytest.mark.parametrize("fmt", READER_TARGETS)
@HOSTILE
@given(text=xml_ish)
def test_any_xml_ish_text_is_read_or_reported(fmt, text):
    check_reader(fmt, text.encode())


@HOSTILE
@given(text=hostile_text | xml_ish)
def test_clean_text_of_anything_is_plain_text(text):
    check_clean_text(text)


# Good records around one bad one: every good title must come through.
def _json_lines(titles: list[str], bad_at: int) -> bytes:
    lines = [json.dumps({"title": t, "abstract": f"About {t}."}) for t in titles]
    lines.insert(bad_at, '{"title": "x", "abstract": ' + "[" * 5000 + "}")  # malformed and too deep to parse
    return "\n".join(lines).encode()


def _csv(titles: list[str], bad_at: int) -> bytes:
    rows = [f'"{t}","About {t}."' for t in titles]
    rows.insert(bad_at, '"x","y",\xff\r,"extra"')  # not UTF-8, a bare CR and an extra field
    return ("title,abstract\n" + "\n".join(rows) + "\n").encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff")


def _bibtex(titles: list[str], bad_at: int) -> bytes:
    entries = [f"@article{{k{i},\n  title = {{{t}}},\n  abstract = {{About {t}.}}\n}}" for i, t in enumerate(titles)]
    entries.insert(bad_at, "@article{bad,\n  title = {x},\n  abstract = {never closed\n")
    return "\n\n".join(entries).encode()


def _listing(titles: list[str], bad_at: int) -> bytes:
    abstract = " ".join(["word"] * 80)  # long enough to read as an abstract
    lines = ["new", "Mar 14"]
    for t in titles:
        lines += [t, f"{t}: {abstract}"]
    lines.insert(2 + 2 * bad_at, f"Lone {abstract}")  # an abstract with no title before it
    return "\n\n".join(lines).encode()


@pytest.mark.parametrize("fmt, build", [("json", _json_lines), ("csv", _csv), ("bibtex", _bibtex), ("listing", _listing)])
@settings(max_examples=25, deadline=timedelta(seconds=10))
@given(titles=st.lists(title, min_size=1, max_size=6, unique_by=str.lower), data=st.data())
def test_a_bad_record_costs_only_itself(fmt, build, titles, data):
    bad_at = data.draw(st.integers(0, len(titles)))
    log = ProblemLog()
    papers = list(get_reader(fmt)(io.BytesIO(build(titles, bad_at)), source="mixed", problems=log))
    assert [p.title for p in papers] == titles
    assert log.problems, "the bad record was not reported"


def test_a_bad_file_costs_only_itself(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"title": "Good one", "abstract": "Fine."}\n')
    (tmp_path / "b.json").write_bytes(b"[" * 100_000)
    (tmp_path / "c.csv").write_bytes(b"\x00\x01binary")
    (tmp_path / "d.bib").write_bytes(b"\x1f\x8b\x08truncated gzip")
    (tmp_path / "e.txt").write_text("Mar 14\n\nGood two\n\n" + "word " * 80)
    corpus = read_corpus([tmp_path])
    assert sorted(p.title for p in corpus) == ["Good one", "Good two"]
    assert {Path(p.path).name for p in corpus.problems} == {"b.json", "c.csv", "d.bib"}


# Cases the fuzzers found (the files are replayed in test_fuzz_targets.py too).
def test_bare_carriage_return_in_a_csv_header_is_reported():
    log = ProblemLog()
    assert list(get_reader("tsv")(io.BytesIO(b"title\t\rabstract\nA\tB\n"), source="cr.tsv", problems=log)) == []
    assert str(log.problems[0]).startswith("cr.tsv:1: malformed CSV header")


def test_json_nested_past_the_recursion_limit_is_a_malformed_record():
    log = ProblemLog()
    data = b'{"title": "A", "abstract": "B"}\n' + b"[" * 100_000 + b'\n{"title": "C", "abstract": "D"}\n'
    assert [p.title for p in get_reader("json")(io.BytesIO(data), source="deep.jsonl", problems=log)] == ["A", "C"]
    assert [str(p) for p in log.problems] == ["deep.jsonl:2: malformed JSON: nested too deeply (column 1)"]
    for fmt in ("json", "arxiv", "openalex"):
        log = ProblemLog()
        assert list(get_reader(fmt)(io.BytesIO(b'{"results": ' + b"[" * 100_000), source="deep.json", problems=log)) == []
        assert "nested too deeply" in str(log.problems[0])


def test_a_reader_abandoned_after_its_stream_closed_cleans_up_quietly():
    unraisable = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        stream = io.BytesIO(b"a\nb\n")
        lines = iter_lines(stream, source="s", problems=ProblemLog())
        assert next(lines).text == "a"
        stream.close()
        lines.close()
        del lines
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert unraisable == []


def test_lone_surrogates_from_json_escapes_become_replacement_characters(tmp_path):
    source = tmp_path / "s.jsonl"
    source.write_text(r'{"title": "T \ud800", "abstract": "A \udfff.", "authors": ["B \udbff"], "categories": "c\ud800",'
                      r' "url": "https://x.org/\ud800", "doi": "10.1000/\udc00"}' "\n")
    paper, = read_corpus([source])
    assert (paper.title, paper.abstract, paper.authors, paper.doi) == ("T \ufffd", "A \ufffd.", ("B \ufffd",), "10.1000/\ufffd")
    check_reader("json", source.read_bytes())


def test_noncharacters_and_controls_are_dropped_so_xml_outputs_stay_well_formed(tmp_path):
    import xml.etree.ElementTree as ElementTree

    from kg.graph import build_graph
    from kg.sparql.engine import run_query
    from kg.sparql.formats import format_result

    source = tmp_path / "x.jsonl"
    source.write_text(r'{"title": "A\uffffB\u000bC\ufffe", "abstract": "D\u0000E."}' "\n")
    paper, = read_corpus([source])
    assert (paper.title, paper.abstract) == ("ABC", "DE.")
    graph = build_graph([paper], [], store="memory")
    xml = format_result(run_query(graph, "SELECT ?t WHERE { ?p dcterms:title ?t }"), "xml")
    assert [e.text for e in ElementTree.fromstring(xml).iter() if e.tag.endswith("literal")] == ["ABC"]
