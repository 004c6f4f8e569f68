"""`kg train-filter`: rebuild the entity filter of the ``accurate`` profile from annotated papers."""

from __future__ import annotations

import json
import os

import click

_SHARED = "../shared"


@click.command("train-filter")
@click.option("--papers", default=f"{_SHARED}/annotation/train.papers.jsonl", show_default=True, type=click.Path(dir_okay=False, exists=True), help="Papers (title, abstract) of the annotations, JSON Lines.")
@click.option("--gold", default=f"{_SHARED}/annotation/train.gold.jsonl", show_default=True, type=click.Path(dir_okay=False, exists=True), help="Gold entities per paper, JSON Lines.")
@click.option("-o", "--out", default=None, type=click.Path(dir_okay=False), help="Model file [default: the package's extractors/models/kg_entity_filter.json].")
@click.option("--candidates", default="rules+spans", show_default=True, type=click.Choice(["rules", "rules+kg_ner", "rules+spans"]), help="What the filter judges: the rules' entities (accurate then runs without kg_ner), those plus the kg_ner tagger's spans, or those plus a span classifier's (trained here, shipped in the filter's file).")
@click.option("--seed", default=0, show_default=True, help="Seed of the cross-validation folds.")
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds; the drop threshold is chosen on the out-of-fold predictions.")
@click.option("--l2", default=30.0, show_default=True, help="L2 regularisation strength of the filter.")
@click.option("--ner-seed", default=0, show_default=True, help="Seed `kg train` split the papers with (its held-out papers carry the tagger's features).")
@click.option("--ner-holdout", default=0.15, show_default=True, help="Fraction `kg train` held out.")
@click.option("--span-l2", default=0.3, show_default=True, help="L2 regularisation of the span classifier (--candidates rules+spans).")
@click.option("--span-threshold", default=0.9, show_default=True, help="The span classifier keeps a window whose probability of 'none' is below this.")
@click.option("--cues/--no-cues", default=True, show_default=True, help="Features from the words around the mentions ('we propose ... X', 'X, a ... model', the title's head).")
@click.option("--per-type-drop/--one-drop-threshold", default=True, show_default=True, help="Tune a drop threshold per predicted type on the out-of-fold predictions.")
@click.option("--oof-predictions", default=None, type=click.Path(dir_okay=False), help="Also write the out-of-fold predictions (JSON Lines, for score_entities.py --gold on the training gold).")
@click.option("--external", multiple=True, default=(), type=click.Path(dir_okay=False, exists=True), help="Public annotated abstracts (common JSONL form, ../shared/external) whose Task, Metric and Method names become filter features and ship in its file; repeat for several (e.g. SciREX's training split, Apache-2.0; its dev split is bench/extract_external.py's check). Not in the shipped filter: measured no gain.")
@click.option("--threads", default=1, show_default=True, help="BLAS threads (keep 1 on a shared machine).")
def command(papers, gold, out, candidates, seed, folds, l2, ner_seed, ner_holdout, span_l2, span_threshold, cues, per_type_drop, oof_predictions, external, threads):
    """Train the entity filter on the annotations and write it to --out.

    Same data and seeds give the same model. Prints the cross-validated typed scores
    (filtered, unfiltered and of the fast profile) as JSON.
    """
    # the abstract's own phrases, the variants of introduced names and how candidate names nest are
    # always on (train OOF introduced F1 0.578 with the first two, 0.571 without; nesting: typed
    # 0.700 -> 0.702, introduced 0.578 -> 0.583; the library's train_filter can leave them out)
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))
    from extractors.entity_filter import default_filter_path
    from extractors.filter_training import train_filter

    summary = train_filter(papers=papers, gold=gold, out=out or default_filter_path(), candidates=candidates, seed=seed, folds=folds, l2=l2,
                           ner_seed=ner_seed, ner_holdout=ner_holdout, span_l2=span_l2, span_threshold=span_threshold,
                           cues=cues, per_type_drop=per_type_drop, oof_predictions=oof_predictions,
                           external=list(external), own_phrases=True, own_variants=True, nesting=True)
    click.echo(json.dumps(summary, indent=2))
