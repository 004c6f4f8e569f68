"""Relations from `kg extract` to the graph and the named SPARQL queries.

Small papers written for these tests go through the real pipeline (the shipped
relation model), `kg extract`, `build_graph` and `kg query`; the "evaluated on" and
"based on" questions are also asked of the bundled corpus papers that mention GSM8K.
"""

import csv
import io
import json

import pytest
from click.testing import CliRunner
from rdflib import RDF, SKOS, Literal

from extractors.records import RELATION_TYPES
from kg.cli import cli
from kg.corpus import read_corpus
from kg.extraction import extract_papers
from kg.graph import build_graph, write_graph
from kg.vocab import KG

PAPERS = [
    {
        "id": "t1",
        "title": "ToolNet: retrieval for question answering",
        "abstract": "We introduce ToolNet, a retrieval model for question answering. ToolNet is fine-tuned from "
        "LLaMA-2-7B and evaluated on GSM8K, MATH and HumanEval, where it outperforms GPT-4.",
    },
    {
        "id": "t2",
        "title": "Sparse adapters",
        "abstract": "We propose SparseLoRA, a method based on LoRA for parameter-efficient fine-tuning. "
        "SparseLoRA achieves 81.2% accuracy on GSM8K and outperforms QLoRA.",
    },
    {
        "id": "t3",
        "title": "SparseLoRA: longer prompts",
        "abstract": "We study SparseLoRA with longer prompts. SparseLoRA is evaluated on GSM8K and keeps its accuracy.",
    },
]


@pytest.fixture(scope="module")
def papers_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("relations") / "papers.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PAPERS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def extracted(papers_file):
    result = CliRunner().invoke(cli, ["extract", "--profile", "accurate", str(papers_file)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def triples(record):
    return {(r["head"], r["relation"], r["tail"]) for r in record["relations"]}


def test_kg_extract_fills_relations_between_the_papers_entities(extracted):
    by_title = {p["title"]: p for p in PAPERS}
    for record in extracted:
        names = {e["name"] for e in record["entities"]}
        fields = {"title": record["title"], "abstract": by_title[record["title"]]["abstract"]}
        assert record["relations"]
        for relation in record["relations"]:
            assert {"head", "relation", "tail", "evidence", "confidence"} <= relation.keys()
            assert relation["head"] in names and relation["tail"] in names and relation["head"] != relation["tail"]
            assert relation["relation"] in RELATION_TYPES
            assert 0.0 < relation["confidence"] <= 1.0 and relation["component"].startswith("kg_relations")
            evidence = relation["evidence"]
            assert fields[evidence["field"]][evidence["start"] : evidence["end"]] == evidence["text"]
            assert relation["head"] in evidence["text"] or relation["tail"] in evidence["text"]


def test_lists_our_subject_and_triggers_reach_the_output(extracted):
    toolnet, sparse, _ = extracted
    # "evaluated on GSM8K, MATH and HumanEval" gives three relations
    assert {("ToolNet", "evaluatedOn", b) for b in ("GSM8K", "MATH", "HumanEval")} <= triples(toolnet)
    assert ("ToolNet", "appliedTo", "question answering") in triples(toolnet)
    assert {("SparseLoRA", "basedOn", "LoRA"), ("SparseLoRA", "evaluatedOn", "GSM8K")} <= triples(sparse)
    based = next(r for r in sparse["relations"] if r["relation"] == "basedOn" and r["tail"] == "LoRA")
    assert based["evidence"]["trigger"] == "based on"
    assert based["evidence"]["text"].startswith("We propose SparseLoRA")


def test_fast_profile_reads_relations_from_patterns_alone():
    from extractors.pipeline import extract, load_pipeline

    nlp = load_pipeline("fast")
    assert nlp.get_pipe("kg_relations").model is None
    records = list(extract(nlp, [(p["id"], p["title"], p["abstract"]) for p in PAPERS]))
    found = {(r.head, r.relation, r.tail) for record in records for r in record.relations}
    # triggers right after the head: "fine-tuned from", "based on", "evaluated on", and the
    # paper's own system "for" a task
    assert {("ToolNet", "basedOn", "LLaMA-2-7B"), ("ToolNet", "appliedTo", "question answering"),
            ("SparseLoRA", "basedOn", "LoRA"), ("SparseLoRA", "evaluatedOn", "GSM8K")} <= found
    # the paper's own system: evaluated on the data of a sentence about evaluation, beating the
    # Model after "outperforms" (the pair rules read no trigger past another mention)
    assert {("ToolNet", "evaluatedOn", b) for b in ("GSM8K", "MATH", "HumanEval")} <= found
    assert ("ToolNet", "outperforms", "GPT-4") in found
    # a Method or Model the introduced system merely mentions is no relation of it
    assert ("SparseLoRA", "outperforms", "LoRA") not in found
    for record in records:
        names = {e.name for e in record.entities}
        assert all(r.head in names and r.tail in names and r.component == "kg_relations/patterns" for r in record.relations)


def test_graph_has_relations_with_support_and_evidence(papers_file, tmp_path):
    corpus = read_corpus([str(papers_file)])
    dataset = build_graph(corpus.papers, list(extract_papers(corpus.papers, profile="accurate")))
    labels = {str(node): str(label) for node, label in dataset.subject_objects(SKOS.prefLabel)}
    evaluated = {(labels[str(s)], labels[str(o)]) for s, o in dataset.subject_objects(KG.evaluatedOn)}
    assert {("ToolNet", "GSM8K"), ("ToolNet", "MATH"), ("SparseLoRA", "GSM8K")} <= evaluated
    # one support node per relation, counting the papers that state it
    support = {}
    for node in dataset.subjects(RDF.type, KG.RelationSupport):
        triple = tuple(dataset.value(node, term) for term in (RDF.subject, RDF.predicate, RDF.object))
        support[(labels[str(triple[0])], triple[1], labels[str(triple[2])])] = int(dataset.value(node, KG.supportCount))
    assert support[("SparseLoRA", KG.evaluatedOn, "GSM8K")] == 2
    assert support[("ToolNet", KG.evaluatedOn, "GSM8K")] == 1
    assert set(dataset.objects(None, KG.trigger)) >= {Literal("evaluated on"), Literal("based on")}
    write_graph(dataset, tmp_path)
    assert (tmp_path / "graph.trig").is_file()


def query(graph_dir, name, **bindings):
    args = ["query", str(graph_dir), "--name", name, "--format", "csv"]
    for key, value in bindings.items():
        args += ["--bind", f"{key}={value}"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


@pytest.fixture(scope="module")
def small_graph(papers_file, tmp_path_factory):
    corpus = read_corpus([str(papers_file)])
    out = tmp_path_factory.mktemp("graph")
    write_graph(build_graph(corpus.papers, list(extract_papers(corpus.papers, profile="accurate"))), out)
    return out


def test_named_evaluated_on_questions(small_graph):
    rows = query(small_graph, "models-on-benchmark", benchmark="gsm8k")
    assert {(r["label"], r["papers"]) for r in rows} == {("ToolNet", "1"), ("SparseLoRA", "2")}
    rows = query(small_graph, "datasets-for-method", method="ToolNet")
    stated = {r["label"] for r in rows if r["evaluatedOn"] in ("true", "1")}
    assert stated == {"GSM8K", "MATH", "HumanEval"}


def test_named_based_on_question(small_graph):
    rows = query(small_graph, "based-on", entity="SparseLoRA")
    assert ("basedOn", "LoRA", "1") in {(r["direction"], r["label"], r["papers"]) for r in rows}
    rows = query(small_graph, "based-on", entity="lora")
    assert ("basisOf", "SparseLoRA") in {(r["direction"], r["label"]) for r in rows}


@pytest.fixture(scope="module")
def gsm8k_corpus_graph(tmp_path_factory):
    """The bundled corpus papers that mention GSM8K, through the accurate pipeline."""
    papers = [p for p in read_corpus(()).papers if "GSM8K" in p.abstract]
    out = tmp_path_factory.mktemp("corpus")
    write_graph(build_graph(papers, list(extract_papers(papers))), out)
    return out, papers


def test_bundled_corpus_evaluated_on_gsm8k(gsm8k_corpus_graph):
    out, papers = gsm8k_corpus_graph
    assert len(papers) >= 10
    rows = query(out, "models-on-benchmark", benchmark="GSM8K")
    labels = {r["label"] for r in rows}
    # stated in the abstracts: "We evaluate our models on ... GSM8K" (Qwen2.5-Math) and
    # "validate the effectiveness of RISE ... improvements of 3.0% on GSM8K"
    assert len(rows) >= 5 and {"Qwen2.5-Math", "RISE"} <= labels
    provenance = query(out, "fact-provenance", subject="RISE", predicate="kg:evaluatedOn", object="GSM8K")
    assert provenance and "GSM8K" in provenance[0]["sentence"]
