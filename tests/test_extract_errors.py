"""bench/extract_errors.py: why introduced entities are missed, with the project's scorer."""

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCORER = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared")) / "eval" / "score_entities.py"


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_introduced_breakdown_sorts_misses_into_role_type_boundary_and_missing():
    if not SCORER.is_file():
        pytest.skip(f"no scorer at {SCORER} (set KG_SHARED)")
    errors = _module(ROOT / "bench" / "extract_errors.py", "extract_errors")
    gold = [{"title": "Zorbit: Search", "entities": [
        {"name": "Zorbit", "type": "Method", "role": "introduced"},
        {"name": "Quux", "type": "Model", "role": "introduced"},
        {"name": "ZorbitBench", "type": "Benchmark", "role": "introduced"},
        {"name": "graph search", "type": "Task", "role": "introduced"},
        {"name": "soft graph verbalizer", "type": "Method", "role": "introduced"},
        {"name": "BERT", "type": "Model", "role": "used"}]}]
    pred = [{"title": "zorbit:  search", "entities": [
        {"name": "Zorbit", "type": "Method", "role": "introduced"},
        {"name": "Quux", "type": "Method", "role": "introduced"},
        {"name": "ZorbitBench", "type": "Benchmark", "role": "used"},
        {"name": "graph verbalizer", "type": "Method", "role": "used"},
        {"name": "BERT", "type": "Model", "role": "introduced"},
        {"name": "Glimmer", "type": "Method", "role": "introduced"}]}]
    counts = errors.introduced_breakdown(gold, pred, _module(SCORER, "score_entities"))
    # "Quux" under the wrong type is also a false introduced prediction
    assert counts == {"ok": 1, "type:Model->Method": 1, "role": 1, "missing": 1, "boundary": 1,
                      "false:type": 1, "false:used": 1, "false:not_gold": 1}


def test_type_breakdown_tells_dropped_candidates_from_missing_names_and_counts_wrong_predictions():
    if not SCORER.is_file():
        pytest.skip(f"no scorer at {SCORER} (set KG_SHARED)")
    errors = _module(ROOT / "bench" / "extract_errors.py", "extract_errors")
    gold = [{"title": "T", "entities": [
        {"name": "question answering", "type": "Task"}, {"name": "data imputation", "type": "Task"},
        {"name": "reward modeling", "type": "Task"}, {"name": "Image-to-3D Generation", "type": "Task"},
        {"name": "regret minimization", "type": "Task"}, {"name": "pathfinding", "type": "Task"},
        {"name": "self-correction", "type": "Method"}, {"name": "BERT", "type": "Model"}]}]
    pred = [{"title": "t", "entities": [
        {"name": "Question Answering", "type": "Task"}, {"name": "reward modeling", "type": "Method"},
        {"name": "3D Generation", "type": "Task"}, {"name": "self-correction", "type": "Task"}, {"name": "molecules", "type": "Task"}]}]
    candidates = [{"title": "T", "entities": [{"name": "data imputation", "type": "Task"}, {"name": "regret minimization problem", "type": "Task"}]}]
    scorer = _module(SCORER, "score_entities")
    assert errors.type_breakdown(gold, pred, scorer, "Task", candidates) == {
        "ok": 1, "dropped": 1, "type:Task->Method": 1, "boundary": 1, "boundary_candidate": 1, "missing": 1,
        "false:type:Method": 1, "false:boundary": 1, "false:not_gold": 1}
    # without the candidates, a dropped name is missing
    assert errors.type_breakdown(gold, pred, scorer, "Task")["missing"] == 3


def test_candidate_ceiling_keeps_exactly_the_candidates_that_name_gold_entities():
    buckets = _module(ROOT / "bench" / "filter_error_buckets.py", "filter_error_buckets")
    gold = [{"title": "Zorbit: Search", "entities": [
        {"name": "Zorbit", "type": "Method", "role": "introduced"},
        {"name": "Large Language Models", "type": "Method", "role": "used", "aliases": ["LLMs"]},
        {"name": "GLUE", "type": "Benchmark", "role": "used"}]},
        {"title": "Other", "entities": [{"name": "BLEU", "type": "Metric", "role": "used"}]}]
    candidates = [{"title": "zorbit:  search", "entities": [
        {"name": "Zorbit", "type": "Model", "role": "used", "aliases": []},
        {"name": "LLMs", "type": "Method", "role": "used", "aliases": []},
        {"name": "our method", "type": "Method", "role": "used", "aliases": []}]}]
    # a perfect filter keeps Zorbit (retyped, introduced) and LLMs (an alias), drops "our method";
    # GLUE and BLEU are no candidate of theirs: recall 2 of 4
    assert buckets.candidate_ceiling(gold, candidates) == {"p": 1.0, "r": 0.5, "f1": 0.6667, "intro_f1": 1.0}
    # the candidates as they stand: Zorbit has the wrong type, "our method" is wrong
    assert buckets.predicted_scores(gold, candidates) == {"p": 0.3333, "r": 0.25, "f1": 0.2857, "intro_f1": 0.0}
