"""The extraction pipeline: a blank English tokenizer and rule components; the
``accurate`` profile adds trained models after them.

Profiles
--------
fast
    sentences -> abbreviations -> lexicon -> names -> candidates -> roles -> relations,
    no statistical component: relations from the precise patterns of
    `extractors.relation_rules`
accurate
    the same, then the trained entity filter (`extractors.entity_filter`,
    ``kg train-filter``): its span classifier proposes the phrases the rules miss, and
    the filter keeps, drops or retypes each candidate and decides its role; then the
    relation classifier (``kg train-relations``) between the final entities (the
    ``kg_relations`` component defers to `extract`). A filter trained with
    ``--candidates rules+kg_ner`` also puts the statistical ``kg_ner`` tagger
    (``kg train``) before ``kg_candidates``.

When the statistical component cannot be loaded, ``accurate`` falls back to the rule
components with a warning, and the records say so in their ``extractor`` field.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractors.aggregate import FIELD_SEPARATOR, doc_to_extraction
from extractors.candidates import TITLE_CHARS
from extractors.chunk_cache import attach_chunk_cache, make_doc
from extractors.entity_filter import default_filter_path, load_filter
from extractors.offsets import release_spans
from extractors.records import PaperExtraction

__all__ = ["PROFILES", "EXTRACTOR_VERSION", "BATCH_SIZE", "load_pipeline", "paper_doc", "extract"]

log = logging.getLogger("kg.extract")

PROFILES = ("accurate", "fast")
# 0.2.0: span classifier in accurate, paper-level relation features; 0.3.0: accurate's relations
# between the final entities (after the span classifier and filter), fast's from patterns alone;
# 0.3.1: a Task keeps several appliedTo heads (retrained relation model); same entities;
# 0.3.2: accurate's filter judges the abstract's own phrases and makes variants of introduced names introduced
# 0.3.3: accurate's filter reads how candidate names nest in one another (extractors.nesting);
# 0.3.4: accurate's relation model reads where a pair's sentences stand in the abstract's story
EXTRACTOR_VERSION = "0.3.4"
_RULES = ("kg_sentences", "kg_abbreviations", "kg_lexicon", "kg_names")
_STATISTICAL = "kg_ner"
# an abstract is a few thousand characters; this bounds memory for pathological input
_MAX_LENGTH = 2_000_000
_TOKENIZER_CACHE = 100_000  # distinct chunks whose tokens spaCy keeps (its default: 10,000)
# papers per batch: each rule component runs over a batch before the next one starts, and longer
# runs of one component are faster (fast profile, passes interleaved, median ms an abstract at 64 /
# 256 papers: bundled corpus 1.12 / 1.05, corpus + train + dev 1.06 / 1.04, 512 no faster; the same
# records) for ~20 MB more at the peak
BATCH_SIZE = 256


def _register_components() -> None:
    """Import the rule components so their factories exist even without the entry points."""
    import extractors.abbreviations  # noqa: F401
    import extractors.candidates  # noqa: F401
    import extractors.lexicon  # noqa: F401
    import extractors.names  # noqa: F401
    import extractors.relations  # noqa: F401
    import extractors.roles  # noqa: F401
    import extractors.sentences  # noqa: F401


def _add_statistical(nlp: Language) -> bool:
    try:
        import extractors.statistical_ner  # noqa: F401  (registers the kg_ner factory)

        nlp.add_pipe(_STATISTICAL)
    except (ImportError, OSError, ValueError) as error:
        log.warning("accurate profile without the statistical component (%s); using rules only", error)
        return False
    return True


def _shipped_filter():
    """The entity filter shipped under ``extractors/models/``, or None without one."""
    path = default_filter_path()
    return load_filter(str(path)) if path.is_file() else None


def load_pipeline(profile: str = "accurate", *, entity_filter: bool = True) -> Language:
    """The spaCy pipeline of ``profile`` ("accurate" or "fast").

    ``entity_filter=False`` gives the accurate profile as its filter is trained on:
    the rules and the statistical tagger, unfiltered.

    Examples
    --------
    >>> load_pipeline("fast").pipe_names
    ['kg_sentences', 'kg_abbreviations', 'kg_lexicon', 'kg_names', 'kg_candidates', 'kg_roles', 'kg_relations']
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    _register_components()
    nlp = spacy.blank("en")
    nlp.max_length = _MAX_LENGTH
    # a full stop after a name that ends in a capital or digit ends the sentence ("... MusicRL-R.",
    # "... Qwen-7B."); spaCy's defaults keep it in the token, and the name is lost
    suffixes = [*nlp.Defaults.suffixes, r"(?<=[A-Z0-9])\.$"]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    # single-capital exceptions ("R.") would keep the stop in "MusicRL-R."; abstracts hardly use initials
    nlp.tokenizer.rules = {text: rule for text, rule in nlp.tokenizer.rules.items() if not (len(text) == 2 and text[0].isupper() and text[1] == ".")}
    for name in _RULES:
        nlp.add_pipe(name)
    shipped = _shipped_filter() if profile == "accurate" and entity_filter else None
    # a filter trained on the rules' candidates alone is the accurate profile without the tagger
    wants_tagger = profile == "accurate" and (shipped is None or shipped.candidates != "rules")
    statistical = wants_tagger and _add_statistical(nlp)
    nlp.add_pipe("kg_candidates", config={"extra_groups": [_STATISTICAL] if statistical else []})
    nlp.add_pipe("kg_roles")
    # fast: the precise patterns alone (no statistical component); accurate: the classifier, on the
    # final entities, after the span classifier and the filter (`extract`)
    nlp.add_pipe("kg_relations", config={"use_model": profile == "accurate", "after_entities": profile == "accurate"})
    # spaCy caches the tokens of at most 10,000 distinct whitespace-separated chunks; the
    # bundled corpus alone has ~14,000, and the components' lexicon forms filled the cache
    # before any text came, so most chunks went through the affix regexes on every paper
    # (0.42 against 0.18 ms per abstract). Extraction starts with an empty cache of
    # `_TOKENIZER_CACHE` chunks (~25 MB when full). Same rules, same tokens.
    nlp.tokenizer.rules = nlp.tokenizer.rules
    nlp.tokenizer.max_cache_size = _TOKENIZER_CACHE
    # and the chunks after a special case ("e.g.") are cached too (`extractors.chunk_cache`)
    attach_chunk_cache(nlp)
    complete = profile == "fast" or statistical or not wants_tagger
    nlp.meta["name"] = f"kg-extractors/{profile if complete else 'accurate-rules-only'}"
    nlp.meta["version"] = EXTRACTOR_VERSION
    if shipped is not None and complete:
        nlp.meta["kg_entity_filter"] = str(default_filter_path())
    # spaCy, the lexicon and the models leave ~90,000 long-lived objects, and every full
    # collection of Python's cycle collector walked them all (~0.1 s, about three times in
    # ten passes over the bundled corpus: 6 % of extraction). They live as long as the
    # process: out of the collector's view, a full collection costs ~1 ms. Garbage is collected
    # first, so none is frozen (each later load only walks what came since the last).
    gc.collect()
    gc.freeze()
    return nlp


def _clean(text: str) -> str:
    """Control characters become spaces (offsets stay valid: one character for one); line
    breaks and tabs are kept."""
    if text.isprintable() or text.replace("\n", " ").replace("\t", " ").isprintable():
        return text  # most text, and text whose only other characters are line breaks and tabs
    return "".join(c if c.isprintable() or c in "\n\t" else " " for c in text)


def paper_doc(nlp: Language, paper_id: str, title: str, abstract: str) -> Doc:
    """The unprocessed Doc of one paper: title, `FIELD_SEPARATOR`, abstract."""
    # titles are one line: a newline inside would end the title sentence early
    title_line = _clean(title).replace("\n", " ")
    text = title_line + FIELD_SEPARATOR + _clean(abstract)
    doc = make_doc(nlp, text)
    doc.user_data["kg_text"] = text
    doc.user_data[TITLE_CHARS] = len(title_line)
    doc.user_data["kg_paper"] = (paper_id, title)
    return doc


def extract(nlp: Language, items: Iterable[tuple[str, str, str]], *, batch_size: int = BATCH_SIZE) -> Iterator[PaperExtraction]:
    """One `PaperExtraction` per ``(paper_id, title, abstract)``, in input order.

    Offsets in the records index the strings as given.

    Examples
    --------
    >>> nlp = load_pipeline("fast")
    >>> [record] = extract(nlp, [("p1", "DNO: preference tuning", "We propose Direct Nash Optimization (DNO).")])
    >>> [(e.name, e.type, e.role, e.aliases) for e in record.entities]
    [('Direct Nash Optimization', 'Method', 'introduced', ('DNO',)), ('preference tuning', 'Method', 'used', ())]
    """
    name, version = nlp.meta["name"], nlp.meta["version"]
    entity_filter = load_filter(nlp.meta["kg_entity_filter"]) if nlp.meta.get("kg_entity_filter") else None
    relations = nlp.get_pipe("kg_relations") if "kg_relations" in nlp.pipe_names else None
    relate_after = relations is not None and relations.deferred

    docs = nlp.pipe((paper_doc(nlp, paper_id, title, abstract) for paper_id, title, abstract in items), batch_size=batch_size)
    while True:
        # Python's cycle collector is off while extraction works, as the caller set it between
        # records. Extraction makes no cyclic garbage (its Docs are freed by reference counting:
        # `release_spans`), yet it allocates so many objects that the collector ran a young
        # collection every 700 of them, several per abstract, each walking what the batch's Docs
        # hold: ~4 % of the ``fast`` profile's time. (Plain calls: a context manager's objects
        # would be new objects before the collector is off. The switch is process-wide: another
        # thread's cyclic garbage waits for the collector's next run after this record.)
        collecting = gc.isenabled()
        gc.disable()
        try:
            doc = next(docs, None)
            if doc is None:
                return
            paper_id, title = doc.user_data["kg_paper"]
            record = doc_to_extraction(doc, paper_id=paper_id, title=title, extractor=name, version=version)
            if entity_filter is not None:
                # the abstract exactly as given: the Doc's text after the title and separator
                record = entity_filter.apply(record, doc.user_data["kg_text"][doc.user_data[TITLE_CHARS] + len(FIELD_SEPARATOR) :])
            if relate_after:
                record = relations.relate(doc, record)
            release_spans(doc)  # the components are done with it: freed by reference counting
        finally:
            if collecting:
                gc.enable()
        yield record
