"""Rebuild the `kg_ner` model from the annotation files: data conversion and training.

`build_training_docs` turns papers + gold (names and aliases without offsets) into spaCy
Docs whose entities are the projected gold spans (`extractors.gold_projection`);
`train_ner` splits them (seeded) into a training part and a held-out part used for model
selection, trains with the shipped config `extractors/kg_ner.cfg`, and writes the best
model atomically to the output directory. The dev set is never seen here.
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

from extractors.external_data import external_docs
from extractors.gold_projection import project_paper
from extractors.jsonl import read_jsonl
from kg.problems import InputError, Problem

__all__ = ["CONFIG_PATH", "TrainingData", "build_training_docs", "train_ner"]

log = logging.getLogger("kg.train")

CONFIG_PATH = Path(__file__).with_name("kg_ner.cfg")
# The blank tokenizer the pipeline uses; shipped models must be trained on the same.
_LANG = "en"


@dataclass(frozen=True)
class TrainingData:
    """Docs built from the gold files and how much of the gold they recover."""

    docs: tuple[Doc, ...]
    entities: int  # gold entities listed
    recovered: int  # of which at least one occurrence was found in the text
    spans: int  # projected spans kept as entities
    unaligned: int  # projected spans off token boundaries (their tokens left unannotated)


def _title_key(title: str) -> str:
    return " ".join(title.split()).lower()


def build_training_docs(papers_path: str | Path, gold_path: str | Path, *, nlp=None) -> TrainingData:
    """Docs of ``title + "\\n\\n" + abstract`` with the gold entities projected on them.

    Gold records are matched to papers by title (whitespace and case folded), as the
    scorer does; a gold record without its paper raises `InputError`.
    """
    nlp = nlp or spacy.blank(_LANG)
    papers = {_title_key(p["title"]): p for _, p in read_jsonl(papers_path, required={"title": str})}
    docs: list[Doc] = []
    entities = recovered = n_spans = unaligned = 0
    for number, gold in read_jsonl(gold_path, required={"title": str, "entities": list}):
        paper = papers.get(_title_key(gold["title"]))
        if paper is None:
            raise InputError(Problem(str(gold_path), number, f"no paper titled {gold['title']!r} in {papers_path}"))
        for entity in gold.get("entities", ()):
            if not isinstance(entity, dict) or not {"name", "type"} <= entity.keys():
                raise InputError(Problem(str(gold_path), number, "entity without 'name' and 'type'"))
        projection = project_paper(paper["title"], paper.get("abstract") or "", gold.get("entities", []))
        doc = nlp.make_doc(projection.text)
        ents, missing = [], []
        for span in projection.spans:
            aligned = doc.char_span(span.start, span.end, label=span.label)
            if aligned is None:
                unaligned += 1
                covering = doc.char_span(span.start, span.end, alignment_mode="expand")
                if covering is not None:
                    missing.append(covering)
            else:
                ents.append(aligned)
        # A token cut by an unaligned span is unannotated, and so is any entity touching it.
        unknown = {i for span in missing for i in range(span.start, span.end)}
        ents = [e for e in ents if not unknown & set(range(e.start, e.end))]
        known = {i for e in ents for i in range(e.start, e.end)}
        doc.set_ents(ents, missing=[doc[i : i + 1] for i in sorted(unknown - known)], default="outside")
        docs.append(doc)
        entities += len(gold.get("entities", ()))
        recovered += len(projection.found)
        n_spans += len(ents)
    return TrainingData(tuple(docs), entities, recovered, n_spans, unaligned)


def _write_docbin(docs, path: Path) -> None:
    DocBin(docs=docs, store_user_data=False).to_disk(path)


def _forget_paths(config_file: Path) -> None:
    """Drop the temporary data paths from a saved config (they differ every run)."""
    from spacy.util import load_config

    config = load_config(config_file, interpolate=False)
    for key in ("train", "dev"):
        config["paths"][key] = None
    config.to_disk(config_file)


def _replace_directory(source: Path, target: Path) -> None:
    """Copy ``source`` next to ``target`` and swap it in, so ``target`` is never half-written."""
    staged = target.with_name(f".{target.name}.new-{os.getpid()}")
    retired = target.with_name(f".{target.name}.old-{os.getpid()}")
    shutil.copytree(source, staged)
    if target.exists():
        os.replace(target, retired)
    os.replace(staged, target)
    shutil.rmtree(retired, ignore_errors=True)


def train_ner(
    *,
    papers: str | Path,
    gold: str | Path,
    out: str | Path,
    external: tuple[str | Path, ...] = (),
    external_weight: int = 1,
    seed: int = 0,
    holdout: float = 0.15,
    max_steps: int | None = None,
    config: str | Path = CONFIG_PATH,
    overrides: dict | None = None,
) -> dict:
    """Train the statistical NER model and write it to ``out``; return its held-out scores.

    Parameters
    ----------
    papers, gold
        The annotation files (``train.papers.jsonl``, ``train.gold.jsonl``).
    out
        Model directory to (re)write; replaced atomically when training succeeds.
    external
        Public data in the common JSONL form (see `extractors.external_data`), added to
        the training part only, with partial labels.
    external_weight
        How many copies of each external doc go into the training part (0 drops them).
    seed
        Seeds the split, the shuffling and the weights.
    holdout
        Fraction of the gold papers kept out of training for model selection (0: none,
        the last good checkpoint on the training papers is kept).
    max_steps, config, overrides
        Training length, spaCy config file and extra config overrides.
    """
    from spacy.cli.train import train as spacy_train

    data = build_training_docs(papers, gold)
    log.info(
        "gold: %d entities, %d found in the text (%.1f%%), %d spans, %d off token boundaries",
        data.entities, data.recovered, 100 * data.recovered / max(data.entities, 1), data.spans, data.unaligned,
    )
    docs = list(data.docs)
    random.Random(seed).shuffle(docs)
    # holdout 0 trains on every paper; model selection then sees only training papers
    n_held = max(1, round(len(docs) * holdout)) if holdout > 0 and len(docs) > 1 else 0
    held, train_docs = docs[:n_held], docs[n_held:]
    extra = [doc for path in external for doc in external_docs(path)] * external_weight
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kg-train-") as work:
        work_dir = Path(work)
        _write_docbin(train_docs + extra, work_dir / "train.spacy")
        _write_docbin(held or train_docs, work_dir / "heldout.spacy")
        settings = {
            "paths.train": str(work_dir / "train.spacy"),
            "paths.dev": str(work_dir / "heldout.spacy"),
            "system.seed": seed,
        }
        if max_steps is not None:
            settings["training.max_steps"] = max_steps
            settings["training.eval_frequency"] = max(1, min(100, max_steps))
        settings.update(overrides or {})
        spacy_train(Path(config), work_dir / "output", use_gpu=-1, overrides=settings)
        best = work_dir / "output" / "model-best"
        meta = json.loads((best / "meta.json").read_text(encoding="utf-8"))
        _forget_paths(best / "config.cfg")
        _replace_directory(best, out)
    scores = meta.get("performance", {})
    return {
        "heldout_papers": len(held),
        "train_papers": len(train_docs),
        "external_docs": len(extra),
        "gold_entities": data.entities,
        "gold_recovered": data.recovered,
        "projected_spans": data.spans,
        "unaligned_spans": data.unaligned,
        "ents_f": scores.get("ents_f"),
        "ents_per_type": scores.get("ents_per_type"),
    }
