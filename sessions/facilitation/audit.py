"""Auditing pages that show several women at once, in two queries rather than one per woman."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from waitroom.audit import audit_record
from waitroom.models import AuditEvent, Clinic


def audit_patients_viewed(
    request: HttpRequest, *, clinic: Clinic, shown_on, patient_ids: Iterable[int]
) -> None:
    """One VIEW event for the page's object (`shown_on`, e.g. the session) and one per woman
    whose details it showed, so the audit page finds the read when filtered by patient.

    The per-woman events copy the first event's user, role, clinic and address, which
    audit_record worked out; all are written in the request's transaction.
    """
    first = audit_record(request, AuditEvent.Action.VIEW, shown_on, clinic=clinic)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                at=first.at,
                user=first.user,
                role=first.role,
                clinic=clinic,
                action=AuditEvent.Action.VIEW,
                object_type="waitingroom.patient",
                object_id=str(pid),
                patient_id=pid,
                ip_address=first.ip_address,
            )
            for pid in patient_ids
        ]
    )
