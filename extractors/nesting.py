"""How a paper's candidate names nest in one another: features for the entity filter.

The filter judges each candidate alone, so where the rules, the span classifier and the
own phrases propose a name and a longer one around it ("Class-Incremental Learning" and
"Few-Shot Class-Incremental Learning", "feed-forward reconstruction" and "feed-forward
reconstruction model"), it cannot weigh one against the other; 42 of the training
papers' introduced entities are missed that way, with another span. These features say,
for each candidate, whether a longer candidate holds it (at its start, its end or inside,
and by how many words) and whether it holds a shorter one.

Examples
--------
>>> from extractors.records import Entity
>>> names = ["Class-Incremental Learning", "Few-Shot Class-Incremental Learning", "BERT"]
>>> [sorted(f) for f in nesting_features([Entity(n, "Task", "used", (), (), 1.0) for n in names])]
[['nest:inside', 'nest:inside_by:2', 'nest:inside_end'], ['nest:holds'], []]
"""

from __future__ import annotations

import re

from extractors.records import Entity

__all__ = ["nesting_features"]

_WORD = re.compile(r"[a-z0-9]+")
_LONGEST = 12  # words of a name whose inner phrases are indexed (longer names are rare and hold no more)


def _words(name: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(name.lower()))


def nesting_features(entities: list[Entity]) -> list[set[str]]:
    """For each entity: ``nest:inside`` (a longer candidate's words hold its words), with
    where (``nest:inside_start``, ``nest:inside_end``, ``nest:inside_middle``), by how
    many words at least (``nest:inside_by:1``, ``:2``, ``:3+``) and which components found
    that closest holder (``nest:inside_comp:kg_spans``); ``nest:holds`` (it holds a
    shorter candidate) and which components found the shorter ones
    (``nest:holds_comp:kg_lexicon``). Linear in the candidates (each name's inner
    phrases are indexed once)."""
    words = [_words(e.name) for e in entities]
    components: dict[tuple[str, ...], set[str]] = {}
    for name, e in zip(words, entities):
        components.setdefault(name, set()).update(m.component for m in e.mentions)
    # inner phrase -> (fewest extra words, where, the holder's words) over the names that hold it
    holders: dict[tuple[str, ...], tuple[int, str, tuple[str, ...]]] = {}
    for name in sorted(components):
        n = min(len(name), _LONGEST)
        for start in range(n):
            for end in range(start + 1, n + 1):
                if end - start == len(name):
                    continue
                where = "start" if start == 0 else "end" if end == len(name) else "middle"
                inner, extra = name[start:end], len(name) - (end - start)
                if inner not in holders or extra < holders[inner][0]:
                    holders[inner] = (extra, where, name)
    features = []
    for name in words:
        found = set()
        if name in holders:
            extra, where, holder = holders[name]
            found |= {"nest:inside", f"nest:inside_{where}", f"nest:inside_by:{extra if extra < 3 else '3+'}"}
            found |= {f"nest:inside_comp:{c}" for c in components[holder]}
        held = [inner for inner in _inner(name) if inner != name and inner in components]
        if held:
            found.add("nest:holds")
            found |= {f"nest:holds_comp:{c}" for inner in held for c in components[inner]}
        features.append(found)
    return features


def _inner(name: tuple[str, ...]):
    n = min(len(name), _LONGEST)
    return (name[start:end] for start in range(n) for end in range(start + 1, n + 1))
