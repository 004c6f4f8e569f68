"""Pairing stays near-linear in a pathological sentence, and complete in a real one."""

from __future__ import annotations

import spacy

from extractors.relation_features import _MAX_SENTENCE_PAIRING, _NEIGHBOURS, EntityView, _sentence_pairs


def _views(count: int) -> list[EntityView]:
    doc = spacy.blank("en")(" ".join(f"N{i}" for i in range(count)))
    return [EntityView(key=f"n{i}", type="Method", introduced=False, spans=[doc[i : i + 1]], sentences=[0]) for i in range(count)]


def test_a_real_sentence_gets_every_ordered_pair():
    views = _views(5)
    assert len(list(_sentence_pairs(views, 0))) == 5 * 4


def test_a_pathological_sentence_pairs_only_near_neighbours():
    count = _MAX_SENTENCE_PAIRING * 10
    views = _views(count)
    pairs = list(_sentence_pairs(views, 0))
    assert len(pairs) <= count * 2 * _NEIGHBOURS
    position = {id(v): i for i, v in enumerate(views)}
    assert all(abs(position[id(h)] - position[id(t)]) <= _NEIGHBOURS for h, t in pairs)
    assert (views[0], views[1]) in pairs
