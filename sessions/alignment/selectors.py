"""Booking alignment: the clinic days where a cohort's members gather, and who could join them.

The clinic's wish is that women of one cohort attend on the same day, so a waiting-room session
reaches as many of them as possible. For a cohort and the next few weeks this counts, for each
clinic day, the distinct members with an attending appointment, and lists the appointments on
thinner days that sit within a week of a fuller one: the booking team can offer those women
the fuller day at their next contact.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from groups.models import Cohort, CohortMembership
from waitroom.models import Clinic

from ..models import Appointment

MAX_WEEKS = 12
DEFAULT_WEEKS = 4
# How far a woman's appointment may move: the booking team rebooks within the same week or so.
MOVE_WITHIN = dt.timedelta(days=7)
TOP_DAYS_SHOWN = 5


@dataclass(frozen=True)
class AlignmentDay:
    day: dt.date
    member_count: int


@dataclass(frozen=True)
class MoveSuggestion:
    """One appointment that could move to a day when more of her cohort attend."""

    appointment: Appointment
    starts_at: dt.datetime  # in the clinic's time zone
    member_count: int  # distinct cohort members attending on her current day
    suggested_day: dt.date
    suggested_member_count: int

    @property
    def days_apart(self) -> int:
        return abs((self.suggested_day - self.starts_at.date()).days)


@dataclass(frozen=True)
class BookingAlignment:
    clinic: Clinic
    cohort: Cohort
    first_day: dt.date
    last_day: dt.date  # inclusive
    days: list[AlignmentDay]  # by date
    moves: list[MoveSuggestion]  # by current appointment time

    @property
    def patient_ids(self) -> set[int]:
        """The women the list (and its CSV) names: those who could move."""
        return {move.appointment.patient_id for move in self.moves}

    @property
    def top_days(self) -> list[AlignmentDay]:
        ranked = sorted(self.days, key=lambda d: (-d.member_count, d.day))
        return ranked[:TOP_DAYS_SHOWN]


def _best_day_near(
    day: dt.date,
    patient_id: int,
    members_by_day: dict[dt.date, set[int]],
) -> dt.date | None:
    """The fullest other day within a week on which she is not already booked, if it is fuller
    than `day`. Ties go to the nearer day, then the earlier one."""
    here = len(members_by_day[day])
    best: tuple[int, int, dt.date] | None = None
    for other, members in members_by_day.items():
        apart = abs(other - day)
        if other == day or apart > MOVE_WITHIN or patient_id in members:
            continue
        if len(members) <= here:
            continue
        key = (-len(members), apart.days, other)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def booking_alignment(
    *,
    clinic: Clinic,
    cohort: Cohort,
    weeks: int = DEFAULT_WEEKS,
    first_day: dt.date | None = None,
) -> BookingAlignment:
    """Where `cohort`'s members are booked at `clinic` over `weeks` weeks from `first_day`.

    `first_day` defaults to tomorrow: today's bookings can no longer be moved. One query for
    the appointments (with their patients), whatever their number.
    """
    if first_day is None:
        first_day = clinic.today() + dt.timedelta(days=1)
    end_day = first_day + dt.timedelta(weeks=weeks)
    members = CohortMembership.objects.current().filter(cohort=cohort).values("patient_id")
    appointments = list(
        Appointment.objects.attending()
        .filter(
            clinic=clinic,
            start__gte=clinic.day_bounds(first_day)[0],
            start__lt=clinic.day_bounds(end_day)[0],
            patient_id__in=members,
            # A woman whose pregnancy has ended is never asked to rebook (design: pregnancy loss).
            patient__pregnancy_ended_at__isnull=True,
        )
        .select_related("patient")
        .order_by("start", "pk")
    )
    members_by_day: dict[dt.date, set[int]] = defaultdict(set)
    local_starts = {}
    for appointment in appointments:
        local_starts[appointment.pk] = clinic.local(appointment.start)
        members_by_day[local_starts[appointment.pk].date()].add(appointment.patient_id)

    moves = []
    for appointment in appointments:
        starts_at = local_starts[appointment.pk]
        day = starts_at.date()
        better = _best_day_near(day, appointment.patient_id, members_by_day)
        if better is not None:
            moves.append(
                MoveSuggestion(
                    appointment=appointment,
                    starts_at=starts_at,
                    member_count=len(members_by_day[day]),
                    suggested_day=better,
                    suggested_member_count=len(members_by_day[better]),
                )
            )
    days = [AlignmentDay(day, len(ids)) for day, ids in sorted(members_by_day.items())]
    return BookingAlignment(
        clinic=clinic,
        cohort=cohort,
        first_day=first_day,
        last_day=end_day - dt.timedelta(days=1),
        days=days,
        moves=moves,
    )
