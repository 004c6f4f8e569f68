"""How well cross-paper entity resolution joins the dev gold's entities.

Gold entities: per-paper gold entities that share a name or alias (compared in the
scorer's normal form: case, spaces, hyphens, a leading "the", a final plural "s") across
papers are one gold entity. Prints, for the gold converted into extraction records
(offsets found by string search, tests/goldrecords.py):

- joined: the share of gold entities occurring in several papers that end up as one IRI
  (bar: >= 95%);
- impure: the share of IRIs that merge two or more different gold entities (bar: < 2%).

Run: python bench/resolution_quality.py [--gold G --papers P] [--no-infer]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from goldrecords import SHARED_EVAL, load_gold  # noqa: E402

from kg.resolve import resolve_entities  # noqa: E402


def scorer_norm(text: str) -> str:
    """The normal form of shared/eval/score_entities.py (restated: that file is not a package)."""
    t = text.lower().strip()
    t = re.sub(r"^the\s+", "", t)
    t = re.sub(r"[\s\-\u2010-\u2015_]+", "", t)
    if len(t) > 3 and t.endswith("s") and not t.endswith("ss"):
        t = t[:-1]
    return t


def gold_entities(papers, golds, *, literal: bool = False) -> dict[tuple[str, str], int]:
    """(paper id, gold name) -> gold entity number, joining entities that share a name or alias.

    An alias that the gold gives to two or more different names (``LMs`` for "language
    models" and for "large language models") joins nothing: the issue's own rule for
    ambiguous short forms. ``literal=True`` joins through those too (plain transitive union).
    """
    alias_names: dict[str, set[str]] = defaultdict(set)
    for gold in golds:
        for item in gold["entities"]:
            for alias in item.get("aliases", []):
                alias_names[scorer_norm(alias)].add(scorer_norm(item["name"]))
    ambiguous = set() if literal else {a for a, names in alias_names.items() if len(names - {a}) > 1}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    members = []
    for paper, gold in zip(papers, golds):
        for item in gold["entities"]:
            name = scorer_norm(item["name"])
            forms = [name] + [f for f in map(scorer_norm, item.get("aliases", [])) if f and f not in ambiguous]
            for form in forms[1:]:
                parent[find(form)] = find(name)
            members.append(((paper.id, item["name"]), name))
    numbers: dict[str, int] = {}
    return {key: numbers.setdefault(find(form), len(numbers)) for key, form in members}


def measure(papers, extractions, golds, *, infer_abbreviations: bool = True, literal: bool = False) -> dict[str, float]:
    resolution = resolve_entities(extractions, infer_abbreviations=infer_abbreviations)
    gold_of = gold_entities(papers, golds, literal=literal)
    iris_of_gold: dict[int, set[str]] = defaultdict(set)
    papers_of_gold: dict[int, set[str]] = defaultdict(set)
    golds_of_iri: dict[str, set[int]] = defaultdict(set)
    for (paper_id, name), number in gold_of.items():
        entity = resolution.lookup(paper_id, name)
        slug = entity.slug if entity else f"unresolved:{paper_id}:{name}"
        iris_of_gold[number].add(slug)
        papers_of_gold[number].add(paper_id)
        golds_of_iri[slug].add(number)
    shared = [n for n, p in papers_of_gold.items() if len(p) > 1]
    joined = sum(1 for n in shared if len(iris_of_gold[n]) == 1)
    impure = sum(1 for numbers in golds_of_iri.values() if len(numbers) > 1)
    return {
        "papers": len(papers),
        "gold_entities": len(papers_of_gold),
        "gold_in_several_papers": len(shared),
        "joined": joined / len(shared) if shared else 1.0,
        "iris": len(golds_of_iri),
        "impure_iris": impure,
        "impure": impure / len(golds_of_iri) if golds_of_iri else 0.0,
        "ambiguous_abbreviations": len(resolution.ambiguous),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=SHARED_EVAL / "dev.gold.jsonl")
    parser.add_argument("--papers", type=Path, default=SHARED_EVAL / "dev.papers.jsonl")
    parser.add_argument("--no-infer", action="store_true", help="do not infer abbreviations nobody spells out")
    parser.add_argument("--literal", action="store_true", help="gold entities joined through ambiguous aliases too")
    args = parser.parse_args(argv)
    papers, extractions, golds = load_gold(args.gold, args.papers)
    figures = measure(papers, extractions, golds, infer_abbreviations=not args.no_infer, literal=args.literal)
    print(f"gold: {args.gold} ({figures['papers']} papers, {figures['gold_entities']} gold entities, "
          f"{figures['gold_in_several_papers']} in several papers)")
    print(f"joined: {figures['joined']:.1%} of gold entities in several papers are one IRI (bar >= 95%)")
    print(f"impure: {figures['impure']:.1%} of {figures['iris']} IRIs merge two gold entities "
          f"({figures['impure_iris']}; bar < 2%)")
    print(f"ambiguous abbreviations kept apart: {figures['ambiguous_abbreviations']}")
    return 0 if figures["joined"] >= 0.95 and figures["impure"] < 0.02 else 1


if __name__ == "__main__":
    sys.exit(main())
