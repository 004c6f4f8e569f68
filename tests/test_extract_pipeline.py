"""The whole extractor: records, offsets, bad input, `kg extract`, and the dev-set score."""

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractors.pipeline import extract, load_pipeline
from extractors.records import ENTITY_TYPES, ROLES, PaperExtraction
from kg.cli import cli
from kg.extraction import extract_papers
from kg.papers import Paper

SHARED = Path(os.environ.get("KG_SHARED", Path(__file__).resolve().parents[2] / "shared"))

TITLE = "OMNI: Open-endedness via Models of human Notions of Interestingness"
ABSTRACT = (
    "We propose solving this problem by Open-endedness via Models of human Notions of Interestingness (OMNI). "
    "OMNI uses foundation models (FMs) such as GPT-4 and is evaluated on the MMLU benchmark and the Crafter "
    "dataset, reporting accuracy."
)


@pytest.fixture(scope="module")
def fast():
    return load_pipeline("fast")


def one(nlp, title, abstract, paper_id="p"):
    [record] = extract(nlp, [(paper_id, title, abstract)])
    return record


def test_records_name_type_role_aliases(fast):
    record = one(fast, TITLE, ABSTRACT)
    found = {e.name: (e.type, e.role, e.aliases) for e in record.entities}
    assert found["Open-endedness via Models of human Notions of Interestingness"] == ("Method", "introduced", ("OMNI",))
    assert found["foundation models"] == ("Method", "used", ("FMs",))
    assert found["GPT-4"][:2] == ("Model", "used")
    assert found["MMLU"][:2] == ("Benchmark", "used")
    assert found["Crafter"][:2] == ("Dataset", "used")
    assert found["accuracy"][:2] == ("Metric", "used")
    assert record.extractor == "kg-extractors/fast" and record.extractor_version


def test_mentions_point_into_title_and_abstract(fast):
    record = one(fast, TITLE, ABSTRACT)
    fields = {"title": TITLE, "abstract": ABSTRACT}
    mentions = [m for e in record.entities for m in e.mentions]
    assert {m.field for m in mentions} == {"title", "abstract"}
    for m in mentions:
        assert fields[m.field][m.start : m.end] == m.text
        assert 0.0 < m.confidence <= 1.0 and m.component.startswith("kg_")
    omni = next(e for e in record.entities if "OMNI" in e.aliases)
    assert sorted({(m.field, m.sentence) for m in omni.mentions}) == [("abstract", 0), ("abstract", 1), ("title", 0)]
    for e in record.entities:
        assert e.type in ENTITY_TYPES and e.role in ROLES


def test_json_round_trip(fast):
    record = one(fast, TITLE, ABSTRACT)
    assert PaperExtraction.from_json(json.loads(json.dumps(record.to_json()))) == record


def test_input_order_and_batching(fast):
    items = [(f"p{i}", f"Paper {i}", f"We evaluate GPT-{i} on MMLU.") for i in range(5)]
    records = list(extract(fast, items, batch_size=2))
    assert [r.paper_id for r in records] == [f"p{i}" for i in range(5)]


@pytest.mark.parametrize(
    "title, abstract",
    [
        ("", ""),
        ("Only a title", ""),
        ("", "   \n\n  "),
        ("Garbage", "ж☃︎ qqq ((( ]]] ;;; 12 34 %%% ---- ))) \\ /// \u200b\u200b"),
        ("Non-English", "Ce travail étudie les réseaux de neurones et la traduction automatique."),
        ("Control", "We use\x00 BERT\x07 and\x1b[31m GPT-4\x0c on\rMMLU.\x7f"),
    ],
)
def test_bad_input_does_not_crash(fast, title, abstract):
    record = one(fast, title, abstract)
    fields = {"title": title, "abstract": abstract}
    for e in record.entities:
        for m in e.mentions:
            assert fields[m.field][m.start : m.end] == m.text


def test_empty_input_gives_empty_result(fast):
    assert one(fast, "", "").entities == ()
    assert one(fast, "Garbage", "qqq zzz 123 ... !!!").entities == ()


def _python_calls(nlp, abstract):
    """Python function calls made extracting ``abstract``: a deterministic cost measure."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        one(nlp, "Long", abstract)
    finally:
        sys.setprofile(None)
    return calls


def test_cost_grows_linearly_with_abstract_length(fast):
    # a 200,000-character abstract must not blow up: doubling the text may at most
    # about double the work (timing itself is in bench/bench_extract.py)
    unit = ABSTRACT + " Results (Table 2) with LLaMA-2-7B, Averaging, Task Arithmetic, and TIES hold. "
    small = _python_calls(fast, unit * 40)
    large = _python_calls(fast, unit * 80)
    assert large < 2.3 * small


def test_very_long_abstract(fast):
    # a 200,000-character abstract goes through (its timing is in bench/bench_extract.py)
    abstract = (ABSTRACT + " ") * (200_000 // len(ABSTRACT))
    record = one(fast, TITLE, abstract)
    gpt4 = next(e for e in record.entities if e.name == "GPT-4")
    assert len(gpt4.mentions) == 200_000 // len(ABSTRACT)


def test_extract_papers_adapts_papers():
    papers = [Paper(id="a", title=TITLE, abstract=ABSTRACT), Paper(id="b", title="Empty", abstract="")]
    records = list(extract_papers(papers, profile="fast"))
    assert [r.paper_id for r in records] == ["a", "b"]
    assert records[1].entities == ()
    with pytest.raises(ValueError, match="unknown profile"):
        list(extract_papers(papers, profile="slow"))


def test_kg_extract_command(tmp_path):
    source = tmp_path / "papers.jsonl"
    papers = [
        {"title": TITLE, "abstract": ABSTRACT},
        {"title": "Orca 2: Teaching Small Language Models How to Reason", "abstract": "We release Orca 2 and test it on BIG-Bench Hard."},
        {"title": "A paper with nothing", "abstract": "We think about things, and then we write."},
    ]
    source.write_text("".join(json.dumps(p) + "\n" for p in papers), encoding="utf-8")
    out = tmp_path / "out" / "extract.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(source), "-o", str(out), "--profile", "fast"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["title"] for line in lines] == [p["title"] for p in papers]
    assert set(lines[0]) >= {"id", "title", "entities", "relations"}
    orca = {e["name"]: e for e in lines[1]["entities"]}["Orca 2"]
    assert (orca["type"], orca["role"]) == ("Model", "introduced")
    assert lines[2]["entities"] == []
    assert list(out.parent.iterdir()) == [out]  # written atomically: no temporary file left


def _score(profile, tmp_path):
    papers = SHARED / "eval" / "dev.papers.jsonl"
    if not papers.is_file():
        pytest.skip(f"no dev set at {papers} (set KG_SHARED)")
    spec = importlib.util.spec_from_file_location("score_entities", SHARED / "eval" / "score_entities.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    pred = tmp_path / f"dev.{profile}.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(papers), "-o", str(pred), "--profile", profile])
    assert result.exit_code == 0, result.output
    return scorer.score(scorer.load([SHARED / "eval" / "dev.gold.jsonl"]), scorer.load([pred]))


def test_dev_score_fast_profile(tmp_path):
    # a regression guard for the rules alone (measured 0.666 typed F1)
    scores = _score("fast", tmp_path)
    assert scores["papers_missing_from_predictions"] == 0
    assert scores["typed"]["f1"] >= 0.63


@pytest.mark.xfail(strict=True, reason="bar not reached: measured dev typed F1 0.690, introduced F1 0.600 (accurate: rules + span classifier + own phrases + trained entity filter with nesting features; fast 0.666 / 0.583)")
def test_dev_typed_f1_at_least_075(tmp_path):
    assert _score("accurate", tmp_path)["typed"]["f1"] >= 0.75


def test_json_shape_is_asdict():
    from dataclasses import asdict

    from extractors.records import Entity, Evidence, Mention, Relation

    mention = Mention("LoRA", "abstract", 4, 8, 0, 0.85, "kg_lexicon")
    entities = (Entity("Low-Rank Adaptation", "Method", "used", ("LoRA", "LRA"), (mention, mention), 0.85),
                Entity("GLUE", "Benchmark", "used", (), (mention,), 0.9))
    relation = Relation("Low-Rank Adaptation", "evaluatedOn", "GLUE", Evidence("abstract", 0, 0, 20, "LoRA on GLUE", "on"), 0.7, "kg_relations")
    record = PaperExtraction("p", "A paper", entities, (relation,), "kg-extractors/fast", "0.2.0")
    assert record.to_json() == {
        "id": "p", "title": "A paper",
        "entities": [asdict(e) | {"aliases": list(e.aliases)} for e in entities],
        "relations": [asdict(relation)],
        "extractor": "kg-extractors/fast", "extractor_version": "0.2.0",
    }
    assert [list(e) for e in record.to_json()["entities"]] == [list(asdict(e)) for e in entities]  # same key order
    assert list(record.to_json()["relations"][0]) == list(asdict(relation))
