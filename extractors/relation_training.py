"""Training and measuring the relation classifier on annotated papers.

The gold files list each paper's relations by entity name, without offsets. Examples
come from the candidate pairs of `extractors.relation_features` in two kinds of Doc:

* ``predicted``: the extraction pipeline's own final entities, after the ``accurate``
  profile's span classifier and filter (what the classifier sees at run time; the
  filter saw these training papers, so they are a little better than on new text); a
  pair is labelled with the gold relation between the gold entities its two
  entities match by name or alias (as the scorer matches), else ``none``;
* ``gold``: the gold entities projected onto the text (`extractors.gold_projection`),
  roles from the gold, so relation errors show apart from entity errors.

`train_relations` cross-validates (seeded k folds, both kinds of Doc in training), picks
each relation's threshold on the out-of-fold predictions (best F1 with precision at least
``min_precision`` where reachable, else best F0.5; by default the precision of the
classifier itself, on gold entities), fits on all papers and writes the model with its
provenance and cross-validated scores. Gold
names are only ever labels here, never rules.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from extractors.abbreviations import LONG_FORMS, SHORT_FORMS
from extractors.aggregate import normalise_name
from extractors.candidates import ENTITY_SPANS
from extractors.gold_projection import project_entities
from extractors.jsonl import read_jsonl
from extractors.offsets import span_at
from extractors.relation_features import ALLOWED, EntityView, PairCandidate, entity_views, pair_candidates, record_views
from extractors.sparse_logistic import SparseLogisticModel
from extractors.relations import choose
from extractors.roles import INTRODUCED_SPANS

__all__ = ["CLASSES", "load_annotated", "predicted_docs", "gold_entity_docs", "score_docs", "fit_with_thresholds", "train_relations"]

CLASSES = ("none", *ALLOWED)
Annotated = tuple[dict, dict]  # (paper: title, abstract), (gold: entities, relations)
EntityDoc = tuple[Doc, list[EntityView]]  # a paper's Doc and the entities relations are found between


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


def predicted_docs(annotated: list[Annotated], *, profile: str = "accurate") -> list[EntityDoc]:
    """The papers through the extraction pipeline up to (not including) relations, with
    the final entities of their records (after the filter in ``accurate``)."""
    from extractors.aggregate import doc_to_extraction
    from extractors.entity_filter import load_filter
    from extractors.pipeline import paper_doc

    nlp = _pipeline(profile)
    entity_filter = load_filter(nlp.meta["kg_entity_filter"]) if nlp.meta.get("kg_entity_filter") else None
    docs = (paper_doc(nlp, str(k), p["title"], p.get("abstract") or "") for k, (p, _) in enumerate(annotated))
    found = []
    for doc, (paper, _) in zip(nlp.pipe(docs, batch_size=64), annotated):
        record = doc_to_extraction(doc, paper_id=doc.user_data["kg_paper"][0], title=paper["title"], extractor="", version="")
        if entity_filter is not None:
            record = entity_filter.apply(record, paper.get("abstract") or "")
        found.append((doc, record_views(doc, record.entities)))
    return found


def gold_entity_docs(annotated: list[Annotated]) -> list[EntityDoc]:
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
        docs.append((doc, entity_views(doc)))
    return docs


def _gold_names(pair_or_view_spans: Iterable, gold: dict) -> str | None:
    names = {normalise_name(form): e["name"] for e in gold["entities"] for form in (e["name"], *(e.get("aliases") or ()))}
    for span in pair_or_view_spans:
        name = names.get(normalise_name(span.text))
        if name is not None:
            return name
    return None


def labelled_pairs(entity_doc: EntityDoc, gold: dict) -> list[tuple[PairCandidate, list[str]]]:
    """Candidate pairs with their gold relations (``["none"]`` when there is none)."""
    doc, views = entity_doc
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


@dataclass
class _Paper:
    """One Doc ready for scoring: group -> gold name, candidate pairs, gold triples,
    and the out-of-fold class probabilities of its pairs."""

    name_of: dict[str, str | None]
    pairs: list[PairCandidate]
    want: set[tuple[str, str, str]]
    probabilities: list[dict[str, float]] = field(default_factory=list)


def _prepare(entity_doc: EntityDoc, gold: dict) -> _Paper:
    doc, views = entity_doc
    name_of = {v.key: _gold_names(v.spans, gold) for v in views}
    want = {(r["head"], r["relation"], r["tail"]) for r in gold.get("relations") or ()}
    return _Paper(name_of, pair_candidates(doc, views), want)


def _score(papers: list[_Paper], thresholds: dict[str, float]) -> dict:
    """P/R/F1 as the scorer counts them."""
    tp = n_pred = n_gold = 0
    for paper in papers:
        findings = choose(paper.pairs, paper.probabilities, thresholds)
        name_of = paper.name_of
        got = {(name_of[f.head], f.relation, name_of[f.tail]) for f in findings if name_of[f.head] and name_of[f.tail]}
        tp += len(paper.want & got)
        n_pred += len(findings)
        n_gold += len(paper.want)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def score_docs(docs: list[EntityDoc], golds: list[dict], model: SparseLogisticModel) -> dict:
    """Relation precision, recall and F1 of the classifier on ``docs``, as the scorer counts."""
    papers = [_prepare(doc, gold) for doc, gold in zip(docs, golds)]
    for paper in papers:
        paper.probabilities = model.probabilities([p.features for p in paper.pairs])
    return _score(papers, model.thresholds)


def _examples(docs: list[EntityDoc], golds: list[dict]) -> tuple[list[set[str]], list[str]]:
    features, labels = [], []
    for doc, gold in zip(docs, golds):
        for pair, relations in labelled_pairs(doc, gold):
            for relation in relations:
                features.append(pair.features)
                labels.append(relation)
    return features, labels


def _fit(docs: list[EntityDoc], golds: list[dict], l2: float) -> SparseLogisticModel:
    features, labels = _examples(docs, golds)
    return SparseLogisticModel.fit(features, labels, classes=CLASSES, l2=l2)


def _f_half(scores: dict) -> float:
    p, r = scores["p"], scores["r"]
    return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0


def choose_thresholds(papers: list[_Paper], min_precision: float) -> tuple[dict[str, float], dict, bool]:
    """Per-relation thresholds: best F1 with precision >= min_precision (else best F0.5);
    one shared threshold first, then each relation's in turn, two rounds."""
    grid = [round(0.1 + 0.05 * k, 2) for k in range(17)]

    def objective(thresholds: dict[str, float]) -> tuple[bool, float]:
        scores = _score(papers, thresholds)
        feasible = scores["p"] >= min_precision
        return feasible, scores["f1"] if feasible else _f_half(scores)

    best = max(({r: t for r in ALLOWED} for t in grid), key=objective)
    for _ in range(2):
        for relation in ALLOWED:
            best = max(({**best, relation: t} for t in grid), key=objective)
    return best, _score(papers, best), objective(best)[0]


def _out_of_fold(predicted: list[EntityDoc], gold_docs: list[EntityDoc], golds: list[dict], *, folds: int, seed: int,
                 l2: float) -> tuple[list[_Paper], list[_Paper]]:
    """Every paper scored by a model that did not see it (seeded k-fold)."""
    order = list(range(len(golds)))
    random.Random(seed).shuffle(order)
    fold_of = {k: position % folds for position, k in enumerate(order)}
    out_predicted: list[_Paper | None] = [None] * len(golds)
    out_gold: list[_Paper | None] = [None] * len(golds)
    for fold in range(folds):
        rows = [k for k in range(len(golds)) if fold_of[k] != fold]
        docs = [predicted[k] for k in rows] + [gold_docs[k] for k in rows]
        model = _fit(docs, [golds[k] for k in rows] * 2, l2)
        for k in (k for k in range(len(golds)) if fold_of[k] == fold):
            for target, doc in ((out_predicted, predicted[k]), (out_gold, gold_docs[k])):
                paper = _prepare(doc, golds[k])
                paper.probabilities = model.probabilities([p.features for p in paper.pairs])
                target[k] = paper
    return out_predicted, out_gold


def fit_with_thresholds(predicted: list[EntityDoc], gold_docs: list[EntityDoc], golds: list[dict], *, folds: int, seed: int,
                        l2: float, min_precision: float, thresholds_on: str) -> tuple[SparseLogisticModel, dict, bool]:
    """The whole training procedure on these papers: thresholds chosen on the seeded
    k-fold out-of-fold predictions, a model fit on all of them carrying those thresholds.
    Returns the model, the out-of-fold scores at its thresholds (``"predicted"`` and
    ``"gold"`` entities) and whether ``min_precision`` was reached."""
    oof_predicted, oof_gold = _out_of_fold(predicted, gold_docs, golds, folds=folds, seed=seed, l2=l2)
    thresholds, _, reached = choose_thresholds(oof_gold if thresholds_on == "gold" else oof_predicted, min_precision)
    final = _fit(predicted + gold_docs, golds * 2, l2)
    final.thresholds = thresholds
    return final, {"predicted": _score(oof_predicted, thresholds), "gold": _score(oof_gold, thresholds)}, reached


def _sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def train_relations(*, papers: str | Path, gold: str | Path, out: str | Path, seed: int = 0, folds: int = 5,
                    l2: float = 30.0, min_precision: float = 0.7, thresholds_on: str = "gold") -> dict:
    """Cross-validate, choose the thresholds on the out-of-fold predictions, fit on all
    papers (pipeline entities and gold entities), write ``out``; return its provenance.

    ``thresholds_on`` says whose out-of-fold predictions must reach ``min_precision``:
    ``"gold"`` entities (the classifier's own precision: an entity the pipeline got wrong
    spoils every relation of it, whatever the classifier says) or the ``"pipeline"``'s.
    """
    if thresholds_on not in ("gold", "pipeline"):
        raise ValueError(f"thresholds_on must be 'gold' or 'pipeline', not {thresholds_on!r}")
    annotated = load_annotated(papers, gold)
    if len(annotated) < folds:
        raise ValueError(f"{len(annotated)} papers of {papers} have a gold record in {gold}; need at least {folds}")
    golds = [g for _, g in annotated]
    predicted = predicted_docs(annotated)
    gold_docs = gold_entity_docs(annotated)
    final, cross_validated, reached = fit_with_thresholds(predicted, gold_docs, golds, folds=folds, seed=seed, l2=l2,
                                                          min_precision=min_precision, thresholds_on=thresholds_on)
    thresholds = final.thresholds
    final.provenance = {
        "trained_by": "kg train-relations",
        "data": {Path(papers).name: _sha256(papers), Path(gold).name: _sha256(gold)},
        "license_note": "project annotations (../shared/annotation); no external relation data",
        "seed": seed,
        "folds": folds,
        "l2": l2,
        "min_precision": min_precision,
        "thresholds_on": thresholds_on,
        "papers": len(annotated),
        "examples": len(_examples(predicted + gold_docs, golds * 2)[1]),
        "cross_validated_predicted_entities": cross_validated["predicted"],
        "precision_reached": reached,
        "cross_validated_gold_entities": cross_validated["gold"],
    }
    final.save(out)
    return {"out": str(out), **final.provenance, "thresholds": thresholds}
