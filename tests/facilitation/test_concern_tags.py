"""A concern's urgency and status show as NHS.UK tags whose colours are chosen in one place."""

import pytest
from django.template import Context, Template

from sessions.facilitation.models import Concern, ConcernStatus, ConcernUrgency
from sessions.facilitation.templatetags.concern_tags import STATUS_COLOURS, URGENCY_COLOURS


def render(tag: str, concern: Concern) -> str:
    return Template("{% load concern_tags %}{% " + tag + " concern %}").render(
        Context({"concern": concern})
    )


@pytest.mark.parametrize(
    ("urgency", "expected"),
    [
        (ConcernUrgency.URGENT, '<strong class="nhsuk-tag nhsuk-tag--red">Urgent: today</strong>'),
        (
            ConcernUrgency.SOON,
            '<strong class="nhsuk-tag nhsuk-tag--orange">Soon: within a few days</strong>',
        ),
        (ConcernUrgency.ROUTINE, '<strong class="nhsuk-tag nhsuk-tag--grey">Routine</strong>'),
    ],
)
def test_each_urgency_shows_as_its_coloured_tag(urgency, expected):
    assert render("urgency_tag", Concern(urgency=urgency)) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ConcernStatus.OPEN, '<strong class="nhsuk-tag nhsuk-tag--red">Open</strong>'),
        (
            ConcernStatus.ACKNOWLEDGED,
            '<strong class="nhsuk-tag nhsuk-tag--yellow">Acknowledged</strong>',
        ),
        (ConcernStatus.CLOSED, '<strong class="nhsuk-tag nhsuk-tag--grey">Closed</strong>'),
    ],
)
def test_each_status_shows_as_its_coloured_tag(status, expected):
    assert render("concern_status_tag", Concern(status=status)) == expected


def test_every_urgency_and_status_has_a_chosen_colour():
    assert set(URGENCY_COLOURS) == set(ConcernUrgency.values)
    assert set(STATUS_COLOURS) == set(ConcernStatus.values)
