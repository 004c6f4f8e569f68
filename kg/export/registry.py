"""The export formats, found through the ``kg.exporters`` entry-point group.

The built-in formats are registered in ``pyproject.toml`` exactly as a plugin package
would register its own::

    [project.entry-points."kg.exporters"]
    turtle = "kg.export.rdf:TURTLE"

An entry point names an `Exporter`: a generator of chunks plus what a writer needs to
know (file extension, media type, whether it writes one file or a directory).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points

__all__ = ["ENTRY_POINT_GROUP", "Exporter", "exporters", "format_names", "get_exporter", "UnknownFormatError"]

ENTRY_POINT_GROUP = "kg.exporters"


@dataclass(frozen=True)
class Exporter:
    """One export format.

    ``generate(graph)`` yields ``bytes`` chunks of one file when ``kind`` is ``"rdf"`` or
    ``"network"``, and ``(relative_path, bytes)`` pairs of a directory of files when
    ``kind`` is ``"directory"``. ``graph`` is whatever `kg.quadstore.open_quads` accepts.
    """

    name: str
    generate: Callable[..., Iterator]
    extension: str  # ".ttl"; "" for directory formats
    media_type: str
    description: str
    kind: str = "rdf"  # "rdf" | "network" | "directory"

    @property
    def writes_directory(self) -> bool:
        return self.kind == "directory"


class UnknownFormatError(ValueError):
    """No exporter of that name is registered."""


@cache
def exporters() -> dict[str, Exporter]:
    """Every registered format by name, sorted by name.

    Examples
    --------
    >>> {"turtle", "nquads", "graphml", "neo4j"} <= set(exporters())
    True
    """
    found: dict[str, Exporter] = {}
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        exporter = entry_point.load()
        if not isinstance(exporter, Exporter):
            raise TypeError(f"entry point {entry_point.value!r} ({ENTRY_POINT_GROUP}) is not a kg.export.Exporter")
        if exporter.name != entry_point.name:
            raise ValueError(f"entry point {entry_point.name!r} names an exporter called {exporter.name!r}")
        found.setdefault(exporter.name, exporter)
    return dict(sorted(found.items()))


def format_names() -> list[str]:
    """The registered format names, without importing the exporters (for ``--help``)."""
    return sorted({entry_point.name for entry_point in entry_points(group=ENTRY_POINT_GROUP)})


def get_exporter(name: str) -> Exporter:
    """The exporter called ``name``; `UnknownFormatError` lists the known ones otherwise."""
    try:
        return exporters()[name]
    except KeyError:
        raise UnknownFormatError(f"unknown export format {name!r}; known: {', '.join(exporters())}") from None
