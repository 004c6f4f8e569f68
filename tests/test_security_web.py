"""XSS payloads (tests/fixtures/xss_payloads.txt) as titles, abstracts, author names, URLs
and entity names, through the real reader, graph builder, views and SPARQL endpoint page,
opened in headless Chromium: every payload shows as text and nothing executes, even with
the pages' Content-Security-Policy switched off.

Every payload sets ``window.__pwned`` if it ever runs. Needs Debian's ``chromium`` and
the ``playwright`` package, like tests/test_views_browser.py (skips locally without them,
fails in CI).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import httpx
import pytest
from rdflib import SKOS

from extractors.records import ENTITY_TYPES, Entity, Mention, PaperExtraction
from kg.corpus import read_corpus
from kg.graph import build_graph, write_graph
from kg.graphfile import load_graph
from kg.sparql.server import Limits, serving
from kg.views import read_facts, write_view
from kg.views.chromium import chromium_path, launch

PAYLOADS = [line for line in (Path(__file__).parent / "fixtures" / "xss_payloads.txt").read_text("utf-8").splitlines() if line]
PER_PAPER = 6


def _missing(reason: str):
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{reason}: CI must install it (apt-get install chromium; pip install playwright)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A build directory whose papers and entities are all payloads; (directory, papers, names per paper)."""
    folder = tmp_path_factory.mktemp("xss")
    chunks = [PAYLOADS[i : i + PER_PAPER] for i in range(0, len(PAYLOADS), PER_PAPER)]
    records = [
        {"id": f"arxiv:2401.{n:05d}", "title": " | ".join(chunk), "abstract": "We study " + " and ".join(chunk) + ".",
         "authors": chunk[:2], "url": chunk[0], "categories": chunk[1:3]}
        for n, chunk in enumerate(chunks)
    ]
    source = folder / "papers.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    papers = list(read_corpus([source], strict=True))
    extractions = []
    for paper, chunk in zip(papers, chunks):
        entities = []
        for k, name in enumerate(chunk):
            start = paper.abstract.find(name)
            mentions = (Mention(name, "abstract", start, start + len(name), 0, 1.0, "test"),) if start >= 0 else ()
            entities.append(Entity(name, ENTITY_TYPES[k % len(ENTITY_TYPES)], "used", (), mentions, 1.0))
        extractions.append(PaperExtraction(paper.id, paper.title, tuple(entities), (), "kg-extractors/test", "1.0"))
    out = folder / "build"
    write_graph(build_graph(papers, extractions, store="memory"), out)
    return out, papers, chunks


@pytest.fixture(scope="module")
def playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    if not chromium_path().is_file():
        _missing(f"no Chromium at {chromium_path()}")
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module", params=[True, False], ids=["csp-off", "csp-on"])
def browser(request, playwright, tmp_path_factory):
    context = launch(playwright, tmp_path_factory.mktemp("profile"), bypass_csp=request.param)
    yield context
    context.close()


class Page:
    """A page that may only load ``allowed`` (its own origin); records requests and errors."""

    def __init__(self, context, url: str, allowed: str):
        self.url, self.allowed, self.requests, self.errors = url, allowed, [], []
        self.page = context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(allowed) else route.abort())
        self.page.goto(url)

    def assert_inert(self) -> None:
        self.page.mouse.move(300, 300)  # a payload waiting for mouseover gets its chance
        assert self.page.evaluate("() => window.__pwned") is None, "a payload ran"
        assert self.page.evaluate("() => parent.__pwned") is None, "a payload ran in a frame"
        leaked = [u for u in self.requests if not u.startswith(self.allowed)]
        assert not leaked, f"the page requested {leaked}"
        injected = "iframe, object, embed, base, meta[http-equiv]:not([http-equiv='Content-Security-Policy'])"
        assert self.page.evaluate(f"() => document.querySelectorAll({injected!r}).length") == 0


def test_views_show_every_payload_as_text(browser, built, tmp_path):
    out, papers, chunks = built
    facts = read_facts(load_graph(out))
    views = [({"view": "overview"}, None)] + [({"view": "paper", "paper": p.id}, (p, c)) for p, c in zip(papers, chunks)]
    for options, expected in views:
        path = write_view(facts, tmp_path / f"{options.get('paper', 'overview').replace(':', '_')}.html", **options)
        url = path.resolve().as_uri()
        page = Page(browser, url, url)
        try:
            page.page.wait_for_selector("body[data-kg-ready='1']", state="attached", timeout=15_000)
            if expected is not None:
                paper, names = expected
                assert page.page.inner_text("#kg-heading") == "Paper: " + paper.title
                assert page.page.title() == "Paper: " + paper.title
            # Every node's details panel, hostile name as its heading, links only to http(s).
            for key, name in page.page.evaluate("() => kgView.nodes.get().map(n => [n.id, n.kgName])"):
                page.page.evaluate("key => kgView.focusNode(key)", key)
                assert page.page.inner_text("#kg-details h2") == name
                hrefs = page.page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.href)")
                assert all(h.startswith(("https:", "http:")) for h in hrefs), hrefs
            page.assert_inert()
            assert not page.errors, page.errors
        finally:
            page.page.close()


def test_sparql_query_page_shows_every_payload_as_text(browser, built):
    out, papers, chunks = built
    with serving(out / "graph.trig", limits=Limits(workers=1, timeout=20)) as endpoint:
        root = endpoint.removesuffix("sparql")
        headers = httpx.get(root).headers
        assert "script-src 'sha256-" in headers["content-security-policy"] and headers["x-content-type-options"] == "nosniff"
        page = Page(browser, root, root)
        try:
            query = ("SELECT ?title ?name ?author WHERE { ?p dcterms:title ?title ; dcterms:creator ?author ; kg:mentions ?e . "
                     "?e skos:prefLabel ?name }")
            page.page.fill("#query", query)
            page.page.click("button[type=submit]")
            page.page.wait_for_function("() => /rows/.test(document.getElementById('status').textContent)", timeout=20_000)
            cells = set(page.page.eval_on_selector_all("td", "cells => cells.map(c => c.textContent)"))
            assert {p.title for p in papers} <= cells
            labels = {str(label) for label in load_graph(out).objects(None, SKOS.prefLabel)}
            assert len(labels) >= len(PAYLOADS) - 6 and labels <= cells  # names as resolved (quotes trimmed...)
            # A payload as the query itself: refused as malformed, and the page stays inert.
            page.page.fill("#query", PAYLOADS[0] + " " + PAYLOADS[1])
            page.page.click("button[type=submit]")
            page.page.wait_for_selector("#status.error", timeout=20_000)
            assert page.page.inner_text("#status").startswith("400: malformed query")
            page.assert_inert()
            assert not page.errors or all("400" in e for e in page.errors), page.errors
        finally:
            page.page.close()


def test_analytics_report_shows_hostile_names_as_text(tmp_path):
    markdown_it = pytest.importorskip("markdown_it")
    from kg.analytics import analyze
    from kg.analytics.outputs import render_report

    hostile = Path(__file__).parent / "fixtures" / "views_hostile.ttl"
    report = render_report(analyze(load_graph(hostile), seed=0))
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(report)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html  # the name, as text, in its cell
    for block in report.split("\n\n"):  # every table keeps its columns: no name split a cell
        pipes = {len(re.findall(r"(?<!\\)\|", line)) for line in block.splitlines() if line.startswith("|")}
        assert len(pipes) <= 1, block
