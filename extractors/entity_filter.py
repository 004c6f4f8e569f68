"""The trained entity filter of the ``accurate`` profile: keep, drop or retype an entity.

After the rules and the statistical tagger have proposed a paper's entities, each
`Entity` record is described by cheap features (which components found it and how
sure they were, its shape, its type and role, how often and where it is mentioned, the
words around its first mention) and a multinomial logistic regression
(`extractors.relation_model.RelationModel`, classes ``"drop"`` and the six entity types)
scores it. An entity whose probability of ``"drop"`` reaches the model's threshold is
dropped (with the relations that name it); any other takes the most probable type, and
a second regression decides whether the paper introduces it.

The model is one JSON file (``extractors/models/kg_entity_filter.json``) written by
``kg train-filter`` (`extractors.filter_training`) with its provenance.

Examples
--------
>>> from extractors.records import Entity, Mention
>>> entity = Entity("SQuAD", "Dataset", "used", (), (Mention("SQuAD", "abstract", 8, 13, 0, 0.85, "kg_lexicon"),), 0.85)
>>> sorted(f for f in entity_features(entity, "A title", "We used SQuAD for tests.") if f.startswith(("comp", "shape")))
['comp:kg_lexicon', 'shape:caps_mixed', 'shape:words=1']
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from kg.atomic import atomic_write

from extractors.records import ENTITY_TYPES, Entity, PaperExtraction
from extractors.relation_model import RelationModel

__all__ = ["DROP", "CLASSES", "STATISTICAL", "EntityFilter", "entity_features", "default_filter_path"]

DROP = "drop"
CLASSES = (DROP, *ENTITY_TYPES)
STATISTICAL = "kg_ner"  # the component whose features training treats apart (it saw training papers)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+")


def default_filter_path() -> Path:
    """The filter shipped with the package."""
    return Path(str(files("extractors") / "models" / "kg_entity_filter.json"))


def _shape(name: str) -> list[str]:
    words = name.split()
    shape = [f"shape:words={min(len(words), 4)}"]
    if name.islower():
        shape.append("shape:lower")
    elif re.fullmatch(r"[A-Z][A-Z0-9\-]{1,7}s?", name):
        shape.append("shape:acronym")
    elif all(w[:1].isupper() for w in words if w[:1].isalpha()):
        shape.append("shape:caps_all" if len(words) > 1 else "shape:caps_mixed" if any(c.isupper() for c in name[1:]) else "shape:capitalised")
    else:
        shape.append("shape:caps_some")
    if any(c.isdigit() for c in name):
        shape.append("shape:digit")
    if "-" in name:
        shape.append("shape:hyphen")
    if len(name) <= 3:
        shape.append("shape:short")
    return shape


def _context(text: str, start: int, end: int) -> list[str]:
    before = _WORD.findall(text[max(0, start - 40) : start].lower())[-3:]
    after = _WORD.findall(text[end : end + 30].lower())[:2]
    return [f"before:{w}" for w in before] + [f"after:{w}" for w in after] + ([f"prev:{before[-1]}"] if before else [])


def entity_features(entity: Entity, title: str, abstract: str, *, statistical: bool = True) -> set[str]:
    """The feature strings of one entity of a paper.

    ``statistical=False`` leaves out what the statistical tagger contributed (for papers
    the tagger was trained on, where its spans are over-confident).
    """
    mentions = [m for m in entity.mentions if statistical or m.component != STATISTICAL]
    components = {m.component for m in mentions}
    features = {f"comp:{c}" for c in components}
    if len(components) > 1:
        features.add("comp:several")
    for m in mentions:
        if m.component == STATISTICAL:
            features.add(f"ner_score>={min(int(m.confidence * 10), 9) / 10}")
    features.update(_shape(entity.name))
    head = entity.name.split()[-1].lower() if entity.name.split() else ""
    features.add(f"head:{head}")
    features.add(f"suffix:{head[-3:]}")
    features.update(f"word:{w}" for w in _WORD.findall(entity.name.lower()))
    features.add(f"type:{entity.type}")
    features.add(f"role:{entity.role}")
    features.add(f"type_role:{entity.type}_{entity.role}")
    features.add(f"type_shape:{entity.type}_{_shape(entity.name)[1]}")
    count = len(mentions)
    features.add(f"mentions:{min(count, 4)}")
    if entity.aliases:
        features.add("has_alias")
    if any(m.field == "title" for m in mentions):
        features.add("in_title")
    if mentions:
        first = min(mentions, key=lambda m: (m.field != "title", m.start))
        features.add(f"first_sentence:{min(first.sentence, 3)}_{first.field}")
        features.update(_context(title if first.field == "title" else abstract, first.start, first.end))
    return features


class EntityFilter:
    """Two trained `RelationModel` over `entity_features`: keep-or-type (classes `CLASSES`,
    threshold on ``"drop"``) and role (``"used"`` / ``"introduced"``, threshold on
    ``"introduced"``), with the provenance of their training."""

    def __init__(self, typing: RelationModel, role: RelationModel, provenance: dict | None = None):
        self.typing = typing
        self.role = role
        self.drop_threshold = float(typing.thresholds.get(DROP, 0.5))
        self.introduced_threshold = float(role.thresholds.get("introduced", 0.5))
        self.provenance = dict(provenance or {})

    @property
    def candidates(self) -> str:
        """What the filter was trained to judge: ``"rules"`` or ``"rules+kg_ner"``."""
        return self.provenance.get("candidates", "rules+kg_ner")

    def save(self, path: str | Path) -> None:
        """Write both models and the provenance as one JSON file (atomically)."""
        data = {"kind": "entity filter: keep/type and role logistic regressions over entity features",
                "provenance": self.provenance, "typing": self.typing.to_json(), "role": self.role.to_json()}
        with atomic_write(Path(path)) as handle:
            json.dump(data, handle, indent=1)
            handle.write("\n")

    @classmethod
    def load(cls, path: str | Path) -> "EntityFilter":
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(RelationModel.from_json(data["typing"]), RelationModel.from_json(data["role"]), data.get("provenance"))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: not an entity filter ({error})") from None

    def decisions(self, record: PaperExtraction, abstract: str) -> list[tuple[str, str]]:
        """For each entity of ``record``: ``("drop", "")`` or the (type, role) it should have."""
        examples = [entity_features(e, record.title, abstract) for e in record.entities]
        decided = []
        for p, role in zip(self.typing.probabilities(examples), self.role.probabilities(examples)):
            if p[DROP] >= self.drop_threshold:
                decided.append((DROP, ""))
            else:
                introduced = role["introduced"] >= self.introduced_threshold
                decided.append((max(ENTITY_TYPES, key=lambda t: p[t]), "introduced" if introduced else "used"))
        return decided

    def apply(self, record: PaperExtraction, abstract: str) -> PaperExtraction:
        """``record`` without the dropped entities (and their relations), the others retyped."""
        kept = []
        for entity, (entity_type, role) in zip(record.entities, self.decisions(record, abstract)):
            if entity_type != DROP:
                kept.append(entity if (entity.type, entity.role) == (entity_type, role) else replace(entity, type=entity_type, role=role))
        names = {e.name for e in kept}
        relations = tuple(r for r in record.relations if r.head in names and r.tail in names)
        return replace(record, entities=tuple(kept), relations=relations)


@lru_cache(maxsize=4)
def load_filter(path: str) -> EntityFilter:
    """The filter at ``path``, read once per process."""
    return EntityFilter.load(path)
