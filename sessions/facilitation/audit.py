"""Auditing pages that show several women at once (see waitroom.audit.audit_patients_shown)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from waitroom.audit import audit_patients_shown
from waitroom.models import AuditEvent, Clinic


def audit_patients_viewed(
    request: HttpRequest, *, clinic: Clinic, shown_on, patient_ids: Iterable[int]
) -> None:
    """One VIEW event for the page's object (`shown_on`, e.g. the session) and one per woman
    whose details it showed."""
    audit_patients_shown(
        request, AuditEvent.Action.VIEW, shown_on, clinic=clinic, patient_ids=patient_ids
    )
