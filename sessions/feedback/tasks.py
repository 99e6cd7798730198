"""Celery tasks: thin, ids only, safe to run twice. The work is in planner.py; the messages it
writes are sent by the invitations dispatcher and sender, which claim each row once."""

from __future__ import annotations

from celery import shared_task

from sessions.invitations.tasks import dispatch_due, once_per_interval
from waitroom.models import Clinic

from .planner import feedback_plan_for_clinic
from .schedule import PLAN_EVERY_SECONDS


@shared_task(name="feedback.plan_clinic")
def plan_clinic(clinic_id: int) -> int:
    result = feedback_plan_for_clinic(clinic_id=clinic_id)
    if result.due_now:
        dispatch_due.delay()
    return result.requests


@shared_task(name="feedback.plan_all")
def plan_all() -> int | None:
    """The beat's tick: a planner run per active clinic (once per interval however many beats)."""
    if not once_per_interval("feedback_plan_all", seconds=PLAN_EVERY_SECONDS):
        return None
    clinic_ids = list(Clinic.objects.active().values_list("pk", flat=True))
    for clinic_id in clinic_ids:
        plan_clinic.delay(clinic_id)
    return len(clinic_ids)
