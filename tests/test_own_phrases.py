"""The phrases a paper introduces as its own ("we propose a novel X"): candidates for the entity filter."""

from extractors.own_phrases import COMPONENT, own_phrases


def _names(abstract, title="A title"):
    return [(e.name, e.type) for e in own_phrases(title, abstract)]


def test_the_phrase_after_an_introducing_verb_without_determiner_and_praise():
    abstract = ("To this end, we propose a spatially varying linear lighting model. We then design an efficient rank-based random "
                "estimator that scales. This paper introduces Medprompt.")
    assert _names(abstract) == [("spatially varying linear lighting model", "Method"), ("rank-based random estimator", "Method"),
                                ("Medprompt", "Method")]


def test_a_novel_phrase_anywhere_and_naming_words():
    abstract = "Our algorithm utilizes a novel higher-dimensional relaxation. We call it the Macaron Net, termed MacNet here."
    assert _names(abstract) == [("higher-dimensional relaxation", "Method"), ("MacNet", "Method")]


def test_generic_phrases_and_lone_lower_case_words_after_the_verb_are_not_proposed():
    abstract = ("We propose a novel framework for retrieval. We introduce a simple yet effective method. "
                "We propose adding noise. We present an approach aimed at speed.")
    assert _names(abstract) == []


def test_the_name_after_a_kind_word_and_the_kind_word_ending_the_phrase():
    abstract = "We propose a multi-modal framework COEP for images. We introduce a benchmark comprising code. We release a corpus."
    assert _names(abstract) == [("COEP", "Method")]


def test_kind_words_type_the_phrase_and_every_occurrence_is_a_mention():
    title = "Scylla: Testing Generalization"
    abstract = "We introduce the Multifaceted Collection of preferences. We also introduce two evaluation metrics. Scylla is new."
    found = own_phrases(title, abstract)
    assert [(e.name, e.type) for e in found] == [("Multifaceted Collection", "Dataset")]
    mention = found[0].mentions[0]
    assert (mention.field, abstract[mention.start : mention.end], mention.sentence, mention.component) == (
        "abstract", "Multifaceted Collection", 0, COMPONENT)
    assert [m.field for m in own_phrases(title, "We propose Scylla, a suite. Scylla works.")[0].mentions] == ["title", "abstract", "abstract"]


def test_empty_and_hostile_text():
    assert own_phrases("", "") == []
    assert own_phrases("t", "we propose " * 5000 + "\x00\x07 (((") == []
