"""The trained entity filter of the accurate profile: features, decisions, training, round trip."""

import json
from dataclasses import replace

import numpy as np
import pytest

from extractors.entity_filter import CLASSES, DROP, EntityFilter, cue_features, entity_features, gazetteer
from extractors.filter_training import label_entity, tagger_heldout_titles, train_filter
from extractors.pipeline import load_pipeline
from extractors.records import Entity, Evidence, Mention, PaperExtraction, Relation
from extractors.sparse_logistic import SparseLogisticModel

ABSTRACT = "We propose FooNet, a model for image retrieval. FooNet beats strong baselines on ImageNet."


def _entity(name, entity_type, component="kg_names", start=None, role="used", confidence=0.6):
    start = ABSTRACT.index(name) if start is None else start
    return Entity(name, entity_type, role, (), (Mention(name, "abstract", start, start + len(name), 0, confidence, component),), confidence)


def test_features_describe_components_shape_and_context():
    features = entity_features(_entity("FooNet", "Model"), "A title", ABSTRACT)
    assert {"comp:kg_names", "shape:caps_mixed", "type:Model", "role:used", "mentions:1", "before:propose", "prev:propose", "after:a"} <= features
    lower = entity_features(_entity("image retrieval", "Task"), "A title", ABSTRACT)
    assert {"shape:lower", "shape:words=2", "head:retrieval", "word:image"} <= lower


def test_tagger_features_left_out_where_the_tagger_trained():
    tagged = _entity("ImageNet", "Dataset", component="kg_ner", confidence=0.83)
    assert "ner_score>=0.8" in entity_features(tagged, "t", ABSTRACT)
    without = entity_features(tagged, "t", ABSTRACT, statistical=False)
    assert not any(f.startswith(("ner_score", "comp:kg_ner")) for f in without)


def _hand_filter(drop_threshold=0.5):
    # lower-case names are dropped, everything else becomes a Method; nothing is introduced
    typing = SparseLogisticModel(CLASSES, ["shape:lower", "shape:caps_mixed"],
                           np.array([[8.0] + [0.0] * 6, [0.0, 4.0, 0, 0, 0, 0, 0]]), np.zeros(len(CLASSES)), {DROP: drop_threshold})
    role = SparseLogisticModel(("used", "introduced"), [], np.zeros((0, 2)), np.array([0.0, -5.0]), {"introduced": 0.5})
    return EntityFilter(typing, role, {"candidates": "rules"})


def test_apply_drops_retypes_and_drops_relations_of_dropped_entities():
    foo, task, data = _entity("FooNet", "Model", role="introduced"), _entity("image retrieval", "Task"), _entity("ImageNet", "Dataset")
    evidence = Evidence("abstract", 0, 0, 10, "x", "")
    record = PaperExtraction("p", "A title", (foo, task, data),
                             (Relation("FooNet", "appliedTo", "image retrieval", evidence, 0.9, "kg_relations"),
                              Relation("FooNet", "evaluatedOn", "ImageNet", evidence, 0.9, "kg_relations")), "x", "0")
    filtered = _hand_filter().apply(record, ABSTRACT)
    assert [(e.name, e.type, e.role) for e in filtered.entities] == [("FooNet", "Method", "used"), ("ImageNet", "Method", "used")]
    assert [r.tail for r in filtered.relations] == ["ImageNet"]
    assert filtered.entities[0].mentions == foo.mentions


def test_a_type_of_its_own_drop_threshold_keeps_what_the_common_one_drops():
    record = PaperExtraction("p", "t", (_entity("image retrieval", "Task"),), (), "x", "0")
    strict = _hand_filter(0.5)
    _, examples = strict.candidates_of(record, ABSTRACT)
    assert strict.decisions(examples) == [(DROP, "")]  # p(drop) of a lower-case name is about 0.99
    strict.typing.thresholds["drop:Method"] = 0.999
    assert strict.decisions(examples) == [("Method", "used")]


def test_cue_features_read_roles_and_kinds_around_mentions():
    text = "We introduce Zorbit, a benchmark for graph search. Our Glimmer model is compared."
    zorbit = _entity("Zorbit", "Method", start=text.index("Zorbit"))
    glimmer = _entity("Glimmer", "Model", start=text.index("Glimmer"))
    assert {"cue:we_introduce", "cue:appositive", "kind:benchmark"} <= entity_features(zorbit, "Graphs", text, cues=True)
    assert "cue:our" in entity_features(glimmer, "Graphs", text, cues=True)
    assert not any(f.startswith(("cue:", "kind:")) for f in entity_features(zorbit, "Graphs", text))


def test_title_cues_name_the_papers_own_system_its_variants_and_kind():
    text = "We release Zorbit-Image and Zorbit-Audio. We compare with BaseNet."
    image = _entity("Zorbit-Image", "Method", start=text.index("Zorbit-Image"))
    base = _entity("BaseNet", "Model", start=text.index("BaseNet"))
    title = "Zorbit: A Multimodal Thermal Dataset for Search"
    assert {"cue:title_variant", "kind:dataset", "own_title_kind:dataset"} <= cue_features(image, title, text)
    assert not any(f.startswith(("cue:title", "own_title_kind")) for f in cue_features(base, title, text))
    report = _entity("Zorbit 2", "Model", start=0)
    assert "cue:title_head" in cue_features(report, "Zorbit 2 Technical Report", "Zorbit 2 is here.")
    assert "cue:title_head" in cue_features(_entity("Only-IF", "Method", start=0), "Only-IF:Revealing Diversity", "Only-IF works.")


def test_the_name_a_title_defines_is_introduced_whatever_the_role_model_says():
    filter_with_cues = _hand_filter()  # its role model says "used" for everything
    filter_with_cues.cues = True
    foo = _entity("FooNet", "Model")
    record = PaperExtraction("p", "FooNet: Retrieval for Images", (foo,), (), "x", "0")
    assert [(e.name, e.role) for e in filter_with_cues.apply(record, ABSTRACT).entities] == [("FooNet", "introduced")]
    assert [e.role for e in filter_with_cues.apply(replace(record, title="Retrieval for Images"), ABSTRACT).entities] == ["used"]


def test_save_load_round_trip_and_bad_file(tmp_path):
    path = tmp_path / "filter.json"
    _hand_filter(0.7).save(path)
    loaded = EntityFilter.load(path)
    assert (loaded.drop_threshold, loaded.introduced_threshold, loaded.candidates) == (0.7, 0.5, "rules")
    record = PaperExtraction("p", "t", (_entity("FooNet", "Model"), _entity("image retrieval", "Task")), (), "x", "0")
    _, examples = loaded.candidates_of(record, ABSTRACT)
    assert loaded.decisions(examples) == _hand_filter(0.7).decisions(examples) == [("Method", "used"), (DROP, "")]
    path.write_text('{"typing": {}}', encoding="utf-8")
    with pytest.raises(ValueError, match="filter.json: not an entity filter"):
        EntityFilter.load(path)


def test_labels_follow_the_scorer_matching():
    gold = [{"name": "Foo Network", "aliases": ["FooNet"], "type": "Model", "role": "introduced"}]
    assert label_entity(_entity("foo-net", "Method", start=0), gold) == ("Model", "introduced")
    assert label_entity(_entity("ImageNet", "Dataset"), gold) == (DROP, "")


_PAPERS = [
    ("Zorbit: fast graph search", "We propose Zorbit, a method for graph search. Zorbit is evaluated on the QuuxBench benchmark with accuracy."),
    ("Glimmer for parsing", "We introduce Glimmer, a parser. We compare Glimmer with BERT and RoBERTa on the PTB dataset."),
    ("Traps of retrieval", "Retrieval models such as DPR are studied. We report recall on the MS MARCO dataset and use BM25."),
    ("Plinko: robust vision", "We present Plinko, a model for image classification trained on ImageNet. Plinko improves top-1 accuracy."),
]
_GOLD = [
    [("Zorbit", "Method", "introduced"), ("graph search", "Task", "used"), ("QuuxBench", "Benchmark", "used"), ("accuracy", "Metric", "used")],
    [("Glimmer", "Method", "introduced"), ("BERT", "Model", "used"), ("RoBERTa", "Model", "used"), ("PTB", "Dataset", "used")],
    [("DPR", "Model", "used"), ("MS MARCO", "Dataset", "used"), ("BM25", "Method", "used"), ("recall", "Metric", "used")],
    [("Plinko", "Model", "introduced"), ("image classification", "Task", "used"), ("ImageNet", "Dataset", "used")],
]


def test_tiny_training_run_is_seeded_and_ships_provenance(tmp_path):
    papers, gold = tmp_path / "papers.jsonl", tmp_path / "gold.jsonl"
    papers.write_text("".join(json.dumps({"title": t, "abstract": a}) + "\n" for t, a in _PAPERS), encoding="utf-8")
    gold.write_text("".join(json.dumps({"title": t, "entities": [{"name": n, "type": ty, "role": r} for n, ty, r in g]}) + "\n"
                            for (t, _), g in zip(_PAPERS, _GOLD)), encoding="utf-8")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    summary = train_filter(papers=papers, gold=gold, out=first, folds=2, seed=1, l2=1.0)
    train_filter(papers=papers, gold=gold, out=second, folds=2, seed=1, l2=1.0, candidates_out=tmp_path / "candidates.jsonl")
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    # the candidates the filter judged, per paper in the prediction shape (the error analysis's "dropped" bucket)
    judged = [json.loads(line) for line in (tmp_path / "candidates.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["title"] for r in judged] == [t for t, _ in _PAPERS] and all({"name", "type"} <= set(e) for r in judged for e in r["entities"])
    assert 0.0 < summary["fast_profile_typed"]["f1"] <= 1.0
    assert summary["drop_threshold"] in {float(t) for t in summary["typed_f1_by_drop_threshold"]}
    loaded = EntityFilter.load(first)
    assert loaded.provenance["candidates"] == "rules"
    assert loaded.provenance["papers"]["count"] == 4 and len(loaded.provenance["gold"]["sha256"]) == 64
    assert loaded.provenance["tagger_split"]["heldout_papers"] == len(tagger_heldout_titles(gold)) == 1


def test_accurate_profile_runs_the_shipped_filter():
    nlp = load_pipeline("accurate")
    assert nlp.meta.get("kg_entity_filter", "").endswith("kg_entity_filter.json")
    assert "kg_ner" not in nlp.pipe_names  # the shipped filter judges the rules' candidates
    assert "kg_entity_filter" not in load_pipeline("fast").meta
    assert "kg_ner" in load_pipeline("accurate", entity_filter=False).pipe_names


def test_external_names_become_features_and_ship_with_the_filter(tmp_path):
    papers, gold = tmp_path / "papers.jsonl", tmp_path / "gold.jsonl"
    papers.write_text("".join(json.dumps({"title": t, "abstract": a}) + "\n" for t, a in _PAPERS), encoding="utf-8")
    gold.write_text("".join(json.dumps({"title": t, "entities": [{"name": n, "type": ty, "role": r} for n, ty, r in g]}) + "\n"
                            for (t, _), g in zip(_PAPERS, _GOLD)), encoding="utf-8")
    text = "We study graph search and report top - 1 accuracy of the parser ."
    external = tmp_path / "scirex" / "train.jsonl"
    external.parent.mkdir()
    spans = [("graph search", "Task"), ("top - 1 accuracy", "Metric"), ("parser", "Method")]
    external.write_text(json.dumps({"doc_id": "d", "text": text, "entities": [
        {"text": n, "type": t, "start": text.index(n), "end": text.index(n) + len(n)} for n, t in spans]}) + "\n", encoding="utf-8")
    out = tmp_path / "filter.json"
    train_filter(papers=papers, gold=gold, out=out, folds=2, seed=1, l2=1.0, external=[external])
    loaded = EntityFilter.load(out)
    assert loaded.provenance["external"][0]["path"] == "scirex/train.jsonl"
    assert loaded.external_table["names"]["Metric"] == ["top1accuracy"]  # the source's split hyphen joined, then folded
    features = entity_features(_entity("Top-1 Accuracy", "Metric", start=0), "t", ABSTRACT, external=loaded.external)
    assert "ext:Metric" in features and "ext:Task" not in features
    assert "ext_head:Metric" not in features  # a head word is listed once it ends three names
    assert "ext:Task" in entity_features(_entity("graph-search", "Task", start=0), "t", ABSTRACT, external=gazetteer(loaded.external_table))
    record = PaperExtraction("p", "t", (_entity("graph search", "Task", start=0),), (), "x", "0")
    _, examples = loaded.candidates_of(record, ABSTRACT)
    assert "ext:Task" in examples[0]


def test_own_phrases_join_the_candidates_and_mark_the_names_they_repeat():
    text = "We introduce Zorbit for search. We also propose a learnable consistency loss. BaseNet is older."
    zorbit = _entity("Zorbit", "Method", start=text.index("Zorbit"))
    base = _entity("BaseNet", "Model", start=text.index("BaseNet"))
    record = PaperExtraction("p", "Search", (zorbit, base), (), "x", "0")
    with_phrases = _hand_filter()
    with_phrases.own_phrases = True
    entities, examples = with_phrases.candidates_of(record, text)
    assert [e.name for e in entities] == ["Zorbit", "BaseNet", "learnable consistency loss"]
    assert ["cue:own_phrase" in features for features in examples] == [True, False, True]
    assert [e.name for e in _hand_filter().candidates_of(record, text)[0]] == ["Zorbit", "BaseNet"]  # an older filter file: as before


def test_variants_of_an_introduced_name_are_introduced_when_the_filter_says_so():
    text = "We propose Zorbit and its variant Zorbit-7B."
    zorbit = _entity("Zorbit", "Model", start=text.index("Zorbit"), role="introduced")
    variant = _entity("Zorbit-7B", "Model", start=text.index("Zorbit-7B"))
    record = PaperExtraction("p", "Search", (zorbit, variant), (), "x", "0")
    role = SparseLogisticModel(("used", "introduced"), ["role:introduced"], np.array([[0.0, 10.0]]), np.array([0.0, -5.0]), {"introduced": 0.5})
    typing = SparseLogisticModel(CLASSES, [], np.zeros((0, len(CLASSES))), np.array([-5.0, 0, 1.0, 0, 0, 0, 0]), {DROP: 0.5})
    plain = EntityFilter(typing, role, {"candidates": "rules"})
    assert [e.role for e in plain.apply(record, text).entities] == ["introduced", "used"]
    promoting = EntityFilter(typing, role, {"candidates": "rules", "own_variants": True})
    assert [(e.name, e.role) for e in promoting.apply(record, text).entities] == [("Zorbit", "introduced"), ("Zorbit-7B", "introduced")]


def test_a_filter_trained_with_context_kinds_reads_them_around_every_mention():
    text = "It helps on tasks such as data imputation and molecule optimization. Data imputation scores reach 0.9."
    task = _entity("molecule optimization", "Task", start=text.index("molecule optimization"))
    record = PaperExtraction("p", "A title", (task,), (), "x", "0")
    reading = _hand_filter()
    reading.context_kinds = True
    _, examples = reading.candidates_of(record, text)
    assert "kind_list:task" in examples[0]
    assert not any(f.startswith(("kind_", "ctx:")) for f in _hand_filter().candidates_of(record, text)[1][0])  # an older filter file: as before
    assert EntityFilter(reading.typing, reading.role, {"candidates": "rules", "context_kinds": True}).context_kinds
