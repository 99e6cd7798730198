"""The NHS.UK tag component's markup, for the template tags that choose each value's colour
(sessions' `status_tag`, facilitation's concern tags, invitations' state tag)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString

# The colour modifiers nhsuk-frontend 10 provides; "" is the default (blue) tag.
COLOURS = frozenset(
    {
        "",
        "white",
        "grey",
        "green",
        "aqua-green",
        "blue",
        "purple",
        "pink",
        "red",
        "orange",
        "yellow",
    }
)


def nhsuk_tag(label: str, colour: str = "") -> SafeString:
    """`<strong class="nhsuk-tag nhsuk-tag--red">Cancelled</strong>`; the label is escaped."""
    if colour not in COLOURS:
        raise ValueError(f"nhsuk-frontend has no {colour!r} tag")
    classes = f"nhsuk-tag nhsuk-tag--{colour}" if colour else "nhsuk-tag"
    return format_html('<strong class="{}">{}</strong>', classes, label)
