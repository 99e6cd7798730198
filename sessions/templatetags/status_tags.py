"""How a session's status shows: one NHS.UK tag, the same colour on every page.

`{% load status_tags %}{% status_tag session %}`. Every status is listed, so a new status
needs a deliberate colour here (a test checks).
"""

from django import template
from django.utils.safestring import SafeString

from sessions.models import SessionStatus, WaitingRoomSession
from waitroom.nhsuk_tag import nhsuk_tag

register = template.Library()

# The NHS.UK tag colour for each status; "" keeps the default (blue) tag.
SESSION_STATUS_COLOURS: dict[str, str] = {
    SessionStatus.DRAFT: "grey",
    SessionStatus.PUBLISHED: "",
    SessionStatus.CANCELLED: "red",
    SessionStatus.COMPLETED: "",
}


@register.simple_tag
def status_tag(session: WaitingRoomSession) -> SafeString:
    """The session's status as a tag: `<strong class="nhsuk-tag …">Draft</strong>`."""
    return nhsuk_tag(session.get_status_display(), SESSION_STATUS_COLOURS[session.status])
