"""Marking how a woman attended a session, from the run sheet."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from waitroom.access import STAFF_ROLES, clinic_view
from waitroom.audit import audit_record
from waitroom.models import Clinic

from .. import selectors, services
from ..forms import AttendanceForm
from . import Action


@require_POST
@clinic_view(STAFF_ROLES)
def attendance_mark(
    request: HttpRequest, clinic: Clinic, session_id: int, patient_id: int
) -> HttpResponse:
    session = selectors.session_for_runner(request.user, clinic, session_id)
    sheet = selectors.run_sheet(session, professional=False)
    patient = sheet.patient(patient_id)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how she attended")
    else:
        try:
            attendance = services.attendance_mark(
                session=session,
                patient=patient,
                status=form.cleaned_data["status"],
                by=request.user,
            )
        except services.FacilitationError as refusal:
            messages.error(request, str(refusal))
        else:
            audit_record(request, Action.CHANGE, attendance, clinic=clinic, patient_id=patient_id)
    url = reverse("run_sheet", kwargs={"clinic_slug": clinic.slug, "session_id": session.pk})
    return redirect(f"{url}#woman-{patient_id}")
