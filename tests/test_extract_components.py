"""Each rule component on hand-built Docs (spacy.blank("en"), no model download)."""

import pytest
import spacy

from extractors.candidates import ENTITY_SPANS, TITLE_CHARS
from extractors.entity_typing import type_by_context, type_of_name, type_of_phrase
from extractors.generic import is_generic
from extractors.lexicon import LEXICON_SPANS, LexiconError, load_lexicon
from extractors.names import NAME_SPANS, UNTYPED, find_names
from extractors.roles import INTRODUCED_SPANS
from extractors.sentences import sentence_starts, split_sentences
from extractors.titles import title_phrases

RULES = ["kg_sentences", "kg_abbreviations", "kg_lexicon", "kg_names", "kg_candidates", "kg_roles"]


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def rules():
    """The rule components, added by factory name as any spaCy user would."""
    nlp = spacy.blank("en")
    for name in RULES:
        nlp.add_pipe(name)
    return nlp


def run(nlp, title, abstract):
    doc = nlp.make_doc(title + "\n\n" + abstract)
    doc.user_data[TITLE_CHARS] = len(title)
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def typed(doc):
    return [(s.text, s.label_) for s in doc.spans[ENTITY_SPANS]]


# --- sentences
def test_sentences_split_on_end_marks_and_line_breaks(blank):
    doc = split_sentences(blank("Title here\n\nWe use BERT (e.g. on SQuAD). It works, i.e. well! Done?"))
    assert [s.text.strip() for s in doc.sents] == ["Title here", "We use BERT (e.g. on SQuAD).", "It works, i.e. well!", "Done?"]
    assert sentence_starts(doc) == [0, 12, 41, 62]


def test_sentences_of_empty_doc(blank):
    assert list(split_sentences(blank("")).sents) == []


# --- lexicon
def test_lexicon_exact_and_folded_forms(rules):
    doc = run(rules, "", "We compare LoRA with Large Language Models on question answering and report accuracy.")
    assert [(s.text, s.label_) for s in doc.spans[LEXICON_SPANS]] == [
        ("LoRA", "Method"), ("Large Language Models", "Method"), ("question answering", "Task"), ("accuracy", "Metric")
    ]


def test_lexicon_acronyms_are_case_sensitive(rules):
    doc = run(rules, "", "We re run the math and the arc of it.")
    assert list(doc.spans[LEXICON_SPANS]) == []


def test_model_names_take_their_versions_and_variants(rules):
    doc = run(rules, "", "We compare GPT-4o mini and Llama 3 8B Instruct with gpt-4.")
    assert typed(doc) == [("GPT-4o mini", "Model"), ("Llama 3 8B Instruct", "Model"), ("gpt-4", "Model")]


def test_lexicon_file_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "lexicon.tsv"
    bad.write_text("# comment\nMethod\tLoRA\nGadget\tWidget\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lexicon.tsv:3: expected"):
        load_lexicon(bad)
    bad.write_text("Method\tLoRA\nModel\tLoRA\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lexicon.tsv:2: 'LoRA' is already a Method \(line 1\)"):
        load_lexicon(bad)


def test_shipped_lexicon_has_every_type():
    lexicon = load_lexicon()
    assert {*lexicon.exact.values(), *lexicon.folded.values()} == {"Method", "Model", "Dataset", "Benchmark", "Task", "Metric"}


# --- names
def test_shape_names_with_versions_and_sizes(blank):
    doc = blank("We fine-tune LLaMA-2-7B, GPT-4o and Qwen2.5-Math; Orca 2 and OpenChat follow.")
    assert [(s.text, s.label_) for s in find_names(doc)] == [
        ("LLaMA-2-7B", UNTYPED), ("GPT-4o", UNTYPED), ("Qwen2.5-Math", UNTYPED), ("OpenChat", UNTYPED)
    ]


def test_suffix_and_head_word_cues(blank):
    doc = blank("We evaluate on the MMLU benchmark, the FooCorp dataset, MT-Bench and the Chinese Instruction-Following Benchmark.")
    assert [(s.text, s.label_) for s in find_names(doc)] == [
        ("MMLU", "Benchmark"), ("FooCorp", "Dataset"), ("MT-Bench", "Benchmark"), ("Chinese Instruction-Following Benchmark", "Benchmark")
    ]


def test_naming_verbs(blank):
    doc = blank("We propose a method called Self Rewarding Tuning, which works.")
    assert [s.text for s in find_names(doc)] == ["Self Rewarding Tuning"]


def test_task_phrases_without_verbs_or_qualifiers(blank):
    doc = blank("It significantly outperforms retrieval and improves zero-shot molecule property prediction and code generation.")
    assert [(s.text, s.label_) for s in find_names(doc)] == [("molecule property prediction", "Task"), ("code generation", "Task")]


def test_organisations_and_numbers_are_not_names(blank):
    doc = blank("OpenAI and NVIDIA trained 7B and 13B models on GPUs in 2023 (see Fig. 2).")
    assert find_names(doc) == []


# --- generic phrases
@pytest.mark.parametrize("text", ["our method", "several benchmarks", "existing approaches", "the baselines", "a novel framework", "state-of-the-art models", "performance"])
def test_generic_phrases(text):
    assert is_generic(text)


@pytest.mark.parametrize("text", ["MMLU", "reward model", "large language models", "the Pile"])
def test_names_are_not_generic(text):
    assert not is_generic(text)


# --- typing
def test_type_of_name_and_phrase():
    assert type_of_name("Llama-3-8B-Instruct") == "Model"
    assert type_of_name("HumanEval") == "Benchmark"
    assert type_of_name("FooNet") is None
    assert type_of_phrase("text-to-image generation") == "Task"
    assert type_of_phrase("Dice Similarity Coefficient") == "Metric"
    assert type_of_phrase("Chain of Thought") is None


@pytest.mark.parametrize(
    "text, name, prior, expected",
    [
        ("We release the FooQA dataset today.", "FooQA", "Benchmark", "Dataset"),  # the text's word wins
        ("Results on GSM8K, MATH and SVAMP benchmarks improve.", "GSM8K", "Dataset", "Benchmark"),  # a list's head
        ("We present Zeta, a framework for agents.", "Zeta", UNTYPED, "Method"),  # apposition
        ("We present Zeta, a benchmark for agents.", "Zeta", UNTYPED, "Benchmark"),
        ("Datasets such as Foo are used.", "Foo", UNTYPED, "Dataset"),  # word before
        ("Results on Foo and Bar improve.", "Bar", UNTYPED, "Benchmark"),  # evaluated on
        ("We pre-train on Foo for a week.", "Foo", UNTYPED, "Dataset"),  # trained on
        ("GPT-4 benchmark results are strong.", "GPT-4", "Model", "Model"),  # a model stays a model
        ("We use Zeta everywhere.", "Zeta", UNTYPED, "Method"),  # no word: the default
        ("We fine-tune Zeta-7B today.", "Zeta-7B", UNTYPED, "Model"),  # a size makes a model
    ],
)
def test_type_by_context(blank, text, name, prior, expected):
    doc = blank(text)
    start = text.index(name)
    span = doc.char_span(start, start + len(name))
    assert type_by_context(span, prior) == expected


# --- candidates: merging, lists, title names
def test_abbreviation_pair_typed_by_long_form(rules):
    doc = run(rules, "", "We build a Chinese Instruction-Following Benchmark (CIF-Bench) for LLMs.")
    assert ("Chinese Instruction-Following Benchmark", "Benchmark") in typed(doc)
    assert ("CIF-Bench", "Benchmark") in typed(doc)


def test_lists_share_the_type_of_their_known_items(rules):
    doc = run(rules, "", "We merge models with Averaging, Task Arithmetic, Dare, and TIES-Merging.")
    assert typed(doc)[-4:] == [("Averaging", "Method"), ("Task Arithmetic", "Method"), ("Dare", "Method"), ("TIES-Merging", "Method")]


def test_title_defines_a_name(rules):
    doc = run(rules, "Zephyrine: Aligning Small Models", "Zephyrine beats larger models.")
    assert [s.text for s in doc.spans[ENTITY_SPANS]] == ["Zephyrine", "Zephyrine"]


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Monte Carlo Tree Search Boosts Reasoning via Iterative Preference Learning", [("Iterative Preference Learning", "Method", True)]),
        ("Contrastive Span Pretraining for Few-Shot Object Detection",
         [("Contrastive Span Pretraining", "Method", True), ("Few-Shot Object Detection", "Task", False)]),
        ("Aligning Large Language Models with Human Preferences", []),  # a gerund clause, a plural description
        ("Zeta: Fast Parsing for Low-Resource Machine Translation", [("Low-Resource Machine Translation", "Task", False)]),
    ],
)
def test_title_phrases(blank, title, expected):
    doc = blank(title + "\n\nAbstract.")
    doc.user_data[TITLE_CHARS] = len(title)
    assert [(p.span.text, p.type, p.introduced) for p in title_phrases(doc)] == expected


def test_generic_phrases_are_dropped_from_merged_candidates(rules):
    doc = run(rules, "", "Our method beats several benchmarks and existing approaches.")
    assert typed(doc) == []


# --- roles
@pytest.mark.parametrize(
    "title, abstract, introduced",
    [
        ("", "We propose FooNet, a framework for parsing, and compare it with BERT.", ["FooNet"]),
        ("", "In this paper, we introduce a new benchmark, ZetaBench, built on MMLU.", ["ZetaBench"]),
        ("", "Our FooNet uses LoRA.", ["FooNet"]),
        ("", "We propose to use LoRA with GPT-4.", []),  # well-known names are used, not introduced
        ("FooNet: Faster Parsing", "It relies on BERT.", ["FooNet"]),  # the title defines it
        ("", "Prior work proposed FooNet.", []),  # not the authors
        ("", "A variant called BarNet is dubbed fast.", ["BarNet"]),
        # a Title Case coinage defined where the authors present their work, not one defined in passing
        ("", "We propose Contextual Critique Optimization (CCO) for alignment. CCO helps.",
         ["Contextual Critique Optimization", "CCO", "CCO"]),
        ("", "Empirical Risk Minimization (ERM) is a common baseline.", []),
    ],
)
def test_roles(rules, title, abstract, introduced):
    doc = run(rules, title, abstract)
    assert [s.text for s in doc.spans[INTRODUCED_SPANS]] == introduced


def test_longest_matches_is_filter_spans_on_tuples(blank):
    import random

    from spacy.tokens import Span
    from spacy.util import filter_spans

    from extractors.lexicon import longest_matches

    doc = blank(" ".join(["w"] * 12))
    rng = random.Random(6)
    for _ in range(3_000):
        matches = []
        for _ in range(rng.randint(0, 8)):
            start = rng.randint(0, 11)
            matches.append((rng.randint(1, 3), start, rng.randint(start + 1, min(12, start + 4))))
        expected = filter_spans([Span(doc, start, end, label=key) for key, start, end in matches])
        assert [(s.label, s.start, s.end) for s in expected] == longest_matches(matches), matches
