"""What one build run changes in the graph, worked out before anything is written.

The graph update (`kg.graphupdate`) rewrites only what can have changed. This module
works that out from the build state: each stored record is parsed once into an
`Outline` (its names and relations, what resolution needs of it), the names of new and
changed records are counted in and those of changed and removed ones out
(`kg.namestate`), the distinct full names are resolved again, and each paper graph's key
(`graph_key`) is worked out again only for papers with a new record or metadata or a
name whose entity IRI moved. The result is a `GraphDelta`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from extractors.records import PaperExtraction
from kg.buildstate import BuildState
from kg.graph import resolved_relation
from kg.graphpatch import EarlierResolution
from kg.iris import ResourceIRIs
from kg.namestate import NameState, relation_key
from kg.namestats import count_locals
from kg.resolve import Resolution, locals_from_json, locals_to_json, paper_locals, resolve_names

__all__ = ["Outline", "GraphDelta", "make_outlines", "read_outline", "resolve_delta"]


@dataclass(frozen=True, slots=True)
class Outline:
    """What the graph update keeps of one record while resolving (not the record: 10^6 of these must fit)."""

    record_hash: str
    run: tuple[str, str]  # extractor, version
    names: tuple[str, ...]  # entity names, then each relation's head and tail
    relations: tuple[str, ...]  # relation types, one per (head, tail) pair at the end of names


def make_outlines(state: BuildState) -> None:
    """Parse the records stored since the last run once, and keep their outlines and
    `kg.resolve.paper_locals` in the state (the resolver and the graph keys read those)."""
    todo = state.records_without_outline()
    for start in range(0, len(todo), 2_000):
        rows = []
        for pid, text in state.records_by_ids(todo[start:start + 2_000]).items():
            record = PaperExtraction.from_json(json.loads(text))
            rows.append((pid, json.dumps([
                hashlib.sha256(text.encode("utf-8")).hexdigest()[:32],
                record.extractor or "unknown", record.extractor_version or "unknown",
                [e.name for e in record.entities] + [n for r in record.relations for n in (r.head, r.tail)],
                [r.relation for r in record.relations],
                locals_to_json(paper_locals(record)),
            ], ensure_ascii=False)))
        state.put_outlines(rows)


def read_outline(text: str) -> tuple[Outline, list]:
    record_hash, extractor, version, names, relations, locals_ = json.loads(text)
    return Outline(record_hash, (extractor, version), tuple(names), tuple(relations)), locals_from_json(locals_)


def stated_relations(pid: str, outline: Outline, resolution: Resolution) -> set[str]:
    """The relation keys (`kg.namestate.relation_key`) paper ``pid`` states, as `build_graph` counts them."""
    stated = set()
    pairs = outline.names[len(outline.names) - 2 * len(outline.relations):]
    for index, relation in enumerate(outline.relations):
        ends = resolved_relation(resolution, pid, pairs[2 * index], relation, pairs[2 * index + 1])
        if ends is not None:
            stated.add(relation_key(ends[0].slug, relation, ends[1].slug))
    return stated


def graph_key(pid: str, paper_hash: str, outline: Outline | None, resolution: Resolution, base: str) -> str:
    parts = [base, paper_hash]
    if outline is not None:
        parts.append(outline.record_hash)
        parts += [getattr(resolution.lookup(pid, name), "slug", "") for name in outline.names]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


@dataclass
class GraphDelta:
    """What one run changes, worked out from the name tables (`kg.namestate`) and the records."""

    resolution: Resolution
    outlines: dict[str, Outline]  # of the candidates that have a record
    wanted: dict[str, str]  # paper id -> graph key, every paper of the build
    candidates: set[str]  # papers whose key was worked out again
    gone_papers: set[str]  # papers with a graph before this run, no longer in the build
    relations: set[str]  # relation keys whose support may have changed
    anew: bool  # every key worked out again: the name tables were empty, or the base IRI changed
    mentions: int
    relations_stated: int
    never_keyed: frozenset[str] = frozenset()  # papers no earlier run worked out a graph key for: never written
    # the support before this run of the relations among ``relations`` that had any:
    # the corpus graph holds their lines as `kg.graph.support_triples` made them then
    support_before: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    # papers whose graph changes only because a name's entity IRI moved, and `lookup` as the
    # run before answered it for them (their graph's lines then, kg.graphpatch)
    moved_only: frozenset[str] = frozenset()
    earlier: EarlierResolution | None = None


def resolve_delta(state: BuildState, names_db: NameState, iris: ResourceIRIs) -> GraphDelta:
    """Count the names of new and changed records in, those of changed and removed ones out,
    resolve the distinct names, and work out the graph key again only where something moved:
    papers with a new record or metadata, and papers using a name whose entity IRI moved.
    All of it, and forgetting the keys it invalidates, is one transaction."""
    new, old = names_db.changes()
    names = names_db.names()
    touched: set[str] = set()
    uses: list[tuple[str, str, int]] = []
    new_outlines = {}
    old_outlines = []  # counted out: their totals are subtracted below
    new_locals = {}  # parsed once: a first build reads every outline here and again as a candidate
    for sign, rows in ((-1, old), (1, [(pid, text) for pid, _, text in new])):
        for pid, text in rows:
            outline, locals_ = read_outline(text)
            touched |= count_locals(names, locals_, sign=sign)
            uses += [(local.full_key, pid, sign) for local in locals_]
            if sign > 0:
                new_outlines[pid], new_locals[pid] = outline, locals_
            else:
                old_outlines.append(outline)
    gone_records = {pid for pid, _ in old} - set(new_outlines)
    paper_hashes = state.paper_hashes()
    keys = state.graph_keys()
    keyed = names_db.keyed()
    with names_db.transaction():
        names_db.put_counted([(pid, source, json.dumps(new_outlines[pid].run), text) for pid, source, text in new],
                             gone_records)
        names_db.put_names(names, touched, uses)
        papers_of = names_db.papers_counter(touched)
        resolution = resolve_names(names, papers_of)
        papers_of.store()
        now = {key: resolution.entities[index].slug for key, index in resolution.entity_of_name.items()}
        before = names_db.slugs()
        moved = {key: now.get(key) for key in now.keys() | before.keys() if now.get(key) != before.get(key)}
        names_db.put_slugs(moved)
        anew = names_db.meta("graph_base") != iris.base  # a first run (or a build directory from before the tables)
        if anew:
            candidates = set(paper_hashes)
        else:
            candidates = names_db.papers_using(list(moved)) | set(new_outlines) | {pid for pid, _ in old}
            candidates |= {pid for pid, digest in paper_hashes.items() if keyed.get(pid) != digest or pid not in keys}
        candidates &= set(paper_hashes)
        outlines: dict[str, Outline] = {}
        found = []
        kept_locals = {}  # of papers with a graph whose record was counted before: maybe only moved
        for pid, text in names_db.outlines(candidates).items():
            if pid in new_locals:  # counted from that very outline just now
                outlines[pid], locals_ = new_outlines[pid], new_locals[pid]
            else:
                outlines[pid], locals_ = read_outline(text)
                if pid in keys and not anew:
                    kept_locals[pid] = locals_
            found.extend(locals_)
        resolution.add_papers(found)
        stating = candidates | gone_records | (set(keys) - set(paper_hashes))
        relations = names_db.supports_of(stating)
        stated = [(rel, pid) for pid, outline in outlines.items() for rel in stated_relations(pid, outline, resolution)]
        relations |= {rel for rel, _ in stated}
        support_before = names_db.support(relations)
        names_db.put_supports(stating, stated)
        wanted = dict(keys)
        for pid in candidates:
            wanted[pid] = graph_key(pid, paper_hashes[pid], outlines.get(pid), resolution, iris.base)
        for pid in set(wanted) - set(paper_hashes):
            del wanted[pid]
        names_db.forget_keys([pid for pid in keys if wanted.get(pid) != keys[pid]])
        names_db.put_keyed([(pid, paper_hashes[pid]) for pid in candidates], gone=set(keys) - set(paper_hashes))
        names_db.set_meta("graph_base", iris.base)
        names_db.set_meta("graphs", "dirty")  # keys forgotten: until their graphs are rewritten or removed
        if relations or candidates:
            names_db.set_meta("corpus", "dirty")
        totals = names_db.totals(new_outlines.values(), old_outlines)
    never_keyed = frozenset(pid for pid in candidates if pid not in keyed and pid not in keys)
    earlier, moved_only = _moved_only(kept_locals, moved, before, resolution, wanted, keys, paper_hashes, outlines,
                                      iris.base)
    return GraphDelta(resolution, outlines, wanted, candidates, set(keys) - set(paper_hashes), relations, anew, *totals,
                      never_keyed=never_keyed, support_before=support_before, moved_only=moved_only, earlier=earlier)


def _moved_only(kept_locals: dict[str, list], moved: dict, before: dict[str, str], resolution: Resolution,
                wanted: dict[str, str], keys: dict[str, str], paper_hashes: dict[str, str],
                outlines: dict[str, Outline], base: str) -> tuple[EarlierResolution | None, frozenset[str]]:
    """The papers among ``kept_locals`` whose graph, as the run before wrote it, `EarlierResolution`
    makes again: those whose key then (`graph_key` with the slugs before) is the one it was written under."""
    changed = [pid for pid in kept_locals if wanted.get(pid) != keys[pid]]
    if not changed:
        return None, frozenset()

    def slug_now(key: str) -> str | None:
        index = resolution.entity_of_name.get(key)
        return None if index is None else resolution.entities[index].slug

    earlier = EarlierResolution({key: before.get(key) for key in moved}, slug_now)
    same = frozenset(pid for pid in changed if earlier.add_paper(pid, kept_locals[pid])
                     and graph_key(pid, paper_hashes[pid], outlines[pid], earlier, base) == keys[pid])
    return earlier, same
