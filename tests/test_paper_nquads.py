"""The paper graphs written as N-Quads lines (`kg.graph.paper_facts`): same quads in rdflib and Oxigraph."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib import DCTERMS, XSD, Literal, URIRef

from extractors.records import Entity, Evidence, Mention, PaperExtraction, Relation
from kg.graph import build_graph
from kg.papers import Paper
from kg.vocab import KG

TITLE = 'LoRA "adapters" \\ beyond'
ABSTRACT = "We fine-tune GPT-4 with LoRA.\nIt beats\r full tuning (é, ü, 日本).\tCode: https://github.com/a/b."


def _inputs():
    paper = Paper(id="arxiv:2401.00001", title=TITLE, abstract=ABSTRACT, date="2024-02", authors=("A. Author",))
    lora = Entity("LoRA", "Method", "introduced", (), (Mention("LoRA", "abstract", 24, 28, 0, 0.91234, "ner"),
                                                          Mention("LoRA", "title", 0, 4, 0, 1.0, "")), 0.9)
    gpt = Entity("GPT-4", "Model", "used", (), (Mention("GPT-4", "abstract", 13, 18, 0, 0.5, "ner"),), 0.5)
    relation = Relation("LoRA", "appliedTo", "GPT-4", Evidence("abstract", 0, 0, 29, ABSTRACT[:29], "fine-tune"), 0.7,
                        "rules")
    return [paper], [PaperExtraction(paper.id, paper.title, (lora, gpt), (relation,), "demo", "1")]


def _quads(dataset: rdflib.Dataset) -> set:
    # Oxigraph keeps decimals by value ("1.0" comes back as "1"), rdflib by lexical form: compare values
    return {(s, p, o.toPython() if isinstance(o, Literal) and o.datatype == XSD.decimal else o, getattr(c, "identifier", c))
            for s, p, o, c in dataset.quads((None, None, None, None))
            if p not in (rdflib.PROV.startedAtTime, rdflib.PROV.endedAtTime)}


def test_rdflib_and_oxigraph_stores_hold_the_same_quads():
    papers, records = _inputs()
    memory, oxigraph = (build_graph(papers, records, store=store) for store in ("memory", "oxigraph"))
    assert _quads(memory) == _quads(oxigraph)


def test_literals_keep_their_text_and_types():
    papers, records = _inputs()
    dataset = build_graph(papers, records, store="oxigraph")
    paper = URIRef("https://w3id.org/kg/resource/paper/arxiv:2401.00001")
    assert set(dataset.objects(paper, DCTERMS.title)) == {Literal(TITLE)}
    assert set(dataset.objects(paper, DCTERMS.abstract)) == {Literal(ABSTRACT)}
    assert set(dataset.objects(paper, DCTERMS.date)) == {Literal("2024-02", datatype=XSD.gYearMonth)}
    confidences = {o for o in dataset.objects(None, KG.confidence)}
    assert Literal("0.9123", datatype=XSD.decimal) in confidences
    starts = {o.toPython() for o in dataset.objects(None, KG.start)}
    assert {24, 0, 13} <= starts
    assert len(set(dataset.subjects(rdflib.RDF.type, KG.Evidence))) == 1
    # the lines are valid N-Quads for a strict parser (Oxigraph's, not lenient)
    quads = ox.Store()
    quads.extend(dataset.store._inner)
    assert len(quads) == len(dataset.store._inner)


def test_sentence_spans_keep_abbreviations_far_into_the_text():
    from kg.provenance import sentence_spans

    text = "First one. " * 50 + "It reaches approx. 5 points vs. Baseline. Last one."
    spans = [text[start:end] for start, end in sentence_spans(text)]
    assert spans[-2:] == ["It reaches approx. 5 points vs. Baseline.", "Last one."]
    assert len(spans) == 52


def test_paper_lines_pass_the_strict_parser():
    """The build loads them leniently (no IRI validation): they must be valid N-Quads as they are."""
    from collections import defaultdict

    from kg.graph import paper_facts
    from kg.iris import ResourceIRIs
    from kg.resolve import resolve_entities

    papers, records = _inputs()
    paper = Paper(id="doi:10.1000/a b<c>", title=TITLE, abstract=ABSTRACT + " See www.example.org/x|y and "
                  "https://github.com/o/r?q=1#f.", date="2024-02-30", urls=('github.com/a/b"c<d>',), arxiv_id="2401.00001",
                  doi="10.1000/a b", categories=("cs.CL",))
    record = PaperExtraction(paper.id, paper.title, records[0].entities, records[0].relations, "demo", "1")
    resolution = resolve_entities([record])
    lines = paper_facts(paper, record, resolution, ResourceIRIs("https://example.org/kg/"), defaultdict(set)).lines
    parsed = list(ox.parse(input="".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    assert len(parsed) == len(lines) > 30
