"""Debriefs: a peer supporter's account of a session she ran, confirmed by a professional."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from waitroom.access import PEER_SUPPORTERS, PROFESSIONALS, STAFF_ROLES, clinic_view, staff_required
from waitroom.audit import audit_record
from waitroom.models import Clinic

from .. import selectors, services
from ..forms import DebriefForm
from . import Action, recorded


@clinic_view(PEER_SUPPORTERS)
def debrief_create(request: HttpRequest, clinic: Clinic, session_id: int) -> HttpResponse:
    session = selectors.session_for_runner(request.user, clinic, session_id)
    if not session.facilitators.filter(pk=request.user.pk).exists():
        raise Http404("You did not run this session")
    form = DebriefForm(request.POST or None, professionals=selectors.clinic_professionals(clinic))
    if request.method == "POST" and form.is_valid():
        try:
            debrief = services.debrief_log(
                session=session, peer_supporter=request.user, **form.cleaned_data
            )
        except services.FacilitationError as error:
            messages.error(request, str(error))
            return redirect("run_sheet", clinic_slug=clinic.slug, session_id=session.pk)
        return recorded(
            request,
            Action.CREATE,
            debrief,
            clinic,
            "Debrief saved. The professional you named will confirm it.",
            "debrief_detail",
            debrief_id=debrief.pk,
        )
    return render(
        request,
        "facilitation/debrief_form.html",
        {"clinic": clinic, "session": session, "form": form},
    )


@clinic_view(STAFF_ROLES)
def debrief_detail(request: HttpRequest, clinic: Clinic, debrief_id: int) -> HttpResponse:
    debrief = selectors.debrief_for_user(request.user, clinic, debrief_id)
    if request.method == "POST":
        try:
            services.debrief_confirm(debrief=debrief, by=request.user)
        except services.FacilitationError as error:
            raise PermissionDenied(str(error)) from None
        return recorded(
            request,
            Action.CHANGE,
            debrief,
            clinic,
            "Debrief confirmed.",
            "debrief_detail",
            debrief_id=debrief.pk,
        )
    audit_record(request, Action.VIEW, debrief, clinic=clinic)
    return render(
        request,
        "facilitation/debrief_detail.html",
        {
            "clinic": clinic,
            "debrief": debrief,
            "can_confirm": debrief.professional_id == request.user.pk
            and debrief.confirmed_at is None,
        },
    )


@staff_required(*PROFESSIONALS)
def debriefs_to_confirm(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "facilitation/debriefs_to_confirm.html",
        {"debriefs": list(selectors.debriefs_to_confirm(request.user))},
    )
