"""Bind parameters for Oxigraph: a ``VALUES`` block opening each WHERE group of the query.

Oxigraph's own ``substitutions`` only accept variables the query projects, so
parameters of aggregate queries (``?method`` in ``datasets-for-method``) could not be
bound that way. Instead the terms are written in canonical N-Triples syntax (every
character that could end a string or an IRI is escaped or refused) into a ``VALUES``
block that opens the WHERE group of the query and of each sub-SELECT; filters,
optionals and sub-queries then all see the values, as with rdflib's ``initBindings``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.sparql.terms import BindingError

__all__ = ["sparql_term", "bind_with_values"]

_TOKENS = re.compile(
    r'''(?P<comment>\#[^\n]*)
    |(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<variable>[?$]\w+)
    |(?P<word>[A-Za-z_][\w.-]*(?::[\w.:-]*)?|:[\w.:-]*)
    |(?P<brace>[{}()])
    |(?P<other>\S)''',
    re.VERBOSE | re.DOTALL,
)
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANGUAGE = re.compile(r"^[A-Za-z]+(?:-[A-Za-z0-9]+)*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_FORMS = ("select", "construct", "ask", "describe")


def _iri(value: str) -> str:
    if _IRI_FORBIDDEN.search(value):
        raise BindingError(f"<{value}>: an IRI cannot contain spaces, quotes, braces or angle brackets")
    return f"<{value}>"


def sparql_term(term: Node) -> str:
    """An IRI or literal in N-Triples syntax, safe to place in a query.

    Examples
    --------
    >>> sparql_term(Literal('say "hi"\\n', lang="en"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    >>> sparql_term(URIRef("http://x/a b"))
    Traceback (most recent call last):
    ...
    kg.sparql.terms.BindingError: <http://x/a b>: an IRI cannot contain spaces, quotes, braces or angle brackets
    """
    if isinstance(term, URIRef):
        return _iri(str(term))
    if not isinstance(term, Literal):
        raise BindingError(f"{term!r}: only IRIs and literals can be bound")
    text = "".join(_ESCAPES.get(c, c if c >= " " else f"\\u{ord(c):04X}") for c in str(term))
    if term.language:
        if not _LANGUAGE.match(term.language):
            raise BindingError(f"{term.language!r}: not a language tag")
        return f'"{text}"@{term.language}'
    if term.datatype is not None and term.datatype != XSD.string:
        return f'"{text}"^^{_iri(str(term.datatype))}'
    return f'"{text}"'


def _tokens(query: str) -> list[tuple[str, str, int]]:
    return [(m.lastgroup, m.group(), m.start()) for m in _TOKENS.finditer(query) if m.lastgroup != "comment"]


def _where_groups(query: str) -> list[tuple[int, int | None]]:
    """Each query form's WHERE group (the query's and every sub-SELECT's).

    Returns the offset of the group's ``{`` and, when the group's body is a bare
    sub-SELECT (which cannot have VALUES beside it), the offset of its ``}``.
    """
    tokens = _tokens(query)
    closing: dict[int, int] = {}
    stack: list[int] = []
    for index, (kind, text, _) in enumerate(tokens):
        if kind == "brace" and text == "{":
            stack.append(index)
        elif kind == "brace" and text == "}" and stack:
            closing[stack.pop()] = index
    groups: list[tuple[int, int | None]] = []
    for index, (kind, text, _) in enumerate(tokens):
        if kind != "word" or text.lower() not in _FORMS:
            continue
        depth, skip_template = 0, text.lower() == "construct"
        cursor = index + 1
        while cursor < len(tokens):
            kind, text, _ = tokens[cursor]
            if kind == "word" and text.lower() == "where" and depth == 0:
                skip_template = False
            elif kind == "brace" and text in "()":
                depth += 1 if text == "(" else -1
            elif kind == "brace" and depth == 0 and text == "}":
                break  # the enclosing group ended: a form without WHERE group
            elif kind == "brace" and depth == 0 and text == "{":
                if skip_template:  # CONSTRUCT { template } WHERE { ... }
                    cursor, skip_template = closing.get(cursor, len(tokens)), False
                else:
                    body = tokens[cursor + 1] if cursor + 1 < len(tokens) else ("", "", 0)
                    bare_select = body[0] == "word" and body[1].lower() == "select" and cursor in closing
                    groups.append((tokens[cursor][2], tokens[closing[cursor]][2] if bare_select else None))
                    break
            cursor += 1
    return groups


def bind_with_values(query: str, bindings: Mapping[str, Node]) -> str:
    """``query`` with ``VALUES (?name ...) { (term ...) }`` opening each of its WHERE groups.

    Sub-SELECTs get the block too, so a parameter means the same value wherever it is
    used (as a substitution would), while each scope keeps its own variables.

    Examples
    --------
    >>> bind_with_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal("x")})
    'SELECT ?s WHERE { VALUES (?o) { ("x") } ?s ?p ?o }'
    """
    if not bindings:
        return query
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise BindingError(f"{name!r}: not a SPARQL variable name")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(sparql_term(term) for term in bindings.values())
    values = f"VALUES ({names}) {{ ({terms}) }}"
    groups = _where_groups(query)
    if not groups:
        raise BindingError("cannot bind parameters: the query has no SELECT, CONSTRUCT, ASK or DESCRIBE with a WHERE group")
    insertions: list[tuple[int, str]] = []
    for open_at, bare_select_close in groups:
        if bare_select_close is None:
            insertions.append((open_at + 1, f" {values}"))
        else:  # `{ SELECT ... }` -> `{ VALUES ... { SELECT ... } }`
            insertions += [(open_at + 1, f" {values} {{"), (bare_select_close, "} ")]
    for offset, text in sorted(insertions, reverse=True):
        query = query[:offset] + text + query[offset:]
    return query
