"""Relation extraction on hand-built Docs: the fast profile's rules (trigger families,
lists, type constraints, evidence), the shipped classifier ("our X"), and the
classifier's file round trip."""

import json
from dataclasses import replace
import re

import pytest
import spacy

from extractors.aggregate import RELATION_FINDINGS, doc_to_extraction, normalise_name
from extractors.candidates import ENTITY_SPANS, TITLE_CHARS
from extractors.offsets import span_at
from extractors.relation_features import allowed, pair_candidates
from extractors.sparse_logistic import SparseLogisticModel
from extractors.relations import RelationFinder, default_model_path
from extractors.roles import INTRODUCED_SPANS
from extractors.sentences import split_sentences

NLP = spacy.blank("en")


def make_doc(text, entities, introduced=(), title_chars=0):
    """A Doc whose entities are every occurrence of the given (surface, type) pairs."""
    doc = NLP.make_doc(text)
    doc.user_data["kg_text"] = text
    doc.user_data[TITLE_CHARS] = title_chars
    split_sentences(doc)
    spans, own = [], []
    for surface, label in entities:
        for match in re.finditer(re.escape(surface), text):
            span = span_at(doc, match.start(), match.end(), label)
            spans.append(span)
            if surface in introduced:
                own.append(span)
    doc.spans[ENTITY_SPANS] = sorted(spans, key=lambda s: s.start)
    doc.spans[ENTITY_SPANS].attrs["components"] = ["test"] * len(spans)
    doc.spans[ENTITY_SPANS].attrs["confidences"] = [1.0] * len(spans)
    doc.spans[INTRODUCED_SPANS] = own
    return doc


def triples(doc, model=None):
    doc = RelationFinder(model)(doc)
    return {(f.head, f.relation, f.tail) for f in doc.user_data[RELATION_FINDINGS]}


def key(name):
    return normalise_name(name)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("ToolX outperforms BaseNet by a wide margin.", ("ToolX", "outperforms", "BaseNet")),
        ("ToolX clearly surpasses BaseNet.", ("ToolX", "outperforms", "BaseNet")),
        ("BaseNet is outperformed by ToolX.", ("ToolX", "outperforms", "BaseNet")),
        ("ToolX is built on BaseNet.", ("ToolX", "basedOn", "BaseNet")),
        ("ToolX extends BaseNet with memory.", ("ToolX", "basedOn", "BaseNet")),
        ("ToolX, a compact reasoner, is fine-tuned from BaseNet.", ("ToolX", "basedOn", "BaseNet")),
    ],
)
def test_method_pair_trigger_families(sentence, expected):
    doc = make_doc(sentence, [("ToolX", "Method"), ("BaseNet", "Method")])
    head, relation, tail = expected
    assert (key(head), relation, key(tail)) in triples(doc)


def test_achieves_on_gives_evaluated_on():
    doc = make_doc("ToolX achieves 81.2% accuracy on QuestBench.", [("ToolX", "Model"), ("QuestBench", "Benchmark")])
    assert triples(doc) == {("toolx", "evaluatedOn", "questbench")}


def test_x_for_task_gives_applied_to_for_the_papers_own_system_only():
    text = "We propose ToolX. ToolX is a retriever for question answering."
    doc = make_doc(text, [("ToolX", "Method"), ("question answering", "Task")], introduced=("ToolX",))
    assert triples(doc) == {("toolx", "appliedTo", "questionanswering")}
    # "diffusion models for 3D generation": a general method named for a task is not annotated
    assert triples(make_doc(text, [("ToolX", "Method"), ("question answering", "Task")])) == set()


def test_rules_read_no_relation_past_another_mention_before_the_trigger():
    doc = make_doc("ToolX and BaseNet outperform OldNet.", [("ToolX", "Method"), ("BaseNet", "Method"), ("OldNet", "Method")])
    assert triples(doc) == {("basenet", "outperforms", "oldnet")}


def test_evaluated_on_a_list_gives_one_relation_per_item():
    doc = make_doc(
        "ToolX is evaluated on AlphaSet, BetaQA and GammaBench.",
        [("ToolX", "Model"), ("AlphaSet", "Dataset"), ("BetaQA", "Benchmark"), ("GammaBench", "Benchmark")],
    )
    found = triples(doc)
    assert {("toolx", "evaluatedOn", t) for t in ("alphaset", "betaqa", "gammabench")} <= found
    # the items of the list are siblings, never related to each other
    assert not {t for t in found if t[0] in ("alphaset", "betaqa", "gammabench")}


def test_our_model_takes_the_introduced_entity_as_subject():
    text = "Reasoning is hard. We introduce ToolX, a compact reasoner. Our model outperforms BaseNet and is evaluated on QuestBench."
    entities = [("ToolX", "Model"), ("BaseNet", "Model"), ("QuestBench", "Benchmark")]
    model = SparseLogisticModel.load(default_model_path())
    found = triples(make_doc(text, entities, introduced=("ToolX",)), model)
    assert ("toolx", "evaluatedOn", "questbench") in found
    # the rules read "our model" as the introduced system too: its evaluation and whom it beats
    assert triples(make_doc(text, entities, introduced=("ToolX",))) == {("toolx", "evaluatedOn", "questbench"),
                                                                       ("toolx", "outperforms", "basenet")}
    # the same text without an introduced entity has nobody to be "our model"
    plain = make_doc(text, entities)
    assert ("toolx", "evaluatedOn", "questbench") not in triples(plain, model)
    assert triples(plain) == set()


def test_the_papers_own_system_heads_the_relations_of_its_paper():
    title = "ToolX: compact reasoning for question answering"
    abstract = ("Table summarization is an open problem. We introduce ToolX, a reasoner that leverages BaseNet. "
                "Our model surpasses strong baselines such as OldNet. Experiments on AlphaSet and BetaQA show large gains. "
                "Table summarization benefits too.")
    entities = [("ToolX", "Model"), ("BaseNet", "Model"), ("OldNet", "Model"), ("AlphaSet", "Dataset"),
                ("BetaQA", "Benchmark"), ("question answering", "Task"), ("Table summarization", "Task")]
    doc = make_doc(title + "\n\n" + abstract, entities, introduced=("ToolX",), title_chars=len(title))
    assert triples(doc) == {
        ("toolx", "appliedTo", "questionanswering"),  # the title's task
        ("toolx", "appliedTo", "tablesummarization"),  # named twice
        ("toolx", "basedOn", "basenet"),  # "leverages" right before it
        ("toolx", "outperforms", "oldnet"),  # "our model surpasses ... such as"
        ("toolx", "evaluatedOn", "alphaset"), ("toolx", "evaluatedOn", "betaqa"),  # "experiments on"
    }
    # a task named once, outside the title and with no "for" of the system, is a passing one
    once = make_doc(title + "\n\n" + abstract.replace(" Table summarization benefits too.", ""), entities,
                    introduced=("ToolX",), title_chars=len(title))
    assert ("toolx", "appliedTo", "tablesummarization") not in triples(once)
    # without an introduced system nobody heads them
    assert triples(make_doc(title + "\n\n" + abstract, entities, title_chars=len(title))) == set()


def test_a_variant_named_after_a_model_is_based_on_it():
    text = "We introduce ToolX-Pro, a larger model. ToolX is slow. Fine-tuning helps."
    doc = make_doc(text, [("ToolX-Pro", "Model"), ("ToolX", "Model"), ("Fine-tuning", "Method")], introduced=("ToolX-Pro",))
    # only a name the system's own name begins with: "Fine-tuning" is no base of it
    assert triples(doc) == {("toolxpro", "basedOn", "toolx")}


def test_a_system_described_as_built_on_a_model_is_based_on_it():
    text = "We introduce ToolX, a GraphNet-based reasoner. Others use TreeNet-based parsers."
    doc = make_doc(text, [("ToolX", "Model"), ("GraphNet", "Model"), ("TreeNet", "Model")], introduced=("ToolX",))
    # "TreeNet-based" stands in a sentence about other systems
    assert triples(doc) == {("toolx", "basedOn", "graphnet")}


def test_gains_over_a_model_in_a_sentence_about_the_system_beat_it():
    text = "We introduce ToolX. It shows large gains over BaseNet. BaseNet improves over OldNet."
    doc = make_doc(text, [("ToolX", "Model"), ("BaseNet", "Model"), ("OldNet", "Model")], introduced=("ToolX",))
    # the last sentence is about BaseNet, not the system
    assert ("toolx", "outperforms", "basenet") in triples(doc)
    assert ("toolx", "outperforms", "oldnet") not in triples(doc)


def test_the_named_model_of_a_method_is_what_is_evaluated():
    text = "We propose ValueGuide, a method, and train ValueGuide-7B with it. Experiments on AlphaSet show gains."
    doc = make_doc(text, [("ValueGuide", "Method"), ("ValueGuide-7B", "Model"), ("AlphaSet", "Dataset")],
                   introduced=("ValueGuide", "ValueGuide-7B"))
    assert ("valueguide7b", "evaluatedOn", "alphaset") in triples(doc)
    assert ("valueguide", "evaluatedOn", "alphaset") not in triples(doc)


def test_the_tasks_of_its_experiments_are_the_systems():
    text = "We propose ToolX. Experiments on code generation show gains. Translation is old."
    doc = make_doc(text, [("ToolX", "Method"), ("code generation", "Task"), ("Translation", "Task")], introduced=("ToolX",))
    assert triples(doc) == {("toolx", "appliedTo", "codegeneration")}


def test_own_system_triggers_stop_at_a_clause_break():
    text = "We introduce ToolX. ToolX outperforms prior work on tasks that BaseNet solves. Data of AlphaSet is used for training."
    doc = make_doc(text, [("ToolX", "Model"), ("BaseNet", "Model"), ("AlphaSet", "Dataset")], introduced=("ToolX",))
    # "on ... that" stands between "outperforms" and BaseNet; no word of evaluation near AlphaSet
    assert triples(doc) == set()


def test_an_introduced_benchmark_heads_its_task_and_is_the_tail_of_its_evaluations():
    title = "QuestBench: a benchmark for code generation"
    abstract = "Experiments show that BaseNet is evaluated on QuestBench. BaseNet is built on OldNet."
    doc = make_doc(title + "\n\n" + abstract, [("QuestBench", "Benchmark"), ("BaseNet", "Model"), ("OldNet", "Model"),
                                                 ("code generation", "Task")], introduced=("QuestBench",), title_chars=len(title))
    assert triples(doc) == {("questbench", "appliedTo", "codegeneration"), ("basenet", "evaluatedOn", "questbench"),
                            ("basenet", "basedOn", "oldnet")}
    # (the benchmark is evaluated on nothing, based on nothing: those are a Method's or Model's)
    # the systems of a sentence about its evaluation are evaluated on it
    abstract = "Results of GPT-4 and BaseNet on QuestBench lag behind humans. BaseNet is old."
    doc = make_doc(title + "\n\n" + abstract, [("QuestBench", "Benchmark"), ("BaseNet", "Model"), ("GPT-4", "Model"),
                                                 ("code generation", "Task")], introduced=("QuestBench",), title_chars=len(title))
    assert triples(doc) == {("questbench", "appliedTo", "codegeneration"), ("gpt4", "evaluatedOn", "questbench"),
                            ("basenet", "evaluatedOn", "questbench")}


def test_type_constraints():
    assert allowed("evaluatedOn", "Method", "Dataset") and not allowed("evaluatedOn", "Dataset", "Method")
    assert allowed("appliedTo", "Benchmark", "Task") and not allowed("appliedTo", "Task", "Method")
    assert not allowed("outperforms", "Method", "Task") and not allowed("basedOn", "Metric", "Method")
    # a metric and a task get no relation however strong the trigger
    doc = make_doc("Accuracy outperforms summarization on everything.", [("Accuracy", "Metric"), ("summarization", "Task")])
    assert triples(doc) == set()
    assert pair_candidates(doc) == []
    # a Task is never evaluated on a Benchmark: the pair becomes no candidate for it
    doc = make_doc("Summarization is evaluated on QuestBench.", [("Summarization", "Task"), ("QuestBench", "Benchmark")])
    assert triples(doc) == set()


def test_no_relation_without_a_sentence_joining_the_pair():
    doc = make_doc("ToolX is fast. BaseNet is slow.", [("ToolX", "Method"), ("BaseNet", "Method")])
    assert triples(doc) == set()


def test_evidence_points_at_the_sentence_in_its_field():
    title = "ToolX: compact reasoning"
    abstract = "Reasoning is hard. ToolX outperforms BaseNet on QuestBench. We release code."
    text = title + "\n\n" + abstract
    doc = make_doc(
        text, [("ToolX", "Method"), ("BaseNet", "Method"), ("QuestBench", "Benchmark")], title_chars=len(title)
    )
    doc = RelationFinder(None)(doc)
    record = doc_to_extraction(doc, paper_id="p", title=title, extractor="test", version="0")
    outperforms = next(r for r in record.relations if r.relation == "outperforms")
    assert (outperforms.head, outperforms.tail) == ("ToolX", "BaseNet")
    evidence = outperforms.evidence
    assert (evidence.field, evidence.sentence) == ("abstract", 1)
    assert abstract[evidence.start : evidence.end] == evidence.text == "ToolX outperforms BaseNet on QuestBench."
    assert evidence.trigger == "outperforms"
    assert 0.0 < outperforms.confidence <= 1.0 and outperforms.component.startswith("kg_relations")
    names = {e.name for e in record.entities}
    assert all(r.head in names and r.tail in names for r in record.relations)


def test_model_round_trip_and_thresholds(tmp_path):
    examples = [{"P:hf:outperforms", "T:Method>Method"}, {"S:tf", "T:Method>Method"}] * 5
    labels = ["outperforms", "none"] * 5
    model = SparseLogisticModel.fit(examples, labels, classes=("none", "basedOn", "evaluatedOn", "appliedTo", "outperforms"), l2=0.1)
    model.thresholds = {"outperforms": 0.5}
    path = tmp_path / "model.json"
    model.save(path)
    loaded = SparseLogisticModel.load(path)
    assert loaded.thresholds == {"outperforms": 0.5}
    before, after = model.probabilities(examples[:2]), loaded.probabilities(examples[:2])
    for p, q in zip(before, after):
        assert p == pytest.approx(q, abs=1e-3)
    assert before[0]["outperforms"] > 0.8 and before[1]["none"] > 0.8
    doc = make_doc("ToolX outperforms BaseNet.", [("ToolX", "Method"), ("BaseNet", "Method")])
    assert ("toolx", "outperforms", "basenet") in triples(doc, loaded)


def test_examples_without_a_known_feature_keep_the_bias_and_leave_the_others_alone():
    examples = [{"P:hf:outperforms", "T:Method>Method"}, {"S:tf", "T:Method>Method"}] * 5
    model = SparseLogisticModel.fit(examples, ["outperforms", "none"] * 5, classes=("none", "outperforms"), l2=0.1)
    alone = model.probabilities([examples[0], examples[1]])
    mixed = model.probabilities([set(), examples[0], {"never seen"}, set(), examples[1], set()])
    bias = [float(v) for v in model.bias]
    prior = {c: pytest.approx(2.718281828 ** b / sum(2.718281828 ** v for v in bias), rel=1e-6) for c, b in zip(model.classes, bias)}
    assert mixed[0] == mixed[2] == mixed[3] == mixed[5] == prior
    assert mixed[1] == pytest.approx(alone[0]) and mixed[4] == pytest.approx(alone[1])


def test_paper_features_say_who_the_head_is_and_where_the_tail_stands():
    text = ("ToolX: a planner. We propose ToolX for planning. It is fast. It is small. "
            "Our model achieves 80% on QuestBench and WebBench.")
    doc = make_doc(text, [("ToolX", "Method"), ("planning", "Task"), ("QuestBench", "Benchmark"), ("WebBench", "Benchmark")],
                   introduced=("ToolX",), title_chars=17)
    features = {(p.head.key, p.tail.key): p.features for p in pair_candidates(doc)}
    late = features[("toolx", "questbench")]
    # the introduced system, named in the title, and a benchmark it never shares a sentence with
    assert "D:Method>Benchmark:main=11:shared=0" in late
    assert "D:Method>Benchmark:main=11:rivals=1:at=late:title=0" in late
    assert "D:Method>Benchmark:main=11:same=:own=evaluatedOn" in late
    assert "D:Method>Task:main=11:shared=1" in features[("toolx", "planning")]


def test_bad_model_file_names_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"classes": ["none"]}))
    with pytest.raises(ValueError, match="broken.json"):
        SparseLogisticModel.load(path)


def test_trigger_words_match_in_any_case_and_keep_their_spelling():
    from extractors.relation_patterns import _FORWARD, _REVERSE, _SENTENCE, between_triggers

    # ASCII text is lower-cased and matched case-sensitively: that needs lower-case patterns
    for _, pattern in (*_FORWARD, *_REVERSE, *_SENTENCE):
        assert not re.search(r"(?<!\\)[A-Z]", pattern.lower_case.pattern)
    for between in (" clearly OUTPERFORMS ", " clearly Outperforms the ſtrong "):  # ASCII, and not
        [trigger] = between_triggers(between, head_first=True)
        assert (trigger.relation, trigger.words) == ("outperforms", between.split()[1])


def test_record_views_read_every_occurrence_of_the_records_names():
    from extractors.records import Entity, Mention
    from extractors.relation_features import record_views

    title = "ToolX: compact reasoning"
    abstract = "We propose ToolX here. ToolX beats BaseNet on QuestBench."
    doc = make_doc(title + "\n\n" + abstract, [], title_chars=len(title))
    # the record's entities as the accurate profile leaves them: one mention each, types and roles final
    toolx = Entity("ToolX", "Model", "introduced", (), (Mention("ToolX", "abstract", 11, 16, 0, 0.9, "kg_spans"),), 0.9)
    bench = Entity("QuestBench", "Benchmark", "used", (), (Mention("QuestBench", "abstract", 46, 56, 1, 0.9, "kg_lexicon"),), 0.9)
    views = {v.key: v for v in record_views(doc, (toolx, bench))}
    assert [s.text for s in views["ToolX"].spans] == ["ToolX"] * 3  # the title's and the second sentence's too
    assert views["ToolX"].sentences == [0, 1, 2] and views["ToolX"].introduced and views["ToolX"].type == "Model"
    assert views["QuestBench"].sentences == [2]


def test_neighbouring_sentences_join_a_pair_when_nothing_else_does():
    doc = make_doc("Reasoning is hard. We test ToolX and BaseNet. On QuestBench, both improve.",
                   [("ToolX", "Model"), ("BaseNet", "Model"), ("QuestBench", "Benchmark")])
    pairs = {(p.head.key, p.tail.key): p for p in pair_candidates(doc)}
    near = pairs["toolx", "questbench"]
    assert [c.kind for c in near.contexts] == ["near"] and "NEAR:Model>Benchmark:hf" in near.features
    # the tail's sentence lies after the head's: the context is the tail's sentence
    assert doc.text[near.contexts[0].start : near.contexts[0].end] == "On QuestBench, both improve."


def test_accurate_relations_join_the_records_final_entities():
    from extractors.aggregate import doc_to_extraction
    from extractors.pipeline import load_pipeline, paper_doc

    nlp = load_pipeline("accurate")
    finder = nlp.get_pipe("kg_relations")
    assert finder.deferred  # the pipeline leaves relations to the finished record
    doc = nlp(paper_doc(nlp, "p", "ToolNet: retrieval for question answering",
                        "We introduce ToolNet, a retrieval model. ToolNet is evaluated on GSM8K and outperforms GPT-4."))
    record = doc_to_extraction(doc, paper_id="p", title="ToolNet: retrieval for question answering", extractor="t", version="0")
    assert record.relations == ()
    related = finder.relate(doc, record)
    names = {e.name for e in record.entities}
    assert ("ToolNet", "evaluatedOn", "GSM8K") in {(r.head, r.relation, r.tail) for r in related.relations}
    assert all(r.head in names and r.tail in names and r.component == "kg_relations" for r in related.relations)
    # an entity dropped from the record takes its relations with it; retyped, it gets the relations of its new type
    kept = tuple(e for e in record.entities if e.name != "GSM8K")
    assert all("GSM8K" not in (r.head, r.tail) for r in finder.relate(doc, replace(record, entities=kept)).relations)


def test_a_variant_named_after_its_base_says_so_in_its_features():
    doc = make_doc("LoRA-Pro is compared with LoRA and DoRA.", [("LoRA-Pro", "Method"), ("LoRA", "Method"), ("DoRA", "Method")])
    pairs = {(p.head.key, p.tail.key): p.features for p in pair_candidates(doc)}
    assert "NAME:contains:Method>Method" in pairs["lorapro", "lora"]
    assert "NAME:inside:Method>Method" in pairs["lora", "lorapro"]
    assert not any(f.startswith("NAME:") for f in pairs["lora", "dora"])


def test_a_task_keeps_several_heads_a_base_keeps_one():
    from extractors.relations import choose

    doc = make_doc("ToolX and DataY address planning. ToolX and ToolZ build on BaseNet.",
                   [("ToolX", "Method"), ("DataY", "Dataset"), ("planning", "Task"), ("ToolZ", "Method"), ("BaseNet", "Method")])
    pairs = pair_candidates(doc)
    wanted = {("toolx", "planning"): "appliedTo", ("datay", "planning"): "appliedTo",
              ("toolx", "basenet"): "basedOn", ("toolz", "basenet"): "basedOn"}
    sure = {("toolx", "planning"): 0.9, ("datay", "planning"): 0.8, ("toolx", "basenet"): 0.7, ("toolz", "basenet"): 0.9}
    probabilities = [{wanted[k]: sure[k]} if (k := (p.head.key, p.tail.key)) in wanted else {} for p in pairs]
    found = {(f.head, f.relation, f.tail) for f in choose(pairs, probabilities, {"appliedTo": 0.5, "basedOn": 0.5})}
    assert found == {("toolx", "appliedTo", "planning"), ("datay", "appliedTo", "planning"), ("toolz", "basedOn", "basenet")}

