"""Booking alignment pages: the proposals for a cohort, its cohort day, the clinic's appointment
types, and the booking team's worklist with its exports. Coordinators of the clinic only."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from waitroom.access import COORDINATORS, clinic_view
from waitroom.audit import audit_patients_shown
from waitroom.csv_export import csv_response
from waitroom.models import AuditEvent, Clinic

from .export import HEADER, REASON_FOR_MOVE, worklist_csv_filename, worklist_rows
from .forms import (
    AlignmentForm,
    AppointmentKindForm,
    BookingSlotsForm,
    CohortDayForm,
    WorklistAddForm,
    WorklistOutcomeForm,
)
from .measures import peers_together_series
from .models import AppointmentKind, describe_cohort_day
from .selectors import (
    alignment_for,
    appointment_kind_for_clinic,
    appointment_kinds,
    booking_slots,
    cohort_day,
    cohort_for_clinic,
    suggested_cohort_day,
    worklist,
    worklist_closed,
    worklist_item_for_clinic,
)
from .services import (
    appointment_kind_save,
    appointment_kinds_add_defaults,
    booking_slots_set,
    cohort_day_set,
    worklist_add,
    worklist_close,
    worklist_send,
)

MEASURE_WEEKS_BACK = 4


def _alignment_url(clinic: Clinic, cohort_slug: str, weeks: int | None = None) -> str:
    query = f"?cohort={cohort_slug}" + (f"&weeks={weeks}" if weeks else "")
    return reverse("booking_alignment", args=[clinic.slug]) + query


@clinic_view(COORDINATORS, methods=["GET"])
def alignment_page(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """For a cohort: its cohort day, the proposed moves with their reasons, and the measure."""
    form = AlignmentForm.from_query(request.GET, clinic=clinic)
    context: dict = {"clinic": clinic, "form": form}
    if form.is_bound and form.is_valid():
        cohort = form.cleaned_data["cohort"]
        weeks = form.cleaned_data["weeks"]
        alignment = alignment_for(clinic=clinic, cohort=cohort, weeks=weeks)
        today = clinic.today()
        context.update(
            alignment=alignment,
            weeks=weeks,
            measure=peers_together_series(
                clinic,
                cohort=cohort,
                start=today - dt.timedelta(weeks=MEASURE_WEEKS_BACK),
                end=alignment.last_day,
            ),
            cohort_days=_cohort_dates(alignment),
        )
        # The list names women and their hospital numbers.
        audit_patients_shown(
            request,
            AuditEvent.Action.VIEW,
            cohort,
            clinic=clinic,
            patient_ids=alignment.patient_ids,
        )
    return render(request, "sessions/alignment/alignment.html", context)


def _cohort_dates(alignment) -> list[tuple[dt.date, int]]:
    """The cohort's days in the weeks shown, with the women of the cohort booked on each."""
    if alignment.cohort_day is None:
        return []
    day = alignment.first_day
    day += dt.timedelta(days=(alignment.cohort_day.weekday - day.weekday()) % 7)
    dates = []
    while day <= alignment.last_day:
        dates.append((day, alignment.women_by_day.get(day, 0)))
        day += dt.timedelta(days=7)
    return dates


@clinic_view(COORDINATORS, methods=["GET", "POST"])
def cohort_day_page(request: HttpRequest, clinic: Clinic, cohort_slug: str) -> HttpResponse:
    """Set the day a cohort's women are brought together, or take the one Waitroom proposes."""
    cohort = cohort_for_clinic(clinic, cohort_slug)
    current = cohort_day(clinic, cohort)
    suggestion = suggested_cohort_day(clinic, cohort)
    initial = {}
    if current:
        initial = {"weekday": current.weekday, "part": current.part}
    elif suggestion:
        initial = {"weekday": suggestion[0], "part": suggestion[1]}
    form = CohortDayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        day = cohort_day_set(
            clinic=clinic,
            cohort=cohort,
            weekday=form.cleaned_data["weekday"],
            part=form.cleaned_data["part"],
            user=request.user,
        )
        messages.success(request, f"{cohort.staff_name} now meet on {day}.")
        return redirect(_alignment_url(clinic, cohort.slug))
    return render(
        request,
        "sessions/alignment/cohort_day.html",
        {
            "clinic": clinic,
            "cohort": cohort,
            "current": current,
            "suggestion": suggestion and describe_cohort_day(suggestion[0], suggestion[1]),
            "suggestion_women": suggestion and suggestion[2],
            "form": form,
        },
        status=400 if form.errors else 200,
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


@require_POST
@clinic_view(COORDINATORS)
def worklist_add_view(request: HttpRequest, clinic: Clinic, cohort_slug: str) -> HttpResponse:
    """Put the proposals the coordinator ticked on the booking team's worklist."""
    cohort = cohort_for_clinic(clinic, cohort_slug)
    query = AlignmentForm(
        {"cohort": cohort.slug, "weeks": request.POST.get("weeks")}, clinic=clinic
    )
    weeks = query.cleaned_data["weeks"] if query.is_valid() else None
    alignment = alignment_for(clinic=clinic, cohort=cohort, **({"weeks": weeks} if weeks else {}))
    form = WorklistAddForm(request.POST, appointment_ids=alignment.movable_ids)
    if not form.is_valid():
        messages.error(request, "Choose at least one proposal to put on the worklist.")
        return redirect(_alignment_url(clinic, cohort.slug, weeks))
    added = worklist_add(
        clinic=clinic,
        cohort=cohort,
        appointment_ids=form.cleaned_data["appointment"],
        user=request.user,
        **({"weeks": weeks} if weeks else {}),
    )
    messages.success(request, f"{added} added to the booking team's worklist.")
    return redirect("alignment_worklist", clinic_slug=clinic.slug)


@clinic_view(COORDINATORS, methods=["GET"])
def worklist_page(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    items = worklist(clinic)
    closed = worklist_closed(clinic)
    audit_patients_shown(
        request,
        AuditEvent.Action.VIEW,
        None,
        clinic=clinic,
        patient_ids=[i.appointment.patient_id for i in [*items, *closed]],
        object_type="alignment.worklist",
        object_id=str(clinic.pk),
    )
    return render(
        request,
        "sessions/alignment/worklist.html",
        {
            "clinic": clinic,
            "items": items,
            "closed": closed,
            "proposed": sum(1 for i in items if i.status == "proposed"),
            "reason_for_move": REASON_FOR_MOVE,
        },
    )


@require_POST
@clinic_view(COORDINATORS)
def worklist_send_view(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    sent = worklist_send(clinic=clinic, user=request.user)
    messages.success(
        request, f"{sent} marked as sent to bookings. Download the list or print it for them."
    )
    return redirect("alignment_worklist", clinic_slug=clinic.slug)


@clinic_view(COORDINATORS, methods=["GET", "POST"])
def worklist_item_page(request: HttpRequest, clinic: Clinic, item_id: int) -> HttpResponse:
    """Record what became of one item."""
    item = worklist_item_for_clinic(clinic, item_id)
    form = WorklistOutcomeForm(request.POST or None)
    if request.method == "POST" and item.is_open and form.is_valid():
        worklist_close(
            item=item,
            status=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
        messages.success(request, f"Recorded: {item.get_status_display()}.")
        return redirect("alignment_worklist", clinic_slug=clinic.slug)
    audit_patients_shown(
        request,
        AuditEvent.Action.VIEW,
        item,
        clinic=clinic,
        patient_ids=[item.appointment.patient_id],
    )
    return render(
        request,
        "sessions/alignment/worklist_item.html",
        {"clinic": clinic, "item": item, "form": form, "reason_for_move": REASON_FOR_MOVE},
        status=400 if form.errors else 200,
    )


@clinic_view(COORDINATORS, methods=["GET"])
def worklist_export(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """The open items as a CSV file for the booking team."""
    items = worklist(clinic)
    audit_patients_shown(
        request,
        AuditEvent.Action.EXPORT,
        None,
        clinic=clinic,
        patient_ids=[i.appointment.patient_id for i in items],
        object_type="alignment.worklist",
        object_id=str(clinic.pk),
    )
    return csv_response(
        filename=worklist_csv_filename(clinic, clinic.today()),
        header=HEADER,
        rows=worklist_rows(items, clinic=clinic),
    )


@clinic_view(COORDINATORS, methods=["GET"])
def worklist_print(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    """The open items as a list to print for the booking team."""
    items = worklist(clinic)
    audit_patients_shown(
        request,
        AuditEvent.Action.EXPORT,
        None,
        clinic=clinic,
        patient_ids=[i.appointment.patient_id for i in items],
        object_type="alignment.worklist",
        object_id=str(clinic.pk),
        context="printed",
    )
    return render(
        request,
        "sessions/alignment/worklist_print.html",
        {
            "clinic": clinic,
            "rows": [
                list(zip(HEADER, row, strict=True)) for row in worklist_rows(items, clinic=clinic)
            ],
            "header": HEADER,
            "today": clinic.today(),
        },
    )
