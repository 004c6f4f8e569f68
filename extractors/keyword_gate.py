"""A cheap test that a case-blind trigger regex cannot match in a window of text.

The relation rules search short windows (the words between two mentions, the 240
characters before a tail) with case-blind regexes of many alternatives that open with a
lookbehind: the regex engine tries every alternative at every character, and most windows
hold no trigger. Each alternative holds one of a few words ("outperform", "based on"...);
a window whose lower-case text holds none of them cannot match, and a few substring tests
say so at C speed.

Only a window of ASCII characters is decided here: a case-blind regex also matches some
other characters to ASCII letters ("ſ" to "s", the Kelvin sign to "k"), which lower-casing
leaves apart.
"""

from __future__ import annotations

import re

__all__ = ["KeywordGate"]


class KeywordGate:
    """``may_match(window)`` is False only where a regex whose every match holds one of
    ``words`` (lower case) cannot match in ``window``.

    Examples
    --------
    >>> gate = KeywordGate(("outperform", "better than"))
    >>> gate.may_match(" clearly Outperforms "), gate.may_match(", a strong baseline, and "), gate.may_match("ſ")
    (True, False, True)
    """

    def __init__(self, words: tuple[str, ...]):
        if any(word != word.lower() or not word.isascii() for word in words):
            raise ValueError("the words must be ASCII and lower case")
        self.words = words
        # one search for all the words: the same answer as a substring test of each, in half the time
        self._any_word = re.compile("|".join(re.escape(word) for word in words))

    def may_match(self, window: str) -> bool:
        if not window.isascii():
            return True  # undecided: only ASCII text is lower-cased as the regex folds case
        return self.holds_word(window.lower())

    def holds_word(self, lower: str, start: int = 0) -> bool:
        """Whether ``lower[start:]``, lower-case text, holds one of the words."""
        return self._any_word.search(lower, start) is not None
