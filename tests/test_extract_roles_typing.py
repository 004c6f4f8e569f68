"""Rule families for roles and context typing: the head word of an apposition, the
text's own word outvoting other mentions, naming phrases, lists of contributions."""

import pytest
import spacy

from extractors.candidates import ENTITY_SPANS
from extractors.entity_typing import typing_by_context
from extractors.names import UNTYPED
from extractors.pipeline import extract, load_pipeline
from extractors.roles import INTRODUCED_SPANS
from tests.test_extract_components import rules, run  # noqa: F401  (the rule pipeline fixture)


@pytest.fixture(scope="module")
def fast():
    return load_pipeline("fast")


@pytest.mark.parametrize(
    "text, name, expected",
    [
        # the head of the apposition decides, not its first cue word
        ("Zeta: A Model Update Strategy for Parsing", "Zeta", ("Method", "word")),
        ("We introduce Zeta, a dynamically updating benchmark that grows.", "Zeta", ("Benchmark", "word")),
        ("We present Zeta, a multimodal foundation model for retinas.", "Zeta", ("Model", "word")),
        ("Results on Foo and Bar improve.", "Bar", ("Benchmark", "context")),  # a guess from the verb
        ("We use Zeta everywhere.", "Zeta", ("Method", "default")),
    ],
)
def test_typing_says_what_decided(text, name, expected):
    doc = spacy.blank("en")(text)
    start = text.index(name)
    assert typing_by_context(doc.char_span(start, start + len(name)), UNTYPED) == expected


def test_the_texts_own_word_outvotes_the_other_mentions(fast):
    abstract = "We introduce Zorvex, a benchmark of hard cases. Zorvex is hard. Models fail on Zorvex. Zorvex grows."
    [record] = extract(fast, [("p1", "Zorvex: Hard Cases for Parsers", abstract)])
    [entity] = [e for e in record.entities if e.name == "Zorvex"]
    assert (entity.type, entity.role, len(entity.mentions)) == ("Benchmark", "introduced", 5)


@pytest.mark.parametrize(
    "title, abstract, introduced",
    [
        ("", "Our approach, ZetaNet, improves parsing.", ["ZetaNet"]),
        ("", "To this end we build a new dataset, ZetaSet, from forums.", ["ZetaSet"]),
        ("", "We name the algorithm ZetaOpt and prove it converges.", ["ZetaOpt"]),
        ("", "We refer to the model after tuning as ZetaLM-2 here.", ["ZetaLM-2"]),
        ("", "We propose variants such as FooNet, BarNet, and BazNet.", ["FooNet", "BarNet", "BazNet"]),
        ("", "Prior work built FooNet, BarNet and BazNet.", []),  # not the authors'
        ("", "Our best models, FooNet and BarNet, win.", ["FooNet", "BarNet"]),
        ("", "It uses CMAP, a new approach for patching.", ["CMAP"]),
        ("", "A multi-scale FooNet (MSF) method is proposed here.", ["multi-scale FooNet", "MSF"]),
        ("", "We begin by introducing ZetaSet, a benchmark.", ["ZetaSet"]),
        ("", "We train a 7B LLM called GPT-4 on chats.", ["GPT-4"]),  # a naming verb coins even a known name
        ("", "Here we present GPT-4, a large model.", ["GPT-4"]),  # a known name right after the verb
        ("", "We present results with GPT-4.", []),
        # the title names the contribution: its "with ..." phrase is a used method
        ("FooNet: Parsing with Span Alignment Learning", "FooNet parses.", ["FooNet", "FooNet"]),
    ],
)
def test_naming_phrases_and_lists_of_contributions(rules, title, abstract, introduced):
    doc = run(rules, title, abstract)
    assert [s.text for s in doc.spans[INTRODUCED_SPANS]] == introduced
    assert all(s.text in [e.text for e in doc.spans[ENTITY_SPANS]] for s in doc.spans[INTRODUCED_SPANS])


def test_generic_heads_and_modifier_forms(rules):
    doc = run(rules, "", "We release the ZETA Dataset and train SFT-based models on non-IID splits with OpenAI's tools.")
    # the known name inside "SFT-based" stays; the adjective, "non-IID" and the possessive go
    assert [(s.text, s.label_) for s in doc.spans[ENTITY_SPANS]] == [("ZETA", "Dataset"), ("SFT", "Method")]


def test_method_head_phrases_without_clause_openers(rules):
    doc = run(rules, "", "Models trained with contrastive learning improve when teachers adopt reinforcement learning.")
    # "adopt" opens a clause: the known "reinforcement learning" stays, "adopt reinforcement learning" is no name
    assert [(s.text, s.label_) for s in doc.spans[ENTITY_SPANS]] == [("contrastive learning", "Method"), ("reinforcement learning", "Method")]


def test_bare_acronyms_are_dropped_but_defined_or_typed_ones_stay(fast):
    abstract = "The SAT is hard. We propose ZorVex. Graph Neural Networks (GNN) help, and the QRSX dataset too."
    [record] = extract(fast, [("p1", "Tests", abstract)])
    assert [e.name for e in record.entities] == ["ZorVex", "Graph Neural Networks", "QRSX"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We train a 7B LLM called Zorvex on chats.", ("Model", "context")),
        ("We train a new model, Zorvex, on chats.", ("Model", "context")),
        ("Models such as those in Zorvex differ.", ("Method", "default")),  # "models" is not next to the name
    ],
)
def test_a_model_word_right_before_the_name(text, expected):
    doc = spacy.blank("en")(text)
    start = text.index("Zorvex")
    assert typing_by_context(doc.char_span(start, start + 6), UNTYPED) == expected


def test_qa_alone_is_no_benchmark_but_heads_a_task(rules):
    doc = run(rules, "", "We study open-domain QA and evaluate on TriviaQA.")
    assert [(s.text, s.label_) for s in doc.spans[ENTITY_SPANS]] == [("open-domain QA", "Task"), ("TriviaQA", "Benchmark")]


def test_reasoning_tasks_without_judging_adjectives(rules):
    doc = run(rules, "", "Models show impressive reasoning but fail at spatial reasoning.")
    assert [(s.text, s.label_) for s in doc.spans[ENTITY_SPANS]] == [("spatial reasoning", "Task")]


def test_title_case_method_phrases_of_the_abstract(rules):
    abstract = "It adds Ghost Batch Normalization to SGD. It differs from In-Context Learning and Mistral-7B Supervised Tuning."
    doc = run(rules, "", abstract)
    names = [s.text for s in doc.spans[ENTITY_SPANS]]
    assert "Ghost Batch Normalization" in names and "Context Learning" not in names
    assert "Mistral-7B Supervised Tuning" not in names


def test_a_name_at_the_end_of_a_sentence_keeps_its_version(fast):
    [record] = extract(fast, [("p1", "Tests", "We fine-tune ZetaLM-7B. It beats MusicLM-R. Then e.g. this.")])
    assert {e.name for e in record.entities} >= {"ZetaLM-7B", "MusicLM-R"}


def test_authors_verbs_is_the_one_regex_it_replaces():
    # `authors_verbs` finds in two bounded steps what this regex finds by trying the verb
    # list at every character: the same matches at the 100-character reach, at clause
    # stops, at word boundaries and after a failed subject
    import re

    from extractors.roles import _VERBS, authors_verbs

    one_regex = re.compile(
        r"\b(?:[Ww]e|[Tt]his (?:paper|work|study|article|report)|[Ii]n this (?:paper|work))\b[^.;:]{0,100}?\b(?:" + _VERBS + r")\b"
    )
    texts = [
        "We" + " " * gap + stop + " " * (101 - gap) + verb + tail
        for gap in (0, 50, 98, 99, 100, 101)
        for stop in ("", ".", ";", ":")
        for verb in ("propose", "proposes", "proposeX", "constructing", "constructings", "xpropose")
        for tail in ("", " it.", "-based")
    ]
    texts += ["we" + " " * n + verb for n in range(95, 106) for verb in ("present", "constructing", "constructings")]
    texts += ["In this paper, we propose A; this work releases B. We, in this study, develop C and we train D."]
    for text in texts:
        assert authors_verbs(text) == [m.span() for m in one_regex.finditer(text)], text
