"""Times on a page in the clinic's own zone, not the server's (docs/adr/0026-clinic-time.md).

Django shows an aware datetime in the active time zone, which is the server's (`TIME_ZONE`)
unless a template says otherwise. A clinic's times (session starts, appointments, check-in,
when a note was written) must read as the clinic's wall clock wherever the server is, so:

- `{% clinic_zone clinic %}…{% endclinic_zone %}` renders what it encloses in `clinic`'s zone:
  `{{ x }}` and the `date` and `time` filters all follow it. `base.html` wraps every page in it
  with the page's `clinic`, so a clinic's page needs nothing more; a page that lists several
  clinics' rows wraps each row in its own clinic's zone. Without a clinic it changes nothing.
- `{{ moment|clinic_time:clinic }}` is the same for one value.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.templatetags.tz import do_timezone
from django.utils import timezone

register = template.Library()


def _zone(clinic: object):
    return getattr(clinic, "zone", None)


class ClinicZoneNode(template.Node):
    def __init__(self, clinic: template.base.FilterExpression, nodelist: template.NodeList):
        self.clinic = clinic
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        zone = _zone(self.clinic.resolve(context, ignore_failures=True))
        if zone is None:
            return self.nodelist.render(context)
        with timezone.override(zone):
            return self.nodelist.render(context)


@register.tag
def clinic_zone(parser: template.base.Parser, token: template.base.Token) -> ClinicZoneNode:
    """`{% clinic_zone clinic %}…{% endclinic_zone %}`: the enclosed times in clinic's zone."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes one argument: the clinic")
    nodelist = parser.parse(("endclinic_zone",))
    parser.delete_first_token()
    return ClinicZoneNode(parser.compile_filter(bits[1]), nodelist)


@register.filter
def clinic_time(moment: dt.datetime | None, clinic: object) -> dt.datetime | str:
    """The moment on the clinic's wall clock; `date` and `time` after it keep that zone."""
    zone = _zone(clinic)
    if not isinstance(moment, dt.datetime) or zone is None:
        return moment if moment is not None else ""
    return do_timezone(moment, zone)
