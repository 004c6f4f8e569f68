"""A paper's own names and their variants: what a paper introduces, its variants are too.

A paper that introduces a system often names its sizes and variants the same way
("MusicRL", "MusicRL-R" and "MusicRL-RU"; "Multi-Head Routing (MHR)", "MHR-z";
"SuperCorrect", "SuperCorrect-7B"; "MLGym", "MLGym-Bench"). In the training gold every
entity whose name extends an introduced entity's name or alias by a hyphen or a space is
introduced too (21 of 21), while the role model, which judges each entity alone, often
calls the variants ``used``. `promote_variants` applies that paper-level rule to the
filter's decisions.

Examples
--------
>>> from extractors.records import Entity
>>> entities = [Entity("Multi-Head Routing", "Method", "introduced", ("MHR",), (), 0.9), Entity("MHR-z", "Method", "used", (), (), 0.8),
...             Entity("LoRA", "Method", "used", (), (), 0.9), Entity("LoRA-FA", "Method", "used", (), (), 0.9)]
>>> [e.role for e in promote_variants(entities)]
['introduced', 'introduced', 'used', 'used']
"""

from __future__ import annotations

from dataclasses import replace

from extractors.records import Entity

__all__ = ["is_variant", "promote_variants"]

_MIN_BASE = 2  # a one-letter base ("R") would make variants of everything


def is_variant(name: str, base: str) -> bool:
    """Whether ``name`` is ``base`` followed by a hyphen or a space and more ("OVM-7B" of "OVM").

    Examples
    --------
    >>> is_variant("OVM-7B", "ovm"), is_variant("OVMX", "OVM"), is_variant("OVM", "OVM")
    (True, False, False)
    """
    name, base = name.lower(), base.lower()
    return len(base) >= _MIN_BASE and len(name) > len(base) + 1 and name.startswith(base) and name[len(base)] in "- "


def promote_variants(entities: list[Entity]) -> list[Entity]:
    """``entities`` with every variant of an introduced entity's name or alias introduced."""
    bases = [form for e in entities if e.role == "introduced" for form in (e.name, *e.aliases)]
    if not bases:
        return entities
    return [replace(e, role="introduced") if e.role != "introduced" and any(is_variant(form, base) for form in (e.name, *e.aliases) for base in bases)
            else e for e in entities]
