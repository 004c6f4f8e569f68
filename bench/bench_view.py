"""Benchmark: a 2,000-node overview, from graph to a usable page in headless Chromium.

A synthetic graph in the project's vocabulary (papers mentioning entities whose
popularity is Zipf-like, six entity types) is rendered with `kg.views.render_view` and
opened in Debian's Chromium through Playwright. "Usable" is the page's own signal: the
network is drawn for the first time (``afterDrawing``), positions being precomputed and
physics off, so it can be searched, clicked and zoomed at once. The time is read in the
page (``performance.now()`` from navigation start) and the best of ``--repeat`` loads is
kept, with the median beside it. Also timed: clicking the search button to the details
panel showing the node, and one full redraw (the cost of each zoom or drag step).
Target: under 3 s to usable.

Usage::

    python bench/bench_view.py --nodes 2000 --write-doc docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from benchdoc import replace_section
from kg.views import read_facts, render_view, select_view
from kg.views.chromium import launch
from kg.vocab import KG

TYPES = ("Method", "Model", "Dataset", "Benchmark", "Task", "Metric")
TARGET_SECONDS = 3.0


def synthetic_graph(entities: int, *, papers: int, per_paper: int = 6, seed: int = 0) -> rdflib.Graph:
    """Papers each mentioning ``per_paper`` entities drawn with Zipf-like popularity."""
    rng = random.Random(seed)
    base = "https://example.org/bench/"
    graph = rdflib.Graph()
    iris = [rdflib.URIRef(f"{base}entity/{i}") for i in range(entities)]
    for i, iri in enumerate(iris):
        graph.add((iri, RDF.type, KG[TYPES[i % len(TYPES)]]))
        graph.add((iri, SKOS.prefLabel, rdflib.Literal(f"{TYPES[i % len(TYPES)].lower()} {i}")))
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(entities)]
    for p in range(papers):
        paper = rdflib.URIRef(f"{base}paper/{p}")
        graph.add((paper, RDF.type, KG.Paper))
        graph.add((paper, DCTERMS.identifier, rdflib.Literal(f"bench:{p}")))
        graph.add((paper, DCTERMS.title, rdflib.Literal(f"Synthetic paper {p}")))
        graph.add((paper, DCTERMS.date, rdflib.Literal(f"2024-{1 + p % 12:02d}-01", datatype=XSD.date)))
        for entity in set(rng.choices(iris, weights=weights, k=per_paper)):
            graph.add((paper, KG.mentions, entity))
    # Every entity mentioned at least once, so the overview can hold them all.
    for i, iri in enumerate(iris):
        graph.add((rdflib.URIRef(f"{base}paper/{i % papers}"), KG.mentions, iri))
    return graph


def time_in_browser(page_path: Path, *, repeat: int, probe: str) -> dict:
    from playwright.sync_api import sync_playwright

    usable, searched, frames, drawn = [], [], [], None
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = launch(playwright, profile, width=1600, height=1000)
        url = page_path.resolve().as_uri()
        for _ in range(repeat):
            page = context.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
            page.goto(url)
            page.wait_for_selector("body[data-kg-ready='1']", state="attached", timeout=60_000)
            usable.append(page.evaluate("() => kgView.readyAt") / 1000)
            drawn = page.evaluate("() => kgView.network.body.nodeIndices.length")
            # One full redraw (what every zoom or drag step costs), median of 5, in ms.
            frames.append(page.evaluate(
                "() => { const t = []; for (let i = 0; i < 5; i++) { const t0 = performance.now();"
                " kgView.network.redraw(); t.push(performance.now() - t0); } return t.sort((a, b) => a - b)[2]; }"
            ))
            page.fill("#kg-search", probe)
            started = time.perf_counter()
            page.click("#kg-search-go")
            page.wait_for_function("name => document.querySelector('#kg-details h2')?.textContent === name", arg=probe)
            searched.append(time.perf_counter() - started)
            page.close()
        version = context.browser.version if context.browser else "?"
        context.close()
    return {"usable": usable, "searched": searched, "frames": frames, "drawn": drawn, "browser": version}


def doc_section(row: str, command: str) -> str:
    return (
        "## Interactive view: 2,000-node overview in headless Chromium (`bench/bench_view.py`)\n\n"
        f"Command: `{command}`\n\n"
        "| nodes | edges | HTML | analytics + selection | layout + render | usable in browser (best / median) "
        "| search to details | one redraw (zoom/drag step) | target | machine |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
        f"{row}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=2000, help="entities in the overview")
    parser.add_argument("--papers", type=int, default=None, help="papers in the graph (default: 1.5 x nodes)")
    parser.add_argument("--repeat", type=int, default=3, help="page loads to time")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, default=None, help="also save the page here")
    parser.add_argument("--write-doc", type=Path, default=None, help="update this benchmarks.md")
    args = parser.parse_args(argv)

    graph = synthetic_graph(args.nodes, papers=args.papers or args.nodes * 3 // 2, seed=args.seed)
    started = time.perf_counter()
    facts = read_facts(graph, seed=args.seed)
    model = select_view(facts, top=args.nodes)
    analysed = time.perf_counter() - started
    started = time.perf_counter()
    page = render_view(facts, top=args.nodes, seed=args.seed)
    rendered = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "overview.html"
        path.write_text(page, encoding="utf-8")
        if args.keep:
            shutil.copyfile(path, args.keep)
        probe = model.nodes[len(model.nodes) // 2].name
        timings = time_in_browser(path, repeat=args.repeat, probe=probe)

    best, median = min(timings["usable"]), statistics.median(timings["usable"])
    search = statistics.median(timings["searched"])
    frame = statistics.median(timings["frames"])
    assert timings["drawn"] == len(model.nodes), f"drew {timings['drawn']} of {len(model.nodes)} nodes"
    verdict = "met" if best < TARGET_SECONDS else "MISSED"
    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, Chromium {timings['browser']}"
    )
    print(f"nodes {len(model.nodes)}, edges {len(model.edges)}, page {len(page) / 1e6:.1f} MB")
    print(f"analytics + selection {analysed:.2f} s, layout + render {rendered:.2f} s")
    print(f"usable in browser: best {best:.2f} s, median {median:.2f} s of {args.repeat}; search -> details {search * 1000:.0f} ms; "
          f"redraw {frame:.0f} ms")
    print(f"target < {TARGET_SECONDS:.0f} s: {verdict}")
    if args.write_doc:
        row = (
            f"| {len(model.nodes):,} | {len(model.edges):,} | {len(page) / 1e6:.1f} MB | {analysed:.1f} s | {rendered:.1f} s "
            f"| {best:.2f} s / {median:.2f} s | {search * 1000:.0f} ms | {frame:.0f} ms "
            f"| < {TARGET_SECONDS:.0f} s: {verdict} | {machine} |"
        )
        command = "python bench/bench_view.py " + " ".join(argv if argv is not None else sys.argv[1:])
        replace_section(args.write_doc, "bench_view", doc_section(row, command.strip()))
    return 0 if best < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
