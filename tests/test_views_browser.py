"""Each view opened in headless Chromium: drawn, clicked, searched, filtered, offline and inert.

Needs Debian's ``chromium`` (``apt-get install chromium``) and the ``playwright`` Python
package (no ``playwright install``: the system browser is used). Without them the tests
skip locally and fail in CI (``CI`` set), so a CI image missing the browser is noticed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.graphfile import load_graph
from kg.views import read_facts, select_view, write_view
from kg.views.chromium import chromium_path, launch

FIXTURE = Path(__file__).parent / "fixtures" / "views_hostile.ttl"
SCRIPT_NAME = "<script>window.__pwned=1</script>"
IMG_ALIAS = '<img src=x onerror="window.__pwned=1">'
HOSTILE_TITLE = '</script><script>window.__pwned=1</script> "Quoted" & <b>bold</b> ' + IMG_ALIAS
CHROMIUM = chromium_path()


def _missing(reason: str):
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{reason}: CI must install it (apt-get install chromium; pip install playwright)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    if not CHROMIUM.is_file():
        _missing(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright, tmp_path_factory):
    """The page as users get it, under its Content-Security-Policy."""
    context = launch(playwright, tmp_path_factory.mktemp("profile"))
    yield context
    context.close()


@pytest.fixture(scope="module")
def browser_without_csp(playwright, tmp_path_factory):
    """The page with its CSP ignored: escaping alone must keep the data inert."""
    context = launch(playwright, tmp_path_factory.mktemp("profile-no-csp"), bypass_csp=True)
    yield context
    context.close()


@pytest.fixture(scope="module")
def facts():
    return read_facts(load_graph(FIXTURE))


class Opened:
    """A view page open in the browser, with every request and console error it made."""

    def __init__(self, context, path: Path):
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        # Anything but the page itself is refused, so a leak fails here instead of online.
        self.page.route("**/*", lambda route: route.continue_() if route.request.url == self.url else route.abort())
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-kg-ready='1']", state="attached", timeout=15_000)

    def evaluate(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def drawn(self) -> list[str]:
        """IRIs of the nodes vis-network draws (not hidden)."""
        return self.evaluate(
            "() => kgView.network.body.nodeIndices.filter(id => !kgView.network.body.nodes[id].options.hidden)"
            ".map(id => kgView.nodes.get(id).kgIri)"
        )

    def selected(self) -> list[str]:
        """IRIs of the selected nodes."""
        return self.evaluate("() => kgView.network.getSelectedNodes().map(id => kgView.nodes.get(id).kgIri)")

    def point_of(self, key: str) -> tuple[float, float]:
        """Page coordinates of a node's centre, after centring the view on it."""
        return tuple(self.evaluate(
            """iri => {
                const key = kgView.nodes.get({filter: node => node.kgIri === iri})[0].id;
                const net = kgView.network;
                net.moveTo({position: net.getPositions([key])[key], scale: 2.0, animation: false});
                const p = net.canvasToDOM(net.getPositions([key])[key]);
                const box = document.getElementById("mynetwork").getBoundingClientRect();
                return [box.left + p.x, box.top + p.y];
            }""",
            key,
        ))

    def details(self) -> str:
        return self.page.inner_text("#kg-details")

    def assert_safe(self) -> None:
        assert self.evaluate("() => window.__pwned") is None, "a script from the data ran"
        leaked = [u for u in self.requests if u != self.url and not u.startswith("data:")]
        assert not leaked, f"the page requested {leaked}"
        assert not self.errors, f"errors on the page: {self.errors}"

    def close(self) -> None:
        self.page.close()


def _open(browser, facts, tmp_path, **options):
    out = write_view(facts, tmp_path / "view.html", **options)
    model = select_view(facts, **options)
    return Opened(browser, out), model


@pytest.mark.parametrize(
    "options",
    [
        {"view": "overview"},
        {"view": "entity", "entity": SCRIPT_NAME},
        {"view": "paper", "paper": "p3"},
        {"view": "community", "community": 1},
    ],
    ids=["overview", "entity", "paper", "community"],
)
def test_view_draws_clicks_searches_and_stays_offline(browser, facts, tmp_path, options):
    opened, model = _open(browser, facts, tmp_path, **options)
    try:
        # Drawn: every node of the view, no more.
        assert sorted(opened.drawn()) == sorted(node.key for node in model.nodes)
        assert opened.evaluate("() => kgView.edges.length") == len(model.edges)
        assert opened.page.inner_text("#kg-heading") == model.heading

        # Click the most central entity: its details, with links only to http(s) papers.
        target = max((n for n in model.nodes if n.kind == "entity"), key=lambda n: n.centrality)
        opened.page.mouse.click(*opened.point_of(target.key))
        assert opened.selected() == [target.key]
        assert opened.page.inner_text("#kg-details h2") == target.name
        details = opened.details()
        assert f"Mentioned in\n{target.mentions} paper" in details
        hrefs = opened.evaluate("() => [...document.querySelectorAll('#kg-details a')].map(a => a.href)")
        expected = {p.url for p in target.papers if p.url and p.url.startswith("https://")}
        assert set(hrefs) == expected

        # Search by a lower-cased alias or name: focuses and selects the node.
        other = next(n for n in model.nodes if n.key != target.key and n.kind == "entity")
        opened.page.fill("#kg-search", (other.aliases[0] if other.aliases else other.name).lower())
        opened.page.press("#kg-search", "Enter")
        assert opened.selected() == [other.key]
        assert opened.page.inner_text("#kg-details h2") == other.name

        # Filter by type: unticking a type hides exactly its nodes.
        hidden_type = other.type
        opened.page.click(f"#kg-legend label[data-kg-type='{hidden_type}'] input")
        assert sorted(opened.drawn()) == sorted(n.key for n in model.nodes if n.type != hidden_type)

        opened.assert_safe()
    finally:
        opened.close()


def test_hostile_text_shows_as_text(browser_without_csp, facts, tmp_path):
    opened, model = _open(browser_without_csp, facts, tmp_path, view="paper", paper="p3")
    try:
        assert opened.page.inner_text("#kg-heading") == "Paper: " + HOSTILE_TITLE
        assert opened.page.title() == "Paper: " + HOSTILE_TITLE
        # The view focuses its paper on load: the details show the title and no link,
        # since its only address is javascript:.
        assert opened.page.inner_text("#kg-details h2") == HOSTILE_TITLE
        assert opened.evaluate("() => document.querySelectorAll('#kg-details a').length") == 0
        # Hovering the hostile entity shows its tooltip as text.
        evil = next(n for n in model.nodes if n.name == SCRIPT_NAME)
        opened.page.mouse.move(*opened.point_of(evil.key))
        tooltip = opened.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
        text = tooltip.inner_text()
        assert text.startswith(SCRIPT_NAME) and IMG_ALIAS in text
        assert opened.evaluate("() => document.querySelectorAll('img, #kg-details script').length") == 0
        opened.page.fill("#kg-search", IMG_ALIAS)
        opened.page.press("#kg-search", "Enter")
        assert opened.page.inner_text("#kg-details h2") == SCRIPT_NAME
        opened.assert_safe()
    finally:
        opened.close()
