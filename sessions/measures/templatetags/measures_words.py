"""Display only: a measure's values, directions and SPC signals in words."""

from __future__ import annotations

from django import template

from ..presenters import RULE_WORDS, TOO_FEW
from ..presenters import number as _number

register = template.Library()


def _with_unit(value: float, measure) -> str:
    if measure.unit == "%":
        return f"{_number(value)}%"
    return f"{_number(value)} {measure.unit}"


@register.simple_tag
def number(value: float, measure) -> str:
    return _with_unit(value, measure)


@register.simple_tag
def point_value(point, measure) -> str:
    if point.suppressed:
        return TOO_FEW.capitalize()
    if point.value is None:
        return "Nothing to measure"
    return _with_unit(point.value, measure)


@register.simple_tag
def direction_words(measure) -> str:
    return {
        "increase": "Higher is better.",
        "decrease": "Lower is better.",
    }.get(measure.improvement, "Neither higher nor lower is better in itself.")


@register.simple_tag
def special_cause_words(spc_point) -> str:
    kind = {"improvement": "Improvement", "concern": "Concern", "neither": "Change"}
    rules = ", ".join(RULE_WORDS[r] for r in sorted(spc_point.rules))
    return f"{kind.get(spc_point.special_cause, '')}: {rules}"
