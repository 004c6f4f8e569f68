"""The chunk cache changes when the tokenizer splits a chunk, never the tokens it gives."""

import random

import spacy

from extractors.chunk_cache import ChunkCache, attach_chunk_cache, make_doc
from extractors.pipeline import load_pipeline, paper_doc

_PIECES = ["model", "models'", "(e.g.,", "i.e.,", "cannot", "don't", "LoRA-2", "x.", "(GSM8K)", "tasks;", "\n",
           "U.S.", "vs.", "3.5%", "it's", "C++", ":)", "a", "Qwen2.5-7B-Instruct,"]


def _tokens(doc):
    return [(token.text, token.idx, token.whitespace_) for token in doc]


def test_a_filled_tokenizer_gives_the_tokens_of_a_plain_one():
    filled = spacy.blank("en")
    attach_chunk_cache(filled)
    plain = spacy.blank("en")
    rng = random.Random(3)
    for _ in range(300):
        text = " ".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 30)))
        # twice: the second time the chunks come from the cache
        assert _tokens(make_doc(filled, text)) == _tokens(plain.make_doc(text)) == _tokens(make_doc(filled, text))


def test_the_pipeline_fills_its_cache_and_keeps_its_tokens():
    nlp = load_pipeline("fast")
    plain = load_pipeline("fast")
    title, abstract = "A title", "We adapt models (e.g., LoRA-style adapters) to code. It's cheap, i.e., fast."
    first = paper_doc(nlp, "p", title, abstract)
    assert _tokens(first) == _tokens(plain.make_doc(title + "\n\n" + abstract)) == _tokens(paper_doc(nlp, "p", title, abstract))


def test_fill_hands_over_the_chunks_after_the_first_trigger_once_and_special_cases_last():
    cache = ChunkCache(spacy.blank("en").tokenizer)
    assert cache.fill("No special case here.") == []
    assert cache.fill("Plain words, then models' weights and more.") == ["and", "more.", "weights", "models'"]
    assert cache.fill("Other words, then models' weights and less.") == ["less."]


def test_fill_stops_at_the_tokenizer_cache_size():
    tokenizer = spacy.blank("en").tokenizer
    tokenizer.max_cache_size = 3
    cache = ChunkCache(tokenizer)
    assert len(cache.fill("It's one two three four.")) == 5
    assert cache.fill("It's five six.") == []
