"""Interactive HTML views of the graph: one self-contained page per view that works offline.

`render_view` is the library entry point behind ``kg view``; `write_view` writes its page
atomically and `write_overview` is what ``kg build`` calls for ``graph.html``.

Examples
--------
>>> import rdflib
>>> g = rdflib.Graph().parse(format="turtle", data='''
... @prefix kg: <https://w3id.org/kg/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... <http://x/p1> a kg:Paper ; kg:mentions <http://x/bert>, <http://x/squad> .
... <http://x/bert> a kg:Model ; skos:prefLabel "BERT" .
... <http://x/squad> a kg:Dataset ; skos:prefLabel "SQuAD" .''')
>>> page = render_view(g, view="entity", entity="bert")
>>> page.startswith("<!DOCTYPE html>") and "Entity: BERT" in page
True
"""

from __future__ import annotations

from pathlib import Path

import rdflib

from kg.analytics.analyze import AnalyticsResult
from kg.atomic import atomic_write
from kg.views.facts import GraphFacts, read_facts
from kg.views.model import ViewModel
from kg.views.page import render_page
from kg.views.selection import VIEWS, select_view

__all__ = ["VIEWS", "GraphFacts", "ViewModel", "read_facts", "select_view", "render_view", "write_view", "write_overview"]


def render_view(
    graph: rdflib.Graph | GraphFacts,
    *,
    view: str = "overview",
    entity: str | None = None,
    paper: str | None = None,
    community: int | None = None,
    top: int = 300,
    seed: int = 0,
) -> str:
    """The HTML page of one view of ``graph``.

    Parameters
    ----------
    graph : an rdflib Graph or Dataset (see `kg.graphfile.load_graph`), or the
        `GraphFacts` already read from one (to render several views of a graph).
    view : ``"overview"`` (the ``top`` entities by combined centrality and their
        co-mention links), ``"entity"``, ``"paper"`` or ``"community"``.
    entity, paper, community : the name (or alias) of the entity, the paper id, the
        community number the view is about.
    top : the most entities (and papers) a view shows.
    seed : seed of the analytics and of the layout; same seed, same page.

    Raises
    ------
    ValueError : bad arguments. LookupError : no such entity, paper or community.
    """
    facts = graph if isinstance(graph, GraphFacts) else read_facts(graph, seed=seed)
    model = select_view(facts, view=view, entity=entity, paper=paper, community=community, top=top)
    return render_page(model, seed=seed)


def write_view(graph: rdflib.Graph | GraphFacts, out: str | Path, **options) -> Path:
    """Write `render_view` (same keyword options) to ``out`` atomically; returns the path."""
    page = render_view(graph, **options)
    out = Path(out)
    with atomic_write(out) as handle:
        handle.write(page)
    return out


def write_overview(
    graph: rdflib.Graph | GraphFacts,
    out: str | Path,
    *,
    top: int = 300,
    seed: int = 0,
    analytics: AnalyticsResult | None = None,
) -> Path:
    """The overview page (``graph.html`` of a build directory), written atomically.

    ``analytics``: what `kg.analytics.analyze` gave for ``graph`` (the build has it), so
    centrality and communities are not computed twice.
    """
    if analytics is not None and not isinstance(graph, GraphFacts):
        graph = read_facts(graph, seed=seed, analytics=analytics)
    return write_view(graph, out, view="overview", top=top, seed=seed)
