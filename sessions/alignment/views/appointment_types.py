"""The clinic's appointment types and booking slots."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from waitroom.access import COORDINATORS, clinic_view
from waitroom.models import Clinic

from ..forms import (
    AppointmentKindForm,
    BookingSlotsForm,
)
from ..models import AppointmentKind
from ..selectors import (
    appointment_kind_for_clinic,
    appointment_kinds,
    booking_slots,
)
from ..services import (
    appointment_kind_save,
    appointment_kinds_add_defaults,
    booking_slots_set,
)


@clinic_view(COORDINATORS, methods=["GET", "POST"])
def appointment_types_page(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """The clinic's appointment types and booking slots."""
    slots = booking_slots(clinic)
    form = BookingSlotsForm(request.POST or None, instance=slots)
    if request.method == "POST" and form.is_valid():
        booking_slots_set(
            clinic=clinic,
            slot_minutes=form.cleaned_data["slot_minutes"],
            per_slot=form.cleaned_data["per_slot"],
            user=request.user,
        )
        messages.success(request, "Booking slots saved.")
        return redirect("alignment_types", clinic_slug=clinic.slug)
    return render(
        request,
        "sessions/alignment/appointment_types.html",
        {"clinic": clinic, "kinds": list(appointment_kinds(clinic)), "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@clinic_view(COORDINATORS)
def appointment_types_defaults(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    added = appointment_kinds_add_defaults(clinic=clinic, user=request.user)
    messages.success(request, f"Added {added} appointment types from the NICE schedule.")
    return redirect("alignment_types", clinic_slug=clinic.slug)


@clinic_view(COORDINATORS, methods=["GET", "POST"])
def appointment_type_edit(
    request: HttpRequest, clinic: Clinic, kind_id: int | None = None
) -> HttpResponse:
    kind = appointment_kind_for_clinic(clinic, kind_id) if kind_id else AppointmentKind()
    form = AppointmentKindForm(request.POST or None, instance=kind, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        saved = appointment_kind_save(kind=form.save(commit=False), user=request.user)
        messages.success(request, f"Saved {saved.name}.")
        return redirect("alignment_types", clinic_slug=clinic.slug)
    return render(
        request,
        "sessions/alignment/appointment_type_form.html",
        {"clinic": clinic, "kind": kind, "form": form},
        status=400 if form.errors else 200,
    )
