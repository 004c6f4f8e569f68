"""How candidate names nest in one another (`extractors.nesting`): features for the entity filter."""

import time

from extractors.nesting import nesting_features
from extractors.records import Entity


def _features(*names):
    return [sorted(f) for f in nesting_features([Entity(n, "Method", "used", (), (), 1.0) for n in names])]


def test_a_name_inside_a_longer_one_at_its_start_end_or_middle_by_its_extra_words():
    assert _features("feed-forward reconstruction", "feed-forward reconstruction model") == [
        ["nest:inside", "nest:inside_by:1", "nest:inside_start"], ["nest:holds"]]
    assert _features("Instruction Following", "Selective Instruction Following") == [
        ["nest:inside", "nest:inside_by:1", "nest:inside_end"], ["nest:holds"]]
    assert _features("memory", "adaptive memory reviewer module") == [
        ["nest:inside", "nest:inside_by:3+", "nest:inside_middle"], ["nest:holds"]]


def test_the_closest_holder_counts_and_case_hyphens_are_folded():
    assert _features("LoRA", "LoRA-FA", "lora fa extended version") == [
        ["nest:inside", "nest:inside_by:1", "nest:inside_start"], ["nest:holds", "nest:inside", "nest:inside_by:2", "nest:inside_start"],
        ["nest:holds"]]


def test_unrelated_equal_and_empty_names_and_a_long_list_in_linear_time():
    assert _features("BERT", "RoBERTa", "BERT") == [[], [], []]  # a word inside a word is no nesting; equal names neither
    assert _features("", "---") == [[], []]
    names = [f"name{k} of things" for k in range(20000)]
    start = time.process_time()
    assert len(nesting_features([Entity(n, "Task", "used", (), (), 1.0) for n in names])) == 20000
    assert time.process_time() - start < 5


def test_the_components_of_the_closest_holder_and_of_the_held_names():
    from extractors.records import Mention

    def entity(name, component):
        return Entity(name, "Method", "used", (), (Mention(name, "abstract", 0, len(name), 0, 0.9, component),), 0.9)

    features = nesting_features([entity("LoRA", "kg_lexicon"), entity("LoRA-based tuning", "kg_spans"), entity("tuning", "kg_names")])
    assert {"nest:inside_comp:kg_spans", "nest:inside_start"} <= features[0]
    assert {"nest:holds", "nest:holds_comp:kg_lexicon", "nest:holds_comp:kg_names"} <= features[1]
    assert not any(f.startswith("nest:inside_comp") for f in features[1])


def test_a_filter_trained_with_nesting_reads_it_and_an_older_file_does_not():
    import numpy as np

    from extractors.entity_filter import CLASSES, DROP, EntityFilter
    from extractors.records import Mention, PaperExtraction
    from extractors.sparse_logistic import SparseLogisticModel

    text = "We study class-incremental learning and few-shot class-incremental learning."
    names = ["class-incremental learning", "few-shot class-incremental learning"]
    record = PaperExtraction("p", "t", tuple(Entity(n, "Task", "used", (), (Mention(n, "abstract", text.index(n), text.index(n) + len(n), 0, 0.9,
                                                                                        "kg_names"),), 0.9) for n in names), (), "x", "0")
    # a hand-set filter that drops what a longer candidate holds
    typing = SparseLogisticModel(CLASSES, ["nest:inside"], np.array([[9.0] + [0.0] * 6]), np.array([0.0, 0, 0, 0, 0, 2.0, 0]), {DROP: 0.5})
    role = SparseLogisticModel(("used", "introduced"), [], np.zeros((0, 2)), np.array([0.0, -5.0]), {"introduced": 0.5})
    nesting = EntityFilter(typing, role, {"candidates": "rules", "nesting": True})
    assert [e.name for e in nesting.apply(record, text).entities] == ["few-shot class-incremental learning"]
    older = EntityFilter(typing, role, {"candidates": "rules"})
    assert [e.name for e in older.apply(record, text).entities] == names
