"""How a concern's urgency and status show: NHS.UK tags whose colours are chosen here only.

`{% load concern_tags %}{% urgency_tag concern %} {% concern_status_tag concern %}`. Every value
is listed, so a new one needs a deliberate colour (a test checks).
"""

from django import template
from django.utils.safestring import SafeString

from sessions.facilitation.models import Concern, ConcernStatus, ConcernUrgency
from waitroom.nhsuk_tag import nhsuk_tag

register = template.Library()

URGENCY_COLOURS: dict[str, str] = {
    ConcernUrgency.URGENT: "red",
    ConcernUrgency.SOON: "orange",
    ConcernUrgency.ROUTINE: "grey",
}

STATUS_COLOURS: dict[str, str] = {
    ConcernStatus.OPEN: "red",
    ConcernStatus.ACKNOWLEDGED: "yellow",
    ConcernStatus.CLOSED: "grey",
}


@register.simple_tag
def urgency_tag(concern: Concern) -> SafeString:
    return nhsuk_tag(concern.get_urgency_display(), URGENCY_COLOURS[concern.urgency])


@register.simple_tag
def concern_status_tag(concern: Concern) -> SafeString:
    return nhsuk_tag(concern.get_status_display(), STATUS_COLOURS[concern.status])
