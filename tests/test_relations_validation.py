"""Nested cross-validation of the relation training procedure (extractors.relation_validation)."""

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("KG_SHARED", Path(__file__).resolve().parents[2] / "shared"))
ANNOTATION = SHARED / "annotation"
pytestmark = pytest.mark.skipif(not (ANNOTATION / "train.gold.jsonl").is_file(), reason="no shared annotations")


@pytest.fixture(scope="module")
def twelve_papers():
    """The first 12 annotated papers, through the pipeline and with gold entities."""
    from extractors.relation_training import gold_entity_docs, load_annotated, predicted_docs

    annotated = load_annotated(ANNOTATION / "train.papers.jsonl", ANNOTATION / "train.gold.jsonl")[:12]
    return predicted_docs(annotated), gold_entity_docs(annotated), [g for _, g in annotated]


def test_every_paper_is_held_out_once_and_scored_by_a_model_that_never_saw_it(twelve_papers):
    from extractors.relation_training import fit_with_thresholds, score_docs
    from extractors.relation_validation import nested_cross_validation

    predicted, gold_docs, golds = twelve_papers
    result = nested_cross_validation(predicted, gold_docs, golds, outer_folds=3, outer_seed=1, folds=2, seed=0)
    assert [f.fold for f in result["folds"]] == [0, 1, 2]
    total = sum(len(g.get("relations") or ()) for g in golds)
    assert result["held_out_gold"]["gold"] == result["held_out_predicted"]["gold"] == total
    # each inner procedure sees two thirds of the papers, its out-of-fold scores every one of them
    assert result["claimed"]["gold"] == 2 * total
    pooled = result["held_out_gold"]
    assert pooled["tp"] == sum(f.held_out_gold["tp"] for f in result["folds"]) <= pooled["pred"]
    # fold 0 again by hand: the outer seed shuffles as the inner folds do, the papers at
    # positions 0, 3, 6, 9 of the shuffled order are held out
    import random

    order = list(range(12))
    random.Random(1).shuffle(order)
    held = sorted(order[0::3])
    inner = [k for k in range(12) if k not in held]
    model, claimed, _ = fit_with_thresholds([predicted[k] for k in inner], [gold_docs[k] for k in inner], [golds[k] for k in inner],
                                            folds=2, seed=0, l2=30.0, min_precision=0.7, thresholds_on="gold")
    first = result["folds"][0]
    assert first.thresholds == model.thresholds and first.claimed_gold == claimed["gold"]
    assert first.held_out_gold == score_docs([gold_docs[k] for k in held], [golds[k] for k in held], model)


def test_bad_arguments_are_refused(twelve_papers):
    from extractors.relation_validation import nested_cross_validation

    predicted, gold_docs, golds = twelve_papers
    with pytest.raises(ValueError, match="outer folds"):
        nested_cross_validation(predicted[:1], gold_docs[:1], golds[:1], outer_folds=2)
    with pytest.raises(ValueError, match="thresholds_on"):
        nested_cross_validation(predicted, gold_docs, golds, thresholds_on="dev")
