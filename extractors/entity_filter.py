"""The trained entity filter of the ``accurate`` profile: keep, drop or retype an entity.

After the rules and the statistical tagger have proposed a paper's entities, each
`Entity` record is described by cheap features (which components found it and how
sure they were, its shape, its type and role, how often and where it is mentioned, the
words around its first mention) and a multinomial logistic regression
(`extractors.sparse_logistic.SparseLogisticModel`, classes ``"drop"`` and the six entity types)
scores it. An entity whose probability of ``"drop"`` reaches the model's threshold is
dropped (with the relations that name it); any other takes the most probable type, and
a second regression decides whether the paper introduces it (the name the title
defines always is, `is_introduced`).

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

from extractors.aggregate import normalise_name
from extractors.records import ENTITY_TYPES, Entity, PaperExtraction
from extractors.own_phrases import COMPONENT as OWN_COMPONENT, own_phrases
from extractors.nesting import nesting_features
from extractors.context_kinds import context_kind_features
from extractors.own_spans import OwnSpanModel, own_span_scores
from extractors.own_variants import promote_variants
from extractors.sparse_logistic import SparseLogisticModel
from extractors.span_classifier import SpanClassifier

__all__ = ["DROP", "CLASSES", "STATISTICAL", "EntityFilter", "entity_features", "cue_features", "is_introduced", "new_entities", "mark_own_phrases", "add_own_spans", "add_nesting", "add_context_kinds", "OWN_SOURCE", "own_only",
           "span_scored_features", "default_filter_path",
           "Gazetteer", "gazetteer", "external_features"]

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


_INTRODUCING = re.compile(r"\bwe\s+(?:\w+\s+)?(propose|introduce|present|release|develop|design|build|create|construct|curate|collect|"
                          r"contribute|devise|offer|describe|establish)\w*\b[^.;]*$", re.IGNORECASE)
_NAMING = re.compile(r"\b(?:our|called|named|dubbed|termed|namely)\W*(?:\w+\W+){0,2}$", re.IGNORECASE)
# the head nouns by which a text says what kind of thing a name is ("X, a graph foundation model")
_KINDS = (r"model|llm|lm|network|checkpoint|framework|method|approach|algorithm|technique|strategy|pipeline|system|architecture|"
          r"mechanism|module|dataset|corpus|collection|benchmark|suite|leaderboard|challenge|task|problem|metric|measure|score")
_KIND_AFTER = re.compile(r"\s*(?:\([^)]*\)\s*)?,\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}?(" + _KINDS + r")s?\b", re.IGNORECASE)
_KIND_BEFORE = re.compile(r"\b(" + _KINDS + r")s?,?\s+(?:called\s+|named\s+|dubbed\s+|termed\s+|namely\s+)?(?:the\s+)?$", re.IGNORECASE)
_SIZE = re.compile(r"\d+(?:\.\d+)?[BMK]\b|\d+x\d+[BM]\b")
# "X is a pretrained autoregressive ... model": the copula says the kind as the apposition does
_KIND_COPULA = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:is|are)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,5}?(" + _KINDS + r")s?\b", re.IGNORECASE)
# what the abstract says the paper contributes: "we propose a challenging benchmark dataset"
_OWN_KIND = re.compile(r"\bwe\s+(?:\w+\s+)?(?:propose|introduce|present|release|develop|design|build|create|construct|curate|collect|"
                       r"contribute|devise)\w*\s+(?:a|an|the|two|three|several)?\s*(?:[\w-]+\s+){0,4}?(" + _KINDS + r")s?\b", re.IGNORECASE)


def cue_features(entity: Entity, title: str, abstract: str) -> set[str]:
    """What the words around any mention say: that the paper introduces it ("we propose
    ... X" earlier in the sentence, "our X", "called X", "X, a ...", the title's head)
    and what kind of thing it is ("X, a graph foundation model", "the benchmark X", a
    title "X: A Unified Framework for ...", a size such as "-13B").

    Examples
    --------
    >>> from extractors.records import Mention
    >>> text = "We propose a simple method called FooNet, a graph model."
    >>> entity = Entity("FooNet", "Method", "used", (), (Mention("FooNet", "abstract", 34, 40, 0, 0.9, "kg_names"),), 0.9)
    >>> sorted(cue_features(entity, "FooNet: A Unified Framework for Graphs", text))  # doctest: +NORMALIZE_WHITESPACE
    ['cue:appositive', 'cue:named', 'cue:title_head', 'cue:we_propose', 'kind:framework', 'kind:method', 'kind:model', 'own_abstract_kind:method',
     'own_title_kind:framework']
    """
    cues = set()
    for m in entity.mentions:
        text = title if m.field == "title" else abstract
        before = text[max(0, m.start - 200) : m.start]
        introducing = _INTRODUCING.search(before)
        if introducing:
            cues.add("cue:we_" + introducing.group(1).lower())
        if _NAMING.search(before[-40:]):
            cues.add("cue:named" if not before.rstrip().lower().endswith("our") else "cue:our")
        after = text[m.end : m.end + 80]
        if re.match(r"\s*(?:\([^)]*\)\s*)?,\s+(?:a|an)\b", after):
            cues.add("cue:appositive")
        for kind in (_KIND_AFTER.match(after), _KIND_BEFORE.search(before[-60:]), _KIND_COPULA.match(after)):
            if kind:
                cues.add("kind:" + kind.group(1).lower())
    cues |= _title_cues(entity, title)
    if _SIZE.search(entity.name):
        cues.add("kind:size")
    if cues & _OWN_CUES or entity.role == "introduced":
        # what the title and the abstract say the paper's contribution is ("WIT-UAS: A ... Thermal
        # Dataset", "we propose a challenging benchmark dataset"), for the names the paper presents
        # as its own ("WIT-UAS-ROS", "CHAMP")
        cues.update("own_title_kind:" + kind.group(1).lower() for kind in _KIND_WORD.finditer(title))
        cues.update("own_abstract_kind:" + kind.group(1).lower() for kind in _OWN_KIND.finditer(abstract))
    return cues


_KIND_WORD = re.compile(r"\b(" + _KINDS + r")s?\b", re.IGNORECASE)
_OWN_CUES = frozenset({"cue:title_head", "cue:title_variant", "cue:our", "cue:named", "cue:we_propose", "cue:we_introduce",
                       "cue:we_present", "cue:we_release", "cue:we_develop", "cue:we_design", "cue:we_build", "cue:we_create",
                       "cue:we_construct", "cue:we_curate", "cue:we_collect", "cue:we_contribute", "cue:we_devise"})
# "PaLM 2 Technical Report", "OMNI: Open-endedness via ...", "Only-IF:Revealing ...", "3D-QCNet -- A Pipeline ..."
_TITLE_REPORT = re.compile(r"(.+?)\s+(?:Technical Report|Model Card|System Card)\b")
_TITLE_SPLIT = re.compile(r"\s*[:\u2013\u2014]\s*|\s+--?\s+")


def _title_cues(entity: Entity, title: str) -> set[str]:
    """Whether the title defines the name (its head before a colon, or a report's name) or
    a variant of it ("MusicRL" -> "MusicRL-R", "OCTCube-M" -> "OCTCube"), and the kind the
    rest of the title gives it."""
    report = _TITLE_REPORT.match(title)
    head, rest = (report.group(1), title[report.end() :]) if report else (_TITLE_SPLIT.split(title, maxsplit=1) + [""])[:2]
    if not rest and not report:
        return set()
    names = (entity.name, *entity.aliases)
    if normalise_name(head) in {normalise_name(f) for f in names}:
        cue = "cue:title_head"
    elif len(head := head.strip().lower()) >= 3 and any(
            f.startswith(head + "-") or (len(f) >= 3 and head.startswith(f + "-")) for f in (f.lower() for f in names)):
        cue = "cue:title_variant"
    else:
        return set()
    return {cue, *("kind:" + kind.group(1).lower() for kind in _KIND_WORD.finditer(rest))}


# type -> (folded names, head words) of public annotated abstracts (`extractors.external_data.external_names`)
Gazetteer = dict[str, tuple[frozenset[str], frozenset[str]]]


def gazetteer(table: dict | None) -> Gazetteer | None:
    """The lookup form of an `extractors.external_data.external_names` table."""
    if not table:
        return None
    return {t: (frozenset(table["names"].get(t, ())), frozenset(table["heads"].get(t, ()))) for t in table["names"]}


def external_features(entity: Entity, names: Gazetteer) -> set[str]:
    """``ext:Task`` where the entity's name or an alias is a Task name of the public data,
    ``ext_head:Task`` where its last word ends Task names there (likewise Metric, Method).

    Examples
    --------
    >>> names = gazetteer({"names": {"Task": ["machinetranslation"]}, "heads": {"Task": ["translation"]}})
    >>> sorted(external_features(Entity("Machine Translation", "Method", "used", (), (), 1.0), names))
    ['ext:Task', 'ext_head:Task']
    """
    keys = {normalise_name(form) for form in (entity.name, *entity.aliases)}
    words = entity.name.split()
    head = words[-1].lower() if words else ""
    features = set()
    for entity_type, (known, heads) in names.items():
        if keys & known:
            features.add(f"ext:{entity_type}")
        if head in heads:
            features.add(f"ext_head:{entity_type}")
    return features


def entity_features(entity: Entity, title: str, abstract: str, *, statistical: bool = True, span_score: float | None = None,
                    cues: bool = False, external: Gazetteer | None = None) -> set[str]:
    """The feature strings of one entity of a paper.

    ``statistical=False`` leaves out what the statistical tagger contributed (for papers
    the tagger was trained on, where its spans are over-confident). ``span_score`` is
    how sure the span classifier is of the entity's name (0 when it did not keep it),
    for a filter that has one. ``cues=True`` adds `cue_features`, ``external`` (a `gazetteer`) `external_features`.
    """
    mentions = [m for m in entity.mentions if statistical or m.component != STATISTICAL]
    components = {m.component for m in mentions}
    features = {f"comp:{c}" for c in components}
    if len(components) > 1:
        features.add("comp:several")
    for m in mentions:
        if m.component == STATISTICAL:
            features.add(f"ner_score>={min(int(m.confidence * 10), 9) / 10}")
    if span_score is not None:
        features.add(f"span>={min(int(span_score * 10), 9) / 10}")
    if cues:
        features.update(cue_features(entity, title, abstract))
    if external:
        features.update(external_features(entity, external))
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
    """Two trained `SparseLogisticModel` over `entity_features`: keep-or-type (classes `CLASSES`,
    threshold on ``"drop"``) and role (``"used"`` / ``"introduced"``, threshold on
    ``"introduced"``), with the provenance of their training."""

    def __init__(self, typing: SparseLogisticModel, role: SparseLogisticModel, provenance: dict | None = None, spans: SpanClassifier | None = None,
                 external: dict | None = None, own_spans: OwnSpanModel | None = None):
        self.spans = spans
        self.own_spans = own_spans  # the proposer of introduced names (`extractors.own_spans`), or None
        self.external_table = external  # an `extractors.external_data.external_names` table, or None
        self.external = gazetteer(external)
        self.cues = bool((provenance or {}).get("role_cues"))
        self.own_phrases = bool((provenance or {}).get("own_phrases"))
        self.own_variants = bool((provenance or {}).get("own_variants"))
        self.nesting = bool((provenance or {}).get("nesting"))
        self.context_kinds = bool((provenance or {}).get("context_kinds"))
        self.typing = typing
        self.role = role
        self.drop_threshold = float(typing.thresholds.get(DROP, 0.5))
        self.introduced_threshold = float(role.thresholds.get("introduced", 0.5))
        self.provenance = dict(provenance or {})

    @property
    def candidates(self) -> str:
        """What the pipeline must give the filter: ``"rules"`` or ``"rules+kg_ner"`` (a
        filter trained on ``"rules+spans"`` runs its own span classifier over the rules')."""
        candidates = self.provenance.get("candidates", "rules+kg_ner")
        return "rules" if candidates == "rules+spans" else candidates

    def save(self, path: str | Path) -> None:
        """Write both models and the provenance as one JSON file (atomically)."""
        data = {"kind": "entity filter: keep/type and role logistic regressions over entity features",
                "provenance": self.provenance, "typing": self.typing.to_json(), "role": self.role.to_json(),
                **({"spans": self.spans.model.to_json()} if self.spans is not None else {}),
                **({"external": self.external_table} if self.external_table else {}),
                **({"own_spans": self.own_spans.model.to_json()} if self.own_spans is not None else {})}
        with atomic_write(Path(path)) as handle:
            json.dump(data, handle, separators=(",", ":"))  # compact: the span classifier alone has ~30,000 features
            handle.write("\n")

    @classmethod
    def load(cls, path: str | Path) -> "EntityFilter":
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            spans = SpanClassifier(SparseLogisticModel.from_json(data["spans"])) if "spans" in data else None
            own_spans = OwnSpanModel(SparseLogisticModel.from_json(data["own_spans"])) if "own_spans" in data else None
            return cls(SparseLogisticModel.from_json(data["typing"]), SparseLogisticModel.from_json(data["role"]), data.get("provenance"), spans,
                       data.get("external"), own_spans)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: not an entity filter ({error})") from None

    def candidates_of(self, record: PaperExtraction, abstract: str) -> tuple[list[Entity], list[set[str]]]:
        """The entities to judge (the record's, then the span classifier's new ones) and their features."""
        own = own_phrases(record.title, abstract) if self.own_phrases else []
        if self.spans is None:
            entities = [*record.entities, *new_entities(record.entities, own)]
            examples = [entity_features(e, record.title, abstract, cues=self.cues, external=self.external) for e in entities]
        else:
            found = self.spans.entities(record.title, abstract, record.entities)
            entities = [*record.entities, *new_entities(record.entities, found)]
            entities += new_entities(tuple(entities), own)
            examples = span_scored_features(entities, found, record.title, abstract, cues=self.cues, external=self.external)
        proposed = self.own_spans.entities(record.title, abstract) if self.own_spans is not None else []
        entities, examples = add_own_spans(entities, mark_own_phrases(entities, examples, own), proposed, record.title, abstract,
                                           span_scored=self.spans is not None, cues=self.cues, external=self.external)
        if self.context_kinds:
            examples = add_context_kinds(entities, examples, record.title, abstract)
        return entities, (add_nesting(entities, examples) if self.nesting else examples)

    def decisions(self, examples: list[set[str]]) -> list[tuple[str, str]]:
        """For each entity's features: ``("drop", "")`` or the (type, role) it should have."""
        decided = []
        for features, p, role in zip(examples, self.typing.probabilities(examples), self.role.probabilities(examples)):
            entity_type = max(ENTITY_TYPES, key=lambda t: p[t])
            # a threshold per predicted type where training chose one ("drop:Task"), else the common one;
            # the phrases only `own_phrases` proposes have their own where training chose one
            key = OWN_SOURCE if own_only(features) and f"{DROP}:{OWN_SOURCE}" in self.typing.thresholds else entity_type
            if p[DROP] >= self.typing.thresholds.get(f"{DROP}:{key}", self.drop_threshold):
                decided.append((DROP, ""))
            else:
                introduced = is_introduced(role["introduced"], self.introduced_threshold, features)
                decided.append((entity_type, "introduced" if introduced else "used"))
        return decided

    def apply(self, record: PaperExtraction, abstract: str) -> PaperExtraction:
        """``record`` without the dropped entities (and their relations), the others retyped."""
        kept = []
        entities, examples = self.candidates_of(record, abstract)
        for entity, (entity_type, role) in zip(entities, self.decisions(examples)):
            if entity_type != DROP:
                kept.append(entity if (entity.type, entity.role) == (entity_type, role) else replace(entity, type=entity_type, role=role))
        if self.own_variants:
            kept = promote_variants(kept)
        names = {e.name for e in kept}
        relations = tuple(r for r in record.relations if r.head in names and r.tail in names)
        return replace(record, entities=tuple(kept), relations=relations)


def is_introduced(probability: float, threshold: float, features: set[str]) -> bool:
    """The role decision: the role model's probability of ``introduced`` reaches the
    threshold, or the title defines the name ("Orca: Progressive Learning ...", "PaLM 2
    Technical Report": introduced for 86 of the 87 such kept training entities, where the
    role model, wary of well-known names, hesitated).

    Examples
    --------
    >>> is_introduced(0.2, 0.4, {"cue:title_head"}), is_introduced(0.2, 0.4, {"cue:our"})
    (True, False)
    """
    return probability >= threshold or "cue:title_head" in features


OWN_SOURCE = OWN_COMPONENT  # the key of the own phrases' drop threshold ("drop:kg_own")


def own_only(features: set[str]) -> bool:
    """Whether the entity of these features was proposed by `extractors.own_phrases` alone."""
    return f"comp:{OWN_COMPONENT}" in features and "comp:several" not in features


def mark_own_phrases(entities: list[Entity], examples: list[set[str]], own: list[Entity]) -> list[set[str]]:
    """``examples`` with ``cue:own_phrase`` added to the entities whose name or an alias is
    a phrase the abstract introduces (`extractors.own_phrases`): "we introduce X" said of a
    name the rules found too.

    Examples
    --------
    >>> own = [Entity("MusicRL", "Method", "used", (), (), 0.5)]
    >>> mark_own_phrases([Entity("MusicRL", "Model", "used", (), (), 0.9), Entity("MusicLM", "Model", "used", (), (), 0.9)], [set(), set()], own)
    [{'cue:own_phrase'}, set()]
    """
    keys = {normalise_name(e.name) for e in own}
    marked = []
    for e, features in zip(entities, examples):
        forms = {normalise_name(f) for f in (e.name, *e.aliases)}
        if keys & forms:
            features = features | {"cue:own_phrase"}
        elif any(form and form in key for form in forms for key in keys):
            features = features | {"cue:inside_own_phrase"}  # "feed-forward reconstruction" of "feed-forward reconstruction model"
        marked.append(features)
    return marked


def add_own_spans(entities: list[Entity], examples: list[set[str]], proposed: list[Entity], title: str, abstract: str, *,
                  span_scored: bool = True, statistical: bool = True, cues: bool = False,
                  external: Gazetteer | None = None) -> tuple[list[Entity], list[set[str]]]:
    """``entities`` and their features with the proposed names of `extractors.own_spans`
    that none of them has (span score 0 where the others have one: ``span_scored``), and
    ``own_span>=0.x`` on every entity a proposed phrase names."""
    if not proposed:
        return entities, examples
    added = new_entities(tuple(entities), proposed)
    entities = [*entities, *added]
    examples = [*examples, *(entity_features(e, title, abstract, statistical=statistical, cues=cues, span_score=0.0 if span_scored else None,
                                             external=external) for e in added)]
    marks = own_span_scores(entities, proposed)
    return entities, [features | {mark} if mark else features for features, mark in zip(examples, marks)]


def add_nesting(entities: list[Entity], examples: list[set[str]]) -> list[set[str]]:
    """``examples`` with how each entity's name nests in the others' (`extractors.nesting`)."""
    return [features | nest for features, nest in zip(examples, nesting_features(entities))]


def add_context_kinds(entities: list[Entity], examples: list[set[str]], title: str, abstract: str) -> list[set[str]]:
    """``examples`` with what the words around each entity's mentions say it is (`extractors.context_kinds`)."""
    return [features | context_kind_features(e, title, abstract) for e, features in zip(entities, examples)]


def new_entities(rule_entities: tuple[Entity, ...], spans: list[Entity]) -> list[Entity]:
    """The span entities whose name is none of the rules' names or aliases.

    Examples
    --------
    >>> rules = (Entity("Direct Nash Optimization", "Method", "used", ("DNO",), (), 1.0),)
    >>> [e.name for e in new_entities(rules, [Entity("DNO", "Method", "used", (), (), 0.9), Entity("reasoning", "Task", "used", (), (), 0.8)])]
    ['reasoning']
    """
    known = {normalise_name(form) for e in rule_entities for form in (e.name, *e.aliases)}
    return [e for e in spans if normalise_name(e.name) not in known]


def span_scored_features(entities: list[Entity], spans: list[Entity], title: str, abstract: str, *, statistical: bool = True,
                         cues: bool = False, external: Gazetteer | None = None) -> list[set[str]]:
    """`entity_features` of each entity with the span classifier's score of its best-scored
    name or alias, and the type the classifier gives that name (``span_type:Task``)."""
    by_name = {normalise_name(e.name): e for e in spans}
    examples = []
    for e in entities:
        found = [by_name[key] for key in map(normalise_name, (e.name, *e.aliases)) if key in by_name]
        best = max(found, key=lambda span: span.confidence, default=None)
        features = entity_features(e, title, abstract, statistical=statistical, cues=cues, span_score=best.confidence if best else 0.0,
                                   external=external)
        if best is not None:
            features.add(f"span_type:{best.type}")
        examples.append(features)
    return examples


@lru_cache(maxsize=4)
def load_filter(path: str) -> EntityFilter:
    """The filter at ``path``, read once per process."""
    return EntityFilter.load(path)
