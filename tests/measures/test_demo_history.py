"""The demo's year of history tells a story on every chart: a step change after the rebase."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demo.measures import REBASE_REASON, WEEKS
from demo.seed import demo_seed
from sessions.measures.catalogue import all_measures
from sessions.measures.models import MeasureRebase
from sessions.measures.selectors import measures_summary

pytestmark = pytest.mark.django_db


def test_every_measure_has_a_year_of_weeks_that_changes_after_the_rebase_date(client):
    clinic = demo_seed().clinic
    rebase = MeasureRebase.objects.get(clinic=clinic, reason=REBASE_REASON)

    rows = {row.measure.slug: row for row in measures_summary(clinic, cohort=None, period="week")}

    assert set(rows) == {m.slug for m in all_measures()}
    for slug, row in rows.items():
        assert len(row.points) == WEEKS, slug
        # a few weeks had too few women to show, as real clinics do
        assert row.chart is not None and len(row.charted) >= WEEKS - 8, slug
        assert row.rebases == [rebase.starts_on], slug
        periods = {p.period for p in row.chart.points}
        assert periods == {0, 1}, slug
    means = {
        slug: (row.chart.points[0].mean, row.chart.points[-1].mean) for slug, row in rows.items()
    }
    before, after = means["time-in-waiting-room"]
    assert after < before - 10  # waits fell once peer support started
    before, after = means["invitation-acceptance"]
    assert after > before + 10

    client.login(email="coordinator@waitroom.example", password="demo-coordinator-2026")
    page = client.get(reverse("measures", args=[clinic.slug]))
    assert page.status_code == 200
    assert "Special cause variation" in page.content.decode() or "Common cause" in (
        page.content.decode()
    )


def test_seeding_again_in_the_same_week_leaves_the_history_alone():
    clinic = demo_seed().clinic
    first = sorted(clinic.sessions.filter(created_by=None).values_list("pk", flat=True))
    demo_seed()
    assert sorted(clinic.sessions.filter(created_by=None).values_list("pk", flat=True)) == first
    assert len(first) == WEEKS


def test_peers_together_is_charted_by_month_as_well_as_by_week():
    clinic = demo_seed().clinic
    rows = {row.measure.slug: row for row in measures_summary(clinic, cohort=None, period="month")}
    points = rows["peers-together"].points
    assert points and all(p.start.day == 1 for p in points)
    assert any(p.value is not None and 0 <= p.value <= 100 for p in points)
