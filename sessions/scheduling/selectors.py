"""Reads for planning: a clinic day, in a fixed number of queries. A session's eligible women
come from sessions/invitations/eligibility.py, which the planner shares."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet

from groups.models import Cohort, CohortMembership
from sessions.invitations.eligibility import CURRENT_MEMBERSHIP
from sessions.models import (
    ATTENDING_STATUSES,
    Appointment,
    AppointmentStatus,
    Patient,
    WaitingRoomSession,
)
from sessions.presence import Margins, Presence, Visit, presences_for_day
from waitroom.models import Clinic

from .overlap import Window, best_windows


@dataclass
class DayAppointment:
    appointment: Appointment
    cohorts: list[Cohort]


@dataclass
class SuggestedWindow:
    window: Window
    patients: list[Patient]
    schedule_query: str


@dataclass
class ExpectedWoman:
    patient: Patient
    presence: Presence


@dataclass
class CohortPlan:
    cohort: Cohort
    women: list[ExpectedWoman]
    windows: list[SuggestedWindow]

    @property
    def expected(self) -> int:
        return len({w.patient.pk for w in self.women})


@dataclass
class ClinicDayPlan:
    clinic: Clinic
    day: dt.date
    minutes: int
    appointments: list[DayAppointment]
    cohorts: list[CohortPlan]
    sessions: list[WaitingRoomSession] = field(default_factory=list)

    @property
    def expected_count(self) -> int:
        return sum(1 for a in self.appointments if a.appointment.status in ATTENDING_STATUSES)

    @property
    def patient_ids(self) -> set[int]:
        """Every woman the page names: those with appointments (the cohorts' women and the
        suggested windows' are among them)."""
        return {a.appointment.patient_id for a in self.appointments}


def schedule_query(*, cohort: Cohort, window: Window) -> str:
    """The query string that pre-fills a new session: ids and times only, nothing personal."""
    return urlencode(
        {
            "cohort": cohort.pk,
            "start": window.start.isoformat(timespec="minutes"),
            "end": window.end.isoformat(timespec="minutes"),
        }
    )


def clinic_day_plan(
    *, clinic: Clinic, day: dt.date, minutes: int, windows_per_cohort: int = 3
) -> ClinicDayPlan:
    """The day's appointments, and per cohort who is expected and the best session windows:
    those with at least the clinic's minimum group size, most women first.

    Four queries whatever the number of appointments: appointments with their patients, the
    clinic's cohorts, the current memberships of the day's patients, and the day's sessions.
    """
    start, end = clinic.day_bounds(day)
    appointments = list(
        Appointment.objects.filter(clinic=clinic, start__gte=start, start__lt=end)
        .exclude(status=AppointmentStatus.ENTERED_IN_ERROR)
        .select_related("patient")
        .order_by("start", "pk")
    )
    cohorts = {c.pk: c for c in clinic.cohorts.all()}
    patient_ids = {a.patient_id for a in appointments}
    cohort_ids_by_patient: dict[int, list[int]] = defaultdict(list)
    if patient_ids and cohorts:
        memberships = CohortMembership.objects.filter(
            patient_id__in=patient_ids, cohort_id__in=cohorts, status__in=CURRENT_MEMBERSHIP
        ).values_list("patient_id", "cohort_id")
        for patient_id, cohort_id in memberships:
            cohort_ids_by_patient[patient_id].append(cohort_id)

    patients: dict[int, Patient] = {}
    visits: dict[int, list[Visit]] = defaultdict(list)
    day_appointments = []
    for appointment in appointments:
        patients[appointment.patient_id] = appointment.patient
        its_cohorts = sorted(
            (cohorts[cid] for cid in cohort_ids_by_patient.get(appointment.patient_id, [])),
            key=lambda c: c.staff_name,
        )
        day_appointments.append(DayAppointment(appointment, its_cohorts))
        if appointment.status in ATTENDING_STATUSES:
            for cohort in its_cohorts:
                visits[cohort.pk].append(
                    Visit(appointment.patient_id, appointment.start, appointment.duration_minutes)
                )

    margins = Margins.for_clinic(clinic)
    plans = []
    for cohort in sorted(cohorts.values(), key=lambda c: c.staff_name):
        presences = presences_for_day(visits.get(cohort.pk, []), margins=margins, day=day)
        windows = best_windows(
            presences,
            minutes=minutes,
            limit=windows_per_cohort,
            min_women=clinic.min_group_size,
            within=margins.opening_hours(day),
        )
        plans.append(
            CohortPlan(
                cohort=cohort,
                women=[ExpectedWoman(patients[p.patient_id], p) for p in presences],
                windows=[
                    SuggestedWindow(
                        window=w,
                        patients=[patients[pid] for pid in w.patient_ids],
                        schedule_query=schedule_query(cohort=cohort, window=w),
                    )
                    for w in windows
                ],
            )
        )
    sessions = list(
        WaitingRoomSession.objects.filter(clinic=clinic, start__gte=start, start__lt=end)
        .select_related("cohort")
        .order_by("start", "pk")
    )
    return ClinicDayPlan(clinic, day, minutes, day_appointments, plans, sessions)


def clinic_sessions_upcoming(clinic: Clinic) -> QuerySet[WaitingRoomSession]:
    return (
        WaitingRoomSession.objects.filter(clinic=clinic)
        .upcoming()
        .select_related("cohort")
        .prefetch_related("facilitators")
    )
