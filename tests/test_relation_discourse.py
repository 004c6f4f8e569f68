"""Where a pair's sentences stand in the abstract's story (extractors.relation_discourse),
on hand-built abstracts: the own-work boundary, the places against it and the head."""

from __future__ import annotations

from extractors.relation_discourse import family, own_work_start, place
from extractors.relation_features import pair_candidates
from extractors.sentences import sentence_starts
from tests.test_relations import make_doc

TITLE = "ToolX: planning with retrieval"
ABSTRACT = ("Retrieval models such as BaseNet are popular. However, they plan poorly. "
            "We propose ToolX, which builds on BaseNet for planning. It beats OldNet on QuestBench.")


def _doc():
    return make_doc(TITLE + "\n\n" + ABSTRACT,
                    [("ToolX", "Method"), ("BaseNet", "Method"), ("OldNet", "Method"), ("planning", "Task"), ("QuestBench", "Benchmark")],
                    introduced=("ToolX",), title_chars=len(TITLE))


def _sentence_spans(doc):
    starts = sentence_starts(doc)
    return list(zip(starts, [*starts[1:], len(doc.text)]))


def test_the_own_work_starts_at_the_first_sentence_after_the_title_that_speaks_of_it():
    doc = _doc()
    spans = _sentence_spans(doc)
    boundary = own_work_start(doc.text, spans)
    assert doc.text[slice(*spans[boundary])].startswith("We propose ToolX")
    # "our" in the title does not count, nor a word that only contains "we" or "us"
    text = "Our title. Lower layers focus. Thus it helps. Our model wins."
    assert own_work_start(text, [(0, 10), (11, 30), (31, 45), (46, 61)]) == 3
    assert own_work_start("A title. Nothing here.", [(0, 8), (9, 22)]) == 2  # all background


def test_places_against_the_boundary_and_the_pairs_families():
    assert [place(k, boundary=2) for k in range(4)] == ["title", "background", "boundary", "after"]
    assert [family(*types) for types in (("Dataset", "Task"), ("Model", "Dataset"), ("Method", "Model"), ("Benchmark", "Method"))] == [
        "task", "data", "actors", "other"]


def test_pair_features_say_where_their_sentences_stand():
    pairs = {(p.head.key, p.tail.key): p.features for p in pair_candidates(_doc())}
    # BaseNet in the background and again in the sentence that introduces ToolX (whose first
    # mention is the title's)
    based = pairs["toolx", "basenet"]
    assert {"STP:own:actors:background", "STP:same:actors:boundary", "STH:same:actors:after"} <= based
    assert "STT:actors:after" in based and not any(f.startswith("STP:") and ":title" in f for f in based)
    # OldNet and QuestBench only after the own work begins: an own-system sentence after the head's first
    late = pairs["toolx", "questbench"]
    assert {"STP:own:data:after", "STH:own:data:after", "STT:data:after"} <= late
    # the title joins the head and its Task: the tail first stands where the head does
    assert {"STP:same:task:title", "STH:same:task:same", "STT:task:same"} <= pairs["toolx", "planning"]


def test_pairs_know_how_many_systems_their_paper_introduces():
    introduces = [p.features & {"NI:actors:0", "NI:actors:1"} for p in pair_candidates(_doc()) if p.tail.key == "oldnet" and p.head.type == "Method"]
    assert introduces and all(found == {"NI:actors:1"} for found in introduces)
    study = make_doc("A study. We compare BaseNet and OldNet on planning.",
                     [("BaseNet", "Method"), ("OldNet", "Method"), ("planning", "Task")])
    assert all("NI:task:0" in p.features for p in pair_candidates(study) if p.tail.key == "planning")
