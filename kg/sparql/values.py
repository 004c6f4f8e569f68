"""Bind parameters for Oxigraph: a ``VALUES`` block at the top of the query's WHERE group.

Oxigraph's own ``substitutions`` only accept variables the query projects, so
parameters of aggregate queries (``?method`` in ``datasets-for-method``) could not be
bound that way. Instead the terms are written in canonical N-Triples syntax (every
character that could end a string or an IRI is escaped or refused) into a ``VALUES``
block that opens the outermost group; its filters and optionals then see the values,
as with rdflib's ``initBindings``. Sub-SELECTs do not, their scope being their own.
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


def _where_group(query: str) -> tuple[int, int, bool]:
    """Offsets of the outermost WHERE group's ``{`` and ``}``, and whether it is a bare sub-SELECT."""
    tokens = _tokens(query)
    form = next((i for i, (kind, text, _) in enumerate(tokens) if kind == "word" and text.lower() in _FORMS), None)
    if form is None:
        raise BindingError("cannot bind parameters: no SELECT, CONSTRUCT, ASK or DESCRIBE in the query")
    depth, braces, start = 0, 0, None
    skip_template = tokens[form][1].lower() == "construct"
    for index in range(form + 1, len(tokens)):
        kind, text, offset = tokens[index]
        if kind == "word" and text.lower() == "where" and braces == 0 and depth == 0:
            skip_template = False
        if kind != "brace":
            continue
        depth += {"(": 1, ")": -1}.get(text, 0)
        if text == "{" and depth == 0:
            braces += 1
            if braces == 1 and start is None and not skip_template:
                start = index
        elif text == "}" and depth == 0:
            braces -= 1
            if braces == 0 and start is None:
                skip_template = False  # that was the CONSTRUCT template
            elif braces == 0:
                body = tokens[start + 1] if start + 1 < len(tokens) else ("", "", 0)
                return tokens[start][2], offset, body[0] == "word" and body[1].lower() == "select"
    raise BindingError("cannot bind parameters: the query has no WHERE group")


def bind_with_values(query: str, bindings: Mapping[str, Node]) -> str:
    """``query`` with ``VALUES (?name ...) { (term ...) }`` opening its WHERE group.

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
    open_at, close_at, sub_select = _where_group(query)
    if sub_select:  # `WHERE { SELECT ... }` cannot take VALUES beside the SELECT: nest it
        return f"{query[:open_at + 1]} {values} {{{query[open_at + 1:close_at]}}} {query[close_at:]}"
    return f"{query[:open_at + 1]} {values}{query[open_at + 1:]}"
