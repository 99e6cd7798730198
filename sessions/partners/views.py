"""A clinic's partners, the resources it keeps and partner meetings: its coordinators manage them
(issue 12; ADR 0041). Each view is handed its clinic by @clinic_view and finds every object
through a clinic-scoped selector, so another clinic's partner is simply not found."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from resources.selectors import (
    meeting_for_clinic,
    meetings_of_clinic,
    partner_for_clinic,
    partner_volunteers_at,
    partners_of_clinic,
    resource_for_clinic,
    resources_of_clinic,
    volunteers_of_clinic_partners,
)
from waitroom.access import COORDINATORS, clinic_view
from waitroom.models import Clinic

from .forms import ClinicResourceForm, OutsideMeetingForm, PartnerForm, WaitingRoomMeetingForm
from .services import (
    PartnerChangeRefused,
    partner_create,
    partner_meeting_in_waiting_room_create,
    partner_meeting_outside_create,
    partner_meeting_remove,
    partner_update,
    resource_create,
    resource_update,
)

# A review due within this is flagged "due soon" (as the shared library's review list does).
REVIEW_SOON = dt.timedelta(days=30)


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


# --- Partners -------------------------------------------------------------------------------------


@clinic_view(COORDINATORS)
def partner_list(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    return render(
        request,
        "sessions/partners/partner_list.html",
        {"clinic": clinic, "partners": list(partners_of_clinic(clinic))},
    )


@clinic_view(COORDINATORS)
def partner_create_view(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    form = PartnerForm(_posted(request), clinic=clinic, volunteers=partner_volunteers_at(clinic))
    if request.method == "POST" and form.is_valid():
        try:
            partner = partner_create(clinic=clinic, by=request.user, **form.fields_for_service())
        except PartnerChangeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"{partner.name} added.")
            return redirect("partner_list", clinic_slug=clinic.slug)
    return render(
        request,
        "sessions/partners/partner_form.html",
        {"clinic": clinic, "form": form, "partner": None},
    )


@clinic_view(COORDINATORS)
def partner_edit(request: HttpRequest, clinic: Clinic, partner_id: int) -> HttpResponse:
    partner = partner_for_clinic(clinic, partner_id)
    form = PartnerForm(
        _posted(request),
        clinic=clinic,
        partner=partner,
        volunteers=partner_volunteers_at(clinic),
        initial={
            "name": partner.name,
            "offer": partner.offer,
            "website": partner.website,
            "phone": partner.phone,
            "volunteers": list(partner.volunteers.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            partner_update(partner=partner, by=request.user, **form.fields_for_service())
        except PartnerChangeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"{partner.name} saved.")
            return redirect("partner_list", clinic_slug=clinic.slug)
    return render(
        request,
        "sessions/partners/partner_form.html",
        {"clinic": clinic, "form": form, "partner": partner},
    )


# --- The clinic's resources -----------------------------------------------------------------------


@clinic_view(COORDINATORS)
def clinic_resource_list(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """The clinic's own resources, overdue reviews first: women stop seeing one on the day after
    its review was due."""
    return render(
        request,
        "sessions/partners/resource_list.html",
        {
            "clinic": clinic,
            "resources": list(resources_of_clinic(clinic)),
            "today": clinic.today(),
            "soon": clinic.today() + REVIEW_SOON,
        },
    )


def _resource_page(request, clinic, form, resource) -> HttpResponse:
    return render(
        request,
        "sessions/partners/resource_form.html",
        {"clinic": clinic, "form": form, "resource": resource},
    )


@clinic_view(COORDINATORS)
def clinic_resource_create(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    form = ClinicResourceForm(_posted(request), clinic=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            resource = resource_create(clinic=clinic, by=request.user, **form.fields_for_service())
        except PartnerChangeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"“{resource.title}” added.")
            return redirect("clinic_resource_list", clinic_slug=clinic.slug)
    return _resource_page(request, clinic, form, None)


@clinic_view(COORDINATORS)
def clinic_resource_edit(request: HttpRequest, clinic: Clinic, resource_id: int) -> HttpResponse:
    resource = resource_for_clinic(clinic, resource_id)
    form = ClinicResourceForm(
        _posted(request),
        clinic=clinic,
        initial={
            "title": resource.title,
            "summary": resource.summary,
            "kind": resource.kind,
            "url": resource.url,
            "phone": resource.phone,
            "partner": resource.partner_id,
            "cohorts": list(resource.cohorts.all()),
            "languages": resource.languages,
            "last_reviewed": resource.last_reviewed,
            "next_review_due": resource.next_review_due,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            resource_update(resource=resource, by=request.user, **form.fields_for_service())
        except PartnerChangeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"“{resource.title}” saved.")
            return redirect("clinic_resource_list", clinic_slug=clinic.slug)
    return _resource_page(request, clinic, form, resource)


# --- Partner meetings -----------------------------------------------------------------------------


@clinic_view(COORDINATORS)
def partner_meeting_list(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    return render(
        request,
        "sessions/partners/meeting_list.html",
        {"clinic": clinic, "meetings": list(meetings_of_clinic(clinic))},
    )


@clinic_view(COORDINATORS)
def partner_meeting_create_outside(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    form = OutsideMeetingForm(_posted(request), clinic=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            partner_meeting_outside_create(
                clinic=clinic, by=request.user, **form.fields_for_service()
            )
        except PartnerChangeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Meeting added. Women in those groups will see it.")
            return redirect("partner_meeting_list", clinic_slug=clinic.slug)
    return render(
        request,
        "sessions/partners/meeting_form.html",
        {"clinic": clinic, "form": form, "in_waiting_room": False},
    )


@clinic_view(COORDINATORS)
def partner_meeting_create_in_waiting_room(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    form = WaitingRoomMeetingForm(
        _posted(request), clinic=clinic, volunteers=volunteers_of_clinic_partners(clinic)
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = partner_meeting_in_waiting_room_create(
                clinic=clinic, by=request.user, **form.fields_for_service()
            )
        except PartnerChangeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, "Meeting saved as a draft session. Publish it to invite women."
            )
            return redirect(
                "session_detail", clinic_slug=clinic.slug, session_id=meeting.session_id
            )
    return render(
        request,
        "sessions/partners/meeting_form.html",
        {"clinic": clinic, "form": form, "in_waiting_room": True},
    )


@require_POST
@clinic_view(COORDINATORS)
def partner_meeting_remove_view(
    request: HttpRequest, clinic: Clinic, meeting_id: int
) -> HttpResponse:
    meeting = meeting_for_clinic(clinic, meeting_id)
    try:
        partner_meeting_remove(meeting=meeting, by=request.user)
    except PartnerChangeRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"“{meeting.title}” removed.")
    return redirect("partner_meeting_list", clinic_slug=clinic.slug)
