"""Display only: gestation in days as midwives write it."""

from django import template

from sessions.alignment.proposals import gestation_text

register = template.Library()


@register.filter
def gestation(days: int) -> str:
    """189 → '27+0'."""
    return gestation_text(days)
