"""Auditing pages that show several women at once (see waitroom.audit.audit_patients_shown)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

from sessions.models import WaitingRoomSession
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


def audit_run_sheet_viewed(
    request: HttpRequest,
    *,
    clinic: Clinic,
    session: WaitingRoomSession,
    patient_ids: Iterable[int],
) -> None:
    """The run sheet (the page or its poller's refreshed list): one VIEW event for the session,
    and one per woman shown unless this user was already shown her on this session's run
    sheet within `AUDIT_REPEAT_VIEW_WINDOW_SECONDS` (ADR 0034)."""
    audit_patients_shown(
        request,
        AuditEvent.Action.VIEW,
        session,
        clinic=clinic,
        patient_ids=patient_ids,
        context=f"facilitation.runsheet:{session.pk}",
        once_within=dt.timedelta(seconds=settings.AUDIT_REPEAT_VIEW_WINDOW_SECONDS),
    )
