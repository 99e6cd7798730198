"""Writing the audit trail: one call, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.http import HttpRequest

from .access import clinic_roles
from .client_address import client_address
from .models import AuditEvent, Clinic, User

PATIENT_OBJECT_TYPE = "waitingroom.patient"


def audit_by(
    *,
    user: User | None,
    action: str,
    obj: models.Model | None,
    clinic: Clinic | None = None,
    patient_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Record that `user` did `action` to `obj` (or, for something that is not one row, such
    as an export, to `object_type` / `object_id`). For services, which know who acts but not
    the request; views call `audit_record`, which adds where the request came from.

    Call it inside the transaction that reads or changes `obj`, so a failed change leaves no
    event and a recorded change always has its event.
    """
    role = ""
    if user is not None and user.is_authenticated:
        held = clinic_roles(user).roles_at(clinic.pk) if clinic else frozenset()
        role = ",".join(sorted(held)) or ("member" if user.patient else "")
    else:
        user = None
    return AuditEvent.objects.create(
        user=user,
        role=role,
        clinic=clinic,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        patient_id=patient_id,
        ip_address=ip_address,
    )


def audit_record(
    request: HttpRequest,
    action: str,
    obj: models.Model | None,
    *,
    clinic: Clinic | None = None,
    patient_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Record that the request's user did `action` to `obj`, from the request's address (see
    `audit_by`). Requests are atomic, so the event shares the request's transaction."""
    return audit_by(
        user=request.user,
        action=action,
        obj=obj,
        clinic=clinic,
        patient_id=patient_id,
        object_type=object_type,
        object_id=object_id,
        ip_address=client_address(request),
    )


def audit_patients_shown(
    request: HttpRequest,
    action: str,
    shown_on: models.Model | None,
    *,
    clinic: Clinic,
    patient_ids: Iterable[int],
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """A page or export that shows several women: one event for what was shown (`shown_on`,
    e.g. the session, or an export's `object_type` / `object_id`) and one per woman shown, so
    searching the audit trail for a woman finds every list she appeared on.

    Two queries whatever the number of women (the per-woman events are bulk-inserted), in the
    request's transaction. They copy the first event's time, user, role and address.
    """
    first = audit_record(
        request, action, shown_on, clinic=clinic, object_type=object_type, object_id=object_id
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                at=first.at,
                user=first.user,
                role=first.role,
                clinic=clinic,
                action=action,
                object_type=PATIENT_OBJECT_TYPE,
                object_id=str(patient_id),
                patient_id=patient_id,
                ip_address=first.ip_address,
            )
            for patient_id in sorted(set(patient_ids))
        ],
        batch_size=1000,
    )
    return first
