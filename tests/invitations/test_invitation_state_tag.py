"""An invitation's state shows to staff as an NHS.UK tag whose colour is chosen in one place."""

import pytest
from django.template import Context, Template

from sessions.invitations.models import Invitation
from sessions.invitations.selectors import DISPLAY_STATES, InvitationRow
from sessions.invitations.templatetags.invitation_tags import STATE_COLOURS


def render(state: str) -> str:
    row = InvitationRow(invitation=Invitation(), state=state, invitation_message=None, failures=[])
    return Template("{% load invitation_tags %}{% invitation_state_tag row %}").render(
        Context({"row": row})
    )


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("planned", '<strong class="nhsuk-tag nhsuk-tag--grey">Planned</strong>'),
        ("sent", '<strong class="nhsuk-tag">Sent</strong>'),
        ("delivered", '<strong class="nhsuk-tag">Delivered</strong>'),
        ("failed", '<strong class="nhsuk-tag nhsuk-tag--red">Failed</strong>'),
        ("accepted", '<strong class="nhsuk-tag nhsuk-tag--green">Accepted</strong>'),
        ("waiting_list", '<strong class="nhsuk-tag nhsuk-tag--yellow">Waiting list</strong>'),
        ("declined", '<strong class="nhsuk-tag nhsuk-tag--grey">Declined</strong>'),
        ("cancelled", '<strong class="nhsuk-tag nhsuk-tag--red">Cancelled</strong>'),
    ],
)
def test_each_state_shows_as_its_coloured_tag(state, expected):
    assert render(state) == expected


def test_every_display_state_has_a_chosen_colour():
    assert set(STATE_COLOURS) == {state for state, _ in DISPLAY_STATES}
