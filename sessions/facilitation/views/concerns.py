"""Concerns: raised at a session, handled by the clinic's lead for the category."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from waitroom.access import COORDINATORS, PROFESSIONALS, STAFF_ROLES, clinic_view, staff_required
from waitroom.audit import audit_record
from waitroom.models import Clinic

from .. import selectors, services
from ..audit import audit_patients_viewed
from ..forms import CloseConcernForm, ConcernForm
from ..models import Concern
from . import Action, recorded


@clinic_view(STAFF_ROLES)
def concern_create(request: HttpRequest, clinic: Clinic, session_id: int) -> HttpResponse:
    session = selectors.session_for_runner(request.user, clinic, session_id)
    professional = selectors.is_professional(request.user, clinic)
    # The women who came, labelled exactly as the run sheet labels them.
    women = [woman for woman in selectors.women_at_session(session) if woman.came]
    form = ConcernForm(
        request.POST or None,
        women=[(w.patient.pk, w.label_for(professional=professional)) for w in women],
    )
    if request.method == "POST" and form.is_valid():
        patient_id = form.patient_id()
        patient = next((w.patient for w in women if w.patient.pk == patient_id), None)
        concern = services.concern_raise(
            session=session,
            patient=patient,
            category=form.cleaned_data["category"],
            urgency=form.cleaned_data["urgency"],
            description=form.cleaned_data["description"],
            raised_by=request.user,
        )
        return recorded(
            request,
            Action.CREATE,
            concern,
            clinic,
            "Concern sent. The clinic's lead has been told and will acknowledge it.",
            "concern_detail",
            patient_id=patient_id,
            concern_id=concern.pk,
        )
    # The form names each woman who came: audited as the run sheet is.
    audit_patients_viewed(
        request, clinic=clinic, shown_on=session, patient_ids=[w.patient.pk for w in women]
    )
    return render(
        request,
        "facilitation/concern_form.html",
        {"clinic": clinic, "session": session, "form": form},
    )


def _concern_to_handle(request: HttpRequest, clinic: Clinic, concern_id: int) -> Concern:
    concern = selectors.concern_for_user(request.user, clinic, concern_id)
    if not selectors.may_handle_concern(request.user, clinic, concern):
        raise PermissionDenied
    return concern


def _handled(
    request: HttpRequest, clinic: Clinic, concern: Concern, change: Callable[[], None], says: str
) -> HttpResponse:
    """Acknowledging or closing: make the change, audited, or say why it could not be made."""
    try:
        change()
    except services.FacilitationError as error:
        messages.error(request, str(error))
        return redirect("concern_detail", clinic_slug=clinic.slug, concern_id=concern.pk)
    return recorded(
        request,
        Action.CHANGE,
        concern,
        clinic,
        says,
        "concern_detail",
        patient_id=concern.patient_id,
        concern_id=concern.pk,
    )


@clinic_view(STAFF_ROLES)
def concern_detail(request: HttpRequest, clinic: Clinic, concern_id: int) -> HttpResponse:
    concern = selectors.concern_for_user(request.user, clinic, concern_id)
    professional = selectors.is_professional(request.user, clinic)
    audit_record(request, Action.VIEW, concern, clinic=clinic, patient_id=concern.patient_id)
    return render(
        request,
        "facilitation/concern_detail.html",
        {
            "clinic": clinic,
            "concern": concern,
            "about": selectors.concern_about(concern, professional=professional),
            "professional": professional,
            "can_handle": selectors.may_handle_concern(request.user, clinic, concern),
            "close_form": CloseConcernForm(),
        },
    )


@require_POST
@clinic_view(PROFESSIONALS)
def concern_acknowledge(request: HttpRequest, clinic: Clinic, concern_id: int) -> HttpResponse:
    concern = _concern_to_handle(request, clinic, concern_id)
    return _handled(
        request,
        clinic,
        concern,
        lambda: services.concern_acknowledge(concern=concern, by=request.user),
        "Concern acknowledged.",
    )


@clinic_view(PROFESSIONALS)
def concern_close(request: HttpRequest, clinic: Clinic, concern_id: int) -> HttpResponse:
    concern = _concern_to_handle(request, clinic, concern_id)
    form = CloseConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = form.cleaned_data["outcome"]
        return _handled(
            request,
            clinic,
            concern,
            lambda: services.concern_close(concern=concern, by=request.user, outcome=outcome),
            "Concern closed.",
        )
    audit_record(request, Action.VIEW, concern, clinic=clinic, patient_id=concern.patient_id)
    return render(
        request,
        "facilitation/concern_close.html",
        {"clinic": clinic, "concern": concern, "form": form},
    )


@clinic_view(COORDINATORS)
def concern_queue(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    include_closed = request.GET.get("show") == "all"
    return render(
        request,
        "facilitation/concern_queue.html",
        {
            "clinic": clinic,
            "concerns": list(selectors.concern_queue(clinic, include_closed=include_closed)),
            "include_closed": include_closed,
        },
    )


@staff_required(*STAFF_ROLES)
def my_concerns(request: HttpRequest) -> HttpResponse:
    """Concerns she raised, with their status: acknowledged and closed, not the outcome."""
    concerns = selectors.my_concerns(request.user)
    return render(request, "facilitation/my_concerns.html", {"concerns": list(concerns)})
