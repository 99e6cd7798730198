"""Series for the measures page: per week (or month) the mean summary score and the number of
answers; the Friends and Family Test as % positive; by cohort; empty weeks are (week, None, 0)."""

from __future__ import annotations

import datetime as dt

import pytest

from sessions.feedback.measures import feedback_measures, fft_positive_series, series
from sessions.feedback.models import FeedbackRequest, Instrument, Occasion, Response
from tests.factories import CohortFactory, PatientFactory, WaitingRoomSessionFactory
from tests.invitations.conftest import london

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)


def answered(clinic, slug: str, score: float, at: dt.datetime, *, session=None) -> Response:
    woman = PatientFactory(organisation=clinic.organisation)
    request = FeedbackRequest.objects.create(
        patient=woman,
        clinic=clinic,
        occasion_kind=Occasion.AFTER_SESSION if session else Occasion.BASELINE,
        occasion=f"session-{session.pk}" if session else "baseline",
        session=session,
    )
    return Response.objects.create(
        request=request,
        instrument=Instrument.objects.current().get(slug=slug),
        instrument_slug=slug,
        score=score,
        completed_at=at,
    )


def test_each_week_gives_the_mean_score_and_the_number_of_answers(clinic, instruments):
    answered(clinic, "ons4", 60, london(2026, 3, 2, 9))
    answered(clinic, "ons4", 80, london(2026, 3, 8, 23, 30))  # Sunday night: still that week
    answered(clinic, "ons4", 90, london(2026, 3, 16, 0, 10))
    answered(clinic, "fft", 100, london(2026, 3, 3, 9))  # another instrument: not counted

    points = series(clinic, instrument="ons4", start=MONDAY, end=dt.date(2026, 3, 22))

    assert points == [
        (dt.date(2026, 3, 2), 70.0, 2),
        (dt.date(2026, 3, 9), None, 0),
        (dt.date(2026, 3, 16), 90.0, 1),
    ]


def test_the_friends_and_family_test_is_the_percentage_positive(clinic, instruments):
    for score in (100, 100, 0, 100):
        answered(clinic, "fft", score, london(2026, 3, 4, 12))
    assert fft_positive_series(clinic, start=MONDAY, end=MONDAY, period="month") == [
        (dt.date(2026, 3, 1), 75.0, 4)
    ]


def test_a_cohort_series_counts_only_answers_about_that_cohorts_sessions(clinic, instruments):
    ours, theirs = CohortFactory(clinics=[clinic]), CohortFactory(clinics=[clinic])
    session = WaitingRoomSessionFactory(clinic=clinic, cohort=ours)
    other = WaitingRoomSessionFactory(clinic=clinic, cohort=theirs)
    answered(clinic, "session-experience", 50, london(2026, 3, 3, 12), session=session)
    answered(clinic, "session-experience", 100, london(2026, 3, 3, 12), session=other)
    assert series(
        clinic, instrument="session-experience", cohort=ours, start=MONDAY, end=MONDAY
    ) == [(MONDAY, 50.0, 1)]


def test_another_clinics_answers_are_never_in_the_series(clinic, other_clinic, instruments):
    answered(other_clinic, "ons4", 10, london(2026, 3, 3, 12))
    assert series(clinic, instrument="ons4", start=MONDAY, end=MONDAY) == [(MONDAY, None, 0)]


def test_every_loaded_instrument_is_a_measure_with_its_direction(instruments):
    measures = {m.instrument: m for m in feedback_measures()}
    assert set(measures) == {
        "ons4",
        "fft",
        "session-experience",
        "placeholder-health-confidence",
        "placeholder-service-integration",
    }
    assert measures["fft"].unit == "% positive"
    assert all(m.improvement == "increase" for m in measures.values())


def test_each_measure_carries_a_series_in_the_catalogues_shape(clinic, instruments):
    answered(clinic, "ons4", 40, london(2026, 3, 3, 12))
    (ons4,) = [m for m in feedback_measures() if m.instrument == "ons4"]
    assert ons4.series(clinic, cohort=None, start=MONDAY, end=MONDAY, period="week") == [
        (MONDAY, 40.0, 1)
    ]
