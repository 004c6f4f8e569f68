"""`kg_ner`: the statistical entity tagger trained by this project (`kg train`).

A spaCy component that writes candidate entity spans labelled Method, Model, Dataset,
Benchmark, Task or Metric into ``doc.spans["kg_ner"]``, with a probability for each in
``doc.spans["kg_ner"].attrs["scores"]`` (a list parallel to the spans, as spaCy's spancat
does). It leaves ``doc.ents`` as it found them, so rule components can own those.

The weights are a small transition-based NER model (own narrow tok2vec) shipped in
``extractors/models/kg_ner/`` and loaded from the package directory, never from a hub.
Decoding is greedy, as spaCy's own, and keeps the scores of every step: a span's score
is the probability of the actions that made it (begin/unit at its first token, inside/
last after), each normalised over the actions valid at that step. (Beam decoding gives
span marginals too, but costs more and, on this greedily trained model, loses accuracy.)

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

import numpy
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

    def __init__(self, vocab, *, model_dir: Path, spans_key: str, threshold: float):
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
        names = list(self.ner.move_names)
        self._move = {name: i for i, name in enumerate(names)}
        opening = [i for i, name in enumerate(names) if name == "O" or name[:2] in ("B-", "U-")]
        self._opening = numpy.array(opening)
        self._opening_last = numpy.array([i for i in opening if not names[i].startswith("B-")])
        self._inside = {
            label: numpy.array([self._move["I-" + label], self._move["L-" + label]]) for label in self.ner.labels
        }
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

    def _decode(self, docs: list[Doc]) -> tuple[list, list[list[numpy.ndarray]]]:
        """Greedy decoding, as spaCy's own, keeping every step's action scores.

        The NER transition system takes one action per token, so the scores of step
        ``t`` of a doc are those of its token ``t``.
        """
        states = self.ner.moves.init_batch(docs)
        rows: list[list[numpy.ndarray]] = [[] for _ in docs]
        active = [(i, state) for i, state in enumerate(states) if not state.is_final()]
        if not active:
            return states, rows
        step_model = self.ner.model.predict(docs)
        while active:
            scores = step_model.predict([state for _, state in active])
            for (i, _), row in zip(active, scores):
                rows[i].append(row)
            self.ner.transition_states([state for _, state in active], scores)
            active = [(i, state) for i, state in active if not state.is_final()]
        step_model.clear_memory()
        return states, rows

    def _probability(self, rows: list[numpy.ndarray], start: int, end: int, label: str, n_tokens: int) -> float:
        """Probability of the greedy actions that made the span, each normalised over
        the actions valid at its step (B/U/O at the start, I/L of the label inside)."""
        if len(rows) != n_tokens:
            return 1.0  # not one action per token: no per-token scores to read
        probability = 1.0
        for t in range(start, end):
            if t == start:
                valid = self._opening_last if t == n_tokens - 1 else self._opening
                chosen = self._move[("U-" if end - start == 1 else "B-") + label]
            else:
                valid = self._inside[label]
                chosen = self._move[("L-" if t == end - 1 else "I-") + label]
            scores = rows[t][valid]
            weights = numpy.exp(scores - scores.max())
            probability *= float(weights[valid.tolist().index(chosen)] / weights.sum())
        return probability

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
        states, step_scores = self._decode(docs)
        self.ner.set_annotations(docs, states)
        for doc, rows, before, tensor in zip(docs, step_scores, saved, tensors):
            chosen = [
                (Span(doc, e.start, e.end, label=e.label), score)
                for e in doc.ents
                if (score := self._probability(rows, e.start, e.end, e.label_, len(doc))) >= self.threshold
            ]
            doc.spans[self.spans_key] = SpanGroup(
                doc, name=self.spans_key, spans=[span for span, _ in chosen], attrs={"scores": [score for _, score in chosen]}
            )
            doc.tensor = tensor
            if before is None:
                doc.set_ents([], default="missing")
            else:
                doc.from_array(_ENT_ATTRS, before)


@Language.factory(
    "kg_ner",
    default_config={"model_dir": None, "spans_key": SPANS_KEY, "threshold": 0.0},
)
def make_kg_ner(
    nlp: Language, name: str, model_dir: str | None, spans_key: str, threshold: float
) -> StatisticalNER:
    """Factory of the `kg_ner` component (registered through the spacy_factories entry point).

    Parameters
    ----------
    model_dir
        A model written by `kg train`; None means the one shipped with the package.
    spans_key
        Key of ``doc.spans`` the candidates go to.
    threshold
        Spans whose probability is below this are left out (the merging component
        applies its own threshold; spans never overlap).
    """
    directory = Path(model_dir) if model_dir else default_model_dir()
    return StatisticalNER(nlp.vocab, model_dir=directory, spans_key=spans_key, threshold=threshold)

