"""Recognise arXiv ids and DOIs wherever a source puts them: bare, prefixed or as a URL."""

from __future__ import annotations

import re

__all__ = ["arxiv_id_from", "doi_from"]

# New-style (2007+) `2403.01234v2` and old-style `hep-th/9901001` / `math.AG/0601001`.
_ARXIV = re.compile(
    r"(?:^|arxiv[:/\s]\s*|arxiv\.org/(?:abs|pdf)/)"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?(?:$|[\s?#])",
    re.IGNORECASE,
)
_DOI = re.compile(r"(?:^|doi:\s*|doi\.org/)(?P<doi>10\.\d{4,9}/\S+)$", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$", re.IGNORECASE)


def arxiv_id_from(value: str | None) -> str | None:
    """The arXiv id (without version) in an id string or URL, or None.

    Examples
    --------
    >>> arxiv_id_from("https://arxiv.org/abs/2403.01234v2")
    '2403.01234'
    >>> arxiv_id_from("arXiv:hep-th/9901001"), arxiv_id_from("2403.01234")
    ('hep-th/9901001', '2403.01234')
    >>> arxiv_id_from("10.48550/arXiv.2403.01234"), arxiv_id_from("paper-17")
    ('2403.01234', None)
    """
    if not value:
        return None
    value = value.strip()
    doi = doi_from(value)
    if doi and (match := _ARXIV_DOI.match(doi)):
        value = match.group("id")
    match = _ARXIV.search(value)
    return match.group("id") if match else None


def doi_from(value: str | None) -> str | None:
    """The DOI (lower-cased) in an id string or URL, or None.

    Examples
    --------
    >>> doi_from("https://doi.org/10.18653/V1/2023.ACL-long.1")
    '10.18653/v1/2023.acl-long.1'
    >>> doi_from("doi:10.1000/xyz"), doi_from("W2741809807")
    ('10.1000/xyz', None)
    """
    if not value:
        return None
    match = _DOI.search(value.strip())
    return match.group("doi").rstrip(".,;").lower() if match else None
