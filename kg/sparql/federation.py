"""Tell whether a SPARQL query asks for a federated (``SERVICE``) call.

Both engines answer ``SERVICE <iri> { ... }`` by sending an HTTP request to that IRI,
so a query that reaches a public endpoint could make the server fetch from hosts that
only it can reach. Queries are therefore refused when they use ``SERVICE`` unless the
caller allows it (``kg query --allow-service``, ``kg serve --allow-service``).

The test is lexical and errs on the side of refusing: strings, IRIs and comments are
blanked out first, so ``"SERVICE"`` in a literal or ``<http://x/SERVICE>`` does not
count, while the keyword in any letter case does.
"""

from __future__ import annotations

import re

__all__ = ["uses_service"]

# Long strings before short ones, so '''...''' is not read as '' + '...
_NOT_CODE = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\s]*>|#[^\n]*",
    re.DOTALL,
)
# The keyword, not part of a prefixed name (`ex:service`, `service:x`) or a variable (`?service`).
_SERVICE = re.compile(r"(?<![\w:?$.-])SERVICE(?![\w:.-])", re.IGNORECASE)


def uses_service(query: str) -> bool:
    """Whether ``query`` contains a ``SERVICE`` clause.

    Examples
    --------
    >>> uses_service("SELECT * WHERE { service <http://evil.example/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service WHERE { ?service rdfs:label "SERVICE" } # SERVICE')
    False
    >>> uses_service("SELECT * WHERE { ?s ex:service <http://x/SERVICE> }")
    False
    """
    return bool(_SERVICE.search(_NOT_CODE.sub(" ", query)))
