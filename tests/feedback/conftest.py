"""Fixtures for feedback: the shipped instruments loaded, and a woman who came to a session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from sessions.facilitation.models import Attendance, AttendanceStatus, CheckInMethod
from sessions.feedback.services import instruments_load_files
from sessions.invitations.models import Invitation, InvitationState
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    CohortMembershipFactory,
    PatientFactory,
    WaitingRoomSessionFactory,
)
from tests.invitations.conftest import LONDON, london

# A Wednesday: the session 10:00-10:45, her appointment 10:30-10:50 (London time).
SESSION_START = london(2026, 5, 6, 10, 0)
AFTER_IT = london(2026, 5, 6, 15, 0)


@pytest.fixture
def instruments(db):
    return instruments_load_files()


@dataclass
class Came:
    patient: object
    session: object
    appointment: object


@pytest.fixture
def came(clinic, instruments):
    """came(**patient) -> a woman who came to a session at `clinic` on SESSION_START's day."""
    cohort = CohortFactory(clinics=[clinic], public_name="Wednesday friends")
    session = WaitingRoomSessionFactory(
        clinic=clinic,
        cohort=cohort,
        start=SESSION_START,
        end=SESSION_START + dt.timedelta(minutes=45),
    )

    def make(status=AttendanceStatus.ATTENDED, appointment_at=(10, 30), **patient) -> Came:
        woman = PatientFactory(organisation=clinic.organisation, **patient)
        CohortMembershipFactory(cohort=cohort, patient=woman)
        day = SESSION_START.astimezone(LONDON).date()
        start = dt.datetime.combine(day, dt.time(*appointment_at), tzinfo=LONDON)
        appointment = AppointmentFactory(patient=woman, clinic=clinic, start=start)
        Invitation.objects.create(
            session=session, patient=woman, appointment=appointment, state=InvitationState.ACCEPTED
        )
        Attendance.objects.create(
            session=session,
            patient=woman,
            status=status,
            method=CheckInMethod.QR_CODE,
            checked_in_at=SESSION_START,
        )
        return Came(woman, session, appointment)

    return make


# The fake GOV.UK Notify server and the settings that point the real client at it; a real
# worker on this run's Redis broker database, as the invitations worker tests run it.
from tests.invitations.conftest import fake_notify, notify_mode  # noqa: E402, F401
from tests.invitations.test_worker import broker, in_process_worker  # noqa: E402, F401
