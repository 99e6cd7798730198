"""The alignment measure: the share of cohort appointments with at least two others of the
cohort in the waiting room at the same time (the presence rule, sessions/presence.py), per week.

`peers_together_series` is a plain function so that the measures page can chart it; the
alignment page shows it now.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from groups.models import Cohort, CohortMembership
from sessions.models import Appointment
from sessions.periods import PERIODS, next_period, period_start
from sessions.presence import Margins
from waitroom.models import Clinic

from .proposals import PEERS_WANTED, CohortAppointment, together_now


def peers_together_series(
    clinic: Clinic,
    *,
    cohort: Cohort | None = None,
    start: dt.date,
    end: dt.date,
    period: str = "week",
) -> list[tuple[dt.date, float | None, int]]:
    """For each week (its Monday), or month (its first day), from the one holding `start` to the
    one holding `end` (inclusive):
    (week, share of the cohort's attending appointments with ≥ 2 of the cohort there with her,
    number of those appointments). The share is None for a week with no appointments. Without
    `cohort`, each of the clinic's cohorts counts its own women, and the shares pool.

    Two queries for a cohort (three without one), however long the period.
    """
    if period not in PERIODS:
        raise ValueError(f"Unknown period {period!r}: 'week' or 'month'")
    cohorts = [cohort] if cohort is not None else list(clinic.cohorts.order_by("pk"))
    first = period_start(start, period)
    last = period_start(end, period)
    margins = Margins.for_clinic(clinic)
    members: dict[int, set[int]] = defaultdict(set)
    for cohort_id, patient_id in (
        CohortMembership.objects.current()
        .filter(cohort__in=cohorts)
        .values_list("cohort_id", "patient_id")
    ):
        members[cohort_id].add(patient_id)
    everyone = set().union(*members.values()) if members else set()
    rows = list(
        Appointment.objects.attending()
        .filter(
            clinic=clinic,
            patient_id__in=everyone,
            start__gte=clinic.day_bounds(first)[0],
            start__lt=clinic.day_bounds(next_period(last, period))[0],
        )
        .values_list("pk", "patient_id", "start")
    )
    totals: dict[dt.date, list[int]] = {}
    for c in cohorts:
        own = [
            CohortAppointment(appointment_id=pk, patient_id=pid, start=s, type_name="", rule=None)
            for pk, pid, s in rows
            if pid in members[c.pk]
        ]
        together = together_now(own, margins=margins, at_least=PEERS_WANTED)
        for appt in own:
            week = period_start(clinic.day_of(appt.start), period)
            count = totals.setdefault(week, [0, 0])
            count[1] += 1
            if together[appt.appointment_id] >= PEERS_WANTED:
                count[0] += 1
    series = []
    week = first
    while week <= last:
        with_peers, total = totals.get(week, (0, 0))
        series.append((week, with_peers / total if total else None, total))
        week = next_period(week, period)
    return series
