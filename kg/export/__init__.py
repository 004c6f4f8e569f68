"""Export the graph: RDF serialisations, the co-mention network, Neo4j bulk-import CSV.

Formats are found through the ``kg.exporters`` entry-point group (`exporters`); each is
a generator of chunks (`Exporter.generate`) under one thin writer (`export`).
"""

from kg.export.registry import ENTRY_POINT_GROUP, Exporter, UnknownFormatError, exporters, get_exporter
from kg.export.writer import default_output, export

__all__ = ["ENTRY_POINT_GROUP", "Exporter", "UnknownFormatError", "exporters", "get_exporter", "export", "default_output"]
