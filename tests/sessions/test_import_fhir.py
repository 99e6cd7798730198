"""Importing a FHIR R4 Bundle of Appointment resources with their patients."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sessions.imports.rows import ImportRefused
from sessions.models import Appointment, AppointmentStatus, Patient

from .import_files import (
    SAMPLE_FHIR,
    csv_row,
    csv_text,
    fhir_appointment,
    fhir_bundle,
    fhir_patient,
    nhs_number,
    run_import,
)

pytestmark = pytest.mark.django_db


def problems_of(report) -> list[tuple[int, str]]:
    return [(p.row, p.field) for p in report.problems]


def test_it_imports_the_documented_sample_bundle(clinic):
    report = run_import(clinic, SAMPLE_FHIR.read_bytes())

    assert report.file_format == "fhir"
    assert report.problems == []
    assert (report.created, report.cancelled) == (3, 1)
    # A patient referred to by urn:uuid fullUrl, after the appointment that names her.
    aisha = Patient.objects.get(hospital_number="H2000001")
    assert (aisha.given_name, aisha.family_name, aisha.preferred_name) == (
        "Aisha",
        "Rahman",
        "Aisha",
    )
    assert aisha.nhs_number == "9434765943"
    assert (aisha.preferred_language, aisha.interpreter_needed) == ("ur", True)
    assert aisha.mobile == "07700900011"
    assert aisha.email == "aisha.rahman@example.com"
    assert aisha.date_of_birth == dt.date(1990, 5, 17)
    first = Appointment.objects.get(external_id="FHIR-APT-20260602-001")
    assert first.patient == aisha
    assert first.start == dt.datetime(2026, 6, 2, 8, 0, tzinfo=dt.UTC)
    assert first.appointment_type == "Antenatal check"
    # A relative reference (Patient/p2), and a duration from `end`.
    second = Appointment.objects.get(external_id="FHIR-APT-20260602-002")
    assert second.patient.hospital_number == "H2000002"
    assert (second.duration_minutes, second.status) == (30, AppointmentStatus.BOOKED)
    # A contained patient.
    third = Appointment.objects.get(external_id="FHIR-APT-20260602-003")
    assert third.patient.hospital_number == "H2000003"
    assert third.status == AppointmentStatus.CANCELLED


def test_importing_the_same_bundle_twice_changes_nothing(clinic):
    run_import(clinic, SAMPLE_FHIR.read_bytes())
    before = list(Appointment.objects.values().order_by("pk"))
    patients = list(Patient.objects.values().order_by("pk"))

    report = run_import(clinic, SAMPLE_FHIR.read_bytes())

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert list(Appointment.objects.values().order_by("pk")) == before
    assert list(Patient.objects.values().order_by("pk")) == patients


@pytest.mark.parametrize("kind", ["collection", "searchset", "transaction"])
def test_collection_searchset_and_transaction_bundles_are_read(clinic, kind):
    report = run_import(clinic, fhir_bundle(3, kind=kind))

    assert report.created == 3


@pytest.mark.parametrize("status", AppointmentStatus.values)
def test_every_fhir_status_is_kept(clinic, status):
    run_import(clinic, fhir_bundle(entries=_entries(fhir_appointment(1, status=status))))

    assert Appointment.objects.get().status == status


def test_a_cancelled_appointment_in_a_later_bundle_is_marked(clinic):
    run_import(clinic, fhir_bundle(2))

    report = run_import(
        clinic,
        fhir_bundle(
            entries=_entries(fhir_appointment(0, status="entered-in-error"), fhir_appointment(1))
        ),
    )

    assert (report.updated, report.unchanged, report.cancelled) == (1, 1, 1)
    assert Appointment.objects.get(external_id="APT000000").status == "entered-in-error"


def test_the_same_appointment_from_csv_and_from_fhir_is_one_appointment(clinic):
    run_import(clinic, csv_text(csv_row(1)))

    report = run_import(
        clinic, fhir_bundle(entries=_entries(fhir_appointment(1, minutesDuration=45)))
    )

    assert (report.created, report.updated) == (0, 1)
    assert Appointment.objects.get().duration_minutes == 45


def _entries(*appointments: dict) -> list[dict]:
    entries = []
    for appointment in appointments:
        entries.append({"resource": appointment})
        for participant in appointment["participant"]:
            reference = participant["actor"].get("reference", "")
            if reference.startswith("Patient/p"):
                entries.append({"resource": fhir_patient(int(reference.removeprefix("Patient/p")))})
    return entries


BAD_APPOINTMENTS = [
    ({"status": "maybe"}, "Appointment.status"),
    ({"status": None}, "Appointment.status"),
    ({"start": None}, "Appointment.start"),
    ({"start": "next tuesday"}, "Appointment.start"),
    ({"minutesDuration": 0}, "Appointment.minutesDuration"),
    ({"minutesDuration": None, "end": "2026-06-01T08:00:00+00:00"}, "Appointment.end"),
    ({"identifier": [], "id": None}, "Appointment.identifier"),
    ({"participant": []}, "Appointment.participant"),
    ({"participant": [{"actor": {"reference": "Patient/nobody"}}]}, "Appointment.participant"),
]


@pytest.mark.parametrize(("override", "field"), BAD_APPOINTMENTS)
def test_a_bad_appointment_is_reported_by_entry_and_the_others_are_kept(clinic, override, field):
    bad = fhir_appointment(2)
    for key, value in override.items():
        if value is None:
            bad.pop(key, None)
        else:
            bad[key] = value
    entries = _entries(fhir_appointment(1), bad, fhir_appointment(3))

    report = run_import(clinic, fhir_bundle(entries=entries))

    assert problems_of(report) == [(3, field)]
    assert (report.created, report.skipped) == (2, 1)
    assert not Appointment.objects.filter(external_id="APT000002").exists()


def test_a_bad_patient_is_reported_once_and_her_appointments_are_skipped(clinic):
    bad_patient = fhir_patient(
        2,
        identifier=[
            {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765918"},
            {"system": "https://hospital.example/Id/mrn", "value": "H0000002"},
        ],
    )
    entries = [
        {"resource": fhir_appointment(1)},
        {"resource": fhir_patient(1)},
        {"resource": fhir_appointment(2)},
        {"resource": fhir_appointment(3, patient_ref="Patient/p2")},
        {"resource": bad_patient},
    ]

    report = run_import(clinic, fhir_bundle(entries=entries))

    assert problems_of(report) == [
        (5, "Patient.identifier (NHS number)"),
        (3, "Appointment.participant"),
        (4, "Appointment.participant"),
    ]
    assert "entry 5" in report.problems[1].reason
    assert report.created == 1
    assert not Patient.objects.filter(hospital_number="H0000002").exists()


def test_a_patient_with_a_valid_nhs_number_is_matched_to_her_record(clinic):
    patient = fhir_patient(
        1,
        identifier=[
            {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs_number(4)},
            {"use": "official", "system": "https://hospital.example/Id/mrn", "value": "H0000001"},
        ],
    )

    run_import(
        clinic, fhir_bundle(entries=[{"resource": fhir_appointment(1)}, {"resource": patient}])
    )

    assert Patient.objects.get().nhs_number == nhs_number(4)
    assert Patient.objects.get().hospital_number == "H0000001"


REFUSED_BUNDLES = [
    (b"{}", "not a FHIR Bundle"),
    (b"[1, 2, 3]", "not an appointment list"),
    (json.dumps(fhir_patient(1)).encode(), "not a FHIR Bundle"),
    (fhir_bundle(2).encode()[:-40], "not valid JSON"),
    (b'{"resourceType": "Bundle", "type": "collection", "entry": [}', "not valid JSON"),
    (fhir_bundle(2, kind="document").encode(), "not a collection, searchset or transaction"),
    (fhir_bundle(entries=[{"resource": fhir_patient(1)}]).encode(), "no Appointment resources"),
    (fhir_bundle(0).encode(), "no Appointment resources"),
]


@pytest.mark.parametrize(("content", "message"), REFUSED_BUNDLES)
def test_a_file_that_is_not_a_bundle_of_appointments_is_refused_whole(clinic, content, message):
    with pytest.raises(ImportRefused) as refused:
        run_import(clinic, content)

    assert message in refused.value.message
    assert not Appointment.objects.exists()


def test_a_bundle_naming_another_clinic_is_refused_before_anything_is_written(clinic):
    entries = _entries(*(fhir_appointment(n) for n in range(30)))
    entries[-2]["resource"]["participant"].append(
        {"actor": {"identifier": {"system": "urn:waitroom:clinic", "value": "hillside"}}}
    )

    with pytest.raises(ImportRefused) as refused:
        run_import(clinic, fhir_bundle(entries=entries), batch_size=5)

    assert "another clinic ('hillside')" in refused.value.message
    assert not Appointment.objects.exists()


def test_a_bundle_naming_this_clinic_is_accepted(clinic):
    appointment = fhir_appointment(1)
    appointment["participant"].append(
        {"actor": {"identifier": {"system": "urn:waitroom:clinic", "value": clinic.slug}}}
    )

    report = run_import(clinic, fhir_bundle(entries=_entries(appointment)))

    assert report.created == 1


@pytest.mark.parametrize("count", [50, 500])
def test_the_fhir_import_does_not_issue_queries_per_appointment(
    clinic, django_assert_max_num_queries, count
):
    with django_assert_max_num_queries(14):
        report = run_import(clinic, fhir_bundle(count))
    assert report.created == count
