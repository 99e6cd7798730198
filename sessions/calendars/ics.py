"""Building RFC 5545 calendars for waiting-room sessions with the `icalendar` library.

One builder serves every audience: staff downloads and feeds (the cohort's staff name) and the
member's invitation page (the cohort's public name only). No calendar ever carries anything
about a patient: a session's event describes the session, never who is invited to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from sessions.models import SessionStatus, WaitingRoomSession
from waitroom.models import service_today

PRODID = "-//Waitroom//Waiting-room sessions//EN"

_EVENT_STATUS = {
    SessionStatus.DRAFT: "TENTATIVE",
    SessionStatus.PUBLISHED: "CONFIRMED",
    SessionStatus.COMPLETED: "CONFIRMED",
    SessionStatus.CANCELLED: "CANCELLED",
}


def session_uid(session: WaitingRoomSession) -> str:
    """The event's UID: stable for the session's life, so calendar apps update it in place."""
    host = urlsplit(settings.SITE_URL).hostname or "waitroom.invalid"
    return f"session-{session.pk}@{host}"


def session_last_changed(session: WaitingRoomSession) -> dt.datetime:
    """The latest moment the session is known to have changed in a way invitees would see."""
    moments = [
        session.created_at,
        session.published_at,
        session.cancelled_at,
        session.updated_at,
    ]
    return max(moment for moment in moments if moment is not None)


def session_sequence(session: WaitingRoomSession) -> int:
    """RFC 5545 SEQUENCE: grows whenever the session is published, changed or cancelled.

    The model keeps no revision counter, so it is derived from time: whole seconds from the
    session's creation to its last change. That only ever grows as the session is revised, and a
    cancellation adds one more so it outranks a change made in the same second.
    """
    seconds = int((session_last_changed(session) - session.created_at).total_seconds())
    return max(seconds, 0) + (1 if session.status == SessionStatus.CANCELLED else 0)


def _cohort_name(session: WaitingRoomSession, *, public_names: bool) -> str:
    cohort = session.cohort
    return cohort.public_name if public_names else cohort.staff_name


def _location(session: WaitingRoomSession) -> str:
    clinic = session.clinic
    parts = [session.location, clinic.name, clinic.site]
    return ", ".join(part for part in parts if part)


def _description(session: WaitingRoomSession, *, for_member: bool, public_names: bool) -> str:
    lines: list[str] = []
    if session.status == SessionStatus.CANCELLED:
        lines.append("This session has been cancelled.")
    if session.topic:
        lines.append(f"Topic: {session.topic}")
    if for_member:
        if session.cohort.public_description:
            lines.append(session.cohort.public_description)
        lines.append("The session is in the waiting area; your own appointment stays as booked.")
        if session.clinic.maternity_triage_phone:
            lines.append(
                "If you are worried about yourself or your baby, call maternity triage on "
                f"{session.clinic.maternity_triage_phone}."
            )
    else:
        lines.append(f"Group: {_cohort_name(session, public_names=public_names)}")
        # `.all()` uses the caller's prefetch when there is one (the feed makes one).
        names = sorted(u.get_full_name() or u.short_name for u in session.facilitators.all())
        if names:
            lines.append(f"Facilitators: {', '.join(names)}")
        lines.append(f"Places: {session.capacity}")
    return "\n".join(lines)


def session_event(
    session: WaitingRoomSession,
    *,
    for_member: bool,
    public_names: bool | None = None,
    url: str = "",
) -> icalendar.Event:
    """The VEVENT for one session. `public_names` defaults to `for_member`.

    Staff who may not see clinical labels (peer supporters) get `public_names=True` while
    keeping the staff description. `url` (RFC 5545 URL) is where the event opens in Waitroom:
    the run sheet for staff, her invitation page for a woman; it carries ids only.
    """
    if public_names is None:
        public_names = for_member
    zone = session.clinic.zone
    event = icalendar.Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("created", session.created_at.astimezone(dt.UTC))
    event.add("last-modified", session_last_changed(session).astimezone(dt.UTC))
    event.add("sequence", session_sequence(session))
    # Local wall-clock times with a TZID, so a session on the day the clocks change still
    # shows at the time the clinic set, whatever the reader's own zone.
    event.add("dtstart", session.start.astimezone(zone))
    event.add("dtend", session.end.astimezone(zone))
    event.add(
        "summary", f"{_cohort_name(session, public_names=public_names)}: waiting-room session"
    )
    event.add("location", _location(session))
    event.add(
        "description",
        _description(session, for_member=for_member, public_names=public_names),
    )
    event.add("status", _EVENT_STATUS.get(session.status, "CONFIRMED"))
    if url:
        event.add("url", url)
    return event


@cache
def _vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    component = icalendar.Timezone.from_tzinfo(
        ZoneInfo(tzid),
        tzid=tzid,
        first_date=dt.date(first_year, 1, 1),
        last_date=dt.date(last_year + 1, 1, 1),
    )
    return component.to_ical()


def _timezones(events: list[icalendar.Event]) -> list[icalendar.Timezone]:
    """One VTIMEZONE per zone used, covering whole years around the events.

    Whole years, so each zone always lists both its summer (BST) and winter (GMT) rules.
    """
    spans: dict[str, tuple[int, int]] = {}
    for event in events:
        for key in ("dtstart", "dtend"):
            moment = event.decoded(key)
            tzid = str(event[key].params.get("TZID"))
            first, last = spans.get(tzid, (moment.year, moment.year))
            spans[tzid] = (min(first, moment.year), max(last, moment.year))
    if not spans:
        year = service_today().year
        spans[settings.TIME_ZONE] = (year, year)
    return [
        icalendar.Timezone.from_ical(_vtimezone(tzid, first, last))
        for tzid, (first, last) in sorted(spans.items())
    ]


def sessions_calendar(events: Iterable[icalendar.Event], *, name: str) -> bytes:
    """A VCALENDAR holding `events` and the VTIMEZONEs they refer to, as RFC 5545 bytes."""
    events = list(events)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for component in _timezones(events):
        calendar.add_component(component)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def session_ics(
    session: WaitingRoomSession,
    *,
    for_member: bool,
    public_names: bool | None = None,
    url: str = "",
) -> bytes:
    """The .ics file for one session: for staff of its clinic, or (for_member) for a woman."""
    event = session_event(session, for_member=for_member, public_names=public_names, url=url)
    return sessions_calendar([event], name=str(event["summary"]))
