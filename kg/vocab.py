"""The project vocabulary as a closed rdflib namespace, the vocabularies it reuses, and resource IRIs' base.

`KG` lists exactly the terms of ``ontology/kg.ttl`` (tests/test_ontology.py keeps the two
identical), so a misspelt term raises instead of silently minting a new IRI.

The resources the graph describes (papers, entities, mentions, runs, named graphs) get
IRIs under a *base IRI*: `DEFAULT_BASE` unless the caller passes ``base_iri=`` or the
environment sets ``KG_BASE_IRI`` (see `resolve_base_iri`).

Examples
--------
>>> KG.Paper
rdflib.term.URIRef('https://w3id.org/kg/ontology#Paper')
>>> KG.Papr
Traceback (most recent call last):
...
AttributeError: term 'Papr' not in namespace 'https://w3id.org/kg/ontology#'
"""

from __future__ import annotations

import os
import re

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "KG",
    "KG_NS",
    "SCHEMA",
    "DCTERMS",
    "SKOS",
    "PROV",
    "MLS",
    "FAIR4ML",
    "RDF",
    "RDFS",
    "OWL",
    "XSD",
    "PREFIXES",
    "DEFAULT_BASE",
    "BASE_IRI_ENV",
    "resolve_base_iri",
]

KG_NS = "https://w3id.org/kg/ontology#"
SCHEMA = SDO  # https://schema.org/
MLS = Namespace("http://www.w3.org/ns/mls#")
FAIR4ML = Namespace("https://w3id.org/fair4ml#")


class KG(DefinedNamespace):
    """The terms of ``ontology/kg.ttl``; any other attribute raises `AttributeError`."""

    _NS = Namespace(KG_NS)
    _fail = True

    # Papers
    Paper: URIRef
    arxivId: URIRef
    doi: URIRef
    # Entities
    Entity: URIRef
    Method: URIRef
    Model: URIRef
    Dataset: URIRef
    Benchmark: URIRef
    Task: URIRef
    Metric: URIRef
    paperCount: URIRef
    mentionCount: URIRef
    # Paper -> entity
    mentions: URIRef
    introduces: URIRef
    uses: URIRef
    # Entity -> entity
    basedOn: URIRef
    evaluatedOn: URIRef
    appliedTo: URIRef
    outperforms: URIRef
    coMentionedWith: URIRef
    RelationSupport: URIRef
    supportCount: URIRef
    supportedBy: URIRef
    # Provenance
    Mention: URIRef
    Sentence: URIRef
    Evidence: URIRef
    ExtractionRun: URIRef
    PaperGraph: URIRef
    mentionOf: URIRef
    inPaper: URIRef
    inSentence: URIRef
    field: URIRef
    start: URIRef
    end: URIRef
    text: URIRef
    sentenceIndex: URIRef
    trigger: URIRef
    confidence: URIRef
    component: URIRef
    extractorName: URIRef
    extractorVersion: URIRef
    builderVersion: URIRef
    graphOf: URIRef
    # Analytics (kg.analytics writes these back)
    CoMention: URIRef
    coMentionOf: URIRef
    support: URIRef
    npmi: URIRef
    jaccard: URIRef
    centralityScore: URIRef
    centralityRank: URIRef
    coMentionDegree: URIRef
    pageRank: URIRef
    betweenness: URIRef
    eigenvectorCentrality: URIRef
    Community: URIRef
    inCommunity: URIRef
    communitySize: URIRef
    communityNumber: URIRef


# Resolve every term once: attribute access then is a plain class lookup instead of the
# metaclass's __getattr__ (graph building reads these terms millions of times); names that
# are not terms still fall through to it and raise.
for _name in KG.__annotations__:
    type.__setattr__(KG, _name, KG._NS[_name])
del _name

# Prefixes bound in every graph this package writes (Turtle, TriG, JSON-LD context).
PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "mls": str(MLS),
    "fair4ml": str(FAIR4ML),
}

DEFAULT_BASE = "https://w3id.org/kg/resource/"
BASE_IRI_ENV = "KG_BASE_IRI"

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*[/#]$")


def resolve_base_iri(base_iri: str | None = None) -> str:
    """The base IRI for resources: ``base_iri``, else ``$KG_BASE_IRI``, else `DEFAULT_BASE`.

    It must be an absolute IRI ending in ``/`` or ``#`` (resource names are appended).

    Examples
    --------
    >>> resolve_base_iri("https://example.org/kg/")
    'https://example.org/kg/'
    >>> resolve_base_iri("example.org")
    Traceback (most recent call last):
    ...
    ValueError: base IRI 'example.org' must be absolute and end in '/' or '#'
    """
    chosen = base_iri or os.environ.get(BASE_IRI_ENV) or DEFAULT_BASE
    if not _ABSOLUTE_IRI.match(chosen):
        raise ValueError(f"base IRI {chosen!r} must be absolute and end in '/' or '#'")
    return chosen
