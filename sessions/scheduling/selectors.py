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
    WaitingRoomSession,
)
from sessions.presence import Margins, Presence, Visit, presences_for_day
from waitroom.models import Clinic

from .overlap import Window, best_windows


@dataclass(frozen=True)
class WomanNamed:
    """A woman as the clinic day names her: plain values, not a Patient instance."""

    pk: int
    given_name: str
    preferred_name: str
    family_name: str

    @property
    def name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"


@dataclass(frozen=True)
class AppointmentRow:
    """One row of the day's appointments, every cell already text (times in the clinic's
    zone): the template looks up five strings, and calls no filter."""

    patient_id: int
    time: str
    name: str
    appointment: str
    groups: str
    status: str
    attending: bool


@dataclass(frozen=True)
class HourOfAppointments:
    """The appointments starting within one hour, shown folded: nobody reads 300 rows at once."""

    label: str
    rows: list[AppointmentRow]

    @property
    def attending(self) -> int:
        return sum(1 for row in self.rows if row.attending)


@dataclass
class SuggestedWindow:
    window: Window
    patients: list[WomanNamed]
    schedule_query: str


@dataclass
class ExpectedWoman:
    patient: WomanNamed
    presence: Presence
    times: str


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
    appointments: list[AppointmentRow]
    cohorts: list[CohortPlan]
    sessions: list[WaitingRoomSession] = field(default_factory=list)

    @property
    def expected_count(self) -> int:
        return sum(1 for row in self.appointments if row.attending)

    @property
    def patient_ids(self) -> set[int]:
        """Every woman the page names: those with appointments (the cohorts' women and the
        suggested windows' are among them)."""
        return {row.patient_id for row in self.appointments}

    @property
    def hours(self) -> list[HourOfAppointments]:
        by_hour: dict[str, list[AppointmentRow]] = {}
        for row in self.appointments:
            by_hour.setdefault(row.time[:2], []).append(row)
        return [
            HourOfAppointments(f"{hour}:00 to {int(hour) + 1:02d}:00", rows)
            for hour, rows in by_hour.items()
        ]


def schedule_query(*, cohort: Cohort, window: Window) -> str:
    """The query string that pre-fills a new session: ids and times only, nothing personal."""
    return urlencode(
        {
            "cohort": cohort.pk,
            "start": window.start.isoformat(timespec="minutes"),
            "end": window.end.isoformat(timespec="minutes"),
        }
    )


_STATUS_LABELS = dict(AppointmentStatus.choices)


def clinic_day_plan(
    *, clinic: Clinic, day: dt.date, minutes: int, windows_per_cohort: int = 3
) -> ClinicDayPlan:
    """The day's appointments, and per cohort who is expected and the best session windows:
    those with at least the clinic's minimum group size, most women first.

    Four queries whatever the number of appointments: appointments with their patients' names
    (plain values, no model instances: 300 of them cost more to build than to fetch), the
    clinic's cohorts, the current memberships of the day's patients, and the day's sessions.
    """
    start, end = clinic.day_bounds(day)
    appointments = list(
        Appointment.objects.filter(clinic=clinic, start__gte=start, start__lt=end)
        .exclude(status=AppointmentStatus.ENTERED_IN_ERROR)
        .order_by("start", "pk")
        .values_list(
            "patient_id",
            "start",
            "duration_minutes",
            "appointment_type",
            "status",
            "patient__given_name",
            "patient__preferred_name",
            "patient__family_name",
        )
    )
    cohorts = {c.pk: c for c in clinic.cohorts.all()}
    patient_ids = {a[0] for a in appointments}
    cohort_ids_by_patient: dict[int, list[int]] = defaultdict(list)
    if patient_ids and cohorts:
        memberships = CohortMembership.objects.filter(
            patient_id__in=patient_ids, cohort_id__in=cohorts, status__in=CURRENT_MEMBERSHIP
        ).values_list("patient_id", "cohort_id")
        for patient_id, cohort_id in memberships:
            cohort_ids_by_patient[patient_id].append(cohort_id)

    zone = clinic.zone
    patients: dict[int, WomanNamed] = {}
    visits: dict[int, list[Visit]] = defaultdict(list)
    rows = []
    for patient_id, starts, duration, kind, status, given, preferred, family in appointments:
        woman = patients.setdefault(patient_id, WomanNamed(patient_id, given, preferred, family))
        its_cohorts = sorted(
            (cohorts[cid] for cid in cohort_ids_by_patient.get(patient_id, [])),
            key=lambda c: c.staff_name,
        )
        attending = status in ATTENDING_STATUSES
        rows.append(
            AppointmentRow(
                patient_id=patient_id,
                time=f"{starts.astimezone(zone):%H:%M}",
                name=woman.name,
                appointment=f"{kind or '–'}, {duration} min",
                groups=", ".join(c.staff_name for c in its_cohorts) or "–",
                status=_STATUS_LABELS.get(status, status),
                attending=attending,
            )
        )
        if attending:
            for cohort in its_cohorts:
                visits[cohort.pk].append(Visit(patient_id, starts, duration))

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
                women=[
                    ExpectedWoman(
                        patients[p.patient_id],
                        p,
                        f"{p.arrives.astimezone(zone):%H:%M} to {p.leaves.astimezone(zone):%H:%M}",
                    )
                    for p in presences
                ],
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
    return ClinicDayPlan(clinic, day, minutes, rows, plans, sessions)


def clinic_sessions_upcoming(clinic: Clinic) -> QuerySet[WaitingRoomSession]:
    return (
        WaitingRoomSession.objects.filter(clinic=clinic)
        .upcoming()
        .select_related("cohort")
        .prefetch_related("facilitators")
    )
