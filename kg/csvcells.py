"""Text cells that a spreadsheet shows as text: the guard against CSV formula injection.

Labels in the analytics CSVs come from paper text, which anyone can write. Spreadsheet
programs run a cell that opens with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or a
carriage return) as a formula, so a title naming a "method" ``=HYPERLINK("http://...")``
would become a live link, or worse, in the reader's spreadsheet. OWASP's advice is to
open such a cell with a single quote, which spreadsheets show as text and hide.

Only the human-facing analytics CSVs use this. The Neo4j import files and SPARQL CSV
results are read by programs, where the quote would change the data.

Examples
--------
>>> text_cell('=HYPERLINK("http://example.org")')
'\\'=HYPERLINK("http://example.org")'
>>> text_cell("GPT-4o"), text_cell("-Bench"), text_cell(0.5)
('GPT-4o', "'-Bench", 0.5)
"""

from __future__ import annotations

__all__ = ["FORMULA_OPENERS", "text_cell"]

FORMULA_OPENERS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: object) -> object:
    """``value`` with a ``'`` in front when it is text a spreadsheet would run as a formula;
    anything else (numbers, IRIs, plain names) as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_OPENERS):
        return "'" + value
    return value
