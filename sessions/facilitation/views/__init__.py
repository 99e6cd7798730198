"""Running and recording a session, one module a feature: run sheet, attendance, notes, concerns,
debriefs, governance.

Access (waitroom.access.clinic_view, then the selectors' `*_visible_to`): staff of another
clinic get a 404; a peer supporter reaches only the sessions she runs and the concerns and
debriefs that are hers, and sees display names, appointment times, interpreter need and
attendance, never clinical detail. Every read or change of a note, concern, debrief or a
woman's details is audited in the request's transaction.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from waitroom.audit import audit_record
from waitroom.models import AuditEvent, Clinic

Action = AuditEvent.Action


def recorded(
    request: HttpRequest,
    action: str,
    record: models.Model,
    clinic: Clinic,
    says: str,
    then: str,
    *,
    patient_id: int | None = None,
    **url_kwargs: int,
) -> HttpResponse:
    """After a change to `record`: audit it in the request's transaction, tell the user what
    happened (`says`), and redirect to the page named `then` in this clinic (post/redirect/get).
    """
    audit_record(request, action, record, clinic=clinic, patient_id=patient_id)
    messages.success(request, says)
    return redirect(then, clinic_slug=clinic.slug, **url_kwargs)
