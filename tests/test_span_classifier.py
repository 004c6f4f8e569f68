"""The span classifier of the accurate profile: windows, rule overlaps, scoring, entities, training."""

import json

import numpy as np

from extractors.entity_filter import EntityFilter
from extractors.filter_training import train_filter
from extractors.records import Entity, Mention, PaperExtraction
from extractors.span_classifier import COMPONENT, paper_tokens, paper_windows, rule_masks, tokenize
from extractors.span_training import cross_validated_spans, fit_span_classifier, span_examples

_PAPERS = [
    ("Zorbit for graph search", "We study graph search with random walks. Zorbit improves graph search accuracy on the QuuxBench benchmark."),
    ("Glimmer: fast parsing", "Dependency parsing is hard. We introduce Glimmer for dependency parsing and report labelled accuracy."),
    ("Plinko for image retrieval", "Image retrieval needs good features. Plinko learns hash codes for image retrieval with mean precision."),
    ("Quasar: better summaries", "We tackle text summarization with Quasar. Text summarization quality is measured with ROUGE scores."),
]
_GOLD = [
    [("graph search", "Task"), ("random walks", "Method"), ("Zorbit", "Method"), ("QuuxBench", "Benchmark"), ("accuracy", "Metric")],
    [("Dependency parsing", "Task"), ("Glimmer", "Method"), ("labelled accuracy", "Metric")],
    [("Image retrieval", "Task"), ("Plinko", "Method"), ("hash codes", "Method"), ("mean precision", "Metric")],
    [("text summarization", "Task"), ("Quasar", "Method"), ("ROUGE", "Metric")],
]


def _gold(k):
    return [{"name": n, "type": t, "role": "used"} for n, t in _GOLD[k]]


def _empty(k):
    return PaperExtraction(str(k), _PAPERS[k][0], (), (), "x", "0")


def _papers():
    return [{"title": t, "abstract": a} for t, a in _PAPERS]


def test_tokens_keep_names_whole_and_count_sentences():
    tokens = tokenize("We tune LLaMA-2-7B and Qwen2.5-Math. It beats RETRO++ on pass@10.")
    assert [t.text for t in tokens if t.sentence == 1][:4] == ["It", "beats", "RETRO++", "on"]
    assert {"LLaMA-2-7B", "Qwen2.5-Math", "pass@10"} <= {t.text for t in tokens}


def test_windows_stay_in_one_sentence_and_skip_function_word_edges():
    tokens = paper_tokens("Deep nets", "The graph search of trees. Random walks help.")
    first, last = paper_windows(tokens)
    texts = {" ".join(t.text for t in tokens[a : b + 1]) for a, b in zip(first, last)}
    assert {"Deep nets", "graph search", "graph search of trees", "Random walks help"} <= texts
    assert not any(text.startswith(("The ", "of ")) or text.endswith(" of") or "." in text for text in texts)
    assert "nets The" not in texts and "trees Random" not in texts  # title/abstract and sentence borders


def test_rule_masks_say_how_a_window_meets_a_rule_entity():
    tokens = paper_tokens("", "We use graph search methods here.")
    first, last = paper_windows(tokens)
    start = "We use graph search methods here.".index("graph search")
    rule = Entity("graph search", "Task", "used", (), (Mention("graph search", "abstract", start, start + 12, 0, 0.9, "kg_names"),), 0.9)
    masks = rule_masks(tokens, first, last, (rule,))
    spans = {" ".join(t.text for t in tokens[a : b + 1]): j for j, (a, b) in enumerate(zip(first, last))}
    assert masks["rule=Task"][spans["graph search"]] and not masks["rule=Task"][spans["graph search methods"]]
    assert masks["rule_in"][spans["graph"]] and masks["rule_cover"][spans["graph search methods"]]
    assert masks["rule_cross"][spans["search methods"]] and not masks["rule_in"][spans["methods"]]


def test_fast_scores_equal_the_training_features_scores():
    examples = [span_examples(p, _gold(k), _empty(k)) for k, p in enumerate(_papers())]
    classifier = fit_span_classifier(examples, l2=0.5, threshold=0.5)
    for k, paper in enumerate(_papers()):
        tokens = paper_tokens(paper["title"], paper["abstract"])
        first, last = paper_windows(tokens)
        fast = classifier.probabilities(tokens, first, last, rule_masks(tokens, first, last, ()))
        slow = classifier.model.probabilities(examples[k].features)
        assert np.allclose(fast, [[row[c] for c in classifier.model.classes] for row in slow])


def test_training_papers_give_back_their_entities_without_overlaps():
    examples = [span_examples(p, _gold(k), _empty(k)) for k, p in enumerate(_papers())]
    assert sum(label != "none" for label in examples[0].labels) == 8  # Zorbit twice, graph search thrice, random walks, ...
    classifier = fit_span_classifier(examples, l2=0.1, threshold=0.5)
    found = {e.name.lower(): e for e in classifier.entities(*_PAPERS[3])}
    assert found["text summarization"].type == "Task" and len(found["text summarization"].mentions) == 2
    assert {m.component for e in found.values() for m in e.mentions} == {COMPONENT}
    mentions = sorted((m.field, m.start, m.end) for e in found.values() for m in e.mentions)
    assert all(a[0] != b[0] or a[2] <= b[1] for a, b in zip(mentions, mentions[1:]))
    # out of fold, a paper is judged by a model that never saw it: a different, still valid answer
    oof = cross_validated_spans(_papers(), examples, [_empty(k) for k in range(4)], folds=2, seed=0, l2=0.1, threshold=0.5)
    assert len(oof) == 4 and all(isinstance(e, Entity) for found in oof for e in found)


def test_filter_trained_on_rules_and_spans_ships_the_classifier(tmp_path):
    papers, gold = tmp_path / "papers.jsonl", tmp_path / "gold.jsonl"
    papers.write_text("".join(json.dumps(p) + "\n" for p in _papers()), encoding="utf-8")
    gold.write_text("".join(json.dumps({"title": t, "entities": _gold(k)}) + "\n" for k, (t, _) in enumerate(_PAPERS)), encoding="utf-8")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    oof = tmp_path / "oof.jsonl"
    for out in (first, second):
        train_filter(papers=papers, gold=gold, out=out, candidates="rules+spans", folds=2, seed=1, l2=1.0, span_l2=0.1, span_threshold=0.9,
                     cues=True, per_type_drop=True, oof_predictions=oof)
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    loaded = EntityFilter.load(first)
    assert loaded.spans is not None and loaded.candidates == "rules"  # the pipeline gives it the rules' entities
    assert loaded.provenance["span_classifier"] == {"l2": 0.1, "keep_below_none": 0.9} and loaded.cues
    predictions = [json.loads(line) for line in oof.read_text(encoding="utf-8").splitlines()]
    assert [p["title"] for p in predictions] == [t for t, _ in _PAPERS]
    assert all(set(e) == {"name", "type", "role", "aliases"} for p in predictions for e in p["entities"])
    entities, examples = loaded.candidates_of(_empty(3), _PAPERS[3][1])
    assert "text summarization" in {e.name.lower() for e in entities}
    assert all(any(f.startswith("span>=") for f in x) for x in examples)
