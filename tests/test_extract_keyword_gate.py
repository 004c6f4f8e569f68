"""The keyword gates never turn away a window that their trigger regex matches."""

import random

import pytest

from extractors.keyword_gate import KeywordGate
from extractors.pair_rules import _ANY_TRIGGER, ANY_TRIGGER_GATE
from extractors.paper_rules import _BASING, _BEATING, BASING_GATE, BEATING_GATE

_PHRASES = [
    "outperforms", "outperformed by", "is outperformed by", "surpasses", "beats", "beating", "is better than",
    "are superior to", "improves over", "improving upon", "gains over", "advantage over", "exceeds", "based on",
    "built upon", "builds on", "on top of", "extends", "extending", "an extension of", "a variant of", "fine-tuned from",
    "finetuned on top of", "initialised with", "initialized from", "derived from", "distilled from", "inspired by",
    "leverages", "integrating", "combines", "incorporates", "employs", "is evaluated on", "tested on", "benchmarked on",
    "validated on", "assessed on", "achieves 81.2% on", "achieved 3.5 points on", "designed for", "applied to",
    "addresses", "tackling", "solves", "for", "to",
]
_FILLERS = ["a", "the", "model", "X", ",", ".", ";", "-", "(", ")", "3.5", "on", "by", "over", "out", "perform", "bas", "ed"]


def _windows(seed: int, count: int):
    rng = random.Random(seed)
    for _ in range(count):
        words = [rng.choice(_PHRASES if rng.random() < 0.3 else _FILLERS) for _ in range(rng.randint(0, 8))]
        text = rng.choice((" ", "", "-")).join(words)
        # any case: the regexes ignore it
        yield "".join(c.upper() if rng.random() < 0.3 else c for c in text)


@pytest.mark.parametrize("regex, gate", [(_ANY_TRIGGER, ANY_TRIGGER_GATE), (_BEATING, BEATING_GATE), (_BASING, BASING_GATE)])
def test_a_gate_turns_away_only_windows_the_regex_does_not_match(regex, gate):
    matched = 0
    for window in _windows(7, 20_000):
        if regex.search(window) is not None:
            matched += 1
            assert gate.may_match(window), window
    assert matched > 1_000  # the windows do exercise the triggers
    assert not gate.may_match(" , a strong baseline and ")


def test_a_window_beyond_ascii_is_left_to_the_regex():
    # the case-blind regex matches the long s to "s"; lower-casing does not
    assert _BEATING.search("ſurpasses") is not None
    assert BEATING_GATE.may_match("ſurpasses")


def test_gate_words_are_lower_case_ascii():
    with pytest.raises(ValueError):
        KeywordGate(("Outperform",))


def test_the_roles_gate_turns_away_only_windows_their_regexes_do_not_match():
    from extractors.roles import _NAMED_BEFORE, _OWNED_OR_NAMED_GATE, _OWNER_BEFORE

    phrases = ["our", "Our", "our proposed", "Our new", "our own", "called", "named", "dubbed", "termed", "coined", "namely",
               "a new", "A novel", "we call", "We name", "we term", "We dub", "we coin", "we refer to", "as", ","]
    fillers = ["the", "method", "X", "approach", "ours", "four", "a", "renamed", "-", ".", ";", "  ", "model", "neural"]
    rng = random.Random(5)
    matched = 0
    for _ in range(20_000):
        words = [rng.choice(phrases if rng.random() < 0.4 else fillers) for _ in range(rng.randint(0, 10))]
        window = " ".join(words) + rng.choice((" ", "  ", "", "\n"))
        if _OWNER_BEFORE.search(window) or _NAMED_BEFORE.search(window):
            matched += 1
            assert _OWNED_OR_NAMED_GATE.may_match(window), window
    assert matched > 1_000
    assert not _OWNED_OR_NAMED_GATE.may_match("results of the retrieval model, and ")


def test_a_gate_says_whether_a_window_holds_one_of_its_words():
    gate = KeywordGate(("based on", "for", "a.b", "x|y"))
    rng = random.Random(3)
    pieces = ["based", " ", "on", "fo", "r", "a.b", "axb", "x|y", "x", "|", "y", "B", "FOR"]
    for _ in range(5_000):
        window = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert gate.may_match(window) == any(word in window.lower() for word in gate.words), window


def test_may_trigger_is_the_case_blind_search_of_the_window():
    from extractors.pair_rules import may_trigger

    for k, window in enumerate(_windows(8, 20_000)):
        text = ("Xé-", "ab ", "", "(")[k % 4] + window + " tail"
        start = (0, 1, 2, 3)[k % 4] if k % 8 < 4 else len(text) - len(window) - 5
        end = len(text) - (k % 3)
        assert may_trigger(text, start, end) == (_ANY_TRIGGER.search(text, start, end) is not None), (text, start, end)
