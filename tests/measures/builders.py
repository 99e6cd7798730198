"""Builders for the measures' tests: a clinic week of sessions, invitations, attendances, waits,
concerns and posts, at fixed London times so that periods are known."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from groups.models import Post, Thread
from sessions.facilitation.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Concern,
    ConcernCategory,
    ConcernUrgency,
)
from sessions.invitations.models import Invitation, InvitationState
from tests.factories import (
    AppointmentFactory,
    PatientFactory,
    UserFactory,
    WaitingRoomSessionFactory,
)

LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def session_on(clinic, cohort, day: dt.date, *, hour: int = 10, **fields):
    return WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=at(day, hour),
        end=at(day, hour) + dt.timedelta(minutes=45),
        **fields,
    )


def woman_at(clinic, *, with_account: bool = False):
    user = UserFactory() if with_account else None
    return PatientFactory(organisation=clinic.organisation, user=user)


def invite(session, patient, state=InvitationState.ACCEPTED, *, booked_after_start: int = 30):
    appointment = AppointmentFactory(
        patient=patient,
        clinic=session.clinic,
        start=session.start + dt.timedelta(minutes=booked_after_start),
    )
    return Invitation.objects.create(
        session=session, patient=patient, appointment=appointment, state=state
    )


def attend(session, patient, *, status=AttendanceStatus.LEFT_FOR_APPOINTMENT, waited=None):
    """She came; `waited` minutes after the session's start she was called in (booked time
    is 30 minutes after the start, as `invite` books it)."""
    checked_in = session.start
    called = session.start + dt.timedelta(minutes=waited) if waited is not None else None
    return Attendance.objects.create(
        session=session,
        patient=patient,
        method=CheckInMethod.FACILITATOR,
        status=status,
        checked_in_at=checked_in if status != AttendanceStatus.DID_NOT_ATTEND else None,
        called_at=called,
        left_at=called,
    )


def week_of_sessions(clinic, cohort, monday: dt.date, *, women: int, waits=None):
    """One session on `monday`: `women` invited, accepted, came and called in after `waits`
    minutes each (default 40: 40 in the waiting room, 10 beyond booked time)."""
    session = session_on(clinic, cohort, monday)
    waits = waits or [40] * women
    for minutes in waits:
        patient = woman_at(clinic)
        invite(session, patient)
        attend(session, patient, waited=minutes)
    return session


def concern(session, raised_by, *, raised_at: dt.datetime) -> Concern:
    return Concern.objects.create(
        clinic=session.clinic,
        session=session,
        category=ConcernCategory.OTHER,
        urgency=ConcernUrgency.ROUTINE,
        description="Asked about support at home",
        raised_by=raised_by,
        raised_at=raised_at,
    )


def posts_by(clinic, cohort, authors: int, *, day: dt.date, each: int = 1, removed: int = 0):
    """`authors` of the clinic's women (with an appointment there) post `each` times on `day`."""
    thread = Thread.objects.create(cohort=cohort, title="Walking at lunchtime")
    for _ in range(authors):
        patient = woman_at(clinic, with_account=True)
        AppointmentFactory(patient=patient, clinic=clinic, start=at(day, 9))
        for _ in range(each):
            Post.objects.create(
                thread=thread, author=patient.user, body="Hello", created_at=at(day, 12)
            )
    for post in Post.objects.filter(thread=thread)[:removed]:
        post.removed_at = post.created_at
        post.save(update_fields=["removed_at"])
    return thread
