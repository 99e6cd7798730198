"""A session's status shows as one NHS.UK tag, the same colour on every page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from sessions.models import SessionStatus, WaitingRoomSession
from sessions.templatetags.status_tags import SESSION_STATUS_COLOURS


def render_tag(session: WaitingRoomSession) -> str:
    return Template("{% load status_tags %}{% status_tag session %}").render(
        Context({"session": session})
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (SessionStatus.DRAFT, '<strong class="nhsuk-tag nhsuk-tag--grey">Draft</strong>'),
        (SessionStatus.PUBLISHED, '<strong class="nhsuk-tag">Published</strong>'),
        (SessionStatus.CANCELLED, '<strong class="nhsuk-tag nhsuk-tag--red">Cancelled</strong>'),
        (SessionStatus.COMPLETED, '<strong class="nhsuk-tag">Completed</strong>'),
    ],
)
def test_each_status_shows_as_its_coloured_tag(status, expected):
    assert render_tag(WaitingRoomSession(status=status)) == expected


def test_every_status_has_a_chosen_colour():
    assert set(SESSION_STATUS_COLOURS) == set(SessionStatus.values)


def test_no_template_picks_a_session_status_colour_itself():
    templates = Path(settings.BASE_DIR) / "templates"
    offenders = [
        f"{path.relative_to(templates)}:{number}"
        for path in templates.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "nhsuk-tag" in line and "session.status" in line
    ]
    assert offenders == []
