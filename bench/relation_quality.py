"""Relation extraction quality on the dev set, with the pipeline's and with gold entities.

Relation F1 is bounded by entity quality: a relation counts only when both its ends
match gold entities. Three figures keep the two sources of error apart:

- pipeline: `kg extract` (the default ``accurate`` profile: the classifier between the
  final entities) on the dev papers, scored by ../shared/eval/score_entities.py (the
  issue's measure; bar F1 >= 0.55 with precision >= 0.70);
- gold entities: the dev gold entities projected on the text (roles from the gold), fed
  through the same classifier and counted the way the scorer counts;
- fast: `kg extract --profile fast` (the precise patterns of `extractors.relation_rules`,
  no model), scored by the scorer;

and the figures per relation label (the pipeline's, the classifier's with gold entities). Sixty papers measure coarsely: each figure
comes with a 90 % interval from resampling the papers (`relation_validation.paper_bootstrap`,
seed 0).

Run: python bench/relation_quality.py [--papers P --gold G] [--write]
(--write updates the section in docs/benchmarks.md). The shipped model must not have
seen the dev set: `kg train-relations` trains on ../shared/annotation only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdoc import replace_section  # noqa: E402

SHARED = ROOT.parent / "shared"


def scorer():
    spec = importlib.util.spec_from_file_location("score_entities", SHARED / "eval" / "score_entities.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def per_relation(score, gold_papers: dict, predicted_papers: dict) -> dict[str, dict]:
    """The scorer's relation figures for each label alone (gold and predicted relations of
    that label; the entities as they are)."""
    from extractors.relation_features import ALLOWED

    def only(papers: dict, relation: str) -> dict:
        return {key: {**paper, "relations": [r for r in paper.get("relations") or () if r.get("relation") == relation]}
                for key, paper in papers.items()}

    return {relation: score.score_relations(only(gold_papers, relation), only(predicted_papers, relation)) for relation in ALLOWED}


def gold_entities_per_relation(gold_docs: list, golds: list[dict], model) -> dict[str, dict]:
    """The classifier's figures per label with gold entities: the other labels' findings
    dropped (a label's decisions do not depend on the others' thresholds), its gold alone."""
    from copy import copy

    from extractors.relation_features import ALLOWED
    from extractors.relation_training import score_docs

    figures = {}
    for relation in ALLOWED:
        alone = copy(model)
        alone.thresholds = {r: (t if r == relation else 2.0) for r, t in model.thresholds.items()}
        only = [{**gold, "relations": [r for r in gold.get("relations") or () if r["relation"] == relation]} for gold in golds]
        figures[relation] = score_docs(gold_docs, only, alone)
    return figures


def each_paper(score, gold_papers: dict, predicted_papers: dict) -> list[tuple[int, int, int]]:
    """The scorer's (right, predicted, gold) relations of each paper alone."""
    figures = []
    for key, paper in gold_papers.items():
        alone = score.score_relations({key: paper}, {key: predicted_papers[key]} if key in predicted_papers else {})
        figures.append((alone["tp"], alone["pred"], alone["gold"]))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", default=str(SHARED / "eval" / "dev.papers.jsonl"))
    parser.add_argument("--gold", default=str(SHARED / "eval" / "dev.gold.jsonl"))
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)

    from extractors.relation_training import gold_entity_docs, load_annotated, score_docs
    from extractors.relation_validation import paper_bootstrap
    from extractors.relations import default_model_path
    from extractors.sparse_logistic import SparseLogisticModel
    from kg.corpus import read_corpus
    from kg.extraction import extract_papers

    started = time.perf_counter()
    corpus = read_corpus([args.papers])
    score = scorer()
    profiles, by_relation, intervals = {}, {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for profile in ("accurate", "fast"):
            predictions = Path(folder) / f"{profile}.jsonl"
            with open(predictions, "w", encoding="utf-8") as handle:
                for record in extract_papers(corpus.papers, profile=profile):
                    handle.write(json.dumps(record.to_json()) + "\n")
            gold_papers, predicted_papers = score.load([args.gold]), score.load([str(predictions)])
            profiles[profile] = score.score(gold_papers, predicted_papers)["relations"]
            by_relation[profile] = per_relation(score, gold_papers, predicted_papers)
            intervals[profile] = paper_bootstrap(each_paper(score, gold_papers, predicted_papers))
    model = SparseLogisticModel.load(default_model_path())
    annotated = load_annotated(args.papers, args.gold)
    golds = [g for _, g in annotated]
    gold_docs = gold_entity_docs(annotated)
    with_gold = score_docs(gold_docs, golds, model)
    alone = [score_docs([doc], [gold], model) for doc, gold in zip(gold_docs, golds)]
    intervals["gold"] = paper_bootstrap([(s["tp"], s["pred"], s["gold"]) for s in alone])
    rows = [("pipeline, `accurate` (`kg extract` + scorer)", profiles["accurate"], intervals["accurate"]),
            ("gold entities, the classifier", with_gold, intervals["gold"]),
            ("pipeline, `fast`: patterns, no model (`kg extract --profile fast` + scorer)", profiles["fast"], intervals["fast"])]
    trained = model.provenance
    for key, name in (("cross_validated_predicted_entities", "train, 5-fold cross-validation, pipeline entities"),
                      ("cross_validated_gold_entities", "train, 5-fold cross-validation, gold entities")):
        if key in trained:
            rows.append((name, trained[key], None))
    table = ["| entities | P | R | F1 | tp / pred / gold | 90 % interval P; F1 (papers resampled) |", "| --- | --- | --- | --- | --- | --- |"]
    for name, r, interval in rows:
        spread = f"{interval['p'][0]:.2f}-{interval['p'][1]:.2f}; {interval['f1'][0]:.2f}-{interval['f1'][1]:.2f}" if interval else ""
        table.append(f"| {name} | {r['p']:.3f} | {r['r']:.3f} | {r['f1']:.3f} | {r['tp']} / {r['pred']} / {r['gold']} | {spread} |")
    by_relation["gold"] = gold_entities_per_relation(gold_docs, golds, model)
    relation_table = ["| relation | `accurate` P / R / F1 | tp / pred / gold | gold entities P / R / F1 | tp / pred / gold "
                      "| `fast` P / R / F1 | tp / pred / gold |",
                      "| --- | --- | --- | --- | --- | --- | --- |"]
    for relation, accurate in by_relation["accurate"].items():
        fast, gold = by_relation["fast"][relation], by_relation["gold"][relation]
        relation_table.append(f"| {relation} | {accurate['p']:.3f} / {accurate['r']:.3f} / {accurate['f1']:.3f} | "
                              f"{accurate['tp']} / {accurate['pred']} / {accurate['gold']} | "
                              f"{gold['p']:.3f} / {gold['r']:.3f} / {gold['f1']:.3f} | {gold['tp']} / {gold['pred']} / {gold['gold']} | "
                              f"{fast['p']:.3f} / {fast['r']:.3f} / {fast['f1']:.3f} | {fast['tp']} / {fast['pred']} / {fast['gold']} |")
    body = "\n".join(
        [
            "## Relation extraction on the dev set (`bench/relation_quality.py`)",
            "",
            f"Command: `python bench/relation_quality.py --write` ({len(annotated)} dev papers, {time.perf_counter() - started:.0f} s).",
            f"Model: `extractors/models/kg_relations.json` (l2 {trained.get('l2')}, thresholds {json.dumps(model.thresholds)}, "
            f"chosen by {trained.get('folds')}-fold cross-validation on the train annotations with precision >= {trained.get('min_precision')}"
            f" ({'the pipeline' if trained.get('thresholds_on') == 'pipeline' else 'gold'} entities)).",
            "Bar: F1 >= 0.55 with precision >= 0.70 (annotators agree at about 0.82).",
            "",
            *table,
            "",
            "Per relation (the scorer on the records' relations of one label; the classifier on gold entities):",
            "",
            *relation_table,
        ]
    )
    print(body)
    if args.write:
        replace_section(ROOT / "docs" / "benchmarks.md", "relation-quality", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
