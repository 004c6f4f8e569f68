"""`kg train-relations`: rebuild the relation classifier (`kg_relations`) from annotated papers."""

from __future__ import annotations

import json
import os

import click

_SHARED = "../shared"


@click.command("train-relations")
@click.option("--papers", default=f"{_SHARED}/annotation/train.papers.jsonl", show_default=True, type=click.Path(dir_okay=False, exists=True), help="Papers (title, abstract) of the annotations, JSON Lines.")
@click.option("--gold", default=f"{_SHARED}/annotation/train.gold.jsonl", show_default=True, type=click.Path(dir_okay=False, exists=True), help="Gold entities and relations per paper, JSON Lines.")
@click.option("-o", "--out", default=None, type=click.Path(dir_okay=False), help="Model file [default: the package's extractors/models/kg_relations.json].")
@click.option("--seed", default=0, show_default=True, help="Seed of the cross-validation folds.")
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds; thresholds are chosen on the out-of-fold predictions.")
@click.option("--l2", default=30.0, show_default=True, help="L2 regularisation strength.")
@click.option("--min-precision", default=0.7, show_default=True, help="Threshold choice: best held-out F1 with at least this precision.")
@click.option("--thresholds-on", type=click.Choice(["gold", "pipeline"]), default="gold", show_default=True, help="Whose out-of-fold predictions must reach --min-precision: with the gold entities (the classifier's own precision) or with the pipeline's (entity errors included).")
@click.option("--threads", default=1, show_default=True, help="BLAS threads (keep 1 on a shared machine).")
def command(papers, gold, out, seed, folds, l2, min_precision, thresholds_on, threads):
    """Train the relation classifier on the annotations and write it to --out.

    Same data and seed give the same model. Prints the cross-validated scores (with
    the pipeline's entities, with the gold entities, and of the patterns alone) as JSON.
    """
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))
    from extractors.relations import default_model_path
    from extractors.relation_training import train_relations

    summary = train_relations(papers=papers, gold=gold, out=out or default_model_path(), seed=seed, folds=folds,
                              l2=l2, min_precision=min_precision, thresholds_on=thresholds_on)
    click.echo(json.dumps(summary, indent=2))
