"""The database refuses what the domain forbids, whatever code path tries it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sessions.nhs_number import is_valid_nhs_number, validate_nhs_number
from tests.factories import (
    AppointmentFactory,
    CohortFactory,
    PatientFactory,
    ResourceFactory,
    WaitingRoomSessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
def test_valid_nhs_numbers_pass_the_checksum(number):
    assert is_valid_nhs_number(number)
    validate_nhs_number(number)


@pytest.mark.parametrize(
    "number",
    ["9434765918", "943476591", "94347659190", "abcdefghij", "", "1234567890", "0000000000x"],
)
def test_invalid_nhs_numbers_are_refused(number):
    assert not is_valid_nhs_number(number)
    with pytest.raises(ValidationError, match="valid 10-digit NHS number"):
        validate_nhs_number(number)


def test_patient_with_bad_nhs_number_fails_validation():
    patient = PatientFactory.build(nhs_number="9434765918")
    with pytest.raises(ValidationError) as exc:
        patient.full_clean(exclude=["organisation"])
    assert "nhs_number" in exc.value.message_dict


def test_database_refuses_an_nhs_number_that_is_not_ten_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        PatientFactory(nhs_number="94347")


def test_hospital_number_is_unique_within_an_organisation():
    first = PatientFactory(hospital_number="RVH123")
    PatientFactory(hospital_number="RVH123")  # another organisation: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        PatientFactory(hospital_number="RVH123", organisation=first.organisation)


def test_duplicate_external_appointment_identifiers_are_refused():
    AppointmentFactory(source="maternity-pas", external_id="A-1")
    AppointmentFactory(source="other-system", external_id="A-1")  # another source: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(source="maternity-pas", external_id="A-1")


def test_unknown_appointment_status_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(status="lost")


@pytest.mark.parametrize("public_name", ["", "   ", "\t"])
def test_cohort_public_name_is_never_empty(public_name):
    with pytest.raises(IntegrityError), transaction.atomic():
        CohortFactory(public_name=public_name)


def test_cohort_public_name_is_required_by_validation():
    cohort = CohortFactory.build(public_name="")
    with pytest.raises(ValidationError) as exc:
        cohort.full_clean()
    assert "public_name" in exc.value.message_dict


def test_session_must_end_after_it_starts():
    session = WaitingRoomSessionFactory()
    session.end = session.start - dt.timedelta(minutes=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_session_capacity_is_at_least_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        WaitingRoomSessionFactory(capacity=0)


def test_resource_review_is_due_after_it_was_last_reviewed():
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceFactory(last_reviewed=dt.date(2026, 5, 1), next_review_due=dt.date(2026, 4, 1))


def test_resource_past_its_review_date_is_not_current():
    fresh = ResourceFactory()
    stale = ResourceFactory(last_reviewed=dt.date(2024, 1, 1), next_review_due=dt.date(2025, 1, 1))
    from resources.models import Resource

    current = set(Resource.objects.current())
    assert fresh in current
    assert stale not in current


def test_audit_events_cannot_be_changed_or_deleted(clinic):
    from waitroom.models import AuditEvent

    event = AuditEvent.objects.create(action="view", object_type="x", object_id="1", clinic=clinic)
    event.action = "delete"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
