"""Public annotated abstracts (../shared/external, common JSONL form) as partial labels.

Their type sets differ from ours: SciERC and SciREX ``Method`` covers both our Method and
Model, ``Material`` covers datasets, benchmarks and other data. Forcing one of our labels
on those spans would teach the tagger wrong types, so they are left *unannotated*
(spaCy's missing value: the tagger is not trained on those tokens either way). Types that
map one to one (Task, Metric) become our labels, and every other token is ``O`` as in the
source.

Examples
--------
>>> labels = EXTERNAL_LABELS["scirex"]
>>> labels["Task"], labels["Method"], labels["Material"]
('Task', None, None)
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import Doc

from extractors.jsonl import read_jsonl
from kg.problems import InputError, Problem

__all__ = ["EXTERNAL_LABELS", "NAME_TYPES", "external_docs", "external_names"]

# source folder -> {source type: our label, or None for "unknown, leave unannotated"};
# a source type not listed is treated as outside (not an entity in our schema).
EXTERNAL_LABELS: dict[str, dict[str, str | None]] = {
    "scirex": {"Task": "Task", "Metric": "Metric", "Method": None, "Material": None},
    "scierc": {"Task": "Task", "Metric": "Metric", "Method": None, "Material": None},
    "scier": {"Task": "Task", "Method": None, "Dataset": None},
    "dataset_mentions": {"Dataset": None},
}


def external_docs(path: str | Path, *, source: str | None = None, nlp=None) -> list[Doc]:
    """Docs with partial entity labels from one common-form JSONL file.

    ``source`` picks the type mapping (default: the file's folder name, e.g. ``scirex``).
    """
    path = Path(path)
    source = source or path.parent.name
    if source not in EXTERNAL_LABELS:
        raise InputError(Problem(str(path), None, f"unknown external source {source!r}; one of {sorted(EXTERNAL_LABELS)}"))
    mapping = EXTERNAL_LABELS[source]
    nlp = nlp or spacy.blank("en")
    docs = []
    for number, record in read_jsonl(path, required={"text": str}):
        doc = nlp.make_doc(record["text"])
        ents, missing, taken = [], [], set()
        # Longest first so nested source annotations do not clash.
        for entity in sorted(record.get("entities", ()), key=lambda e: e["start"] - e["end"]):
            label = mapping.get(entity.get("type"), "")
            if label == "":
                continue
            span = doc.char_span(entity["start"], entity["end"], alignment_mode="expand")
            if span is None or taken & set(range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            if label is None:
                missing.append(span)
            else:
                ents.append(doc.char_span(span.start_char, span.end_char, label=label))
        try:
            doc.set_ents(ents, missing=missing, default="outside")
        except ValueError as error:
            raise InputError(Problem(str(path), number, f"bad entity spans: {error}")) from None
        docs.append(doc)
    return docs


# the source types whose names `external_names` lists (SciREX's Method also covers our Model)
NAME_TYPES = ("Task", "Metric", "Method")
_SPLIT_PUNCT = re.compile(r" ([-/]) ")  # the sources' tokenised text: "state - of - the - art"


def external_names(paths: list[str | Path], *, min_heads: int = 3) -> dict[str, dict[str, list[str]]]:
    """Names and head words of `NAME_TYPES` in public annotated abstracts: a gazetteer
    for the entity filter (``{"names": {type: [...]}, "heads": {type: [...]}}``).

    Names are folded as the scorer folds them (`extractors.aggregate.normalise_name`);
    a head word (a name's last word, lower-cased) is listed once it ends ``min_heads``
    names of that type.

    Examples
    --------
    >>> import json, tempfile
    >>> record = {"text": "We study machine translation and BLEU .", "entities": [
    ...     {"text": "machine translation", "type": "Task", "start": 9, "end": 28},
    ...     {"text": "BLEU", "type": "Metric", "start": 33, "end": 37}]}
    >>> with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
    ...     _ = handle.write(json.dumps(record) + "\\n")
    >>> table = external_names([handle.name], min_heads=1)
    >>> table["names"]["Task"], table["heads"]["Metric"]
    (['machinetranslation'], ['bleu'])
    """
    from extractors.aggregate import normalise_name

    names: dict[str, set[str]] = {t: set() for t in NAME_TYPES}
    heads: dict[str, Counter] = {t: Counter() for t in NAME_TYPES}
    for path in paths:
        for _, record in read_jsonl(path, required={"text": str}):
            for entity in record.get("entities", ()):
                if entity.get("type") not in names or not isinstance(entity.get("text"), str):
                    continue
                text = _SPLIT_PUNCT.sub(r"\1", entity["text"])
                key = normalise_name(text)
                if key and key not in names[entity["type"]]:
                    names[entity["type"]].add(key)
                    heads[entity["type"]][text.split()[-1].lower()] += 1
    return {"names": {t: sorted(v) for t, v in names.items()},
            "heads": {t: sorted(w for w, n in heads[t].items() if n >= min_heads and re.search(r"[a-z]", w)) for t in NAME_TYPES}}
