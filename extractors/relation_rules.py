"""The ``fast`` profile's relations: a few precise patterns, no statistical model.

The pair rules (`extractors.pair_rules`) read two mentions of one sentence, in text
order, and the words between them: the head's words, up to 40 characters of them and no
other mention (", a retrieval model,"), then the trigger, then only list glue and other list items before
the tail ("outperforms strong baselines such as A, B and C"). Their triggers are the
unambiguous ones of `extractors.relation_patterns` (measured on the fast profile's
entities of the training papers: right about twice as often as every trigger word of
the classifier's features).

The paper rules read the paper as a whole, the way the guidelines annotate it (four in
five relations of the training papers start at the introduced entity): the paper's own
system (its first introduced Method or Model; its named Model for what is evaluated) is
evaluated on every Dataset or Benchmark of a sentence that speaks of evaluation
("Experiments on A, B and C"), applied to the Tasks of the title, of such a sentence and
those the paper names more than once, based on a Method or Model its name begins with
("LoRA-Pro", "LoRA"), and, in a sentence about it ("we", "it", "our model" or its name
before the tail), applied to the Task after "for"/"address", better than the Method or
Model after "outperforms"/"gains over" and based on the one right after "based
on"/"leverages"/"built on" or before "-based" (`extractors.paper_rules`).

The rules scan mention pairs and their gaps with a few regular expressions; the entity
groups of `extractors.aggregate` are computed only for a Doc where a pair rule fires or
that introduces a system.

Examples
--------
>>> import spacy
>>> from spacy.tokens import Span
>>> from extractors.sentences import split_sentences
>>> doc = split_sentences(spacy.blank("en")("ToolX clearly outperforms BaseNet and OldNet on QuestBench."))
>>> doc.spans["kg_entities"] = [Span(doc, 0, 1, "Method"), Span(doc, 3, 4, "Method"), Span(doc, 5, 6, "Method"), Span(doc, 7, 8, "Benchmark")]
>>> [(f.head, f.relation, f.tail, f.trigger) for f in rule_findings(doc)]
[('toolx', 'outperforms', 'basenet', 'clearly outperforms'), ('toolx', 'outperforms', 'oldnet', 'clearly outperforms')]
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

from extractors.candidates import ENTITY_SPANS
from extractors.offsets import spans_of, text_of
from extractors.pair_rules import pair_findings
from extractors.paper_rules import paper_findings
from extractors.relation_findings import COMPONENT, CONFIDENCE, EntityGroups, Finding, RuleMention
from extractors.sentences import sentence_starts

__all__ = ["Finding", "COMPONENT", "CONFIDENCE", "rule_findings"]


def rule_findings(doc: Doc) -> list[Finding]:
    """The relations the rules read in ``doc`` (keyed by entity group), each pair once."""
    spans = spans_of(doc, ENTITY_SPANS)
    if len(spans) < 2:
        return []
    text = text_of(doc)
    starts = sentence_starts(doc)
    mentions = [RuleMention(span, span.start_char, span.end_char, bisect_right(starts, span.start_char) - 1) for span in spans]

    def bounds(sentence: int) -> tuple[int, int]:
        end = starts[sentence + 1] if sentence + 1 < len(starts) else len(text)
        return starts[sentence], len(text[starts[sentence] : end].rstrip()) + starts[sentence]

    groups = EntityGroups(doc)
    found, seen = [], set()
    for finding in (*pair_findings(mentions, text, bounds, groups), *paper_findings(doc, mentions, text, bounds, groups)):
        key = (finding.head, finding.relation, finding.tail)
        if key not in seen:
            seen.add(key)
            found.append(finding)
    return found
