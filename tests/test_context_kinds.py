"""What the words around every mention say a name is (`extractors.context_kinds`): features for the entity filter."""

import time

from extractors.context_kinds import context_kind_features
from extractors.records import Entity, Mention


def _entity(text, name, entity_type="Task", component="kg_spans"):
    mentions, start = [], text.find(name)
    while start >= 0:
        mentions.append(Mention(name, "abstract", start, start + len(name), 0, 0.5, component))
        start = text.find(name, start + 1)
    return Entity(name, entity_type, "used", (), tuple(mentions), 0.5)


def _cues(text, name):
    return sorted(context_kind_features(_entity(text, name), "", text))


def test_list_items_take_the_kind_word_that_opens_or_closes_the_list():
    text = "On three well-studied tasks - indirect object identification, greater-than comparisons, and docstring completion - the method wins."
    assert _cues(text, "greater-than comparisons") == ["kind_list:task"]
    text = "We test it on prompts from 5 benchmarks (AlpacaEval 2.0, FLASK, Koala, MT-Bench, and Self-Instruct) by adding messages."
    assert _cues(text, "Koala") == ["kind_list:benchmark"]
    assert _cues("We evaluate on GSM8K, MATH and ARC-C benchmarks.", "GSM8K") == ["kind_list:benchmark"]
    text = "Across three use cases - viewport prediction (VP), adaptive bitrate streaming (ABR) and cluster job scheduling - it helps."
    assert _cues(text, "adaptive bitrate streaming") == ["kind_list:task"]
    # a sentence end closes the list: the kind word of the sentence before says nothing
    assert _cues("We propose new tasks. Molecule optimization is hard.", "Molecule optimization") == []


def test_figures_measure_words_and_problem_words_around_a_name():
    text = "It reaches an Inception score of 9.89 and 44% higher memorability scores, measured by BLEU, and improves retrieval accuracy."
    assert _cues(text, "Inception score") == ["ctx:number_after"]
    assert _cues(text, "memorability scores") == ["ctx:change_of", "ctx:number_before"]
    assert _cues(text, "BLEU") == ["ctx:measured_by"]
    assert _cues(text, "retrieval accuracy") == ["ctx:change_of"]
    assert _cues("We study the problem of recharging bandits.", "recharging bandits") == ["ctx:problem_of"]
    assert _cues("We fine-tune LLaMA on our data.", "LLaMA") == []


def test_every_mention_counts_and_long_text_stays_fast():
    text = "LoRA is cheap. Tasks such as summarization and translation remain hard; summarization scores of 40.1."
    assert _cues(text, "summarization") == ["kind_after:metric", "kind_list:task"]  # its second mention: "summarization scores"
    assert _cues(text, "summarization scores") == ["ctx:number_after"]
    text = ("tasks such as " + "a b c, " * 20_000) + "x."
    entity = _entity(text, "x")
    start = time.process_time()
    context_kind_features(entity, "", text)
    assert time.process_time() - start < 1
