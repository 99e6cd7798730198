"""SPC charts and their Making Data Count icons in templates (charts.py draws, these present).

    {% load spc_tags %}
    {% spc_chart chart title="Time in the waiting room" unit="minutes" %}
    {% spc_variation_icon chart %} {% spc_assurance_icon chart %}
    {% spc_variation_icon chart hide_label=True %}  {# the words for screen readers only #}

Every icon carries its words (shown, or visually hidden in a compact table): the icon itself is
decorative (`aria-hidden`), so colour and shape are never the only way to tell.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from sessions.measures.charts import (
    ASSURANCE_COLOURS,
    ASSURANCE_LETTERS,
    COMMON_GREY,
    VARIATION_COLOURS,
    assurance_label,
    render_chart_svg,
    variation_label,
)
from sessions.measures.spc import SpcChart

register = template.Library()

# The small run of five dots inside the variation icon: steady, or the last three high or low.
_DOT_X = (9, 14.5, 20, 25.5, 31)
_DOT_Y = {
    None: (22, 18, 22, 18, 21),
    "high": (24, 21, 13, 11, 12),
    "low": (16, 19, 27, 29, 28),
}
_LETTER = {"high": ("H", 34), "low": ("L", 14)}


@register.simple_tag
def spc_chart(chart: SpcChart, *, title: str, unit: str) -> SafeString:
    return render_chart_svg(chart, title=title, unit=unit)


@register.inclusion_tag("measures/_variation_icon.html")
def spc_variation_icon(chart: SpcChart, *, hide_label: bool = False) -> dict:
    signal = chart.variation_signal if chart.variation != "common_cause" else None
    colour = VARIATION_COLOURS[chart.variation]
    dots = [
        {"x": x, "y": y, "colour": colour if signal and i >= 2 else COMMON_GREY}
        for i, (x, y) in enumerate(zip(_DOT_X, _DOT_Y[signal], strict=True))
    ]
    letter, letter_y = _LETTER.get(signal, ("", 0))
    return {
        "variation": chart.variation,
        "colour": colour,
        "line": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "letter": letter,
        "letter_y": letter_y,
        "label": variation_label(chart),
        "hide_label": hide_label,
    }


@register.inclusion_tag("measures/_assurance_icon.html")
def spc_assurance_icon(chart: SpcChart, *, hide_label: bool = False) -> dict:
    return {
        "assurance": chart.assurance,
        "colour": ASSURANCE_COLOURS.get(chart.assurance or "", COMMON_GREY),
        "letter": ASSURANCE_LETTERS.get(chart.assurance or "", ""),
        "label": assurance_label(chart),
        "hide_label": hide_label,
    }
