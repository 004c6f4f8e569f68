"""Training the entity filter (`extractors.entity_filter`) on annotated papers.

Examples are the entities the ``accurate`` pipeline (without the filter) finds in the
training papers; each is labelled with the type of the gold entity it matches by name
or alias as the scorer matches (case, spaces, hyphens, "the" and a plural "s" folded;
the predicted type when the gold allows it), else ``"drop"``. Gold names are labels
only, never features or rules.

The statistical tagger ``kg_ner`` was trained on most of these papers, so its spans
there are over-confident. Only on the papers its training held out (the same seeded
split as `extractors.training.train_ner`) do examples carry its features; on the others
its contribution is left out, and entities only it found are not examples. The drop
threshold is chosen on seeded k-fold out-of-fold predictions (best typed F1 over all
training papers), then the ``introduced`` threshold of the role model (best introduced
F1), and both models are fitted on every example and written with their provenance and
cross-validated scores.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from kg.atomic import atomic_write

from extractors.aggregate import normalise_name
from extractors.entity_filter import (CLASSES, DROP, OWN_SOURCE, STATISTICAL, EntityFilter, Gazetteer, add_context_kinds, add_nesting, add_own_spans,
                                      entity_features,
                                      gazetteer, is_introduced, mark_own_phrases, new_entities, own_only, span_scored_features)
from extractors.own_spans import cross_validated_own_spans
from extractors.own_phrases import own_phrases as find_own_phrases
from extractors.own_variants import promote_variants
from extractors.external_data import external_names
from extractors.jsonl import read_jsonl
from extractors.records import Entity, PaperExtraction
from extractors.sparse_logistic import SparseLogisticModel
from extractors.relation_training import load_annotated
from extractors.span_classifier import SpanClassifier
from extractors.span_training import cross_validated_spans, fit_span_classifier, span_examples

__all__ = ["CANDIDATE_SOURCES", "SHIPPED_OPTIONS", "tagger_heldout_titles", "label_entity", "typed_scores", "train_filter"]

# -> the profile that proposes them ("rules+spans": the rules, then the span classifier)
CANDIDATE_SOURCES = {"rules": "fast", "rules+kg_ner": "accurate", "rules+spans": "fast"}
# `train_filter`'s options for the shipped filter: `kg train-filter`'s defaults (kg/cli/train_filter.py),
# for the measuring scripts under bench/ that retrain it on the same footing
SHIPPED_OPTIONS = {"candidates": "rules+spans", "folds": 5, "l2": 30.0, "span_l2": 0.3, "span_threshold": 0.9, "cues": True,
                   "per_type_drop": True, "own_phrases": True, "own_variants": True, "nesting": True}
_THRESHOLDS = tuple(round(0.3 + 0.05 * k, 2) for k in range(13))  # 0.30 .. 0.90
# the role model sees few introduced examples and is rarely sure of one: its threshold may go lower
_ROLE_THRESHOLDS = tuple(round(0.1 + 0.05 * k, 2) for k in range(17))  # 0.10 .. 0.90


def _title_key(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().lower()


def tagger_heldout_titles(gold: str | Path, *, seed: int = 0, holdout: float = 0.15) -> set[str]:
    """Title keys of the papers `extractors.training.train_ner` held out (same shuffle)."""
    titles = [_title_key(g["title"]) for _, g in read_jsonl(gold, required={"title": str, "entities": list})]
    order = list(range(len(titles)))
    random.Random(seed).shuffle(order)
    n_held = max(1, round(len(titles) * holdout)) if holdout > 0 and len(titles) > 1 else 0
    return {titles[k] for k in order[:n_held]}


def _forms(entity: dict | Entity) -> set[str]:
    if isinstance(entity, Entity):
        return {normalise_name(entity.name), *(normalise_name(a) for a in entity.aliases)}
    return {normalise_name(entity["name"]), *(normalise_name(a) for a in entity.get("aliases") or ())}


def label_entity(entity: Entity, gold_entities: list[dict]) -> tuple[str, str]:
    """The class an entity should get and its gold role: the matching gold entity's
    type and role, or ``("drop", "")``.

    Examples
    --------
    >>> from extractors.records import Entity
    >>> gold = [{"name": "SQuAD", "type": "Dataset", "alt_types": ["Benchmark"], "role": "introduced"}]
    >>> [label_entity(Entity(n, t, "used", (), (), 1.0), gold) for n, t in [("squad", "Benchmark"), ("SQuAD", "Task"), ("BERT", "Model")]]
    [('Benchmark', 'introduced'), ('Dataset', 'introduced'), ('drop', '')]
    """
    forms = _forms(entity)
    for gold in gold_entities:
        if forms & _forms(gold):
            allowed = {gold["type"], *(gold.get("alt_types") or ())}
            role = "introduced" if gold.get("role") == "introduced" else "used"
            return (entity.type if entity.type in allowed else gold["type"]), role
    return DROP, ""


def typed_scores(golds: list[list[dict]], predictions: list[list[Entity]]) -> dict:
    """Typed precision, recall and F1 with the scorer's greedy one-to-one matching, and
    the F1 of ``introduced`` among the typed matches (``intro_f1``).

    Examples
    --------
    >>> from extractors.records import Entity
    >>> typed_scores([[{"name": "BERT", "type": "Model", "role": "introduced"}]],
    ...              [[Entity("BERT", "Model", "used", (), (), 1.0), Entity("x", "Task", "introduced", (), (), 1.0)]])
    {'p': 0.5, 'r': 1.0, 'f1': 0.6667, 'intro_f1': 0.0}
    """
    tp = n_pred = n_gold = intro_tp = intro_pred = intro_gold = 0
    for gold, pred in zip(golds, predictions):
        n_gold += len(gold)
        n_pred += len(pred)
        intro_gold += sum(g.get("role") == "introduced" for g in gold)
        intro_pred += sum(p.role == "introduced" for p in pred)
        used: set[int] = set()
        for g in gold:
            allowed, forms = {g["type"], *(g.get("alt_types") or ())}, _forms(g)
            for k, p in enumerate(pred):
                if k not in used and p.type in allowed and forms & _forms(p):
                    used.add(k)
                    tp += 1
                    intro_tp += g.get("role") == "introduced" and p.role == "introduced"
                    break
    return {**_f1(tp, n_pred, n_gold), "intro_f1": _f1(intro_tp, intro_pred, intro_gold)["f1"]}


def _f1(tp: int, n_pred: int, n_gold: int) -> dict:
    precision, recall = tp / n_pred if n_pred else 0.0, tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4)}


def _raw_extractions(annotated, profile: str) -> list[PaperExtraction]:
    from extractors.pipeline import extract, load_pipeline

    nlp = load_pipeline(profile, entity_filter=False)  # the candidates, unfiltered
    items = [(str(k), paper["title"], paper.get("abstract") or "") for k, (paper, _) in enumerate(annotated)]
    return list(extract(nlp, items))


def _sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def train_filter(*, papers: str | Path, gold: str | Path, out: str | Path, candidates: str = "rules", seed: int = 0,
                 folds: int = 5, l2: float = 10.0, ner_seed: int = 0, ner_holdout: float = 0.15,
                 span_l2: float = 1.0, span_threshold: float = 0.9, cues: bool = False, per_type_drop: bool = False,
                 oof_predictions: str | Path | None = None, external: tuple[str | Path, ...] | list[str | Path] = (),
                 own_phrases: bool = False, own_variants: bool = False, own_spans: bool = False, own_span_l2: float = 1.0,
                 own_span_threshold: float = 0.3, nesting: bool = False, context_kinds: bool = False,
                 candidates_out: str | Path | None = None) -> dict:
    """Cross-validate, fit and write the entity filter; return its summary.

    ``candidates`` is what the filter judges: ``"rules"`` (the fast profile's entities),
    ``"rules+kg_ner"`` (with the statistical tagger's spans) or ``"rules+spans"`` (with
    the windows a span classifier keeps, `extractors.span_classifier`, trained here with
    ``span_l2`` and keep threshold ``span_threshold`` on ``"none"``; the filter learns
    from each paper's out-of-fold spans, and ships with the classifier fitted on all).
    ``cues`` adds `extractors.entity_filter.cue_features` to the features;
    ``per_type_drop`` then tunes a drop threshold per predicted type (`_per_type_thresholds`).
    ``oof_predictions`` names a JSON Lines file for the out-of-fold predictions at the
    chosen thresholds, in the shape ``../shared/eval/score_entities.py`` scores.
    ``external`` names public annotated files (common JSONL form) whose Task, Metric and
    Method names and head words (`extractors.external_data.external_names`) become
    features (`extractors.entity_filter.external_features`) and ship in the filter's file.
    ``own_phrases`` adds the phrases an abstract introduces ("we propose a novel X",
    `extractors.own_phrases`) to the candidates and ``cue:own_phrase`` to the features;
    ``own_variants`` makes the variants of an introduced name introduced
    (`extractors.own_variants.promote_variants`) before the thresholds are chosen.
    ``own_spans`` trains the proposer of introduced names (`extractors.own_spans`, L2
    ``own_span_l2``, keep threshold ``own_span_threshold``) on the same folds: the filter
    learns from each paper's out-of-fold proposals and ships with the proposer fitted on all.
    ``nesting`` adds how each candidate's name nests in the others' (`extractors.nesting`);
    ``context_kinds`` what the words around every mention say it is (`extractors.context_kinds`).
    ``candidates_out`` names a JSON Lines file for every paper's candidates as the filter
    judges them (the error analysis's "dropped by the filter" bucket: ``bench/filter_error_buckets.py``).
    """
    if candidates not in CANDIDATE_SOURCES:
        raise ValueError(f"unknown candidates {candidates!r}; choose one of {', '.join(CANDIDATE_SOURCES)}")
    annotated = load_annotated(papers, gold)
    heldout = tagger_heldout_titles(gold, seed=ner_seed, holdout=ner_holdout)
    records = _raw_extractions(annotated, CANDIDATE_SOURCES[candidates])
    fast_records = records if CANDIDATE_SOURCES[candidates] == "fast" else _raw_extractions(annotated, "fast")
    table = external_names(list(external)) if external else None
    names = gazetteer(table)
    spans, span_classifier = _spans(annotated, records, candidates, folds=folds, seed=seed, l2=span_l2, threshold=span_threshold)
    if own_spans:
        proposed, own_span_model = cross_validated_own_spans([paper for paper, _ in annotated], [g["entities"] for _, g in annotated],
                                                             folds=folds, seed=seed, l2=own_span_l2, threshold=own_span_threshold)
    else:
        proposed, own_span_model = [[] for _ in annotated], None
    options = {"nesting": nesting, "context_kinds": context_kinds}
    papers_data = [_examples(paper, gold_record, record, _title_key(paper["title"]) in heldout, found, cues, names, own_phrases, own, **options)
                   for (paper, gold_record), record, found, own in zip(annotated, records, spans, proposed)]
    order = list(range(len(papers_data)))
    random.Random(seed).shuffle(order)
    fold_of = {paper: k % folds for k, paper in enumerate(order)}
    typing_oof: list[list[dict[str, float]]] = [[] for _ in papers_data]
    role_oof: list[list[dict[str, float]]] = [[] for _ in papers_data]
    for fold in range(folds):
        typing, role = _fit([data for k, data in enumerate(papers_data) if fold_of[k] != fold], l2)
        for k, data in enumerate(papers_data):
            if fold_of[k] == fold:
                typing_oof[k], role_oof[k] = typing.probabilities(data.features), role.probabilities(data.features)
    golds = [data.gold for data in papers_data]

    def decided(drop: float, introduced: float, per_type: dict[str, float] | None = None) -> list[list[Entity]]:
        per_type = per_type or {}
        kept = []
        for data, typing_p, role_p in zip(papers_data, typing_oof, role_oof):
            kept.append([])
            for e, features, p, r in zip(data.entities, data.features, typing_p, role_p):
                entity_type = max(CLASSES[1:], key=p.get)
                if p[DROP] < per_type.get(OWN_SOURCE if own_only(features) and OWN_SOURCE in per_type else entity_type, drop):
                    role_of = "introduced" if is_introduced(r["introduced"], introduced, features) else "used"
                    kept[-1].append(Entity(e.name, entity_type, role_of, e.aliases, e.mentions, e.confidence))
            if own_variants:
                kept[-1] = promote_variants(kept[-1])
        return kept

    by_threshold = {t: typed_scores(golds, decided(t, 0.5)) for t in _THRESHOLDS}
    best = max(_THRESHOLDS, key=lambda t: (by_threshold[t]["f1"], -abs(t - 0.5)))
    keys = (*CLASSES[1:], OWN_SOURCE) if own_phrases else CLASSES[1:]
    per_type = _per_type_thresholds(lambda thresholds: typed_scores(golds, decided(best, 0.5, thresholds))["f1"], best, keys) if per_type_drop else {}
    by_role_threshold = {t: typed_scores(golds, decided(best, t, per_type)) for t in _ROLE_THRESHOLDS}
    best_role = max(_ROLE_THRESHOLDS, key=lambda t: (by_role_threshold[t]["intro_f1"], -abs(t - 0.5)))
    kept_at_best = decided(best, best_role, per_type)
    if oof_predictions is not None:
        _write_predictions(oof_predictions, [paper["title"] for paper, _ in annotated], kept_at_best)
    if candidates_out is not None:
        _write_predictions(candidates_out, [paper["title"] for paper, _ in annotated], [data.entities for data in papers_data])
    # the papers the tagger never saw: the one fair comparison of the candidate sources
    unseen = [k for k, (paper, _) in enumerate(annotated) if _title_key(paper["title"]) in heldout]
    summary = {
        "cross_validated_typed": typed_scores(golds, kept_at_best),
        "drop_threshold": best,
        "drop_threshold_by_type": per_type,
        "introduced_threshold": best_role,
        "unfiltered_typed": typed_scores(golds, [data.entities for data in papers_data]),
        "fast_profile_typed": typed_scores(golds, [list(r.entities) for r in fast_records]),
        "tagger_heldout_papers": {
            "cross_validated_typed": typed_scores([golds[k] for k in unseen], [kept_at_best[k] for k in unseen]),
            "unfiltered_typed": typed_scores([golds[k] for k in unseen], [papers_data[k].entities for k in unseen]),
            "fast_profile_typed": typed_scores([golds[k] for k in unseen], [list(fast_records[k].entities) for k in unseen]),
        },
        "typed_f1_by_drop_threshold": {str(t): v["f1"] for t, v in by_threshold.items()},
    }
    typing, role = _fit(papers_data, l2)
    typing.thresholds, role.thresholds = {DROP: best, **{f"{DROP}:{t}": v for t, v in per_type.items()}}, {"introduced": best_role}
    provenance = {
        "trained_by": "kg train-filter",
        "papers": {"path": Path(papers).name, "sha256": _sha256(papers), "count": len(papers_data)},
        "gold": {"path": Path(gold).name, "sha256": _sha256(gold)},
        "candidates": candidates, "seed": seed, "folds": folds, "l2": l2, "role_cues": cues, "per_type_drop": per_type_drop,
        **({"own_phrases": True} if own_phrases else {}), **({"own_variants": True} if own_variants else {}),
        **({"own_spans": {"l2": own_span_l2, "keep_name_at": own_span_threshold}} if own_spans else {}),
        **({"nesting": True} if nesting else {}),
        **({"context_kinds": True} if context_kinds else {}),
        **({"span_classifier": {"l2": span_l2, "keep_below_none": span_threshold}} if span_classifier else {}),
        **({"external": [{"path": f"{Path(path).parent.name}/{Path(path).name}", "sha256": _sha256(path)} for path in external]} if external else {}),
        "tagger_split": {"seed": ner_seed, "holdout": ner_holdout, "heldout_papers": len(heldout)},
        "examples": sum(len(data.labels) for data in papers_data),
        **{k: v for k, v in summary.items() if k != "typed_f1_by_drop_threshold"},
        "note": "scores on the training papers, out of fold; where the tagger trained on a paper, entities only it found are left out",
    }
    EntityFilter(typing, role, provenance, span_classifier, table, own_span_model).save(out)
    return summary


def _write_predictions(path: str | Path, titles: list[str], entities: list[list[Entity]]) -> None:
    with atomic_write(Path(path)) as handle:
        for title, found in zip(titles, entities):
            record = {"title": title, "entities": [{"name": e.name, "type": e.type, "role": e.role, "aliases": list(e.aliases)} for e in found]}
            handle.write(json.dumps(record) + "\n")


def _per_type_thresholds(typed_f1, drop: float, keys: tuple[str, ...] = CLASSES[1:], rounds: int = 2) -> dict[str, float]:
    """Drop thresholds per predicted type (and for the own phrases, `OWN_SOURCE`, among
    ``keys``), by coordinate ascent from ``drop`` on the out-of-fold typed F1
    (``typed_f1(thresholds)``); a key keeps ``drop`` unless another value scores strictly better."""
    thresholds = dict.fromkeys(keys, drop)
    for _ in range(rounds):
        for entity_type in keys:
            scores = {t: typed_f1({**thresholds, entity_type: t}) for t in _THRESHOLDS}
            current = scores.get(thresholds[entity_type], typed_f1(thresholds))
            best = max(_THRESHOLDS, key=lambda t: (scores[t], -abs(t - drop)))
            if scores[best] > current:
                thresholds[entity_type] = best
    return {t: v for t, v in thresholds.items() if v != drop}


@dataclass(frozen=True)
class _PaperExamples:
    entities: list[Entity]
    features: list[set[str]]
    labels: list[tuple[str, str]]  # (type or "drop", gold role)
    gold: list[dict]


def _spans(annotated, records: list[PaperExtraction], candidates: str, **options) -> tuple[list[list[Entity] | None], SpanClassifier | None]:
    """Each paper's out-of-fold span entities and the classifier fitted on all papers
    (``None`` and ``None`` unless ``candidates`` is ``"rules+spans"``)."""
    if candidates != "rules+spans":
        return [None] * len(records), None
    examples = [span_examples(paper, gold_record["entities"], record) for (paper, gold_record), record in zip(annotated, records)]
    found = cross_validated_spans([paper for paper, _ in annotated], examples, records, **options)
    return found, fit_span_classifier(examples, l2=options["l2"], threshold=options["threshold"])


def _examples(paper: dict, gold_record: dict, record: PaperExtraction, statistical: bool, spans: list[Entity] | None = None,
              cues: bool = False, external: Gazetteer | None = None, own_phrases: bool = False,
              proposed: list[Entity] = (), nesting: bool = False,
              context_kinds: bool = False) -> _PaperExamples:
    """The entities of one paper that are examples, with their features and labels
    (with ``spans``, the span classifier's out-of-fold entities, the new ones join; with
    ``own_phrases``, the phrases the abstract introduces, and ``proposed``, the out-of-fold
    proposals of `extractors.own_spans`, as `EntityFilter.candidates_of` does)."""
    entities = [e for e in record.entities if statistical or any(m.component != STATISTICAL for m in e.mentions)]
    abstract = paper.get("abstract") or ""
    own = find_own_phrases(record.title, abstract) if own_phrases else []
    if spans is None:
        entities += new_entities(tuple(entities), own)
        features = [entity_features(e, record.title, abstract, statistical=statistical, cues=cues, external=external) for e in entities]
    else:
        entities += new_entities(record.entities, spans)
        entities += new_entities(tuple(entities), own)
        features = span_scored_features(entities, spans, record.title, abstract, statistical=statistical, cues=cues, external=external)
    features = mark_own_phrases(entities, features, own)
    entities, features = add_own_spans(entities, features, list(proposed), record.title, abstract, span_scored=spans is not None,
                                       statistical=statistical, cues=cues, external=external)
    if context_kinds:
        features = add_context_kinds(entities, features, record.title, abstract)
    if nesting:
        features = add_nesting(entities, features)
    labels = [label_entity(e, gold_record["entities"]) for e in entities]
    return _PaperExamples(entities, features, labels, gold_record["entities"])


def _fit(papers_data: list[_PaperExamples], l2: float) -> tuple[SparseLogisticModel, SparseLogisticModel]:
    """The keep/type model on every example; the role model on the kept ones."""
    features = [x for data in papers_data for x in data.features]
    labels = [y for data in papers_data for y in data.labels]
    typing = SparseLogisticModel.fit(features, [entity_type for entity_type, _ in labels], classes=CLASSES, l2=l2)
    kept = [k for k, (entity_type, _) in enumerate(labels) if entity_type != DROP]
    role = SparseLogisticModel.fit([features[k] for k in kept], [labels[k][1] for k in kept], classes=("used", "introduced"), l2=l2)
    return typing, role
