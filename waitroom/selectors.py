"""Clinic-scoped reads for the core app's pages: a clinic's team, and the audit trail.

Views fetch records only through selectors like these (scripts/lint_model_usage.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404

from .access import COORDINATORS, staff_clinics
from .models import AuditEvent, Clinic, StaffRole, User


def staff_roles_at_clinic(clinic: Clinic) -> QuerySet[StaffRole]:
    """Everyone's roles at the clinic, active or not, by surname."""
    return (
        StaffRole.objects.filter(clinic=clinic)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )


def clinic_staff_in_roles(clinic: Clinic, roles: Iterable[str]) -> QuerySet[User]:
    """The active people who hold one of `roles` at the clinic now, by name."""
    return (
        User.objects.filter(
            is_active=True,
            staff_roles__clinic=clinic,
            staff_roles__role__in=list(roles),
            staff_roles__deactivated_at__isnull=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def staff_role_at_clinic(clinic: Clinic, role_id: int) -> StaffRole:
    """The role, only if it is held at the clinic the user reached through access checks."""
    try:
        return StaffRole.objects.filter(clinic=clinic).select_related("user").get(pk=role_id)
    except StaffRole.DoesNotExist:
        raise Http404("No such role at this clinic") from None


def _events_for(user: User) -> QuerySet[AuditEvent]:
    if user.is_superuser:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(clinic__in=staff_clinics(user, *COORDINATORS))


def _patient_ids(user: User, text: str) -> list[int]:
    # By app label, as audit_labels does: the core app never imports the apps above it.
    patient = apps.get_model("waitingroom", "Patient")
    patients = patient.objects.filter(hospital_number__iexact=text)
    if not user.is_superuser:
        # A coordinator finds patients only in her own clinics' organisations.
        patients = patients.filter(organisation__clinics__in=staff_clinics(user, *COORDINATORS))
    ids = list(patients.values_list("pk", flat=True).distinct())
    if text.isdigit():
        ids.append(int(text))
    return ids


def _clinics_for(user: User) -> QuerySet[Clinic]:
    return Clinic.objects.all() if user.is_superuser else staff_clinics(user, *COORDINATORS)


def _on_days(user: User, first: dt.date | None, last: dt.date | None) -> Q:
    """Events from the start of `first` to the end of `last` (either may be open), each day cut
    in the zone of the event's clinic, as its coordinator reads her clinic's calendar. Events
    with no clinic (an admin's view) follow a clinic with no zone set. One query: the zones."""
    zones = _clinics_for(user).order_by().values_list("timezone", flat=True).distinct()

    def window(clinic: Clinic) -> Q:
        q = Q()
        if first:
            q &= Q(at__gte=clinic.day_bounds(first)[0])
        if last:
            q &= Q(at__lt=clinic.day_bounds(last)[1])
        return q

    query = Q(clinic__isnull=True) & window(Clinic())
    for name in zones:
        query |= Q(clinic__timezone=name) & window(Clinic(timezone=name))
    return query


def audit_events(user: User, *, filters: dict | None) -> QuerySet[AuditEvent]:
    """The audit events `user` may read (all for an admin, her coordinated clinics' otherwise),
    newest first, narrowed by the audit page's valid `filters` (user, patient, date_from,
    date_to) when given."""
    events = _events_for(user).select_related("user", "clinic").order_by("-at")
    if filters is None:
        return events
    data = filters
    if data["user"]:
        events = events.filter(user__email__iexact=data["user"].strip())
    if data["patient"]:
        events = events.filter(patient_id__in=_patient_ids(user, data["patient"].strip()))
    if data["date_from"] or data["date_to"]:
        events = events.filter(_on_days(user, data["date_from"], data["date_to"]))
    return events
