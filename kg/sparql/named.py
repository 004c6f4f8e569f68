"""The library of named queries: ``.rq`` files shipped in ``kg/sparql/queries``.

Each file opens with a comment header, then the query::

    # name: co-mentions
    # description: Entities mentioned in the same papers as a given entity.
    # param entity: label (any case) or IRI of the entity, e.g. BERT
    # param type (optional): only neighbours of this class, e.g. kg:Dataset
    SELECT ...

Parameters are SPARQL variables of the query, bound with ``--bind name=value``; an
optional one left unbound leaves its variable free (the query then covers everything).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = ["Parameter", "NamedQuery", "NamedQueryError", "parse_named_query", "named_queries", "named_query"]

_FIELD = re.compile(r"^#\s*(name|description|param)\b\s*(.*)$")
_PARAM = re.compile(r"^([A-Za-z_]\w*)\s*(\(optional\))?\s*:\s*(.+)$")


class NamedQueryError(ValueError):
    """An unknown query name, a bad header, or bindings that do not fit the parameters."""


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    required: bool


@dataclass(frozen=True)
class NamedQuery:
    """One query of the library, header parsed."""

    name: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    source: str

    def check_bindings(self, bindings: Mapping[str, object]) -> None:
        """Refuse missing required parameters and names the query does not take."""
        known = {p.name for p in self.parameters}
        unknown = sorted(set(bindings) - known)
        if unknown:
            takes = ", ".join(sorted(known)) or "no parameters"
            raise NamedQueryError(f"query {self.name!r} takes {takes}; not {', '.join(unknown)}")
        missing = [p for p in self.parameters if p.required and p.name not in bindings]
        if missing:
            hint = " ".join(f"--bind {p.name}=..." for p in missing)
            raise NamedQueryError(f"query {self.name!r} needs {hint} ({missing[0].description})")


def parse_named_query(text: str, source: str) -> NamedQuery:
    """Read the header of one ``.rq`` file; errors name ``source`` and the line.

    Examples
    --------
    >>> q = parse_named_query("# name: n\\n# description: d\\n# param x (optional): an x\\nASK { ?x ?p ?o }", "n.rq")
    >>> q.name, q.parameters[0].required
    ('n', False)
    """
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = _FIELD.match(line)
        if not match:
            continue  # free comment
        key, value = match.group(1), match.group(2).lstrip(":").strip()
        if key != "param":
            fields[key] = value
            continue
        param = _PARAM.match(value)
        if not param:
            raise NamedQueryError(f"{source}:{number}: expected '# param NAME [(optional)]: description'")
        if not re.search(rf"[?$]{param.group(1)}\b", text):
            raise NamedQueryError(f"{source}:{number}: parameter {param.group(1)!r} is not a variable of the query")
        parameters.append(Parameter(param.group(1), param.group(3).strip(), param.group(2) is None))
    for key in ("name", "description"):
        if not fields.get(key):
            raise NamedQueryError(f"{source}:1: the header has no '# {key}:' line")
    return NamedQuery(fields["name"], fields["description"], tuple(parameters), text, source)


def _library_files() -> list[tuple[str, str]]:
    folder = resources.files("kg.sparql") / "queries"
    return sorted((entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".rq"))


def named_queries() -> dict[str, NamedQuery]:
    """Every shipped named query, by name, in name order."""
    library: dict[str, NamedQuery] = {}
    for filename, text in _library_files():
        query = parse_named_query(text, str(Path("kg/sparql/queries") / filename))
        if query.name in library:
            raise NamedQueryError(f"{query.source}: name {query.name!r} already used by {library[query.name].source}")
        library[query.name] = query
    return dict(sorted(library.items()))


def named_query(name: str) -> NamedQuery:
    """The named query ``name``; an unknown name gets the closest names suggested."""
    library = named_queries()
    if name not in library:
        close = difflib.get_close_matches(name, library, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `kg query --list` shows them"
        raise NamedQueryError(f"no named query {name!r}{hint}")
    return library[name]
