"""The trained proposer of introduced names (`extractors.own_spans`): starts, phrases, scoring, filter wiring."""

import numpy as np

from extractors.entity_filter import CLASSES, DROP, EntityFilter
from extractors.own_spans import (COMPONENT, NAME, NONE, OwnSpanModel, candidate_spans, cross_validated_own_spans, label_candidates,
                                  own_span_scores, paper_candidates, start_points)
from extractors.records import Entity, PaperExtraction
from extractors.span_classifier import tokenize
from extractors.sparse_logistic import SparseLogisticModel

ABSTRACT = ("We propose a novel rank-based random estimator, which includes an error memory module, "
            "a feature fusion transformer and a replay buffer. Results are strong, including speed.")


def test_starts_after_introducing_words_list_openers_of_own_sentences_and_in_titles():
    tokens = tokenize(ABSTRACT)
    starts = [(tokens[k].text, kind) for k, kind in start_points(tokens, "abstract")]
    # "including" of the last sentence opens nothing: that sentence introduces nothing
    assert starts == [("rank-based", "trigger"), ("error", "list"), ("feature", "list"), ("replay", "list")]
    title = tokenize("A Bag of Tricks: Prefix Conditioning via Meta Tuning", "title")
    assert [(title[k].text, kind) for k, kind in start_points(title, "title")] == [("Bag", "title"), ("Prefix", "title"), ("Meta", "title")]


def test_phrases_run_from_a_start_to_a_function_word_or_punctuation():
    spans = [s.text for s in candidate_spans("A title", ABSTRACT) if s.start_kind == "trigger"]
    assert spans == ["rank-based", "rank-based random", "rank-based random estimator"]
    assert [s.text for s in candidate_spans("Prefix Conditioning", "")] == ["Prefix", "Prefix Conditioning"]
    assert candidate_spans("", "") == [] and candidate_spans("", "we propose " * 2000 + "\x00 (((") == []


def test_features_say_how_a_phrase_ends_and_labels_follow_the_scorer_folding():
    candidates = paper_candidates("A title", "We design a feature fusion transformer module. It helps.")
    features = {c.text: f for c, f in candidates}
    assert {"kind:trigger", "natural_end:False", "after_generic", "before:a"} <= set(features["feature fusion transformer"])
    assert {"natural_end:True", "last_generic", "after:punct"} <= set(features["feature fusion transformer module"])
    gold = [{"name": "Feature-Fusion Transformers", "type": "Method"}]
    assert [c.text for (c, _), y in zip(candidates, label_candidates(candidates, gold)) if y == NAME] == ["feature fusion transformer"]


def _ends_before_generic_heads():
    # a hand-set scorer: a phrase is a name when it ends before a kind word ("... transformer module")
    weights = np.array([[0.0, 4.0], [0.0, -4.0]])
    return OwnSpanModel(SparseLogisticModel((NONE, NAME), ["after_generic", "len:1"], weights, np.array([0.0, -2.0]), {NAME: 0.5}))


def test_the_best_phrase_of_each_start_without_overlaps_with_every_occurrence():
    text = "We design a feature fusion transformer module. The feature fusion transformer is fast."
    found = _ends_before_generic_heads().entities("A title", text)
    assert [(e.name, e.type) for e in found] == [("feature fusion transformer", "Method")]
    assert [(m.start, m.component) for m in found[0].mentions] == [(12, COMPONENT), (51, COMPONENT)]
    assert 0.5 <= found[0].confidence == found[0].mentions[0].confidence < 1.0
    assert _ends_before_generic_heads().entities("", "") == []


def test_own_span_scores_mark_names_and_aliases_in_tenths():
    proposed = [Entity("error memory module", "Method", "used", (), (), 0.86)]
    entities = [Entity("EMM", "Method", "used", ("Error Memory Module",), (), 0.9), Entity("replay buffer", "Method", "used", (), (), 0.9)]
    assert own_span_scores(entities, proposed) == ["own_span>=0.8", None]


def test_cross_validated_proposals_are_seeded_and_learn_from_the_gold():
    papers = [{"title": f"Paper {k}", "abstract": f"We propose a novel Zorbit{k} estimator method. We use a replay buffer{k} here."}
              for k in range(6)]
    golds = [[{"name": f"Zorbit{k} estimator", "type": "Method", "role": "introduced"}] for k in range(6)]
    found, model = cross_validated_own_spans(papers, golds, folds=3, seed=0, l2=0.1, threshold=0.5)
    again, _ = cross_validated_own_spans(papers, golds, folds=3, seed=0, l2=0.1, threshold=0.5)
    assert found == again
    assert [[e.name for e in paper] for paper in found] == [[f"Zorbit{k} estimator"] for k in range(6)]
    assert [e.name for e in model.entities("t", "We propose a novel Quux estimator method.")] == ["Quux estimator"]


def test_the_filter_judges_the_proposals_ships_the_proposer_and_reads_it_back(tmp_path):
    typing = SparseLogisticModel(CLASSES, ["own_span>=0.9", "comp:kg_names"], np.array([[-5.0] + [0.0] * 6, [-5.0] + [0.0] * 6]),
                                 np.array([2.0, 1.0, 0, 0, 0, 0, 0]), {DROP: 0.5})
    role = SparseLogisticModel(("used", "introduced"), ["own_span>=0.9"], np.array([[0.0, 10.0]]), np.array([0.0, -5.0]), {"introduced": 0.5})
    proposer = _ends_before_generic_heads()
    proposer.model.weights[0, 1] = 9.0  # surer: own_span>=0.9
    proposer.model = SparseLogisticModel(proposer.model.classes, proposer.model.features, proposer.model.weights, proposer.model.bias,
                                         proposer.model.thresholds)
    text = "We design a feature fusion transformer module. The words here are plain."
    record = PaperExtraction("p", "A title", (), (), "x", "0")
    path = tmp_path / "filter.json"
    EntityFilter(typing, role, {"candidates": "rules"}, own_spans=proposer).save(path)
    loaded = EntityFilter.load(path)
    entities, examples = loaded.candidates_of(record, text)
    assert [e.name for e in entities] == ["feature fusion transformer"] and "own_span>=0.9" in examples[0]
    assert [(e.name, e.type, e.role) for e in loaded.apply(record, text).entities] == [("feature fusion transformer", "Method", "introduced")]
    assert EntityFilter(typing, role, {"candidates": "rules"}).candidates_of(record, text)[0] == []  # an older filter file: as before


def test_train_filter_learns_from_out_of_fold_proposals_and_ships_the_proposer(tmp_path):
    import json

    from extractors.filter_training import train_filter

    papers = [(f"Zorbit{k}: fast search", f"We propose a novel Zorbit{k} estimator method for graph search. We use BERT on the PTB dataset.")
              for k in range(4)]
    papers_file, gold_file = tmp_path / "papers.jsonl", tmp_path / "gold.jsonl"
    papers_file.write_text("".join(json.dumps({"title": t, "abstract": a}) + "\n" for t, a in papers), encoding="utf-8")
    gold_file.write_text("".join(json.dumps({"title": t, "entities": [
        {"name": f"Zorbit{k} estimator", "type": "Method", "role": "introduced"}, {"name": "BERT", "type": "Model", "role": "used"},
        {"name": "PTB", "type": "Dataset", "role": "used"}]}) + "\n" for k, (t, _) in enumerate(papers)), encoding="utf-8")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        train_filter(papers=papers_file, gold=gold_file, out=out, folds=2, seed=1, l2=1.0, own_spans=True, own_span_l2=0.1)
    assert first.read_bytes() == second.read_bytes()
    loaded = EntityFilter.load(first)
    assert loaded.own_spans is not None and loaded.provenance["own_spans"] == {"l2": 0.1, "keep_name_at": 0.3}
    record = PaperExtraction("p", "A title", (), (), "x", "0")
    entities, examples = loaded.candidates_of(record, "We propose a novel Quux estimator method for graph search.")
    assert [e.name for e in entities] == ["Quux estimator"] and any(f.startswith("own_span>=") for f in examples[0])
