"""Marking how a woman attended a session, from the run sheet."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from sessions.models import Patient
from waitroom.access import STAFF_ROLES, clinic_for_user, staff_required
from waitroom.audit import audit_record

from .. import selectors, services
from ..forms import AttendanceForm
from . import Action


@require_POST
@staff_required(*STAFF_ROLES)
def attendance_mark(
    request: HttpRequest, clinic_slug: str, session_id: int, patient_id: int
) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug)
    session = selectors.session_for_runner(request.user, clinic, session_id)
    sheet = selectors.run_sheet(session, professional=False)
    if patient_id not in {row.patient_id for row in sheet.rows}:
        raise Http404("She is not expected at this session")
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how she attended")
    else:
        patient = Patient.objects.get(pk=patient_id)
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
