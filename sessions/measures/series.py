"""The measures' series: reads that give one `Point` a week or a month for a clinic, optionally
one cohort. Each is one or two queries whatever the length of the series: rows are grouped by
period in PostgreSQL where the value is a count, and in Python where it is a median.

Periods follow the clinic's wall calendar (`Clinic.zone`), so a Monday-morning session in
British Summer Time counts in the week it happened in London, not in UTC.

Every series is a function of one `_Span` (the clinic, cohort and periods asked for) that
returns `{period start: (value, n)}`; `_series` gives it the public signature
`(clinic, *, cohort=None, start, end, period) -> list[Point]` the catalogue calls.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from statistics import median

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek

from groups.models import Cohort, Post
from sessions.facilitation.models import Attendance, Concern
from sessions.facilitation.selectors import CAME, waits_between
from sessions.facilitation.waiting_times import Wait
from sessions.invitations.models import Invitation, InvitationState
from sessions.models import Patient, SessionStatus
from sessions.periods import Period, next_period, period_start, period_starts
from waitroom.models import Clinic

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

Found = dict[dt.date, tuple[float | None, int]]


@dataclass(frozen=True)
class _Span:
    """The periods asked for, and the moments the first starts and the last ends."""

    clinic: Clinic
    cohort: Cohort | None
    period: Period
    first: dt.datetime
    after: dt.datetime

    def of_sessions(self, rows: QuerySet) -> QuerySet:
        """`rows` (with a `session`) of the clinic's sessions that start in the span."""
        rows = rows.filter(
            session__clinic=self.clinic,
            session__start__gte=self.first,
            session__start__lt=self.after,
        )
        return rows if self.cohort is None else rows.filter(session__cohort=self.cohort)

    def by_period(self, rows: QuerySet, field: str, **counts) -> dict[dt.date, dict]:
        """`counts` over `rows` grouped by the clinic-calendar period `field` falls in."""
        kind = TruncWeek if self.period == "week" else TruncMonth
        grouped = (
            rows.annotate(period=kind(field, tzinfo=self.clinic.zone))
            .values("period")
            .annotate(**counts)
        )
        return {_as_date(row["period"]): row for row in grouped}


def _as_date(moment: dt.datetime | dt.date) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def _series(read: Callable[[_Span], Found]) -> Callable[..., list[Point]]:
    """`read` as a series: one point per period from `start` to `end`, empty where it found
    nothing."""

    @functools.wraps(read)
    def series(
        clinic: Clinic,
        *,
        cohort: Cohort | None = None,
        start: dt.date,
        end: dt.date,
        period: Period,
    ) -> list[Point]:
        starts = period_starts(start, end, period)
        span = _Span(
            clinic=clinic,
            cohort=cohort,
            period=period,
            first=clinic.day_bounds(starts[0])[0],
            after=clinic.day_bounds(next_period(starts[-1], period))[0],
        )
        return points_for(starts, read(span))

    return series


@_series
def invitation_acceptance(span: _Span) -> Found:
    """% of invitations that reached her that she accepted, by session date. n: invitations."""
    invitations = span.of_sessions(Invitation.objects.filter(state__in=REACHED_HER))
    rows = span.by_period(
        invitations,
        "session__start",
        sent=Count("pk"),
        accepted=Count("pk", filter=Q(state__in=SHE_ACCEPTED)),
    )
    return {
        day: (percentage(row["accepted"], row["sent"]), row["sent"]) for day, row in rows.items()
    }


@_series
def attendance(span: _Span) -> Found:
    """% of accepted places at sessions held (not cancelled) that she came to. n: places."""
    came = Attendance.objects.filter(
        session=OuterRef("session"), patient=OuterRef("patient"), status__in=CAME
    )
    invitations = span.of_sessions(
        Invitation.objects.filter(state=InvitationState.ACCEPTED).exclude(
            session__status=SessionStatus.CANCELLED
        )
    )
    rows = span.by_period(
        invitations.annotate(came=Exists(came)),
        "session__start",
        accepted=Count("pk"),
        came=Count("pk", filter=Q(came=True)),
    )
    return {
        day: (percentage(row["came"], row["accepted"]), row["accepted"])
        for day, row in rows.items()
    }


def _median_waits(span: _Span, minutes: Callable[[Wait], float | None]) -> Found:
    waits: list[Wait] = waits_between(
        span.clinic,
        start=span.first,
        end=span.after,
        cohort_id=span.cohort.pk if span.cohort is not None else None,
    )
    by_period: dict[dt.date, list[float]] = defaultdict(list)
    for wait in waits:
        value = minutes(wait)
        if value is not None:
            by_period[period_start(span.clinic.day_of(wait.called_at), span.period)].append(value)
    return {day: (round(median(values), 1), len(values)) for day, values in by_period.items()}


@_series
def time_in_waiting_room(span: _Span) -> Found:
    """Median minutes from check-in to called in. n: women with both times."""
    return _median_waits(span, lambda wait: wait.minutes_in_waiting_room)


@_series
def wait_beyond_booked_time(span: _Span) -> Found:
    """Median minutes from booked time to called in (early counts 0). n: women with both."""
    return _median_waits(span, lambda wait: wait.minutes_beyond_booked_time)


@_series
def concerns_raised(span: _Span) -> Found:
    """Concerns raised at sessions in the period. n: women who came to sessions in it, so a
    count from a handful of women is not shown. Two queries."""
    concerns = Concern.objects.filter(
        clinic=span.clinic, raised_at__gte=span.first, raised_at__lt=span.after
    )
    if span.cohort is not None:
        concerns = concerns.filter(session__cohort=span.cohort)
    attendances = span.of_sessions(Attendance.objects.filter(status__in=CAME))
    raised = span.by_period(concerns, "raised_at", raised=Count("pk"))
    women = span.by_period(attendances, "session__start", women=Count("patient", distinct=True))
    return {
        day: (float(raised[day]["raised"] if day in raised else 0), row["women"])
        for day, row in women.items()
    }


@_series
def group_posts(span: _Span) -> Found:
    """Posts by the clinic's women in its cohorts' groups (removed posts left out). n: women
    who posted. In a cohort shared with another clinic only this clinic's women count
    (docs/adr/0030-shared-cohorts-scoped-by-the-womans-clinic.md)."""
    posts = Post.objects.filter(
        thread__cohort__clinics=span.clinic,
        author__patient_record__in=Patient.objects.of_clinic(span.clinic.pk).values("pk"),
        created_at__gte=span.first,
        created_at__lt=span.after,
        removed_at__isnull=True,
    )
    if span.cohort is not None:
        posts = posts.filter(thread__cohort=span.cohort)
    rows = span.by_period(
        posts,
        "created_at",
        posts=Count("pk", distinct=True),
        women=Count(F("author"), distinct=True),
    )
    return {day: (float(row["posts"]), row["women"]) for day, row in rows.items()}
