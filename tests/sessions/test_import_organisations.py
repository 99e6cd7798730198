"""Patients are held per organisation: an import never matches, refuses or reveals another
organisation's records, and a woman who moves trust has a record at each."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from sessions.models import Appointment, Patient
from tests.factories import ClinicFactory, PatientFactory

from .import_files import csv_row, csv_text, nhs_number, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_trust_clinic(clinic):
    other = ClinicFactory(slug="hillside", name="Hillside Antenatal Clinic")
    assert other.organisation_id != clinic.organisation_id
    return other


def test_an_nhs_number_held_by_another_trust_is_neither_refused_nor_revealed(
    clinic, other_trust_clinic
):
    theirs = PatientFactory(
        organisation=other_trust_clinic.organisation,
        hospital_number="HS555",
        nhs_number=nhs_number(1),
        family_name="Elsewhere",
    )

    report = run_import(clinic, csv_text(csv_row(1, nhs_number=nhs_number(1))))

    assert (report.created, report.skipped, report.problems) == (1, 0, [])
    ours = Patient.objects.get(organisation=clinic.organisation)
    assert (ours.nhs_number, ours.hospital_number) == (nhs_number(1), "H0000001")
    theirs.refresh_from_db()
    assert (theirs.hospital_number, theirs.family_name) == ("HS555", "Elsewhere")


def test_the_same_file_imports_whole_into_a_second_organisation(clinic, other_trust_clinic):
    content = csv_text(*(csv_row(n, nhs_number=nhs_number(n)) for n in range(5)))
    first = run_import(clinic, content)

    second = run_import(other_trust_clinic, content)

    assert (first.created, first.skipped) == (5, 0)
    assert (second.created, second.skipped, second.problems) == (5, 0, [])
    for organisation in (clinic.organisation, other_trust_clinic.organisation):
        assert Patient.objects.filter(organisation=organisation).count() == 5
    assert Appointment.objects.filter(clinic=other_trust_clinic).count() == 5
    assert Appointment.objects.filter(clinic=clinic).count() == 5


def test_within_one_organisation_an_nhs_number_still_belongs_to_one_woman(clinic):
    PatientFactory(organisation=clinic.organisation, hospital_number="H1", nhs_number=nhs_number(2))

    report = run_import(clinic, csv_text(csv_row(7, nhs_number=nhs_number(2))))

    assert report.created == 0
    assert [p.reason for p in report.problems] == [
        "This NHS number is already held for a woman with another hospital number"
    ]


def test_the_database_holds_nhs_numbers_unique_per_organisation(clinic, other_trust_clinic):
    PatientFactory(organisation=clinic.organisation, nhs_number=nhs_number(3))
    PatientFactory(organisation=other_trust_clinic.organisation, nhs_number=nhs_number(3))

    with pytest.raises(IntegrityError):
        PatientFactory(organisation=clinic.organisation, nhs_number=nhs_number(3))
