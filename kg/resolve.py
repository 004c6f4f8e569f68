"""Cross-paper entity resolution: one resolved entity (one IRI) per real-world entity.

Each paper's extraction lists its entities with a ``name`` (the fullest form) and
``aliases`` (other forms the same text uses, such as an acronym in brackets). Resolution
joins these per-paper entities across the corpus:

1. Same normal form of the full name (`kg.names.name_key`: case, hyphens, spaces,
   plurals, Unicode) -> same entity.
2. An *abbreviation* alias (one that is not just a shorter piece of the full name, like
   ``LoRA`` for ``Low-Rank Adaptation``) links the papers that use the abbreviation on its
   own to the entity it abbreviates, but only while every paper that spells it out means
   the same entity: an acronym with two long forms in the corpus is *ambiguous* and links
   nothing, so chains never run through it (long forms that differ only in minor words or
   plurals, "from"/"with", "number"/"numbers", are variants of one name and are joined).
3. Optionally, an abbreviation-shaped name that no paper spells out joins the single
   multi-word name in the corpus whose initials it matches (``LLMs`` -> ``large language
   models``); with two or more candidates it stays alone.

Merging is the least fixed point of these rules, so the result does not depend on the
order of papers or entities. Each entity takes the type most of its mentions vote for,
its most frequent full form as preferred label and every other form as alternative
labels. Its slug (the last IRI segment) does not follow the label, which new papers move:
it is made from the full name that most papers use (among equals, one that is no alias,
then the smallest normal form), with a hash of that normal form added where the slug alone
does not give it back (no ASCII letters left, characters dropped, longer than 60). A new
spelling, or a clause that one paper pairs with an acronym, does not move the IRI of an
entity many papers name: a merge moves only the IRIs of the names fewer papers use.

Examples
--------
>>> from extractors.records import Entity, PaperExtraction
>>> def paper(pid, *entities):
...     return PaperExtraction(pid, pid, tuple(Entity(n, t, "used", tuple(a), (), 1.0) for n, t, a in entities), (), "x", "1")
>>> resolution = resolve_entities([
...     paper("p1", ("Low-Rank Adaptation", "Method", ["LoRA"])),
...     paper("p2", ("LoRA", "Method", [])), paper("p3", ("GPT-4o", "Model", []), ("GPT-4", "Model", []))])
>>> [(e.slug, e.pref_label, e.alt_labels, e.papers) for e in resolution.entities]
[('gpt-4', 'GPT-4', (), 1), ('gpt-4o', 'GPT-4o', (), 1), ('low-rank-adaptation', 'Low-Rank Adaptation', ('LoRA',), 2)]
>>> resolution.lookup("p2", "LoRA").slug
'low-rank-adaptation'
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from extractors.records import ENTITY_TYPES, PaperExtraction
from kg.namestats import NameStats, count_locals, main_type
from kg.names import (clean_surface, initials, is_abbreviation_shaped, loose_key, name_key, slugify,
                      split_parenthetical)

__all__ = ["ResolvedEntity", "Resolution", "resolve_entities", "resolve_locals", "paper_locals", "locals_to_json",
           "locals_from_json", "paper_table", "resolve_names"]

T = TypeVar("T")


@dataclass(frozen=True)
class ResolvedEntity:
    """One real-world entity of the corpus."""

    slug: str  # the last segment of its IRI: stable, unique, [a-z0-9-]
    type: str  # one of ENTITY_TYPES, by majority of mentions
    pref_label: str
    alt_labels: tuple[str, ...]  # every other surface form, sorted
    papers: int  # papers that mention it
    mentions: int  # mentions across the corpus (an entity without mentions counts once)


@dataclass(frozen=True)
class Resolution:
    """The resolved entities and, per paper, which one each of its names refers to."""

    entities: tuple[ResolvedEntity, ...]  # sorted by slug
    ambiguous: tuple[str, ...]  # abbreviation keys with two or more long forms
    entity_of_name: dict[str, int] = field(repr=False, compare=False)  # full key -> index in entities
    _by_paper: dict[str, dict[str, int]] = field(default_factory=dict, repr=False, compare=False)

    def add_papers(self, locals_: Iterable[_Local]) -> None:
        """Make `lookup` answer for the papers of ``locals_`` (their `paper_locals`, all of each paper)."""
        by_paper: dict[str, list[_Local]] = defaultdict(list)
        for local in locals_:
            by_paper[local.paper_id].append(local)
        for pid, found in by_paper.items():
            self._by_paper[pid] = paper_table(found, self.entity_of_name.__getitem__)

    def lookup(self, paper_id: str, name: str) -> ResolvedEntity | None:
        """The entity that ``name`` (an entity name or alias of that paper) resolves to."""
        index = self._by_paper.get(paper_id, {}).get(name_key(name))
        return None if index is None else self.entities[index]


def paper_table(found: list[_Local], entity_of: Callable[[str], T]) -> dict[str, T]:
    """Name key -> entity of one paper's names: ``found`` are its `paper_locals`, ``entity_of``
    gives the entity of a full key (ordered as the entities are: indices, or slugs).

    A paper's full names win over its aliases when one string is both (nested entities); an
    alias goes to the entity first by slug among the paper's entities that use it.
    """
    table = {local.full_key: entity_of(local.full_key) for local in found}
    for local in sorted(found, key=lambda local: table[local.full_key]):
        for key in local.keys:  # sorted (paper_locals)
            table.setdefault(key, table[local.full_key])
    return table


@dataclass(frozen=True, slots=True)
class _Local:
    """One entity of one paper, reduced to what resolution needs (tuples: 10^6 of these must fit)."""

    paper_id: str
    full_key: str
    links: tuple[str, ...]  # alias keys that may join bare uses elsewhere (if unambiguous)
    keys: tuple[str, ...]  # every key this paper uses for it, sorted
    surfaces: tuple[tuple[str, int], ...]  # surface form, times seen
    full_surfaces: tuple[str, ...]
    types: tuple[tuple[str, int], ...]  # type, votes


# Named artifacts: a shorter name usually means another version, size or family.
_ARTIFACT_TYPES = frozenset({"Model", "Dataset", "Benchmark"})


# Resolution asks these of every local's surfaces on every build; distinct surfaces are far
# fewer than locals (a name is used by many papers), so each is worked out once.
_initials = functools.lru_cache(maxsize=1 << 17)(initials)
_loose_key = functools.lru_cache(maxsize=1 << 17)(loose_key)
_name_key = functools.lru_cache(maxsize=1 << 17)(name_key)
_slugify = functools.lru_cache(maxsize=1 << 17)(slugify)


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and text.count("[") == text.count("]")


def _full_form(surfaces: list[str]) -> str:
    """The entity's full form: its name (first surface), unless the name is an acronym an alias spells out."""
    name = surfaces[0]
    if is_abbreviation_shaped(name):
        spelled = [s for s in surfaces[1:] if not is_abbreviation_shaped(s) and len(name_key(s)) > len(name_key(name))]
        if spelled:
            return max(spelled, key=lambda s: (len(name_key(s)), s))
    return name


def _locals_of(extractions: Iterable[PaperExtraction]) -> list[_Local]:
    found = [local for extraction in extractions for local in paper_locals(extraction)]
    found.sort(key=lambda local: (local.paper_id, local.full_key))
    return found


def locals_to_json(locals_: list[_Local]) -> list:
    """What `paper_locals` found, as JSON-ready lists (a build keeps them per record: resolving
    again then needs no record parsed and no name normalised again)."""
    return [[x.paper_id, x.full_key, x.links, x.keys, x.surfaces, x.full_surfaces, x.types] for x in locals_]


def locals_from_json(rows: list) -> list[_Local]:
    """Inverse of `locals_to_json`."""
    return [_Local(pid, full, tuple(links), tuple(keys), tuple([tuple(pair) for pair in surfaces]), tuple(fulls),
                   tuple([tuple(pair) for pair in types]))
            for pid, full, links, keys, surfaces, fulls, types in rows]


def paper_locals(extraction: PaperExtraction) -> list[_Local]:
    """The entities of one paper's record, reduced to what resolution needs (one per full name)."""
    found: list[_Local] = []
    # full key -> [links, keys, surfaces, full surfaces, types] of this paper
    merged: dict[str, list] = {}
    for entity in extraction.entities:
        forms = [entity.name, *entity.aliases]
        split: list[str] = []
        for form in forms:
            parts = split_parenthetical(form)
            split.extend(parts if parts else (form,))
        surfaces = [s for s in (clean_surface(f) for f in split) if name_key(s)]
        if not surfaces:
            continue
        full = _full_form(surfaces)
        full_key = name_key(full)
        links = {name_key(s) for s in surfaces} - {full_key}
        if entity.type in _ARTIFACT_TYPES:
            # "GPT-4" short for "GPT-4 Turbo" in one paper is no reason to join every bare "GPT-4".
            links = {key for key in links if key not in full_key}
        # Surface forms of the mentions become labels; a span cut through brackets ("LLM)-based") is no name.
        counts: Counter = Counter(clean_surface(m.text) for m in entity.mentions
                                  if name_key(m.text) and _balanced(m.text))
        if not counts:
            counts[full] += 1
        parts = merged.setdefault(full_key, [set(), set(), Counter(), set(), Counter()])
        parts[0] |= links
        parts[1] |= {name_key(s) for s in (*forms, *surfaces, *counts)} - {""}
        parts[2].update(counts)
        parts[2].update({s: 0 for s in surfaces})
        parts[3].add(full)
        parts[4][entity.type] += max(1, len(entity.mentions))
    for full_key, (links, keys, surfaces, fulls, types) in merged.items():
        found.append(_Local(extraction.paper_id, full_key, tuple(sorted(links)), tuple(sorted(keys)),
                            tuple(sorted(surfaces.items())), tuple(sorted(fulls)), tuple(sorted(types.items()))))
    return found


class _Partition:
    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


def _merge(keys: list[str], names: dict[str, NameStats], *, infer_abbreviations: bool) -> tuple[_Partition, set[str]]:
    """Join the distinct full names ``keys`` (sorted) by the abbreviation rules (each name is all
    the per-paper entities with that full name, joined by rule 1 already)."""
    partition = _Partition(len(keys))
    index_of = {key: i for i, key in enumerate(keys)}
    owners: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        for link in names[key].links:
            owners[link].append(i)

    candidates: dict[str, list[int]] = defaultdict(list)
    if infer_abbreviations:
        multiword: dict[str, dict[int, set[str]]] = defaultdict(dict)  # acronym -> name -> main types
        for i, key in enumerate(keys):
            for surface, kind in names[key].fulls:
                for acronym in _initials(surface):
                    multiword[acronym].setdefault(i, set()).add(kind)
        for key, i in index_of.items():
            if key in owners or key not in multiword:
                continue
            fulls = names[key].fulls
            if not any(is_abbreviation_shaped(s) for s, _ in fulls):
                continue
            # Same type only: "GPT" (a model) is not "graph pre-training" (a method).
            kinds = {kind for _, kind in fulls}
            same_type = [j for j, types in multiword[key].items() if types & kinds]
            if same_type:
                candidates[key] = same_type

    ambiguous: set[str] = set()
    changed = True
    while changed:  # least fixed point: each pass only adds merges the current partition justifies
        changed = False
        ambiguous.clear()
        for links in (owners, candidates):
            for key, linked in links.items():
                roots = {partition.find(i) for i in linked}
                if len(roots) != 1 and not _variants_of_one_name(keys, names, linked):
                    ambiguous.add(key)
                    continue
                root = min(roots)
                own = index_of.get(key)
                for other in (*roots, *(() if own is None else (own,))):
                    changed |= partition.union(root, other)
    return partition, {k for k in ambiguous if k in owners}


def _variants_of_one_name(keys: list[str], names: dict[str, NameStats], linked: list[int]) -> bool:
    """True when the long forms an acronym stands for differ only in minor words or plurals
    ("Reinforcement Learning from/with Human Feedback"): one name, not an ambiguity."""
    return len({_loose_key(s) for i in linked for s, _ in names[keys[i]].fulls}) == 1


def _digest(text: str, length: int = 8) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def _describe(members: list[NameStats]) -> tuple[str, str, tuple[str, ...], int, str]:
    surfaces: dict[str, int] = {}  # summed by hand: Counter.update loops in Python as well, with more steps
    types: dict[str, int] = {}
    aliases: set[str] = set()
    for stats in members:
        for surface in stats.surfaces:
            surfaces[surface] = surfaces.get(surface, 0) + stats.counts.get(surface, 0)
        for kind, votes in stats.types.items():
            types[kind] = types.get(kind, 0) + votes
        aliases.update(stats.links)
    full = {s for stats in members for s, _ in stats.fulls if _name_key(s) not in aliases}
    full = full or {s for stats in members for s, _ in stats.fulls}
    pref = min(full, key=lambda s: (-surfaces.get(s, 0), -len(s), s))
    kind = main_type(types)
    alt = tuple(sorted(s for s in surfaces if s != pref))
    mentions = sum(stats.mentions for stats in members)
    # The slug's name: the one most papers use, so a rare spelling or a merge with a rare
    # name never moves the IRI of a popular entity (every paper graph naming it is rewritten then).
    most = max(stats.papers for stats in members)
    leading = {s for stats in members if stats.papers == most for s, _ in stats.fulls}
    return pref, kind, alt, mentions, _entity_slug({s for s in leading if _name_key(s) not in aliases} or leading)


def _entity_slug(full: set[str]) -> str:
    """The slug of full forms ``full`` (as a set: no counts, no order), never from the preferred label.

    A label is the most frequent surface form, so new papers move it; a slug made from it
    would move the entity's IRI, and with it every paper graph that mentions the entity.
    `_describe` passes the forms of the full name most papers use; the slug is made from the
    forms of their smallest normal form, the smallest slug among them. It is the plain slug where the slug
    alone gives back that normal form (two entities, two normal forms: never one slug), else
    the slug with a digest of the normal form (``c++`` -> ``c-<digest>``), so no entity's
    slug depends on which other entities exist.
    """
    key = min(_name_key(s) for s in full)
    slugs = {_slugify(s) for s in full if _name_key(s) == key}
    exact = [slug for slug in slugs if slug and _name_key(slug) == key]
    if exact:
        return min(exact)
    return f"{min(slugs) or 'e'}-{_digest(key)}"


def resolve_entities(extractions: Iterable[PaperExtraction], *, infer_abbreviations: bool = True) -> Resolution:
    """Resolve the entities of all ``extractions`` across papers (see the module docstring).

    ``infer_abbreviations`` turns on rule 3 (abbreviations nobody spells out).
    """
    return resolve_locals(_locals_of(extractions), infer_abbreviations=infer_abbreviations)


def resolve_locals(locals_: list[_Local], *, infer_abbreviations: bool = True) -> Resolution:
    """`resolve_entities` of the `paper_locals` of every record; `lookup` answers for every paper."""
    names: dict[str, NameStats] = {}
    count_locals(names, locals_)
    users: dict[str, set[str]] = defaultdict(set)
    for local in locals_:
        users[local.full_key].add(local.paper_id)
    resolution = resolve_names(names, lambda keys: len(set().union(*(users[key] for key in keys))),
                               infer_abbreviations=infer_abbreviations)
    resolution.add_papers(locals_)
    return resolution


def resolve_names(names: dict[str, NameStats], papers_of: Callable[[list[str]], int], *,
                  infer_abbreviations: bool = True) -> Resolution:
    """Resolve the distinct full names ``names`` (full key -> `NameStats` over every paper).

    ``papers_of(keys)`` counts the distinct papers that use any of the full names ``keys``
    (asked only for entities of two names or more: a paper may use two names of one entity).
    `lookup` answers for the papers given to `Resolution.add_papers` afterwards.
    """
    keys = sorted(names)
    partition, ambiguous = _merge(keys, names, infer_abbreviations=infer_abbreviations)
    groups: dict[int, list[str]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[partition.find(i)].append(key)

    entities = []
    for members in groups.values():
        stats = [names[key] for key in members]
        pref, kind, alt, mentions, slug = _describe(stats)
        if kind not in ENTITY_TYPES:
            kind = ENTITY_TYPES[0]
        papers = stats[0].papers if len(members) == 1 else papers_of(members)
        entities.append((slug, ResolvedEntity(slug, kind, pref, alt, papers, mentions), members))
    entities.sort(key=lambda item: item[0])
    if len({slug for slug, _, _ in entities}) != len(entities):
        raise RuntimeError("entity slug collision; lengthen the digest")  # 32-bit digests of distinct keys
    entity_of_name = {key: index for index, (_, _, members) in enumerate(entities) for key in members}
    return Resolution(tuple(e for _, e, _ in entities), tuple(sorted(ambiguous)), entity_of_name)
