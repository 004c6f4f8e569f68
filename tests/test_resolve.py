"""Cross-paper entity resolution: the cases of issue 12, order independence, and the dev gold."""

from __future__ import annotations

import random

import pytest
from goldrecords import SHARED_EVAL, load_gold

from extractors.records import Entity, Mention, PaperExtraction
from kg.names import name_key
from kg.resolve import resolve_entities


def entity(name, kind="Method", aliases=(), mentions=()):
    spans = tuple(Mention(text, "abstract", 0, len(text), 0, 1.0, "test") for text in mentions)
    return Entity(name, kind, "used", tuple(aliases), spans, 1.0)


def paper(pid, *entities):
    return PaperExtraction(pid, f"title {pid}", tuple(entities), (), "test", "0")


def slugs(resolution, *pairs):
    return {resolution.lookup(pid, name).slug for pid, name in pairs}


LLM_PAPERS = [
    paper("p1", entity("LLMs", mentions=["LLMs", "LLMs"])),
    paper("p2", entity("LLM")),
    paper("p3", entity("large language models", mentions=["large language models"] * 3)),
    paper("p4", entity("Large Language Models (LLMs)")),
]


def test_llm_forms_are_one_entity_with_every_form_as_alt_label():
    resolution = resolve_entities(LLM_PAPERS)
    assert slugs(resolution, ("p1", "LLMs"), ("p2", "LLM"), ("p3", "large language models"),
                 ("p4", "Large Language Models (LLMs)")) == {"large-language-models"}
    (llm,) = resolution.entities
    assert llm.pref_label == "large language models"  # most frequent full form
    assert {"LLMs", "LLM", "Large Language Models"} <= set(llm.alt_labels)
    assert llm.papers == 4


def test_abbreviation_alias_joins_lora_and_versions_stay_apart():
    resolution = resolve_entities([
        paper("p1", entity("Low-Rank Adaptation", aliases=["LoRA"])),
        paper("p2", entity("LoRA")),
        paper("p3", entity("GPT-4", "Model"), entity("BERT", "Model")),
        paper("p4", entity("GPT-4o", "Model"), entity("BERTScore", "Metric")),
    ])
    assert slugs(resolution, ("p1", "Low-Rank Adaptation"), ("p2", "LoRA")) == {"low-rank-adaptation"}
    assert len(slugs(resolution, ("p3", "GPT-4"), ("p4", "GPT-4o"))) == 2
    assert len(slugs(resolution, ("p3", "BERT"), ("p4", "BERTScore"))) == 2


def test_slug_follows_the_name_most_papers_use_so_a_rare_pairing_does_not_move_it():
    # An entity's IRI names every paper graph that mentions it: one paper that pairs a popular
    # name with a variant or a clause must not rename it (a corpus that grows would rewrite
    # every paper graph naming "DG-QAT").
    popular = [paper(f"p{i}", entity("DG-QAT"), entity("TinyLlama", "Model")) for i in range(3)]
    alone = resolve_entities(popular)
    assert slugs(alone, ("p0", "DG-QAT")) == {"dg-qat"} and slugs(alone, ("p0", "TinyLlama")) == {"tinyllama"}
    grown = resolve_entities(popular + [
        paper("p8", entity("DG-QAT-v4", aliases=["DG-QAT"])),
        paper("p9", entity("training data on client devices", "Model", aliases=["TinyLlama"]))])
    assert slugs(grown, ("p0", "DG-QAT"), ("p8", "DG-QAT-v4")) == {"dg-qat"}  # merged, under the popular name
    assert slugs(grown, ("p0", "TinyLlama"), ("p9", "training data on client devices")) == {"tinyllama"}
    # Among names as many papers use, the spelled-out one (not an alias) names the entity.
    even = resolve_entities([paper("p1", entity("Direct Nash Optimization", aliases=["DNO"])), paper("p2", entity("DNO"))])
    assert slugs(even, ("p1", "Direct Nash Optimization"), ("p2", "DNO")) == {"direct-nash-optimization"}


def test_ambiguous_acronym_gets_two_nodes_and_chains_nothing():
    resolution = resolve_entities([
        paper("p1", entity("reinforcement learning", aliases=["RL"])),
        paper("p2", entity("representation learning", aliases=["RL"])),
        paper("p3", entity("RL")),
    ])
    assert len(slugs(resolution, ("p1", "RL"), ("p2", "RL"), ("p3", "RL"))) == 3
    assert resolution.ambiguous == ("rl",)


def test_long_forms_differing_in_minor_words_are_one_name_not_an_ambiguity():
    resolution = resolve_entities([
        paper("p1", entity("Reinforcement Learning from Human Feedback", aliases=["RLHF"])),
        paper("p2", entity("reinforcement learning with human feedback", aliases=["RLHF"])),
        paper("p3", entity("RLHF", mentions=["RLHF", "RLHF)-tuned"])),
        paper("p4", entity("continual learning", aliases=["CL"])),
        paper("p5", entity("curriculum learning", aliases=["CL"])),
    ])
    assert len(slugs(resolution, ("p1", "RLHF"), ("p2", "RLHF"), ("p3", "RLHF"))) == 1
    assert "RLHF)-tuned" not in resolution.lookup("p3", "RLHF").alt_labels  # a span cut through a bracket
    assert len(slugs(resolution, ("p4", "CL"), ("p5", "CL"))) == 2
    assert resolution.ambiguous == ("cl",)


def test_short_model_name_does_not_swallow_bare_uses():
    resolution = resolve_entities([
        paper("p1", entity("GPT-4 Turbo", "Model", aliases=["GPT-4"])),
        paper("p2", entity("GPT-4", "Model")),
    ])
    assert len(slugs(resolution, ("p1", "GPT-4 Turbo"), ("p2", "GPT-4"))) == 2


def test_inferred_abbreviation_needs_a_single_candidate_of_the_same_type():
    resolution = resolve_entities([
        paper("p1", entity("natural language inference", "Task")),
        paper("p2", entity("NLI", "Task")),
        paper("p3", entity("GPT", "Model"), entity("graph pre-training", "Method")),
    ])
    assert len(slugs(resolution, ("p1", "natural language inference"), ("p2", "NLI"))) == 1
    assert len(slugs(resolution, ("p3", "GPT"), ("p3", "graph pre-training"))) == 2
    off = resolve_entities([paper("p1", entity("natural language inference", "Task")), paper("p2", entity("NLI", "Task"))],
                           infer_abbreviations=False)
    assert len(off.entities) == 2


def test_type_is_the_majority_vote_of_mentions():
    resolution = resolve_entities([
        paper("p1", entity("Transformer", "Method", mentions=["Transformer"] * 3)),
        paper("p2", entity("transformers", "Model", mentions=["transformers"])),
    ])
    (transformer,) = resolution.entities
    assert transformer.type == "Method"
    assert transformer.mentions == 4


def test_unicode_case_hyphen_and_plural_forms_share_a_key():
    assert len({name_key(n) for n in ["Vision-Language Models", "vision language model", "Vision\u2010Language\u00a0Models",
                                      "VISION-LANGUAGE MODELS\u200b"]}) == 1


def test_result_does_not_depend_on_input_order():
    papers = LLM_PAPERS + [
        paper("p5", entity("Low-Rank Adaptation", aliases=["LoRA"]), entity("GPT-4o", "Model")),
        paper("p6", entity("LoRA"), entity("RL")),
        paper("p7", entity("reinforcement learning", aliases=["RL"])),
        paper("p8", entity("representation learning", aliases=["RL"])),
    ]
    expected = resolve_entities(papers).entities
    rng = random.Random(0)
    for _ in range(5):
        shuffled = [PaperExtraction(p.paper_id, p.title, tuple(rng.sample(p.entities, len(p.entities))), (), "t", "0")
                    for p in rng.sample(papers, len(papers))]
        assert resolve_entities(shuffled).entities == expected


def test_hostile_names_give_valid_unique_slugs():
    names = ['a "b" <c>', "x\ny", "\u202eevil\u202c", "x" * 10_000, "\u05d0\u05d1\u05d2", "C++", "C#"]
    resolution = resolve_entities([paper("p", *(entity(n) for n in names))])
    found = [e.slug for e in resolution.entities]
    assert len(set(found)) == len(names)
    for slug in found:
        assert slug and len(slug) < 80 and all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in slug)


@pytest.mark.skipif(not (SHARED_EVAL / "dev.gold.jsonl").exists(), reason="shared eval data not present")
def test_dev_gold_resolution_meets_the_bars():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from resolution_quality import measure

    figures = measure(*load_gold())
    assert figures["joined"] >= 0.95
    assert figures["impure"] < 0.02
