"""The upload page, the job page with its progress, the status endpoint, and the Celery path."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sessions.imports.jobs import import_job_start
from sessions.imports.models import ImportJob, ImportJobStatus
from sessions.models import Appointment, Patient
from tests.conftest import celery_on_broker
from tests.waiting import wait_until
from waitroom.models import AuditEvent

from .import_files import SAMPLE_CSV, SAMPLE_FHIR, csv_row, csv_rows, csv_text

pytestmark = pytest.mark.django_db

IMPORT_ACCESS = {
    "coordinator": 200,
    "other_coordinator": 404,
    "facilitator": 403,
    "peer_supporter": 403,
    "member": 403,
}


def import_url(clinic) -> str:
    return reverse("appointment_import", kwargs={"clinic_slug": clinic.slug})


def upload(client, clinic, content: bytes, name: str = "appointments.csv"):
    return client.post(import_url(clinic), {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(("persona", "status"), IMPORT_ACCESS.items())
def test_only_the_clinics_coordinators_reach_the_import_page(as_persona, clinic, persona, status):
    client = as_persona(persona)

    assert client.get(import_url(clinic)).status_code == status
    response = upload(client, clinic, SAMPLE_CSV.read_bytes())
    assert response.status_code == (302 if status == 200 else status)
    if status != 200:
        assert not Appointment.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, clinic):
    response = client.get(import_url(clinic))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("persona", "status"), IMPORT_ACCESS.items())
def test_only_the_clinics_coordinators_see_an_import_and_its_status(
    as_persona, clinic, coordinator, persona, status
):
    job = import_job_start(
        clinic=clinic, user=coordinator, filename="a.csv", content=SAMPLE_CSV.read_bytes()
    )
    client = as_persona(persona)
    kwargs = {"clinic_slug": clinic.slug, "job_id": job.pk}

    assert client.get(reverse("appointment_import_job", kwargs=kwargs)).status_code == status
    assert client.get(reverse("appointment_import_status", kwargs=kwargs)).status_code == status


def test_a_job_is_not_found_through_another_clinics_address(
    as_persona, clinic, other_clinic, coordinator, other_coordinator
):
    job = import_job_start(
        clinic=clinic, user=coordinator, filename="a.csv", content=SAMPLE_CSV.read_bytes()
    )
    client = as_persona("other_coordinator")

    response = client.get(
        reverse(
            "appointment_import_job", kwargs={"clinic_slug": other_clinic.slug, "job_id": job.pk}
        )
    )

    assert response.status_code == 404


def test_a_small_file_is_imported_at_once_and_its_report_shown(as_persona, clinic):
    client = as_persona("coordinator")
    content = csv_text(csv_row(1), csv_row(2, nhs_number="1234567890"), csv_row(3)).encode()

    response = upload(client, clinic, content)

    job = ImportJob.objects.get()
    assert response["Location"] == reverse(
        "appointment_import_job", kwargs={"clinic_slug": clinic.slug, "job_id": job.pk}
    )
    assert job.status == ImportJobStatus.FINISHED
    assert (job.created_count, job.skipped_count) == (2, 1)
    assert job.content == b""  # the file is not kept once imported
    assert AuditEvent.objects.filter(object_type="imports.importjob").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Rows not imported" in page
    assert "NHS number" in page
    assert "NHS number check" in page
    assert 'aria-hidden="true">Row </span>3</td>' in page


def test_a_fhir_bundle_is_recognised_whatever_its_name(as_persona, clinic):
    upload(as_persona("coordinator"), clinic, SAMPLE_FHIR.read_bytes(), name="export.csv")

    job = ImportJob.objects.get()
    assert (job.file_format, job.created_count) == ("fhir", 3)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The selected file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not an appointment list"),
        (b"PK\x03\x04rest of a workbook", "Excel workbook"),
        (b"Hospital number,Given name\nH1,A\n", "missing the columns"),
        (
            b"Clinic," + csv_text(csv_row(1)).replace("\n", "\nhillside,", 1).encode(),
            "another clinic",
        ),
    ],
)
def test_a_file_refused_whole_gets_one_clear_message_and_changes_nothing(
    as_persona, clinic, content, message
):
    response = upload(as_persona("coordinator"), clinic, content)

    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>Error: Import appointments", page)
    assert "nhsuk-error-summary" in page
    assert message in page
    assert 'href="#id_file"' in page
    assert not Patient.objects.exists()
    assert not Appointment.objects.exists()


def test_no_file_chosen_is_an_error(as_persona, clinic):
    response = as_persona("coordinator").post(import_url(clinic), {})

    assert "Select the appointment list to import" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(as_persona, clinic, settings):
    settings.APPOINTMENT_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    content = csv_rows(20_000).encode()
    assert len(content) > 2 * 1024 * 1024

    response = upload(as_persona("coordinator"), clinic, content)

    assert "must be smaller than 2 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_pages_have_no_inline_script_or_style(as_persona, clinic, coordinator):
    client = as_persona("coordinator")
    job = ImportJob.objects.create(clinic=clinic, created_by=coordinator, total_rows=10)
    for url in (
        import_url(clinic),
        reverse("appointment_import_job", kwargs={"clinic_slug": clinic.slug, "job_id": job.pk}),
    ):
        page = client.get(url).content.decode()
        assert "style=" not in page
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_a_running_import_shows_a_progress_bar_that_works_without_javascript(
    as_persona, clinic, coordinator
):
    job = ImportJob.objects.create(
        clinic=clinic,
        created_by=coordinator,
        status=ImportJobStatus.RUNNING,
        total_rows=4000,
        processed_rows=1000,
    )
    url = reverse("appointment_import_job", kwargs={"clinic_slug": clinic.slug, "job_id": job.pk})

    page = as_persona("coordinator").get(url).content.decode()

    assert '<progress id="import-progress"' in page
    assert 'value="25"' in page
    assert "1,000 of 4,000 rows read" in page
    assert f'href="{url}"' in page and ">Refresh</a>" in page
    assert "js/import-progress" in page
    assert 'http-equiv="refresh"' not in page


def test_the_status_endpoint_gives_progress_and_no_personal_data(as_persona, clinic, coordinator):
    job = ImportJob.objects.create(
        clinic=clinic,
        created_by=coordinator,
        filename="smith-jane.csv",
        status=ImportJobStatus.RUNNING,
        total_rows=200,
        processed_rows=50,
    )

    response = as_persona("coordinator").get(
        reverse("appointment_import_status", kwargs={"clinic_slug": clinic.slug, "job_id": job.pk})
    )

    data = response.json()
    assert (data["status"], data["percent"], data["done"]) == ("running", 25, False)
    assert (data["processed_rows"], data["total_rows"]) == (50, 200)
    assert "smith" not in response.content.decode()


def test_a_large_file_is_imported_by_a_celery_task_given_only_the_job_id(
    as_persona, clinic, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.APPOINTMENT_IMPORT_INLINE_MAX_BYTES = 1000
    sent = []
    from sessions.imports import tasks

    real_delay = tasks.import_appointments_file.delay

    def spy(*args, **kwargs):
        sent.append((args, kwargs))
        return real_delay(*args, **kwargs)

    monkeypatch.setattr(tasks.import_appointments_file, "delay", spy)
    client = as_persona("coordinator")

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, clinic, csv_rows(120).encode())

    job = ImportJob.objects.get()
    assert sent == [((job.pk,), {})]
    assert job.status == ImportJobStatus.FINISHED  # settings_test runs tasks eagerly
    assert (job.total_rows, job.processed_rows, job.created_count) == (120, 120, 120)
    assert job.content == b""
    status = client.get(
        reverse("appointment_import_status", kwargs={"clinic_slug": clinic.slug, "job_id": job.pk})
    ).json()
    assert (status["done"], status["percent"]) == (True, 100)
    assert "120" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db(transaction=True)
def test_progress_is_recorded_batch_by_batch_where_the_page_can_see_it(
    clinic, coordinator, monkeypatch
):
    # Read from the test's own connection, outside the import's transaction, as the polling
    # page reads it: the import's rows are one transaction, its progress is not.
    from sessions.imports import jobs

    seen = []
    job = ImportJob.objects.create(
        clinic=clinic, created_by=coordinator, content=csv_rows(25).encode()
    )
    original_import = jobs.appointments_import

    def watching_import(**kwargs):
        progress = kwargs["progress"]

        def spy(report):
            progress(report)
            seen.append(
                ImportJob.objects.values_list("processed_rows", "total_rows").get(pk=job.pk)
            )

        return original_import(**{**kwargs, "progress": spy})

    monkeypatch.setattr(jobs, "appointments_import", watching_import)

    jobs.import_job_run(job_id=job.pk, batch_size=10)

    assert seen == [(0, 25), (10, 25), (20, 25), (25, 25)]


def test_a_job_is_claimed_once(clinic, coordinator):
    from sessions.imports.jobs import import_job_run

    job = ImportJob.objects.create(
        clinic=clinic, created_by=coordinator, content=csv_rows(3).encode()
    )

    assert import_job_run(job_id=job.pk) is True
    assert import_job_run(job_id=job.pk) is False
    assert Appointment.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_import_task_runs_on_a_real_celery_worker(transactional_db, settings, clinic):
    """Through the real Redis broker (the Redis database from settings) and a real worker."""
    from celery.contrib.testing.worker import start_worker

    settings.APPOINTMENT_IMPORT_INLINE_MAX_BYTES = 10
    with (
        celery_on_broker(settings.REDIS_URL) as app,
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20),
    ):
        job = import_job_start(
            clinic=clinic, user=None, filename="big.csv", content=csv_rows(300).encode()
        )

        def finished() -> bool:
            job.refresh_from_db()
            return job.is_done

        assert wait_until(finished, timeout=60)
    assert job.status == ImportJobStatus.FINISHED
    assert (job.processed_rows, job.created_count) == (300, 300)
    assert Appointment.objects.filter(clinic=clinic).count() == 300
