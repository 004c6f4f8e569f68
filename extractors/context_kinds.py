"""What the words around every mention say a name is: filter features for the weak types.

The guidelines type a name by the text's own word ("the X benchmark", "tasks such as X",
"an Inception score of 9.89"), and many Tasks, Metrics and Benchmarks are plain
lower-case phrases whose shape says nothing ("molecule optimization", "backward
transfer"). The entity filter's own context features read the few words around the first
mention only; these read every mention, and name what the context says rather than its
words:

- ``kind_list:task`` and the like: the mention is an item of a list that a kind word opens
  ("tasks such as A, B and C", "benchmarks (A, B, C)", "three use cases - A, B and C") or
  closes ("on A, B and C tasks");
- ``kind_after:metric`` and the like: a kind word right after the name, a word between at
  most ("X scores", "the X evaluation task");
- ``ctx:number_after`` / ``ctx:number_before``: a figure next to the name ("an Inception
  score of 9.89", "44% higher memorability scores", "EM +8.6"): what a measure takes;
- ``ctx:measured_by``: "in terms of X", "measured by X", "metrics such as X";
- ``ctx:change_of``: "improves X", "higher X", "reduces X" (measures and properties change);
- ``ctx:problem_of``: "the problem of X", "the task of X", "address X".

Examples
--------
>>> from extractors.records import Entity, Mention
>>> text = "It excels in tasks like molecule optimization and data imputation, with an accuracy of 91%."
>>> def entity(name):
...     start = text.index(name)
...     return Entity(name, "Task", "used", (), (Mention(name, "abstract", start, start + len(name), 0, 0.5, "kg_spans"),), 0.5)
>>> sorted(context_kind_features(entity("data imputation"), "", text)), sorted(context_kind_features(entity("accuracy"), "", text))
(['kind_list:task'], ['ctx:number_after'])
"""

from __future__ import annotations

import re

from extractors.records import Entity

__all__ = ["KIND_CLASSES", "context_kind_features"]

# kind word -> the class it names (the guidelines' six types, with their usual plain-word names)
KIND_CLASSES = {
    **dict.fromkeys(("task", "problem", "application", "use case", "capability", "ability", "skill"), "task"),
    **dict.fromkeys(("benchmark", "evaluation", "suite", "examination", "exam", "testbed", "leaderboard", "competition", "test set"), "benchmark"),
    **dict.fromkeys(("dataset", "data set", "corpus", "corpora"), "dataset"),
    **dict.fromkeys(("metric", "measure", "criterion", "criteria", "score"), "metric"),
    **dict.fromkeys(("method", "technique", "approach", "algorithm", "baseline", "framework", "strategy", "architecture"), "method"),
    **dict.fromkeys(("model", "llm", "checkpoint"), "model"),
}
_KIND = r"(" + "|".join(sorted(map(re.escape, KIND_CLASSES), key=len, reverse=True)) + r")(?:s|es)?\b"
# a list item: a few words, no clause punctuation; the glue between items
_ITEM = r"(?:(?!\s[-\u2013\u2014]+\s)(?:[^,;:()\[\].!?]|(?<=\d)\.(?=\d))){1,60}?(?:\s*\([^()]{1,15}\))?"
_GLUE = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
# "tasks such as A, B and" / "benchmarks (A, B," / "use cases - A," before the name
_LIST_OPENED = re.compile(r"\b" + _KIND + r"\s*(?:\(|,?\s*(?:such as|like|including|e\.g\.,?|namely|i\.e\.,?|:|--?|\u2013|\u2014)\s*\(?)\s*"
                          r"(?:" + _ITEM + _GLUE + r"){0,8}$", re.IGNORECASE)
# ", B and C tasks" after the name
_LIST_CLOSED = re.compile(r"(?:" + _GLUE + _ITEM + r"){1,8}?\s+" + _KIND, re.IGNORECASE)
_KIND_RIGHT_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?" + _KIND, re.IGNORECASE)
_NUMBER_AFTER = re.compile(r"\s*(?:\([^)]{0,20}\)\s*)?(?:of|at|=|:|is|was|reaches|reached|by|from|to|above|below)?\s*"
                           r"(?:up to\s+|over\s+|about\s+|around\s+|only\s+|nearly\s+)?[+\-\u2212~]?\d", re.IGNORECASE)
_NUMBER_BEFORE = re.compile(r"\d(?:[.,]\d+)?\s*(?:\\?%|points?|pp|x)?\s*(?:(?:higher|lower|better|worse|improvements?|gains?|increases?|"
                            r"drops?|reductions?|absolute|relative|average|in|of|on)\s+){0,2}$", re.IGNORECASE)
_MEASURED_BY = re.compile(r"\b(?:in terms of|measured (?:by|in|with)|evaluated (?:by|with)|metrics?(?: such as| like| including| of)?|"
                          r"measures?(?: such as| like| including| of)?)\s+(?:the\s+|its\s+|their\s+)?$", re.IGNORECASE)
_CHANGE_OF = re.compile(r"\b(?:improv|increas|reduc|boost|enhanc|lower|higher|better|worse|decreas|degrad|maximi[sz]|minimi[sz])\w*\s+"
                        r"(?:in\s+|of\s+)?(?:the\s+|its\s+|their\s+)?$", re.IGNORECASE)
_PROBLEM_OF = re.compile(r"\b(?:(?:problem|task|challenge)s?\s+of|address\w*|tackl\w*|solv\w*)\s+(?:the\s+)?$", re.IGNORECASE)


def _sentence_before(text: str, start: int) -> str:
    """The text of the mention's sentence before it (up to 300 characters)."""
    window = text[max(0, start - 300) : start]
    cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "), window.rfind("; "))
    return window[cut + 2 :] if cut >= 0 else window


def context_kind_features(entity: Entity, title: str, abstract: str) -> set[str]:
    """The context cues of the entity's mentions (module docstring), as feature strings."""
    features = set()
    for m in entity.mentions:
        text = title if m.field == "title" else abstract
        before, after = _sentence_before(text, m.start), text[m.end : m.end + 160]
        if opened := _LIST_OPENED.search(before):
            features.add("kind_list:" + KIND_CLASSES[opened.group(1).lower()])
        if closed := _LIST_CLOSED.match(after):
            features.add("kind_list:" + KIND_CLASSES[closed.group(1).lower()])
        if right := _KIND_RIGHT_AFTER.match(after[:40]):
            features.add("kind_after:" + KIND_CLASSES[right.group(1).lower()])
        if _NUMBER_AFTER.match(after[:40]):
            features.add("ctx:number_after")
        if _NUMBER_BEFORE.search(before[-40:]):
            features.add("ctx:number_before")
        if _MEASURED_BY.search(before[-60:]):
            features.add("ctx:measured_by")
        if _CHANGE_OF.search(before[-40:]):
            features.add("ctx:change_of")
        if _PROBLEM_OF.search(before[-40:]):
            features.add("ctx:problem_of")
    return features
