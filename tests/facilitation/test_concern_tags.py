"""A concern's urgency and status show as NHS.UK tags whose colours are chosen in one place."""

import pytest
from django.template import Context, Template

from sessions.facilitation.models import Concern, ConcernStatus, ConcernUrgency
from sessions.facilitation.templatetags.concern_tags import STATUS_COLOURS, URGENCY_COLOURS

RED, ORANGE, YELLOW, GREY = (
    f'<strong class="nhsuk-tag nhsuk-tag--{colour}">'
    for colour in ("red", "orange", "yellow", "grey")
)


def render(tag: str, concern: Concern) -> str:
    return Template("{% load concern_tags %}{% " + tag + " concern %}").render(
        Context({"concern": concern})
    )


@pytest.mark.parametrize(
    ("tag", "concern", "expected"),
    [
        ("urgency_tag", Concern(urgency=ConcernUrgency.URGENT), f"{RED}Urgent: today"),
        ("urgency_tag", Concern(urgency=ConcernUrgency.SOON), f"{ORANGE}Soon: within a few days"),
        ("urgency_tag", Concern(urgency=ConcernUrgency.ROUTINE), f"{GREY}Routine"),
        ("concern_status_tag", Concern(status=ConcernStatus.OPEN), f"{RED}Open"),
        ("concern_status_tag", Concern(status=ConcernStatus.ACKNOWLEDGED), f"{YELLOW}Acknowledged"),
        ("concern_status_tag", Concern(status=ConcernStatus.CLOSED), f"{GREY}Closed"),
    ],
    ids=["urgent", "soon", "routine", "open", "acknowledged", "closed"],
)
def test_each_urgency_and_status_shows_as_its_coloured_tag(tag, concern, expected):
    assert render(tag, concern) == f"{expected}</strong>"


def test_every_urgency_and_status_has_a_chosen_colour():
    assert set(URGENCY_COLOURS) == set(ConcernUrgency.values)
    assert set(STATUS_COLOURS) == set(ConcernStatus.values)
