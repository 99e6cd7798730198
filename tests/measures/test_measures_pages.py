"""The measures pages as a coordinator uses them: the summary, one chart, its CSV file, and the
dates the charts start again from; small numbers never shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from sessions.measures.catalogue import MEASURES
from sessions.measures.models import MeasureRebase
from sessions.periods import period_start
from tests.artefacts import href_of, records_of
from tests.factories import CohortFactory
from waitroom.models import AuditEvent

from .builders import week_of_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(clinic):
    return CohortFactory(staff_name="Twins", clinics=[clinic])


def last_monday(clinic, weeks_back: int = 1) -> dt.date:
    """The Monday of a whole week before this one."""
    return period_start(clinic.today(), "week") - dt.timedelta(weeks=weeks_back)


@pytest.fixture
def twelve_weeks(clinic, cohort):
    """Twelve whole weeks of sessions, 6 women a week waiting 40 minutes, except two weeks ago,
    when only 3 women came and waited 94 minutes: too few to show."""
    for weeks_back in range(1, 13):
        if weeks_back == 2:
            week_of_sessions(clinic, cohort, last_monday(clinic, 2), women=3, waits=[94] * 3)
        else:
            week_of_sessions(clinic, cohort, last_monday(clinic, weeks_back), women=6)


def measures_url(clinic, **query) -> str:
    return reverse("measures", args=[clinic.slug]) + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


def test_the_summary_has_a_row_for_every_measure_with_its_latest_value(
    as_persona, clinic, twelve_weeks, django_assert_num_queries
):
    client = as_persona("coordinator")
    client.get(measures_url(clinic))  # warm the session and the clinic's roles
    # The request's savepoint and its release; session, user, roles, clinic; rebase dates; each
    # measure's series (acceptance 1, attendance 1, the two waiting times 1 each, concerns 2,
    # posts 1); the cohorts for the form. Whatever the number of weeks, women or measures' rows.
    # 15 for the fixed measures, 1 for the questionnaires loaded (none here), 2 for booking
    # alignment's peers-together share (the group's members, their appointments).
    with django_assert_num_queries(18):
        page = client.get(measures_url(clinic))
    text = page.content.decode()
    for measure in MEASURES:
        assert measure.title in text
    assert "40 minutes" in text  # last week's time in the waiting room
    assert "Common cause variation" in text or "Special cause variation" in text
    # every measure but the online groups' posts (nobody posted) and the peers-together share
    # (no group member has appointments here) has a chart and its icons
    assert text.count('class="spc-icon spc-icon--variation"') == len(MEASURES) - 2
    assert "Not enough values for a chart" in text


def test_the_summary_says_what_to_do_when_there_is_nothing_to_measure(as_persona, clinic):
    page = as_persona("coordinator").get(measures_url(clinic))
    assert "There is nothing to measure yet" in page.content.decode()
    assert 'tap "Called in"' in page.content.decode()


def test_a_chart_page_has_the_chart_its_words_and_its_data(as_persona, clinic, twelve_weeks):
    client = as_persona("coordinator")
    summary = client.get(measures_url(clinic))
    page = client.get(href_of(summary, "Time in the waiting room"))
    text = page.content.decode()

    assert page.status_code == 200
    assert 'class="spc-chart"' in text and 'role="img"' in text
    assert "What the chart shows" in text
    assert "12 weeks from" in text or "52 weeks from" in text
    assert "Too few answers to show" in text
    assert "94 minutes" not in text  # the 3 women's value is never shown
    assert text.count("40 minutes") >= 11


def test_the_csv_download_holds_the_series_without_small_numbers(as_persona, clinic, twelve_weeks):
    client = as_persona("coordinator")
    summary = client.get(measures_url(clinic))
    chart = client.get(href_of(summary, "Time in the waiting room"))
    download = client.get(href_of(chart, "Download the data (CSV): Time in the waiting room"))

    records = records_of(download)
    by_week = {r["Period starting"]: r for r in records}
    assert len(records) == 52
    last_week = by_week[last_monday(clinic).isoformat()]
    assert last_week["Value"] == "40.0" and last_week["Women or answers"] == "6"
    assert last_week["Centre line"] == "40.0"
    too_few = by_week[last_monday(clinic, 2).isoformat()]
    assert too_few["Value"] == "" and too_few["Women or answers"] == "fewer than 5"
    assert too_few["Note"] == "too few answers to show"
    assert "94" not in download.content.decode()
    assert (
        'filename="riverside-time-in-waiting-room-by-week.csv"' in download["Content-Disposition"]
    )
    assert AuditEvent.objects.filter(
        action="export", object_type="measures.series", object_id="time-in-waiting-room"
    ).exists()


def test_monthly_and_one_cohort_views_keep_their_choice_on_the_chart_links(
    as_persona, clinic, cohort, twelve_weeks
):
    client = as_persona("coordinator")
    page = client.get(measures_url(clinic, period="month", cohort=cohort.pk))
    text = page.content.decode()
    assert f"?cohort={cohort.pk}&amp;period=month" in text
    chart = client.get(href_of(page, "Invitations accepted"))
    assert "Twins, by month" in chart.content.decode()


def test_another_clinics_cohort_is_not_a_choice(as_persona, clinic, other_clinic, twelve_weeks):
    theirs = CohortFactory(staff_name="Hillside twins", clinics=[other_clinic])
    page = as_persona("coordinator").get(measures_url(clinic, cohort=theirs.pk, period="week"))
    text = page.content.decode()
    assert "Choose a group this clinic runs" in text
    assert "Hillside twins" not in text
    assert "for all groups" in text


def test_an_unknown_measure_is_not_found(as_persona, clinic):
    url = reverse("measure_chart", args=[clinic.slug, "no-such-measure"])
    assert as_persona("coordinator").get(url).status_code == 404


# --- Rebase dates ------------------------------------------------------------------------------


def test_a_rebase_date_starts_the_chart_again_and_is_audited(
    as_persona, clinic, twelve_weeks, coordinator
):
    client = as_persona("coordinator")
    rebase_on = last_monday(clinic, 5)
    url = reverse("measure_rebases", args=[clinic.slug])
    response = client.post(
        url,
        {
            "measure": "time-in-waiting-room",
            "starts_on_day": rebase_on.day,
            "starts_on_month": rebase_on.month,
            "starts_on_year": rebase_on.year,
            "reason": "Peer support sessions started",
        },
    )
    assert response.status_code == 302
    rebase = MeasureRebase.objects.get(clinic=clinic)
    assert AuditEvent.objects.filter(
        action="create", object_type="measures.measurerebase", object_id=str(rebase.pk)
    ).exists()

    chart = client.get(reverse("measure_chart", args=[clinic.slug, "time-in-waiting-room"]))
    assert f"Rebased on {rebase_on:%-d %b %Y}" in chart.content.decode()
    other = client.get(reverse("measure_chart", args=[clinic.slug, "attendance"]))
    assert "Rebased on" not in other.content.decode()

    listing = client.get(url)
    assert "Peer support sessions started" in listing.content.decode()
    remove = re.search(r'action="([^"]+/remove/)"', listing.content.decode()).group(1)
    client.post(remove)
    assert not MeasureRebase.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="measures.measurerebase").exists()


def test_a_rebase_date_for_every_chart_applies_to_each(as_persona, clinic, twelve_weeks):
    MeasureRebase.objects.create(
        clinic=clinic, measure="", starts_on=last_monday(clinic, 5), reason="New room"
    )
    client = as_persona("coordinator")
    for slug in ("attendance", "time-in-waiting-room"):
        chart = client.get(reverse("measure_chart", args=[clinic.slug, slug]))
        assert "Rebased on" in chart.content.decode()


def test_a_rebase_form_with_mistakes_says_what_to_fix(as_persona, clinic):
    client = as_persona("coordinator")
    url = reverse("measure_rebases", args=[clinic.slug])
    response = client.post(url, {"measure": "", "starts_on_day": "31", "starts_on_month": "2"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error:" in text
    assert "nhsuk-error-summary" in text
    assert "Enter what changed" in text
    assert not MeasureRebase.objects.exists()


def test_the_same_date_twice_for_one_chart_is_refused(as_persona, clinic, coordinator):
    MeasureRebase.objects.create(
        clinic=clinic, measure="", starts_on=dt.date(2026, 1, 5), reason="New room"
    )
    response = as_persona("coordinator").post(
        reverse("measure_rebases", args=[clinic.slug]),
        {
            "measure": "",
            "starts_on_day": "5",
            "starts_on_month": "1",
            "starts_on_year": "2026",
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert "already starts again from that date" in response.content.decode()
    assert MeasureRebase.objects.count() == 1


def test_another_clinics_rebase_date_cannot_be_removed(as_persona, clinic, other_clinic):
    theirs = MeasureRebase.objects.create(
        clinic=other_clinic, measure="", starts_on=dt.date(2026, 1, 5), reason="New room"
    )
    url = reverse("measure_rebase_remove", args=[clinic.slug, theirs.pk])
    assert as_persona("coordinator").post(url).status_code == 404
    assert MeasureRebase.objects.filter(pk=theirs.pk).exists()
