"""Abbreviation definitions (Schwartz–Hearst) on hand-built Docs."""

import pytest
import spacy

from extractors.abbreviations import LONG_FORMS, SHORT_FORMS, best_long_form, detect_abbreviations, find_abbreviations, initials_long_form


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def pairs(nlp, text):
    return [(long.text, short.text) for long, short in find_abbreviations(nlp(text))]


def test_long_form_then_short_form(nlp):
    assert pairs(nlp, "We study Direct Nash Optimization (DNO) for alignment.") == [("Direct Nash Optimization", "DNO")]


def test_short_form_then_long_form(nlp):
    assert pairs(nlp, "We fine-tune with DNO (Direct Nash Optimization) instead.") == [("Direct Nash Optimization", "DNO")]


def test_lower_case_long_form_and_plural_short_form(nlp):
    assert pairs(nlp, "Recent large language models (LLMs) reason well.") == [("large language models", "LLMs")]


def test_mixed_case_short_form(nlp):
    text = "Low-Rank Adaptation (LoRA) and model of interestingness (MoI) are used."
    assert pairs(nlp, text) == [("Low-Rank Adaptation", "LoRA"), ("model of interestingness", "MoI")]


def test_word_initials_preferred_over_shortest_match(nlp):
    text = "We solve this by Open-endedness via Models of human Notions of Interestingness (OMNI)."
    assert pairs(nlp, text) == [("Open-endedness via Models of human Notions of Interestingness", "OMNI")]


def test_digits_the_long_form_does_not_spell(nlp):
    assert pairs(nlp, "Recent text-to-image (T2I) models draw well.") == [("text-to-image", "T2I")]
    assert pairs(nlp, "We use 3D Gaussian Splatting (3DGS) here.") == [("3D Gaussian Splatting", "3DGS")]


def test_short_form_before_comma_inside_bracket(nlp):
    assert pairs(nlp, "the Chinese Instruction-Following Benchmark (CIF-Bench, 2024) is new") == [
        ("Chinese Instruction-Following Benchmark", "CIF-Bench")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Results improve (2023) in all settings.",  # a year
        "A model with 7 billion parameters (7B) is small.",  # a size
        "Pretrained encoders (e.g., BERT) help.",  # a Latin abbreviation
        "We developed a system based on Collaborative (Deep) learning.",  # an ordinary word
        "Accuracy rises by ten points (95%) overall.",  # a number
        "This holds (see Section 3 for details on the proof) in general.",  # prose
        "Some stuff (XYZ) happens here.",  # letters that the words do not spell
    ],
)
def test_noise_is_filtered(nlp, text):
    assert pairs(nlp, text) == []


def test_long_form_stays_in_its_sentence(nlp):
    assert pairs(nlp, "We train Transformers. Faster (TF) runs help.") == []


def test_component_writes_parallel_span_groups(nlp):
    doc = detect_abbreviations(nlp("Reinforcement learning from human feedback (RLHF) and supervised fine-tuning (SFT)."))
    assert [s.text for s in doc.spans[SHORT_FORMS]] == ["RLHF", "SFT"]
    assert [s.text for s in doc.spans[LONG_FORMS]] == ["Reinforcement learning from human feedback", "supervised fine-tuning"]


def test_character_matching_helpers():
    assert best_long_form("ABC", "nothing here") is None
    assert initials_long_form("RAG", "uses Retrieval-Augmented Generation") == len("uses ")


def test_unbalanced_and_empty_brackets_do_not_crash(nlp):
    assert pairs(nlp, "((( ))) ( ) (LLM ((( x") == []


@pytest.mark.parametrize("connective", ["or", "aka", "also"])
def test_connective_before_the_short_form(nlp, connective):
    text = f"To balance persuasion, we introduce Persuasion-Balanced Training ({connective} PBT), which helps."
    assert pairs(nlp, text) == [("Persuasion-Balanced Training", "PBT")]


def test_a_clause_that_merely_holds_the_letters_is_no_long_form(nlp):
    # letters found inside words of a long clause: no definition (a name followed by a remark in brackets)
    assert pairs(nlp, "We train TinyLlama (training data on client devices and exclusively sharing local models).") == []
    assert pairs(nlp, "Diffusion samplers have significantly reduced the required latency (DG-QAT) here.") == []


def test_long_forms_spelled_inside_their_words_are_kept(nlp):
    assert pairs(nlp, "We propose Detail Mamba (DeMamba) for video.") == [("Detail Mamba", "DeMamba")]
    text = "We use ShampoO with Adam in the Preconditioner's eigenbasis (SOAP) to train."
    assert pairs(nlp, text) == [("ShampoO with Adam in the Preconditioner's eigenbasis", "SOAP")]
