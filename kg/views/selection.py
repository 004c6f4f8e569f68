"""Which nodes and edges each view shows: the overview, an entity's neighbourhood, a
paper with its entities, a community. Takes `GraphFacts`, returns a `ViewModel`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kg.views.facts import GraphFacts
from kg.views.model import PAPER_TYPE, ViewEdge, ViewModel, ViewNode

__all__ = ["VIEWS", "TOP_PAPERS", "select_view", "find_entity", "find_paper"]

VIEWS = ("overview", "entity", "paper", "community")
TOP_PAPERS = 5  # papers listed in an entity's tooltip and details
OTHER_PAPERS_PER_ENTITY = 10  # in a paper's view
LINKS_PER_ENTITY = 4  # co-mention links kept per entity once a view has more on average


def find_entity(facts: GraphFacts, name: str) -> str:
    """The IRI of the entity called ``name``: its IRI, preferred label or an alias, case
    and surrounding spaces ignored; the most central one when several share the name.

    Raises `LookupError` naming close candidates when nothing matches.
    """
    wanted = name.strip().casefold()
    if name in facts.table.entities:
        return name
    matches = [
        iri for iri, info in facts.table.entities.items()
        if info.label.casefold() == wanted or any(a.casefold() == wanted for a in facts.aliases.get(iri, ()))
    ]
    if matches:
        return min(matches, key=lambda iri: facts.scores[iri].rank)
    near = sorted(
        (info.label for info in facts.table.entities.values() if wanted and wanted in info.label.casefold()),
        key=lambda label: (len(label), label),
    )[:5]
    hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
    raise LookupError(f"no entity called {name!r} in the graph{hint}")


def find_paper(facts: GraphFacts, paper_id: str) -> str:
    """The IRI of the paper with identifier ``paper_id`` (``arxiv:2401.00001``, a bare
    arXiv id, a DOI or the paper's IRI). Raises `LookupError` when there is none."""
    wanted = paper_id.strip()
    if wanted in facts.papers:
        return wanted
    for candidate in (wanted, "arxiv:" + wanted, "doi:" + wanted.lower()):
        for iri, paper in facts.papers.items():
            if paper.id == candidate:
                return iri
    raise LookupError(f"no paper with id {paper_id!r} in the graph")


def _entity_node(facts: GraphFacts, iri: str, membership: dict[str, int]) -> ViewNode:
    info = facts.table.entities[iri]
    papers = facts.mentioned_by.get(iri, ())
    return ViewNode(
        key=iri,
        kind="entity",
        name=info.label,
        type=info.type,
        aliases=facts.aliases.get(iri, ()),
        mentions=len(papers),
        centrality=facts.scores[iri].score,
        community=membership.get(iri),
        papers=tuple(facts.papers[p].ref() for p in papers[:TOP_PAPERS]),
    )


def _paper_node(facts: GraphFacts, iri: str) -> ViewNode:
    paper = facts.papers[iri]
    return ViewNode(key=iri, kind="paper", name=paper.title, type=PAPER_TYPE, papers=(paper.ref(),), urls=paper.urls)


def _comention_edges(
    facts: GraphFacts, entities: Iterable[str], *, keep_all_of: frozenset[str] = frozenset()
) -> tuple[list[ViewEdge], int]:
    """The co-mention links among ``entities`` and how many there are in the graph.

    Past `LINKS_PER_ENTITY` links per entity on average only each entity's strongest
    links are kept (by support, then NPMI): a 2,000-entity overview has some 45,000
    links, unreadable and slow to draw. Links of ``keep_all_of`` are always kept.
    """
    keep = set(entities)
    pairs = {
        (a, b): data
        for a in keep
        for b, data in facts.comention[a].items()
        if b in keep and a < b
    }
    total = len(pairs)
    if total > LINKS_PER_ENTITY * len(keep):
        touching: dict[str, list[tuple[str, str]]] = {}
        for pair in pairs:
            for end in pair:
                touching.setdefault(end, []).append(pair)
        chosen = {pair for pair in pairs if keep_all_of & set(pair)}
        for links in touching.values():
            links.sort(key=lambda pair: (-pairs[pair]["support"], -pairs[pair]["npmi"], pair))
            chosen.update(links[:LINKS_PER_ENTITY])
        pairs = {pair: pairs[pair] for pair in chosen}
    edges = [ViewEdge(a, b, "co-mention", int(data["support"])) for (a, b), data in sorted(pairs.items())]
    return edges, total


def _mention_edges(facts: GraphFacts, papers: Iterable[str], entities: Iterable[str]) -> list[ViewEdge]:
    keep = set(entities)
    return [
        ViewEdge(paper, entity, "mentions")
        for paper in papers
        for entity in sorted(facts.table.papers[paper] & keep)
    ]


def _model(facts, view, heading, summary, entities, papers, *, focus=None) -> ViewModel:
    membership = facts.community_of()
    nodes = [_entity_node(facts, iri, membership) for iri in entities]
    nodes += [_paper_node(facts, iri) for iri in papers]
    edges, total = _comention_edges(facts, entities, keep_all_of=frozenset([focus]) if focus else frozenset())
    if len(edges) < total:
        summary += f" Links: the {len(edges):,} strongest of {total:,} (each entity's {LINKS_PER_ENTITY} strongest)."
    edges += _mention_edges(facts, papers, entities)
    return ViewModel(view, heading, tuple(nodes), tuple(edges), focus=focus, summary=summary)


def _overview(facts: GraphFacts, top: int) -> ViewModel:
    ranked = facts.ranked_entities()
    chosen = ranked[:top]
    heading = "Overview: the most central entities" if chosen else "Overview: the graph has no entities"
    summary = (
        f"{len(chosen)} of {len(ranked)} entities by combined centrality, with their co-mention links; "
        f"{len(facts.papers)} papers in the graph."
    )
    return _model(facts, "overview", heading, summary, chosen, [])


def _entity(facts: GraphFacts, name: str, top: int) -> ViewModel:
    iri = find_entity(facts, name)
    info = facts.table.entities[iri]
    neighbours = sorted(
        facts.comention[iri].items(), key=lambda item: (-item[1]["support"], facts.scores[item[0]].rank)
    )
    entities = [iri] + [other for other, _ in neighbours[: max(top - 1, 0)]]
    papers = list(facts.mentioned_by.get(iri, ())[:top])
    summary = (
        f"{info.label} ({info.type}): {len(entities) - 1} of {len(neighbours)} co-mentioned entities "
        f"and {len(papers)} of {len(facts.mentioned_by.get(iri, ()))} papers mentioning it."
    )
    return _model(facts, "entity", f"Entity: {info.label}", summary, entities, papers, focus=iri)


def _paper(facts: GraphFacts, paper_id: str, top: int) -> ViewModel:
    iri = find_paper(facts, paper_id)
    mentioned = facts.table.papers[iri]
    entities = sorted(mentioned, key=lambda e: facts.scores[e].rank)
    # Other papers, those sharing most entities with this one first, then the most recent.
    shared = Counter(p for e in entities for p in facts.mentioned_by[e] if p != iri)
    others = sorted(shared)
    others.sort(key=lambda p: facts.papers[p].date or "", reverse=True)
    others.sort(key=lambda p: -shared[p])  # stable: keeps the date order within a tie
    # At most OTHER_PAPERS_PER_ENTITY per entity, so a hub entity (mentioned by half the
    # corpus) does not bury the others' papers.
    chosen: list[str] = []
    for entity in entities:
        its = [p for p in others if entity in facts.table.papers[p]]
        chosen += [p for p in its[:OTHER_PAPERS_PER_ENTITY] if p not in chosen]
    chosen.sort(key=others.index)
    papers = [iri] + chosen[:top]
    summary = (
        f"{len(entities)} entities mentioned by this paper and {len(papers) - 1} of the {len(others)} "
        f"other papers mentioning them (up to {OTHER_PAPERS_PER_ENTITY} per entity, most shared entities first)."
    )
    return _model(facts, "paper", f"Paper: {facts.papers[iri].title}", summary, entities, papers, focus=iri)


def _community(facts: GraphFacts, number: int, top: int) -> ViewModel:
    found = {c.number: c for c in facts.communities.communities}
    if number not in found:
        raise LookupError(f"no community {number}: the graph has communities 1 to {len(found)}" if found
                          else f"no community {number}: the graph has no communities")
    community = found[number]
    members = sorted(community.members, key=lambda e: facts.scores[e].rank)[:top]
    summary = f"{len(members)} of its {community.size} members, the most central first, with their co-mention links."
    return _model(facts, "community", f"Community {number}: {community.name}", summary, members, [])


def select_view(
    facts: GraphFacts,
    *,
    view: str = "overview",
    entity: str | None = None,
    paper: str | None = None,
    community: int | None = None,
    top: int = 300,
) -> ViewModel:
    """The `ViewModel` of one view; ``top`` caps the entities (and the papers) shown.

    ``view`` is one of `VIEWS`; the entity, paper and community views need ``entity``,
    ``paper`` or ``community``. Raises `ValueError` for a bad combination and
    `LookupError` when the entity, paper or community is not in the graph.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: use one of {', '.join(VIEWS)}")
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    wanted = {"entity": entity, "paper": paper, "community": community}
    if view != "overview" and wanted[view] is None:
        raise ValueError(f"the {view} view needs {view}=")
    extra = [name for name, value in wanted.items() if value is not None and name != view]
    if extra:
        raise ValueError(f"the {view} view does not take {', '.join(extra)}=")
    if view == "entity":
        return _entity(facts, entity, top)
    if view == "paper":
        return _paper(facts, paper, top)
    if view == "community":
        return _community(facts, int(community), top)
    return _overview(facts, top)
