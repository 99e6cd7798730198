"""Reads for the staff homes, shaped for templates with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, DateField, Q, QuerySet, When
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from waitroom.models import Clinic, User

from .models import Appointment, WaitingAreaPlace, WaitingRoomSession

HORIZON_DAYS = 28


@dataclass
class ClinicDay:
    day: dt.date
    appointment_count: int
    sessions: list[WaitingRoomSession] = field(default_factory=list)


@dataclass
class ClinicOverview:
    clinic: Clinic
    today: dt.date  # the clinic's today, in its own zone
    days: list[ClinicDay]


def clinic_overviews(clinics: QuerySet[Clinic], *, days_shown: int = 5) -> list[ClinicOverview]:
    """For each clinic, its next clinic days (days with appointments) and their sessions.

    Three queries whatever the number of clinics, days or appointments.
    """
    clinics = list(clinics)
    if not clinics:
        return []
    now = timezone.now()
    # Each clinic's days are cut in its own zone: from its local midnight today, for HORIZON_DAYS.
    window = Q()
    for clinic in clinics:
        start, _ = clinic.day_bounds(clinic.today(now))
        window |= Q(
            clinic=clinic, start__gte=start, start__lt=start + dt.timedelta(days=HORIZON_DAYS)
        )
    zones = {clinic.timezone: clinic.zone for clinic in clinics}
    local_day = Case(
        *(
            When(clinic__timezone=name, then=TruncDate("start", tzinfo=zone))
            for name, zone in zones.items()
        ),
        output_field=DateField(),
    )
    counts = (
        Appointment.objects.attending()
        .filter(window)
        .annotate(day=local_day)
        .values("clinic_id", "day")
        .annotate(n=Count("id"))
        .order_by("clinic_id", "day")
    )
    days: dict[int, dict[dt.date, ClinicDay]] = defaultdict(dict)
    for row in counts:
        days[row["clinic_id"]][row["day"]] = ClinicDay(row["day"], row["n"])
    by_pk = {clinic.pk: clinic for clinic in clinics}
    sessions = (
        WaitingRoomSession.objects.not_cancelled()
        .filter(window)
        .select_related("cohort")
        .order_by("start")
    )
    for session in sessions:
        day = by_pk[session.clinic_id].day_of(session.start)
        clinic_days = days[session.clinic_id]
        clinic_days.setdefault(day, ClinicDay(day, 0)).sessions.append(session)
    return [
        ClinicOverview(
            clinic,
            clinic.today(now),
            sorted(days[clinic.pk].values(), key=lambda d: d.day)[:days_shown],
        )
        for clinic in clinics
    ]


def sessions_for_facilitator(user: User) -> QuerySet[WaitingRoomSession]:
    """Her upcoming sessions, published or draft, at clinics where she still holds a role."""
    return (
        user.facilitated_sessions.not_cancelled()
        .upcoming()
        .filter(clinic__staff_roles__user=user, clinic__staff_roles__deactivated_at__isnull=True)
        .distinct()
        .select_related("clinic", "cohort")
    )


def session_for_clinic(clinic: Clinic, session_id: int) -> WaitingRoomSession:
    """The session, only if it belongs to `clinic` (which the view reached through access); 404."""
    try:
        return (
            WaitingRoomSession.objects.filter(clinic=clinic)
            .select_related("cohort", "clinic")
            .get(pk=session_id)
        )
    except WaitingRoomSession.DoesNotExist:
        raise Http404("No such session") from None


def waiting_area_places_in_use(clinic: Clinic) -> QuerySet[WaitingAreaPlace]:
    return WaitingAreaPlace.objects.filter(clinic=clinic).in_use()


def waiting_area_place_for_clinic(clinic: Clinic, place_id: int) -> WaitingAreaPlace:
    """The place, only if it is `clinic`'s; 404 otherwise."""
    try:
        return WaitingAreaPlace.objects.filter(clinic=clinic).get(pk=place_id)
    except WaitingAreaPlace.DoesNotExist:
        raise Http404("No such place") from None
