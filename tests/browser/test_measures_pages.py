"""The measures pages in real Chromium at 320 px: the summary, a chart, the rebase form with a
mistake; axe-core clean and no sideways scrolling; and the same journey without JavaScript
(axe-core itself needs JavaScript, so that run checks the pages work and fit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from sessions.periods import period_start
from tests.factories import ClinicFactory, CohortFactory, StaffRoleFactory
from tests.measures.builders import week_of_sessions
from waitroom.models import Role

from .conftest import open_page, sign_in
from .test_phone_layout import assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests/factories.py's UserFactory password


@pytest.fixture
def page_320(browser, live_server, transactional_db) -> Iterator:
    yield from open_page(browser, live_server, {"width": 320, "height": 640})


@pytest.fixture
def no_js_320(browser, live_server, transactional_db) -> Iterator:
    viewport = {"width": 320, "height": 640}
    yield from open_page(browser, live_server, viewport, java_script_enabled=False)


@pytest.fixture
def clinic_with_weeks():
    clinic = ClinicFactory(slug="riverside", name="Riverside Antenatal Clinic")
    StaffRoleFactory(clinic=clinic, role=Role.COORDINATOR, user__email="coord@example.nhs.uk")
    cohort = CohortFactory(staff_name="Twins", clinics=[clinic])
    this_week = period_start(clinic.today(), "week")
    for weeks_back in range(1, 15):
        waits = [30 + weeks_back * 2] * 6 if weeks_back != 3 else [90] * 3
        week_of_sessions(
            clinic,
            cohort,
            this_week - dt.timedelta(weeks=weeks_back),
            women=len(waits),
            waits=waits,
        )
    return clinic


def test_the_measures_summary_a_chart_and_the_rebase_form_work_on_a_small_phone(
    page_320, clinic_with_weeks, assert_accessible
):
    page = page_320
    sign_in(page, "coord@example.nhs.uk", PASSWORD)
    page.get_by_role("link", name="Measures: waiting times, attendance and more").click()
    expect(page.get_by_role("heading", name="Measures", exact=True)).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="Time in the waiting room").click()
    expect(page.get_by_role("heading", name="Time in the waiting room")).to_be_visible()
    expect(page.locator("svg.spc-chart")).to_be_visible()
    expect(page.get_by_role("cell", name="Too few answers to show").first).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="Change the dates the charts start again from").click()
    page.get_by_role("button", name="Save date").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error:")
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def test_without_javascript_a_coordinator_filters_reads_a_chart_and_sets_a_rebase_date(
    no_js_320, clinic_with_weeks
):
    page = no_js_320
    sign_in(page, "coord@example.nhs.uk", PASSWORD)
    page.goto("/clinics/riverside/measures/")
    page.get_by_label("Month").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show measures").click()
    assert "period=month" in page.url
    with page.expect_navigation():
        page.get_by_role("link", name="Wait beyond booked appointment time").click()
    expect(page.locator("svg.spc-chart")).to_be_visible()
    assert_no_sideways_scroll(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Change the dates the charts start again from").click()
    page.locator("input[name=starts_on_day]").fill("2")
    page.locator("input[name=starts_on_month]").fill("3")
    page.locator("input[name=starts_on_year]").fill("2026")
    page.get_by_label("What changed").fill("A second waiting area opened")
    with page.expect_navigation():
        page.get_by_role("button", name="Save date").click()
    expect(page.get_by_text("Every chart: A second waiting area opened")).to_be_visible()
    assert_no_sideways_scroll(page)
