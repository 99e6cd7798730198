"""The appointment import pages in real Chromium at phone size: upload, errors, progress."""

from __future__ import annotations

import re

import pytest

from sessions.imports.models import ImportJob, ImportJobStatus
from tests.sessions.import_files import csv_row, csv_text

from .conftest import sign_in

pytestmark = pytest.mark.browser


def scrolls_sideways_at_320px(page) -> bool:
    page.set_viewport_size({"width": 320, "height": 640})
    wide = page.evaluate("document.documentElement.scrollWidth") > 320
    page.set_viewport_size({"width": 375, "height": 667})
    return wide


def choose(page, name: str, content: bytes) -> None:
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Import appointments").click()


def test_a_coordinator_imports_a_file_and_reads_its_report(
    phone_page, assert_accessible, clinic, coordinator
):
    page = phone_page
    sign_in(page, coordinator.email, "correct-horse-battery")
    page.goto(f"/clinics/{clinic.slug}/import/")
    assert_accessible(page)
    assert not scrolls_sideways_at_320px(page)

    choose(page, "empty.csv", b"")
    assert page.title().startswith("Error: ")
    assert "The selected file is empty" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)

    content = csv_text(csv_row(1), csv_row(2, start="soon"), csv_row(3)).encode()
    choose(page, "clinic-list.csv", content)
    assert re.search(r"/import/\d+/$", page.url)
    assert "Rows not imported" in page.locator("main").inner_text()
    assert_accessible(page)
    assert not scrolls_sideways_at_320px(page)


def test_the_progress_bar_follows_a_running_import(
    phone_page, assert_accessible, clinic, coordinator
):
    job = ImportJob.objects.create(
        clinic=clinic,
        created_by=coordinator,
        status=ImportJobStatus.RUNNING,
        total_rows=50_000,
        processed_rows=5_000,
    )
    page = phone_page
    sign_in(page, coordinator.email, "correct-horse-battery")
    page.goto(f"/clinics/{clinic.slug}/import/{job.pk}/")
    assert page.locator("progress").get_attribute("value") == "10"
    assert_accessible(page)
    assert not scrolls_sideways_at_320px(page)

    ImportJob.objects.filter(pk=job.pk).update(processed_rows=30_000)
    page.wait_for_selector("progress[value='60']")
    assert "30,000 of 50,000 rows read" in page.locator("main").inner_text()

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.FINISHED, processed_rows=50_000, created_count=50_000
    )
    page.wait_for_selector("text=Appointment import: finished")
    assert_accessible(page)
