"""How an invitation's state shows to staff: an NHS.UK tag whose colour is chosen here only.

`{% load invitation_tags %}{% invitation_state_tag row %}` for a row of the session's
invitations page. Every display state is listed, so a new one needs a deliberate colour (a test
checks).
"""

from django import template
from django.utils.safestring import SafeString

from sessions.invitations.selectors import InvitationRow
from waitroom.nhsuk_tag import nhsuk_tag

register = template.Library()

# Keyed by the display states of sessions.invitations.selectors.DISPLAY_STATES.
STATE_COLOURS: dict[str, str] = {
    "planned": "grey",
    "sent": "",
    "delivered": "",
    "failed": "red",
    "accepted": "green",
    "waiting_list": "yellow",
    "declined": "grey",
    "cancelled": "red",
}


@register.simple_tag
def invitation_state_tag(row: InvitationRow) -> SafeString:
    return nhsuk_tag(row.state_label, STATE_COLOURS[row.state])
