"""Writing the audit trail: one call, in the caller's transaction."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from .access import clinic_roles
from .client_address import client_address
from .models import AuditEvent, Clinic


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
    """Record that the request's user did `action` to `obj` (or, for something that is not one
    row, such as an export, to `object_type` / `object_id`).

    Call it inside the transaction that reads or changes `obj` (requests are atomic), so a
    failed request leaves no event and a recorded change always has its event.
    """
    user = request.user if request.user.is_authenticated else None
    role = ""
    if user is not None:
        held = clinic_roles(user).roles_at(clinic.pk) if clinic else frozenset()
        role = ",".join(sorted(held)) or ("member" if user.patient else "")
    return AuditEvent.objects.create(
        user=user,
        role=role,
        clinic=clinic,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        patient_id=patient_id,
        ip_address=client_address(request),
    )
