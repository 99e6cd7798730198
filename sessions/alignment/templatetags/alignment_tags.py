"""Display only: gestation in days as midwives write it, and a worklist item's status tag."""

from django import template
from django.utils.safestring import SafeString

from sessions.alignment.models import WorklistItem, WorklistStatus
from sessions.alignment.proposals import gestation_text
from waitroom.nhsuk_tag import nhsuk_tag

register = template.Library()


@register.filter
def gestation(days: int) -> str:
    """189 → '27+0'."""
    return gestation_text(days)


# Each status's tag colour, chosen once (ADR 28): waiting on someone is grey, done is the default.
WORKLIST_STATUS_COLOURS = {
    WorklistStatus.PROPOSED: "grey",
    WorklistStatus.SENT: "",
    WorklistStatus.REBOOKED: "green",
    WorklistStatus.NOT_POSSIBLE: "",
    WorklistStatus.DECLINED: "",
}


@register.simple_tag
def worklist_status_tag(item: WorklistItem) -> SafeString:
    """`<strong class="nhsuk-tag nhsuk-tag--grey">Proposed</strong>`."""
    return nhsuk_tag(item.get_status_display(), WORKLIST_STATUS_COLOURS[item.status])
