"""A session's status shows as one NHS.UK tag, the same colour on every page; no template
chooses a tag colour itself."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from sessions.models import SessionStatus, WaitingRoomSession
from sessions.templatetags.status_tags import SESSION_STATUS_COLOURS
from waitroom.nhsuk_tag import nhsuk_tag


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


def test_no_app_template_chooses_a_tag_colour_with_an_if():
    """Colours come from the apps' tag libraries. allauth's badge element is left alone: it maps
    allauth's own tag names, not a Waitroom value."""
    templates = Path(settings.BASE_DIR) / "templates"
    offenders = [
        f"{path.relative_to(templates)}:{number}"
        for path in templates.rglob("*.html")
        if path.relative_to(templates).parts[0] != "allauth"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "nhsuk-tag{%" in line or "nhsuk-tag--{{" in line
    ]
    assert offenders == []


@pytest.mark.parametrize("colour", ["purple", ""])
def test_the_tag_markup_escapes_its_label(colour):
    modifier = f" nhsuk-tag--{colour}" if colour else ""
    assert nhsuk_tag("<b>", colour) == f'<strong class="nhsuk-tag{modifier}">&lt;b&gt;</strong>'


def test_a_colour_nhsuk_frontend_lacks_is_refused():
    with pytest.raises(ValueError):
        nhsuk_tag("Draft", "gray")
