"""Hostile text through the real extractor and graph builder: quotes, angle brackets,
backslashes, newlines, right-to-left and zero-width marks, NULs, a 10,000-character
name, hundreds of names in one sentence. The extraction keeps its offsets, the graph
conforms to the SHACL shapes, every IRI is valid and Oxigraph's strict parsers read
the written files back. (tests/test_graph_build.py covers hand-made records with
hostile names; the size limits are measured in bench/bench_hostile.py.)
"""

from __future__ import annotations

from importlib.resources import files

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extraction import extract_papers
from kg.graph import build_graph, write_graph
from kg.iris import code_iri, is_valid_iri
from kg.papers import Paper

LONG_NAME = "Mega" + "Net" * 3332  # 10,000 characters, one CamelCase token
# 120 names in one sentence: enough for a list, few enough for seconds (relations are
# superlinear in names per sentence: see docs/security.md and bench/bench_hostile.py).
MANY_NAMES = ", ".join(f"Hostile{chr(65 + i % 26)}{chr(97 + i // 26 % 26)}Net{i}" for i in range(120))
ABSTRACTS = {
    "quotes": 'We propose "QuoteNet" and \'TickNet\' with `BackNet` and <AngleNet>, better than <b>BERT</b> on "GLUE".',
    "backslashes": r"We introduce Back\Slash\Net and C:\Users\ModelNet, trained on ImageNet\\ and \"SQuAD\".",
    "newlines": "We present\nLineNet\r\nfor node\u2028classification\u2029and evaluate on\x0bCora.",
    "bidi": "We propose \u202eFooNet\u202c and \u200fBarNet\u200f, \u2066IsoNet\u2069 on ImageNet.",
    "zero-width": "We propose Zero\u200bWidthNet and Join\u200dNet, trained on CIFAR\ufeff-10 with Soft\u00adHyphenNet.",
    "controls": "We propose Null\x00Net and Bell\x07Net\x1b[31m evaluated on MNIST\x7f.",
    "long name": f"We propose {LONG_NAME}, which outperforms BERT on GLUE.",
    "many names": f"We compare {MANY_NAMES} on GLUE and SQuAD.",
    "markup": "We propose <script>alert(1)</script>Net and ]]><!--CommentNet--> with &amp;AmpNet; on {{TemplateNet}}.",
}


@pytest.fixture(scope="module")
def hostile():
    papers = [Paper(id=f"title:{key}", title=f"{key.title()}: {text[:40]}", abstract=text) for key, text in ABSTRACTS.items()]
    extractions = list(extract_papers(papers, profile="fast"))
    return papers, extractions


def test_extraction_keeps_offsets_into_the_text_as_given(hostile):
    papers, extractions = hostile
    assert [e.paper_id for e in extractions] == [p.id for p in papers]
    for paper, extraction in zip(papers, extractions):
        for entity in extraction.entities:
            for mention in entity.mentions:
                text = paper.title if mention.field == "title" else paper.abstract
                span = text[mention.start : mention.end]
                # the extractor reads unprintable characters (U+2028, NUL...) as spaces, one for one
                assert len(span) == len(mention.text), (paper.id, mention)
                assert all(a == b or not a.isprintable() for a, b in zip(span, mention.text)), (paper.id, mention)
    found = {e.name for x in extractions for e in x.entities}
    assert LONG_NAME in found
    assert sum(name.startswith("Hostile") for name in found) >= 100  # the long list is read, not dropped


def test_graph_of_hostile_text_conforms_and_parses_strictly(hostile, tmp_path):
    papers, extractions = hostile
    dataset = build_graph(papers, extractions, store="memory")
    iris = {str(term) for quad in dataset.quads((None, None, None, None)) for term in quad if isinstance(term, rdflib.URIRef)}
    bad = sorted(i for i in iris if not is_valid_iri(i))
    assert not bad, bad[:5]
    union = rdflib.Graph()
    union += dataset.triples((None, None, None))
    shapes = rdflib.Graph().parse(data=files("kg.ontology").joinpath("shapes.ttl").read_text("utf-8"), format="turtle")
    conforms, _, report = pyshacl.validate(union, shacl_graph=shapes, inference="none")
    assert conforms, report
    write_graph(dataset, tmp_path)
    store = ox.Store()
    store.load(path=str(tmp_path / "graph.trig"), format=ox.RdfFormat.TRIG)  # strict: raises on any bad term
    store.load(path=str(tmp_path / "graph.ttl"), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:x:ttl"))
    labels = {str(q.object.value) for q in store.quads_for_pattern(None, ox.NamedNode(str(rdflib.SKOS.prefLabel)), None)}
    assert LONG_NAME in labels


@settings(max_examples=200, deadline=None)
@given(url=st.text(max_size=80) | st.builds(lambda a, b: a + "://" + b, st.text(max_size=8), st.text(max_size=40)))
def test_any_url_text_becomes_an_iri_strict_parsers_accept(url):
    iri = str(code_iri(url))
    assert is_valid_iri(iri)
    ox.NamedNode(iri)


def test_an_abstract_longer_than_spacy_accepts_is_cut_not_fatal(monkeypatch, caplog):
    import extractors.pipeline

    monkeypatch.setattr(extractors.pipeline, "_MAX_LENGTH", 5_000)  # the real limit is 2,000,000 characters
    huge = Paper(id="title:huge", title="Huge", abstract="We propose HugeNet. " + "Filler words here. " * 1_000)
    small = Paper(id="title:small", title="Small", abstract="We use BERT on GLUE.")
    with caplog.at_level("WARNING", logger="kg.extraction"):
        first, second = extract_papers([huge, small], profile="fast")
    assert "HugeNet" in {e.name for e in first.entities}
    assert max(m.end for e in first.entities for m in e.mentions) <= 5_000
    assert {"BERT", "GLUE"} <= {e.name for e in second.entities}
    assert "title:huge: only the first 4936 characters are extracted" in caplog.text
