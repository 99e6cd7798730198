"""The demo's part of `sessions.alignment`: the clinic's appointment types, from the NICE
schedule, and a consultant review that never moves (it is the consultant's list, not the
midwives'). No cohort day is set: trying that is the point of the demo."""

from __future__ import annotations

from sessions.alignment.models import AppointmentKind
from sessions.alignment.services import appointment_kinds_add_defaults
from waitroom.models import Clinic, User


def seed_appointment_types(clinic: Clinic, coordinator: User) -> None:
    appointment_kinds_add_defaults(clinic=clinic, user=coordinator)
    AppointmentKind.objects.get_or_create(
        clinic=clinic,
        name="Consultant review",
        defaults={"movable": False, "days_earlier": 0, "days_later": 0},
    )
