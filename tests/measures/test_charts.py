"""The server-drawn SPC chart (sessions/measures/charts.py) and the icon template tags: the SVG
is well-formed XML with a text alternative, one marker a point, shapes by meaning, and the
icons always carry their words."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.template import Context, Template

from sessions.measures.charts import (
    COMMON_GREY,
    LIMIT_GREY,
    OUTLINE,
    TARGET_RED,
    figure,
    render_chart_svg,
)
from sessions.measures.spc import xmr

SVG = "{http://www.w3.org/2000/svg}"
START = date(2025, 3, 3)
REFERENCE = [10, 12, 10, 12, 14, 12, 14, 12, 10, 12, 14, 12]  # mean 12, limits 6.68-17.32


def weekly(values):
    return [(START + timedelta(weeks=i), v) for i, v in enumerate(values)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def test_the_chart_is_an_svg_image_with_a_title_and_a_description_it_is_labelled_by():
    """Mean (144 + 30) / 13 = 13.385; ranges eleven 2s and 18, mean 40 / 12 = 3.333, so 18 is
    screened (≥ 10.89) and limits are 13.385 ± 2.66 × 2 → 8.065 and 18.705."""
    chart = xmr(weekly([*REFERENCE, 30]), improvement="increase", target=11)
    root = parse(render_chart_svg(chart, title="Time in the waiting room", unit="minutes"))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 400 290"
    assert root.get("width") is None  # sized by CSS from its viewBox, down to 320 px
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Time in the waiting room"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert desc.text == (
        "XmR chart of 13 points from 3 Mar 2025 to 26 May 2025, in minutes. The mean is 13.4, "
        "with process limits 8.06 to 18.7. Latest value 30 on 26 May 2025. Special cause "
        "variation: improving (higher). Target 11. Hit and miss: the target is within the "
        "process limits. 1 of 13 points shows special cause variation (1 improvement)."
    )


def test_it_draws_one_marker_a_point_shaped_by_what_it_means():
    chart = xmr(weekly([*REFERENCE, 30, 12, -6]), improvement="increase")
    root = parse(render_chart_svg(chart, title="Score", unit="points"))
    markers = by_class(root, "spc-point")
    assert len(markers) == 15
    kinds = [m.get("data-special-cause") for m in markers]
    assert kinds == [p.special_cause or "none" for p in chart.points]
    shapes = {m.get("data-special-cause"): m[1].tag.removeprefix(SVG) for m in markers}
    assert shapes == {"none": "circle", "improvement": "rect", "concern": "polygon"}
    # Each marker names its date and value for anyone who hovers or inspects it.
    assert markers[12].find(f"{SVG}title").text == "26 May 2025: 30"


def test_it_draws_each_periods_mean_and_limits_the_target_and_the_rebase():
    values = [10, 12] * 6 + [20, 22] * 6
    chart = xmr(weekly(values), target=18, rebase=[START + timedelta(weeks=12)])
    root = parse(render_chart_svg(chart, title="Score", unit="points"))

    assert len(by_class(root, "spc-mean")) == 2
    assert len(by_class(root, "spc-limit")) == 4
    assert [e.get("stroke-dasharray") for e in by_class(root, "spc-limit")] == ["6 4"] * 4
    (rebase,) = by_class(root, "spc-rebase")
    first, second = by_class(root, "spc-mean")
    assert float(first.get("x2")) == float(rebase.get("x1")) == float(second.get("x1"))
    (target,) = by_class(root, "spc-target")
    assert target.get("stroke") == TARGET_RED
    assert "Rebased on 26 May 2025." in root.find(f"{SVG}desc").text


def test_no_target_no_target_line():
    root = parse(render_chart_svg(xmr(weekly(REFERENCE)), title="Score", unit="points"))
    assert by_class(root, "spc-target") == []
    assert by_class(root, "spc-rebase") == []


def test_the_title_and_unit_are_escaped():
    chart = xmr(weekly(REFERENCE))
    svg = render_chart_svg(chart, title='<script>alert("x")</script> & more', unit="<b>%</b>")
    root = parse(svg)
    assert "<script>" not in svg
    assert root.find(f"{SVG}title").text == '<script>alert("x")</script> & more'
    assert "in <b>%</b>." in root.find(f"{SVG}desc").text


@pytest.mark.parametrize("values", [[], [7.5], [4] * 20])
def test_an_empty_a_single_point_and_a_flat_chart_still_draw(values):
    svg = render_chart_svg(xmr(weekly(values)), title="Score", unit="points")
    root = parse(svg)
    assert len(by_class(root, "spc-point")) == len(values)
    assert not re.search(r"nan|inf", svg, re.IGNORECASE)
    if not values:
        assert root.find(f"{SVG}desc").text == "There are no points to chart yet."
        assert "No data to chart yet" in svg


def test_a_chart_with_warnings_says_them_in_its_description():
    chart = xmr(weekly(REFERENCE[:8]))
    desc = parse(render_chart_svg(chart, title="Score", unit="points")).find(f"{SVG}desc").text
    assert desc.endswith(
        "Period from 3 Mar 2025 has 8 points; limits need at least 12 to be reliable."
    )


@pytest.mark.parametrize(
    ("number", "label"),
    [
        (12, "12"),
        (12.5, "12.5"),
        (1 / 3, "0.333"),
        (1250, "1,250"),
        (-0.1 + 0.1, "0"),
        (0.30000000000000004, "0.3"),
        (5.551115123125783e-17, "0"),
        (-6.5, "-6.5"),
    ],
)
def test_axis_and_text_figures_are_short(number, label):
    assert figure(number) == label


def test_the_axis_crosses_zero_with_a_plain_0():
    chart = xmr(weekly([-0.3, 0.1, -0.2, 0.3, -0.1, 0.2]))
    root = parse(render_chart_svg(chart, title="Score", unit="points"))
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "0" in labels
    assert not [label for label in labels if label and "e-" in label]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", [COMMON_GREY, OUTLINE, LIMIT_GREY, TARGET_RED])
def test_markers_and_lines_have_3_to_1_contrast_against_white(colour):
    """WCAG 1.4.11: the blue and orange markers rely on their OUTLINE for this."""
    assert 1.05 / (_luminance(colour) + 0.05) >= 3


def render(source: str, **context) -> str:
    return Template("{% load spc_tags %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("improvement", "last", "variation", "words", "letter"),
    [
        ("increase", 12, "common_cause", "Common cause variation: no significant change", None),
        ("increase", 30, "special_cause_improvement", "improving (higher)", "H"),
        ("increase", -6, "special_cause_concern", "concerning (lower)", "L"),
        (None, 30, "special_cause_neither", "Special cause variation (higher)", "H"),
    ],
)
def test_the_variation_icon_shows_its_words(improvement, last, variation, words, letter):
    chart = xmr(weekly([*REFERENCE, last]), improvement=improvement)
    html = render("{% spc_variation_icon chart %}", chart=chart)
    root = ET.fromstring(html)
    assert root.get("data-variation") == variation
    svg = root.find(f"{SVG}svg")
    assert svg.get("aria-hidden") == "true"
    assert words in root.find("span").text
    assert "nhsuk-u-visually-hidden" not in root.find("span").get("class")
    text = svg.find(f"{SVG}text")
    assert (text.text if text is not None else None) == letter


@pytest.mark.parametrize(
    ("improvement", "target", "letter", "words"),
    [
        ("increase", 5, "P", "Consistently passing the target"),
        ("increase", 20, "F", "Consistently failing the target"),
        ("increase", 12, "?", "Hit and miss: the target is within the process limits"),
        ("increase", None, None, "No target set"),
        (None, 12, None, "No assurance: the measure has no better direction"),
    ],
)
def test_the_assurance_icon_shows_its_words(improvement, target, letter, words):
    chart = xmr(weekly(REFERENCE), improvement=improvement, target=target)
    root = ET.fromstring(render("{% spc_assurance_icon chart %}", chart=chart))
    svg = root.find(f"{SVG}svg")
    assert (svg.find(f"{SVG}text").text if svg is not None else None) == letter
    assert root.find("span").text == words


def test_icons_can_keep_their_words_for_screen_readers_only():
    chart = xmr(weekly(REFERENCE), improvement="increase", target=5)
    html = render("{% spc_variation_icon chart hide_label=True %}", chart=chart)
    assert 'class="spc-icon__label nhsuk-u-visually-hidden">Common cause' in html


def test_the_chart_tag_draws_the_same_svg():
    chart = xmr(weekly(REFERENCE))
    html = render('{% spc_chart chart title="Score" unit="points" %}', chart=chart)
    assert html == render_chart_svg(chart, title="Score", unit="points")
