"""Fixtures for running a session: one session at the clinic, run by the facilitator and the
peer supporter, with women expected through invitations (as the invitations app makes them)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sessions.invitations.models import Invitation, InvitationState
from sessions.models import Patient
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    PatientFactory,
    UserFactory,
)
from tests.members.builders import session_running_now


@pytest.fixture
def cohort(clinic):
    return CohortFactory(
        staff_name="BMI over 30", criterion="Booking BMI of 30 or more", clinics=[clinic]
    )


@pytest.fixture
def session(clinic, cohort, facilitator, peer_supporter):
    """Running now, so that women can be checked in and marked (only inside its window)."""
    return session_running_now(clinic, cohort, facilitators=[facilitator, peer_supporter])


@pytest.fixture
def expect_woman(clinic):
    """`expect_woman(session, ...)` → a Patient invited to the session for her appointment."""

    def make(
        session,
        *,
        display_name: str = "",
        state: str = InvitationState.ACCEPTED,
        minutes_after_start: int = 20,
        interpreter: bool = False,
        language: str = "en",
    ) -> Patient:
        user = UserFactory(display_name=display_name) if display_name else None
        patient = PatientFactory(
            organisation=clinic.organisation,
            user=user,
            nhs_number="9434765919" if interpreter else "",
            interpreter_needed=interpreter,
            preferred_language=language,
            mobile="07700900999",
        )
        appointment = AppointmentFactory(
            patient=patient,
            clinic=clinic,
            start=session.start + dt.timedelta(minutes=minutes_after_start),
        )
        Invitation.objects.create(
            session=session, patient=patient, appointment=appointment, state=state
        )
        return patient

    return make


@pytest.fixture
def trained(peer_supporter):
    from sessions.facilitation.models import PeerSupporterRecord

    today = timezone.localdate()
    return PeerSupporterRecord.objects.create(
        user=peer_supporter,
        training_completed_on=today - dt.timedelta(days=100),
        dbs_checked_on=today - dt.timedelta(days=200),
        dbs_expires_on=today + dt.timedelta(days=500),
    )


def forbidden_fields(patient: Patient, cohort) -> list[str]:
    """Text that must never reach a peer supporter's page about `patient`."""
    values = [
        patient.hospital_number,
        patient.family_name,
        patient.mobile,
        patient.email,
        cohort.staff_name,
        cohort.criterion,
    ]
    if patient.nhs_number:
        values.append(patient.nhs_number)
    if patient.date_of_birth:
        values += [
            patient.date_of_birth.isoformat(),
            patient.date_of_birth.strftime("%d/%m/%Y"),
            f"{patient.date_of_birth.day} {patient.date_of_birth:%B %Y}",
        ]
    return [v for v in values if v]
