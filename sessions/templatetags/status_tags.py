"""How a session's status shows: one NHS.UK tag, the same colour on every page.

`{% load status_tags %}{% status_tag session %}`. Every status is listed, so a new status
needs a deliberate colour here (a test checks).
"""

from django import template
from django.utils.html import format_html

from sessions.models import SessionStatus, WaitingRoomSession

register = template.Library()

# The NHS.UK tag colour modifier for each status; "" keeps the default (blue) tag.
SESSION_STATUS_COLOURS: dict[str, str] = {
    SessionStatus.DRAFT: "grey",
    SessionStatus.PUBLISHED: "",
    SessionStatus.CANCELLED: "red",
    SessionStatus.COMPLETED: "",
}


def tag_classes(colour: str) -> str:
    return f"nhsuk-tag nhsuk-tag--{colour}" if colour else "nhsuk-tag"


@register.simple_tag
def status_tag(session: WaitingRoomSession) -> str:
    """The session's status as a tag: `<strong class="nhsuk-tag …">Draft</strong>`."""
    return format_html(
        '<strong class="{}">{}</strong>',
        tag_classes(SESSION_STATUS_COLOURS[session.status]),
        session.get_status_display(),
    )
