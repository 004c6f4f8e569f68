"""The statistical NER component (`kg_ner`), its training data and `kg train`."""

from __future__ import annotations

import json

import pytest
import spacy
from click.testing import CliRunner
from spacy.tokens import Doc, Span

from extractors.external_data import external_docs
from extractors.gold_projection import project_entities, project_paper
from extractors.records import ENTITY_TYPES
from extractors.statistical_ner import default_model_dir
from extractors.training import build_training_docs
from kg.cli import cli
from kg.problems import InputError


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.blank("en")
    pipeline.add_pipe("kg_ner")  # found through the spacy_factories entry point
    return pipeline


def test_shipped_model_is_small_and_in_the_package():
    files = [p for p in default_model_dir().rglob("*") if p.is_file()]
    assert (default_model_dir() / "meta.json").is_file()
    assert sum(p.stat().st_size for p in files) < 6_000_000


def test_component_writes_scored_spans_and_leaves_ents_alone(nlp):
    words = "We fine-tune LLaMA-2-7B with LoRA and report accuracy and F1 on the GSM8K benchmark .".split()
    doc = Doc(nlp.vocab, words=words)
    doc.ents = [Span(doc, 0, 1, label="PERSON")]  # a rule component's annotation
    doc = nlp.get_pipe("kg_ner")(doc)
    group = doc.spans["kg_ner"]
    scores = group.attrs["scores"]
    assert len(group) > 0 and len(scores) == len(group)
    assert all(span.label_ in ENTITY_TYPES for span in group)
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(0, 1, "PERSON")]
    covered = [i for span in group for i in range(span.start, span.end)]
    assert len(covered) == len(set(covered))


ABSTRACT = (
    "We propose Direct Nash Optimization (DNO), a post-training method for large language models. "
    "DNO improves Orca-2.5 on AlpacaEval 2.0 and MT-Bench, measured by win rate against GPT-4-Turbo."
)


def test_scores_are_probabilities_and_the_threshold_filters_on_them(nlp):
    doc = nlp(ABSTRACT)
    group = doc.spans["kg_ner"]
    scores = group.attrs["scores"]
    assert len(set(scores)) > 1  # real per-span probabilities, not a constant
    cut = sorted(scores)[len(scores) // 2]
    strict = spacy.blank("en")
    strict.add_pipe("kg_ner", config={"threshold": cut})
    strict_doc = strict(ABSTRACT)
    kept = strict_doc.spans["kg_ner"]
    expected = [(s.start, s.end, s.label_) for s, score in zip(group, scores) if score >= cut]
    assert [(s.start, s.end, s.label_) for s in kept] == expected


def test_component_handles_empty_and_batched_docs(nlp):
    docs = list(nlp.pipe(["", "BERT is evaluated on SQuAD with exact match .", "\u0000\u0007 ###"]))
    assert len(docs[0].spans["kg_ner"]) == 0
    assert docs[0].spans["kg_ner"].attrs["scores"] == []
    assert not docs[1].has_annotation("ENT_IOB")  # no entity annotation left behind


def test_projection_finds_every_occurrence_longest_first():
    text = "GPT-4o-mini beats GPT-4o. Large language models (LLMs) and large-language model tuning; LLMs again."
    entities = [
        {"name": "GPT-4o", "type": "Model"},
        {"name": "GPT-4o-mini", "type": "Model"},
        {"name": "large language model", "type": "Method", "aliases": ["LLMs"]},
        {"name": "language model", "type": "Method"},
    ]
    found = [(text[s.start : s.end], s.label) for s in project_entities(text, entities)]
    assert found == [
        ("GPT-4o-mini", "Model"),
        ("GPT-4o", "Model"),
        ("Large language models", "Method"),
        ("LLMs", "Method"),
        ("large-language model", "Method"),
        ("LLMs", "Method"),
    ]


def test_projection_reports_missing_names_and_respects_word_boundaries():
    projection = project_paper("BERTology", "We study RoBERTa.", [{"name": "BERT", "type": "Model"}])
    assert projection.spans == () and projection.missing == ("BERT",)
    assert projection.text == "BERTology\n\nWe study RoBERTa."


def _write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


PAPERS = [
    {"title": "LoRA-Pro: better low-rank adaptation", "abstract": "We propose LoRA-Pro, based on Low-Rank Adaptation (LoRA). We fine-tune GPT-4o and report accuracy on MMLU."},
    {"title": "A benchmark for code", "abstract": "We introduce CodeBench, a benchmark for code generation, and evaluate GPT-4o with pass@1."},
]
GOLD = [
    {"title": PAPERS[0]["title"], "entities": [
        {"name": "LoRA-Pro", "type": "Method"}, {"name": "Low-Rank Adaptation", "type": "Method", "aliases": ["LoRA"]},
        {"name": "GPT-4o", "type": "Model"}, {"name": "accuracy", "type": "Metric"}, {"name": "MMLU", "type": "Benchmark"}]},
    {"title": PAPERS[1]["title"], "entities": [
        {"name": "CodeBench", "type": "Benchmark"}, {"name": "code generation", "type": "Task"},
        {"name": "GPT-4o", "type": "Model"}, {"name": "pass@1", "type": "Metric"}]},
]


def test_training_docs_carry_the_projected_gold(tmp_path):
    data = build_training_docs(_write_jsonl(tmp_path / "p.jsonl", PAPERS), _write_jsonl(tmp_path / "g.jsonl", GOLD))
    assert (data.entities, data.recovered) == (9, 9)
    first = [(e.text, e.label_) for e in data.docs[0].ents]
    assert ("Low-Rank Adaptation", "Method") in first and ("LoRA", "Method") in first
    assert first.count(("LoRA-Pro", "Method")) == 2  # title and abstract


def test_gold_without_its_paper_is_an_error_naming_file_and_line(tmp_path):
    gold = _write_jsonl(tmp_path / "g.jsonl", GOLD + [{"title": "Unknown paper", "entities": []}])
    with pytest.raises(InputError, match=r"g\.jsonl:3: no paper titled"):
        build_training_docs(_write_jsonl(tmp_path / "p.jsonl", PAPERS), gold)


def test_external_data_become_partial_labels(tmp_path):
    folder = tmp_path / "scirex"
    folder.mkdir()
    text = "BERT improves question answering F1 on SQuAD ."
    entities = [
        {"text": "BERT", "type": "Method", "start": 0, "end": 4},
        {"text": "question answering", "type": "Task", "start": 14, "end": 32},
        {"text": "F1", "type": "Metric", "start": 33, "end": 35},
        {"text": "SQuAD", "type": "Material", "start": 39, "end": 44},
    ]
    (doc,) = external_docs(_write_jsonl(folder / "train.jsonl", [{"doc_id": "x", "text": text, "entities": entities}]))
    assert [(e.text, e.label_) for e in doc.ents] == [("question answering", "Task"), ("F1", "Metric")]
    assert [t.ent_iob_ for t in doc] == ["", "O", "B", "I", "B", "O", "", "O"]


def _train_tiny(tmp_path, name: str):
    papers = _write_jsonl(tmp_path / "p.jsonl", PAPERS)
    gold = _write_jsonl(tmp_path / "g.jsonl", GOLD)
    out = tmp_path / name
    args = ["train", "--papers", str(papers), "--gold", str(gold), "-o", str(out), "--max-steps", "3", "--holdout", "0.5"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out, json.loads(result.output[result.output.rindex("\n{") + 1 :])


def test_kg_train_runs_end_to_end_and_repeatably_on_a_tiny_dataset(tmp_path):
    out, summary = _train_tiny(tmp_path, "model")
    assert (summary["gold_entities"], summary["train_papers"], summary["heldout_papers"]) == (9, 1, 1)
    again, _ = _train_tiny(tmp_path, "again")
    assert (out / "ner" / "model").read_bytes() == (again / "ner" / "model").read_bytes()  # same seed, same model
    pipeline = spacy.blank("en")
    pipeline.add_pipe("kg_ner", config={"model_dir": str(out)})
    doc = pipeline("We fine-tune GPT-4o.")
    assert all(span.label_ in ENTITY_TYPES for span in doc.spans["kg_ner"])
