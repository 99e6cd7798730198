"""The run sheet: the women expected at a session, for whoever runs it, and its poller."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from waitroom.access import STAFF_ROLES, clinic_view
from waitroom.models import Clinic

from .. import selectors
from ..audit import audit_run_sheet_viewed


def _run_sheet_context(request: HttpRequest, clinic: Clinic, session) -> dict:
    professional = selectors.is_professional(request.user, clinic)
    sheet = selectors.run_sheet(session, professional=professional)
    audit_run_sheet_viewed(
        request, clinic=clinic, session=session, patient_ids=[r.patient_id for r in sheet.rows]
    )
    return {
        "clinic": clinic,
        "session": session,
        "sheet": sheet,
        "professional": professional,
        "attendance_refusal": session.check_in_refusal(),
    }


@clinic_view(STAFF_ROLES)
def run_sheet(request: HttpRequest, clinic: Clinic, session_id: int) -> HttpResponse:
    session = selectors.session_for_runner(request.user, clinic, session_id)
    context = _run_sheet_context(request, clinic, session)
    context["notes"] = list(
        selectors.notes_visible_to(request.user, clinic)
        .filter(session=session)
        .select_related("author")
    )
    # Each concern she raised here, with the woman it is about as the run sheet labels her.
    labels = {row.patient_id: row.label for row in context["sheet"].rows}
    context["my_concerns"] = [
        (concern, labels.get(concern.patient_id, "") if concern.patient_id else "")
        for concern in selectors.concerns_raised_by(request.user, clinic).filter(session=session)
    ]
    context["can_debrief"] = not context["professional"]
    return render(request, "facilitation/run_sheet.html", context)


@clinic_view(STAFF_ROLES)
def run_sheet_women(request: HttpRequest, clinic: Clinic, session_id: int) -> HttpResponse:
    """The women's rows alone, for the run sheet's poller. 204 (nothing read, nothing audited)
    when nothing changed since the version the page already shows."""
    session = selectors.session_for_runner(request.user, clinic, session_id)
    if request.GET.get("version") == selectors.run_sheet_version(session):
        return HttpResponse(status=204)
    context = _run_sheet_context(request, clinic, session)
    return render(request, "facilitation/_run_sheet_women.html", context)
