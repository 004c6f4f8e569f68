"""Hand-written scans that replace slow regexes find exactly what those regexes find.

Each scan reads a window right to left or word by word where the regex retried every
start character; the regexes stay here as the specification, checked on seeded random
strings built from the characters each one cares about.
"""

import random
import re

import pytest

from extractors.abbreviations import _last_words_start
from extractors.entity_typing import _WORD as _WORD_OF_TYPING
from extractors.head_phrases import modifier_words
from extractors.names import _SHAPE_HINT, _WORD, hinted_words
from extractors.rule_words import WORD_CHARS

_PIECES = ["a", "ab", "x1", "1x", "-", "--", " ", "  ", ".", "/", "@", "_", "A", "é", "\n", "\t", "\u00a0",
           "e.g.", "multi-hop", "3d", "q", "(", "z-"]


def _random_texts(seed: int, count: int):
    rng = random.Random(seed)
    for k in range(count):
        if k % 2:  # any pieces
            text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 14)))
        else:  # mostly words and single spaces: lists of several words
            text = "".join(rng.choice(_PIECES[:4] + [" "] * 4 + _PIECES[4:]) for _ in range(rng.randint(0, 24)))
        end = rng.randint(0, len(text))
        yield text, rng.choice((0, rng.randint(0, end))), end


def test_modifier_words_is_the_regex_it_replaces():
    regex = re.compile(r"(?<![\w\-./@])((?:[a-z][a-z0-9]*(?:-[a-z0-9]+)*[ ]){1,3})$")
    written = [("we study molecule property prediction", 0, 27), ("xa b c d ", 0, 9), ("e.g. b c ", 0, 9), ("a b \n", 0, 5)]
    for text, start, end in [*written, *_random_texts(0, 20_000)]:
        match = regex.search(text, start, end)
        assert modifier_words(text, start, end) == (match.span(1) if match else None), (text, start, end)


def test_last_words_start_is_the_regex_it_replaces():
    for text, _, _ in _random_texts(1, 5_000):
        for count in (4, 5, 7):
            match = re.search(r"(?:\S+\s+){0,%d}\S+\s*$" % (count - 1), text)
            assert _last_words_start(text, count) == (match.start() if match else None), (text, count)


def _hinted_words_by_every_hint(text):
    """The loop `hinted_words` replaces: every hint, its word found by walking left."""
    found, seen = [], set()
    for hint in _SHAPE_HINT.finditer(text):
        left = hint.start()
        while left > 0 and text[left - 1] in WORD_CHARS:
            left -= 1
        match = _WORD.match(text, left)
        if match is None or match.end() <= hint.start() or left in seen:
            continue
        seen.add(left)
        found.append(match.span())
    return found


def test_hinted_words_is_the_loop_it_replaces():
    pieces = ["a", "B", "Ab", "x1", "1x", "7", "-", "--", " ", ".", "/", "+", "@", ":", "_", "é", "É", "(", ")", ",", "\n",
              "LoRA", "GPT-4o", "e.g.", "v2", "3B", "The", "Large ", "A1", "1A", "\u0130", "\u212a", "\ufb01", "\u00df"]
    rng = random.Random(2)
    texts = ["We tune LLaMA-2 and GPT-4o, not Adam or (x2y).", "aB" * 50, "", "A", "1", "-1", "a-1"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(20_000)]
    for text in texts:
        assert [m.span() for m in hinted_words(text)] == _hinted_words_by_every_hint(text), text


def test_list_separator_precheck_never_hides_a_list_item():
    from extractors.candidates import _LIST_PREVIOUS, _may_end_with_separator

    pieces = ["A", "Bc", "x", " ", "  ", ",", ", ", "and", "or", " and ", " or ", "band", "\n", "\u00a0", "-", ".", "Dd+"]
    rng = random.Random(3)
    items = 0
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        position = rng.randint(0, len(text))
        if _LIST_PREVIOUS.search(text, max(0, position - 80), position) is not None:
            items += 1
            assert _may_end_with_separator(text, position), (text, position)
    assert items > 500  # the random texts hold enough lists to test (801 with this seed)


def test_other_occurrences_found_in_the_text_as_on_the_token_array(monkeypatch):
    import extractors.candidates as candidates
    from extractors.pipeline import load_pipeline, paper_doc
    from kg.corpus import read_corpus

    nlp = load_pipeline("fast")
    rules = [name for name in nlp.pipe_names if name in ("kg_sentences", "kg_abbreviations", "kg_lexicon", "kg_names", "kg_candidates")]

    def entities(few_names: int):
        monkeypatch.setattr(candidates, "_FEW_NAMES", few_names)
        found = []
        for paper in read_corpus().papers[:80]:
            doc = paper_doc(nlp, paper.id, paper.title, paper.abstract)
            for name in rules:
                doc = nlp.get_pipe(name)(doc)
            found.append([(s.start, s.end, s.label_) for s in doc.spans[candidates.ENTITY_SPANS]])
        return found

    by_find = entities(16)
    assert by_find == entities(0)  # 0: every paper takes the token-array pass
    assert sum(map(len, by_find)) > 1_000


def test_sentence_boundary_regex_is_the_one_it_replaces():
    from extractors.sentences import _BOUNDARY

    regex = re.compile(r"[.!?]+[\"')\]]*\s+(?=[^\sa-z])|\n\s*")
    pieces = [".", "!", "?", "..", "\n", " ", "  ", "\t", "\r", "a", "A", "'", '"', ")", "]", "(", "1", "\u00a0", "e.g."]
    rng = random.Random(4)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        assert [m.span() for m in _BOUNDARY.finditer(text)] == [m.span() for m in regex.finditer(text)], text


def test_naming_verb_precheck_never_hides_a_name():
    from extractors.names import _NAMING_VERB, may_name

    pieces = ["called", "CALLED", "Named", "nAmEd", "dubbed", "termed", "coined", "co\u0130ned", "co\u0131ned", "coIned",
              "nam", "ed", " ", "\t", "X", "y", ",", "un", "K", "\u212a"]
    rng = random.Random(5)
    names = 0
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        if _NAMING_VERB.search(text) is not None:
            names += 1
            assert may_name(text), text
    assert names > 1_000


def test_title_connective_regex_is_the_one_it_replaces():
    from extractors.titles import _CONNECTIVE

    regex = re.compile(r"\s+(via|through|with|using|by|for|and|in|on|from|to|towards|without|beyond|under|as|at)\s+|\s*[:,;?!()]\s*|\s+[-–—]+\s+")
    pieces = ["Via", "via", "for", "and", " ", "  ", ":", ",", "(", ")", "?", "-", "–", "—", "X", "Learning", "\t", "\u00a0"]
    rng = random.Random(6)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        assert [m.span(0) + m.span(1) for m in _CONNECTIVE.finditer(text)] == [m.span(0) + m.span(1) for m in regex.finditer(text)], text


def test_clause_end_regex_is_the_one_it_replaces():
    from extractors.abbreviations import _CLAUSE_END

    regex = re.compile(r"[.!?;:]\s|\n")
    pieces = [".", "!", "?", ";", ":", "\n", " ", "\t", "\r", "a", "B", "\u00a0", ". ", ":\n"]
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert _CLAUSE_END.split(text) == regex.split(text), text


def test_span_lists_follow_their_group_when_it_is_replaced_or_grows():
    import spacy
    from spacy.tokens import Span

    from extractors.offsets import set_spans, spans_of

    doc = spacy.blank("en")("We use BERT and GPT-4 on SQuAD.")
    set_spans(doc, "names", [Span(doc, 2, 3, "Model")])
    assert [(s.text, s.label_) for s in spans_of(doc, "names")] == [("BERT", "Model")]
    doc.spans["names"] = [Span(doc, 4, 5, "Model")]  # replaced without set_spans (the training code does)
    assert [s.text for s in spans_of(doc, "names")] == ["GPT-4"]
    doc.spans["names"].append(Span(doc, 6, 7, "Dataset"))
    assert [(s.text, s.label_) for s in spans_of(doc, "names")] == [("GPT-4", "Model"), ("SQuAD", "Dataset")]
    assert spans_of(doc, "none") == []


def test_extracted_docs_hold_no_reference_cycle():
    """The Span lists that components share end with the records: Docs go with their last
    reference, not at the cycle collector's next pass."""
    import gc

    from spacy.tokens import Doc

    from extractors.pipeline import extract, load_pipeline

    nlp = load_pipeline("fast")
    items = [(f"p{k}", "DNO: preference tuning", "We propose Direct Nash Optimization (DNO). It beats GPT-4 on MT-Bench.") for k in range(3)]
    gc.disable()
    try:
        before = sum(isinstance(o, Doc) for o in gc.get_objects())
        records = list(extract(nlp, items))
        after = sum(isinstance(o, Doc) for o in gc.get_objects())
    finally:
        gc.enable()
    assert len(records) == 3 and records[0].entities
    assert after == before


def test_extraction_runs_without_the_cycle_collector_and_makes_no_cyclic_garbage():
    """`extract` pauses the cycle collector while it works (it makes no cyclic garbage,
    checked here) and hands each record back with the collector as the caller set it."""
    import gc

    from extractors.pipeline import extract, load_pipeline

    nlp = load_pipeline("fast")
    abstract = "We propose Direct Nash Optimization (DNO). It beats GPT-4 and LLaMA-2-7B on MT-Bench, e.g. by 3 points."
    items = [(f"p{k}", f"DNO-{k}: preference tuning", abstract) for k in range(40)]
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds unreachable stays in gc.garbage
    gc.callbacks.append(count)
    threshold = gc.get_threshold()
    gc.set_threshold(1)  # a collection at every new object, unless the collector is off
    try:
        # (enabled, collections so far) as each record comes: the collections of the generator's
        # set-up (reading the pipeline's meta) come before the first record, none after it
        seen = [(gc.isenabled(), len(collections)) for _ in extract(nlp, items)]
        assert seen == [(True, seen[0][1])] * len(items)
        gc.disable()
        assert [gc.isenabled() for _ in extract(nlp, items[:3])] == [False] * 3
        gc.collect()
        assert gc.garbage == []
    finally:
        gc.set_threshold(*threshold)
        gc.callbacks.remove(count)
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_whole_words_are_the_leading_boundary_regexes_they_replace():
    from extractors.roles import _AUTHORS, _CLAIM_WORDS, _CLAUSE_STOP, _LONGEST_VERB, _VERB, _VERB_REACH, authors_verbs, whole_words

    authors = re.compile(r"\b(?:[Ww]e|[Tt]his (?:paper|work|study|article|report)|[Ii]n this (?:paper|work))\b")
    claim = re.compile(r"\b(?:[Oo]ur|called|named|dubbed|termed|novel|new)\b")

    def regex_authors_verbs(text):  # authors_verbs before whole_words
        found, position = [], 0
        while (subject := authors.search(text, position)) is not None:
            reach = subject.end() + _VERB_REACH
            stop = _CLAUSE_STOP.search(text, subject.end(), reach)
            last_start = stop.start() if stop is not None else reach
            verb = _VERB.search(text, subject.end(), last_start + _LONGEST_VERB + 1)
            if verb is not None and verb.start() <= last_start:
                found.append((subject.start(), verb.end()))
                position = verb.end()
            else:
                position = subject.start() + 1
        return found

    pieces = ["we", "We", "owe", "our", "Our", "four", "new", "renew", "this paper", "This work", "In this paper",
              "in this work", "this papers", "called", "_new", "é", "ünew", "named", "propose", "present", "build",
              " ", " ", ", ", ".", ";", "x", "1", "\n"]
    rng = random.Random(3)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        # every place the regex matches at (an occurrence may hold another: "In this paper")
        assert whole_words(text, _AUTHORS) == [m.span() for at in range(len(text)) if (m := authors.match(text, at))], text
        assert whole_words(text, _CLAIM_WORDS) == [m.span() for m in claim.finditer(text)], text
        assert authors_verbs(text) == regex_authors_verbs(text), text


def test_authors_verbs_is_the_regex_it_replaces():
    from extractors.roles import _AUTHORS, _VERBS, _author_subjects, authors_verbs, whole_words

    regex = re.compile(r"\b(?:[Ww]e|[Tt]his (?:paper|work|study|article|report)|[Ii]n this (?:paper|work))\b[^.;:]{0,100}?\b(?:" + _VERBS + r")\b")
    pieces = ["In", "in", "this", "This", "paper", "work", "study", "article", "report", "we", "We", "_", "x", " ", "  ", ",",
              ".", ";", "propose", "proposes", "presented", "design", "redesign", "designs", "é", "In this paper", "weigh", "1"]
    rng = random.Random(5)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", " "]) for _ in range(rng.randint(0, 30)))
        assert _author_subjects(text) == whole_words(text, _AUTHORS), text
        # the regex finds non-overlapping matches left to right, as `authors_verbs` does
        assert authors_verbs(text) == [m.span() for m in regex.finditer(text)], text


def _cue_before_by_every_word(text, start):
    """The walk `extractors.entity_typing._cue_before` makes, without its early answer."""
    from extractors.entity_typing import _EVALUATION_STEMS, _NAMING, _SENTENCE_ENDS, _TRAINING_STEMS, _words
    from extractors.names import CUE_TYPES

    words = _words(text[max(0, start - 90) : start])[-10:]
    after_on = False
    for k, word in enumerate(reversed(words)):
        lower = word.lower()
        if word in _SENTENCE_ENDS or word in {";", ":"}:
            return None
        cue = CUE_TYPES.get(lower)
        if cue in ("Benchmark", "Dataset") and k < 6:
            return cue
        if cue == "Model" and k < 3 and all(w.lower() in _NAMING for w in reversed(words[len(words) - k :])):
            return cue
        if lower in {"on", "across"}:
            after_on = True
        elif after_on and lower.startswith(_EVALUATION_STEMS):
            return "Benchmark"
        elif after_on and lower.startswith(_TRAINING_STEMS):
            return "Dataset"
    return None


def test_typing_context_answers_as_the_full_walk():
    from extractors.entity_typing import _cue_before, _cue_in_apposition, _first_words

    pieces = ["evaluated", "trained", "on", "across", "ON", "the", "Dataset", "benchmarks", "model", "called", "a", "an",
              "new", "which", "is", "as", ",", "(", ":", ";", ".", " ", "X", "data", "task", "framework", "results",
              "Évaluated", "\u0130n", "BENCHMARK"]
    rng = random.Random(9)
    for _ in range(20_000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        point = rng.randint(0, len(text))
        assert _cue_before(text, point) == _cue_before_by_every_word(text, point), (text, point)
        # the apposition's first word decides as the first of its eight words did
        words = list(_first_words(text, point, point + 100, 8))
        first = _WORD_OF_TYPING.search(text, point, point + 120)
        if first is not None and (len(words) < 3 or words[0].lower() not in {",", "(", ":", "is", "as"}):
            assert _cue_in_apposition(text, point, first) is None, (text, point)


def _cue_word_by_windows(text, end):
    """The apposition's and the following words' cues, each read from its own window."""
    from extractors.entity_typing import _APPOSITION_OPENERS, _BREAKS, _LEFT_LIST, _SENTENCE_ENDS, _first_words
    from extractors.names import CUE_TYPES

    words = list(_first_words(text, end, end + 100, 8))
    if len(words) >= 3 and words[0].lower() in _APPOSITION_OPENERS and words[1].lower() in {"a", "an", "the", "which", "our"}:
        head = None
        for word in words[2:8]:
            lower = word.lower()
            if word in _SENTENCE_ENDS or word in {",", "(", ")"} or lower in _BREAKS:
                break
            head = CUE_TYPES.get(lower, head)
        if head is not None:
            return head
    for word in _first_words(text, end, end + 120, 12):
        cue = CUE_TYPES.get(word.lower())
        if cue is not None:
            return cue
        if word in _SENTENCE_ENDS or not (word.lower() in _LEFT_LIST or word[:1].isupper() or any(c.isdigit() for c in word)):
            return None
    return None


def test_the_words_after_a_name_read_once_answer_as_their_windows():
    """The first word after a name, found once in the 120 characters after it, serves the
    apposition (100 characters) and the cue after the name as each window's own search did."""
    from extractors.entity_typing import _cue_after, _cue_in_apposition

    pieces = [",", "(", ":", "is", "as", "a", "the", "which", "new", "benchmark", "dataset", "model", "X", "Y2", "and",
              ".", " ", "  ", "of", "x" * 30, "Long" * 9, "3.5", "v1.2", "data"]
    rng = random.Random(11)
    for _ in range(20_000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        end = rng.randint(0, len(text))
        first = _WORD_OF_TYPING.search(text, end, end + 120)
        found = None if first is None else _cue_in_apposition(text, end, first) or _cue_after(text, end, first)
        assert found == _cue_word_by_windows(text, end), (text, end)


def test_clean_is_the_per_character_rule():
    """Text whose only non-printable characters are line breaks and tabs comes back as it is."""
    from extractors.pipeline import _clean

    rng = random.Random(12)
    pieces = ["a", " ", "\n", "\t", "\x00", "\x07", "\u2028", "é", "\x85", "\r", "\ufeff"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert _clean(text) == "".join(c if c.isprintable() or c in "\n\t" else " " for c in text), repr(text)


def test_own_subject_lookahead_finds_what_the_bare_regex_finds():
    from extractors.relation_patterns import OWN_SUBJECT

    bare = re.compile(OWN_SUBJECT.pattern.removeprefix("(?=[OoWwIiTt])"))
    assert bare.pattern != OWN_SUBJECT.pattern
    pieces = ["our", "Our", "we", "We", "it", "It", "its", "the proposed", "The proposed", "model", "models", "new",
              "-", " ", "x", "owe", "twit", "framework", "dataset", ",", "Ü"]
    rng = random.Random(13)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) + rng.choice(("", " ", " ")) for _ in range(rng.randint(0, 9)))
        assert [m.span() for m in OWN_SUBJECT.finditer(text)] == [m.span() for m in bare.finditer(text)], text


def test_aligned_span_is_char_span_strict():
    import spacy

    from extractors.offsets import aligned_span

    nlp = spacy.blank("en")
    rng = random.Random(14)
    pieces = ["a", "bc", "LLaMA-2", " ", "  ", "\n", "e.g.", "(x)", "don't", "-", ".", "é", "\t"]
    for _ in range(1_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        doc = nlp(text)
        for _ in range(10):
            start, end = rng.randint(-2, len(text) + 2), rng.randint(-2, len(text) + 2)
            try:
                expected = doc.char_span(start, end, label="L")
            except IndexError:
                with pytest.raises(IndexError):
                    aligned_span(doc, start, end, "L")
                continue
            found = aligned_span(doc, start, end, "L")
            assert (found is None) == (expected is None), (text, start, end)
            assert found is None or (found.start, found.end, found.label_) == (expected.start, expected.end, "L"), (text, start, end)
