"""Entity names: the normal form two names must share to be the same, and their readable slugs.

Normalisation folds what never distinguishes two entities in paper abstracts: Unicode
compatibility forms and accents, invisible format characters (bidi marks, zero-width
spaces), case, spaces, hyphens and underscores, a leading "the", and a final plural "s"
(``LLMs`` -> ``llm``, ``large language models`` -> ``largelanguagemodel``). Everything
else is kept, so ``GPT-4`` and ``GPT-4o``, ``BERT`` and ``BERTScore`` stay apart.

Examples
--------
>>> name_key("Large Language Models") == name_key("large-language model")
True
>>> name_key("LLMs") == name_key("LLM")
True
>>> name_key("GPT-4") == name_key("GPT-4o"), name_key("BERT") == name_key("BERTScore")
(False, False)
>>> split_parenthetical("Large Language Models (LLMs)")
('Large Language Models', 'LLMs')
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "clean_surface",
    "name_key",
    "split_parenthetical",
    "is_abbreviation_shaped",
    "initials",
    "loose_key",
    "slugify",
]

_DROPPED = re.compile(r"[\s\-\u2010-\u2015\u2212_]+")
_EDGE_PUNCT = " \t\r\n\"'`\u2018\u2019\u201c\u201d.,;:!?"
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_PLURAL_EXCEPTIONS = ("ss", "us", "is")
_TRAILING_PAREN = re.compile(r"^(?P<outer>.+?)\s*\((?P<inner>[^()]+)\)$", re.DOTALL)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MINOR_WORDS = frozenset({"of", "for", "and", "the", "a", "an", "to", "in", "on", "with", "via", "by"})


@functools.lru_cache(maxsize=1 << 18)
def clean_surface(text: str) -> str:
    """``text`` with format characters removed, whitespace collapsed and edge punctuation stripped.

    Examples
    --------
    >>> clean_surface(' x\\ny\u200f ')
    'x y'
    """
    visible = "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split()).strip(_EDGE_PUNCT)


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _drop_plural(surface: str) -> str:
    """Drop the plural "s" of the last word, judged on the original case (``LLMs``, not ``MMLUS``)."""
    match = re.search(r"([^\W\d_]+)$", surface)
    if not match:
        return surface
    word = match.group(1)
    if surface.isupper() and len(_WORD.findall(surface)) > 1:
        word = word.lower()  # a shouted phrase ("VISION-LANGUAGE MODELS"), not an acronym
    if not word.endswith("s") or word.lower().endswith(_PLURAL_EXCEPTIONS):
        return surface
    acronym_plural = len(word) >= 3 and any(ch.isupper() for ch in word[:-1])
    if acronym_plural or len(word) >= 4:
        return surface[:-1]
    return surface


@functools.lru_cache(maxsize=1 << 18)
def name_key(text: str) -> str:
    """The normal form of an entity name; equal keys mean the same name.

    Examples
    --------
    >>> name_key("The Low-Rank Adaptation"), name_key("ＬｏＲＡ"), name_key("Café")
    ('lowrankadaptation', 'lora', 'cafe')
    """
    surface = _LEADING_THE.sub("", clean_surface(text))
    surface = _drop_plural(surface)
    return _DROPPED.sub("", _fold_accents(surface).casefold())


def split_parenthetical(name: str) -> tuple[str, str] | None:
    """``(full, short)`` when ``name`` is "Full Form (SHORT)" or "SHORT (Full Form)", else None.

    Examples
    --------
    >>> split_parenthetical("LoRA (Low-Rank Adaptation)")
    ('Low-Rank Adaptation', 'LoRA')
    >>> split_parenthetical("GPT-4") is None
    True
    """
    match = _TRAILING_PAREN.match(clean_surface(name))
    if not match:
        return None
    outer, inner = match.group("outer").strip(), match.group("inner").strip()
    if not outer or not inner:
        return None
    return (outer, inner) if len(name_key(outer)) >= len(name_key(inner)) else (inner, outer)


def is_abbreviation_shaped(surface: str) -> bool:
    """One short token with at least two capitals, like ``LLMs``, ``LoRA``, ``RLHF``.

    Examples
    --------
    >>> is_abbreviation_shaped("LLMs"), is_abbreviation_shaped("Transformer")
    (True, False)
    """
    surface = clean_surface(surface)
    return " " not in surface and 2 <= len(surface) <= 12 and sum(ch.isupper() for ch in surface) >= 2


def initials(full_form: str) -> frozenset[str]:
    """The acronyms a multi-word form can have: first letters with and without minor words.

    Examples
    --------
    >>> sorted(initials("Mixture of Experts"))
    ['me', 'moe']
    >>> initials("Transformer")
    frozenset()
    """
    words = [w.casefold() for w in _WORD.findall(_fold_accents(clean_surface(full_form)))]
    if len(words) < 2:
        return frozenset()
    every = "".join(w[0] for w in words)
    content = "".join(w[0] for w in words if w not in _MINOR_WORDS)
    return frozenset(a for a in (every, content) if len(a) >= 2)


def loose_key(text: str) -> str:
    """A looser normal form: minor words dropped and every word singular.

    Used only to tell whether two long forms of one acronym are variants of one name.

    Examples
    --------
    >>> loose_key("Reinforcement Learning from Human Feedback") == loose_key("reinforcement learning with human feedback")
    True
    >>> loose_key("numbers of function evaluations") == loose_key("Number of Function Evaluation")
    True
    >>> loose_key("continual learning") == loose_key("curriculum learning")
    False
    """
    words = [w.casefold() for w in _WORD.findall(_fold_accents(clean_surface(text)))]
    kept = [w for w in words if w not in _MINOR_WORDS and w not in ("from", "as", "at")] or words
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(_PLURAL_EXCEPTIONS) else w
                    for w in kept)


def slugify(label: str, *, limit: int = 60) -> str:
    """A readable IRI segment: ASCII letters, digits and single hyphens ("" when none are left).

    Examples
    --------
    >>> slugify('Large Language Models (LLMs)')
    'large-language-models-llms'
    >>> slugify('a "b" <c>'), slugify("x\\ny"), slugify("\u05d0\u05d1")
    ('a-b-c', 'x-y', '')
    """
    ascii_text = _fold_accents(label).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:limit].rstrip("-")
