"""`kg train`: rebuild the statistical entity tagger (`kg_ner`) from annotated papers."""

from __future__ import annotations

import json
import os

import click

_SHARED = "../shared"


@click.command("train")
@click.option("--papers", default=f"{_SHARED}/annotation/train.papers.jsonl", show_default=True, type=click.Path(dir_okay=False), help="Papers (title, abstract) of the annotations, JSON Lines.")
@click.option("--gold", default=f"{_SHARED}/annotation/train.gold.jsonl", show_default=True, type=click.Path(dir_okay=False), help="Gold entities per paper (names, aliases, types), JSON Lines.")
@click.option("--external", multiple=True, type=click.Path(dir_okay=False), help="Public data in the common JSONL form, used as partial labels (repeatable; its folder name picks the type mapping).")
@click.option("-o", "--out", default=None, type=click.Path(file_okay=False), help="Model directory [default: the package's extractors/models/kg_ner].")
@click.option("--seed", default=0, show_default=True, help="Seed of the held-out split, the shuffling and the weights.")
@click.option("--holdout", default=0.15, show_default=True, help="Fraction of the papers held out for model selection.")
@click.option("--max-steps", default=None, type=int, help="Training steps [default: the config's].")
@click.option("--config", "config_path", default=None, type=click.Path(dir_okay=False, exists=True), help="spaCy training config [default: the shipped extractors/kg_ner.cfg].")
@click.option("--threads", default=1, show_default=True, help="BLAS threads (keep 1 on a shared machine).")
def command(papers, gold, external, out, seed, holdout, max_steps, config_path, threads):
    """Train the `kg_ner` model on the annotations and write it to --out.

    Same data, seed and thread count give the same model. Prints the held-out scores
    as JSON.
    """
    # Must be set before numpy's BLAS starts (the training modules import it lazily).
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
    from extractors.statistical_ner import default_model_dir
    from extractors.training import CONFIG_PATH, train_ner

    summary = train_ner(
        papers=papers,
        gold=gold,
        out=out or default_model_dir(),
        external=tuple(external),
        seed=seed,
        holdout=holdout,
        max_steps=max_steps,
        config=config_path or CONFIG_PATH,
    )
    click.echo(json.dumps(summary, indent=2))
