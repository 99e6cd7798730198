"""Reads for the measures pages, in a fixed number of queries: each measure's series (one or two
queries), the clinic's rebase dates (one), its cohorts (one). Every read starts from a clinic
the coordinator reached through waitroom.access.

Small numbers: a value from fewer than SMALL_NUMBER_LIMIT women or answers is dropped here,
before anything is charted, tabled or downloaded, so no page or file can show it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from groups.models import Cohort
from sessions.periods import Period, period_start, periods_back
from waitroom.models import Clinic

from .catalogue import SMALL_NUMBER_LIMIT, Measure, Point, all_measures, measure_by_slug
from .models import MeasureRebase
from .spc import SpcChart, xmr

# How far back the pages look: a year of weeks, two years of months.
PERIODS_SHOWN: dict[str, int] = {"week": 52, "month": 24}
TOO_FEW = "too few answers to show"


@dataclass(frozen=True)
class ShownPoint:
    """A point as the pages may show it: `value` is None when there was nothing to measure or
    when it came from too few women (`suppressed`)."""

    start: dt.date
    value: float | None
    n: int
    suppressed: bool

    @property
    def note(self) -> str:
        if self.suppressed:
            return TOO_FEW
        return "nothing to measure" if self.value is None else ""


def shown(point: Point) -> ShownPoint:
    if point.value is not None and point.n < SMALL_NUMBER_LIMIT:
        return ShownPoint(point.start, None, point.n, suppressed=True)
    return ShownPoint(point.start, point.value, point.n, suppressed=False)


@dataclass(frozen=True)
class MeasureSeries:
    measure: Measure
    period: Period
    points: list[ShownPoint]
    rebases: list[dt.date]
    chart: SpcChart | None  # None when fewer than two points can be shown

    @property
    def latest(self) -> ShownPoint | None:
        """The most recent period with a value or suppressed value, for the summary table."""
        return next((p for p in reversed(self.points) if p.value is not None or p.suppressed), None)

    @property
    def charted(self) -> list[ShownPoint]:
        return [p for p in self.points if p.value is not None]


def last_complete_period(clinic: Clinic, period: Period, today: dt.date | None = None) -> dt.date:
    """The last day of the last whole week or month before today: a period still under way would
    look like a dip."""
    return period_start(today or clinic.today(), period) - dt.timedelta(days=1)


def measure_series(
    clinic: Clinic,
    measure: Measure,
    *,
    cohort: Cohort | None,
    period: Period,
    rebases: list[MeasureRebase],
    today: dt.date | None = None,
) -> MeasureSeries:
    end = last_complete_period(clinic, period, today)
    start = periods_back(end, period, PERIODS_SHOWN[period])
    points = [
        shown(p) for p in measure.series(clinic, cohort=cohort, start=start, end=end, period=period)
    ]
    dates = sorted(
        {
            r.starts_on
            for r in rebases
            if r.measure in ("", measure.slug) and start < r.starts_on <= end
        }
    )
    values = [(p.start, p.value) for p in points if p.value is not None]
    chart = (
        xmr(values, improvement=measure.improvement, target=measure.target, rebase=dates)
        if len(values) >= 2
        else None
    )
    return MeasureSeries(measure, period, points, dates, chart)


def measures_summary(
    clinic: Clinic, *, cohort: Cohort | None, period: Period, today: dt.date | None = None
) -> list[MeasureSeries]:
    """Every measure in the catalogue, charted: the summary table's rows."""
    rebases = list(clinic_rebases(clinic))
    return [
        measure_series(clinic, m, cohort=cohort, period=period, rebases=rebases, today=today)
        for m in all_measures()
    ]


def measure_for_page(
    clinic: Clinic,
    slug: str,
    *,
    cohort: Cohort | None,
    period: Period,
    today: dt.date | None = None,
) -> MeasureSeries:
    """One measure's series and chart; 404 for a slug not in the catalogue."""
    measure = measure_by_slug(slug)
    if measure is None:
        raise Http404("No such measure")
    rebases = list(clinic_rebases(clinic).for_measure(slug))
    return measure_series(
        clinic, measure, cohort=cohort, period=period, rebases=rebases, today=today
    )


def clinic_cohorts(clinic: Clinic) -> QuerySet[Cohort]:
    return clinic.cohorts.order_by("staff_name")


def clinic_rebases(clinic: Clinic):
    return MeasureRebase.objects.filter(clinic=clinic)


def rebase_for_clinic(clinic: Clinic, rebase_id: int) -> MeasureRebase:
    return get_object_or_404(clinic_rebases(clinic), pk=rebase_id)


@dataclass(frozen=True)
class ListedRebase:
    rebase: MeasureRebase
    applies_to: str  # the chart's title, or "Every chart"


def rebases_listed(clinic: Clinic) -> list[ListedRebase]:
    """The clinic's rebase dates, newest first, each with the chart it applies to. One query."""
    titles = {m.slug: m.title for m in all_measures()}
    return [
        ListedRebase(r, titles.get(r.measure, "Every chart") if r.measure else "Every chart")
        for r in clinic_rebases(clinic).order_by("-starts_on", "measure")
    ]
