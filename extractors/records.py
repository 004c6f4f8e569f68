"""Frozen records the extractors yield; the only thing `kg` ever sees of extraction.

A `PaperExtraction` holds, for one paper, its entities (each with all its mentions)
and the relations between them. Offsets are characters into the paper's ``title`` or
``abstract`` string exactly as given to the extractor (end exclusive).

Examples
--------
>>> lora = Entity("Low-Rank Adaptation", "Method", "used", ("LoRA",),
...               (Mention("LoRA", "abstract", 4, 8, 0, 0.85, "kg_lexicon"),), 0.85)
>>> record = PaperExtraction("arxiv:2401.00001", "A paper", (lora,), (), "kg-extractors/fast", "0.1.0")
>>> line = record.to_json()
>>> line["entities"][0]["name"], line["entities"][0]["aliases"]
('Low-Rank Adaptation', ['LoRA'])
>>> PaperExtraction.from_json(line) == record
True
"""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = [
    "ENTITY_TYPES",
    "ROLES",
    "RELATION_TYPES",
    "Mention",
    "Entity",
    "Evidence",
    "Relation",
    "PaperExtraction",
]

ENTITY_TYPES = ("Method", "Model", "Dataset", "Benchmark", "Task", "Metric")
ROLES = ("introduced", "used")
RELATION_TYPES = ("basedOn", "evaluatedOn", "appliedTo", "outperforms")


# Mention and Entity write their fields in one step: the generated frozen __init__ calls
# object.__setattr__ once per field (2 us a Mention), and a paper makes dozens of them.
_set_attribute = object.__setattr__


@dataclass(frozen=True, init=False)
class Mention:
    """One occurrence of an entity in the text."""

    text: str
    field: str  # "title" or "abstract"
    start: int
    end: int
    sentence: int  # index of the sentence within its field
    confidence: float
    component: str  # the pipeline component that found it

    def __init__(self, text: str, field: str, start: int, end: int, sentence: int, confidence: float, component: str):
        _set_attribute(self, "__dict__", {"text": text, "field": field, "start": start, "end": end, "sentence": sentence,
                                          "confidence": confidence, "component": component})


@dataclass(frozen=True, init=False)
class Entity:
    """One entity of one paper: listed once however often it is mentioned."""

    name: str  # the fullest form used in the text
    type: str  # one of ENTITY_TYPES
    role: str  # one of ROLES
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]
    confidence: float

    def __init__(self, name: str, type: str, role: str, aliases: tuple[str, ...], mentions: tuple[Mention, ...], confidence: float):  # noqa: A002
        _set_attribute(self, "__dict__", {"name": name, "type": type, "role": role, "aliases": aliases, "mentions": mentions,
                                          "confidence": confidence})


@dataclass(frozen=True)
class Evidence:
    """The text that supports a relation."""

    field: str
    sentence: int
    start: int  # sentence span in the field, characters
    end: int
    text: str
    trigger: str  # the trigger words, "" when none


@dataclass(frozen=True)
class Relation:
    head: str  # an Entity.name of the same paper
    relation: str  # one of RELATION_TYPES
    tail: str
    evidence: Evidence
    confidence: float
    component: str


@dataclass(frozen=True)
class PaperExtraction:
    """What the extractor found in one paper."""

    paper_id: str
    title: str
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    extractor: str  # pipeline name, e.g. "kg-extractors/accurate"
    extractor_version: str

    def to_json(self) -> dict:
        """The `kg extract` line shape (read by ../shared/eval/score_entities.py)."""
        # the shape of dataclasses.asdict (mentions a tuple of dicts), field by field: asdict
        # recursed and copied every value, as long as the extraction of the paper took
        return {
            "id": self.paper_id,
            "title": self.title,
            "entities": [
                {"name": e.name, "type": e.type, "role": e.role, "aliases": list(e.aliases),
                 "mentions": tuple(_fields_json(m, _MENTION_FIELDS) for m in e.mentions), "confidence": e.confidence}
                for e in self.entities
            ],
            "relations": [_fields_json(r, _RELATION_FIELDS) | {"evidence": _fields_json(r.evidence, _EVIDENCE_FIELDS)}
                          for r in self.relations],
            "extractor": self.extractor,
            "extractor_version": self.extractor_version,
        }

    @classmethod
    def from_json(cls, data: dict) -> "PaperExtraction":
        """Inverse of `to_json`."""
        entities = tuple(
            Entity(
                name=e["name"],
                type=e["type"],
                role=e.get("role", "used"),
                aliases=tuple(e.get("aliases", ())),
                mentions=tuple(Mention(**m) for m in e.get("mentions", ())),
                confidence=float(e.get("confidence", 1.0)),
            )
            for e in data.get("entities", ())
        )
        relations = tuple(
            Relation(
                head=r["head"],
                relation=r["relation"],
                tail=r["tail"],
                evidence=Evidence(**r["evidence"]),
                confidence=float(r.get("confidence", 1.0)),
                component=r.get("component", ""),
            )
            for r in data.get("relations", ())
        )
        return cls(
            paper_id=data["id"],
            title=data["title"],
            entities=entities,
            relations=relations,
            extractor=data.get("extractor", ""),
            extractor_version=data.get("extractor_version", ""),
        )


_MENTION_FIELDS = tuple(f.name for f in fields(Mention))
_EVIDENCE_FIELDS = tuple(f.name for f in fields(Evidence))
_RELATION_FIELDS = tuple(f.name for f in fields(Relation))


def _fields_json(record, names: tuple[str, ...]) -> dict:
    return {name: getattr(record, name) for name in names}
