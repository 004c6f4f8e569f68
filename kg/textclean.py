"""Clean titles and abstracts: HTML entities, LaTeX markup, control characters, whitespace.

Abstracts reach us as arXiv LaTeX (``T\\"ulu``, ``\\textbf{X}``, ``$k$-means``), as HTML
(``&amp;``), or as plain text that merely *contains* LaTeX special characters (``50%``,
``$5 million``, ``~3x``, ``snake_case``, ``C:\\path``). LaTeX decoding (pylatexenc) is
applied only where the text shows LaTeX, and the characters that are special in LaTeX
but common in plain text are escaped first so they survive as written.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

__all__ = ["clean_text", "latex_to_text", "without_lone_surrogates"]

# LaTeX shows as an accent or escape (`\"u`, `\%`), a brace group, inline math or a tie;
# a bare `\word` counts only if it is a macro LaTeX knows (so `C:\Users` stays a path).
_LATEX_HINT = re.compile(r"\\[\"'`^~=.@%$&_#{}\\ ]|[{}]|\$[^\s$][^$]*\$|[\w.,]~[\w\\]")
_MACRO = re.compile(r"\\([A-Za-z]+)")
# LaTeX swallows the space after `\alpha`, but abstracts mean "α only" by `\alpha only`;
# letter macros (`\L ojasiewicz`, `\ss`) do join the next word, as in LaTeX.
_WORDS = re.compile(r"(\s+)")
_TRIGGER = re.compile(r"[\\{}$]|--|``|''")  # dashes and quotes as LaTeX writes them
_OPEN_BRACE = re.compile(r"(?<!\\)\{")
_CLOSE_BRACE = re.compile(r"(?<!\\)\}")
_MATH_DOLLAR = re.compile(r"(?<!\\)\$")  # money `$` was escaped before this runs
_BARE_MACRO_AT_END = re.compile(r"\\[A-Za-z]+$")
_MACRO_THEN_WORD = re.compile(r"\\([A-Za-z]+) (?=\w)")
_LETTER_MACROS = frozenset({"L", "l", "o", "O", "ss", "aa", "AA", "ae", "AE", "oe", "OE", "i", "j"})
# Inline math as pandoc reads it: `$` followed by a non-space, closed by a `$` that
# follows a non-space and is not followed by a digit; so `$20 and $30` stay money.
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?=[^\s$])((?:\\\$|[^$])*?[^\s\\])\$(?!\d)")
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
_UNESCAPED_AMP_HASH = re.compile(r"(?<!\\)([&#])")
# `~` is a LaTeX tie only between a word and the next (`Fig.~3`); `(~10x)` means "about".
_TIE = re.compile(r"(?<=[\w.,])~(?=[\w\\])")
_LONE_TILDE = re.compile(r"(?<!\\)~")
# `\textcolor{teal}{Tool-use}` that a listing page flattened to `teal{Tool-use}`: the colour
# (an xcolor name glued to a brace group) is markup, not a word of the abstract.
_COLOUR_LEFTOVER = re.compile(r"(?<![\w\\{])(?:red|green|blue|cyan|magenta|yellow|black|gray|grey|white|darkgray|"
                              r"lightgray|brown|lime|olive|orange|pink|purple|teal|violet)(?=\{[^{}]*\})")
# pylatexenc does not know `\href` takes two arguments; its text is what a reader sees.
_HREF = re.compile(r"\\href\s*\{[^{}]*\}\s*\{([^{}]*)\}")
# U+FFFE/U+FFFF are no characters at all: XML 1.0 (RDF/XML, SPARQL XML results) cannot hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
# JSON can spell half a UTF-16 pair ("\ud800"); no UTF-8 output can hold one.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """``text`` with each lone UTF-16 surrogate (from a JSON ``\\ud800`` escape) as U+FFFD.

    Examples
    --------
    >>> without_lone_surrogates("a\\ud800b") == "a\\ufffdb"
    True
    """
    return _LONE_SURROGATE.sub("\ufffd", text)


def _macro_name(node) -> str:
    # Unknown macros are usually the authors' own names for systems (`\GitChameleon{}`):
    # keep the name rather than dropping the word as pylatexenc does by default.
    return node.macroname


def _last_argument_text(node, l2tobj) -> str:
    arguments = [arg for arg in (node.nodeargd.argnlist if node.nodeargd else []) if arg is not None]
    return l2tobj.nodelist_to_text([arguments[-1]]) if arguments else ""


@lru_cache(maxsize=1)
def _converter() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    context.add_context_category(
        "kg-abstracts",
        prepend=True,
        macros=[
            # Citations and cross-references carry no words of the abstract.
            *(MacroTextSpec(name, discard=True) for name in ("cite", "citep", "citet", "ref", "eqref", "label", "footnote")),
            # `{\color{blue} GPT-4}`: a colour switch, no text of its own.
            MacroTextSpec("color", discard=True),
            # A `\url` reads as its address, without pylatexenc's <>.
            MacroTextSpec("url", simplify_repl=_last_argument_text),
        ],
    )
    context.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=_macro_name))
    return LatexNodes2Text(latex_context=context, math_mode="text", strict_latex_spaces=False)


@lru_cache(maxsize=1)
def _known_macros() -> frozenset[str]:
    return frozenset(spec.macroname for spec in get_default_latex_context_db().iter_macro_specs())


def _looks_like_latex(text: str) -> bool:
    if _LATEX_HINT.search(text):
        return True
    return any(name in _known_macros() for name in _MACRO.findall(text))


def _protect_plain_specials(text: str) -> str:
    """Escape the characters that mean something else in LaTeX but are meant literally."""
    pieces, last = [], 0
    for match in _INLINE_MATH.finditer(text):
        pieces.append(_escape_outside_math(text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_escape_outside_math(text[last:]))
    return "".join(pieces)


def _escape_outside_math(text: str) -> str:
    text = _UNESCAPED_PERCENT.sub(r"\\%", text)  # `%` would start a comment
    text = _UNESCAPED_DOLLAR.sub(r"\\$", text)  # a lone `$` is money, not math
    text = _UNESCAPED_AMP_HASH.sub(r"\\\1", text)
    text = _HREF.sub(r"\1", text)
    text = _COLOUR_LEFTOVER.sub("", text)
    text = _MACRO_THEN_WORD.sub(_keep_space_after_macro, text)
    text = _TIE.sub(" ", text)
    return _LONE_TILDE.sub(r"\\textasciitilde{}", text)


def _keep_space_after_macro(match: re.Match) -> str:
    name = match.group(1)
    if name in _LETTER_MACROS or name not in _known_macros():
        return match.group(0)
    return f"\\{name}{{}} "


def latex_to_text(text: str) -> str:
    """Decode LaTeX accents, markup and inline math in ``text`` to plain Unicode.

    Text without LaTeX is returned unchanged; malformed LaTeX falls back to the input.

    Examples
    --------
    >>> latex_to_text(r'T\\"ulu 3 uses \\textbf{RLVR}')
    'Tülu 3 uses RLVR'
    >>> latex_to_text(r'we introduce \\GitChameleon{}, scoring 39.9\\% with $k$-means')
    'we introduce GitChameleon, scoring 39.9% with k-means'
    >>> latex_to_text(r'costs $5 and $20, cut by 50% (~3x) in \\emph{my_model}')
    'costs $5 and $20, cut by 50% (~3x) in my_model'
    """
    if not _looks_like_latex(text):
        return text
    pieces = []
    for piece, is_latex in _latex_islands(_protect_plain_specials(text)):
        if is_latex:
            try:
                piece = _converter().latex_to_text(piece)
            except Exception:  # pylatexenc can fail on odd input; the raw text is still useful
                return text
        pieces.append(piece)
    return "".join(pieces)


def _latex_islands(text: str) -> Iterator[tuple[str, bool]]:
    """Split ``text`` into plain runs and the LaTeX islands in between, ``(piece, is_latex)``.

    pylatexenc reads character by character; giving it only the few words that hold
    LaTeX (a brace group or math span is kept whole) makes the corpus ~30x faster.
    """
    words = _WORDS.split(text)  # words at even indices, the whitespace after each at odd
    island: list[str] = []
    depth, in_math = 0, False
    for index in range(0, len(words), 2):
        word, space = words[index], words[index + 1] if index + 1 < len(words) else ""
        if not island and not _TRIGGER.search(word):
            yield word + space, False
            continue
        island.append(word)
        depth += len(_OPEN_BRACE.findall(word)) - len(_CLOSE_BRACE.findall(word))
        in_math ^= len(_MATH_DOLLAR.findall(word)) % 2 == 1
        # A bare macro (`\L ojasiewicz`) takes the next word with it, as in LaTeX.
        if depth > 0 or in_math or _BARE_MACRO_AT_END.search(word):
            island.append(space)
            continue
        yield "".join(island), True
        island = []
        yield space, False
    if island:
        yield "".join(island), True


def clean_text(text: str | None) -> str:
    """The form of a title or abstract every reader stores.

    HTML entities and LaTeX are decoded, control and zero-width characters removed,
    runs of whitespace (newlines included) collapsed to one space, and the result put
    in Unicode NFC.

    Examples
    --------
    >>> clean_text("  Q&amp;A\\nwith  \\\\emph{LLMs}\\x00 ")
    'Q&A with LLMs'
    >>> clean_text("Cafe\\u0301") == "Caf\\u00e9"
    True
    >>> clean_text(None)
    ''
    """
    if not text:
        return ""
    text = html.unescape(without_lone_surrogates(text))
    text = _CONTROL.sub("", text)
    text = latex_to_text(text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", _SPACE.sub(" ", text).strip())
