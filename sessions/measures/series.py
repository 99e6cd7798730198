"""The measures' series: reads that give one `Point` a week or a month for a clinic, optionally
one cohort. Each is one or two queries whatever the length of the series: rows are grouped by
period in PostgreSQL where the value is a count, and in Python where it is a median.

Periods follow the clinic's wall calendar (`Clinic.zone`), so a Monday-morning session in
British Summer Time counts in the week it happened in London, not in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from statistics import median

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth, TruncWeek

from groups.models import Cohort, Post
from sessions.facilitation.models import Attendance, Concern
from sessions.facilitation.selectors import CAME, waits_between
from sessions.facilitation.waiting_times import Wait
from sessions.invitations.models import Invitation, InvitationState
from sessions.models import Patient, SessionStatus
from waitroom.models import Clinic

from .periods import Period, next_period, period_start, period_starts
from .points import Point, percentage, points_for

# An invitation that reached her: sent, then maybe answered.
REACHED_HER = [
    InvitationState.SENT,
    InvitationState.ACCEPTED,
    InvitationState.WAITING_LIST,
    InvitationState.DECLINED,
]
# She said yes: a place, or a place on the waiting list.
SHE_ACCEPTED = [InvitationState.ACCEPTED, InvitationState.WAITING_LIST]


def _bounds(clinic: Clinic, start: dt.date, end: dt.date, period: Period):
    """The periods from `start` to `end`, and the moments their first starts and last ends."""
    starts = period_starts(start, end, period)
    first = clinic.day_bounds(starts[0])[0]
    after = clinic.day_bounds(next_period(starts[-1], period))[0]
    return starts, first, after


def _trunc(field: str, clinic: Clinic, period: Period):
    kind = TruncWeek if period == "week" else TruncMonth
    return kind(field, tzinfo=clinic.zone)


def _as_date(moment: dt.datetime | dt.date) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def invitation_acceptance(
    clinic: Clinic,
    *,
    cohort: Cohort | None = None,
    start: dt.date,
    end: dt.date,
    period: Period,
) -> list[Point]:
    """% of invitations that reached her that she accepted, by session date. n: invitations."""
    starts, first, after = _bounds(clinic, start, end, period)
    invitations = Invitation.objects.filter(
        session__clinic=clinic,
        session__start__gte=first,
        session__start__lt=after,
        state__in=REACHED_HER,
    )
    if cohort is not None:
        invitations = invitations.filter(session__cohort=cohort)
    rows = (
        invitations.annotate(period=_trunc("session__start", clinic, period))
        .values("period")
        .annotate(sent=Count("pk"), accepted=Count("pk", filter=Q(state__in=SHE_ACCEPTED)))
    )
    found = {
        _as_date(row["period"]): (percentage(row["accepted"], row["sent"]), row["sent"])
        for row in rows
    }
    return points_for(starts, found)


def attendance(
    clinic: Clinic,
    *,
    cohort: Cohort | None = None,
    start: dt.date,
    end: dt.date,
    period: Period,
) -> list[Point]:
    """% of accepted places at sessions held (not cancelled) that she came to. n: places."""
    starts, first, after = _bounds(clinic, start, end, period)
    came = Attendance.objects.filter(
        session=OuterRef("session"), patient=OuterRef("patient"), status__in=CAME
    )
    invitations = Invitation.objects.filter(
        session__clinic=clinic,
        session__start__gte=first,
        session__start__lt=after,
        state=InvitationState.ACCEPTED,
    ).exclude(session__status=SessionStatus.CANCELLED)
    if cohort is not None:
        invitations = invitations.filter(session__cohort=cohort)
    rows = (
        invitations.annotate(period=_trunc("session__start", clinic, period), came=Exists(came))
        .values("period")
        .annotate(accepted=Count("pk"), came=Count("pk", filter=Q(came=True)))
    )
    found = {
        _as_date(row["period"]): (percentage(row["came"], row["accepted"]), row["accepted"])
        for row in rows
    }
    return points_for(starts, found)


def _median_waits(clinic, cohort, start, end, period, minutes) -> list[Point]:
    starts, first, after = _bounds(clinic, start, end, period)
    waits: list[Wait] = waits_between(
        clinic, start=first, end=after, cohort_id=cohort.pk if cohort is not None else None
    )
    by_period: dict[dt.date, list[float]] = defaultdict(list)
    for wait in waits:
        value = minutes(wait)
        if value is not None:
            by_period[period_start(clinic.day_of(wait.called_at), period)].append(value)
    found = {day: (round(median(values), 1), len(values)) for day, values in by_period.items()}
    return points_for(starts, found)


def time_in_waiting_room(
    clinic: Clinic,
    *,
    cohort: Cohort | None = None,
    start: dt.date,
    end: dt.date,
    period: Period,
) -> list[Point]:
    """Median minutes from check-in to called in. n: women with both times."""
    return _median_waits(
        clinic, cohort, start, end, period, lambda wait: wait.minutes_in_waiting_room
    )


def wait_beyond_booked_time(
    clinic: Clinic,
    *,
    cohort: Cohort | None = None,
    start: dt.date,
    end: dt.date,
    period: Period,
) -> list[Point]:
    """Median minutes from booked time to called in (early counts 0). n: women with both."""
    return _median_waits(
        clinic, cohort, start, end, period, lambda wait: wait.minutes_beyond_booked_time
    )


def concerns_raised(
    clinic: Clinic,
    *,
    cohort: Cohort | None = None,
    start: dt.date,
    end: dt.date,
    period: Period,
) -> list[Point]:
    """Concerns raised at sessions in the period. n: women who came to sessions in it, so a
    count from a handful of women is not shown. Two queries."""
    starts, first, after = _bounds(clinic, start, end, period)
    concerns = Concern.objects.filter(clinic=clinic, raised_at__gte=first, raised_at__lt=after)
    attendances = Attendance.objects.filter(
        session__clinic=clinic,
        session__start__gte=first,
        session__start__lt=after,
        status__in=CAME,
    )
    if cohort is not None:
        concerns = concerns.filter(session__cohort=cohort)
        attendances = attendances.filter(session__cohort=cohort)
    raised = {
        _as_date(row["period"]): row["raised"]
        for row in concerns.annotate(period=_trunc("raised_at", clinic, period))
        .values("period")
        .annotate(raised=Count("pk"))
    }
    women = {
        _as_date(row["period"]): row["women"]
        for row in attendances.annotate(period=_trunc("session__start", clinic, period))
        .values("period")
        .annotate(women=Count("patient", distinct=True))
    }
    found = {day: (float(raised.get(day, 0)), count) for day, count in women.items()}
    return points_for(starts, found)


def group_posts(
    clinic: Clinic,
    *,
    cohort: Cohort | None = None,
    start: dt.date,
    end: dt.date,
    period: Period,
) -> list[Point]:
    """Posts by the clinic's women in its cohorts' groups (removed posts left out). n: women
    who posted. In a cohort shared with another clinic only this clinic's women count
    (docs/adr/0030-shared-cohorts-scoped-by-the-womans-clinic.md)."""
    starts, first, after = _bounds(clinic, start, end, period)
    posts = Post.objects.filter(
        thread__cohort__clinics=clinic,
        author__patient_record__in=Patient.objects.of_clinic(clinic.pk).values("pk"),
        created_at__gte=first,
        created_at__lt=after,
        removed_at__isnull=True,
    )
    if cohort is not None:
        posts = posts.filter(thread__cohort=cohort)
    rows = (
        posts.annotate(period=_trunc("created_at", clinic, period))
        .values("period")
        .annotate(posts=Count("pk", distinct=True), women=Count(F("author"), distinct=True))
    )
    found = {_as_date(row["period"]): (float(row["posts"]), row["women"]) for row in rows}
    return points_for(starts, found)
