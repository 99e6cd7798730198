"""Series for the measures page (sessions/measures/ charts them with SPC; the lead wires them
into its catalogue). Plain functions: one point per period, from completed responses.

`series(clinic, *, instrument, cohort=None, start, end, period="week")` gives, for each period
from `start` to `end` (dates at the clinic), (period start, mean summary score or None, number
of answers). For the Friends and Family Test (`instrument="fft"`) each answer scores 100 when
positive and 0 otherwise, so the mean is the % positive. A period with no answers is
(start, None, 0). Suppressing small numbers (fewer than 5 answers) is the page's job: n is here
for it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from groups.models import Cohort
from sessions.periods import next_period, period_start, period_starts
from waitroom.models import Clinic

from .models import Instrument, Response


@dataclass(frozen=True)
class FeedbackMeasure:
    key: str
    instrument: str
    label: str
    improvement: str  # "increase" or "decrease"
    unit: str

    @property
    def series(self) -> Callable[..., list[tuple[dt.date, float | None, int]]]:
        """`series(clinic, *, cohort=None, start, end, period="week")` for this measure: the
        shape the measures catalogue takes."""
        return partial(series, instrument=self.instrument)


def series(
    clinic: Clinic,
    *,
    instrument: str,
    cohort: Cohort | None = None,
    start: dt.date,
    end: dt.date,
    period: str = "week",
) -> list[tuple[dt.date, float | None, int]]:
    """The mean summary score of `instrument` (a slug, all versions) per period (one query).
    The periods holding `start` and `end` are counted whole."""
    periods = period_starts(start, end, period)
    first_moment = clinic.day_bounds(periods[0])[0]
    last_moment = clinic.day_bounds(next_period(periods[-1], period))[0]
    responses = Response.objects.filter(
        request__clinic=clinic,
        instrument_slug=instrument,
        completed_at__isnull=False,
        score__isnull=False,
        completed_at__gte=first_moment,
        completed_at__lt=last_moment,
    )
    if cohort is not None:
        responses = responses.filter(request__session__cohort=cohort) | responses.filter(
            request__session__isnull=True, request__patient__cohort_memberships__cohort=cohort
        )
        responses = responses.distinct()
    totals: dict[dt.date, list[float]] = defaultdict(list)
    for completed_at, score in responses.values_list("completed_at", "score"):
        totals[period_start(clinic.today(completed_at), period)].append(score)
    return [
        (
            day,
            round(sum(totals[day]) / len(totals[day]), 2) if totals[day] else None,
            len(totals[day]),
        )
        for day in periods
    ]


def fft_positive_series(
    clinic: Clinic,
    *,
    cohort: Cohort | None = None,
    start: dt.date,
    end: dt.date,
    period: str = "week",
) -> list[tuple[dt.date, float | None, int]]:
    """Friends and Family Test: % of answers Very good or Good, per period."""
    return series(clinic, instrument="fft", cohort=cohort, start=start, end=end, period=period)


def feedback_measures() -> list[FeedbackMeasure]:
    """One measure per loaded instrument (its newest title and direction), FFT as % positive."""
    measures = []
    for instrument in Instrument.objects.current().order_by("slug"):
        label = instrument.title
        unit = "score out of 100"
        if instrument.parsed.method == "percent_positive":
            label = "Friends and Family Test: % positive" if instrument.slug == "fft" else label
            unit = "% positive"
        measures.append(
            FeedbackMeasure(
                key=f"feedback-{instrument.slug}",
                instrument=instrument.slug,
                label=label,
                improvement=instrument.improvement,
                unit=unit,
            )
        )
    return measures
