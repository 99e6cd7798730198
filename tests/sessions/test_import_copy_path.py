"""The COPY path (ADR 43) writes what the bulk_create path writes, for the same files.

Each path imports the same sequence of files into the same clinic, from the same starting
records, inside a savepoint that is then rolled back; what each left in the database, its
reports and the planner calls it made are compared (ids aside: the sequences move on).
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from groups.models import CohortMembership
from sessions.imports import hooks, services
from sessions.imports.services import appointment_source
from sessions.models import Appointment, Patient
from tests.factories import AppointmentFactory, ClinicFactory, PatientFactory, UserFactory
from tests.sessions.import_files import (
    csv_row,
    csv_text,
    fhir_appointment,
    fhir_bundle,
    fhir_patient,
    nhs_number,
    run_import,
)
from waitroom.models import AuditEvent


class _RolledBack(Exception):
    pass


def _first_file() -> str:
    return csv_text(
        *(csv_row(n, cohorts="twins" if n % 3 == 0 else "") for n in range(0, 8)),
        csv_row(8, nhs_number=nhs_number(8), status="cancelled"),
        csv_row(9, nhs_number=nhs_number(8)),  # the NHS number of row 8's woman
        csv_row(10, appointment_id="APT000001"),  # a second row with row 1's appointment
        csv_row(11, date_of_birth="31/02/1991"),  # refused by the row checks
        csv_row(12, hospital_number="HOLD001", nhs_number=nhs_number(12), cohorts="twins"),
        csv_row(13, hospital_number="HOLD002", given_name="Changed", preferred_name="Bee"),
        csv_row(14, hospital_number="HOLD003", appointment_id="OLD-APT", start="03/06/2026 10:00"),
        csv_row(15, cohorts="no-such-cohort"),
    )


def _second_file() -> str:
    return csv_text(
        csv_row(0, start="02/06/2026 11:30"),  # moved
        csv_row(1, status="cancelled"),  # withdrawn
        csv_row(2, duration_minutes="40", preferred_name="Jo"),  # changed, her details too
        csv_row(3),  # unchanged
        csv_row(4, hospital_number="H0000005"),  # her appointment, another woman's number
        csv_row(8, nhs_number=nhs_number(8), status="booked"),  # cancelled, now booked again
        csv_row(20, nhs_number=nhs_number(12)),  # HOLD001's NHS number, another woman
        csv_row(21, cohorts="twins"),  # new
        csv_row(22, hospital_number="HOLD003", appointment_id="OTHER-CLINIC"),
    )


def _third_file() -> str:
    return fhir_bundle(
        entries=[
            {"resource": fhir_appointment(30)},
            {"fullUrl": "https://hospital.example/Patient/p30", "resource": fhir_patient(30)},
            {"resource": fhir_appointment(7)},
            {
                "fullUrl": "https://hospital.example/Patient/p7",
                "resource": fhir_patient(7, name=[{"family": "Renamed", "given": ["Woman"]}]),
            },
        ]
    )


def _snapshot(clinic, reports, planner_calls) -> dict:
    organisation = clinic.organisation_id
    number = dict(
        Patient.objects.filter(organisation_id=organisation).values_list("pk", "hospital_number")
    )
    external = dict(Appointment.objects.values_list("pk", "external_id"))
    patient_fields = [*services.PATIENT_FIELDS, "user_id", "opted_out_at", "pregnancy_ended_at"]
    return {
        "patients": sorted(
            Patient.objects.filter(organisation_id=organisation).values_list(
                "hospital_number", *patient_fields
            )
        ),
        "appointments": sorted(
            (
                a.external_id,
                a.source,
                number.get(a.patient_id),
                a.clinic_id,
                a.start,
                a.duration_minutes,
                a.appointment_type,
                a.status,
            )
            for a in Appointment.objects.all()
        ),
        "memberships": sorted(
            (number[m.patient_id], m.cohort.slug, m.status, m.source)
            for m in CohortMembership.objects.filter(
                patient__organisation_id=organisation
            ).select_related("cohort")
        ),
        "audit": sorted(
            (
                e.action,
                e.object_type,
                number.get(e.patient_id),
                e.object_id == str(e.patient_id),
                e.user_id,
                e.role,
                e.clinic_id,
                e.context,
                e.ip_address,
            )
            for e in AuditEvent.objects.filter(object_type="waitingroom.patient")
        ),
        "reports": [
            (
                r.file_format,
                r.total_rows,
                r.processed_rows,
                r.created,
                r.updated,
                r.unchanged,
                r.cancelled,
                r.skipped,
                r.problem_count,
                r.problems,
            )
            for r in reports
        ],
        "planner": [(name, sorted(external[pk] for pk in ids)) for name, ids in planner_calls],
    }


def _imported(clinic, user, monkeypatch, django_capture_on_commit_callbacks, *, copy: bool):
    monkeypatch.setattr(services, "COPY_ON_POSTGRESQL", copy)
    calls: list[tuple[str, list[int]]] = []
    for name in ("appointments_withdrawn", "appointments_rescheduled", "appointments_added"):
        monkeypatch.setattr(
            hooks, name, lambda *, appointment_ids, name=name: calls.append((name, appointment_ids))
        )
    snapshot = {}
    try:
        with transaction.atomic():
            reports = []
            for content in (_first_file(), _second_file(), _third_file()):
                with django_capture_on_commit_callbacks(execute=True):
                    reports.append(run_import(clinic, content, user=user, batch_size=4))
            snapshot = _snapshot(clinic, reports, calls)
            raise _RolledBack
    except _RolledBack:
        pass
    return snapshot


@pytest.mark.django_db
def test_the_copy_path_writes_what_the_bulk_create_path_writes(
    clinic, twins, monkeypatch, django_capture_on_commit_callbacks
):
    twins.slug = "twins"
    twins.save()
    organisation = clinic.organisation
    PatientFactory(organisation=organisation, hospital_number="HOLD001")
    owner = UserFactory()
    PatientFactory(
        organisation=organisation,
        hospital_number="HOLD002",
        given_name="Before",
        consent_sms=True,
        user=owner,
    )
    held = PatientFactory(organisation=organisation, hospital_number="HOLD003")
    AppointmentFactory(
        source=appointment_source(clinic), external_id="OLD-APT", patient=held, clinic=clinic
    )
    AppointmentFactory(
        source=appointment_source(clinic),
        external_id="OTHER-CLINIC",
        patient=held,
        clinic=ClinicFactory(organisation=organisation),  # the same trust's other clinic
    )
    user = UserFactory()

    by_copy = _imported(clinic, user, monkeypatch, django_capture_on_commit_callbacks, copy=True)
    by_bulk_create = _imported(
        clinic, user, monkeypatch, django_capture_on_commit_callbacks, copy=False
    )

    assert by_copy == by_bulk_create
    reports = by_copy["reports"]
    # The files did what they were written to do, so the comparison is not of empty imports.
    assert [r[3:9] for r in reports] == [EXPECTED_FIRST, EXPECTED_SECOND, EXPECTED_THIRD]
    assert {name for name, _ in by_copy["planner"]} == {
        "appointments_withdrawn",
        "appointments_rescheduled",
        "appointments_added",
    }
    assert {row[0] for row in by_copy["audit"]} == {"create", "change"}
    assert by_copy["memberships"]


# (created, updated, unchanged, cancelled, skipped, problem count), counted by hand from the files.
# First: rows 0-8, 12, 13 new (row 8 cancelled), row 14 moves OLD-APT; rows 9 (NHS number),
# 10 (identifier twice), 11 (date) and 15 (cohort) refused.
EXPECTED_FIRST = (11, 1, 0, 1, 4, 4)
# Second: 21 new; 0 moved, 1 cancelled, 2 longer, 8 booked again; 3 unchanged; 4 (another
# woman's appointment), 20 (HOLD001's NHS number) and 22 (another clinic's) refused.
EXPECTED_SECOND = (1, 4, 1, 1, 3, 3)
# Third (FHIR): 30 new; 7 renamed and moved (UTC, not the clinic's summer time).
EXPECTED_THIRD = (1, 1, 0, 0, 0, 0)


@pytest.mark.django_db
def test_the_upsert_never_moves_another_clinics_appointment(clinic):
    # A writer that got in between the batch's lookups and its upsert: the row it wrote is not
    # overwritten, and the batch fails so the service retries row by row (which refuses it).
    from sessions.imports import copy_upsert

    source = appointment_source(clinic)
    theirs = AppointmentFactory(
        source=source,
        external_id="RACE",
        clinic=ClinicFactory(organisation=clinic.organisation),
        patient=PatientFactory(organisation=clinic.organisation),
    )
    ours = Appointment(
        source=source,
        external_id="RACE",
        patient=PatientFactory(organisation=clinic.organisation),
        clinic=clinic,
        start=theirs.start,
        duration_minutes=45,
        status="booked",
    )

    with transaction.atomic():
        copy_upsert.stage_tables_create()
    with pytest.raises(DatabaseError, match="fewer rows"), transaction.atomic():
        copy_upsert.appointments_upsert(
            source=source, clinic_id=clinic.pk, new=[ours], changed=[], now=theirs.updated_at
        )

    theirs.refresh_from_db()
    assert theirs.clinic_id != clinic.pk
    assert theirs.duration_minutes != 45


@pytest.mark.django_db
def test_text_with_backslashes_and_tabs_is_stored_as_written(clinic):
    # COPY's text format gives \ and tab a meaning; the row checks let both through.
    run_import(
        clinic,
        csv_text(csv_row(1, family_name="O\\Brien\tSmith", appointment_type="Scan \\N")),
    )

    patient = Patient.objects.get(hospital_number="H0000001")
    assert patient.family_name == "O\\Brien\tSmith"
    assert patient.appointments.get().appointment_type == "Scan \\N"
