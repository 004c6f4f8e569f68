"""`kg train-relations`: a seeded, reproducible model with its provenance, from annotations."""

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractors.sparse_logistic import SparseLogisticModel
from extractors.records import RELATION_TYPES
from kg.cli import cli

SHARED = Path(os.environ.get("KG_SHARED", Path(__file__).resolve().parents[2] / "shared"))
ANNOTATION = SHARED / "annotation"
pytestmark = pytest.mark.skipif(not (ANNOTATION / "train.gold.jsonl").is_file(), reason="no shared annotations")


@pytest.fixture(scope="module")
def small_annotations(tmp_path_factory):
    """The first 16 annotated papers (a few seconds of training)."""
    folder = tmp_path_factory.mktemp("annotations")
    for name in ("train.papers.jsonl", "train.gold.jsonl"):
        lines = (ANNOTATION / name).read_text(encoding="utf-8").splitlines(keepends=True)[:16]
        (folder / name).write_text("".join(lines), encoding="utf-8")
    return folder / "train.papers.jsonl", folder / "train.gold.jsonl"


def train(papers, gold, out):
    args = ["train-relations", "--papers", str(papers), "--gold", str(gold), "-o", str(out), "--folds", "2", "--seed", "3"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output[result.output.index("{"):])


def test_training_is_seeded_and_records_provenance(small_annotations, tmp_path):
    papers, gold = small_annotations
    summary = train(papers, gold, tmp_path / "a.json")
    train(papers, gold, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    model = SparseLogisticModel.load(tmp_path / "a.json")
    assert set(model.thresholds) == set(RELATION_TYPES)
    assert all(0.0 < t < 1.0 for t in model.thresholds.values())
    provenance = model.provenance
    assert provenance["seed"] == 3 and provenance["folds"] == 2 and provenance["papers"] == 16
    assert set(provenance["data"]) == {"train.papers.jsonl", "train.gold.jsonl"}
    for key in ("cross_validated_predicted_entities", "cross_validated_gold_entities"):
        scores = provenance[key]
        assert scores["gold"] > 0 and 0.0 <= scores["p"] <= 1.0 and 0.0 <= scores["f1"] <= 1.0
    assert summary["thresholds"] == model.thresholds
    assert provenance["thresholds_on"] == "gold" and provenance["min_precision"] == 0.7


def test_thresholds_on_names_whose_predictions_count(small_annotations, tmp_path):
    from extractors.relation_training import train_relations

    papers, gold = small_annotations
    with pytest.raises(ValueError, match="thresholds_on"):
        train_relations(papers=papers, gold=gold, out=tmp_path / "m.json", thresholds_on="dev")
    assert not (tmp_path / "m.json").exists()


def test_bad_annotation_line_names_file_and_line(small_annotations, tmp_path):
    papers, _ = small_annotations
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"title": "A", "entities": []}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["train-relations", "--papers", str(papers), "--gold", str(gold), "-o", str(tmp_path / "m.json")])
    assert result.exit_code != 0
    assert f"{gold}:2" in str(result.exception) or f"{gold}:2" in result.output


@pytest.mark.skipif(not (SHARED / "eval" / "dev.gold.jsonl").is_file(), reason="no dev set")
def test_shipped_model_on_dev_with_gold_entities():
    # the relation component alone (gold entities and roles fed in): a regression floor
    # under the measured 0.48 F1 / 0.61 precision (bench/relation_quality.py). Below the
    # 0.70 its thresholds reach in training cross-validation, but not for the procedure:
    # nested cross-validation on the training papers holds 0.70 (bench/relation_nested_cv.py),
    # and resampling dev's 60 papers puts 0.61 in a 90 % interval of 0.48-0.72; the model
    # never saw the dev set
    from extractors.relations import default_model_path
    from extractors.relation_training import gold_entity_docs, load_annotated, score_docs

    annotated = load_annotated(SHARED / "eval" / "dev.papers.jsonl", SHARED / "eval" / "dev.gold.jsonl")
    scores = score_docs(gold_entity_docs(annotated), [g for _, g in annotated], SparseLogisticModel.load(default_model_path()))
    assert scores["gold"] == 180
    assert scores["f1"] >= 0.44 and scores["p"] >= 0.57, scores
