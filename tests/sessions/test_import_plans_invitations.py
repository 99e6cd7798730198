"""An imported appointment reaches the invitations planner: the loop from hospital list to text."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from sessions.imports.services import appointments_import
from sessions.invitations.models import Invitation
from tests.factories import CohortFactory, WaitingRoomSessionFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "Hospital number,Given name,Family name,Mobile,Appointment identifier,Start,Cohorts,"
    "Text message consent,Email consent\r\n"
)


def _csv(start: dt.datetime, *, consent: str = "yes") -> bytes:
    local = timezone.localtime(start)
    return (
        HEADER
        + f"H777,Asha,Patel,07700 900777,APT-777,{local:%d/%m/%Y %H:%M},twins,{consent},no\r\n"
    ).encode()


def _import(clinic, data: bytes):
    return appointments_import(clinic=clinic, open_file=lambda: io.BytesIO(data))


@pytest.fixture
def session(clinic):
    cohort = CohortFactory(slug="twins", clinics=[clinic])
    day = timezone.localdate() + dt.timedelta(days=3)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 45)))
    return WaitingRoomSessionFactory(clinic=clinic, cohort=cohort, start=start)


def test_an_imported_cohort_member_is_invited_to_the_session_on_her_day(
    clinic, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _import(clinic, _csv(session.start + dt.timedelta(minutes=20)))

    invitation = Invitation.objects.get(session=session)
    assert invitation.patient.hospital_number == "H777"
    assert invitation.patient.consent_sms is True


def test_without_consent_in_the_file_nobody_is_invited(
    clinic, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _import(clinic, _csv(session.start + dt.timedelta(minutes=20), consent="no"))
    assert not Invitation.objects.filter(session=session).exists()


def test_an_import_never_overrides_consent_she_set_herself(clinic, session, member):
    patient = member.patient
    patient.hospital_number = "H777"
    patient.consent_sms = False
    patient.save()
    _import(clinic, _csv(session.start))
    patient.refresh_from_db()
    assert patient.consent_sms is False
