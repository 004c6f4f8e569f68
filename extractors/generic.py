"""Generic phrases that are not entities: "our method", "several benchmarks", "the baselines".

A phrase is generic when, after dropping determiners, possessives and vague modifiers
("our", "several", "existing", "novel", "state-of-the-art") and hyphenated qualifiers
("competition-level", "LLM-based"), nothing is left but
generic head words ("method", "approach", "model", "benchmarks", "performance").
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["is_generic"]

_MODIFIERS = frozenset(
    """the a an our their its his her this these that those such each every any some all both
    several various many multiple numerous different other others existing previous prior
    current new novel proposed standard popular common conventional traditional typical
    recent modern classical classic simple strong weak powerful efficient effective
    state-of-the-art sota leading prominent widely-used widely used well-known representative
    large small larger smaller two three four five first second final resulting corresponding
    same original base baseline underlying given specific general diverse public publicly available
    open-source closed-source benchmark evaluation training test downstream target source comprehensive unified
    holistic systematic challenging rigorous realistic extensive universal scalable reliable""".split()
)
_HEADS = frozenset(
    """method methods approach approaches model models framework frameworks technique techniques
    algorithm algorithms system systems baseline baselines benchmark benchmarks dataset datasets
    data corpus corpora task tasks metric metrics measure measures score scores performance quality
    result results work works study studies paper papers solution solutions strategy strategies
    pipeline pipelines architecture architectures module modules component components tool tools
    setting settings experiment experiments evaluation evaluations analysis variant variants version
    versions counterpart counterparts alternative alternatives procedure procedures mechanism mechanisms
    network networks agent agents policy policies loss objective""".split()
)
_WORD = re.compile(r"[\w@.+'-]+")
_QUALIFIER = re.compile(r"\w-(?:[a-z]+ed|level|based|like|style|free|scale|aware|specific|only|wise)$")


# phrases repeat across papers: each distinct one is judged once (bounded cache)
@lru_cache(maxsize=65_536)
def is_generic(text: str) -> bool:
    """Whether ``text`` is a generic phrase rather than a name.

    Examples
    --------
    >>> [is_generic(t) for t in ["our method", "several benchmarks", "state-of-the-art models", "MMLU", "the MMLU benchmark"]]
    [True, True, True, False, False]
    >>> [is_generic(t) for t in ["Competition-level Dataset", "LLM-based agents", "Retrieval-Augmented Generation"]]
    [True, True, False]
    >>> [is_generic(t) for t in ["Rethinking Benchmarks", "A Unified Benchmark", "Ranking", "Reasoning Benchmark X"]]
    [True, True, False, False]
    """
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return True
    # "competition-level", "guideline-guided", "llm-based": qualifiers, whatever they qualify
    content = [w for w in words if w not in _MODIFIERS and not _QUALIFIER.search(w)]
    heads = [w for w in content if w in _HEADS]
    # "Rethinking Benchmarks", "Assessing ... Benchmarks": a title's clause, not a name
    return len(heads) == len(content) or (bool(heads) and all(w in _HEADS or w.endswith("ing") for w in content) and words[-1] in _HEADS)
