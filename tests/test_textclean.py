"""Text clean-up: HTML entities, LaTeX accents and markup, plain text that only looks like LaTeX."""

import pytest

from kg.textclean import clean_text, latex_to_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ('T\\"ulu 3', "Tülu 3"),
        ('T\\"ULU 3', "TÜLU 3"),
        ("\\textbf{X}", "X"),
        ("Evo\\textbf{Lved Sign Mom}entum", "EvoLved Sign Momentum"),
        ("Polyak-\\L ojasiewicz", "Polyak-Łojasiewicz"),
        ("[Aky\\\"urek et al., 2023]", "[Akyürek et al., 2023]"),
        ("efficient ({\\epsilon}, {\\delta})-approximation", "efficient (ϵ, δ)-approximation"),
        ("we introduce \\GitChameleon{}, a benchmark", "we introduce GitChameleon, a benchmark"),
        ("an accuracy of 34.0\\% on MATH500", "an accuracy of 34.0% on MATH500"),
        ("$k$-means with $\\alpha=0.5$", "k-means with α=0.5"),
        ("as shown~\\cite{smith2020} before", "as shown before"),
        ("code at \\url{https://github.com/a/b_c}", "code at https://github.com/a/b_c"),
        ("see \\href{https://x.org}{our site}", "see our site"),
        ("Task~Arithmetic and Fig.~3", "Task Arithmetic and Fig. 3"),
        ("an \\alpha only bound, \\ss x", "an α only bound, ßx"),
        # colours: the macros, and what a listing page left of \textcolor{teal}{...}
        ("we use \\textcolor{red}{LoRA} and {\\color{blue} GPT-4}", "we use LoRA and GPT-4"),
        ("five domains, including teal{Tool-use}, teal{Directed Acyclic Graph (DAG) QA}",
         "five domains, including Tool-use, Directed Acyclic Graph (DAG) QA"),
        ("a {red} flag and a blue{team}", "a red flag and a team"),
    ],
)
def test_latex_is_decoded(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    "plain",
    [
        "costs $5 and $20 per run",
        "improves by 50% over 10% baselines",
        "about ~3x faster (~18% fewer FLOPs)",
        "the snake_case name my_model_v2",
        "http://example.edu/~user/page",
        "a price of $1,000",
    ],
)
def test_plain_text_with_latex_specials_survives(plain):
    assert clean_text(plain) == plain


def test_special_characters_survive_next_to_real_latex():
    text = "\\emph{Fast}: 50% cheaper, $5 per GPU-hour, ~2x speed-up, my_model & co #1"
    assert clean_text(text) == "Fast: 50% cheaper, $5 per GPU-hour, ~2x speed-up, my_model & co #1"


def test_html_entities_whitespace_and_control_characters():
    assert clean_text("Q&amp;A  with\n\t&lt;1B &quot;tiny&quot; models\x00\x07\u200b") == 'Q&A with <1B "tiny" models'


def test_unicode_is_nfc():
    decomposed = "Cafe\u0301 Zu\u0308rich"
    assert clean_text(decomposed) == "Caf\u00e9 Z\u00fcrich"


def test_empty_and_none():
    assert clean_text(None) == ""
    assert clean_text("  \n ") == ""


def test_malformed_latex_falls_back_to_text():
    assert latex_to_text("an {unbalanced group") == "an unbalanced group"
    assert clean_text("ends with a backslash \\") == "ends with a backslash \\"


def test_backslashes_that_are_not_latex_survive():
    assert clean_text("files under C:\\Users\\data") == "files under C:\\Users\\data"


def test_any_text_gives_clean_single_spaced_nfc_output():
    import unicodedata

    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(list("ab \n\t\\{}$%~_&#^'\"`-éü\x00\u200b") + ["\\textbf{", "\\emph", "$x$", "\\alpha "])
    latexish = st.lists(pieces, max_size=40).map("".join)

    @settings(max_examples=100, deadline=None)
    @given(st.one_of(latexish, st.text()))
    def check(text):
        cleaned = clean_text(text)
        assert cleaned == cleaned.strip() and "  " not in cleaned
        assert not any(unicodedata.category(ch) == "Cc" for ch in cleaned)
        assert unicodedata.is_normalized("NFC", cleaned)

    check()
