"""Each measure's series computed on PostgreSQL: what is counted, what is left out, and which
week or month it falls in on the clinic's own calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from groups.models import Post
from sessions.facilitation.models import AttendanceStatus
from sessions.invitations.models import InvitationState
from sessions.measures import series
from sessions.measures.catalogue import MEASURES, Point
from sessions.models import SessionStatus
from sessions.periods import period_starts, periods_back
from tests.factories import CohortFactory

from .builders import (
    at,
    attend,
    concern,
    invite,
    posts_by,
    session_on,
    week_of_sessions,
    woman_at,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)
NEXT_MONDAY = dt.date(2026, 3, 9)
TWO_WEEKS = {"start": MONDAY, "end": NEXT_MONDAY + dt.timedelta(days=6), "period": "week"}


@pytest.fixture
def cohort(clinic):
    return CohortFactory(staff_name="Twins", clinics=[clinic])


def test_the_catalogue_names_each_measure_once_with_a_direction():
    slugs = [m.slug for m in MEASURES]
    assert len(slugs) == len(set(slugs))
    assert {m.improvement for m in MEASURES} <= {"increase", "decrease", None}
    assert {
        "invitation-acceptance",
        "attendance",
        "time-in-waiting-room",
        "wait-beyond-booked-time",
        "concerns-raised",
        "group-activity",
    } <= set(slugs)


def test_weeks_start_on_monday_and_months_on_the_first():
    assert period_starts(dt.date(2026, 3, 4), dt.date(2026, 3, 16), "week") == [
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
    ]
    assert period_starts(dt.date(2025, 12, 15), dt.date(2026, 2, 1), "month") == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]
    assert periods_back(dt.date(2026, 3, 31), "month", 24) == dt.date(2024, 4, 1)
    assert len(period_starts(periods_back(MONDAY, "week", 52), MONDAY, "week")) == 52


def test_invitation_acceptance_counts_invitations_that_reached_her(clinic, cohort, other_clinic):
    session = session_on(clinic, cohort, MONDAY)
    for state in ["accepted"] * 3 + ["waiting_list", "declined", "sent"]:
        invite(session, woman_at(clinic), state)
    invite(session, woman_at(clinic), InvitationState.PLANNED)  # not sent yet
    invite(session, woman_at(clinic), InvitationState.CANCELLED)
    elsewhere = session_on(other_clinic, CohortFactory(clinics=[other_clinic]), MONDAY)
    invite(elsewhere, woman_at(other_clinic), InvitationState.DECLINED)

    points = series.invitation_acceptance(clinic, **TWO_WEEKS)

    assert points == [Point(MONDAY, 66.7, 6), Point(NEXT_MONDAY, None, 0)]


def test_a_cohort_view_counts_only_that_cohorts_sessions(clinic, cohort):
    week_of_sessions(clinic, cohort, MONDAY, women=5)
    other = CohortFactory(clinics=[clinic])
    week_of_sessions(clinic, other, MONDAY, women=7)

    assert series.invitation_acceptance(clinic, cohort=cohort, **TWO_WEEKS)[0].n == 5
    assert series.invitation_acceptance(clinic, **TWO_WEEKS)[0].n == 12


def test_attendance_is_the_share_of_accepted_places_she_came_to(clinic, cohort):
    session = session_on(clinic, cohort, MONDAY)
    statuses = [
        AttendanceStatus.ATTENDED,
        AttendanceStatus.LATE,
        AttendanceStatus.LEFT_FOR_APPOINTMENT,
        AttendanceStatus.DID_NOT_ATTEND,
    ]
    for status in statuses:
        patient = woman_at(clinic)
        invite(session, patient)
        attend(session, patient, status=status)
    invite(session, woman_at(clinic))  # accepted, never marked
    invite(session, woman_at(clinic), InvitationState.DECLINED)  # not a place she took
    cancelled = session_on(clinic, cohort, MONDAY, hour=14, status=SessionStatus.CANCELLED)
    invite(cancelled, woman_at(clinic))

    assert series.attendance(clinic, **TWO_WEEKS)[0] == Point(MONDAY, 60.0, 5)


def test_waiting_times_are_weekly_medians(clinic, cohort):
    week_of_sessions(clinic, cohort, MONDAY, women=5, waits=[30, 35, 40, 60, 90])
    week_of_sessions(clinic, cohort, NEXT_MONDAY, women=6, waits=[20] * 6)

    in_room = series.time_in_waiting_room(clinic, **TWO_WEEKS)
    beyond = series.wait_beyond_booked_time(clinic, **TWO_WEEKS)

    assert in_room == [Point(MONDAY, 40.0, 5), Point(NEXT_MONDAY, 20.0, 6)]
    # booked 30 minutes after the start: 0, 5, 10, 30, 60 → 10; all called early → 0
    assert beyond == [Point(MONDAY, 10.0, 5), Point(NEXT_MONDAY, 0.0, 6)]


def test_a_period_is_the_clinics_own_week_not_utcs(clinic, cohort):
    """00:30 on Monday 9 March in London (GMT) is in the week of 9 March; in British Summer Time
    00:30 on Monday 6 April is 23:30 on Sunday in UTC, and still counts in London's week."""
    april = dt.date(2026, 4, 6)
    session = session_on(clinic, cohort, april, hour=0)
    for _ in range(5):
        patient = woman_at(clinic)
        invite(session, patient)
        attend(session, patient, waited=20)

    points = series.time_in_waiting_room(
        clinic, start=dt.date(2026, 3, 30), end=dt.date(2026, 4, 12), period="week"
    )
    acceptance = series.invitation_acceptance(
        clinic, start=dt.date(2026, 3, 30), end=dt.date(2026, 4, 12), period="week"
    )

    assert [p.n for p in points] == [0, 5]
    assert [p.n for p in acceptance] == [0, 5]


def test_months_add_up_their_weeks(clinic, cohort):
    week_of_sessions(clinic, cohort, MONDAY, women=5, waits=[40] * 5)
    week_of_sessions(clinic, cohort, NEXT_MONDAY, women=5, waits=[50] * 5)

    points = series.time_in_waiting_room(
        clinic, start=dt.date(2026, 2, 1), end=dt.date(2026, 3, 31), period="month"
    )

    assert points == [Point(dt.date(2026, 2, 1), None, 0), Point(dt.date(2026, 3, 1), 45.0, 10)]


def test_concerns_are_counted_with_the_women_who_came_behind_them(clinic, cohort, facilitator):
    session = week_of_sessions(clinic, cohort, MONDAY, women=6)
    concern(session, facilitator, raised_at=at(MONDAY, 10, 20))
    concern(session, facilitator, raised_at=at(MONDAY, 10, 25))

    assert series.concerns_raised(clinic, **TWO_WEEKS) == [
        Point(MONDAY, 2.0, 6),
        Point(NEXT_MONDAY, None, 0),
    ]


def test_group_posts_count_the_clinics_women_and_leave_out_removed_posts(
    clinic, cohort, other_clinic
):
    posts_by(clinic, cohort, 5, day=MONDAY, each=2, removed=1)
    cohort.clinics.add(other_clinic)  # a shared cohort: the other clinic's women do not count
    posts_by(other_clinic, cohort, 3, day=MONDAY)

    points = series.group_posts(clinic, **TWO_WEEKS)

    assert points[0] == Point(MONDAY, 9.0, 5)
    assert Post.objects.count() == 13
