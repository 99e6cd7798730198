"""python manage.py import_appointments PATH --clinic SLUG"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sessions.models import Appointment
from tests.factories import CohortFactory

from .import_files import SAMPLE_CSV, SAMPLE_FHIR, csv_row, csv_text

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_appointments", *args, stdout=out)
    return out.getvalue()


def test_it_imports_a_csv_file_printing_progress_and_the_outcome(clinic):
    for slug in ("twins-or-multiples", "older-mothers", "bmi-over-30"):
        CohortFactory(slug=slug, clinics=[clinic])
    output = run(str(SAMPLE_CSV), "--clinic", clinic.slug, "--batch-size", "2")

    assert "0 of 5 rows (0%)" in output
    assert "2 of 5 rows (40%)" in output
    assert "5 of 5 rows (100%)" in output
    assert "Imported CSV file into Riverside Antenatal Clinic: 5 new" in output
    assert Appointment.objects.filter(clinic=clinic).count() == 5


def test_it_imports_a_fhir_bundle_and_a_second_run_changes_nothing(clinic):
    run(str(SAMPLE_FHIR), "--clinic", clinic.slug)

    output = run(str(SAMPLE_FHIR), "--clinic", clinic.slug)

    assert "FHIR Bundle" in output
    assert "0 new, 0 updated, 3 unchanged" in output
    assert Appointment.objects.count() == 3


def test_it_prints_each_problem_and_exits_with_status_2(clinic, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(csv_text(csv_row(1), csv_row(2, start="soon"), csv_row(3, status="maybe")))
    out = StringIO()

    with pytest.raises(CommandError) as error:
        call_command("import_appointments", str(path), "--clinic", clinic.slug, stdout=out)

    assert error.value.returncode == 2
    assert "2 rows were not imported" in str(error.value)
    assert "Row 3, Start: Enter a date and time" in out.getvalue()
    assert "Row 4, Status: Status is not one we know" in out.getvalue()
    assert Appointment.objects.count() == 1


def test_a_refused_file_exits_with_one_message_and_imports_nothing(clinic, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError) as error:
        run(str(path), "--clinic", clinic.slug)

    assert error.value.returncode == 1
    assert str(error.value) == (
        "Nothing was imported. The selected file is empty. "
        "Choose the file exported from the hospital system."
    )


def test_a_file_naming_another_clinic_is_refused(clinic, other_clinic):
    with pytest.raises(CommandError, match="for another clinic"):
        run(str(SAMPLE_FHIR), "--clinic", other_clinic.slug)
    assert not Appointment.objects.exists()


def test_an_unknown_clinic_or_path_is_an_error(clinic, tmp_path):
    with pytest.raises(CommandError, match="no active clinic with the slug 'nowhere'"):
        run(str(SAMPLE_CSV), "--clinic", "nowhere")
    with pytest.raises(CommandError, match="There is no file"):
        run(str(tmp_path / "missing.csv"), "--clinic", clinic.slug)
