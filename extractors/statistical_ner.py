"""`kg_ner`: the statistical entity tagger trained by this project (`kg train`).

A spaCy component that writes candidate entity spans labelled Method, Model, Dataset,
Benchmark, Task or Metric into ``doc.spans["kg_ner"]``, with a probability for each in
``doc.spans["kg_ner"].attrs["scores"]`` (a list parallel to the spans, as spaCy's spancat
does). It leaves ``doc.ents`` as it found them, so rule components can own those.

The weights are a small transition-based NER model (own narrow tok2vec) shipped in
``extractors/models/kg_ner/`` and loaded from the package directory, never from a hub.
Scores come from a small beam: the probability mass of the beam's parses that contain
the span with that label. With ``beam_width=1`` decoding is greedy and every span scores
1.0 (fastest; no calibrated confidence).

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("kg_ner")
>>> doc = nlp("We fine-tune LLaMA-2-7B with LoRA and report accuracy on GSM8K.")
>>> group = doc.spans["kg_ner"]
>>> len(group) == len(group.attrs["scores"])
True
>>> all(0.0 <= s <= 1.0 for s in group.attrs["scores"])
True
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Iterable, Iterator

import spacy
from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import minibatch

from extractors.records import ENTITY_TYPES

__all__ = ["SPANS_KEY", "default_model_dir", "StatisticalNER", "make_kg_ner"]

SPANS_KEY = "kg_ner"
_ENT_ATTRS = [ENT_IOB, ENT_TYPE, ENT_KB_ID]


def default_model_dir() -> Path:
    """The model shipped with the package (``extractors/models/kg_ner``)."""
    return Path(str(files("extractors") / "models" / "kg_ner"))


class StatisticalNER:
    """Runs the trained tagger and stores its spans and scores in ``doc.spans``."""

    def __init__(self, vocab, *, model_dir: Path, spans_key: str, beam_width: int, threshold: float):
        if not (model_dir / "meta.json").is_file():
            raise FileNotFoundError(f"no kg_ner model in {model_dir}; rebuild it with `kg train`")
        inner = spacy.load(model_dir)
        if not inner.pipe_names or inner.pipe_names[-1] != "ner":
            raise ValueError(f"{model_dir} must end with a 'ner' pipe, not {inner.pipe_names}")
        self.ner = inner.get_pipe("ner")
        # Pipes before the tagger (a shared tok2vec, when the config has one) run first.
        self.upstream = [inner.get_pipe(name) for name in inner.pipe_names[:-1]]
        unknown = set(self.ner.labels) - set(ENTITY_TYPES)
        if unknown:
            raise ValueError(f"{model_dir}: labels {sorted(unknown)} are not entity types of kg")
        for label in self.ner.labels:
            vocab.strings.add(label)  # span labels must resolve in the caller's vocab
        self.ner.cfg["beam_width"] = max(1, int(beam_width))
        self.ner.cfg["beam_density"] = 0.0
        self.spans_key = spans_key
        self.threshold = threshold
        self.labels = tuple(self.ner.labels)

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 64) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size):
            self._annotate(batch)
            yield from batch

    def _annotate(self, docs: list[Doc]) -> None:
        # The inner model writes doc.ents and treats entities already there as fixed;
        # hide the caller's entity annotation from it and put it back afterwards.
        saved = [doc.to_array(_ENT_ATTRS) if doc.has_annotation("ENT_IOB") else None for doc in docs]
        for doc, before in zip(docs, saved):
            if before is not None:
                doc.set_ents([], default="missing")
        tensors = [doc.tensor for doc in docs]  # an upstream tok2vec overwrites them
        for pipe in self.upstream:
            pipe.set_annotations(docs, pipe.predict(docs))
        beams = self.ner.predict(docs)
        self.ner.set_annotations(docs, beams)
        if self.ner.cfg["beam_width"] > 1 and any(len(doc) for doc in docs):
            scored = self.ner.scored_ents(beams)
        else:
            scored = [{(e.start, e.end, e.label_): 1.0 for e in doc.ents} for doc in docs]
        for doc, spans_scores, before, tensor in zip(docs, scored, saved, tensors):
            chosen = sorted(
                (start, end, label, min(1.0, float(score)))
                for (start, end, label), score in spans_scores.items()
                if score >= self.threshold
            )
            spans = [Span(doc, start, end, label=label) for start, end, label, _ in chosen]
            doc.spans[self.spans_key] = SpanGroup(
                doc, name=self.spans_key, spans=spans, attrs={"scores": [score for *_, score in chosen]}
            )
            doc.tensor = tensor
            if before is None:
                doc.set_ents([], default="missing")
            else:
                doc.from_array(_ENT_ATTRS, before)


@Language.factory(
    "kg_ner",
    default_config={"model_dir": None, "spans_key": SPANS_KEY, "beam_width": 4, "threshold": 0.5},
)
def make_kg_ner(
    nlp: Language, name: str, model_dir: str | None, spans_key: str, beam_width: int, threshold: float
) -> StatisticalNER:
    """Factory of the `kg_ner` component (registered through the spacy_factories entry point).

    Parameters
    ----------
    model_dir
        A model written by `kg train`; None means the one shipped with the package.
    spans_key
        Key of ``doc.spans`` the candidates go to.
    beam_width
        Beam size used to score spans; 1 decodes greedily (all scores 1.0).
    threshold
        Spans whose probability is below this are left out (at 0.5 or more no two kept
        spans overlap, since overlapping spans are alternatives of one another).
    """
    directory = Path(model_dir) if model_dir else default_model_dir()
    return StatisticalNER(nlp.vocab, model_dir=directory, spans_key=spans_key, beam_width=beam_width, threshold=threshold)

