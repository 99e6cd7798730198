"""Every row's values are checked for plausibility before it is written, and the file ends as
"these rows imported, these refused with reasons", never part way: upload, job and command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sessions.imports import rows as row_checks
from sessions.imports.jobs import import_job_run
from sessions.imports.models import ImportJob, ImportJobStatus
from sessions.models import Appointment, Patient

from .import_files import (
    csv_row,
    csv_rows,
    csv_text,
    fhir_appointment,
    fhir_bundle,
    fhir_patient,
    run_import,
)

pytestmark = pytest.mark.django_db


def refused(report) -> list[tuple[int, str, str]]:
    return [(p.row, p.field, p.reason) for p in report.problems]


def test_an_appointment_in_9999_is_refused_by_row_and_the_rows_around_it_are_imported(
    clinic, django_capture_on_commit_callbacks
):
    content = csv_text(csv_row(1), csv_row(2, start="31/12/9999 23:59"), csv_row(3))

    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(clinic, content, batch_size=1)

    assert (report.created, report.skipped) == (2, 1)
    [(row, field, reason)] = refused(report)
    assert (row, field) == (3, "Start")
    assert reason.startswith("Start must be within 2 years of today")
    assert sorted(Appointment.objects.values_list("external_id", flat=True)) == [
        "APT000001",
        "APT000003",
    ]


def test_a_fhir_appointment_at_the_end_of_time_is_refused_not_an_error(clinic):
    entries = [
        {"resource": fhir_appointment(1, start="9999-12-31T23:59:59-23:59")},
        {"fullUrl": "https://hospital.example/Patient/p1", "resource": fhir_patient(1)},
        {"resource": fhir_appointment(2, start="0001-01-01T00:00:00+14:00")},
        {"fullUrl": "https://hospital.example/Patient/p2", "resource": fhir_patient(2)},
    ]

    report = run_import(clinic, fhir_bundle(entries=entries))

    assert [(p.row, p.field) for p in report.problems] == [
        (1, "Appointment.start"),
        (3, "Appointment.start"),
    ]
    assert report.created == 0


@pytest.mark.parametrize(
    ("overrides", "column", "reason"),
    [
        ({"date_of_birth": "01/01/2090"}, "Date of birth", "Date of birth must be in the past"),
        ({"date_of_birth": "01/01/1900"}, "Date of birth", "Date of birth must make her 10 to"),
        ({"date_of_birth": "01/01/2024"}, "Date of birth", "Date of birth must make her 10 to"),
        ({"estimated_due_date": "01/01/2099"}, "Estimated due date", "within 2 years"),
        ({"start": "01/06/2001 09:00"}, "Start", "Start must be within 2 years of today"),
        ({"preferred_language": "Polish"}, "Preferred language", "must be a language code"),
        ({"preferred_language": "xx"}, "Preferred language", "must be a language code"),
        ({"email": "a" * 250 + "@example.com"}, "Email", "254 characters or fewer"),
        ({"given_name": "Ann\x01e"}, "Given name", "control character (such as a NUL byte)"),
        ({"appointment_type": "Scan\x07"}, "Appointment type", "control character"),
    ],
)
def test_an_implausible_value_is_refused_with_its_row_and_column(clinic, overrides, column, reason):
    report = run_import(clinic, csv_text(csv_row(1), csv_row(2, **overrides)))

    assert report.created == 1
    assert [(p.row, p.field) for p in report.problems] == [(3, column)]
    assert reason in report.problems[0].reason


def test_language_codes_as_hospital_systems_send_them_are_accepted(clinic):
    rows = [csv_row(n, preferred_language=code) for n, code in enumerate(["pl", "en-GB", "yue"])]

    report = run_import(clinic, csv_text(*rows))

    assert (report.created, report.problems) == (3, [])


def test_a_nul_byte_deep_in_a_big_file_refuses_that_row_only(clinic):
    # Past the first 8 KB, which the format detection reads, so only the row checks see it.
    rows = [csv_row(n) for n in range(200)]
    rows[150] = csv_row(150, family_name="Smi\x00th")

    report = run_import(clinic, csv_text(*rows), batch_size=50)

    assert (report.created, report.skipped) == (199, 1)
    assert [(p.row, p.field) for p in report.problems] == [(152, "Family name")]


def test_a_value_the_database_refuses_after_the_checks_refuses_that_row_only(clinic, monkeypatch):
    # Were a check missing, the database's refusal still ends as one refused row.
    monkeypatch.setattr(row_checks, "_check_no_control_characters", lambda row, labels: None)
    rows = [csv_row(n) for n in range(100)]
    rows[90] = csv_row(90, family_name="Smi\x00th")  # past the 8 KB format detection reads

    report = run_import(clinic, csv_text(*rows), batch_size=50)

    assert (report.created, report.skipped) == (99, 1)
    assert [(p.row, p.field) for p in report.problems] == [(92, "Row")]
    assert Patient.objects.count() == 99


def test_a_planner_that_fails_after_a_batch_does_not_stop_the_import(
    clinic, monkeypatch, django_capture_on_commit_callbacks
):
    from sessions.imports import hooks

    def broken(**kwargs):
        raise OverflowError("planner")

    monkeypatch.setattr(hooks, "appointments_added", broken)

    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(clinic, csv_rows(4), batch_size=1)

    assert (report.created, report.processed_rows) == (4, 4)


def test_the_background_job_finishes_with_the_implausible_rows_refused(
    clinic, coordinator, django_capture_on_commit_callbacks
):
    content = csv_text(csv_row(1), csv_row(2, start="31/12/9999 23:59"), csv_row(3)).encode()
    job = ImportJob.objects.create(
        clinic=clinic, created_by=coordinator, filename="list.csv", content=content
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert import_job_run(job_id=job.pk, batch_size=1)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.FINISHED
    assert (job.created_count, job.skipped_count) == (2, 1)
    assert job.problems[0]["row"] == 3 and job.problems[0]["field"] == "Start"


def test_the_command_imports_every_plausible_row_and_lists_the_refused_one(
    clinic, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "list.csv"
    path.write_text(csv_text(csv_row(1), csv_row(2, start="31/12/9999 23:59"), csv_row(3)))
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError) as error:
        _import_command(path, clinic, batch_size=1, stdout=out)

    assert error.value.returncode == 2
    assert "Row 3, Start: Start must be within 2 years of today" in out.getvalue()
    assert Appointment.objects.count() == 2


def test_the_appointment_window_is_around_today(clinic):
    today = timezone.localdate()
    inside = today + row_checks.APPOINTMENT_WINDOW - dt.timedelta(days=1)
    outside = today + row_checks.APPOINTMENT_WINDOW + dt.timedelta(days=1)
    content = csv_text(
        csv_row(1, start=f"{inside:%d/%m/%Y} 09:00"), csv_row(2, start=f"{outside:%d/%m/%Y} 09:00")
    )

    report = run_import(clinic, content)

    assert report.created == 1
    assert [p.row for p in report.problems] == [3]


def _import_command(path, clinic, *, batch_size: int, stdout) -> None:
    """`manage.py import_appointments PATH --clinic SLUG --batch-size N`, as staff run it."""
    call_command(
        "import_appointments",
        str(path),
        "--clinic",
        clinic.slug,
        "--batch-size",
        str(batch_size),
        stdout=stdout,
    )


def _failing_on_the_third_batch(monkeypatch):
    from sessions.imports.services import _BatchWriter

    real = _BatchWriter._write_rows
    calls = []

    def flaky(self, rows):
        calls.append(len(rows))
        if len(calls) == 3:
            raise RuntimeError("something nobody foresaw")
        return real(self, rows)

    monkeypatch.setattr(_BatchWriter, "_write_rows", flaky)


def test_an_unforeseen_error_part_way_through_a_job_imports_nothing(
    clinic, coordinator, monkeypatch
):
    _failing_on_the_third_batch(monkeypatch)
    job = ImportJob.objects.create(
        clinic=clinic, created_by=coordinator, filename="list.csv", content=csv_rows(50).encode()
    )

    assert import_job_run(job_id=job.pk, batch_size=10)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert "Nothing was imported" in job.refusal
    assert (job.created_count, job.processed_rows) == (0, 0)
    assert not Appointment.objects.exists() and not Patient.objects.exists()


def test_an_unforeseen_error_part_way_through_the_command_imports_nothing(
    clinic, tmp_path, monkeypatch
):
    _failing_on_the_third_batch(monkeypatch)
    path = tmp_path / "list.csv"
    path.write_text(csv_rows(50))

    with pytest.raises(RuntimeError):
        _import_command(path, clinic, batch_size=10, stdout=StringIO())

    assert not Appointment.objects.exists() and not Patient.objects.exists()
