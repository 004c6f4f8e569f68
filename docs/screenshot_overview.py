"""Make docs/overview.png: the overview of a graph as headless Chromium draws it.

The page is opened offline (every request but the file itself refused), the most
central entity is looked up with the page's own search box so the details panel shows,
and the view is fitted to the whole graph before the shot.

Usage::

    kg build -o kg-out                       # the bundled corpus
    python docs/screenshot_overview.py kg-out docs/overview.png
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from kg.graphfile import load_graph
from kg.views import read_facts, select_view, write_view
from kg.views.chromium import launch



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", help="an RDF file or a `kg build` directory")
    parser.add_argument("png", type=Path)
    parser.add_argument("--top", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", default="1600x1000", help="viewport, WIDTHxHEIGHT")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    facts = read_facts(load_graph(args.graph), seed=args.seed)
    model = select_view(facts, top=args.top)
    central = max(model.nodes, key=lambda node: node.centrality).name
    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_path = write_view(facts, Path(folder) / "overview.html", top=args.top, seed=args.seed)
        url = page_path.resolve().as_uri()
        context = launch(playwright, Path(folder) / "profile", width=width, height=height)
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
        page.goto(url)
        page.wait_for_selector("body[data-kg-ready='1']", state="attached")
        page.fill("#kg-search", central)
        page.press("#kg-search", "Enter")
        page.evaluate("() => kgView.network.fit({animation: false})")
        page.wait_for_timeout(200)
        args.png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.png))
        context.close()
    print(f"wrote {args.png} ({len(model.nodes)} nodes, {len(model.edges)} links)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
