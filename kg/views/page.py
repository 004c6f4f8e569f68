"""Render a laid-out `ViewModel` to one self-contained, offline HTML page with pyvis.

pyvis holds the nodes, edges and options and inlines vis-network
(``cdn_resources="in_line"``); the page template is our own (``templates/``) because
pyvis's links Bootstrap from a CDN and inserts its ``heading`` unescaped. The template is
rendered with autoescape on, data reaches the script as ``|tojson``, and a Content
Security Policy lets only the page's own inline scripts (by hash) run and forbids every
request.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from importlib.resources import files
from pathlib import Path

import jinja2
import pyvis
from pyvis.network import Network

from kg.views.layout import layout_view
from kg.views.model import ENTITY_TYPES, PAPER_TYPE, ViewModel, ViewNode, safe_url

__all__ = ["TYPE_COLOURS", "render_page"]

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
TYPE_COLOURS: dict[str, str] = {
    "Method": "#0072B2",
    "Model": "#E69F00",
    "Dataset": "#009E73",
    "Benchmark": "#CC79A7",
    "Task": "#D55E00",
    "Metric": "#56B4E9",
    "Entity": "#7f7f7f",
    PAPER_TYPE: "#b3a369",
}

_MIN_SIZE, _MAX_SIZE, _PAPER_SIZE = 6.0, 30.0, 8.0
_MIN_FONT, _MAX_FONT = 12.0, 26.0
_FOCUS_SIZE = 24.0
_MAX_EDGE_WIDTH = 8.0
_TOOLTIP_PAPERS = 3
_LABEL_CHARS = 48

_OPTIONS = {
    "autoResize": True,
    # Positions come from kg.views.layout; physics would only move them about.
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "hideEdgesOnZoom": True, "keyboard": False},
    "nodes": {
        "borderWidth": 1,
        "font": {"face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
        # Labels under 8 px on screen are skipped (vis draws those above threshold - 1):
        # zoomed out, only the bigger nodes are named; zooming in names the rest.
        "scaling": {"label": {"drawThreshold": 9}},
    },
    # Straight edges: curved ones cost several times more to draw on big views.
    "edges": {"smooth": False, "color": {"color": "#9a9a9a", "highlight": "#222222", "hover": "#444444", "opacity": 0.55}},
}

_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_CSP_PLACEHOLDER = "<!--kg:csp-->"


def _templates() -> jinja2.Environment:
    own = str(files("kg.views") / "templates")
    vendored = str(Path(pyvis.__file__).parent / "templates")  # lib/vis-9.1.2/*
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(own), jinja2.FileSystemLoader(vendored)])
    return jinja2.Environment(loader=loader, autoescape=True, keep_trailing_newline=True)


def _short(text: str, limit: int = _LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _tooltip(node: ViewNode) -> str:
    """Plain text: vis-network 9 shows a string title with innerText, never as HTML."""
    if node.kind == "paper":
        lines = [node.name, f"Paper {node.papers[0].id}" if node.papers else "Paper"]
        return "\n".join(lines)
    lines = [node.name, f"Type: {node.type}"]
    if node.aliases:
        lines.append("Aliases: " + "; ".join(node.aliases))
    lines.append(f"Mentioned in {node.mentions} paper{'s' if node.mentions != 1 else ''}")
    if node.papers:
        lines.append("Top papers:")
        lines += [f"• {_short(p.title, 80)}" for p in node.papers[:_TOOLTIP_PAPERS]]
    return "\n".join(lines)


def _node_options(node: ViewNode, position: tuple[float, float], centrality_range: tuple[float, float]) -> dict:
    if node.kind == "paper":
        shape, size, font = "square", _PAPER_SIZE, _MIN_FONT
    else:
        # Scaled over the view's own range: the top 300 of a corpus all score near 1.
        low, high = centrality_range
        share = (node.centrality - low) / (high - low) if high > low else 1.0
        shape = "dot"
        size = _MIN_SIZE + (_MAX_SIZE - _MIN_SIZE) * share
        font = _MIN_FONT + (_MAX_FONT - _MIN_FONT) * share
    paper_id = node.papers[0].id if node.kind == "paper" and node.papers else None
    return {
        "shape": shape,
        "size": round(size, 2),
        "font": {"size": round(font, 1)},
        "x": position[0],
        "y": position[1],
        "title": _tooltip(node),
        "kgKind": node.kind,
        "kgName": node.name,
        "kgType": node.type,
        "kgAliases": list(node.aliases),
        "kgMentions": node.mentions,
        "kgCentrality": node.centrality,
        "kgCommunity": node.community,
        "kgPaperId": paper_id,
        "kgPapers": [{"id": p.id, "title": p.title, "url": safe_url(p.url)} for p in node.papers],
        "kgUrls": [u for u in (safe_url(u) for u in node.urls) if u],
    }


def _with_csp(html: str) -> str:
    """Add a Content-Security-Policy allowing exactly the page's inline scripts."""
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
        for body in _SCRIPT.findall(html)
    })
    policy = (
        "default-src 'none'; script-src " + " ".join(hashes) + "; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return html.replace(_CSP_PLACEHOLDER, meta, 1)


def render_page(model: ViewModel, *, seed: int = 0) -> str:
    """The HTML page of ``model``, laid out with ``seed``.

    Examples
    --------
    >>> from kg.views.model import ViewNode
    >>> page = render_page(ViewModel("overview", "<b>x</b>", (ViewNode("a", "entity", "A", "Method"),), ()))
    >>> "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page and "cdn." not in page
    True
    """
    positions = layout_view(model, seed=seed)
    scores = [n.centrality for n in model.nodes if n.kind == "entity"]
    centrality_range = (min(scores, default=0.0), max(scores, default=0.0))
    top_support = max((e.support for e in model.edges), default=1)
    # directed=True only skips pyvis's quadratic duplicate-edge scan; the model has no
    # duplicates and arrows are switched off per edge.
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    # Short page ids ("n0", "n1", ...) instead of IRIs: a third of a big page's bytes.
    page_id = {node.key: f"n{i}" for i, node in enumerate(model.nodes)}
    for node in model.nodes:
        colour = TYPE_COLOURS.get(node.type, TYPE_COLOURS["Entity"])
        options = _node_options(node, positions[node.key], centrality_range)
        if node.key == model.focus:  # what the view is about stands out
            options.update(size=max(options["size"], _FOCUS_SIZE), borderWidth=4)
            colour = {"background": colour, "border": "#111111"}
        net.add_node(page_id[node.key], label=_short(node.name), color=colour, kgIri=node.key, **options)
    for edge in model.edges:
        width = 1.0
        if edge.kind == "co-mention":
            width += (_MAX_EDGE_WIDTH - 1.0) * math.log1p(edge.support) / math.log1p(top_support)
        # Edge tooltips are written by view.js from kgKind and kgSupport.
        net.add_edge(page_id[edge.source], page_id[edge.target], width=round(width, 2), arrows="",
                     kgKind=edge.kind, kgSupport=edge.support)
    net.options = _OPTIONS
    environment = _templates()
    environment.globals.update(
        focus=page_id[model.focus] if model.focus is not None else None,
        summary=model.summary,
        type_order=[*ENTITY_TYPES, PAPER_TYPE],
    )
    net.templateEnv = environment
    net.path = "view.html.j2"
    net.heading = model.heading
    return _with_csp(net.generate_html())
