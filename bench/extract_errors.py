"""Error analysis of the extractor on an annotated set (the training papers by default).

Lists, per paper, the gold entities the predictions miss and the predictions no gold
entity matches, with the scorer's own matching (``score_entities.py``), so rule work is
driven by the training gold and the dev set stays for confirmation only.

Run from the repository root::

    kg extract ../shared/annotation/train.papers.jsonl -o /tmp/train.pred.jsonl --profile fast
    python bench/extract_errors.py --pred /tmp/train.pred.jsonl --focus introduced
    python bench/extract_errors.py --pred /tmp/train.pred.jsonl --introduced-breakdown

``--missing-examples N`` lists N introduced gold entities that no prediction holds or
touches (the breakdown's "missing" bucket), each with the first sentence of the title or
abstract that names it (``--papers``), so they can be grouped by how the paper introduces them.

``--type-breakdown Task`` counts the fates of one type's gold entities and its wrong
predictions the same way; with ``--candidates`` (the filter's inputs, as
``bench/filter_error_buckets.py`` writes them) it tells the candidates the filter dropped
from the names no candidate holds.

``--introduced-breakdown`` counts why introduced entities are missed: found with the right
type but called ``used`` (role), found under another type (type:GOLD->PRED), found with
another span (boundary: a prediction's name holds it or lies inside it), or not found at
all (missing); and why introduced predictions are wrong (false:used, false:type,
false:boundary, false:not_gold).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path

_DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "annotation" / "train.gold.jsonl"
_SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score_entities.py"


def _scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_entities", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def errors(gold: list[dict], pred: list[dict], scorer, *, focus: str) -> tuple[list[tuple[str, str, dict]], Counter]:
    """(kind, title, entity) for every miss ("FN") and spurious prediction ("FP").

    ``focus`` is "typed" (the typed match), "introduced" (introduced entities only) or
    a type name (that type only, by gold type for misses and predicted type for spurious).
    """
    by_title = {scorer.title_key(p["title"]): p for p in pred}
    found, counts = [], Counter()
    for paper in gold:
        gold_entities = paper["entities"]
        predicted = by_title.get(scorer.title_key(paper["title"]), {}).get("entities", [])
        pairs = scorer.match(gold_entities, predicted, True, False)
        matched_gold = {g: p for g, p in pairs}
        matched_pred = {p: g for g, p in pairs}
        for g, entity in enumerate(gold_entities):
            if focus == "introduced":
                wrong = entity.get("role") == "introduced" and (g not in matched_gold or predicted[matched_gold[g]].get("role") != "introduced")
            else:
                wrong = g not in matched_gold and focus in ("typed", entity["type"])
            if wrong:
                found.append(("FN", paper["title"], entity))
                counts["FN"] += 1
        for p, entity in enumerate(predicted):
            if focus == "introduced":
                wrong = entity.get("role") == "introduced" and (p not in matched_pred or gold_entities[matched_pred[p]].get("role") != "introduced")
            else:
                wrong = p not in matched_pred and focus in ("typed", entity["type"])
            if wrong:
                found.append(("FP", paper["title"], entity))
                counts["FP"] += 1
    return found, counts


def introduced_breakdown(gold: list[dict], pred: list[dict], scorer) -> Counter:
    """Counts of each gold introduced entity's fate ("ok", "role", "type:Model->Method",
    "boundary": no prediction of its name, but one whose name holds it or lies inside it,
    "missing": nothing near) and of the introduced predictions that are wrong:
    "false:used" (the gold entity is used), "false:type" (the gold entity under another
    type), "false:boundary" (a name holding or inside a gold name), "false:not_gold"."""
    by_title = {scorer.title_key(p["title"]): p for p in pred}
    counts = Counter()
    for paper in gold:
        gold_entities = paper["entities"]
        predicted = by_title.get(scorer.title_key(paper["title"]), {}).get("entities", [])
        typed = dict(scorer.match(gold_entities, predicted, True, False))
        untyped = dict(scorer.match(gold_entities, predicted, False, False))
        for g, entity in enumerate(gold_entities):
            if entity.get("role") != "introduced":
                continue
            if g in typed:
                counts["ok" if predicted[typed[g]].get("role") == "introduced" else "role"] += 1
            elif g in untyped:
                counts[f"type:{entity['type']}->{predicted[untyped[g]]['type']}"] += 1
            elif any(scorer.overlaps(scorer.forms(entity), scorer.forms(p)) for p in predicted):
                counts["boundary"] += 1
            else:
                counts["missing"] += 1
        typed_of = {p: g for g, p in typed.items()}
        untyped_of = {p: g for g, p in untyped.items()}
        for p, entity in enumerate(predicted):
            if entity.get("role") != "introduced" or (p in typed_of and gold_entities[typed_of[p]].get("role") == "introduced"):
                continue
            if p in typed_of:
                counts["false:used"] += 1
            else:
                counts["false:" + _why_wrong(entity, untyped_of.get(p), gold_entities, scorer).split(":")[0]] += 1
    return counts


def _why_wrong(entity: dict, gold_index: int | None, gold_entities: list[dict], scorer) -> str:
    """Why a prediction no gold entity matches with its type is wrong: "type:Method" (the gold
    entity of its name, ``gold_index``, has that type), "boundary" or "not_gold"."""
    if gold_index is not None:
        return f"type:{gold_entities[gold_index]['type']}"
    if any(scorer.overlaps(scorer.forms(entity), scorer.forms(g)) for g in gold_entities):
        return "boundary"
    return "not_gold"


def type_breakdown(gold: list[dict], pred: list[dict], scorer, entity_type: str, candidates: list[dict] | None = None) -> Counter:
    """Counts of each gold entity of ``entity_type`` by its fate: "ok"; "type:Task->Method"
    (predicted under another type); "dropped" (no prediction, but a candidate of that name:
    ``candidates`` are the filter's inputs in the prediction shape); "boundary" (a prediction
    holds it or lies inside it), "boundary_candidate" (only a candidate does); "missing".
    And of the wrong predictions of the type: "false:type:Method" (the gold has the name
    under that type), "false:boundary", "false:not_gold"."""
    by_title = {scorer.title_key(p["title"]): p for p in pred}
    candidates_of = {scorer.title_key(p["title"]): p for p in candidates or []}
    counts = Counter()
    for paper in gold:
        key = scorer.title_key(paper["title"])
        gold_entities = paper["entities"]
        predicted = by_title.get(key, {}).get("entities", [])
        proposed = candidates_of.get(key, {}).get("entities", [])
        typed = dict(scorer.match(gold_entities, predicted, True, False))
        untyped = dict(scorer.match(gold_entities, predicted, False, False))
        named = dict(scorer.match(gold_entities, proposed, False, False))
        for g, entity in enumerate(gold_entities):
            if entity["type"] != entity_type:
                continue
            forms = scorer.forms(entity)
            if g in typed:
                counts["ok"] += 1
            elif g in untyped:
                counts[f"type:{entity_type}->{predicted[untyped[g]]['type']}"] += 1
            elif g in named:
                counts["dropped"] += 1
            elif any(scorer.overlaps(forms, scorer.forms(p)) for p in predicted):
                counts["boundary"] += 1
            elif any(scorer.overlaps(forms, scorer.forms(p)) for p in proposed):
                counts["boundary_candidate"] += 1
            else:
                counts["missing"] += 1
        typed_of = set(typed.values())
        untyped_of = {p: g for g, p in untyped.items()}
        for p, entity in enumerate(predicted):
            if entity["type"] != entity_type or p in typed_of:
                continue
            counts["false:" + _why_wrong(entity, untyped_of.get(p), gold_entities, scorer)] += 1
    return counts


def _sentence(paper: dict, names: list[str]) -> str:
    """The title, or the first abstract sentence, that holds one of ``names`` (case folded)."""
    folded = [n.lower() for n in names if n]
    if any(n in paper.get("title", "").lower() for n in folded):
        return "TITLE: " + paper["title"]
    for sentence in re.split(r"(?<=[.!?])\s+", paper.get("abstract", "")):
        if any(n in sentence.lower() for n in folded):
            return sentence
    return ""


def missing_introduced(gold: list[dict], pred: list[dict], papers: list[dict], scorer) -> list[tuple[dict, str, str]]:
    """(entity, paper title, sentence) for every introduced gold entity of the breakdown's
    "missing" bucket: no prediction matches it, holds it or lies inside it."""
    by_title = {scorer.title_key(p["title"]): p for p in pred}
    text_of = {scorer.title_key(p["title"]): p for p in papers}
    found = []
    for paper in gold:
        key = scorer.title_key(paper["title"])
        predicted = by_title.get(key, {}).get("entities", [])
        for entity in paper["entities"]:
            if entity.get("role") != "introduced" or any(scorer.overlaps(scorer.forms(entity), scorer.forms(p)) for p in predicted):
                continue
            names = [entity["name"], *(entity.get("aliases") or [])]
            found.append((entity, paper["title"], _sentence(text_of.get(key, {}), names)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=_DEFAULT_GOLD)
    parser.add_argument("--pred", type=Path, required=True)
    parser.add_argument("--scorer", type=Path, default=_SCORER)
    parser.add_argument("--focus", default="typed", help="typed, introduced, or one of the six types")
    parser.add_argument("--kind", choices=("FN", "FP", "both"), default="both")
    parser.add_argument("--papers", type=Path, default=_DEFAULT_GOLD.with_name("train.papers.jsonl"))
    parser.add_argument("--missing-examples", type=int, default=0, help="list this many introduced entities nothing found, with their sentence")
    parser.add_argument("--introduced-breakdown", action="store_true", help="only count why introduced entities are missed")
    parser.add_argument("--type-breakdown", metavar="TYPE", help="only count why the gold entities of TYPE are missed and its wrong predictions")
    parser.add_argument("--candidates", type=Path, help="the filter's candidates (prediction shape) for --type-breakdown's 'dropped' bucket")
    args = parser.parse_args(argv)
    scorer = _scorer(args.scorer)
    if args.type_breakdown:
        candidates = _records(args.candidates) if args.candidates else None
        for fate, count in type_breakdown(_records(args.gold), _records(args.pred), scorer, args.type_breakdown, candidates).most_common():
            print(f"{fate}\t{count}")
        return 0
    if args.missing_examples:
        missing = missing_introduced(_records(args.gold), _records(args.pred), _records(args.papers), scorer)
        for entity, title, sentence in missing[: args.missing_examples]:
            print(f"{entity['type']}\t{entity['name']}\t| {sentence}")
        print(f"{len(missing)} introduced gold entities not found at all", file=sys.stderr)
        return 0
    if args.introduced_breakdown:
        for fate, count in introduced_breakdown(_records(args.gold), _records(args.pred), scorer).most_common():
            print(f"{fate}\t{count}")
        return 0
    found, counts = errors(_records(args.gold), _records(args.pred), scorer, focus=args.focus)
    for kind, title, entity in found:
        if args.kind in ("both", kind):
            aliases = f" ({', '.join(entity.get('aliases') or [])})" if entity.get("aliases") else ""
            print(f"{kind}\t{entity['type']}\t{entity.get('role', '')}\t{entity['name']}{aliases}\t| {title[:70]}")
    print(dict(counts), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
