"""XML answers never carry characters XML 1.0 cannot represent: a clear error instead."""

from __future__ import annotations

import xml.dom.minidom

import pytest
from rdflib import Literal, URIRef

from kg.sparql.engine import QueryError, QueryResult
from kg.sparql.formats import format_result

NAME = URIRef("https://example.org/n")


def test_select_with_a_vertical_tab_is_refused_in_xml_but_fine_in_json():
    result = QueryResult("select", ("name",), ((Literal("bad\x0bname"),),))
    with pytest.raises(QueryError, match="U\\+000B.*JSON"):
        format_result(result, "xml")
    assert "bad\\u000bname" in format_result(result, "json")


def test_construct_with_a_noncharacter_is_refused_in_rdfxml():
    result = QueryResult("graph", triples=((NAME, NAME, Literal("x\uffffy")),))
    with pytest.raises(QueryError, match="U\\+FFFF"):
        format_result(result, "xml")


def test_ordinary_text_still_gives_well_formed_xml():
    result = QueryResult("select", ("name",), ((Literal("a <b> & \"c\" \u00e9 \U0001F600"),),))
    xml.dom.minidom.parseString(format_result(result, "xml"))
