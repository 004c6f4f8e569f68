"""Training and measuring the relation classifier on annotated papers.

The gold files list each paper's relations by entity name, without offsets. Examples
come from the candidate pairs of `extractors.relation_features` in two kinds of Doc:

* ``predicted``: the extraction pipeline's own entities (what the classifier sees at
  run time); a pair is labelled with the gold relation between the gold entities its two
  entities match by name or alias (as the scorer matches), else ``none``;
* ``gold``: the gold entities projected onto the text (`extractors.gold_projection`),
  roles from the gold, so relation errors show apart from entity errors.

`train_relations` holds out a seeded part of the papers, fits on the rest, picks each
threshold on the held-out part (best F1 with precision at least ``min_precision``
where reachable, else best F0.5), refits on all papers and writes the model with its
provenance. Gold names are only ever labels here, never rules.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from extractors.abbreviations import LONG_FORMS, SHORT_FORMS
from extractors.aggregate import normalise_name
from extractors.candidates import ENTITY_SPANS
from extractors.gold_projection import project_entities
from extractors.jsonl import read_jsonl
from extractors.offsets import span_at
from extractors.relation_features import ALLOWED, PairCandidate, entity_views, pair_candidates
from extractors.relation_model import RelationModel
from extractors.relations import decide
from extractors.roles import INTRODUCED_SPANS

__all__ = ["CLASSES", "load_annotated", "predicted_docs", "gold_entity_docs", "score_docs", "train_relations"]

CLASSES = ("none", *ALLOWED)
Annotated = tuple[dict, dict]  # (paper: title, abstract), (gold: entities, relations)


def _title_key(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().lower()


def load_annotated(papers: str | Path, gold: str | Path) -> list[Annotated]:
    """Papers paired with their gold records (matched by title, as the scorer does)."""
    by_title = {_title_key(g["title"]): g for _, g in read_jsonl(gold, required={"title": str, "entities": list})}
    return [
        (paper, by_title[_title_key(paper["title"])])
        for _, paper in read_jsonl(papers, required={"title": str})
        if _title_key(paper["title"]) in by_title
    ]


def _pipeline(profile: str = "accurate") -> Language:
    from extractors.pipeline import load_pipeline

    nlp = load_pipeline(profile)
    nlp.remove_pipe("kg_relations")
    return nlp


def predicted_docs(annotated: list[Annotated], *, profile: str = "accurate") -> list[Doc]:
    """The papers through the extraction pipeline, up to (not including) relations."""
    from extractors.pipeline import paper_doc

    nlp = _pipeline(profile)
    docs = (paper_doc(nlp, str(k), p["title"], p.get("abstract") or "") for k, (p, _) in enumerate(annotated))
    return list(nlp.pipe(docs, batch_size=64))


def gold_entity_docs(annotated: list[Annotated]) -> list[Doc]:
    """Docs whose entities, aliases and roles are the gold ones, projected on the text."""
    from extractors.pipeline import paper_doc
    from extractors.sentences import split_sentences

    nlp = _pipeline("fast")
    docs = []
    for k, (paper, gold) in enumerate(annotated):
        doc = split_sentences(paper_doc(nlp, str(k), paper["title"], paper.get("abstract") or ""))
        text = doc.user_data["kg_text"]
        entity_of = {normalise_name(form): e for e in gold["entities"] for form in (e["name"], *(e.get("aliases") or ()))}
        spans, owners = [], []
        for found in project_entities(text, gold["entities"]):
            span = span_at(doc, found.start, found.end, found.label)
            entity = entity_of.get(normalise_name(text[found.start : found.end]))
            if span is not None and entity is not None and (not spans or span.start >= spans[-1].end):
                spans.append(span)
                owners.append(entity)
        doc.spans[ENTITY_SPANS] = spans
        doc.spans[ENTITY_SPANS].attrs["components"] = ["gold"] * len(spans)
        doc.spans[ENTITY_SPANS].attrs["confidences"] = [1.0] * len(spans)
        # every surface form of one gold entity joins the first: the grouping reads pairs
        first = {}
        pairs = []
        for span, entity in zip(spans, owners):
            anchor = first.setdefault(entity["name"], span)
            if anchor is not span:
                pairs.append((anchor, span))
        doc.spans[LONG_FORMS] = [a for a, _ in pairs]
        doc.spans[SHORT_FORMS] = [b for _, b in pairs]
        doc.spans[INTRODUCED_SPANS] = [s for s, e in zip(spans, owners) if e.get("role") == "introduced"]
        docs.append(doc)
    return docs


def _gold_names(pair_or_view_spans: Iterable, gold: dict) -> str | None:
    names = {normalise_name(form): e["name"] for e in gold["entities"] for form in (e["name"], *(e.get("aliases") or ()))}
    for span in pair_or_view_spans:
        name = names.get(normalise_name(span.text))
        if name is not None:
            return name
    return None


def labelled_pairs(doc: Doc, gold: dict) -> list[tuple[PairCandidate, list[str]]]:
    """Candidate pairs with their gold relations (``["none"]`` when there is none)."""
    views = entity_views(doc)
    name_of = {v.key: _gold_names(v.spans, gold) for v in views}
    wanted: dict[tuple[str, str], list[str]] = {}
    for relation in gold.get("relations") or ():
        wanted.setdefault((relation["head"], relation["tail"]), []).append(relation["relation"])
    labelled = []
    for pair in pair_candidates(doc, views):
        head, tail = name_of[pair.head.key], name_of[pair.tail.key]
        labels = [r for r in wanted.get((head, tail), []) if r in ALLOWED] if head and tail and head != tail else []
        labelled.append((pair, labels or ["none"]))
    return labelled


def score_docs(docs: list[Doc], golds: list[dict], model: RelationModel | None) -> dict:
    """Relation precision, recall and F1 of the component's findings, as the scorer counts."""
    tp = n_pred = n_gold = 0
    for doc, gold in zip(docs, golds):
        views = entity_views(doc)
        name_of = {v.key: _gold_names(v.spans, gold) for v in views}
        findings = decide(pair_candidates(doc, views), model)
        want = {(r["head"], r["relation"], r["tail"]) for r in gold.get("relations") or ()}
        got = {(name_of[f.head], f.relation, name_of[f.tail]) for f in findings if name_of[f.head] and name_of[f.tail]}
        tp += len(want & got)
        n_pred += len(findings)
        n_gold += len(want)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def _examples(docs: list[Doc], golds: list[dict]) -> tuple[list[set[str]], list[str]]:
    features, labels = [], []
    for doc, gold in zip(docs, golds):
        for pair, relations in labelled_pairs(doc, gold):
            for relation in relations:
                features.append(pair.features)
                labels.append(relation)
    return features, labels


def _fit(docs: list[Doc], golds: list[dict], l2: float) -> RelationModel:
    features, labels = _examples(docs, golds)
    return RelationModel.fit(features, labels, classes=CLASSES, l2=l2)


def _choose_threshold(model: RelationModel, docs: list[Doc], golds: list[dict], min_precision: float) -> dict:
    """One threshold for all relations: best held-out F1 with precision >= min_precision."""
    grid = [round(0.1 + 0.05 * k, 2) for k in range(17)]
    results = []
    for threshold in grid:
        model.thresholds = {r: threshold for r in ALLOWED}
        results.append((threshold, score_docs(docs, golds, model)))
    feasible = [(t, s) for t, s in results if s["p"] >= min_precision]
    if feasible:
        threshold, scores = max(feasible, key=lambda ts: (ts[1]["f1"], ts[0]))
    else:  # precision out of reach: weigh it twice as much as recall (F0.5)
        threshold, scores = max(results, key=lambda ts: (_f_half(ts[1]), ts[0]))
    return {"threshold": threshold, "heldout": scores, "grid": {str(t): s for t, s in results}}


def _f_half(scores: dict) -> float:
    p, r = scores["p"], scores["r"]
    return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0


def _sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def train_relations(*, papers: str | Path, gold: str | Path, out: str | Path, seed: int = 0, holdout: float = 0.2,
                    l2: float = 1.0, min_precision: float = 0.7, with_gold_entities: bool = True) -> dict:
    """Train, choose the threshold on a held-out part, refit on everything, write ``out``.

    Returns a summary (held-out scores with predicted and with gold entities).
    """
    annotated = load_annotated(papers, gold)
    if not annotated:
        raise ValueError(f"no paper of {papers} has a gold record in {gold}")
    golds = [g for _, g in annotated]
    predicted = predicted_docs(annotated)
    gold_docs = gold_entity_docs(annotated) if with_gold_entities else []
    order = list(range(len(annotated)))
    random.Random(seed).shuffle(order)
    cut = int(len(order) * holdout)
    held, kept = sorted(order[:cut]), sorted(order[cut:])

    def part(docs, rows):
        return [docs[k] for k in rows], [golds[k] for k in rows]

    train_docs, train_golds = part(predicted, kept)
    if gold_docs:
        extra_docs, extra_golds = part(gold_docs, kept)
        train_docs, train_golds = train_docs + extra_docs, train_golds + extra_golds
    model = _fit(train_docs, train_golds, l2)
    choice = _choose_threshold(model, *part(predicted, held), min_precision)
    model.thresholds = {r: choice["threshold"] for r in ALLOWED}
    heldout_gold_entities = score_docs(*part(gold_docs, held), model) if gold_docs else None
    heldout_patterns = score_docs(*part(predicted, held), None)
    all_docs, all_golds = predicted + gold_docs, golds + (golds if gold_docs else [])
    final = _fit(all_docs, all_golds, l2)
    final.thresholds = dict(model.thresholds)
    final.provenance = {
        "trained_by": "kg train-relations",
        "data": {str(papers): _sha256(papers), str(gold): _sha256(gold)},
        "license_note": "project annotations (../shared/annotation); no external relation data",
        "seed": seed,
        "holdout": holdout,
        "l2": l2,
        "min_precision": min_precision,
        "papers": len(annotated),
        "examples": len(_examples(all_docs, all_golds)[1]),
        "heldout_predicted_entities": choice["heldout"],
        "heldout_gold_entities": heldout_gold_entities,
        "heldout_patterns_only": heldout_patterns,
    }
    final.save(out)
    return {"out": str(out), **final.provenance, "threshold_grid": choice["grid"]}
