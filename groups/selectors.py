"""Reads for a member's own pages. Each starts from her Patient record, never a global query."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from sessions.models import Appointment, Patient, WaitingRoomSession

from .models import CohortMembership


def next_appointment(patient: Patient) -> Appointment | None:
    return patient.appointments.attending().upcoming().select_related("clinic").first()


def member_groups(patient: Patient) -> QuerySet[CohortMembership]:
    return (
        patient.cohort_memberships.current()
        .select_related("cohort")
        .order_by("cohort__public_name")
    )


def sessions_on_her_clinic_days(patient: Patient) -> list[WaitingRoomSession]:
    """Published sessions of her cohorts, at the clinic, on the days of her appointments."""
    appointments = list(patient.appointments.attending().upcoming().values("clinic_id", "start"))
    if not appointments:
        return []
    days = {(a["clinic_id"], timezone.localtime(a["start"]).date()) for a in appointments}
    cohort_ids = patient.cohort_memberships.current().values("cohort_id")
    candidates = (
        WaitingRoomSession.objects.published()
        .upcoming()
        .filter(cohort_id__in=cohort_ids, clinic_id__in={c for c, _ in days})
        .select_related("clinic", "cohort")
    )
    return [s for s in candidates if (s.clinic_id, timezone.localtime(s.start).date()) in days]
