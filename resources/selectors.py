"""Reads of the resource library, for staff choosing what to signpost and for members."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from groups.models import Cohort

from .models import GroupMeeting, Resource, Signposting


def resource_search(
    *,
    text: str = "",
    cohort: Cohort | None = None,
    kind: str = "",
    language: str = "",
    include_past_review: bool = False,
) -> QuerySet[Resource]:
    """The library, filtered. Past-review resources are left out unless asked for (coordinators
    reviewing them), so nobody signposts what nobody has checked lately."""
    resources = Resource.objects.all() if include_past_review else Resource.objects.current()
    if text:
        resources = resources.matching(text)
    if cohort is not None:
        resources = resources.for_cohort(cohort)
    if kind:
        resources = resources.filter(kind=kind)
    if language:
        resources = resources.in_language(language)
    return resources.select_related("partner").prefetch_related("cohorts").order_by("title")


def resources_due_for_review(*, within_days: int = 30) -> QuerySet[Resource]:
    return Resource.objects.due_for_review(within_days).select_related("partner", "owner")


def meetings_for_cohort(cohort: Cohort) -> QuerySet[GroupMeeting]:
    """Partner local group meetings coming up for the cohort's group page."""
    return GroupMeeting.objects.upcoming().filter(cohorts=cohort).select_related("partner")


@dataclass
class SignpostedSession:
    """One session a member attended and the (current) resources signposted there."""

    session_start: dt.datetime
    session_day: dt.date  # the clinic's day of the session, cut in the clinic's zone
    resources: list[Resource]


def signposted_for_patient(patient) -> list[SignpostedSession]:
    """ "From your group on Tuesday 3 December": what was signposted at sessions she attended.

    Only current resources: one past its review date is hidden until someone reviews it.
    Two queries whatever the number of sessions.
    """
    from sessions.facilitation.models import AttendanceStatus

    rows = (
        # One filter() call, so both conditions apply to the same attendance row: hers.
        Signposting.objects.filter(
            session__attendances__patient=patient,
            session__attendances__status__in=[
                AttendanceStatus.ATTENDED,
                AttendanceStatus.LATE,
                AttendanceStatus.LEFT_FOR_APPOINTMENT,
            ],
            resource__in=Resource.objects.current(),
        )
        .select_related("session__clinic", "resource", "resource__partner")
        .order_by("-session__start", "resource__title")
    )
    by_session: dict[int, SignpostedSession] = {}
    for row in rows:
        session = row.session
        entry = by_session.setdefault(
            row.session_id,
            SignpostedSession(session.start, session.clinic.day_of(session.start), []),
        )
        entry.resources.append(row.resource)
    return list(by_session.values())
