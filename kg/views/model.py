"""The view model: what one page shows, as plain frozen records.

Selection (`kg.views.selection`) fills these from the RDF graph and the analytics; layout
(`kg.views.layout`) and rendering (`kg.views.page`) read nothing else. Every string here
is untrusted text from abstracts: the page escapes it, the model never does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["PaperRef", "ViewNode", "ViewEdge", "ViewModel", "ENTITY_TYPES", "PAPER_TYPE", "safe_url"]

# Order of the legend and of the type filter.
ENTITY_TYPES: tuple[str, ...] = ("Method", "Model", "Dataset", "Benchmark", "Task", "Metric", "Entity")
PAPER_TYPE = "Paper"


@dataclass(frozen=True)
class PaperRef:
    """A paper as a node's details list it: id, title and its first web address (if any)."""

    id: str
    title: str
    url: str | None = None


@dataclass(frozen=True)
class ViewNode:
    """One node of a view: an entity or a paper.

    ``key`` is the node's identity in the page (the resource IRI). ``papers`` are the top
    papers of an entity, or the paper itself for a paper node; ``urls`` its web addresses.
    """

    key: str
    kind: Literal["entity", "paper"]
    name: str
    type: str  # one of ENTITY_TYPES, or PAPER_TYPE
    aliases: tuple[str, ...] = ()
    mentions: int = 0  # papers mentioning the entity (0 for papers)
    centrality: float = 0.0
    community: int | None = None
    papers: tuple[PaperRef, ...] = ()
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class ViewEdge:
    """A link between two nodes: a co-mention (``support`` papers) or a paper's mention."""

    source: str
    target: str
    kind: Literal["co-mention", "mentions"]
    support: int = 1


@dataclass(frozen=True)
class ViewModel:
    """A selection of nodes and edges with the heading the page shows."""

    view: Literal["overview", "entity", "paper", "community"]
    heading: str
    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    focus: str | None = None  # key of the node the view is about, selected on load
    summary: str = ""  # one line under the heading: what was selected out of what

    def __post_init__(self) -> None:
        keys = [node.key for node in self.nodes]
        if len(set(keys)) != len(keys):
            raise ValueError("a view lists the same node twice")
        known = set(keys)
        dangling = [e for e in self.edges if e.source not in known or e.target not in known]
        if dangling:
            raise ValueError(f"{len(dangling)} edge(s) end outside the view, e.g. {dangling[0]}")
        if self.focus is not None and self.focus not in known:
            raise ValueError(f"focus {self.focus!r} is not a node of the view")


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address, else None: a ``javascript:`` link from the
    data must never become clickable.

    Examples
    --------
    >>> safe_url("https://arxiv.org/abs/2401.00001")
    'https://arxiv.org/abs/2401.00001'
    >>> safe_url("javascript:alert(1)") is None, safe_url(None) is None
    (True, True)
    """
    if url is None:
        return None
    text = url.strip()
    return text if text.lower().startswith(("https://", "http://")) else None
